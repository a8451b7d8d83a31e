-- Relying parties and the provider's signing keys.

CREATE TABLE clients (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    client_id           text NOT NULL UNIQUE
                        CHECK (client_id ~ '^[A-Za-z0-9][A-Za-z0-9._-]{2,127}$'),
    -- SHA-256 of the client secret; secrets are 256-bit random strings the
    -- provider generates, so a fast digest is the right store.
    secret_digest       bytea CHECK (secret_digest IS NULL OR length(secret_digest) = 32),
    secret_rotated_at   timestamptz,
    token_endpoint_auth_method text NOT NULL CHECK (token_endpoint_auth_method IN (
                        'client_secret_basic', 'client_secret_post',
                        'private_key_jwt', 'none')),
    -- RFC 7591 metadata, validated by the provider before it is stored.
    metadata            jsonb NOT NULL CHECK (jsonb_typeof(metadata) = 'object'),
    owner_organisation_id bigint REFERENCES organisations (id),
    first_party         boolean NOT NULL DEFAULT false,
    enabled             boolean NOT NULL DEFAULT true,
    source              text NOT NULL DEFAULT 'idpctl'
                        CHECK (source IN ('idpctl', 'manifest', 'registration')),
    -- RFC 7592 registration access token, SHA-256.
    registration_token_digest bytea UNIQUE
                        CHECK (registration_token_digest IS NULL
                               OR length(registration_token_digest) = 32),
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    CHECK ((token_endpoint_auth_method IN ('client_secret_basic', 'client_secret_post'))
           = (secret_digest IS NOT NULL))
);
CREATE INDEX clients_owner_idx ON clients (owner_organisation_id);

-- Metadata of signing keys; the private keys are files in the key directory.
-- A retired key stays published in the JWKS until publish_until, after the
-- last token it signed has expired.
CREATE TABLE signing_keys (
    kid           text PRIMARY KEY CHECK (kid ~ '^[A-Za-z0-9_-]{16,64}$'),
    alg           text NOT NULL CHECK (alg IN ('RS256', 'ES256', 'PS256')),
    state         text NOT NULL CHECK (state IN ('active', 'retired')),
    created_at    timestamptz NOT NULL DEFAULT now(),
    retired_at    timestamptz,
    publish_until timestamptz,
    CHECK ((state = 'retired') = (retired_at IS NOT NULL))
);
-- One active key per algorithm.
CREATE UNIQUE INDEX signing_keys_one_active_idx ON signing_keys (alg)
    WHERE state = 'active';

-- Initial access tokens for dynamic client registration (RFC 7591 §3),
-- issued by an operator with idpctl.
CREATE TABLE initial_access_tokens (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    token_digest  bytea NOT NULL UNIQUE CHECK (length(token_digest) = 32),
    description   text NOT NULL DEFAULT '',
    owner_organisation_id bigint REFERENCES organisations (id),
    uses_left     integer CHECK (uses_left IS NULL OR uses_left >= 0),
    created_at    timestamptz NOT NULL DEFAULT now(),
    expires_at    timestamptz NOT NULL,
    revoked_at    timestamptz
);
