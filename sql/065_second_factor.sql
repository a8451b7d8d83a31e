-- The second factor (TOTP, passkeys, recovery codes live in credentials,
-- sql/010_credentials.sql). What a session proved and when: amr lists the
-- methods (RFC 8176), auth_time is the password check, mfa_at the second
-- factor (NULL: the password only). A pending login that passed its
-- password waits for the second factor: factor_user_id names the person,
-- password_at when the password was checked (or, for a step-up of a
-- signed-in person, the session's auth_time).
ALTER TABLE sessions ADD COLUMN mfa_at timestamptz;
ALTER TABLE login_requests ADD COLUMN factor_user_id bigint
    REFERENCES users (id);
ALTER TABLE login_requests ADD COLUMN password_at timestamptz;
ALTER TABLE login_requests ADD COLUMN password_amr text[];

-- An operator setting: every member of the organisation (its primary
-- organisation, or one below it) signs in with a second factor.
ALTER TABLE organisations ADD COLUMN require_mfa boolean NOT NULL
    DEFAULT false;

-- WebAuthn ceremonies in progress: the challenge (by digest) the server
-- sent, for whom and for which ceremony; used once, valid minutes.
CREATE TABLE webauthn_challenges (
    digest       bytea PRIMARY KEY CHECK (length(digest) = 32),
    user_id      bigint REFERENCES users (id),
    purpose      text NOT NULL CHECK (purpose IN ('register', 'login')),
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL,
    used_at      timestamptz
);
CREATE INDEX webauthn_challenges_expires_idx
    ON webauthn_challenges (expires_at);
