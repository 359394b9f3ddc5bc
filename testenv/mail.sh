#!/usr/bin/env bash
# The mail part of the test world, on loopback: Dovecot (IMAP with STARTTLS, IMAPS, POP3 with
# STLS, POP3S on 127.0.0.3) with a certificate carrying SRV-IDs, and a zone `world.example` in
# the DNS world pointing at it. Sourced by world.sh; needs its PKI and ports helpers.

# mail_pki DIR: certificates signed by DIR/ca: Dovecot's with SRV-IDs for world.example.
mail_pki() {
  local d="$1" srv=1.3.6.1.5.5.7.8.7
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=mail.world.example" \
    -keyout "$d/dovecot.key" -out "$d/dovecot.csr" 2>/dev/null
  {
    echo "extendedKeyUsage=serverAuth"
    echo "subjectAltName=DNS:mail.world.example,otherName:$srv;IA5STRING:_imaps.world.example,otherName:$srv;IA5STRING:_imap.world.example,otherName:$srv;IA5STRING:_pop3s.world.example,otherName:$srv;IA5STRING:_pop3.world.example"
  } > "$d/dovecot.ext"
  openssl x509 -req -in "$d/dovecot.csr" -CA "$d/ca.pem" -CAkey "$d/ca.key" -CAcreateserial -days 30 \
    -extfile "$d/dovecot.ext" -out "$d/dovecot.pem" 2>/dev/null
}

# mail_zone FILE IMAP IMAPS POP3 POP3S SUBMISSION SUBMISSIONS
mail_zone() {
  cat > "$1" <<ZONE
\$ORIGIN world.example.
\$TTL 300
@ IN SOA ns1 hostmaster 1 7200 900 1209600 300
@ IN NS ns1
ns1 IN A 127.0.0.1
_imaps._tcp IN SRV 0 1 $3 mail.world.example.
_imap._tcp IN SRV 10 1 $2 mail.world.example.
_pop3s._tcp IN SRV 20 1 $5 mail.world.example.
_pop3._tcp IN SRV 30 1 $4 mail.world.example.
_submissions._tcp IN SRV 0 1 $7 smtp.world.example.
_submission._tcp IN SRV 10 1 $6 smtp.world.example.
mail IN A 127.0.0.3
smtp IN A 127.0.0.1
ZONE
}

# mail_up DIR IMAP IMAPS POP3 POP3S: starts Dovecot; prints its PID.
mail_up() {
  local d="$1"
  mkdir -p "$d/dovecot/run" "$d/dovecot/state" "$d/dovecot/home"
  chmod 755 "$d" "$d/dovecot" "$d/dovecot/home"
  echo 'alice@world.example:{PLAIN}s3cret:65534:65534::'"$d"'/dovecot/home/alice::' > "$d/dovecot/users"
  # DANE (issue 15): one more IMAPS listener, on 127.0.0.1 (the address of the SRV targets of
  # testdata/dnssec's hosting.test), port $6; its certificate is chosen by SNI (the email domain,
  # D13) from the DANE test PKI: a self-signed one for world-ee.dane.test and world-wrong.dane.test,
  # one under the private DANE-TA CA for world-ta.dane.test (world_dane_zones publishes the TLSA).
  local dane_listener="" dane_names="" pki="$root/testdata/certs/dane" n
  if [ -n "${6:-}" ]; then
    dane_listener="  inet_listener imaps_dane {
    address = 127.0.0.1
    port = $6
    ssl = yes
  }"
    for n in ee:ee ta:ta wrong:ee bogus:ee; do
      dane_names+="local_name world-${n%%:*}.dane.test {
  ssl_cert = <$pki/${n#*:}.chain.pem
  ssl_key = <$pki/${n#*:}.key
}
"
      echo "alice@world-${n%%:*}.dane.test:{PLAIN}s3cret:65534:65534::$d/dovecot/home/alice::" >> "$d/dovecot/users"
    done
  fi
  chmod 644 "$d/dovecot/users"
  cat > "$d/dovecot.conf" <<CONF
base_dir = $d/dovecot/run
state_dir = $d/dovecot/state
log_path = $d/dovecot/log
listen = 127.0.0.3
protocols = imap pop3
ssl = required
ssl_cert = <$d/pki/dovecot.pem
ssl_key = <$d/pki/dovecot.key
disable_plaintext_auth = yes
auth_mechanisms = plain login
mail_location = maildir:~/Maildir
first_valid_uid = 100
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $d/dovecot/users
}
userdb {
  driver = passwd-file
  args = username_format=%u $d/dovecot/users
}
service imap-login {
  inet_listener imap {
    port = $2
  }
  inet_listener imaps {
    port = $3
    ssl = yes
  }
$dane_listener
}
service pop3-login {
  inet_listener pop3 {
    port = $4
  }
  inet_listener pop3s {
    port = $5
    ssl = yes
  }
}
${dane_names}service auth {
  unix_listener auth-postfix {
    path = $d/dovecot/auth-postfix
    mode = 0666
  }
}
CONF
  # Its own process group, so that stopping it stops its children too.
  setsid dovecot -F -c "$d/dovecot.conf" > "$d/dovecot/stderr" 2>&1 &
  echo $!
}

