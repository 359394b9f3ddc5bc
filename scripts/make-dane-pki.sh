#!/usr/bin/env bash
# Generates the DANE test PKI in testdata/certs/dane/ with OpenSSL (issue 15): the certificates
# that the signed TLSA records of testdata/dnssec/hosting.test.zone pin
# (scripts/make-signed-zones.sh computes the records from these files).
#
#   ee.chain.pem        a self-signed server certificate for ee.hosting.test that no CA vouches
#                       for (DANE-EE, `3 1 1`: its public key's SHA-256)
#   ta-ca.pem           a private CA that is in no trust store (DANE-TA, `2 1 1`: its key)
#   ta.chain.pem        leaf for ta.hosting.test issued by ta-ca, then ta-ca
#   ta-other.chain.pem  leaf for other.hosting.test issued by ta-ca, then ta-ca (DANE-TA needs the
#                       leaf to name the SRV target, RFC 7673 §4.1: this one does not)
#
# The private keys are TEST-ONLY keys, committed on purpose and reused when the script runs
# again: the TLSA records pin keys (selector 1), so re-issuing the certificates (new dates)
# leaves every TLSA record and signed zone unchanged. Validity: 3650 days from generation
# (validity.txt).
set -euo pipefail
out="$(cd "$(dirname "$0")/.." && pwd)/testdata/certs/dane"
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
days=3650

# key NAME: the committed key, or a new P-256 key.
key() {
  if [ -f "$out/$1.key" ]; then cp "$out/$1.key" "$work/$1.key"; else
    openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$work/$1.key" 2>/dev/null
    cp "$work/$1.key" "$out/$1.key"
  fi
}
cd "$work"

key ee
openssl req -new -x509 -key ee.key -subj "/CN=ee.hosting.test" -days $days -sha256 \
  -addext "subjectAltName=DNS:ee.hosting.test" -addext "extendedKeyUsage=serverAuth" \
  -addext "basicConstraints=critical,CA:FALSE" -out ee.pem 2>/dev/null

key ta-ca
openssl req -new -x509 -key ta-ca.key -subj "/CN=mailsrv DANE test private CA" -days $days -sha256 \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
  -addext "subjectKeyIdentifier=hash" -out ta-ca.pem 2>/dev/null

# leaf NAME HOST: a server certificate for HOST issued by ta-ca.
leaf() {
  key "$1"
  cat > "$1.ext" <<EXT
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=serverAuth
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid
subjectAltName=DNS:$2
EXT
  openssl req -new -key "$1.key" -subj "/CN=$2" -out "$1.csr"
  openssl x509 -req -in "$1.csr" -CA ta-ca.pem -CAkey ta-ca.key -CAcreateserial -days $days \
    -sha256 -extfile "$1.ext" -out "$1.pem" 2>/dev/null
}
leaf ta ta.hosting.test
leaf ta-other other.hosting.test

cp ee.pem "$out/ee.chain.pem"
cp ta-ca.pem "$out/ta-ca.pem"
cat ta.pem ta-ca.pem > "$out/ta.chain.pem"
cat ta-other.pem ta-ca.pem > "$out/ta-other.chain.pem"
openssl x509 -in ee.pem -noout -startdate -enddate > "$out/validity.txt"
echo "make-dane-pki: wrote $(ls "$out" | wc -l) files to $out"
