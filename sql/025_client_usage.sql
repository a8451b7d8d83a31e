-- What the developer portal shows a service's developers about its use:
-- per client and day (in the provider's time zone, time_zone) the sign-ins
-- (authorization codes redeemed), the token requests and the failed ones;
-- and the client's last errors at the token endpoint. idp counts in memory
-- and adds its counts every few seconds (core/usage.c), so the token
-- endpoint itself writes nothing for them. Rows go with their client.
CREATE TABLE client_usage_daily (
    client_id      text NOT NULL REFERENCES clients (client_id) ON DELETE CASCADE,
    day            date NOT NULL,
    signins        bigint NOT NULL DEFAULT 0 CHECK (signins >= 0),
    token_requests bigint NOT NULL DEFAULT 0 CHECK (token_requests >= 0),
    token_errors   bigint NOT NULL DEFAULT 0 CHECK (token_errors >= 0),
    PRIMARY KEY (client_id, day)
);
CREATE INDEX client_usage_daily_day_idx ON client_usage_daily (day);

-- The last few errors of a client (the newest 20 are kept), as the client
-- was told them: the OAuth error code and its error_description.
CREATE TABLE client_errors (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    client_id   text NOT NULL REFERENCES clients (client_id) ON DELETE CASCADE,
    at          timestamptz NOT NULL,
    endpoint    text NOT NULL CHECK (length(endpoint) BETWEEN 1 AND 64),
    error       text NOT NULL CHECK (length(error) BETWEEN 1 AND 64),
    description text NOT NULL DEFAULT '' CHECK (length(description) <= 300)
);
CREATE INDEX client_errors_client_idx ON client_errors (client_id, id);