# postfix_pki DIR: Postfix's certificate: a DNS-ID for the user's domain world.example.
postfix_pki() {
  local d="$1"
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=smtp.world.example" \
    -keyout "$d/postfix.key" -out "$d/postfix.csr" 2>/dev/null
  printf 'extendedKeyUsage=serverAuth\nsubjectAltName=DNS:world.example\n' > "$d/postfix.ext"
  openssl x509 -req -in "$d/postfix.csr" -CA "$d/ca.pem" -CAkey "$d/ca.key" -CAcreateserial -days 30 \
    -extfile "$d/postfix.ext" -out "$d/postfix.pem" 2>/dev/null
  cat "$d/postfix.pem" > "$d/postfix.chain.pem"
  # Only the server's own name (no SRV-ID, no DNS-ID of the user's domain).
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=smtp.world.example" \
    -keyout "$d/target-only.key" -out "$d/target-only.csr" 2>/dev/null
  printf 'extendedKeyUsage=serverAuth\nsubjectAltName=DNS:smtp.world.example\n' > "$d/target-only.ext"
  openssl x509 -req -in "$d/target-only.csr" -CA "$d/ca.pem" -CAkey "$d/ca.key" -CAcreateserial -days 30 \
    -extfile "$d/target-only.ext" -out "$d/target-only.pem" 2>/dev/null
  # Expired: valid for the user's domain, but only in 2020 (openssl ca sets the dates).
  mkdir -p "$d/ca-db"
  : > "$d/ca-db/index.txt"
  echo 1000 > "$d/ca-db/serial"
  cat > "$d/ca-db/ca.cnf" <<CNF
[ca]
default_ca = world
[world]
database = $d/ca-db/index.txt
new_certs_dir = $d/ca-db
serial = $d/ca-db/serial
certificate = $d/ca.pem
private_key = $d/ca.key
default_md = sha256
policy = any
copy_extensions = copy
[any]
commonName = supplied
CNF
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=smtp.world.example" \
    -addext "subjectAltName=DNS:world.example" -addext "extendedKeyUsage=serverAuth" \
    -keyout "$d/expired.key" -out "$d/expired.csr" 2>/dev/null
  openssl ca -batch -config "$d/ca-db/ca.cnf" -startdate 20200101000000Z -enddate 20210101000000Z \
    -in "$d/expired.csr" -out "$d/expired.pem" >/dev/null 2>&1
}

