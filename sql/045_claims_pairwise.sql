-- The claims request parameter (OIDC Core §5.5) lives as long as the
-- authorization it was made in: the code carries it already
-- (authorization_codes.claims), the grant keeps it for refreshed ID tokens
-- and for every later userinfo call.
ALTER TABLE grants ADD COLUMN claims jsonb;

-- Pairwise subject identifiers (OIDC Core §8.1): sub = SHA-256 of the
-- sector identifier, the person's public sub and this salt. One row, made
-- here from the server's strong random source (gen_random_uuid draws on
-- it), so every idp instance computes the same identifiers and they
-- survive restarts. Secret: it is never shown, logged or changed (a new
-- salt would give every pairwise client new subjects).
CREATE TABLE pairwise_salt (
    id            boolean PRIMARY KEY DEFAULT true CHECK (id),
    salt          bytea NOT NULL CHECK (length(salt) = 32),
    created_at    timestamptz NOT NULL DEFAULT now()
);
INSERT INTO pairwise_salt (salt)
    SELECT decode(replace(gen_random_uuid()::text || gen_random_uuid()::text,
        '-', ''), 'hex');
