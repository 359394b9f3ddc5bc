#!/usr/bin/env bash
# End to end through the test world (testenv/world.sh): for several domains the Rust example
# host, the reference C host and the `mailsrv` CLI (UDP to Unbound, and DoH to Unbound) must print
# identical plans, and the plans must show what the zones are for (DNSSEC-secure through
# Unbound's AD bit, bogus as a failed lookup, "." as not offered, truncation over TCP). Then
# `mailsrv probe` and `mailsrv verify` against the real Dovecot and Postfix: implicit TLS and
# STARTTLS, the SRV-ID and DNS-ID verdicts, the right and a wrong password.
# The world is started here and stopped on exit, also when a check fails.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
work=$(mktemp -d)
trap 'bash testenv/world.sh down >/dev/null; rm -rf "$work"' EXIT INT TERM
bash testenv/world.sh up
# shellcheck disable=SC1091
. target/world/env
fail() { echo "e2e: FAIL: $*" >&2; exit 1; }
flush() { unbound-control -c "$UNBOUND_CONF" flush_zone . >/dev/null; unbound-control -c "$UNBOUND_CONF" flush_bogus >/dev/null; }
export NODE_EXTRA_CA_CERTS="$WORLD_CA"

plan_all() { # NAME EMAIL [OPTIONS...]: the four hosts must agree; leaves the plan in $work/NAME.json
  local name="$1" email="$2"; shift 2
  flush; target/debug/examples/plan --server "$RESOLVER" --json --seed 1 "$@" "$email" > "$work/$name.rust.json" || true
  flush; target/c/mailsrv-plan --server "$RESOLVER" --json --seed 1 "$@" "$email" > "$work/$name.c.json" || true
  flush; node bindings/js/bin/mailsrv.js plan --server "$RESOLVER" --json --seed 1 "$@" "$email" > "$work/$name.js.json" || true
  # Unvalidated, as the other three: DoH validates by default (D43), from the IANA root anchors,
  # which cannot vouch for this private world.
  flush; node bindings/js/bin/mailsrv.js plan --doh "$DOH" --no-validate --json --seed 1 "$@" "$email" > "$work/$name.doh.json" || true
  # A caching resolver may count a TTL down by a second between two answers of one discovery:
  # `expiresInSecs` may differ by at most 2 s; everything else must be identical.
  for host in c js doh; do
    python3 - "$work/$name.rust.json" "$work/$name.$host.json" <<'PY' \
      || { diff "$work/$name.rust.json" "$work/$name.$host.json" | head -20; fail "$name: the $host plan differs from Rust's"; }
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:3])
ea, eb = a.pop("expiresInSecs"), b.pop("expiresInSecs")
sys.exit(0 if a == b and (ea is None) == (eb is None) and abs((ea or 0) - (eb or 0)) <= 2 else 1)
PY
  done
  cp "$work/$name.rust.json" "$work/$name.json"
  echo "e2e: $name: Rust, C, CLI (UDP) and CLI (DoH) plans are identical (TTLs within 2 s)"
}
field() { python3 -c "import json,sys; p=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))" "$work/$1.json" "$2"; }

plan_all provider alice@example.net
[ "$(field provider 'p["incoming"]["candidates"][0]["trust"]')" = in-domain ] || fail "provider: trust"
plan_all custom dave@custom.example
[ "$(field custom 'p["incoming"]["candidates"][0]["trust"]')" = needs-confirmation ] || fail "custom: trust"
plan_all signed erin@knotsigned.example --trust-ad
[ "$(field signed 'p["incoming"]["candidates"][0]["trust"]')" = dnssec-secure ] || fail "signed: not DNSSEC-secure"
[ "$(field signed 'p["incoming"]["candidates"][0]["referenceIdentities"][2]["value"]')" = imap.provider.example ] || fail "signed: target identity"
plan_all signed-untrusted erin@knotsigned.example
[ "$(field signed-untrusted 'p["incoming"]["candidates"][0]["trust"]')" = needs-confirmation ] || fail "AD counted without --trust-ad"
plan_all bogus erin@bogus.example --trust-ad
[ "$(field bogus 'p["lookups"][2]["outcome"]')" = serv-fail ] || fail "bogus: not a failed lookup"
[ "$(field bogus 'p["incoming"]["status"]')" = lookup-failed ] || fail "bogus: status"
plan_all implicit bob@implicit.example
[ "$(field implicit 'sum(d["code"]=="service-not-offered" for d in p["diagnostics"])')" = 3 ] || fail "implicit: not-offered"
plan_all pop3 carol@pop3.example
[ "$(field pop3 'p["incoming"]["protocol"]')" = pop3 ] || fail "pop3: protocol"
plan_all many gina@many.example
[ "$(field many 'len(p["incoming"]["candidates"])')" = 64 ] || fail "many: truncation not retried over TCP"
plan_all nothing olga@empty.example
[ "$(field nothing 'p["incoming"]["status"]')" = not-published ] || fail "nothing: status"
echo "== multi-source plans: DNS through Unbound, HTTPS through nginx (testenv/web.sh)"
# The hosts fetch https://<host>/... as the core asks; --connect-to (D48) sends every connection
# to nginx's loopback port and changes nothing else (URL, SNI, certificate name); the world's CA
# is the only HTTPS trust anchor. Every name nginx serves is in the world's DNS first.
while read -r host; do
  [ "$(dig +short @127.0.0.1 -p "${RESOLVER#*:}" "$host" A)" = 127.0.0.1 ] || fail "web: $host is not 127.0.0.1 in the world's DNS"
done < <(ls -1 "$WORLD_DIR/web")
web_all() { # NAME EMAIL [OPTIONS...]: Rust, C and the CLI must agree; leaves the plan in $work/NAME.json
  local name="$1" email="$2"; shift 2
  local common=(--server "$RESOLVER" --sources default --ispdb "$ISPDB" --http-anchors "$WORLD_CA" --json --seed 1)
  flush; target/debug/examples/plan "${common[@]}" "$@" --connect-to "::$WEB" "$email" > "$work/$name.rust.json" || true
  flush; target/c/mailsrv-plan "${common[@]}" "$@" --connect-to "::$WEB" "$email" > "$work/$name.c.json" || true
  flush; node bindings/js/bin/mailsrv.js plan "${common[@]}" "$@" --connect-to "::$WEB" "$email" > "$work/$name.js.json" || true
  for host in c js; do
    python3 - "$work/$name.rust.json" "$work/$name.$host.json" <<'PY' \
      || { diff "$work/$name.rust.json" "$work/$name.$host.json" | head -20 || true; fail "$name: the $host plan differs from Rust's"; }
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:3])
ea, eb = a.pop("expiresInSecs"), b.pop("expiresInSecs")
sys.exit(0 if a == b and (ea is None) == (eb is None) and abs((ea or 0) - (eb or 0)) <= 2 else 1)
PY
  done
  cp "$work/$name.rust.json" "$work/$name.json"
  echo "e2e: $name: Rust, C and CLI plans through nginx are identical (TTLs within 2 s)"
}
# NAME EMAIL ZONE: the world's plan is the one the same files give offline (--zone, --fixtures), but
# for the addresses: the zone host adds the A records of SRV targets, Unbound (minimal-responses) not.
offline_equal() {
  target/debug/examples/plan --zone "$WORLD_DIR/zones/$3" --fixtures "$WORLD_DIR/web" --sources default --ispdb "$ISPDB" \
    --json --seed 1 "$2" > "$work/$1.offline.json" || true
  python3 - "$work/$1.json" "$work/$1.offline.json" <<'PY' || { diff "$work/$1.json" "$work/$1.offline.json" | head -20 || true; fail "$1: the plan through nginx differs from the offline one"; }
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:3])
def strip(v):
    if isinstance(v, dict):
        return {k: strip(x) for k, x in v.items() if k not in ("addresses", "expiresInSecs")}
    return [strip(x) for x in v] if isinstance(v, list) else v
