-- The operator console and idpctl user delete.
--
-- A person is never deleted as a row (a sub is never reassigned): "user
-- delete" erases what identifies them and marks the row deleted_at. The
-- username becomes "deleted.<id>", the name "-", every other attribute
-- is cleared; factors, consents, memberships and pending resets are
-- removed; sessions end and every grant is revoked.
ALTER TABLE users ADD COLUMN deleted_at timestamptz;

-- People search in the console (name, username, e-mail: substrings;
-- NIP: exact or a prefix through users_nip_idx) over the whole province
-- directory: trigram indexes, so a word from the middle of a name is an
-- index scan and not a read of 33,000 rows.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX users_search_trgm_idx ON users USING gin (
    (lower(name) || ' ' || lower(username) || ' ' || coalesce(lower(email), ''))
    gin_trgm_ops) WHERE deleted_at IS NULL;

-- The list in name order (deep pages walk the index, no sort), and what
-- looks like an identifier (a dot, @ or _ in it): a prefix of the
-- username or the e-mail, through pattern indexes.
CREATE INDEX users_name_order_idx ON users (lower(name), id) INCLUDE (name)
    WHERE deleted_at IS NULL;
CREATE INDEX users_username_prefix_idx ON users (lower(username) text_pattern_ops)
    WHERE deleted_at IS NULL;
CREATE INDEX users_email_prefix_idx ON users (lower(email) text_pattern_ops)
    WHERE deleted_at IS NULL AND email IS NOT NULL;

-- The console's and the report's questions of the audit log: events of a
-- kind over time (sign-ins per day and service).
CREATE INDEX audit_log_event_idx ON audit_log (event, at);
