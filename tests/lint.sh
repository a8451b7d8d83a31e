#!/usr/bin/env bash
# Layering and hygiene rules HACKING.md promises, checked on every run:
# libraries stay in their layer, banned functions stay out.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root/idp"
fail=0
report() { echo "lint: $1"; shift; printf '  %s\n' "$@"; fail=1; }

check_only() {	# HEADER ALLOWED_DIRS...
	local header=$1 hits
	shift
	hits=$(grep -rln --include='*.[ch]' "#include <$header" . | sed 's|^\./||')
	for d in "$@"; do hits=$(echo "$hits" | grep -v "^$d" || true); done
	[ -z "$hits" ] || report "<$header> used outside $*" $hits
}

check_only 'openssl/' crypto/
check_only 'libpq-fe.h' store/
check_only 'microhttpd.h' daemon/server.c
check_only 'curl/' core/jwks_fetch.c
check_only 'argon2.h' crypto/

hits=$(grep -rnE --include='*.[ch]' '\b(sprintf|vsprintf|strcpy|strcat|strncpy|strtok|atoi|atol|gets)\s*\(' . || true)
[ -z "$hits" ] || report "banned functions" "$hits"

# Endpoint code talks to neither the database nor OpenSSL directly.
hits=$(grep -rnE --include='*.c' '\bPQ[a-z]+\(|\bEVP_|\bMHD_' endpoint/ oidc/ || true)
[ -z "$hits" ] || report "library calls in endpoint/ or oidc/" "$hits"

# The HTTP vocabulary (http/) sits below everything that uses it: it may
# not reach up into core/, endpoint/ or the daemon; and only main.c and the
# daemon itself see daemon/ (the server and the router on top).
hits=$(grep -rnE --include='*.[ch]' '#include "(core|endpoint|daemon)/' http/ || true)
[ -z "$hits" ] || report "http/ includes a higher layer" "$hits"
hits=$(grep -rnE --include='*.[ch]' '#include "daemon/' \
	core/ endpoint/ oidc/ store/ crypto/ util/ http/ ctl/ || true)
[ -z "$hits" ] || report "daemon/ included from below" "$hits"

[ $fail -eq 0 ] && echo "lint: ok"
exit $fail
