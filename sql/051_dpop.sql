-- DPoP (RFC 9449): tokens bound to the client's key, and the proofs seen.
-- A binding is the key's RFC 7638 JWK thumbprint (jkt, 43 characters).

-- §10: a code of a request with dpop_jkt (or pushed with a DPoP proof)
-- can only be exchanged with a proof of that key.
ALTER TABLE authorization_codes
    ADD COLUMN dpop_jkt text CHECK (dpop_jkt IS NULL OR length(dpop_jkt) = 43);
-- §6: a DPoP-bound access token; JWT access tokens also carry cnf.jkt.
ALTER TABLE access_tokens
    ADD COLUMN jkt text CHECK (jkt IS NULL OR length(jkt) = 43);
-- §5: refresh tokens of public clients are bound to the key too.
ALTER TABLE refresh_tokens
    ADD COLUMN jkt text CHECK (jkt IS NULL OR length(jkt) = 43);

-- §11.1: each proof once. A jti is remembered, per key, for as long as its
-- proof could be accepted; every instance of the provider sees the same
-- rows, so a proof replayed to another instance is refused too.
CREATE TABLE dpop_jtis (
    jkt           text NOT NULL,
    jti           text NOT NULL,
    expires_at    timestamptz NOT NULL,
    PRIMARY KEY (jkt, jti)
);
CREATE INDEX dpop_jtis_expires_idx ON dpop_jtis (expires_at);
