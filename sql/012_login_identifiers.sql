-- Sign in with the identifier people know: the username, the 18-digit NIP
-- of a civil servant, or a verified email address. The three share one
-- namespace, so that whatever a person types names at most one person:
-- login_identifiers holds each of them (lower case), kept by a trigger on
-- users, and its primary key refuses a value that is already another
-- person's username, NIP or verified email.
ALTER TABLE users ADD CONSTRAINT users_nip_format
    CHECK (nip IS NULL OR nip ~ '^[0-9]{18}$');
CREATE UNIQUE INDEX users_nip_idx ON users (nip) WHERE nip IS NOT NULL;

CREATE TABLE login_identifiers (
    identifier  text PRIMARY KEY,
    user_id     bigint NOT NULL REFERENCES users (id),
    kind        text NOT NULL CHECK (kind IN ('username', 'nip', 'email'))
);
CREATE INDEX login_identifiers_user_idx ON login_identifiers (user_id);

-- One identifier of person uid; a value the person already has under
-- another kind (a username that is also their email) is kept once.
CREATE FUNCTION login_identifier_add(v text, uid bigint, k text)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    owner bigint;
BEGIN
    INSERT INTO login_identifiers VALUES (v, uid, k)
        ON CONFLICT (identifier) DO NOTHING;
    SELECT user_id INTO owner FROM login_identifiers WHERE identifier = v;
    IF owner IS DISTINCT FROM uid THEN
        RAISE EXCEPTION 'the % % is already another person''s username, NIP or verified email', k, v
            USING ERRCODE = 'unique_violation',
                  DETAIL = format('Key (%s)=(%s) already exists.', k, v);
    END IF;
END $$;

CREATE FUNCTION users_login_identifiers() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        IF NEW.username = OLD.username
           AND NEW.nip IS NOT DISTINCT FROM OLD.nip
           AND NEW.email IS NOT DISTINCT FROM OLD.email
           AND NEW.email_verified = OLD.email_verified THEN
            RETURN NULL;
        END IF;
        DELETE FROM login_identifiers WHERE user_id = NEW.id;
    END IF;
    PERFORM login_identifier_add(lower(NEW.username), NEW.id, 'username');
    IF NEW.nip IS NOT NULL THEN
        PERFORM login_identifier_add(NEW.nip, NEW.id, 'nip');
    END IF;
    IF NEW.email IS NOT NULL AND NEW.email_verified THEN
        PERFORM login_identifier_add(lower(NEW.email), NEW.id, 'email');
    END IF;
    RETURN NULL;
END $$;

DO $$
DECLARE
    u record;
BEGIN
    FOR u IN SELECT id, username, nip, email, email_verified FROM users
             ORDER BY id LOOP
        PERFORM login_identifier_add(lower(u.username), u.id, 'username');
        IF u.nip IS NOT NULL THEN
            PERFORM login_identifier_add(u.nip, u.id, 'nip');
        END IF;
        IF u.email IS NOT NULL AND u.email_verified THEN
            PERFORM login_identifier_add(lower(u.email), u.id, 'email');
        END IF;
    END LOOP;
END $$;

CREATE TRIGGER users_login_identifiers AFTER INSERT OR UPDATE ON users
    FOR EACH ROW EXECUTE FUNCTION users_login_identifiers();
