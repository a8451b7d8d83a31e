#!/usr/bin/env bash
# Layering and hygiene rules HACKING.md promises, checked on every run:
# libraries stay in their layer, banned functions stay out.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root/idp" || exit 1
fail=0
report() { echo "lint: $1"; shift; printf '  %s\n' "$@"; fail=1; }

check_only() {	# HEADER ALLOWED_DIRS...
	local header=$1 hits
	shift
	hits=$(grep -rln --include='*.[ch]' "#include <$header" . | sed 's|^\./||')
	for d in "$@"; do hits=$(echo "$hits" | grep -v "^$d" || true); done
	# shellcheck disable=SC2086 # one file a word
	[ -z "$hits" ] || report "<$header> used outside $*" $hits
}

check_only 'openssl/' crypto/
check_only 'libpq-fe.h' store/
check_only 'microhttpd.h' daemon/server.c
check_only 'curl/' core/fetch.c
check_only 'argon2.h' crypto/
check_only 'libpsl.h' oidc/site.c
check_only 'unicode/' oidc/client_name.c

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

# ---- Shell scripts: shellcheck, every severity --------------------------
# Every shell script of the repository (deploy/, tests/, bench/, .ci/ and
# wherever one is added): *.sh, or a #! line naming sh or bash. Sourced
# files say "# shellcheck shell=bash"; directives carry their reason.
shell_scripts() {
	local f
	if git -C "$root" rev-parse --git-dir >/dev/null 2>&1; then
		git -C "$root" ls-files --cached --others --exclude-standard
	else
		(cd "$root" && find . \( -name .git -o -name node_modules \
			-o -name 'build*' \) -prune -o -type f -print | sed 's|^\./||')
	fi | while IFS= read -r f; do
		[ -f "$root/$f" ] || continue
		case $f in
		*/node_modules/*) ;;
		*.sh) echo "$f" ;;
		*) head -n 1 "$root/$f" 2>/dev/null |
			grep -qE '^#!.*([/ ]|env )(ba|da)?sh( |$)' && echo "$f" ;;
		esac
	done
}
if ! command -v shellcheck >/dev/null 2>&1; then
	report "shellcheck is not installed (deploy/lib/deps.sh lists it)"
else
	mapfile -t sc_scripts < <(shell_scripts)
	if [ ${#sc_scripts[@]} -eq 0 ]; then
		report "shellcheck: no shell scripts found under $root"
	elif ! sc_out=$(cd "$root" && shellcheck -x -P SCRIPTDIR -S style -f gcc \
		"${sc_scripts[@]}" 2>&1); then
		mapfile -t sc_lines <<<"$sc_out"
		report "shellcheck (${#sc_scripts[@]} scripts)" "${sc_lines[@]}"
	fi
fi

# libpq stays inside store/, through headers too: no file outside store/
# may reach <libpq-fe.h> by any chain of project includes. Endpoints hold
# opaque handles (store/db.h); PGresult and the statement helpers live in
# headers private to store/ (store/sql.h). Every #include "..." is
# followed (the including file's folder first, then idp/), in idp/ and
# tests/; each finding prints its chain.
check_libpq_reach() {
	local hits=()
	# shellcheck disable=SC2016 # the single quotes hold an awk program
	mapfile -t hits < <(cd "$root" && find idp tests -name '*.[ch]' \
		-not -path '*/build*' -not -path '*/node_modules/*' | sort |
		xargs awk '
	function norm(p,   n, i, k, out, part, st) {
		n = split(p, part, "/"); k = 0
		for (i = 1; i <= n; i++) {
			if (part[i] == "." || part[i] == "") continue
			if (part[i] == ".." && k > 0) { k--; continue }
			st[++k] = part[i]
		}
		out = st[1]
		for (i = 2; i <= k; i++) out = out "/" st[i]
		return out
	}
	FNR == 1 { nf++; order[nf] = FILENAME; known[FILENAME] = 1 }
	/^[ \t]*#[ \t]*include[ \t]*<libpq-fe\.h>/ { dist[FILENAME] = 0 }
	/^[ \t]*#[ \t]*include[ \t]*"/ {
		inc = $0; sub(/^[^"]*"/, "", inc); sub(/".*/, "", inc)
		dir = FILENAME; sub(/[^\/]*$/, "", dir)
		raw[FILENAME, ++nraw[FILENAME]] = dir SUBSEP inc
	}
	END {
		# Resolve includes to scanned files.
		for (i = 1; i <= nf; i++) {
			f = order[i]
			for (j = 1; j <= nraw[f]; j++) {
				split(raw[f, j], p, SUBSEP)
				t = norm(p[1] p[2])
				if (!(t in known)) t = norm("idp/" p[2])
				if (t in known) edge[f, ++nedge[f]] = t
			}
		}
		# dist[f]: includes between f and <libpq-fe.h> (shortest).
		do {
			changed = 0
			for (i = 1; i <= nf; i++) {
				f = order[i]
				for (j = 1; j <= nedge[f]; j++) {
					t = edge[f, j]
					if ((t in dist) && (!(f in dist) || dist[t] + 1 < dist[f])) {
						dist[f] = dist[t] + 1; changed = 1
					}
				}
			}
		} while (changed)
		for (i = 1; i <= nf; i++) {
			f = order[i]
			if (f ~ /^idp\/store\// || !(f in dist)) continue
			c = f
			while (dist[f] > 0) {
				for (j = 1; j <= nedge[f]; j++) {
					t = edge[f, j]
					if ((t in dist) && dist[t] == dist[f] - 1) break
				}
				f = t; c = c " -> " f
			}
			print c " -> <libpq-fe.h>"
		}
	}')
	[ ${#hits[@]} -eq 0 ] ||
		report "<libpq-fe.h> reached outside store/" "${hits[@]}"
}
check_libpq_reach

[ $fail -eq 0 ] && echo "lint: ok"
exit $fail
