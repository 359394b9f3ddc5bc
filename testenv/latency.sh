#!/usr/bin/env bash
# Latency benchmark (not a test): discovery wall time through a network made slow on loopback,
# against what one round trip costs. The goal: every question in flight at once, so that a plan
# costs one DNS round trip (SRV only), or one DNS round trip beside one HTTPS fetch (multi-source).
#   DNS:   dnsdist adds 50 ms to every answer of the world's Unbound (validating, for the
#          unvalidated plans) and of the non-validating Unbound (for the host that validates).
#   HTTPS: testenv/delay-proxy.py in front of nginx (testenv/web.sh) makes the path to it one
#          with a 50 ms round trip (TCP handshake, TLS 1.3 and the request: three of them); the
#          hosts reach it with --connect-to (D48), which skips the web host's address lookup.
# Measured: the SRV-only plan (C, Rust, JS in process, the CLI), a multi-source plan (SRV,
# provider autoconfig, well-known, ISPDB) and an MX-derived one (JS in process, Rust, C, CLI),
# what the anchors' sequential orders would cost from the same unit costs, and the Rust
# example's and the C host's DNSSEC-validated plans (their own validator, through the resolver
# that does not validate): wall time in round trips and the rounds on the wire, from dnsdist's query log.
# Prints medians of RUNS (default 15); the numbers go to BENCHMARKS.md by hand.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
command -v dnsdist >/dev/null || { sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo; $sudo apt-get install -y -qq --no-install-recommends dnsdist; }
runs=${RUNS:-15}
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; bash testenv/world.sh down >/dev/null' EXIT INT TERM
bash testenv/world.sh up >/dev/null
set -a # the addresses, for the measuring script below
# shellcheck disable=SC1091
. target/world/env
set +a
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
dnsdist_up() { # NAME UPSTREAM PORT: a dnsdist adding 50 ms (query log with timestamps); its PID in pids
  local port=$3
  cat > "$WORLD_DIR/dnsdist-$1.conf" <<CONF
setLocal("127.0.0.1:$port")
setSecurityPollSuffix("")
newServer({address="$2", checkInterval=3600})
addAction(AllRule(), LogAction("$WORLD_DIR/dnsdist-$1.queries", false, true, false, false, true))
addAction(AllRule(), DelayAction(50))
CONF
  dnsdist --supervised --disable-syslog -C "$WORLD_DIR/dnsdist-$1.conf" > "$WORLD_DIR/dnsdist-$1.log" 2>&1 &
  pids+=($!)
}
port=$(free_port); plain_port=$(free_port)
dnsdist_up validating "$RESOLVER" "$port"
dnsdist_up plain "$PLAIN_RESOLVER" "$plain_port"
web_port=$(free_port)
python3 testenv/delay-proxy.py "$web_port" "$WEB" 50 > "$WORLD_DIR/delay-proxy.log" 2>&1 &
pids+=($!)
sleep 1
grep -q ready "$WORLD_DIR/delay-proxy.log" || { cat "$WORLD_DIR/delay-proxy.log"; exit 1; }
python3 - "$port" "$plain_port" "$web_port" "$runs" <<'PY'
import os, re, socket, statistics, subprocess, sys, time, struct

port, plain_port, web_port, runs = (int(a) for a in sys.argv[1:5])
server, plain = f"127.0.0.1:{port}", f"127.0.0.1:{plain_port}"
env = os.environ
ca, ispdb, world = env["WORLD_CA"], env["ISPDB"], env["WORLD_DIR"]
connect = f"::127.0.0.1:{web_port}"
web = ["--sources", "default", "--ispdb", ispdb, "--http-anchors", ca, "--connect-to", connect]

def rtt():
    # One SRV query over UDP through dnsdist: the round trip the hosts must not exceed much.
    q = struct.pack(">HHHHHH", 0x1234, 0x0100, 1, 0, 0, 0)
    for label in b"_imaps._tcp.example.net".split(b"."):
        q += bytes([len(label)]) + label
    q += b"\x00" + struct.pack(">HH", 33, 1)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(2)
    t = time.perf_counter()
    s.sendto(q, ("127.0.0.1", port))
    s.recvfrom(4096)
    return (time.perf_counter() - t) * 1000

def fetch():
    # One HTTPS GET on a fresh connection through the delaying proxy (curl's own clock).
    out = subprocess.run(["curl", "-s", "-o", "/dev/null", "-w", "%{time_total}", "--cacert", ca,
                          "--connect-to", f"::127.0.0.1:{web_port}",
                          "https://autoconfig.agree.example/mail/config-v1.1.xml"],
                         check=True, capture_output=True, text=True)
    return float(out.stdout) * 1000

def timed(cmd):
    t = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return (time.perf_counter() - t) * 1000

def median(f):
    f()  # warm-up
    return statistics.median(f() for _ in range(runs))

