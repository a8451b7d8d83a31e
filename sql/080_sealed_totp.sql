-- TOTP keys sealed under the key-encryption key, like signing keys
-- (sql/095_sealed_signing_keys.sql, crypto/keyseal.c): totp_sealed is
-- AES-256-GCM of the RFC 6238 key with "totp:<user_id>" as additional
-- data, so a sealed key copied onto another person's row does not open;
-- totp_kek_id names the KEK it needs. totp_secret (plaintext) remains for
-- a node without a KEK and for rows from before; a node with a KEK seals
-- those at start and at their next use (core/totpkey.c). A row has one
-- form or the other, never both.
ALTER TABLE credentials
    ADD COLUMN totp_sealed bytea CHECK (totp_sealed IS NULL OR
        length(totp_sealed) BETWEEN 40 AND 94),
    ADD COLUMN totp_kek_id text CHECK (totp_kek_id ~ '^[A-Za-z0-9_-]{16}$'),
    ADD CONSTRAINT credentials_totp_sealed_kek_check
        CHECK ((totp_sealed IS NULL) = (totp_kek_id IS NULL)),
    ADD CONSTRAINT credentials_totp_one_form_check
        CHECK (totp_secret IS NULL OR totp_sealed IS NULL);

-- The kind check of sql/010 asked for totp_secret; it has a generated
-- name, so it is found by what it says.
DO $$
DECLARE
    c name;
BEGIN
    SELECT conname INTO STRICT c FROM pg_constraint
    WHERE conrelid = 'credentials'::regclass AND contype = 'c'
      AND pg_get_constraintdef(oid) =
          'CHECK (((kind = ''totp''::text) = (totp_secret IS NOT NULL)))';
    EXECUTE format('ALTER TABLE credentials DROP CONSTRAINT %I', c);
END
$$;
ALTER TABLE credentials ADD CONSTRAINT credentials_totp_kind_check
    CHECK ((kind = 'totp') =
           (totp_secret IS NOT NULL OR totp_sealed IS NOT NULL));
