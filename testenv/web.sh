#!/usr/bin/env bash
# The web part of the test world, on loopback: nginx serving the multi-source corpus
# (testdata/fixtures/*/http: provider autoconfig at autoconfig.<d>, the well-known location, the
# MX host's autoconfig, a hostile and a trimmed provider document) over HTTPS with a certificate
# from the world's CA, and an ISPDB look-alike at https://ispdb.world.example/v1.1/ (the corpus's
# autoconfig.thunderbird.net documents). Every host name it serves is in the world's DNS (an A
# record to 127.0.0.1 in the Knot zone it belongs to). nginx listens on an unprivileged loopback
# port, not 443: the hosts reach it with --connect-to (decision D48), which changes only where
# the connection goes, not the URL, SNI or the certificate name checked. Sourced by world.sh.

# The fixture cases served (testdata/fixtures/<case>/http) and their zones (domain:file).
WEB_CASES=(agree mx hostile trimmed)
WEB_ZONES=(agree.example:agree/agree.zone mxonly.example:mx/mx.zone hostile.example:hostile/hostile.zone
  trimmed.example:trimmed/trimmed.zone)
# Redirects (HOST PATH LOCATION) for moved.example, a domain whose provider moved: one within
# https (followed), one to plain HTTP (refused by the core's rule: insecure-redirect).
WEB_REDIRECTS=("autoconfig.moved.example /mail/config-v1.1.xml https://autoconfig.agree.example/mail/config-v1.1.xml"
  "moved.example /.well-known/autoconfig/mail/config-v1.1.xml http://autoconfig.agree.example/mail/config-v1.1.xml")
# The ISPDB look-alike's host and base URL (given to the hosts with --ispdb).
WEB_ISPDB_HOST=ispdb.world.example
WEB_ISPDB="https://$WEB_ISPDB_HOST/v1.1/"

# web_content DIR ROOT: the corpus's documents under DIR/web/<host>/ (the ISPDB's under its host).
web_content() {
  local d="$1" root="$2" c z
  mkdir -p "$d/web"
  for c in "${WEB_CASES[@]}"; do cp -R "$root/testdata/fixtures/$c/http/." "$d/web/"; done
  mv "$d/web/autoconfig.thunderbird.net" "$d/web/$WEB_ISPDB_HOST"
  # Every other name a discovery of these domains asks is served too, with nothing in it: a
  # missing document is a 404 from a real server, as in the corpus (host_web::fixture_status).
  for z in "${WEB_ZONES[@]}" hoster.example: moved.example:; do mkdir -p "$d/web/autoconfig.${z%%:*}" "$d/web/${z%%:*}"; done
  chmod -R a+rX "$d/web"
}

# web_hosts DIR: the host names served, one a line.
web_hosts() { (cd "$1/web" && ls -1); }

# web_zones DIR ROOT ZONEDIR: copies the cases' zones into ZONEDIR, adds the MX host's zone
# (hoster.example) and gives every served host name an A record to 127.0.0.1 in the zone it
# belongs to (the zones already in ZONEDIR included: world.example for the ISPDB). Prints the
# `domain:file` entries of the zones it added.
web_zones() {
  local d="$1" root="$2" zdir="$3" z host best bestfile domain
  for z in "${WEB_ZONES[@]}"; do
    cp "$root/testdata/fixtures/${z#*:}" "$zdir/${z%%:*}.zone"
    echo "${z%%:*}:${z%%:*}.zone"
  done
  printf '$ORIGIN hoster.example.\n$TTL 300\n@ IN SOA ns1 hostmaster 1 7200 900 1209600 300\n@ IN NS ns1\nns1 IN A 127.0.0.1\n' \
    > "$zdir/hoster.example.zone"
  echo "hoster.example:hoster.example.zone"
  printf '$ORIGIN moved.example.\n$TTL 300\n@ IN SOA ns1 hostmaster 1 7200 900 1209600 300\n@ IN NS ns1\nns1 IN A 127.0.0.1\n' \
    > "$zdir/moved.example.zone"
  echo "moved.example:moved.example.zone"
  while read -r host; do
    best=""
    for z in "$zdir"/*.zone; do
      domain=$(awk '$1 == "$ORIGIN" { sub(/\.$/, "", $2); print $2; exit }' "$z")
      [ -n "$domain" ] || continue
      case "$host" in "$domain" | *".$domain") [ ${#domain} -gt ${#best} ] && best=$domain && bestfile=$z ;; esac
    done
    [ -n "$best" ] || { echo "web: no world zone for $host" >&2; return 1; }
    echo "$host. 300 IN A 127.0.0.1" >> "$bestfile"
  done < <(web_hosts "$d")
}

# web_pki DIR: nginx's certificate for every served host name, issued by DIR/pki/ca.
web_pki() {
  local d="$1" sans
  sans=$(web_hosts "$d" | sed 's/^/DNS:/' | paste -sd, -)
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=web.world.example" \
    -keyout "$d/pki/web.key" -out "$d/pki/web.csr" 2>/dev/null
  printf 'subjectAltName=%s\nextendedKeyUsage=serverAuth\n' "$sans" > "$d/pki/web.ext"
  openssl x509 -req -in "$d/pki/web.csr" -CA "$d/pki/ca.pem" -CAkey "$d/pki/ca.key" -CAcreateserial \
    -days 30 -extfile "$d/pki/web.ext" -out "$d/pki/web.pem" 2>/dev/null
}

# web_up DIR PORT: starts nginx in the foreground of a background job; prints its PID. Documents
# are text/xml (the corpus's rule, host_web::FIXTURE_CONTENT_TYPE) unless a `<file>.content-type`
# names another type; a missing file is nginx's 404.
web_up() {
  local d="$1" port="$2" host f r rhost rpath rloc
  mkdir -p "$d/nginx/tmp"
  {
    echo "daemon off;"
    echo "worker_processes 1;"
    echo "pid $d/nginx/nginx.pid;"
    echo "error_log $d/nginx/error.log;"
    echo "events { worker_connections 256; }"
    echo "http {"
    echo "  access_log $d/nginx/access.log;"
    for t in client_body proxy fastcgi uwsgi scgi; do echo "  ${t}_temp_path $d/nginx/tmp/$t;"; done
    echo "  types { }"
    echo "  default_type text/xml;"
    echo "  ssl_protocols TLSv1.2 TLSv1.3;"
    echo "  ssl_certificate $d/pki/web.pem;"
    echo "  ssl_certificate_key $d/pki/web.key;"
    echo "  server { listen 127.0.0.1:$port ssl default_server; return 421; }"
    while read -r host; do
      echo "  server {"
      echo "    listen 127.0.0.1:$port ssl;"
      echo "    server_name $host;"
      echo "    root $d/web/$host;"
      while read -r f; do
        f=${f#./}
        echo "    location = /${f%.content-type} { default_type \"$(tr -d '\n"' < "$d/web/$host/$f")\"; }"
      done < <(cd "$d/web/$host" && find . -name '*.content-type')
      for r in "${WEB_REDIRECTS[@]}"; do
        read -r rhost rpath rloc <<< "$r"
        if [ "$rhost" = "$host" ]; then echo "    location = $rpath { return 301 $rloc; }"; fi
      done
      echo "  }"
    done < <(web_hosts "$d")
    echo "}"
  } > "$d/nginx.conf"
  nginx -e "$d/nginx/error.log" -p "$d/nginx" -c "$d/nginx.conf" > "$d/nginx/stdout" 2>&1 &
  echo $!
}
