-- Credentials beside the person, not inside the users row: every factor a
-- person signs in with is one row, so that a person can have several and
-- the login flow asks for what policy requires. Each kind keeps its secret
-- material in its own columns (checked below):
--   password       password_hash: a hash string carrying its algorithm
--                  (argon2id PHC, or an imported bcrypt, SHA-crypt or
--                  PBKDF2 string, replaced by argon2id at the next
--                  sign-in); at most one per person
--   totp           totp_secret (the RFC 6238 key) and totp_last_step, the
--                  last time step accepted (a code is accepted once)
--   webauthn       webauthn_credential_id, webauthn_public_key (COSE_Key),
--                  webauthn_sign_count, webauthn_transports,
--                  webauthn_aaguid
--   recovery_code  recovery_digest (SHA-256 of the code); used_at once used
-- A factor being enrolled has confirmed_at NULL and does not count until
-- the person proves it works (the first valid code, a completed
-- ceremony). Rows are deleted when a factor is removed; users never are.
CREATE TABLE credentials (
    id                     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id                bigint NOT NULL REFERENCES users (id),
    kind                   text NOT NULL CHECK (kind IN ('password', 'totp',
                               'webauthn', 'recovery_code')),
    label                  text CHECK (label IS NULL OR length(label) <= 100),
    password_hash          text CHECK (password_hash IS NULL OR
                               length(password_hash) BETWEEN 8 AND 512),
    totp_secret            bytea CHECK (totp_secret IS NULL OR
                               length(totp_secret) BETWEEN 10 AND 64),
    totp_last_step         bigint,
    webauthn_credential_id bytea UNIQUE CHECK (webauthn_credential_id IS NULL
                               OR length(webauthn_credential_id)
                               BETWEEN 16 AND 1023),
    webauthn_public_key    bytea CHECK (webauthn_public_key IS NULL OR
                               length(webauthn_public_key) <= 2048),
    webauthn_sign_count    bigint CHECK (webauthn_sign_count IS NULL OR
                               webauthn_sign_count >= 0),
    webauthn_transports    text[],
    webauthn_aaguid        uuid,
    recovery_digest        bytea CHECK (recovery_digest IS NULL OR
                               length(recovery_digest) = 32),
    created_at             timestamptz NOT NULL DEFAULT now(),
    confirmed_at           timestamptz,
    last_used_at           timestamptz,
    used_at                timestamptz,
    CHECK ((kind = 'password') = (password_hash IS NOT NULL)),
    CHECK ((kind = 'totp') = (totp_secret IS NOT NULL)),
    CHECK ((kind = 'webauthn') = (webauthn_credential_id IS NOT NULL
           AND webauthn_public_key IS NOT NULL
           AND webauthn_sign_count IS NOT NULL)),
    CHECK ((kind = 'recovery_code') = (recovery_digest IS NOT NULL)),
    CHECK (used_at IS NULL OR kind = 'recovery_code')
);
CREATE INDEX credentials_user_idx ON credentials (user_id, kind);
CREATE UNIQUE INDEX credentials_one_password_idx ON credentials (user_id)
    WHERE kind = 'password';
CREATE UNIQUE INDEX credentials_recovery_idx
    ON credentials (user_id, recovery_digest) WHERE kind = 'recovery_code';

INSERT INTO credentials (user_id, kind, password_hash, created_at,
    confirmed_at)
SELECT id, 'password', password_hash,
    coalesce(password_changed_at, created_at),
    coalesce(password_changed_at, created_at)
FROM users WHERE password_hash IS NOT NULL;

ALTER TABLE users DROP COLUMN password_hash;
