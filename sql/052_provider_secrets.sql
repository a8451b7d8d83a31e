-- Keys the provider makes for itself and shares between its instances, by
-- name. The first instance that needs one creates it; the others read it.
-- dpop_nonce: the HMAC key of the DPoP nonces (RFC 9449 §8), so that a
-- nonce one instance handed out is good at every other.
CREATE TABLE provider_secrets (
    name          text PRIMARY KEY CHECK (name ~ '^[a-z0-9_]{1,64}$'),
    secret        bytea NOT NULL CHECK (length(secret) = 32),
    created_at    timestamptz NOT NULL DEFAULT now()
);
