#!/usr/bin/env bash
# The DNS part of the test world, on loopback: Knot (authoritative for the testdata zones, one
# zone signed by Knot, one deliberately bogus, and the signed hierarchy of testdata/dnssec/: a
# private root, the TLD test. and its test domains, NSEC and NSEC3), Unbound (validating with a
# private trust anchor, plain DNS and DNS over HTTPS) and a second Unbound that does NOT validate
# (module-config "iterator": it passes DNSSEC records through to DO queries, never sets AD), so
# that a host validating by itself can be tested through a resolver whose AD proves nothing. `world.sh up` installs what is missing, starts both and
# writes target/world/env; `world.sh down` stops them by PID. Dovecot serves the domain
# and Postfix serve the domain world.example (testenv/mail.sh); nginx serves provider autoconfig,
# MX-derived autoconfig and an ISPDB look-alike over HTTPS (testenv/web.sh).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck disable=SC1091
. "$root/testenv/mail.sh"
# shellcheck disable=SC1091
. "$root/testenv/web.sh"
# Daemon state lives in a fresh directory under /tmp that every user can traverse: Dovecot's
# and Postfix's unprivileged processes must reach their files whatever the checkout's permissions.
ENV="$root/target/world/env"
W=""

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }


# DANE in the world (issue 15): dane.test and hosting.test of testdata/dnssec/ re-signed with
# their committed keys (so test.zone's DS records still hold) with records for the DANE listeners
# added: Dovecot's IMAPS on 127.0.0.1:PORT, Postfix's submissions (implicit TLS) on SUBS_PORT and
# submission (STARTTLS) on SUB_PORT. world-{ee,ta,wrong,bogus}.dane.test have an IMAPS SRV record
# for {ee,ta,wrong,bogus}.hosting.test (out of domain) on PORT; world-ee and world-bogus a
# submissions SRV record, world-ta a submission (STARTTLS) one, world-wrong both, for the same
# target on the Postfix ports. _P._tcp of each target has, for each of the three ports P, the
# TLSA record its _993._tcp has (DANE-EE of the self-signed key, DANE-TA of the private CA, a
# wrong digest, and one tampered after signing: bogus). ECDSA signatures are not deterministic;
# the answers' validity is (the committed window).
world_dane_zones() { # W PORT SUBS_PORT SUB_PORT
  local w=$1 port=$2 subs_port=$3 sub_port=$4 work="$1/ldns/dane" keys="$root/testdata/dnssec/keys" t
  mkdir -p "$work"
  cp "$root/testdata/dnssec/unsigned/dane.test.zone" "$root/testdata/dnssec/unsigned/hosting.test.zone" "$work/"
  for t in ee ta wrong bogus; do
    echo "_imaps._tcp.world-$t IN SRV 0 1 $port $t.hosting.test." >> "$work/dane.test.zone"
  done
  for t in ee wrong bogus; do
    echo "_submissions._tcp.world-$t IN SRV 0 1 $subs_port $t.hosting.test." >> "$work/dane.test.zone"
  done
  for t in ta wrong; do
    echo "_submission._tcp.world-$t IN SRV 0 1 $sub_port $t.hosting.test." >> "$work/dane.test.zone"
  done
  # The committed TLSA data (bogus.hosting.test's is tampered there: it takes ee's).
  local owner data p
  for t in ee ta wrong bogus; do
    owner=$t; [ "$t" = bogus ] && owner=ee
    data=$(awk -v n="_993._tcp.$owner.hosting.test." '$1 == n && $4 == "TLSA" { print $5, $6, $7, $8; exit }' "$root/testdata/dnssec/hosting.test.zone")
    [ -n "$data" ] || { echo "world: no TLSA record for $owner.hosting.test in testdata/dnssec"; exit 1; }
    for p in 993 "$port" "$subs_port" "$sub_port"; do
      echo "_$p._tcp.$t IN TLSA $data" >> "$work/hosting.test.zone"
    done
  done
  local z
  for z in dane.test hosting.test; do
    ldns-signzone -i 20260101000000 -e 20360101000000 -o "$z." -f "$work/$z.zone.signed" "$work/$z.zone" \
      "$keys/$(cat "$keys/ksk.$z")" || { echo "world: cannot sign $z"; exit 1; }
  done
  for p in 993 "$port" "$subs_port" "$sub_port"; do
    sed -i 's/^\(_'"$p"'\._tcp\.bogus\.hosting\.test\.[[:space:]].*TLSA[[:space:]]\{1,\}3[[:space:]]\{1,\}\)1/\10/' "$work/hosting.test.zone.signed"
    grep -q '^_'"$p"'\._tcp\.bogus\.hosting\.test\..*TLSA[[:space:]]*3[[:space:]]*0[[:space:]]*1' "$work/hosting.test.zone.signed" \
      || { echo "world: the bogus TLSA tampering failed"; exit 1; }
  done
  cp "$work/dane.test.zone.signed" "$w/zones/dnssec/dane.test.zone"
  cp "$work/hosting.test.zone.signed" "$w/zones/dnssec/hosting.test.zone"
}

