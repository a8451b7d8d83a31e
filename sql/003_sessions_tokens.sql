-- Everything a sign-in leaves behind. Tables that hold secrets hold SHA-256
-- digests only; lookups are by digest. Rows expire and are purged in small
-- batches by the provider's housekeeping thread.

-- A login page in progress: the validated authorization request waiting for
-- a password (or consent). Referenced from the page by a random id.
CREATE TABLE login_requests (
    id_digest     bytea PRIMARY KEY CHECK (length(id_digest) = 32),
    client_id     text NOT NULL,
    params        jsonb NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    expires_at    timestamptz NOT NULL,
    completed_at  timestamptz
);
CREATE INDEX login_requests_expires_idx ON login_requests (expires_at);

CREATE TABLE sessions (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id_digest     bytea NOT NULL UNIQUE CHECK (length(id_digest) = 32),
    sid           text NOT NULL UNIQUE,   -- public id for the `sid` claim
    user_id       bigint NOT NULL REFERENCES users (id),
    auth_time     timestamptz NOT NULL,   -- time of the password check
    amr           text[] NOT NULL DEFAULT '{pwd}',
    acr           text NOT NULL DEFAULT '1',
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_seen_at  timestamptz NOT NULL DEFAULT now(),
    idle_expires_at timestamptz NOT NULL,
    expires_at    timestamptz NOT NULL,
    ended_at      timestamptz,
    ip            inet,
    user_agent    text
);
CREATE INDEX sessions_user_idx ON sessions (user_id);
CREATE INDEX sessions_expires_idx ON sessions (expires_at);

-- The clients a person reached through a session (for logout).
CREATE TABLE session_clients (
    session_id    bigint NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    client_id     text NOT NULL,
    first_at      timestamptz NOT NULL DEFAULT now(),
    last_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (session_id, client_id)
);

-- One grant = one authorization (a code exchange or a client_credentials
-- request never makes one). Refresh tokens of a grant form one family:
-- presenting a used one revokes the grant and everything issued under it.
CREATE TABLE grants (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    client_id     text NOT NULL,
    user_id       bigint NOT NULL REFERENCES users (id),
    session_id    bigint REFERENCES sessions (id) ON DELETE SET NULL,
    scope         text NOT NULL,
    auth_time     timestamptz NOT NULL,
    acr           text NOT NULL,
    amr           text[] NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    expires_at    timestamptz NOT NULL,
    revoked_at    timestamptz,
    revoked_reason text
);
CREATE INDEX grants_user_client_idx ON grants (user_id, client_id);
CREATE INDEX grants_session_idx ON grants (session_id);
CREATE INDEX grants_expires_idx ON grants (expires_at);

CREATE TABLE authorization_codes (
    code_digest   bytea PRIMARY KEY CHECK (length(code_digest) = 32),
    client_id     text NOT NULL,
    user_id       bigint NOT NULL REFERENCES users (id),
    session_id    bigint REFERENCES sessions (id) ON DELETE SET NULL,
    redirect_uri  text NOT NULL,
    scope         text NOT NULL,
    nonce         text,
    code_challenge text,
    code_challenge_method text CHECK (code_challenge_method IN ('S256', 'plain')),
    auth_time     timestamptz NOT NULL,
    acr           text NOT NULL,
    amr           text[] NOT NULL,
    claims        jsonb,
    created_at    timestamptz NOT NULL DEFAULT now(),
    expires_at    timestamptz NOT NULL,
    used_at       timestamptz,
    grant_id      uuid REFERENCES grants (id) ON DELETE SET NULL
);
CREATE INDEX authorization_codes_expires_idx ON authorization_codes (expires_at);

-- Opaque access tokens (JWT access tokens are self-contained and not kept).
CREATE TABLE access_tokens (
    token_digest  bytea PRIMARY KEY CHECK (length(token_digest) = 32),
    client_id     text NOT NULL,
    user_id       bigint REFERENCES users (id),
    grant_id      uuid REFERENCES grants (id) ON DELETE CASCADE,
    scope         text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    expires_at    timestamptz NOT NULL,
    revoked_at    timestamptz
);
CREATE INDEX access_tokens_grant_idx ON access_tokens (grant_id);
CREATE INDEX access_tokens_expires_idx ON access_tokens (expires_at);

CREATE TABLE refresh_tokens (
    token_digest  bytea PRIMARY KEY CHECK (length(token_digest) = 32),
    grant_id      uuid NOT NULL REFERENCES grants (id) ON DELETE CASCADE,
    client_id     text NOT NULL,
    scope         text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    expires_at    timestamptz NOT NULL,
    used_at       timestamptz,
    revoked_at    timestamptz
);
CREATE INDEX refresh_tokens_grant_idx ON refresh_tokens (grant_id);
CREATE INDEX refresh_tokens_expires_idx ON refresh_tokens (expires_at);

-- JWT access tokens revoked before their expiry (RFC 7009), by jti.
CREATE TABLE revoked_jwts (
    jti           text PRIMARY KEY,
    client_id     text NOT NULL,
    expires_at    timestamptz NOT NULL
);
CREATE INDEX revoked_jwts_expires_idx ON revoked_jwts (expires_at);

-- Consent of a person to a third-party client, per set of scopes.
CREATE TABLE consents (
    user_id       bigint NOT NULL REFERENCES users (id),
    client_id     text NOT NULL,
    scopes        text[] NOT NULL,
    granted_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, client_id)
);

-- Client assertion ids seen (RFC 7523 §3 item 7): a jti is used once.
CREATE TABLE client_assertion_jtis (
    client_id     text NOT NULL,
    jti           text NOT NULL,
    expires_at    timestamptz NOT NULL,
    PRIMARY KEY (client_id, jti)
);
CREATE INDEX client_assertion_jtis_expires_idx ON client_assertion_jtis (expires_at);

-- Security events: logins, failures, client and key changes, revocations.
-- Never a password, code, token or secret.
CREATE TABLE audit_log (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at            timestamptz NOT NULL DEFAULT now(),
    event         text NOT NULL,
    user_id       bigint,
    client_id     text,
    ip            inet,
    request_id    text,
    details       jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_at_idx ON audit_log (at);
CREATE INDEX audit_log_user_idx ON audit_log (user_id, at) WHERE user_id IS NOT NULL;
CREATE INDEX audit_log_client_idx ON audit_log (client_id, at) WHERE client_id IS NOT NULL;
