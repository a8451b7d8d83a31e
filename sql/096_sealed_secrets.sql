-- Secrets every node must share besides the signing keys, sealed like them
-- under the key-encryption key (AES-256-GCM, the name as additional data):
-- the key of the device cookies of the sign-in defence. Without a KEK it
-- stays the file key_dir/device-cookie.key.
CREATE TABLE sealed_secrets (
    name        text PRIMARY KEY CHECK (name IN ('device-cookie')),
    secret      bytea NOT NULL CHECK (length(secret) BETWEEN 31 AND 4096),
    kek_id      text NOT NULL CHECK (kek_id ~ '^[A-Za-z0-9_-]{16}$'),
    created_at  timestamptz NOT NULL DEFAULT now()
);