# postfix_up DIR SUBMISSION SUBMISSIONS TARGET_ONLY EXPIRED PLAIN [DANE_SUBMISSIONS DANE_SUBMISSION]:
# Postfix on 127.0.0.1 (STARTTLS and implicit TLS; two more implicit-TLS listeners present the
# target-only and the expired certificates; one listener offers no STARTTLS but AUTH in
# plaintext, the stripping case), authenticating through Dovecot's auth socket, delivering
# nothing; prints its master's PID.
# DANE (issue 15): with DANE_SUBMISSIONS and DANE_SUBMISSION, two more listeners (implicit TLS and
# STARTTLS) whose certificate is chosen by SNI (the email domain, D13) as Dovecot's DANE listener
# does (tls_server_sni_maps, built with `postmap -F`): the self-signed DANE-EE certificate for
# world-ee, world-wrong and world-bogus.dane.test (and for no SNI), the one under the private
# DANE-TA CA for world-ta.dane.test (world_dane_zones publishes the SRV and TLSA records).
postfix_up() {
  local d="$1" c="$1/postfix/etc"
  mkdir -p "$c" "$d/postfix/queue" "$d/postfix/data"
  chown postfix "$d/postfix/data"
  local dane_services="" pki="$root/testdata/certs/dane" n
  if [ -n "${7:-}" ]; then
    for n in ee ta; do
      # A chain file for tls_server_sni_maps: the private key first, then the chain, leaf first.
      cat "$pki/$n.key" "$pki/$n.chain.pem" > "$c/dane-$n.pem"
      chmod 600 "$c/dane-$n.pem"
    done
    for n in ee:ee ta:ta wrong:ee bogus:ee; do
      echo "world-${n%%:*}.dane.test $c/dane-${n#*:}.pem"
    done > "$c/dane-sni"
    local dane_tls="-o smtpd_sasl_auth_enable=yes -o smtpd_tls_cert_file=$pki/ee.chain.pem -o smtpd_tls_key_file=$pki/ee.key -o tls_server_sni_maps=hash:$c/dane-sni"
    dane_services="127.0.0.1:$7 inet n - n - - smtpd -o smtpd_tls_wrappermode=yes $dane_tls
127.0.0.1:$8 inet n - n - - smtpd -o smtpd_tls_security_level=encrypt $dane_tls"
  fi
  cat > "$c/main.cf" <<CONF
compatibility_level = 3.6
queue_directory = $d/postfix/queue
data_directory = $d/postfix/data
mail_owner = postfix
setgid_group = postdrop
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
maillog_file = /dev/stdout
myhostname = smtp.world.example
mydestination =
smtp_dns_support_level = disabled
default_transport = discard
relay_transport = discard
local_transport = discard
smtpd_tls_cert_file = $d/pki/postfix.chain.pem
smtpd_tls_key_file = $d/pki/postfix.key
smtpd_tls_auth_only = yes
smtpd_sasl_type = dovecot
smtpd_sasl_path = $d/dovecot/auth-postfix
smtpd_relay_restrictions = permit_sasl_authenticated, reject
CONF
  cat > "$c/master.cf" <<CONF
127.0.0.1:$2 inet n - n - - smtpd -o smtpd_tls_security_level=encrypt -o smtpd_sasl_auth_enable=yes
127.0.0.1:$3 inet n - n - - smtpd -o smtpd_tls_wrappermode=yes -o smtpd_sasl_auth_enable=yes
127.0.0.1:$4 inet n - n - - smtpd -o smtpd_tls_wrappermode=yes -o smtpd_sasl_auth_enable=yes -o smtpd_tls_cert_file=$d/pki/target-only.pem -o smtpd_tls_key_file=$d/pki/target-only.key
127.0.0.1:$5 inet n - n - - smtpd -o smtpd_tls_wrappermode=yes -o smtpd_tls_cert_file=$d/pki/expired.pem -o smtpd_tls_key_file=$d/pki/expired.key
127.0.0.1:$6 inet n - n - - smtpd -o smtpd_tls_security_level=none -o smtpd_sasl_auth_enable=yes -o smtpd_tls_auth_only=no
$dane_services
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
tlsmgr    unix  -       -       n       1000?   1       tlsmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
CONF
  if [ -n "$dane_services" ]; then
    postmap -c "$c" -F "hash:$c/dane-sni" || { echo "world: postmap -F $c/dane-sni failed" >&2; exit 1; }
  fi
  postfix -c "$c" check >/dev/null 2>&1 || true
  postfix -c "$c" start-fg > "$d/postfix/stdout" 2>&1 &
  # The master makes its own process group; its PID file names it.
  local pidfile="$d/postfix/queue/pid/master.pid"
  for _ in $(seq 100); do [ -s "$pidfile" ] && break; sleep 0.05; done
  tr -d ' \n' < "$pidfile"
}
