/* WebAuthn Level 2 on the server: the parsers of what a browser sends
 * (clientDataJSON §5.8.1, authenticator data §6.1, the attestation object
 * §6.5 with CBOR by libcbor, COSE_Key of RFC 9052/9053 for ES256 and
 * RS256) and the assertion signature check (§7.2 steps 19-20) with
 * OpenSSL. Strict and bounded: everything here is outside input. The
 * ceremony rules (challenge, origin, rpIdHash, flags, counter) are the
 * caller's, in endpoint/passkey.c, on the parsed structs. */
#ifndef IDP_CRYPTO_WEBAUTHN_H
#define IDP_CRYPTO_WEBAUTHN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/arena.h"

#define IDP_WEBAUTHN_MAX 16384		/* any one field, decoded */
#define IDP_WEBAUTHN_CRED_ID_MAX 1023	/* §5.8.3 credential id */

/* Authenticator data flags (§6.1). */
#define IDP_WA_UP 0x01u
#define IDP_WA_UV 0x04u
#define IDP_WA_BE 0x08u
#define IDP_WA_BS 0x10u
#define IDP_WA_AT 0x40u
#define IDP_WA_ED 0x80u

struct idp_webauthn_client_data {
	const char *type;		/* webauthn.create / webauthn.get */
	unsigned char *challenge;	/* decoded */
	size_t challenge_len;
	const char *origin;
	bool cross_origin;
};

/* §5.8.1: a JSON object with string type, base64url challenge and
 * origin; -1 for anything else (not UTF-8 JSON, wrong types, too big). */
int idp_webauthn_client_data_parse(struct idp_arena *a,
    const unsigned char *json, size_t n, struct idp_webauthn_client_data *out)
	__attribute__((warn_unused_result));

struct idp_webauthn_auth_data {
	unsigned char rp_id_hash[32];
	uint8_t flags;
	uint32_t sign_count;
	/* With IDP_WA_AT (registration): the attested credential. */
	unsigned char aaguid[16];
	const unsigned char *cred_id;	/* points into the input */
	size_t cred_id_len;
	const unsigned char *cose_key;	/* points into the input */
	size_t cose_key_len;
	int alg;			/* COSE alg of the key: -7, -257 */
};

/* §6.1 authenticator data: 37 bytes, then (AT) the attested credential
 * whose public key must be a COSE_Key idp_cose_key_alg accepts, then (ED)
 * a CBOR map of extensions; nothing after. -1 otherwise. */
int idp_webauthn_auth_data_parse(const unsigned char *d, size_t n,
    struct idp_webauthn_auth_data *out) __attribute__((warn_unused_result));

/* §6.5 attestation object: a CBOR map of fmt (text), attStmt (map) and
 * authData (bytes). Only fmt "none" with an empty attStmt is accepted
 * (the provider does not ask for attestation); *auth_data is a copy in
 * the arena. -1 otherwise. */
int idp_webauthn_attestation_parse(struct idp_arena *a,
    const unsigned char *d, size_t n, unsigned char **auth_data,
    size_t *auth_data_len)
	__attribute__((warn_unused_result));

/* A COSE_Key (RFC 9053): EC2 P-256 with alg ES256 (-7) or RSA with
 * RS256 (-257), at least 2048 bits. The alg, or 0 when refused; *used
 * gets the length of the CBOR item. */
int idp_cose_key_alg(const unsigned char *d, size_t n, size_t *used);

/* §7.2 steps 19-20: sig (DER for ES256, PKCS #1 v1.5 for RS256) over
 * auth_data || SHA-256(client_data) with the COSE key. 0 when valid. */
int idp_webauthn_verify(const unsigned char *cose, size_t cose_len,
    const unsigned char *auth_data, size_t auth_data_len,
    const unsigned char *client_data, size_t client_data_len,
    const unsigned char *sig, size_t sig_len)
	__attribute__((warn_unused_result));

#endif
