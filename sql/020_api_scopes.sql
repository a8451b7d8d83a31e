-- API scopes as registered resources. A resource server is a client of the
-- directory (owned by its organisation) that offers scopes; its manifest
-- names the resource URIs that identify it as an audience (RFC 8707) and
-- who may have each scope. Standard OpenID scopes are not listed here: the
-- provider grants them by policy.

CREATE TABLE api_resources (
    resource    text PRIMARY KEY CHECK (length(resource) BETWEEN 1 AND 2000),
    client_id   text NOT NULL REFERENCES clients (client_id) ON DELETE CASCADE
);
CREATE INDEX api_resources_client_idx ON api_resources (client_id);

CREATE TABLE api_scopes (
    -- RFC 6749 §3.3 scope-token, and never a standard scope.
    scope       text PRIMARY KEY CHECK (scope ~ '^[!-~]{1,128}$'
                AND strpos(scope, '"') = 0 AND strpos(scope, E'\\') = 0
                AND scope NOT IN ('openid', 'profile', 'email', 'phone',
                                  'organisation', 'offline_access')),
    client_id   text NOT NULL REFERENCES clients (client_id) ON DELETE CASCADE,
    description text NOT NULL DEFAULT '' CHECK (length(description) <= 500),
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX api_scopes_client_idx ON api_scopes (client_id);

-- Who may have a scope, as its resource server's manifest says: one client,
-- or every client of an organisation. Replaced whole by each apply.
CREATE TABLE api_scope_allows (
    scope           text NOT NULL REFERENCES api_scopes (scope) ON DELETE CASCADE,
    client_id       text CHECK (client_id IS NULL OR length(client_id) <= 128),
    organisation_id bigint REFERENCES organisations (id) ON DELETE CASCADE,
    CHECK ((client_id IS NULL) <> (organisation_id IS NULL))
);
CREATE UNIQUE INDEX api_scope_allows_client_uidx ON api_scope_allows (scope, client_id)
    WHERE client_id IS NOT NULL;
CREATE UNIQUE INDEX api_scope_allows_org_uidx ON api_scope_allows (scope, organisation_id)
    WHERE organisation_id IS NOT NULL;
CREATE INDEX api_scope_allows_client_idx ON api_scope_allows (client_id);
CREATE INDEX api_scope_allows_org_idx ON api_scope_allows (organisation_id);

-- A client asks for another service's scope; a developer of the resource
-- server's organisation, or an operator, decides. At most one open
-- (pending or approved) request per client and scope; a rejected one may
-- be asked again.
CREATE TABLE scope_requests (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    client_id       text NOT NULL REFERENCES clients (client_id) ON DELETE CASCADE,
    scope           text NOT NULL REFERENCES api_scopes (scope) ON DELETE CASCADE,
    state           text NOT NULL DEFAULT 'pending'
                    CHECK (state IN ('pending', 'approved', 'rejected')),
    reason          text NOT NULL DEFAULT '' CHECK (length(reason) <= 500),
    requested_by    text NOT NULL,
    decided_by      text,
    decision_reason text CHECK (decision_reason IS NULL OR length(decision_reason) <= 500),
    created_at      timestamptz NOT NULL DEFAULT now(),
    decided_at      timestamptz,
    CHECK ((state = 'pending') = (decided_at IS NULL))
);
CREATE UNIQUE INDEX scope_requests_open_uidx ON scope_requests (client_id, scope)
    WHERE state <> 'rejected';
CREATE INDEX scope_requests_scope_idx ON scope_requests (scope, state);
