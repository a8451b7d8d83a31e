-- A rotation records what it issued: the refresh token that replaces the
-- one presented, and the digest of the access token answered with it. A
-- client that presents the old token again soon after, while that
-- successor was never used, is retrying a refresh whose answer it never
-- received (a failover of PostgreSQL, an idp node lost, a cut connection);
-- with refresh_token_reuse_grace set that retry is answered instead of
-- being taken for reuse (docs/security.md, Refresh tokens), once:
-- retried_at says when. Nullable without a default: adding them rewrites
-- nothing.
ALTER TABLE refresh_tokens
    ADD COLUMN retried_at timestamptz,
    ADD COLUMN successor_digest bytea
        CHECK (successor_digest IS NULL OR length(successor_digest) = 32),
    ADD COLUMN successor_at_digest bytea
        CHECK (successor_at_digest IS NULL OR length(successor_at_digest) = 32);
