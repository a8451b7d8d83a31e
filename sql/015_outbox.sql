-- One outbox for everything the provider sends after the request that
-- caused it: mail now, back-channel logout tokens and other pushes later.
-- A row is written in the same transaction as the event, so the event and
-- the promise to tell someone about it commit (or vanish) together. A
-- delivery worker in every idp process claims due rows with FOR UPDATE
-- SKIP LOCKED and a lease (next_attempt_at moved past the lease), sends
-- them, and records the outcome. Delivered and failed rows lose their
-- payload at once and are purged after the retention period.
CREATE TABLE outbox (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind            text NOT NULL CHECK (kind ~ '^[a-z][a-z0-9_]{0,31}$'),
    -- What idpctl outbox status groups by within a kind: the mail's
    -- template (password_reset), later a logout token's client_id.
    label           text NOT NULL CHECK (length(label) BETWEEN 1 AND 128),
    -- Where it goes: a mail address, a logout URI.
    target          text NOT NULL CHECK (length(target) BETWEEN 1 AND 2048),
    -- What is sent (a whole RFC 5322 message, a logout token); NULL once
    -- delivered or failed: a reset link must not outlive its delivery.
    payload         text,
    user_id         bigint REFERENCES users (id),
    state           text NOT NULL DEFAULT 'pending'
                    CHECK (state IN ('pending', 'delivered', 'failed')),
    created_at      timestamptz NOT NULL DEFAULT now(),
    -- Due when pending and next_attempt_at <= now(); a claim moves it past
    -- the lease, so a crashed instance's rows come due again by themselves.
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    give_up_at      timestamptz NOT NULL,
    attempts        integer NOT NULL DEFAULT 0,
    leased_by       text,
    leased_until    timestamptz,
    last_error      text,
    last_status     integer,
    done_at         timestamptz,
    CHECK ((state = 'pending') = (done_at IS NULL)),
    CHECK (state = 'pending' OR payload IS NULL)
);
CREATE INDEX outbox_due_idx ON outbox (next_attempt_at) WHERE state = 'pending';
CREATE INDEX outbox_done_idx ON outbox (done_at) WHERE state <> 'pending';
CREATE INDEX outbox_kind_idx ON outbox (kind, state);
