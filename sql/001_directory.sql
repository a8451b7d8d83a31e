-- The directory: organisations of the province and the people who sign in.
-- Users are never deleted (only disabled), so a `sub` is never reassigned.

CREATE TABLE organisations (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code        text NOT NULL UNIQUE
                CHECK (code ~ '^[a-z0-9][a-z0-9._-]{0,62}$'),
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    kind        text NOT NULL CHECK (kind IN (
                    'province',          -- Pemerintah Provinsi
                    'provincial_agency', -- OPD of the province
                    'regency',           -- kabupaten
                    'city',              -- kota
                    'local_agency',      -- OPD of a regency or city
                    'desa_adat',         -- customary village
                    'health_facility',   -- hospital, puskesmas, clinic
                    'central_agency')),  -- central/vertical agency in Bali
    parent_id   bigint REFERENCES organisations (id),
    created_at  timestamptz NOT NULL DEFAULT now(),
    CHECK (parent_id IS DISTINCT FROM id)
);
CREATE INDEX organisations_parent_idx ON organisations (parent_id);
CREATE INDEX organisations_kind_idx ON organisations (kind);

CREATE TABLE users (
    id                    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    sub                   uuid NOT NULL UNIQUE DEFAULT gen_random_uuid(),
    username              text NOT NULL
                          CHECK (username ~ '^[A-Za-z0-9][A-Za-z0-9._@-]{0,127}$'),
    password_hash         text,   -- carries its algorithm and parameters
    name                  text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    given_name            text,
    family_name           text,
    email                 text CHECK (email IS NULL OR email ~ '^[^@\s]+@[^@\s]+$'),
    email_verified        boolean NOT NULL DEFAULT false,
    phone_number          text,
    phone_number_verified boolean NOT NULL DEFAULT false,
    nip                   text,   -- civil servant number (NIP), when there is one
    job_title             text,
    organisation_id       bigint REFERENCES organisations (id),
    locale                text NOT NULL DEFAULT 'id' CHECK (locale IN ('id', 'en')),
    disabled              boolean NOT NULL DEFAULT false,
    created_at            timestamptz NOT NULL DEFAULT now(),
    updated_at            timestamptz NOT NULL DEFAULT now(),
    password_changed_at   timestamptz
);
-- Usernames are unique regardless of case; logins look them up this way.
CREATE UNIQUE INDEX users_username_lower_idx ON users (lower(username));
CREATE UNIQUE INDEX users_email_lower_idx ON users (lower(email))
    WHERE email IS NOT NULL;
CREATE INDEX users_organisation_idx ON users (organisation_id);

-- A subject identifier is forever: refuse to change it.
CREATE FUNCTION users_sub_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.sub <> OLD.sub THEN
        RAISE EXCEPTION 'users.sub is immutable';
    END IF;
    NEW.updated_at := now();
    RETURN NEW;
END $$;
CREATE TRIGGER users_sub_immutable BEFORE UPDATE ON users
    FOR EACH ROW EXECUTE FUNCTION users_sub_immutable();

CREATE FUNCTION users_no_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'users are disabled, never deleted (sub must not be reassigned)';
END $$;
CREATE TRIGGER users_no_delete BEFORE DELETE ON users
    FOR EACH ROW EXECUTE FUNCTION users_no_delete();

-- Further roles of a user in other organisations (the primary one is
-- users.organisation_id).
CREATE TABLE memberships (
    user_id         bigint NOT NULL REFERENCES users (id),
    organisation_id bigint NOT NULL REFERENCES organisations (id),
    role            text NOT NULL CHECK (role ~ '^[a-z][a-z0-9_]{0,39}$'),
    PRIMARY KEY (user_id, organisation_id, role)
);
CREATE INDEX memberships_organisation_idx ON memberships (organisation_id);
