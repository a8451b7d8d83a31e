-- A pending login is bound to the browser that opened it (login CSRF):
-- the digest of the browser's idp_browser cookie. Pending logins are
-- short-lived, so the few in flight during an upgrade are dropped.
DELETE FROM login_requests;
ALTER TABLE login_requests
    ADD COLUMN browser_digest bytea NOT NULL CHECK (length(browser_digest) = 32),
    ADD COLUMN user_id bigint REFERENCES users (id),
    ADD COLUMN session_id bigint REFERENCES sessions (id) ON DELETE CASCADE;

-- Failed password checks per username (case-insensitive), for throttling
-- guessing: after too many within a window, further attempts are refused
-- until the window passes. Kept for unknown usernames too, so the
-- throttle says nothing about who exists.
CREATE TABLE login_failures (
    username      text PRIMARY KEY,   -- lower(username)
    failures      integer NOT NULL,
    window_start  timestamptz NOT NULL
);
