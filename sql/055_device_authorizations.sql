-- The device authorization grant (RFC 8628): a kiosk or a command-line
-- tool asks for a pair of codes, shows the short one to a person, who
-- signs in on a phone, types it at /device and approves; meanwhile the
-- device polls the token endpoint with the long one. Both codes are kept
-- as SHA-256 digests only.
--
-- status: pending -> approved or denied (by the person) -> used (the
-- tokens were issued, grant_id). user_id is the person who entered the
-- user code first: from then on only they can decide. interval_s grows
-- by 5 s each time the device polls sooner than it (slow_down, §3.5).
CREATE TABLE device_authorizations (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    device_code_digest bytea NOT NULL UNIQUE
                    CHECK (length(device_code_digest) = 32),
    user_code_digest bytea NOT NULL UNIQUE
                    CHECK (length(user_code_digest) = 32),
    client_id       text NOT NULL,
    scope           text NOT NULL,
    status          text NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'approved', 'denied', 'used')),
    interval_s      integer NOT NULL CHECK (interval_s BETWEEN 1 AND 3600),
    created_at      timestamptz NOT NULL DEFAULT now(),
    expires_at      timestamptz NOT NULL,
    last_poll_at    timestamptz,
    ip              inet,                 -- where the device asked from
    user_id         bigint REFERENCES users (id),
    session_id      bigint REFERENCES sessions (id) ON DELETE SET NULL,
    auth_time       timestamptz,
    acr             text,
    amr             text[],
    decided_at      timestamptz,
    used_at         timestamptz,
    grant_id        uuid REFERENCES grants (id) ON DELETE SET NULL,
    CHECK (status = 'pending' OR (user_id IS NOT NULL AND decided_at IS NOT NULL))
);
CREATE INDEX device_authorizations_expires_idx ON device_authorizations (expires_at);

-- Wrong user codes typed at /device, per person and per source address,
-- in fixed windows (docs/security.md, "Device codes").
CREATE TABLE device_code_guesses (
    key           text PRIMARY KEY,   -- 'user:<id>' or 'ip:<address>'
    failures      integer NOT NULL CHECK (failures >= 0),
    window_start  timestamptz NOT NULL
);
CREATE INDEX device_code_guesses_window_idx ON device_code_guesses (window_start);