sys.exit(0 if strip(a) == strip(b) else 1)
PY
}
outcome() { field "$1" "[r['outcome'] for r in p['requests'] if r['url'].startswith('$2')][0]"; }
web_all agree alice@agree.example
offline_equal agree alice@agree.example agree.example.zone
[ "$(field agree 'sorted(s["source"] for s in p["incoming"]["candidates"][0]["sources"])')" = "['autoconfig', 'ispdb', 'srv']" ] || fail "agree: one candidate from three sources"
[ "$(outcome agree https://agree.example/)" = http-status ] || fail "agree: the well-known 404"
[ "$(field agree 'p["final"]')" = True ] || fail "agree: not final"
web_all mx bob@mxonly.example
offline_equal mx bob@mxonly.example mxonly.example.zone
[ "$(field mx 'p["incoming"]["candidates"][0]["source"]')" = mx-autoconfig ] || fail "mx: not from the MX host's autoconfig"
[ "$(field mx 'p["incoming"]["candidates"][0]["trust"]')" = needs-confirmation ] || fail "mx: MX-derived without confirmation"
[ "$(field mx '[c["domain"] for c in p["confirm"]]')" = "['hoster.example']" ] || fail "mx: what to confirm"
web_all hostile carol@hostile.example
offline_equal hostile carol@hostile.example hostile.example.zone
[ "$(outcome hostile https://autoconfig.hostile.example/)" = refused ] || fail "hostile: the DOCTYPE document was not refused"
[ "$(field hostile '[d["message"] for d in p["diagnostics"] if d["code"] == "autoconfig-refused"][0].split("(")[1].split(":")[0]')" = AUTOCONFIG_DOCTYPE ] \
  || fail "hostile: no AUTOCONFIG_DOCTYPE diagnostic"
[ "$(outcome hostile https://hostile.example/)" = content-type ] || fail "hostile: the HTML page was read"
! grep -q attacker "$work/hostile.json" || fail "hostile: the entity's host reached the plan"
web_all trimmed dave@trimmed.example
offline_equal trimmed dave@trimmed.example trimmed.example.zone
[ "$(field trimmed 'sum(d["code"] == "autoconfig-finding" for d in p["diagnostics"])')" = 4 ] || fail "trimmed: four sections dropped"
[ "$(field trimmed '[(c["host"], c["port"]) for c in p["incoming"]["candidates"] + p["outgoing"]["candidates"]]')" \
  = "[('imap.trimmed.example', 993), ('smtp.trimmed.example', 465)]" ] || fail "trimmed: the sound sections"
# Redirects from a real server, followed by each host by the core's rule: within https to the
# agree.example document (its servers come out), to plain HTTP refused (insecure-redirect).
web_all moved erin@moved.example
[ "$(outcome moved https://autoconfig.moved.example/)" = document ] || fail "moved: the https redirect was not followed"
[ "$(field moved 'p["incoming"]["candidates"][0]["host"]')" = imap.agree.example ] || fail "moved: the redirected document's server"
[ "$(field moved '[d["message"].split(": ")[-1] for d in p["diagnostics"] if d["code"] == "http-failed"][0]')" = InsecureRedirect ] \
  || fail "moved: the redirect to plain HTTP was not refused"
# A fetch that fails does not stop the plan: the provider's host refuses connections (a closed
# port), the ISPDB and SRV still give the plan; a certificate for another name is a TLS error.
closed=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
web_all refused alice@agree.example --connect-to "autoconfig.agree.example:443:127.0.0.1:$closed"
[ "$(outcome refused https://autoconfig.agree.example/)" = failed ] || fail "refused: the closed port did not fail"
[ "$(field refused '[d["message"].split(": ")[-1] for d in p["diagnostics"] if d["code"] == "http-failed"][0]')" = NetworkError ] \
  || fail "refused: not a network error"
[ "$(field refused 'sorted(s["source"] for s in p["incoming"]["candidates"][0]["sources"])')" = "['ispdb', 'srv']" ] || fail "refused: the other sources"
DOH_HOSTPORT=${DOH#https://}; DOH_HOSTPORT=${DOH_HOSTPORT%%/*}
web_all wrong-name alice@agree.example --connect-to "ispdb.world.example:443:$DOH_HOSTPORT"
[ "$(field wrong-name '[d["message"].split(": ")[-1] for d in p["diagnostics"] if d["code"] == "http-failed"][0]')" = TlsError ] \
  || fail "wrong-name: Unbound's certificate (for 127.0.0.1) was accepted for ispdb.world.example"
echo "e2e: nginx: provider, MX-derived and ISPDB documents give the corpus's plans on every host; hostile and trimmed documents refused or trimmed alike; redirects followed within https, refused to http; a 404, a refused connection and a wrong certificate leave the plan standing"
echo "== the signed hierarchy (testdata/dnssec) through the resolver that does not validate"
# Knot serves it; the second Unbound passes the DNSSEC records on to DO queries, never sets AD
# and never hides a bogus answer, so only a validator of the host's own can tell. delv, with the
# private root's anchor, is that validator here.
plain=${PLAIN_RESOLVER#*:}
awk '/^[^;]/ { printf "trust-anchors {\n  \"%s\" static-ds %s %s %s \"%s\";\n};\n", $1, $5, $6, $7, $8 }' \
  "$SIGNED_ANCHOR" > "$work/anchors.conf"
dig @127.0.0.1 -p "$plain" +dnssec +noall +comments +answer _imaps._tcp.example.test SRV > "$work/plain-dig.txt"
grep -q 'IN[[:space:]]*RRSIG[[:space:]]*SRV' "$work/plain-dig.txt" || fail "plain resolver: no RRSIG with DO"
! grep -q '^;; flags:.* ad' "$work/plain-dig.txt" || fail "plain resolver: AD set"
dig @127.0.0.1 -p "$plain" +dnssec +short _imaps._tcp.bogus.test SRV | grep -q ' 994 ' || fail "plain resolver: the bogus answer is not passed on"
delv_says() { # NAME TYPE: delv's verdict through the plain resolver
  delv @127.0.0.1 -p "$plain" -a "$work/anchors.conf" +root=. "$1" "$2" 2>&1 | grep -E '^; (fully validated|unsigned answer|negative response)|resolution failed' | head -n1
}
for q in "_imaps._tcp.example.test SRV" "_imaps._tcp.nsec3.test SRV" "_imaps._tcp.outside.test SRV" "_imaps._tcp.wild.example.test SRV"; do
  # shellcheck disable=SC2086
  [ "$(delv_says $q)" = "; fully validated" ] || fail "delv via the plain resolver: $q not secure"
done
[ "$(delv_says nope.nsec3.test A)" = ";; resolution failed: ncache nxdomain" ] || fail "delv: NSEC3 NXDOMAIN"
[ "$(delv_says _imaps._tcp.insecure.test SRV)" = "; unsigned answer" ] || fail "delv: insecure delegation"
case "$(delv_says _imaps._tcp.bogus.test SRV)" in *"resolution failed"*) ;; *) fail "delv: bogus.test not bogus" ;; esac
case "$(delv_says _imaps._tcp.expired.test SRV)" in *"resolution failed"*) ;; *) fail "delv: expired.test not bogus" ;; esac
# DNAME (D52): Knot serves the signed DNAME, Unbound synthesises the CNAME and follows it.
[ "$(delv_says _imaps._tcp.old.dname.test SRV)" = "; fully validated" ] || fail "delv: the DNAME chain not secure"
case "$(delv_says _imaps._tcp.bad.dname.test SRV)" in *"resolution failed"*) ;; *) fail "delv: the tampered DNAME not bogus" ;; esac
node bindings/js/bin/mailsrv.js plan --doh "$PLAIN_DOH" --no-validate --json --seed 1 alice@example.test > "$work/plain-doh.json" || true
[ "$(field plain-doh 'p["incoming"]["candidates"][0]["host"]')" = mail.example.test ] || fail "plain resolver over DoH: no plan"
# The library itself, as a Node program uses it: dohResolver(url) with no fetch of its own goes
# over HTTP/2, which the world's Unbound DoH requires (Node's fetch would fail every query).
node --input-type=module - "$DOH" <<'JS' || fail "dohResolver(url) in Node: no plan over the world's DoH"
import { discover, dohResolver } from './bindings/js/src/index.js';
const plan = await discover('alice@example.net', { resolver: dohResolver(process.argv[2]), validate: false, seed: 1 });
if (plan.incoming.candidates.length === 0) { console.error(JSON.stringify(plan.lookups)); process.exit(1); }
JS
echo "e2e: the signed hierarchy: Knot serves it, the non-validating Unbound passes DNSSEC records on (no AD, bogus data included); delv finds secure, insecure and bogus as designed"
echo "== the C host, the Rust example and the JS CLI validate by themselves through the resolver that does not validate"
# c-ares (C) and UDP (Rust) to the plain Unbound, and the CLI over its DoH, with the private
# root's anchor, at a time inside the signatures' validity: every status is the core's own (this
# resolver's AD proves nothing), and the three hosts must print the same plan (TTLs within 2 s)
# with the status delv found above.
flush_plain() { unbound-control -c "$PLAIN_UNBOUND_CONF" flush_zone . >/dev/null; }
validated() { # NAME EMAIL STATUS-OF-THE-_imaps-LOOKUP TRUST-OF-THE-FIRST-CANDIDATE (- for none)
  local name=$1 email=$2 status=$3 trust=$4
  local validating=(--trust-anchor "$SIGNED_ANCHOR" --now 2026-12-01T00:00:00Z)
  flush_plain; target/debug/examples/plan --server "$PLAIN_RESOLVER" --json --seed 1 "${validating[@]}" "$email" > "$work/$name.rust.json" || true
  flush_plain; target/c/mailsrv-plan --server "$PLAIN_RESOLVER" --json --seed 1 "${validating[@]}" "$email" > "$work/$name.c.json" || true
  flush_plain; node bindings/js/bin/mailsrv.js plan --doh "$PLAIN_DOH" --json --seed 1 "${validating[@]}" "$email" > "$work/$name.js.json" || true
  python3 - "$work/$name.rust.json" "$work/$name.c.json" "$work/$name.js.json" "$status" "$trust" <<'PY' \
    || { diff "$work/$name.rust.json" "$work/$name.c.json" | head -20; diff "$work/$name.rust.json" "$work/$name.js.json" | head -20; fail "$name: $email is not $status in all three hosts"; }
import json, sys
a, b, c = (json.load(open(f)) for f in sys.argv[1:4])
status, trust = sys.argv[4:6]
ea, eb, ec = a.pop("expiresInSecs"), b.pop("expiresInSecs"), c.pop("expiresInSecs")
for other, eo, who in [(b, eb, "C"), (c, ec, "JS (DoH)")]:
    assert a == other and (ea is None) == (eo is None) and abs((ea or 0) - (eo or 0)) <= 2, f"the {who} plan differs from Rust's"
imaps = next(l for l in a["lookups"] if l["name"].startswith("_imaps._tcp."))
assert imaps["dnssec"] == status and imaps["dnssecSource"] == "validated", imaps
first = (a["incoming"]["candidates"] or [None])[0]
assert (first["trust"] if first else "-") == trust, first
assert (status == "bogus") == any(d["code"] == "dnssec-bogus" for d in a["diagnostics"]), a["diagnostics"]
PY
  echo "e2e: $name: Rust, C and JS find $email $status by themselves (identical plans)"
}
validated v-secure alice@example.test secure dnssec-secure
validated v-nsec3 alice@nsec3.test secure dnssec-secure
validated v-outside alice@outside.test secure dnssec-secure
validated v-wildcard alice@wild.example.test secure dnssec-secure
validated v-insecure alice@insecure.test insecure in-domain
validated v-unsigned-child alice@plain.example.test insecure in-domain
validated v-bogus alice@bogus.test bogus -
validated v-expired alice@expired.test bogus -
validated v-dname alice@old.dname.test secure dnssec-secure
validated v-dname-bogus alice@bad.dname.test bogus -
imaps() { field "$1" '[l for l in p["lookups"] if l["service"] == "imaps"][0]["'"$2"'"]'; }
# By default --doh validates from the built-in IANA anchors, which do not vouch for the private root.
node bindings/js/bin/mailsrv.js plan --doh "$PLAIN_DOH" --json --seed 1 alice@example.test > "$work/signed-default.doh.json" || true
[ "$(imaps signed-default.doh dnssecSource)" = validated ] || fail "JS over DoH: no validation by default"
[ "$(imaps signed-default.doh dnssec)" != secure ] || fail "JS over DoH: the IANA anchors vouched for a private root"
echo "e2e: the JS CLI over DoH validates by default, from the IANA anchors (the private root is not secure without its anchor)"
echo "== probe and verify against Dovecot"
set +e
MAILPW=s3cret node bindings/js/bin/mailsrv.js probe --server "$RESOLVER" --anchors "$WORLD_CA" --password-env MAILPW --timeout 30000 --json alice@world.example > "$work/probe.json" 2> "$work/probe.err"
rc=$?
MAILPW=wrong node bindings/js/bin/mailsrv.js probe --server "$RESOLVER" --anchors "$WORLD_CA" --password-env MAILPW --timeout 30000 --json alice@world.example > "$work/probe-wrong.json" 2> /dev/null
rc_wrong=$?
set -e
[ "$rc" = 0 ] || { cat "$work/probe.err"; fail "probe with the right password exited $rc"; }
p() { python3 -c "import json,sys; p=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))" "$work/$1" "$2"; }
[ "$(p probe.json 'p["incoming"]["server"]["security"]')" = implicit-tls ] || fail "probe: no implicit-TLS server"
[ "$(p probe.json 'p["incoming"]["tried"][0]["verdict"]["matched"]["value"]')" = _imaps.world.example ] || fail "probe: SRV-ID"
[ "$(p probe.json 'p["incoming"]["tried"][0]["login"]["ok"]')" = True ] || fail "probe: login"
[ "$(p probe.json 'p["outgoing"]["server"]["security"]')" = implicit-tls ] || fail "probe: no submissions server"
[ "$(p probe.json 'p["outgoing"]["tried"][0]["verdict"]["matched"]["value"]')" = world.example ] || fail "probe: Postfix DNS-ID"
[ "$(p probe.json 'p["outgoing"]["tried"][0]["login"]["ok"]')" = True ] || fail "probe: Postfix login"
[ "$rc_wrong" = 1 ] || fail "probe with a wrong password exited $rc_wrong"
[ "$(p probe-wrong.json 'p["outgoing"]["tried"][1]["security"]')" = starttls ] || fail "probe: Postfix STARTTLS not tried"
[ "$(p probe-wrong.json 'p["outgoing"]["tried"][1]["login"]["ok"]')" = False ] || fail "probe: Postfix accepted a wrong password"
[ "$(p probe-wrong.json 'p["incoming"]["server"]')" = None ] || fail "probe: a wrong password was accepted"
[ "$(p probe-wrong.json 'p["incoming"]["tried"][1]["security"]')" = starttls ] || fail "probe: STARTTLS not tried"
[ "$(p probe-wrong.json 'p["incoming"]["tried"][1]["verdict"]["status"]')" = verified ] || fail "probe: STARTTLS verdict"
[ "$(p probe-wrong.json 'p["incoming"]["tried"][1]["login"]["ok"]')" = False ] || fail "probe: STARTTLS login"
openssl s_client -connect "$IMAPS" -servername world.example -showcerts < /dev/null 2>/dev/null \
  | awk '/BEGIN CERT/,/END CERT/' > "$work/dovecot-chain.pem"
