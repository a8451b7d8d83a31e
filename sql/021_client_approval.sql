-- Registration under governance: a self-registered client waits for an
-- operator's approval before it can be used, unless the initial access
-- token it came with was created to approve at once. Clients registered
-- before this migration (manifests, idpctl) stay approved.
ALTER TABLE clients
    ADD COLUMN approval text NOT NULL DEFAULT 'approved'
        CHECK (approval IN ('pending', 'approved', 'rejected')),
    ADD COLUMN approval_reason text
        CHECK (approval_reason IS NULL OR length(approval_reason) <= 500),
    ADD COLUMN approval_at timestamptz,
    ADD COLUMN approval_by text;
CREATE INDEX clients_pending_idx ON clients (created_at) WHERE approval = 'pending';

ALTER TABLE initial_access_tokens
    ADD COLUMN auto_approve boolean NOT NULL DEFAULT false;
