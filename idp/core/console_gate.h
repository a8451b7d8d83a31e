/* Who may open the operator console (/admin), decided in one place.
 *
 * Two conditions, both checked on every console request:
 *   1. a role of the operators' organisation (core/roles.h:
 *      IDP_ACT_CONSOLE, then per page the action it needs);
 *   2. a second factor in the session (idp_console_second_factor_ok).
 *
 * The second factor: until the provider's TOTP and passkey sign-in exist,
 * sessions carry amr "pwd" only, and the rule can look at nothing but
 * the session's amr (RFC 8176 values) and acr. When the second-factor
 * module provides its own function that says whether a session used a
 * second factor, idp_console_second_factor_ok is the one place to call
 * it (replacing amr_has_second_factor); nothing else in the console
 * decides this. console_require_second_factor = false (development and
 * the test stack only) lets a password-only session in. */
#ifndef IDP_CORE_CONSOLE_GATE_H
#define IDP_CORE_CONSOLE_GATE_H

#include <stdbool.h>

#include "config.h"
#include "store/session.h"

/* The session's amr (space-separated) names a second factor: otp, hwk,
 * swk, sc, fpt, face, mfa (RFC 8176). Pure. */
bool idp_amr_has_second_factor(const char *amr);

/* May this session open the console, as far as the second factor goes? */
bool idp_console_second_factor_ok(const struct idp_config *cfg,
    const struct idp_session *s);

#endif
