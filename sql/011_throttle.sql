-- Sign-in defence (core/throttle.c, docs/security.md): failed guesses of a
-- secret are counted per key (an account, a source address, a known
-- browser, for each kind of secret), each key a leaky bucket: `level`
-- failures that drain at free/window per second. Past `free` failures each
-- further attempt must wait base * 2^(level - free - 1) seconds, at most
-- cap. Keys are SHA-256 (hex) of "scope|kind|value", so that what a person
-- typed into the name field is never stored.
DROP TABLE login_failures;

CREATE TABLE throttle (
    key           text PRIMARY KEY CHECK (key ~ '^[0-9a-f]{64}$'),
    level         double precision NOT NULL CHECK (level >= 0),
    free          integer NOT NULL CHECK (free >= 1),
    updated_at    timestamptz NOT NULL,
    blocked_until timestamptz NOT NULL
);
CREATE INDEX throttle_updated_idx ON throttle (updated_at);

-- The level of a row now: what drained away since it was last written.
CREATE FUNCTION throttle_level(level double precision, updated_at timestamptz,
    free integer, window_s integer) RETURNS double precision
LANGUAGE sql STABLE AS $$
    SELECT greatest(0, level - extract(epoch FROM now() - updated_at)
                           * free / window_s)
$$;

-- How long the next attempt waits after a failure brought a key to level.
CREATE FUNCTION throttle_delay(level double precision, free integer,
    base_s integer, cap_s integer) RETURNS interval
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN level <= free THEN interval '0'
        ELSE make_interval(secs => least(cap_s::double precision,
            base_s * power(2, least(40, level - free - 1)))) END
$$;

-- One attempt at a secret, decided and counted in one statement. keys[i]
-- is counted before the secret is checked when reserve[i] (an account, a
-- known browser: a burst of concurrent guesses counts in full, and only
-- those the rules allow are checked); otherwise only checked here and
-- counted by throttle_failed once the check failed (a source address,
-- which many people may share: their successful sign-ins must not slow
-- one another). A refused attempt counts against every key but does not
-- push the wait further. Rows are locked in key order, so concurrent
-- attempts never wait on each other in a cycle.
CREATE FUNCTION throttle_begin(keys text[], frees integer[],
    reserve boolean[], base_s integer, cap_s integer, window_s integer,
    OUT allowed boolean, OUT wait_s integer, OUT level double precision)
LANGUAGE plpgsql AS $$
DECLARE
    i integer;
    blocked timestamptz := '-infinity';
    b timestamptz;
BEGIN
    FOR i IN SELECT o FROM unnest(keys) WITH ORDINALITY AS u(k, o)
             ORDER BY k LOOP
        IF reserve[i] THEN
            INSERT INTO throttle AS t VALUES (keys[i], 0, frees[i], now(),
                '-infinity') ON CONFLICT (key) DO NOTHING;
            SELECT t.blocked_until INTO b FROM throttle t
                WHERE t.key = keys[i] FOR UPDATE;
        ELSE
            SELECT t.blocked_until INTO b FROM throttle t
                WHERE t.key = keys[i];
        END IF;
        blocked := greatest(blocked, coalesce(b, '-infinity'));
    END LOOP;
    allowed := blocked <= now();
    wait_s := CASE WHEN allowed THEN 0
        ELSE greatest(1, ceil(extract(epoch FROM blocked - now())))::integer
        END;
    level := 0;
    FOR i IN SELECT o FROM unnest(keys) WITH ORDINALITY AS u(k, o)
             ORDER BY k LOOP
        CONTINUE WHEN allowed AND NOT reserve[i];
        INSERT INTO throttle AS t VALUES (keys[i], 1, frees[i], now(),
            '-infinity')
        ON CONFLICT (key) DO UPDATE SET
            level = throttle_level(t.level, t.updated_at, t.free, window_s)
                    + 1,
            free = EXCLUDED.free,
            updated_at = now(),
            blocked_until = CASE WHEN allowed THEN now() + throttle_delay(
                throttle_level(t.level, t.updated_at, t.free, window_s) + 1,
                EXCLUDED.free, base_s, cap_s) ELSE t.blocked_until END
        RETURNING greatest(throttle_begin.level, t.level)
            INTO throttle_begin.level;
    END LOOP;
END $$;

-- A failed check: count it against the keys that were only checked before
-- (source addresses), and make the next attempt from there wait.
CREATE FUNCTION throttle_failed(keys text[], frees integer[], base_s integer,
    cap_s integer, window_s integer) RETURNS double precision
LANGUAGE sql AS $$
    INSERT INTO throttle AS t
    SELECT k, 1, f, now(), now() + throttle_delay(1, f, base_s, cap_s)
    FROM unnest(keys, frees) AS u(k, f) ORDER BY k
    ON CONFLICT (key) DO UPDATE SET
        level = throttle_level(t.level, t.updated_at, t.free, window_s) + 1,
        free = EXCLUDED.free,
        updated_at = now(),
        blocked_until = greatest(t.blocked_until, now() + throttle_delay(
            throttle_level(t.level, t.updated_at, t.free, window_s) + 1,
            EXCLUDED.free, base_s, cap_s))
    RETURNING level
$$;

-- A successful check gives back the attempt it counted beforehand; the
-- rest drains with time, so an attacker who keeps guessing stays slowed.
CREATE FUNCTION throttle_succeeded(keys text[], window_s integer)
RETURNS void LANGUAGE sql AS $$
    UPDATE throttle t SET
        level = greatest(0, throttle_level(t.level, t.updated_at, t.free,
                window_s) - 1),
        updated_at = now()
    WHERE t.key = ANY (keys)
$$;
