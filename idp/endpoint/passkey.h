/* Passkeys (WebAuthn Level 2): the ceremonies' options for the pages and
 * the checks of their results (§7.1 registration, §7.2 authentication).
 * The relying party id is the issuer's host; an issuer whose host is an IP
 * address cannot have passkeys (browsers refuse such an rpId), and the
 * pages then do not offer them. */
#ifndef IDP_ENDPOINT_PASSKEY_H
#define IDP_ENDPOINT_PASSKEY_H

#include <stdbool.h>

#include "http/req.h"
#include "store/directory.h"

/* Whether this provider can offer passkeys (its issuer has a host name). */
bool idp_passkey_available(struct idp_req *rq);

/* Options for navigator.credentials.get for the person's passkeys, with a
 * fresh challenge (stored, used once); *json NULL when passkeys are not
 * available. */
enum idp_err idp_passkey_request(struct idp_req *rq, long long user_id,
    const char **json);
/* Options for navigator.credentials.create: ES256 and RS256, attestation
 * none, user verification preferred, the person's passkeys excluded. */
enum idp_err idp_passkey_create_options(struct idp_req *rq,
    const struct idp_user *user, const char **json);

/* The result of the get ceremony in the posted form (credential_id,
 * client_data, authenticator_data, signature): *ok when it verifies for
 * one of the person's passkeys and its counter moved on (recorded). */
enum idp_err idp_passkey_verify_login(struct idp_req *rq, long long user_id,
    bool *ok);
/* The result of the create ceremony (credential_id, client_data,
 * attestation): *ok when it verifies; the passkey is stored. */
enum idp_err idp_passkey_register(struct idp_req *rq,
    const struct idp_user *user, bool *ok);

#endif
