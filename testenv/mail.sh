#!/usr/bin/env bash
# The mail part of the test world, on loopback: Dovecot (IMAP with STARTTLS, IMAPS, POP3 with
# STLS, POP3S on 127.0.0.3) with a certificate carrying SRV-IDs, and a zone `world.example` in
# the DNS world pointing at it. Sourced by world.sh; needs its PKI and ports helpers.

mail_install() {
  command -v dovecot >/dev/null 2>&1 && return 0
  local sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends dovecot-imapd dovecot-pop3d
}

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

# mail_zone FILE IMAP IMAPS POP3 POP3S
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
mail IN A 127.0.0.3
ZONE
}

# mail_up DIR IMAP IMAPS POP3 POP3S: starts Dovecot; prints its PID.
mail_up() {
  local d="$1"
  mkdir -p "$d/dovecot/run" "$d/dovecot/state" "$d/dovecot/home"
  chmod 755 "$d" "$d/dovecot" "$d/dovecot/home"
  echo 'alice@world.example:{PLAIN}s3cret:65534:65534::'"$d"'/dovecot/home/alice::' > "$d/dovecot/users"
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
CONF
  dovecot -F -c "$d/dovecot.conf" > "$d/dovecot/stderr" 2>&1 &
  echo $!
}
