-- A key below its allowance carries blocked_until = the time of its last
-- failure (the delay is zero), and now() is when the deciding transaction
-- began. An attempt whose transaction began a moment before a concurrent
-- failure committed therefore saw a "block" in its own past and was
-- refused for a second although nothing was over the allowance (seen with
-- a dozen reset requests from one address at once). Decide against the
-- clock instead of the transaction's start.
CREATE OR REPLACE FUNCTION throttle_begin(keys text[], frees integer[],
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
    allowed := blocked <= clock_timestamp();
    wait_s := CASE WHEN allowed THEN 0
        ELSE greatest(1, ceil(extract(epoch FROM
            blocked - clock_timestamp())))::integer
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
