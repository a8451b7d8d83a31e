/* Keycloak's realm export (kc.sh export, or the admin console's partial
 * export) into the CSV that `idpctl user import` reads: `idpctl user
 * convert-keycloak`. Each of users[] becomes a row; its password
 * credential (credentials[] of type "password": secretData and
 * credentialData, JSON kept as strings) becomes a password_hash
 * (crypto/pwimport.h: pbkdf2, pbkdf2-sha256, pbkdf2-sha512, argon2).
 * Attributes nip, phone_number (or phoneNumber), job_title and org_code
 * fill those columns; org is the organisation of rows without org_code. */
#ifndef IDP_CTL_KEYCLOAK_H
#define IDP_CTL_KEYCLOAK_H

#include <stddef.h>
#include <stdio.h>

struct kc_result {
	int users;		/* rows written */
	int disabled;		/* users with enabled false, left out */
	int no_password;	/* rows without a password credential */
};

/* 0, or -1 with why naming the user and what is wrong; nothing is
 * written to out unless every user converts. */
int kc_convert_realm(const char *json, size_t len, const char *org,
    FILE *out, struct kc_result *res, char *why, size_t whylen);

#endif
