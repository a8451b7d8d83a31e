-- Pushed authorization requests (RFC 9126): the parameters a client posted
-- to /par, waiting for the browser to bring their request_uri to
-- /authorize. The request_uri is urn:ietf:params:oauth:request_uri: and a
-- random reference; only the SHA-256 of the reference is kept. Used once,
-- by the client that pushed it, before expires_at.
CREATE TABLE pushed_requests (
    uri_digest    bytea PRIMARY KEY CHECK (length(uri_digest) = 32),
    client_id     text NOT NULL,
    -- The authorization request's parameters, name to text value, as the
    -- form (or the verified request object) carried them.
    params        jsonb NOT NULL CHECK (jsonb_typeof(params) = 'object'),
    -- They came in a signed request object (RFC 9101).
    signed_object boolean NOT NULL DEFAULT false,
    created_at    timestamptz NOT NULL DEFAULT now(),
    expires_at    timestamptz NOT NULL,
    used_at       timestamptz
);
CREATE INDEX pushed_requests_expires_idx ON pushed_requests (expires_at);
