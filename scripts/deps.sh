#!/usr/bin/env bash
# Installs what `make demo` or `make test` needs on a Debian machine, and nothing that is already
# there. Usage: scripts/deps.sh demo|test
#
#   demo  Node.js and npm (the CLI and its package), clang and lld (ring for wasm32), the Rust
#         wasm32 target; wasm-bindgen-cli and the npm packages come from `make wasm`.
#   test  demo's, plus c-ares, libcurl (the C host's HTTP) and OpenSSL headers, pkg-config and CMake (reference C host, install
#         test), valgrind (C leak check), GNU time (peak RSS of the hosts under floods),
#         bsdutils' `script` (a pseudo-terminal for the bulk progress line), Debian's chromium
#         (browser tests, never a downloaded browser), Knot, Unbound, ldns, Dovecot, Postfix and nginx (the loopback test world),
#         BIND's dnssec-signzone and delv (signing testdata/dnssec/, validating the zone host's answers), rustfmt
#         and clippy.
#
# Run as root (or with password-less sudo) it installs the missing Debian packages itself; run
# otherwise it prints the one `apt-get install` line to run and exits 1. Packages never start
# their system daemons here: the test world runs its own on loopback.
set -euo pipefail
what=${1:-test}

demo_pkgs=(build-essential pkg-config python3 clang lld)
test_pkgs=("${demo_pkgs[@]}" libc-ares-dev libcurl4-openssl-dev libssl-dev openssl cmake valgrind chromium time
  bsdutils knot knot-dnsutils unbound ldnsutils bind9-utils bind9-dnsutils dovecot-imapd dovecot-pop3d postfix nginx)
case "$what" in
  demo) pkgs=("${demo_pkgs[@]}") ;;
  test) pkgs=("${test_pkgs[@]}") ;;
  *) echo "usage: scripts/deps.sh demo|test" >&2; exit 2 ;;
esac

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Node.js may come from another repository that bundles npm: Debian's only when absent.
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)

if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    sudo=()
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo=(sudo -n)
  else
    echo "deps: missing Debian packages; as root, run:" >&2
    echo "  apt-get install -y --no-install-recommends ${missing[*]}" >&2
    exit 1
  fi
  echo "deps: installing ${missing[*]}"
  # No package may start its daemon (Knot, Unbound, Dovecot, Postfix, nginx): policy-rc.d says no.
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' | "${sudo[@]}" tee /usr/sbin/policy-rc.d >/dev/null
    "${sudo[@]}" chmod +x /usr/sbin/policy-rc.d
  fi
  echo "postfix postfix/main_mailer_type select No configuration" | "${sudo[@]}" debconf-set-selections
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if ! command -v cargo >/dev/null 2>&1; then
  echo "deps: cargo is required: install Rust with rustup (https://rustup.rs)" >&2
  exit 1
fi
if command -v rustup >/dev/null 2>&1; then
  rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
  if [ "$what" = test ]; then
    for c in rustfmt clippy; do
      rustup component list --installed | grep -q "^$c" || rustup component add "$c"
    done
  fi
fi
echo "deps: everything \`make $what\` needs is installed"
