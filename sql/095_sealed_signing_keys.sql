-- Signing keys every node can reach: the private key is kept in the row,
-- sealed with AES-256-GCM under a key-encryption key (KEK) each node reads
-- from a file or a systemd credential (crypto/keyseal.c). kek_id names the
-- KEK (a digest, not the key). A row without private_key is a key of the
-- older kind, a file key_dir/<kid>.pem, until `idpctl keys import` seals it.
--
-- Rotation: a key is 'next' (published in the JWKS, not yet signing) until
-- activate_at, then 'active', then 'retired' (published until every token
-- it signed has expired: publish_until). Ed25519 keys sign as EdDSA.
ALTER TABLE signing_keys DROP CONSTRAINT signing_keys_alg_check;
ALTER TABLE signing_keys ADD CONSTRAINT signing_keys_alg_check
    CHECK (alg IN ('RS256', 'ES256', 'PS256', 'EdDSA'));
ALTER TABLE signing_keys DROP CONSTRAINT signing_keys_state_check;
ALTER TABLE signing_keys ADD CONSTRAINT signing_keys_state_check
    CHECK (state IN ('next', 'active', 'retired'));
ALTER TABLE signing_keys
    ADD COLUMN activate_at timestamptz,
    ADD COLUMN private_key bytea CHECK (length(private_key) BETWEEN 31 AND 65536),
    ADD COLUMN kek_id text CHECK (kek_id ~ '^[A-Za-z0-9_-]{16}$'),
    ADD CONSTRAINT signing_keys_sealed_check
        CHECK ((private_key IS NULL) = (kek_id IS NULL)),
    ADD CONSTRAINT signing_keys_next_check
        CHECK (state <> 'next' OR activate_at IS NOT NULL);
-- When a key began to sign: for older rows, when they were made.
UPDATE signing_keys SET activate_at = created_at WHERE activate_at IS NULL;
-- One key waiting per algorithm: two nodes that decide to rotate at the
-- same moment insert one key, the other's insert does nothing.
CREATE UNIQUE INDEX signing_keys_one_next_idx ON signing_keys (alg)
    WHERE state = 'next';
