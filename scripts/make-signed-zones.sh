#!/usr/bin/env bash
# Signs the DNSSEC test hierarchy in testdata/dnssec/ (testdata/README.md, "Signed zones"):
# a private root, the TLD test. and the test domains under it, from the unsigned sources in
# testdata/dnssec/unsigned/, with ldns (ldns-keygen, ldns-signzone, ldns-key2ds: Debian's
# ldnsutils) and, for the TLD, BIND's dnssec-signzone (bind9-utils: unlike ldns-signzone it leaves
# the unsigned delegation out of the NSEC3 chain with opt-out, and its multi-line output format
# exercises the zone readers). Usage: scripts/make-signed-zones.sh [--new-keys]
#
# Every signature has the same fixed validity window, INCEPTION .. EXPIRATION below (the
# expired zone has its own, in the past), so the committed zones stay valid for tests that pass
# a fixed `--now` and for tools that use today's clock until 2036. The keys are TEST-ONLY keys
# committed in testdata/dnssec/keys/: re-running the script reuses them, so the DS records and
# the trust anchor (testdata/dnssec/root.anchor) stay the same. ECDSA signatures are randomised,
# so re-signing changes the RRSIG bytes of the ECDSA zones (not their validity); the RSA and
# Ed25519 signatures are deterministic (dnssec-signzone may order test.zone's records
# differently from one run to the next). `--new-keys` throws the keys away and makes new ones
# (every DS and the anchor change: commit everything together).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dir="$root/testdata/dnssec"
src="$dir/unsigned"
keys="$dir/keys"
INCEPTION=20260101000000
EXPIRATION=20360101000000
EXPIRED_INCEPTION=20200101000000
EXPIRED_EXPIRATION=20210101000000

for tool in ldns-keygen ldns-signzone ldns-key2ds dnssec-signzone openssl; do
  command -v "$tool" >/dev/null || { echo "make-signed-zones: $tool is missing (apt-get install ldnsutils bind9-utils openssl)" >&2; exit 1; }
done
[ "${1:-}" = --new-keys ] && rm -rf "$keys"
mkdir -p "$keys"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# key ZONE ALGORITHM BITS ksk|zsk: prints the key's base name (keys/K<zone>+<alg>+<tag>),
# making the key when the zone has none of that role yet.
key() {
  local zone=$1 alg=$2 bits=$3 role=$4 name base
  name=${zone%.}; [ -z "$name" ] && name=.
  local label=${zone%.}; [ -z "$label" ] && label=root
  base=$(cat "$keys/$role.$label" 2>/dev/null || true)
  if [ -z "$base" ] || [ ! -f "$keys/$base.private" ]; then
    local opts=(-a "$alg")
    [ "$bits" != - ] && opts+=(-b "$bits")
    [ "$role" = ksk ] && opts+=(-k)
    base=$(cd "$keys" && ldns-keygen "${opts[@]}" "$name")
    rm -f "$keys/$base.ds"
    echo "$base" > "$keys/$role.$label"
  fi
  echo "$keys/$base"
}

# sign ZONE FILE SIGNZONE-OPTIONS... -- KEYS...: signs unsigned/FILE (plus the DS records of its
# children gathered in $work/FILE.ds) into testdata/dnssec/FILE; writes the DS of its KSK to
# $work/ZONE.ds (SHA-256).
sign() {
  local zone=$1 file=$2; shift 2
  local opts=()
  while [ "$1" != -- ]; do opts+=("$1"); shift; done
  shift
  cat "$src/$file" > "$work/$file"
  [ -f "$work/$file.ds" ] && cat "$work/$file.ds" >> "$work/$file"
  [ -f "$work/$file.extra" ] && cat "$work/$file.extra" >> "$work/$file"
  if [ "${opts[0]}" = bind ]; then
    # dnssec-signzone wants the DNSKEY in the zone; -z: the one key signs everything.
    cat "$1.key" >> "$work/$file"
    (cd "$(dirname "$1")" && dnssec-signzone -q -z "${opts[@]:1}" -o "$zone" -f "$work/$file.signed" "$work/$file" "$(basename "$1")" >/dev/null)
    sed -i '/^; File written on/d' "$work/$file.signed"
    rm -f "$(dirname "$1")/dsset-$zone"
  else
    ldns-signzone "${opts[@]}" -o "$zone" -f "$work/$file.signed" "$work/$file" "$@"
  fi
  {
    echo "; TEST DATA: signed by scripts/make-signed-zones.sh with the test-only keys in keys/."
    echo "; Source: unsigned/$file. Do not edit (but see bogus.test.zone)."
    cat "$work/$file.signed"
  } > "$dir/$file"
  # The first key given is the KSK (or the only key): its DS goes to the parent.
  ldns-key2ds -n -2 "$1.key" > "$work/$zone.ds"
}

window=(-i "$INCEPTION" -e "$EXPIRATION")
nsec3() { echo -n "-n -a 1 -t $1"; }

# TLSA data (issue 15) from the DANE test PKI (scripts/make-dane-pki.sh): the SHA-256 of a
# certificate's SubjectPublicKeyInfo (selector 1, matching type 1). The keys are committed, so
# the records do not change when the certificates are re-issued.
pki="$root/testdata/certs/dane"
spki_sha256() { openssl x509 -in "$1" -noout -pubkey | openssl pkey -pubin -outform DER | sha256sum | cut -d' ' -f1; }
ee=$(spki_sha256 "$pki/ee.chain.pem")
ta_ca=$(spki_sha256 "$pki/ta-ca.pem")
ta_leaf=$(spki_sha256 "$pki/ta.chain.pem")
{
  echo "_993._tcp.ee IN TLSA 3 1 1 $ee"
  echo "_993._tcp.ta IN TLSA 2 1 1 $ta_ca"
  echo "_993._tcp.wrong IN TLSA 3 1 1 $ta_leaf"
  echo "_993._tcp.bogus IN TLSA 3 1 1 $ee"
} > "$work/hosting.test.zone.extra"