# Knot, Unbound, ldns, Dovecot and Postfix come with the test dependencies (never their daemons).
install() { bash "$root/scripts/deps.sh" test; }

down() {
  [ -f "$ENV" ] || return 0
  # shellcheck disable=SC1090
  . "$ENV"
  # Knot and Unbound by PID; Dovecot and Postfix by process group (their children included).
  for pid in ${KNOT_PID:-} ${UNBOUND_PID:-} ${PLAIN_UNBOUND_PID:-} ${NGINX_PID:-}; do kill "$pid" 2>/dev/null || true; done
  for group in ${DOVECOT_PID:-} ${POSTFIX_PID:-}; do kill -TERM -- "-$group" 2>/dev/null || true; done
  for pid in ${KNOT_PID:-} ${UNBOUND_PID:-} ${PLAIN_UNBOUND_PID:-} ${NGINX_PID:-}; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  done
  for group in ${DOVECOT_PID:-} ${POSTFIX_PID:-}; do
    for _ in $(seq 50); do kill -0 -- "-$group" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$group" 2>/dev/null || true
  done
  case "${WORLD_DIR:-}" in /tmp/mailsrv-world.*) rm -rf "$WORLD_DIR" ;; esac
  rm -f "$ENV"
  echo "world: stopped"
}

wait_port() { # PORT
  python3 - "$1" <<'PY'
import socket, sys, time
for _ in range(100):
    try:
        socket.create_connection(("127.0.0.1", int(sys.argv[1])), 0.1).close(); sys.exit(0)
    except OSError:
        time.sleep(0.05)
sys.exit(1)
PY
}

