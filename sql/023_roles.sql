-- Roles through memberships: developer of an organisation (manages its
-- clients, decides requests for its scopes); admin, helpdesk and auditor of
-- the operators' organisation (configuration key operator_organisation).
-- The table was unused before, so no row can break the check.
ALTER TABLE memberships
    ADD CONSTRAINT memberships_role_known
        CHECK (role IN ('developer', 'admin', 'helpdesk', 'auditor')),
    ADD COLUMN created_at timestamptz NOT NULL DEFAULT now();
CREATE INDEX memberships_user_idx ON memberships (user_id);
