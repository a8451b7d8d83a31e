# shellcheck shell=bash
# libqrencode-dev: the QR code of a TOTP key, drawn as SVG (page/qr.c);
# libcbor-dev: WebAuthn attestation objects and COSE keys
# (crypto/webauthn.c).
# Debian packages the provider needs to build, test and run, installed
# with apt when missing (as root). Sourced by deploy/demo.sh, tests/run.sh
# and bench/run.sh, which read the lists below.
# shellcheck disable=SC2034

IDP_BUILD_PKGS="meson ninja-build gcc pkg-config libssl-dev libjwt-dev
libmicrohttpd-dev libpq-dev libjansson-dev libargon2-dev libcurl4-openssl-dev
libpsl-dev libicu-dev libcrypt-dev libunistring-dev libcrack2-dev cracklib-runtime
check postgresql-15 postgresql-client-15 curl ca-certificates tzdata
libqrencode-dev libcbor-dev"
# python3-authlib: a relying party of the interop suite (/usr/bin/python3).
# python3-aiosmtpd: the real SMTP server the mail tests and the mail
# benchmark start on loopback.
# golang-go, golang-github-coreos-go-oidc-dev, golang-golang-x-oauth2-dev:
# Go's go-oidc relying party of the interop suite, built offline from
# /usr/share/gocode (tests/interop/gooidc_rp/).
IDP_TEST_PKGS="nodejs npm jq shellcheck chromium python3-authlib python3-requests python3-aiosmtpd
golang-go golang-github-coreos-go-oidc-dev golang-golang-x-oauth2-dev"
IDP_BENCH_PKGS="wrk"
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
	apt-get update -qq >/dev/null &&
		apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}
