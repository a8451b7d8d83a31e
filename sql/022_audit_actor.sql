-- Who did it: every audited change names its actor. actor is a short text
-- (idpctl: "idpctl:<OS user>"; registration: "iat:<id>"; a person: their
-- username), actor_user_id the person when a person acted.
ALTER TABLE audit_log
    ADD COLUMN actor text CHECK (actor IS NULL OR length(actor) <= 300),
    ADD COLUMN actor_user_id bigint;
CREATE INDEX audit_log_actor_idx ON audit_log (actor_user_id, at)
    WHERE actor_user_id IS NOT NULL;
