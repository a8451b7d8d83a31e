# shellcheck shell=bash
# Debian packages the provider needs to build, test and run, installed
# with apt when missing (as root). Sourced by deploy/demo.sh, tests/run.sh
# and bench/run.sh, which read the lists below.
# shellcheck disable=SC2034

# libqrencode-dev: the QR code of a TOTP key, drawn as SVG (page/qr.c);
# libcbor-dev: WebAuthn attestation objects and COSE keys
# (crypto/webauthn.c).
IDP_BUILD_PKGS="meson ninja-build gcc pkg-config libssl-dev
libmicrohttpd-dev libpq-dev libjansson-dev libargon2-dev libcurl4-openssl-dev
libpsl-dev libicu-dev libcrypt-dev libunistring-dev libcrack2-dev cracklib-runtime
check postgresql-15 postgresql-client-15 curl ca-certificates tzdata
libqrencode-dev libcbor-dev"
# The SPBE portal (clients/spbe-portal/): Apache with mod_auth_openidc and
# PHP, started on loopback by deploy/demo.sh and the tests.
IDP_PORTAL_PKGS="apache2 libapache2-mod-auth-openidc libapache2-mod-php"
# python3-authlib: a relying party of the interop suite (/usr/bin/python3);
# python3-aiosmtpd: the real SMTP server the mail tests and the mail
# benchmark start on loopback; python3-flask: the developer guide's Authlib
# example, which the interop suite runs (tests/interop/guide.test.mjs);
# php-cli: the SPBE portal's unit test; libjwt-dev: an independent JWS
# implementation the unit tests check signatures against.
# golang-go, golang-github-coreos-go-oidc-dev, golang-golang-x-oauth2-dev:
# Go's go-oidc relying party of the interop suite, built offline from
# /usr/share/gocode (tests/interop/gooidc_rp/).
# apache2 + libapache2-mod-auth-openidc (in IDP_PORTAL_PKGS) are also the
# off-the-shelf relying party of the back-channel logout interop test
# (tests/interop/apache.mjs); prometheus: the real scraper of the metrics
# test (tests/e2e/metrics.test.mjs).
IDP_TEST_PKGS="nodejs npm jq shellcheck chromium python3-authlib python3-requests
python3-aiosmtpd python3-flask php-cli libjwt-dev $IDP_PORTAL_PKGS
golang-go golang-github-coreos-go-oidc-dev golang-golang-x-oauth2-dev
prometheus"
IDP_BENCH_PKGS="wrk"
# The ha suite: the Debian package (debhelper, scdoc for the man pages,
# which the build uses too) and the HA topology of deploy/ha/ (Patroni,
# etcd, HAProxy). Installing them starts no service where policy-rc.d
# forbids it; the suite runs its own on loopback.
IDP_HA_PKGS="build-essential debhelper dpkg-dev scdoc patroni etcd-server haproxy"
# The fuzz suite (tests/fuzz/) builds with clang and links libFuzzer.
IDP_FUZZ_PKGS="clang libclang-rt-14-dev"

idp_install_deps() {
	local missing=() p
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
			grep -q 'install ok installed' || missing+=("$p")
	done
	# A machine may bring its own Node.js (>= 20) outside dpkg.
	if command -v node >/dev/null 2>&1; then
		local kept=()
		for p in "${missing[@]}"; do
			case $p in nodejs | npm) ;; *) kept+=("$p") ;; esac
		done
		missing=("${kept[@]}")
	fi
	[ ${#missing[@]} -eq 0 ] && return 0
	if [ "$(id -u)" != 0 ]; then
		echo "missing packages: ${missing[*]} (run as root to install them)" >&2
		return 1
	fi
	echo "installing: ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	# Packages must not start system services here (apache2 would listen on
	# port 80 of every address): the scripts start what they need on
	# loopback. policy-rc.d exit 101 tells invoke-rc.d so.
	local policy=/usr/sbin/policy-rc.d made=0 rc=0
	if [ ! -e $policy ]; then
		printf '#!/bin/sh\nexit 101\n' >$policy && chmod 755 $policy && made=1
	fi
	apt-get update -qq >/dev/null &&
		apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null ||
		rc=$?
	[ $made -eq 0 ] || rm -f $policy
	return $rc
}