node bindings/js/bin/mailsrv.js verify --email alice@world.example --service imaps --host mail.world.example \
  --chain "$work/dovecot-chain.pem" --anchors "$WORLD_CA" > /dev/null || fail "verify: Dovecot's chain not verified for imaps"
set +e
# No `_submissions` SRV-ID: only the target name matches, so the user must confirm (exit 4)...
node bindings/js/bin/mailsrv.js verify --email alice@world.example --service submissions --host mail.world.example \
  --chain "$work/dovecot-chain.pem" --anchors "$WORLD_CA" > /dev/null
rc=$?
# ...unless the SRV answer was DNSSEC-secure (exit 0); and for another host nothing matches (1).
node bindings/js/bin/mailsrv.js verify --email alice@world.example --service submissions --host mail.world.example \
  --dnssec-secure --chain "$work/dovecot-chain.pem" --anchors "$WORLD_CA" > /dev/null
rc_secure=$?
node bindings/js/bin/mailsrv.js verify --email alice@world.example --service submissions --host other.world.example \
  --chain "$work/dovecot-chain.pem" --anchors "$WORLD_CA" > /dev/null
rc_other=$?
set -e
[ "$rc" = 4 ] || fail "verify: target-only match for submissions should need confirmation (exit $rc)"
[ "$rc_secure" = 0 ] || fail "verify: target match with DNSSEC should verify (exit $rc_secure)"
[ "$rc_other" = 1 ] || fail "verify: another host should be rejected (exit $rc_other)"
openssl s_client -connect "$SUBMISSIONS" -servername world.example -showcerts < /dev/null 2>/dev/null \
  | awk '/BEGIN CERT/,/END CERT/' > "$work/postfix-chain.pem"
