#!/usr/bin/env bash
# Generates the test PKI in testdata/certs/ with OpenSSL. The certificates are committed: the
# core takes `now` from the host, so tests pick a time inside (or outside) the validity window
# and the files never go stale. Re-run only to change the PKI; review the diff.
#
# Validity: every certificate is valid for 3650 days from generation (see testdata/certs/README.md
# for the window of the committed set).
set -euo pipefail
out="$(cd "$(dirname "$0")/.." && pwd)/testdata/certs"
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

days=3650
SRV=1.3.6.1.5.5.7.8.7

key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1.key" 2>/dev/null; }

# root NAME SUBJECT [EXTRA_EXT_LINES]: self-signed root (with NAME.key if it exists).
root() {
  [ -f "$1.key" ] || key "$1"
  cat > "$1.ext" <<EXT
basicConstraints=critical,CA:TRUE
keyUsage=critical,keyCertSign,cRLSign
subjectKeyIdentifier=hash
${3:-}
EXT
  openssl req -new -x509 -key "$1.key" -subj "/CN=$2" -days $days -sha256 \
    -extensions v3 -config <(printf '[req]\ndistinguished_name=dn\n[dn]\n[v3]\n'; cat "$1.ext") \
    -out "$1.pem"
}

# sign NAME ISSUER SUBJECT EXTFILE: certificate for NAME signed by ISSUER (SUBJECT "" gives an
# empty subject name).
sign() {
  [ -f "$1.key" ] || key "$1"
  local subj=/
  [ -z "$3" ] || subj="/CN=$3"
  openssl req -new -key "$1.key" -subj "$subj" -out "$1.csr"
  openssl x509 -req -in "$1.csr" -CA "$2.pem" -CAkey "$2.key" -CAcreateserial -days $days \
    -sha256 -extfile "$4" -out "$1.pem" 2>/dev/null
}

intermediate_ext() {
  cat > "$1" <<EXT
basicConstraints=critical,CA:TRUE
keyUsage=critical,keyCertSign,cRLSign
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid
$2
EXT
}

leaf_ext() {
  cat > "$1" <<EXT
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=${3:-serverAuth}
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid
${2:+subjectAltName=$2}
EXT
}

root ca "mailsrv test root"
intermediate_ext int.ext ""
sign int ca "mailsrv test intermediate" int.ext

leaf() { # NAME SAN [EKU] [CN]
  leaf_ext "$1.ext" "$2" "${3:-serverAuth}"
  sign "$1" int "${4:-mailsrv test leaf $1}" "$1.ext"
}

leaf srv-id "otherName:$SRV;IA5STRING:_imaps.example.net,otherName:$SRV;IA5STRING:_submissions.example.net"
leaf domain "DNS:example.net"
leaf target-only "DNS:mail.provider.net"
leaf wildcard "DNS:*.example.net"
leaf bad-wildcards "DNS:*.net,DNS:f*.example.net,DNS:foo.*.example.net,DNS:*,DNS:*.co.uk"
leaf srv-wrong "otherName:$SRV;IA5STRING:_xmpp.example.net,otherName:$SRV;IA5STRING:_imaps.example.org,otherName:$SRV;IA5STRING:_imaps.*.example.net,otherName:$SRV;IA5STRING:imaps.example.net,otherName:$SRV;UTF8:_imaps.example.net"
leaf idn "otherName:$SRV;IA5STRING:_imaps.xn--bcher-kva.example,DNS:xn--bcher-kva.example"
leaf underscore "DNS:foo_bar.example.net,DNS:192.0.2.1"
leaf wrong-eku "DNS:example.net" clientAuth
leaf cn-and-san "DNS:other.example.org" serverAuth "example.net"
# A dNSName with an embedded NUL (security scenario 70), written as raw DER: a C string would
# read it as www.example.net.
nul_name=$(printf '\202\031www.example.net\000.evil.com' | od -An -tx1 -v | tr -d '\n' | sed 's/^ *//; s/ \{1,\}/:/g')
leaf_ext nul-san.ext ""
echo "subjectAltName=DER:30:1b:$nul_name" >> nul-san.ext
sign nul-san int "mailsrv test leaf nul-san" nul-san.ext
# CN only, no SAN at all.
leaf_ext cn-only.ext "" serverAuth
sign cn-only int "example.net" cn-only.ext

