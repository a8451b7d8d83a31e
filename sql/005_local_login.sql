-- Sign-in to the provider's own pages (/account; later the developer portal
-- and the operator console): a pending login that is not an OAuth
-- authorization. It has no client and no authorization request; after the
-- password it ends at next_path, a path on the provider's own origin.
ALTER TABLE login_requests
    ALTER COLUMN client_id DROP NOT NULL,
    ADD COLUMN next_path text,
    ADD CONSTRAINT login_requests_one_target
        CHECK ((client_id IS NULL) <> (next_path IS NULL)),
    ADD CONSTRAINT login_requests_local_path
        CHECK (next_path IS NULL OR (next_path LIKE '/%' AND next_path NOT LIKE '//%'));