up() {
  install
  down
  mkdir -p "$(dirname "$ENV")"
  W=$(mktemp -d /tmp/mailsrv-world.XXXXXX)
  chmod 755 "$W"
  echo "WORLD_DIR=$W" > "$ENV"
  mkdir -p "$W"/{knot/db,zones/dnssec,unbound,plain-unbound,pki,ldns}
  local knot_port unbound_port doh_port plain_port_dns plain_doh_port
  knot_port=$(free_port); unbound_port=$(free_port); doh_port=$(free_port)
  plain_port_dns=$(free_port); plain_doh_port=$(free_port)

  # A private PKI for the DoH endpoint (an IP SAN for 127.0.0.1).
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 -subj "/CN=world CA" \
    -keyout "$W/pki/ca.key" -out "$W/pki/ca.pem" -addext basicConstraints=critical,CA:TRUE 2>/dev/null
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=resolver" \
    -keyout "$W/pki/resolver.key" -out "$W/pki/resolver.csr" 2>/dev/null
  printf 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' > "$W/pki/resolver.ext"
  openssl x509 -req -in "$W/pki/resolver.csr" -CA "$W/pki/ca.pem" -CAkey "$W/pki/ca.key" -CAcreateserial \
    -days 30 -extfile "$W/pki/resolver.ext" -out "$W/pki/resolver.pem" 2>/dev/null

  # Mail: Dovecot on 127.0.0.3 with SRV-IDs for world.example.
  local imap_port imaps_port pop3_port pop3s_port sub_port subs_port
  imap_port=$(free_port); imaps_port=$(free_port); pop3_port=$(free_port); pop3s_port=$(free_port)
  sub_port=$(free_port); subs_port=$(free_port)
  local target_only_port expired_port dot_port plain_port
  target_only_port=$(free_port); expired_port=$(free_port); dot_port=$(free_port); plain_port=$(free_port)
  mail_pki "$W/pki"
  postfix_pki "$W/pki"
  mail_zone "$W/zones/world.zone" "$imap_port" "$imaps_port" "$pop3_port" "$pop3s_port" "$sub_port" "$subs_port"
  local dovecot_pid postfix_pid
  local dane_port dane_subs_port dane_sub_port
  dane_port=$(free_port); dane_subs_port=$(free_port); dane_sub_port=$(free_port)
  dovecot_pid=$(mail_up "$W" "$imap_port" "$imaps_port" "$pop3_port" "$pop3s_port" "$dane_port")
  { echo "WORLD_DIR=$W"; echo "DOVECOT_PID=$dovecot_pid"; } > "$ENV"
  postfix_pid=$(postfix_up "$W" "$sub_port" "$subs_port" "$target_only_port" "$expired_port" "$plain_port" \
    "$dane_subs_port" "$dane_sub_port")
  { echo "WORLD_DIR=$W"; echo "DOVECOT_PID=$dovecot_pid"; echo "POSTFIX_PID=$postfix_pid"; } > "$ENV"

  # Web: nginx with the multi-source corpus, its host names in the zones below.
  local web_port nginx_pid web_zone_entries
  web_port=$(free_port)
  web_content "$W" "$root"
  web_pki "$W"
  nginx_pid=$(web_up "$W" "$web_port")
  { echo "WORLD_DIR=$W"; echo "DOVECOT_PID=$dovecot_pid"; echo "POSTFIX_PID=$postfix_pid"; echo "NGINX_PID=$nginx_pid"; } > "$ENV"

  # Zones: the testdata zones, the signed hierarchy of testdata/dnssec/ (its private root answers
  # NXDOMAIN for every other TLD, keeping the resolvers away from the real root), one zone Knot
  # signs, one signed then tampered.
  cp "$root"/testdata/zones/*.zone "$W/zones/"
  cp "$root"/testdata/dnssec/*.zone "$W/zones/dnssec/"
  world_dane_zones "$W" "$dane_port" "$dane_subs_port" "$dane_sub_port"
  local signed_zones=()
  for f in "$root"/testdata/dnssec/*.zone; do
    f=$(basename "$f"); [ "$f" = root.zone ] || signed_zones+=("${f%.zone}.:dnssec/$f")
  done
  sed 's/signed\.example/knotsigned.example/g' "$root/testdata/zones/signed.zone" > "$W/zones/knotsigned.zone"
  sed 's/signed\.example/bogus.example/g' "$root/testdata/zones/signed.zone" > "$W/ldns/bogus.zone"
  (cd "$W/ldns" && key=$(ldns-keygen -a ECDSAP256SHA256 -k bogus.example) \
    && ldns-signzone -o bogus.example bogus.zone "$key" >/dev/null \
    && ldns-key2ds -n "$key.key" > bogus.ds \
    && sed 's/\(SRV[[:space:]]*0[[:space:]]*1[[:space:]]*\)993/\1994/' bogus.zone.signed > "$W/zones/bogus.zone")

  mapfile -t web_zone_entries < <(web_zones "$W" "$root" "$W/zones")
  [ "${#web_zone_entries[@]}" -gt 0 ] || { echo "world: no web zones"; exit 1; }
  local zones=("${web_zone_entries[@]}" example.net:demo.zone implicit.example:implicit-only.zone pop3.example:prefers-pop3.zone
    custom.example:custom-domain.zone provider.example:provider.zone empty.example:nothing.zone
    many.example:many.zone knotsigned.example:knotsigned.zone bogus.example:bogus.zone
    world.example:world.zone)
  {
    echo "server:"
    echo "    rundir: \"$W/knot\""
    echo "    listen: [ 127.0.0.1@$knot_port ]"
    echo "database:"
    echo "    storage: \"$W/knot/db\""
    echo "template:"
    echo "  - id: default"
    echo "    storage: \"$W/zones\""
    echo "    zonefile-sync: -1"
    echo "    journal-content: none"
    echo "zone:"
    echo "  - domain: ."
    echo "    file: dnssec/root.zone"
    for z in "${zones[@]}" "${signed_zones[@]}"; do
      echo "  - domain: ${z%%:*}"
      echo "    file: ${z#*:}"
      [ "${z%%:*}" = knotsigned.example ] && echo "    dnssec-signing: on"
    done
    # `make bench-bulk`: more zones, listed as `domain file` lines in $WORLD_EXTRA_ZONES.
    if [ -n "${WORLD_EXTRA_ZONES:-}" ]; then
      while read -r domain file; do
        echo "  - domain: $domain"
        echo "    file: \"$file\""
      done < "$WORLD_EXTRA_ZONES"
    fi
  } > "$W/knot.conf"
  knotd -c "$W/knot.conf" > "$W/knot/log" 2>&1 &
  local knot_pid=$!
  { echo "WORLD_DIR=$W"; echo "DOVECOT_PID=$dovecot_pid"; echo "POSTFIX_PID=$postfix_pid"; echo "NGINX_PID=$nginx_pid"; echo "KNOT_PID=$knot_pid"; } > "$ENV"
  wait_port "$knot_port" || { cat "$W/knot/log"; exit 1; }
  local ds=""
  for _ in $(seq 50); do
    ds=$(keymgr -c "$W/knot.conf" knotsigned.example ds 2>/dev/null | grep -i " DS " | head -n1 || true)
    [ -n "$ds" ] && break
    sleep 0.1
  done
  [ -n "$ds" ] || { echo "world: Knot did not sign knotsigned.example"; cat "$W/knot/log"; exit 1; }
  { echo "$ds"; cat "$W/ldns/bogus.ds"; } > "$W/unbound/anchors"

  {
    echo "server:"
    echo "    username: \"\""
    echo "    chroot: \"\""
    echo "    directory: \"$W/unbound\""
    echo "    do-daemonize: no"
    echo "    use-syslog: no"
    echo "    logfile: \"$W/unbound/log\""
    echo "    interface: 127.0.0.1@$unbound_port"
    echo "    interface: 127.0.0.1@$doh_port"
    echo "    interface: 127.0.0.1@$dot_port"
    echo "    https-port: $doh_port"
    echo "    tls-port: $dot_port"
    echo "    http-endpoint: \"/dns-query\""
    echo "    http-notls-downstream: no"
    echo "    tls-service-pem: \"$W/pki/resolver.pem\""
    echo "    tls-service-key: \"$W/pki/resolver.key\""
    echo "    do-not-query-localhost: no"
    echo "    access-control: 127.0.0.0/8 allow"
    echo "    module-config: \"validator iterator\""
    echo "    local-zone: \"test.\" nodefault"
    echo "    trust-anchor-file: \"$W/unbound/anchors\""
    echo "    ede: yes"
    echo "    qname-minimisation: no"
    echo "    minimal-responses: yes"
    echo "remote-control:"
    echo "    control-enable: yes"
    echo "    control-interface: \"$W/unbound/control.sock\""
    echo "    control-use-cert: no"
    echo "stub-zone:"
    echo "    name: \".\""
    echo "    stub-addr: 127.0.0.1@$knot_port"
    for z in "${zones[@]}"; do
      echo "stub-zone:"
      echo "    name: \"${z%%:*}\""
      echo "    stub-addr: 127.0.0.1@$knot_port"
    done
    # The extra zones' parents (d1.bench.example → bench.example), each once.
    if [ -n "${WORLD_EXTRA_ZONES:-}" ]; then
      while read -r domain _; do echo "${domain#*.}"; done < "$WORLD_EXTRA_ZONES" | sort -u | while read -r parent; do
        echo "stub-zone:"
        echo "    name: \"$parent\""
        echo "    stub-addr: 127.0.0.1@$knot_port"
      done
    fi
  } > "$W/unbound.conf"
  unbound -d -c "$W/unbound.conf" > "$W/unbound/stderr" 2>&1 &
  local unbound_pid=$!
  { echo "WORLD_DIR=$W"; echo "DOVECOT_PID=$dovecot_pid"; echo "POSTFIX_PID=$postfix_pid"; echo "NGINX_PID=$nginx_pid"; echo "KNOT_PID=$knot_pid"; echo "UNBOUND_PID=$unbound_pid"; } > "$ENV"

  # The resolver that does not validate: iterator only, same Knot, plain DNS and DoH. Asked with
  # DO it returns the RRSIGs and NSEC/NSEC3 records as they come; it never sets AD.
  {
    echo "server:"
    echo "    username: \"\""
    echo "    chroot: \"\""
    echo "    directory: \"$W/plain-unbound\""
    echo "    pidfile: \"\""
    echo "    do-daemonize: no"
    echo "    use-syslog: no"
    echo "    logfile: \"$W/plain-unbound/log\""
    echo "    interface: 127.0.0.1@$plain_port_dns"
    echo "    interface: 127.0.0.1@$plain_doh_port"
    echo "    https-port: $plain_doh_port"
    echo "    http-endpoint: \"/dns-query\""
    echo "    http-notls-downstream: no"
    echo "    tls-service-pem: \"$W/pki/resolver.pem\""
    echo "    tls-service-key: \"$W/pki/resolver.key\""
    echo "    do-not-query-localhost: no"
    echo "    access-control: 127.0.0.0/8 allow"
    echo "    module-config: \"iterator\""
    # test. is one of Unbound's built-in RFC 6761 local zones (NXDOMAIN): ask Knot instead.
    echo "    local-zone: \"test.\" nodefault"
    echo "    qname-minimisation: no"
    echo "    minimal-responses: yes"
    echo "remote-control:"
    echo "    control-enable: yes"
    echo "    control-interface: \"$W/plain-unbound/control.sock\""
    echo "    control-use-cert: no"
    echo "stub-zone:"
    echo "    name: \".\""
    echo "    stub-addr: 127.0.0.1@$knot_port"
    for z in "${signed_zones[@]}"; do
      echo "stub-zone:"
      echo "    name: \"${z%%:*}\""
      echo "    stub-addr: 127.0.0.1@$knot_port"
    done
  } > "$W/plain-unbound.conf"
  unbound -d -c "$W/plain-unbound.conf" > "$W/plain-unbound/stderr" 2>&1 &
  local plain_unbound_pid=$!
  {
    echo "WORLD_DIR=$W"
    echo "DOVECOT_PID=$dovecot_pid"
    echo "POSTFIX_PID=$postfix_pid"
    echo "NGINX_PID=$nginx_pid"
    echo "WEB=127.0.0.1:$web_port"
    echo "ISPDB=$WEB_ISPDB"
    echo "SUBMISSIONS=127.0.0.1:$subs_port"
    echo "KNOT_PID=$knot_pid"
    echo "UNBOUND_PID=$unbound_pid"
    echo "PLAIN_UNBOUND_PID=$plain_unbound_pid"
    echo "IMAPS=127.0.0.3:$imaps_port"
    echo "IMAP=127.0.0.3:$imap_port"
    echo "SUBMISSION=127.0.0.1:$sub_port"
    echo "TARGET_ONLY=127.0.0.1:$target_only_port"
    echo "EXPIRED=127.0.0.1:$expired_port"
    echo "NO_STARTTLS=127.0.0.1:$plain_port"
    echo "DOT=127.0.0.1:$dot_port"
    echo "KNOT=127.0.0.1:$knot_port"
    echo "RESOLVER=127.0.0.1:$unbound_port"
    echo "DOH=https://127.0.0.1:$doh_port/dns-query"
    echo "WORLD_CA=$W/pki/ca.pem"
    echo "UNBOUND_CONF=$W/unbound.conf"
    echo "PLAIN_RESOLVER=127.0.0.1:$plain_port_dns"
    echo "PLAIN_DOH=https://127.0.0.1:$plain_doh_port/dns-query"
    echo "PLAIN_UNBOUND_CONF=$W/plain-unbound.conf"
    echo "SIGNED_ANCHOR=$root/testdata/dnssec/root.anchor"
    echo "DANE_IMAPS=127.0.0.1:$dane_port"
    echo "DANE_SUBMISSIONS=127.0.0.1:$dane_subs_port"
    echo "DANE_SUBMISSION=127.0.0.1:$dane_sub_port"
  } > "$ENV"
  wait_port "$doh_port" || { cat "$W/unbound/stderr" "$W/unbound/log"; exit 1; }
  wait_port "$plain_doh_port" || { cat "$W/plain-unbound/stderr" "$W/plain-unbound/log"; exit 1; }
  python3 - "$imaps_port" <<'PY' || { cat "$W/dovecot/stderr" "$W/dovecot/log" 2>/dev/null; echo "world: Dovecot did not start"; exit 1; }
import socket, sys, time
for _ in range(100):
    try:
        socket.create_connection(("127.0.0.3", int(sys.argv[1])), 0.1).close(); sys.exit(0)
    except OSError:
        time.sleep(0.05)
sys.exit(1)
PY
  wait_port "$subs_port" || { cat "$W/postfix/stdout"; echo "world: Postfix did not start"; exit 1; }
  wait_port "$dane_subs_port" || { cat "$W/postfix/stdout"; echo "world: Postfix's DANE listeners did not start"; exit 1; }
  wait_port "$web_port" || { cat "$W/nginx/stdout" "$W/nginx/error.log"; echo "world: nginx did not start"; exit 1; }
  echo "world: Knot on 127.0.0.1:$knot_port, Unbound on 127.0.0.1:$unbound_port, DoH on https://127.0.0.1:$doh_port/dns-query, non-validating Unbound on 127.0.0.1:$plain_port_dns (DoH $plain_doh_port), Dovecot on 127.0.0.3 (IMAPS $imaps_port), nginx on 127.0.0.1:$web_port"
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  *) echo "usage: testenv/world.sh up|down" >&2; exit 2 ;;
esac
