/* Private to store/: the SQL that writes back-channel logout rows, shared
 * by the statements that end sessions (usersession.c, session.c). */
#ifndef IDP_STORE_LOGOUT_ROWS_H
#define IDP_STORE_LOGOUT_ROWS_H

/* The outbox rows of back-channel logout (core/logout.c), as a CTE named o
 * over a CTE sessions of ended sessions (id, sid, user_id): one row per
 * session and service it reached that registered a backchannel_logout_uri,
 * written by the statement that ends the sessions, so the end and the
 * promise to tell the services commit together. The payload holds what
 * the token says (the person's public sub, and what decides the client's
 * subject: oidc/subject.h); it is signed when it is sent, so its exp stays short
 * however long a service was down. give_up: a parameter, seconds. */
#define IDP_LOGOUT_ROWS(sessions, give_up) \
	"o AS (INSERT INTO outbox (kind, label, target, payload, user_id, " \
	"give_up_at) SELECT 'logout', cl.client_id, " \
	"cl.metadata->>'backchannel_logout_uri', jsonb_build_object('sub', " \
	"u.sub::text, 'sid', e.sid, 'jti', gen_random_uuid()::text, 'alg', " \
	"cl.metadata->>'id_token_signed_response_alg', 'subject', " \
	"jsonb_build_object('subject_type', cl.metadata->'subject_type', " \
	"'sector_identifier_uri', cl.metadata->'sector_identifier_uri', " \
	"'redirect_uris', cl.metadata->'redirect_uris'))::text, e.user_id, " \
	"now() + make_interval(secs => " give_up ") FROM " sessions " e " \
	"JOIN session_clients sc ON sc.session_id = e.id " \
	"JOIN clients cl ON cl.client_id = sc.client_id " \
	"JOIN users u ON u.id = e.user_id " \
	"WHERE cl.metadata ? 'backchannel_logout_uri' RETURNING 1)"

#endif