node bindings/js/bin/mailsrv.js verify --email alice@world.example --service submissions --host smtp.world.example \
  --chain "$work/postfix-chain.pem" --anchors "$WORLD_CA" --json > "$work/postfix-verdict.json" || fail "verify: Postfix's chain"
[ "$(p postfix-verdict.json 'p["matched"]["value"]')" = world.example ] || fail "verify: Postfix DNS-ID"
chain_of() { # HOST:PORT FILE
  openssl s_client -connect "$1" -servername world.example -showcerts < /dev/null 2>/dev/null | awk '/BEGIN CERT/,/END CERT/' > "$2"
}
verify_rc() { # CHAIN [OPTIONS...]: the exit code of mailsrv verify for submissions at smtp.world.example
  local chain="$1"; shift
  set +e
  node bindings/js/bin/mailsrv.js verify --email alice@world.example --service submissions --host smtp.world.example \
    --chain "$chain" --anchors "$WORLD_CA" --json "$@" > "$work/verdict.json"
  echo $?
  set -e
}
chain_of "$TARGET_ONLY" "$work/target-only.pem"
[ "$(verify_rc "$work/target-only.pem")" = 4 ] || fail "verify: a target-only certificate without DNSSEC must need confirmation"
[ "$(verify_rc "$work/target-only.pem" --dnssec-secure)" = 0 ] || fail "verify: a target-only certificate with DNSSEC must verify"
chain_of "$EXPIRED" "$work/expired.pem"
[ "$(verify_rc "$work/expired.pem")" = 1 ] || fail "verify: an expired certificate must be rejected"
[ "$(p verdict.json 'p["reason"]')" = expired ] || fail "verify: the reason is not expired"
kdig +tls +short -p "${DOT#*:}" @127.0.0.1 _imaps._tcp.example.net SRV | grep -q imap1.example.net || fail "DoT"
echo "e2e: Dovecot and Postfix: probe (implicit TLS, STARTTLS, right and wrong password) and verify checks passed"
echo "e2e: real chains: SRV-ID and DNS-ID verified, target-only needs confirmation (verified with DNSSEC), expired rejected; DoT answers"
echo "== the C host's --probe"
target/c/mailsrv-plan --server "$RESOLVER" --probe --anchors "$WORLD_CA" alice@world.example > "$work/c-probe.txt" \
  || { cat "$work/c-probe.txt"; fail "C --probe through the resolver"; }
