-- Token exchange (RFC 8693): an access token a service got by exchanging a
-- person's token is a row of access_tokens like any other (the person's
-- user_id, the grant of the subject token, so that revoking that grant
-- ends it too), issued to the service that exchanged it, for one
-- audience, and with the chain of actors when it was a delegation.
ALTER TABLE access_tokens
    ADD COLUMN audience text,
    ADD COLUMN act jsonb CHECK (act IS NULL OR jsonb_typeof(act) = 'object');