# Self-signed leaf and a chain from an unknown root.
key self-signed
openssl req -new -x509 -key self-signed.key -subj "/CN=example.net" -days $days -sha256 \
  -addext "subjectAltName=DNS:example.net" -addext "extendedKeyUsage=serverAuth" \
  -addext "basicConstraints=critical,CA:FALSE" -out self-signed.pem 2>/dev/null
root other-ca "another root"
intermediate_ext other-int.ext ""
sign other-int other-ca "another intermediate" other-int.ext
leaf_ext unknown-issuer.ext "DNS:example.net"
sign unknown-issuer other-int "unknown issuer leaf" unknown-issuer.ext

# Name constraints: dNSName-only permitted subtree (security scenario 67) and an excluded
# subtree under a wildcard (scenario 66).
intermediate_ext nc-dns.ext "nameConstraints=critical,permitted;DNS:example.net"
sign nc-dns ca "dNSName-constrained intermediate" nc-dns.ext
leaf_ext nc-srv.ext "otherName:$SRV;IA5STRING:_imaps.example.net,DNS:mail.example.net"
sign nc-srv nc-dns "srvname under dns constraint" nc-srv.ext
intermediate_ext nc-excl.ext "nameConstraints=critical,excluded;DNS:bar.example.com"
sign nc-excl ca "excluding intermediate" nc-excl.ext
leaf_ext nc-wild.ext "DNS:*.example.com"
sign nc-wild nc-excl "wildcard under exclusion" nc-wild.ext

# A root that carries a dNSName constraint itself (the constraint lives in the trust anchor).
root nc-root "constrained root" "nameConstraints=critical,permitted;DNS:example.net"
leaf_ext nc-root-leaf.ext "otherName:$SRV;IA5STRING:_imaps.example.net,DNS:mail.example.net"
sign nc-root-leaf nc-root "srvname under a constrained root" nc-root-leaf.ext

# A chain eight certificates deep: root, six intermediates, leaf.
prev=ca
for i in 1 2 3 4 5 6; do
  intermediate_ext "deep$i.ext" ""
  sign "deep$i" "$prev" "deep intermediate $i" "deep$i.ext"
  prev="deep$i"
done
leaf_ext deep-leaf.ext "DNS:example.net"
sign deep-leaf "$prev" "deep leaf" deep-leaf.ext

# RFC 5280 rules that rustls-webpki leaves to mailsrv (tests `rfc5280_*` in core/tests/verify.rs).
# §4.2.1.10: a dNSName constraint with a leading period, in an intermediate and in a root.
intermediate_ext nc-dot.ext "nameConstraints=critical,permitted;DNS:.example.net"
sign nc-dot ca "leading-period constrained intermediate" nc-dot.ext
leaf_ext nc-dot-leaf.ext "DNS:mail.example.net"
sign nc-dot-leaf nc-dot "leaf under a leading-period constraint" nc-dot-leaf.ext
root nc-dot-root "leading-period constrained root" "nameConstraints=critical,permitted;DNS:.example.net"
sign nc-dot-root-leaf nc-dot-root "leaf under a leading-period root" nc-dot-leaf.ext
# §4.2.1.10: nameConstraints in an end-entity certificate, critical and non-critical.
for c in critical noncritical; do
  leaf_ext "ee-nc-$c.ext" "DNS:example.net"
  echo "nameConstraints=$([ $c = critical ] && echo critical,)permitted;DNS:example.net" >> "ee-nc-$c.ext"
  sign "ee-nc-$c" int "leaf with $c name constraints" "ee-nc-$c.ext"
