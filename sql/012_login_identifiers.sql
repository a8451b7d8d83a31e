-- Sign in with the identifier people know: the username, the 18-digit NIP
-- of a civil servant, or a verified email address. The three share one
-- namespace, so that whatever a person types names at most one person:
-- login_identifiers holds each of them (lower case), kept by statement
-- triggers on users (set-based, so a bulk import of 33,000 people stays
-- one quick statement), and its primary key refuses a value that is
-- already another person's username, NIP or verified email.
ALTER TABLE users ADD CONSTRAINT users_nip_format
    CHECK (nip IS NULL OR nip ~ '^[0-9]{18}$');
CREATE UNIQUE INDEX users_nip_idx ON users (nip) WHERE nip IS NOT NULL;

-- user_id has no foreign key: only the triggers below write the table,
-- users are never deleted, and a key check per row would double the time
-- of a bulk import.
CREATE TABLE login_identifiers (
    identifier  text PRIMARY KEY,
    user_id     bigint NOT NULL,
    kind        text NOT NULL CHECK (kind IN ('username', 'nip', 'email'))
);
CREATE INDEX login_identifiers_user_idx ON login_identifiers (user_id);

-- The identifiers of the given rows of users. A value a person has under
-- two kinds (a username that is also their email) is theirs once; the
-- same value for two people is two rows, which the primary key refuses.
CREATE FUNCTION login_identifiers_of(ids bigint[])
RETURNS TABLE (identifier text, user_id bigint, kind text)
LANGUAGE sql STABLE AS $$
    WITH u AS (SELECT u.* FROM unnest(ids) AS t(id)
               JOIN users u ON u.id = t.id)
    SELECT DISTINCT ON (x.v, x.id) x.v, x.id, x.k FROM (
        SELECT lower(u.username) AS v, u.id, 'username' AS k, 1 AS o FROM u
        UNION ALL SELECT u.nip, u.id, 'nip', 2 FROM u WHERE u.nip IS NOT NULL
        UNION ALL SELECT lower(u.email), u.id, 'email', 3 FROM u
        WHERE u.email IS NOT NULL AND u.email_verified
    ) x ORDER BY x.v, x.id, x.o
$$;

CREATE FUNCTION users_identifiers_insert() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO login_identifiers
    SELECT * FROM login_identifiers_of(ARRAY(SELECT id FROM new_rows));
    RETURN NULL;
END $$;

-- Only the people whose username, NIP, email or its verification changed.
CREATE FUNCTION users_identifiers_update() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    changed bigint[];
BEGIN
    SELECT array_agg(n.id) INTO changed FROM new_rows n JOIN old_rows o
        ON o.id = n.id
    WHERE n.username <> o.username OR n.nip IS DISTINCT FROM o.nip
        OR n.email IS DISTINCT FROM o.email
        OR n.email_verified <> o.email_verified;
    IF changed IS NOT NULL THEN
        DELETE FROM login_identifiers WHERE user_id = ANY (changed);
        INSERT INTO login_identifiers
        SELECT * FROM login_identifiers_of(changed);
    END IF;
    RETURN NULL;
END $$;

INSERT INTO login_identifiers
SELECT * FROM login_identifiers_of(ARRAY(SELECT id FROM users));

CREATE TRIGGER users_identifiers_insert AFTER INSERT ON users
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION users_identifiers_insert();
CREATE TRIGGER users_identifiers_update AFTER UPDATE ON users
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION users_identifiers_update();