grep -q "valid for SRV-ID \`_imaps.world.example\`" "$work/c-probe.txt" || fail "C --probe: Dovecot SRV-ID"
grep -q "valid for DNS-ID \`world.example\`" "$work/c-probe.txt" || fail "C --probe: Postfix DNS-ID"
# STARTTLS only: a zone with just _imap and _submission.
cat > "$work/starttls.zone" <<ZONE
\$ORIGIN world.example.
\$TTL 300
@ IN SOA ns1 hostmaster 1 7200 900 1209600 300
_imap._tcp IN SRV 0 1 ${IMAP#*:} mail.world.example.
_submission._tcp IN SRV 0 1 ${SUBMISSION#*:} smtp.world.example.
mail IN A 127.0.0.3
smtp IN A 127.0.0.1
ZONE
target/c/mailsrv-plan --zone "$work/starttls.zone" --probe --anchors "$WORLD_CA" alice@world.example > "$work/c-probe-starttls.txt" \
  || { cat "$work/c-probe-starttls.txt"; fail "C --probe over STARTTLS"; }
[ "$(grep -c '^    ok: ' "$work/c-probe-starttls.txt")" = 2 ] || fail "C --probe: STARTTLS sessions"
grep -q " starttls$" "$work/c-probe-starttls.txt" || fail "C --probe: not STARTTLS"
echo "e2e: the C host probed Dovecot and Postfix (implicit TLS and STARTTLS)"
# The resolver answers SRV without addresses (minimal-responses): the Rust example, like the C
# host (c-ares), asks --server for the targets' addresses (D50; the system resolver knows neither
# mail.world.example nor smtp.world.example), and prints the C host's lines.
target/debug/examples/plan --server "$RESOLVER" --probe --anchors "$WORLD_CA" alice@world.example > "$work/rust-probe.txt" \
  || { cat "$work/rust-probe.txt"; fail "Rust --probe through the resolver (targets without addresses in the plan)"; }
diff <(grep -v '^    ok: ' "$work/rust-probe.txt") <(grep -v '^    ok: ' "$work/c-probe.txt") || fail "Rust --probe through the resolver: not the C host's lines"
echo "e2e: the Rust example probed Dovecot and Postfix at targets the plan gives no address for, asking --server, like the C host"
# The C host logs in as well: the right password over implicit TLS and over STARTTLS; a wrong
# one is refused for both usernames and the probe fails.
MAILPW=s3cret target/c/mailsrv-plan --server "$RESOLVER" --timeout 10000 --probe --anchors "$WORLD_CA" \
  --password-env MAILPW alice@world.example > "$work/c-login.txt" \
  || { cat "$work/c-login.txt"; fail "C --probe --password-env with the right password"; }
[ "$(grep -c '^    login ok as ' "$work/c-login.txt")" = 2 ] || { cat "$work/c-login.txt"; fail "C --probe: Dovecot and Postfix logins"; }
MAILPW=s3cret target/c/mailsrv-plan --zone "$work/starttls.zone" --timeout 10000 --probe --anchors "$WORLD_CA" \
  --password-env MAILPW alice@world.example > "$work/c-login-starttls.txt" \
  || { cat "$work/c-login-starttls.txt"; fail "C --probe --password-env over STARTTLS"; }
[ "$(grep -c '^    login ok as ' "$work/c-login-starttls.txt")" = 2 ] || fail "C --probe: STARTTLS logins"
rc=0
MAILPW=wrong target/c/mailsrv-plan --zone "$work/starttls.zone" --timeout 10000 --probe --anchors "$WORLD_CA" \
  --password-env MAILPW alice@world.example > "$work/c-login-wrong.txt" || rc=$?
[ "$rc" = 1 ] || { cat "$work/c-login-wrong.txt"; fail "C --probe with a wrong password exited $rc"; }
grep -q '^    login refused for alice@world.example$' "$work/c-login-wrong.txt" || fail "C --probe: full address not tried"
grep -q '^    login refused for alice$' "$work/c-login-wrong.txt" || fail "C --probe: local part not tried"
! grep -q 'login ok' "$work/c-login-wrong.txt" || fail "C --probe: a wrong password was accepted"
echo "e2e: the C host logged in to Dovecot and Postfix (implicit TLS, STARTTLS); a wrong password was refused"
echo "== DANE: the Rust example, the C host and the JS CLI probe through a validated plan (issue 15)"
# world-{ee,ta,wrong,bogus}.dane.test (testenv/world.sh re-signs dane.test and hosting.test with
# the committed keys): the SRV targets are out of the domain (hosting.test); Dovecot's DANE IMAPS
# listener and Postfix's DANE submissions (implicit TLS: world-ee, world-wrong, world-bogus) and
# submission (STARTTLS: world-ta, world-wrong) listeners present, by SNI, a certificate no CA in
# --anchors vouches for, and a validated plan (the hosts validate by themselves through the
# non-validating resolver) carries each target's TLSA records. DANE-EE and DANE-TA log in to both
# without --accept-target; a wrong digest is rejected (Postfix sees no AUTH); a bogus TLSA RRset
# leaves its target out (Postfix sees no connection). --now: inside the signatures' window and
# the DANE PKI's.
dane_now=(--trust-anchor "$SIGNED_ANCHOR" --now 2027-06-01T00:00:00Z)
# Postfix's log lines (maillog_file): connections, and AUTH commands (`auth=N` or `auth=F/N` in
# its disconnect summary; `auth=N` alone: all succeeded).
postfix_lines() { sleep 1; grep -c -- "$1" "$WORLD_DIR/postfix/stdout" || true; }
dane_probe() { # NAME EMAIL: the hosts' human probe output in $work/NAME.{rust,c,js}.txt, exit statuses in .rc
  flush_plain
  MAILPW=s3cret target/debug/examples/plan --server "$PLAIN_RESOLVER" --timeout 10000 "${dane_now[@]}" --probe --anchors "$WORLD_CA" \
    --password-env MAILPW "$2" > "$work/$1.rust.txt" 2>&1 && echo 0 > "$work/$1.rust.rc" || echo $? > "$work/$1.rust.rc"
  flush_plain
  MAILPW=s3cret target/c/mailsrv-plan --server "$PLAIN_RESOLVER" --timeout 10000 "${dane_now[@]}" --probe --anchors "$WORLD_CA" \
    --password-env MAILPW "$2" > "$work/$1.c.txt" 2>&1 && echo 0 > "$work/$1.c.rc" || echo $? > "$work/$1.c.rc"
  flush_plain
  MAILPW=s3cret node bindings/js/bin/mailsrv.js probe --doh "$PLAIN_DOH" "${dane_now[@]}" --anchors "$WORLD_CA" --timeout 30000 \
    --password-env MAILPW "$2" > "$work/$1.js.txt" 2>&1 && echo 0 > "$work/$1.js.rc" || echo $? > "$work/$1.js.rc"
}
dane_logs_in() { # NAME EMAIL USAGE OUTGOING SECURITY: OUTGOING (host:port) is Postfix's listener
  local auth_before
  auth_before=$(postfix_lines " auth=1 ")
  dane_probe "$1" "$2"
  local h
  for h in rust c; do
    [ "$(cat "$work/$1.$h.rc")" = 0 ] || { cat "$work/$1.$h.txt"; fail "$h --probe $2 ($3) exited $(cat "$work/$1.$h.rc")"; }
    # Dovecot (incoming) and Postfix (outgoing): both verified by the TLSA record, both logged in.
    [ "$(grep -c "^    certificate: $3: the TLSA record" "$work/$1.$h.txt")" = 2 ] || { cat "$work/$1.$h.txt"; fail "$h --probe $2: not $3 twice"; }
    [ "$(grep -c "^    login ok as " "$work/$1.$h.txt")" = 2 ] || { cat "$work/$1.$h.txt"; fail "$h --probe $2: not two logins"; }
    grep -q "^  [a-z]*\.hosting\.test:${4#*:} $5\$" "$work/$1.$h.txt" || { cat "$work/$1.$h.txt"; fail "$h --probe $2: Postfix's listener ${4#*:} ($5) not probed"; }
  done
  # The Rust example and the C host print the same lines (the same verdict, the same login).
  diff <(grep -Ev '^    ok: |^(mailsrv-)?plan: ' "$work/$1.rust.txt") <(grep -Ev '^    ok: |^(mailsrv-)?plan: ' "$work/$1.c.txt") \
    || fail "Rust --probe $2: not the C host's lines"
  [ "$(cat "$work/$1.js.rc")" = 0 ] || { cat "$work/$1.js.txt"; fail "JS probe $2 ($3) exited $(cat "$work/$1.js.rc")"; }
  grep -q "^incoming: .*:${DANE_IMAPS#*:} (implicit-tls) works — verified by $3\$" "$work/$1.js.txt" || { cat "$work/$1.js.txt"; fail "JS probe $2: incoming not $3"; }
  grep -q "^outgoing: .*:${4#*:} ($5) works — verified by $3\$" "$work/$1.js.txt" || { cat "$work/$1.js.txt"; fail "JS probe $2: outgoing (Postfix, $5) not $3"; }
  [ "$(grep -c "login: accepted for " "$work/$1.js.txt")" = 2 ] || { cat "$work/$1.js.txt"; fail "JS probe $2: not two logins"; }
  # Postfix saw the three logins succeed (Rust, C, JS).
  [ "$(postfix_lines " auth=1 ")" -ge $((auth_before + 3)) ] || fail "$2: Postfix did not log three successful AUTH commands"
  dane_same_verdict "$1" "$2" ee.chain.pem VERIFIED 2
  echo "e2e: $2: DANE ($3) verified the out-of-domain targets, Dovecot (implicit TLS) and Postfix ($5), on Rust, C and JS (and Rust's --chain agrees); all three logged in to both without --accept-target"
}
# The Rust example's --chain verdicts for the chain the DANE listeners present (by SNI), one per
# candidate, must be the ones its --probe and the C host printed, word for word and in order,
# and the ones the CLI printed.
dane_same_verdict() { # NAME EMAIL PEM STATUS COUNT
  local pem=$3; [ "$1" = dane-ta ] && pem=ta.chain.pem
  flush_plain
  target/debug/examples/plan --server "$PLAIN_RESOLVER" "${dane_now[@]}" --chain "testdata/certs/dane/$pem" "$2" > "$work/$1.chain.txt" 2>&1 || true
  local rust c probe line
  rust=$(sed -n "s/^      verdict: $4: //p" "$work/$1.chain.txt")
  probe=$(sed -n 's/^    certificate: //p' "$work/$1.rust.txt")
  [ "$(printf '%s\n' "$rust" | grep -c .)" = "$5" ] || { cat "$work/$1.chain.txt"; fail "$2: Rust's --chain did not give $5 $4 verdicts"; }
  [ "$rust" = "$probe" ] || { cat "$work/$1.chain.txt"; fail "$2: Rust's --chain verdicts ($rust) are not its --probe's ($probe)"; }
  c=$(sed -n 's/^    certificate: //p' "$work/$1.c.txt")
  [ "$rust" = "$c" ] || { cat "$work/$1.chain.txt"; fail "$2: Rust's --chain verdicts ($rust) are not the C host's ($c)"; }
  while IFS= read -r line; do
    grep -qF " — $line" "$work/$1.js.txt" || { cat "$work/$1.js.txt"; fail "$2: the CLI's verdicts are not Rust's ($line)"; }
  done <<< "$rust"
}
dane_logs_in dane-ee alice@world-ee.dane.test DANE-EE "$DANE_SUBMISSIONS" implicit-tls
dane_logs_in dane-ta alice@world-ta.dane.test DANE-TA "$DANE_SUBMISSION" starttls
# A wrong digest: Dovecot and both Postfix listeners (implicit TLS, STARTTLS) are reached and
# rejected by the same verdict on the three hosts; Postfix logs the connections but no AUTH.
connects_before=$(postfix_lines "connect from")
auth_before=$(postfix_lines "auth=")
dane_probe dane-wrong alice@world-wrong.dane.test
for h in rust c js; do
  [ "$(cat "$work/dane-wrong.$h.rc")" = 1 ] || { cat "$work/dane-wrong.$h.txt"; fail "$h probe of a wrong TLSA digest exited $(cat "$work/dane-wrong.$h.rc")"; }
  ! grep -q "login ok\|login: accepted" "$work/dane-wrong.$h.txt" || fail "$h probe logged in despite a wrong TLSA digest"
  [ "$(grep -c "no usable TLSA record at _[0-9]*\._tcp\.wrong\.hosting\.test matches" "$work/dane-wrong.$h.txt")" = 3 ] \
    || { cat "$work/dane-wrong.$h.txt"; fail "$h probe: the wrong digest is not named for the three listeners"; }
done
dane_same_verdict dane-wrong alice@world-wrong.dane.test ee.chain.pem REJECTED 3
diff <(grep -Ev '^(mailsrv-)?plan: ' "$work/dane-wrong.rust.txt") <(grep -Ev '^(mailsrv-)?plan: ' "$work/dane-wrong.c.txt") || fail "Rust --probe of a wrong TLSA digest: not the C host's lines"
# Two Postfix listeners, three hosts: six connections (each logged as `connect from` and
# `disconnect from`, twice: maillog_file and postlogd), none with an AUTH.
[ "$(postfix_lines "connect from")" -gt "$connects_before" ] || fail "the wrong-digest probes did not reach Postfix"
[ "$(postfix_lines "auth=")" = "$auth_before" ] || fail "Postfix saw an AUTH command despite a wrong TLSA digest"
echo "e2e: alice@world-wrong.dane.test: a wrong TLSA digest is rejected on Rust, C and JS (the same verdict) for Dovecot and Postfix (implicit TLS, STARTTLS); no login, Postfix saw no AUTH"
connects_before=$(postfix_lines "connect from")
dane_probe dane-bogus alice@world-bogus.dane.test
for h in rust c js; do
  [ "$(cat "$work/dane-bogus.$h.rc")" != 0 ] || { cat "$work/dane-bogus.$h.txt"; fail "$h probe of a bogus TLSA RRset succeeded"; }
  ! grep -q "login ok\|login: accepted\|^  bogus\.hosting\.test:" "$work/dane-bogus.$h.txt" || { cat "$work/dane-bogus.$h.txt"; fail "$h probe tried the target of a bogus TLSA RRset"; }
done
[ "$(postfix_lines "connect from")" = "$connects_before" ] || fail "a probe connected to Postfix for the target of a bogus TLSA RRset"
echo "e2e: alice@world-bogus.dane.test: the target of a bogus TLSA RRset is left out on Rust, C and JS (Dovecot and Postfix); Postfix saw no connection"
# A real listener that offers no STARTTLS (but would take AUTH in plaintext): the probe aborts,
# and Postfix's log shows no AUTH from us.
cat > "$work/strip.zone" <<ZONE
\$ORIGIN world.example.
\$TTL 300
@ IN SOA ns1 hostmaster 1 7200 900 1209600 300
_submission._tcp IN SRV 0 1 ${NO_STARTTLS#*:} smtp.world.example.
smtp IN A 127.0.0.1
ZONE
auth_lines() { grep -c "auth=" "$WORLD_DIR/postfix/stdout" || true; }
before=$(auth_lines)
set +e
MAILPW=s3cret node bindings/js/bin/mailsrv.js probe --zone "$work/strip.zone" --anchors "$WORLD_CA" --password-env MAILPW \
  --json alice@world.example > "$work/strip.json" 2> /dev/null
rc=$?
set -e
[ "$rc" = 1 ] || fail "probe: a listener without STARTTLS should fail the probe (exit $rc)"
[ "$(p strip.json 'p["outgoing"]["tried"][0]["abort"]["reason"]')" = starttls-not-offered ] || fail "probe: stripping not detected"
sleep 1
[ "$(auth_lines)" = "$before" ] || fail "Postfix logged an AUTH command during the stripping probe"
echo "e2e: a real listener without STARTTLS made the probe abort before AUTH"
# A certificate naming only the server: probed up to the verdict, no further, unless the user
# confirmed the host (--accept-target); the password goes only after the confirmation.
cat > "$work/target.zone" <<ZONE
\$ORIGIN world.example.
\$TTL 300
@ IN SOA ns1 hostmaster 1 7200 900 1209600 300
_submissions._tcp IN SRV 0 1 ${TARGET_ONLY#*:} smtp.world.example.
smtp IN A 127.0.0.1
ZONE
before=$(auth_lines)
set +e
MAILPW=s3cret node bindings/js/bin/mailsrv.js probe --zone "$work/target.zone" --anchors "$WORLD_CA" --password-env MAILPW \
  --json alice@world.example > "$work/target.json" 2> /dev/null
rc=$?
set -e
[ "$rc" = 1 ] || fail "probe: a target-only certificate without confirmation should not work (exit $rc)"
[ "$(p target.json 'p["outgoing"]["tried"][0]["outcome"]')" = needs-confirmation ] || fail "probe: not needs-confirmation"
sleep 1
[ "$(auth_lines)" = "$before" ] || fail "Postfix logged an AUTH before the user confirmed the host"
MAILPW=s3cret node bindings/js/bin/mailsrv.js probe --zone "$work/target.zone" --anchors "$WORLD_CA" --password-env MAILPW \
  --accept-target smtp.world.example --json alice@world.example > "$work/target-ok.json" 2> /dev/null \
  || fail "probe: --accept-target did not let the confirmed host work"
[ "$(p target-ok.json 'p["outgoing"]["tried"][0]["login"]["ok"]')" = True ] || fail "probe: login after confirmation"
echo "e2e: a target-only certificate stops the probe at the verdict until the user confirms the host"
echo "== headless Chromium through Unbound's DoH"
chromium=$(command -v chromium || command -v chromium-browser || true)
[ -n "$chromium" ] || fail "Debian chromium is required (apt-get install chromium)"
web_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 -m http.server "$web_port" --bind 127.0.0.1 --directory bindings/js > "$work/http.log" 2>&1 &
web_pid=$!
trap 'kill "$web_pid" 2>/dev/null; bash testenv/world.sh down >/dev/null; rm -rf "$work"' EXIT INT TERM
spki=$(openssl x509 -in "$WORLD_DIR/pki/resolver.pem" -pubkey -noout | openssl pkey -pubin -outform der \
  | openssl dgst -sha256 -binary | base64)
for _ in $(seq 50); do python3 -c "import socket; socket.create_connection(('127.0.0.1', $web_port), 0.1)" 2>/dev/null && break; sleep 0.1; done
url="http://127.0.0.1:$web_port/test/browser/index.html?pkg=/src/browser.js&email=alice@example.net&doh=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$DOH")"
# The page and the resolver are different origins, and Unbound sends no CORS headers: this
# browser instance runs without web security, and trusts the resolver's key (SPKI pin) only.
flush
# bindings/js/test/page-dom.js reads the page over DevTools once it has its result, in real
# time (virtual time let dohResolver's timer run ahead of a fetch on the wire).
timeout 90 node bindings/js/test/page-dom.js "$url" --disable-web-security \
  --ignore-certificate-errors-spki-list="$spki" > "$work/browser.html" 2> "$work/browser.err" || true
python3 - "$work/browser.html" "$work/provider.json" <<'PY' || { tail -5 "$work/browser.err"; fail "the browser plan differs from the Rust plan"; }
import html, json, re, sys
page = open(sys.argv[1]).read()
m = re.search(r'<pre id="out">(PLAN|ERROR) ([^<]*)</pre>', page)
if not m or m.group(1) != "PLAN":
    print("browser:", m.group(0) if m else page[-500:]); sys.exit(1)
browser, rust = json.loads(html.unescape(m.group(2))), json.load(open(sys.argv[2]))
eb, er = browser.pop("expiresInSecs"), rust.pop("expiresInSecs")
sys.exit(0 if browser == rust and abs((eb or 0) - (er or 0)) <= 2 else 1)
PY
echo "e2e: headless Chromium planned alice@example.net through Unbound's DoH like the Rust host"
echo "e2e: all checks passed"