done
# §4.2.1.10: an intermediate whose nameConstraints is an empty SEQUENCE (no subtrees at all).
intermediate_ext nc-empty.ext "nameConstraints=critical,DER:30:00"
sign nc-empty ca "empty name constraints" nc-empty.ext
leaf_ext nc-empty-leaf.ext "DNS:example.net"
sign nc-empty-leaf nc-empty "leaf under empty name constraints" nc-empty-leaf.ext
# §4.2.1.6: an empty subject needs a critical subjectAltName (the second leaf is the valid form).
leaf_ext empty-subject.ext "DNS:example.net"
sign empty-subject int "" empty-subject.ext
leaf_ext empty-subject-critical.ext "critical,DNS:example.net"
sign empty-subject-critical int "" empty-subject-critical.ext
# Allowed by RFC 5280, refused by the CA/Browser Forum: a critical SAN beside a non-empty subject.
leaf san-critical "critical,DNS:example.net"
# §4.2.1.10: a self-issued intermediate (same issuer and subject, new key: a key rollover) under a
# root constrained to example.net. The intermediate names rollover.example.org, which the
# constraint must not be applied to. rollover-open-root is the same root (key and name) without
# the constraint, so the two anchors differ in that constraint only.
root rollover-root "mailsrv rollover CA" "nameConstraints=critical,permitted;DNS:example.net"
cp rollover-root.key rollover-open-root.key
root rollover-open-root "mailsrv rollover CA"
intermediate_ext rollover-int.ext "subjectAltName=DNS:rollover.example.org"
sign rollover-int rollover-root "mailsrv rollover CA" rollover-int.ext
leaf_ext rollover-leaf.ext "DNS:mail.example.net"
sign rollover-leaf rollover-int "leaf under a self-issued intermediate" rollover-leaf.ext

# Write PEM chains (leaf first) and anchors.
cp ca.pem "$out/ca.pem"
cp other-ca.pem "$out/other-ca.pem"
cp nc-root.pem "$out/nc-root.pem"
cp nc-root-leaf.pem "$out/nc-root-leaf.chain.pem"
for l in srv-id domain target-only wildcard bad-wildcards srv-wrong idn underscore wrong-eku cn-and-san cn-only nul-san \
  ee-nc-critical ee-nc-noncritical empty-subject empty-subject-critical san-critical; do
  cat "$l.pem" int.pem > "$out/$l.chain.pem"
done
cp self-signed.pem "$out/self-signed.chain.pem"
cat unknown-issuer.pem other-int.pem > "$out/unknown-issuer.chain.pem"
cat nc-srv.pem nc-dns.pem > "$out/nc-srv.chain.pem"
cat nc-wild.pem nc-excl.pem > "$out/nc-wild.chain.pem"
cat nc-dot-leaf.pem nc-dot.pem > "$out/nc-dot.chain.pem"
cp nc-dot-root.pem "$out/nc-dot-root.pem"
cp nc-dot-root-leaf.pem "$out/nc-dot-root-leaf.chain.pem"
cat nc-empty-leaf.pem nc-empty.pem > "$out/nc-empty.chain.pem"
cp rollover-root.pem "$out/rollover-root.pem"
cp rollover-open-root.pem "$out/rollover-open-root.pem"
cat rollover-leaf.pem rollover-int.pem > "$out/rollover.chain.pem"
cat deep-leaf.pem deep6.pem deep5.pem deep4.pem deep3.pem deep2.pem deep1.pem > "$out/deep.chain.pem"
# Private keys of two leaves, for TLS servers in the tests (test-only keys, never for real use).
cp srv-id.key "$out/srv-id.key"
cp target-only.key "$out/target-only.key"
cp domain.key "$out/domain.key"
openssl x509 -in domain.pem -noout -startdate -enddate > "$out/validity.txt"
echo "wrote $(ls "$out" | wc -l) files to $out"