def js_in_process(email, multi):
    # discover() in process, after a warm-up (module load and JIT excluded).
    fetch_opts = f"""fetch: connectFetch({{ connectTo: [parseConnectTo('{connect}')], ca: readFileSync('{ca}', 'utf8') }}),
                     ispdbUrl: '{ispdb}',""" if multi else ""
    out = subprocess.run(["node", "--input-type=module", "-e", f"""
import {{ readFileSync }} from 'node:fs';
import {{ discover, udpResolver }} from './bindings/js/src/index.js';
import {{ connectFetch, parseConnectTo }} from './bindings/js/src/connect-fetch.js';
const r = await udpResolver({{ server: '{server}' }});
const times = [];
for (let i = 0; i < {runs} + 1; i++) {{
  const t = performance.now();
  await discover('{email}', {{ resolver: r, seed: 1, {fetch_opts} }});
  if (i > 0) times.push(performance.now() - t);
}}
times.sort((a, b) => a - b);
console.log(times[Math.floor(times.length / 2)]);
"""], check=True, capture_output=True, text=True)
    return float(out.stdout.strip())

def hosts(email, extra):
    return {
        "C host (c-ares, libcurl), whole process": median(lambda: timed(["target/c/mailsrv-plan", "--server", server, "--json", *extra, email])),
        "Rust example host, whole process": median(lambda: timed(["target/debug/examples/plan", "--server", server, "--json", *extra, email])),
        "JS discover() in process": js_in_process(email, bool(extra)),
        "mailsrv CLI, whole process": median(lambda: timed(["node", "bindings/js/bin/mailsrv.js", "plan", "--server", server, "--json", *extra, email])),
    }

def show(title, results, unit):
    print(title)
    for name, ms in results.items():
        print(f"  {name + ':':42} {ms:7.1f} ms = {ms / unit:.2f} x that")

r = median(rtt)
f = median(fetch)
print(f"load average before: {open('/proc/loadavg').read().split()[0:3]}")
print(f"DNS round trip through dnsdist (+50 ms):     {r:.1f} ms")
print(f"one HTTPS fetch through the 50 ms proxy:    {f:.1f} ms = {f / r:.2f} x RTT (TCP, TLS 1.3, GET)")
show("(1) SRV only, alice@example.net (goal: one DNS round trip):", hosts("alice@example.net", []), r)
show(f"(2) multi-source, alice@agree.example: SRV + autoconfig + well-known (404) + ISPDB (goal: max(DNS, HTTPS) = {max(r, f):.0f} ms):",
     hosts("alice@agree.example", web), max(r, f))
show(f"(3) MX-derived, bob@mxonly.example: MX, then the MX host's autoconfig and ISPDB (goal: DNS + HTTPS = {r + f:.0f} ms):",
     hosts("bob@mxonly.example", web), r + f)
print("(4) the anchors' sequential orders from the same unit costs (a new host name costs one DNS")
print("    round trip before its fetch; every fetch a fresh connection; r = DNS RTT, f = one fetch):")
for who, n_r, n_f, note in [
    ("mailsrv, a real host (web names resolved)", 1, 1, "one round: SRV, MX, A/AAAA and every fetch at once"),
    ("Delta Chat, autoconfig.<d> published", 1, 1, "the first URL answers"),
    ("Delta Chat, only the ISPDB knows <d>", 5, 5, "autoconfig, well-known, 2 x autodiscover, then ISPDB"),
    ("KMail, provider autoconfig only", 2, 2, "ISPDB (404), then autoconfig.<d>"),
    ("GNOME Online Accounts, autoconfig.<d>", 1, 2, "mail-v1.xml (404), then config-v1.1.xml"),
    ("Evolution, SRV worker (12 services)", 12, 0, "one SRV question after the other"),
    ("io-pim-discovery, SRV (4 services)", 4, 0, "serially"),
]:
    print(f"  {who + ':':42} {n_r * r + n_f * f:7.1f} ms = {n_r} r + {n_f} f ({note})")

# (5) DNSSEC validated by the Rust example and the C host themselves, through the resolver that
# does not validate: the rounds on the wire (D49).
anchor = env["SIGNED_ANCHOR"]
log = f"{world}/dnsdist-plain.queries"
def rounds(cmd):
    # The queries' arrival times at dnsdist, grouped: a gap over 25 ms starts a new round (an
    # answer takes 50 ms, so a question that needed one comes at least 50 ms after the last).
    open(log, "w").close()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    time.sleep(0.2)
    stamps = []
    for line in open(log):
        m = re.match(r"\[?(\d+)\.(\d+)\]?", line)
        if m:
            stamps.append(int(m.group(1)) + int(m.group(2)) / 10 ** len(m.group(2)))
    stamps.sort()
    n = 1 if stamps else 0
    for a, b in zip(stamps, stamps[1:]):
        n += (b - a) > 0.025
    return n, len(stamps)
print("(5) the Rust example and the C host through the non-validating resolver (+50 ms), with and without their own validation:")
for host, binary in [("Rust", "target/debug/examples/plan"), ("C", "target/c/mailsrv-plan")]:
    for email, note in [("alice@example.test", "targets in the domain's own zone"),
                        ("alice@outside.test", "targets in another signed zone (ed.test)")]:
        for label, extra in [("unvalidated", []), ("validated", ["--trust-anchor", anchor])]:
            cmd = [binary, "--server", plain, "--json", *extra, email]
            ms = median(lambda: timed(cmd))
            n, q = rounds(cmd)
            print(f"  {host:4} {email} {label + ':':13} {ms:7.1f} ms = {ms / r:.2f} x RTT; {n} round(s), {q} queries on the wire ({note})")
print(f"load average after: {open('/proc/loadavg').read().split()[0:3]}")
PY
