-- Password resets: a link mailed to the person, or a short code the
-- helpdesk reads over the phone (idpctl user reset-code; the operator
-- console later). Only the SHA-256 digest of the secret is kept; a reset
-- is used once, expires, and a code stops after too many wrong tries.
CREATE TABLE password_resets (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id       bigint NOT NULL REFERENCES users (id),
    kind          text NOT NULL CHECK (kind IN ('link', 'code')),
    digest        bytea NOT NULL UNIQUE CHECK (length(digest) = 32),
    created_at    timestamptz NOT NULL DEFAULT now(),
    expires_at    timestamptz NOT NULL,
    used_at       timestamptz,
    failures      integer NOT NULL DEFAULT 0,
    -- Who asked: 'self' for the mailed link, the operator for a code.
    issued_by     text NOT NULL CHECK (length(issued_by) BETWEEN 1 AND 128),
    ip            inet
);
CREATE INDEX password_resets_user_idx ON password_resets (user_id, kind);
CREATE INDEX password_resets_expires_idx ON password_resets (expires_at);