# Leaves first: each parent needs its children's DS before it is signed.
: > "$work/example.test.zone.ds"
: > "$work/test.zone.ds"
cp "$src/plain.example.test.zone" "$dir/plain.example.test.zone"
# The unsigned zone publishes a TLSA record too: insecure, so never used (RFC 7673 §3.2).
{ cat "$src/insecure.test.zone"; echo "_993._tcp.mail IN TLSA 3 1 1 $ee"; } > "$dir/insecure.test.zone"

sign example.test. example.test.zone "${window[@]}" -- "$(key example.test. ECDSAP256SHA256 - ksk)"
cat "$work/example.test..ds" >> "$work/test.zone.ds"
# shellcheck disable=SC2046
sign nsec3.test. nsec3.test.zone "${window[@]}" $(nsec3 0) -- "$(key nsec3.test. ECDSAP256SHA256 - ksk)"
cat "$work/nsec3.test..ds" >> "$work/test.zone.ds"
# shellcheck disable=SC2046
sign iter150.test. iter150.test.zone "${window[@]}" $(nsec3 150) -s cafe -- "$(key iter150.test. ECDSAP256SHA256 - ksk)"
cat "$work/iter150.test..ds" >> "$work/test.zone.ds"
sign ed.test. ed.test.zone "${window[@]}" -- "$(key ed.test. ED25519 - ksk)"
cat "$work/ed.test..ds" >> "$work/test.zone.ds"
sign outside.test. outside.test.zone "${window[@]}" -- "$(key outside.test. ECDSAP256SHA256 - ksk)"
cat "$work/outside.test..ds" >> "$work/test.zone.ds"
sign bogus.test. bogus.test.zone "${window[@]}" -- "$(key bogus.test. ECDSAP256SHA256 - ksk)"
cat "$work/bogus.test..ds" >> "$work/test.zone.ds"
# The tampering: the SRV port changes after signing, its RRSIG stays.
sed -i 's/\(SRV[[:space:]]\{1,\}0[[:space:]]\{1,\}1[[:space:]]\{1,\}\)993/\1994/' "$dir/bogus.test.zone"
grep -q 'SRV[[:space:]]*0[[:space:]]*1[[:space:]]*994' "$dir/bogus.test.zone" || { echo "make-signed-zones: tampering failed" >&2; exit 1; }
sign dane.test. dane.test.zone "${window[@]}" -- "$(key dane.test. ECDSAP256SHA256 - ksk)"
cat "$work/dane.test..ds" >> "$work/test.zone.ds"
sign hosting.test. hosting.test.zone "${window[@]}" -- "$(key hosting.test. ECDSAP256SHA256 - ksk)"
cat "$work/hosting.test..ds" >> "$work/test.zone.ds"
# The tampering: the bogus TLSA record's selector changes 1 -> 0 after signing, its RRSIG stays.
sed -i 's/^\(_993\._tcp\.bogus\.hosting\.test\.[[:space:]].*TLSA[[:space:]]\{1,\}3[[:space:]]\{1,\}\)1/\10/' "$dir/hosting.test.zone"
grep -q '^_993\._tcp\.bogus\.hosting\.test\..*TLSA[[:space:]]*3[[:space:]]*0[[:space:]]*1' "$dir/hosting.test.zone" || { echo "make-signed-zones: TLSA tampering failed" >&2; exit 1; }
sign dname.test. dname.test.zone "${window[@]}" -- "$(key dname.test. ECDSAP256SHA256 - ksk)"
cat "$work/dname.test..ds" >> "$work/test.zone.ds"
# The tampering: the DNAME at bad changes its target after signing, its RRSIG stays.
sed -i 's/^\(bad\.dname\.test\.[[:space:]].*DNAME[[:space:]]\{1,\}\)example\.test\./\1nsec3.test./' "$dir/dname.test.zone"
grep -q '^bad\.dname\.test\..*DNAME[[:space:]]*nsec3\.test\.' "$dir/dname.test.zone" || { echo "make-signed-zones: DNAME tampering failed" >&2; exit 1; }
sign expired.test. expired.test.zone -i "$EXPIRED_INCEPTION" -e "$EXPIRED_EXPIRATION" -- "$(key expired.test. ECDSAP256SHA256 - ksk)"
cat "$work/expired.test..ds" >> "$work/test.zone.ds"
# The TLD: RSA/SHA-256 (algorithm 8), NSEC3 (no salt, 0 iterations) with opt-out, by BIND.
sign test. test.zone bind -3 - -H 0 -A -s "$INCEPTION" -e "$EXPIRATION" -- "$(key test. RSASHA256 2048 ksk)"
cp "$work/test..ds" "$work/root.zone.ds"
# The root: a KSK signs the DNSKEY RRset, a ZSK everything else.
sign . root.zone "${window[@]}" -- "$(key . ECDSAP256SHA256 - ksk)" "$(key . ECDSAP256SHA256 - zsk)"
{
  echo "; TEST-ONLY trust anchor for the private root of testdata/dnssec/ (unbound trust-anchor-file"
  echo "; format: DS records in presentation format). Never use it outside the tests."
  cat "$work/..ds"
} > "$dir/root.anchor"
echo "make-signed-zones: signed $(find "$dir" -maxdepth 1 -name '*.zone' | wc -l) zones in testdata/dnssec/"
