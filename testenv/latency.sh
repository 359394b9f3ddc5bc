#!/usr/bin/env bash
# Latency benchmark (not a test): discovery wall time through dnsdist adding 50 ms to every
# answer of the test world's Unbound, for the `mailsrv` CLI and the reference C host, against
# one round trip. One round trip with every question in flight is the goal: a plan within
# 1.3 × RTT plus processing. Then the C host and the Rust example validating DNSSEC themselves
# (issue 14) through a second dnsdist, with the same delay, in front of the non-validating
# Unbound: the validator's first DS/DNSKEY questions go out with the SRV questions, so a domain
# whose targets lie in its own zone should cost one round trip too. Prints medians; the numbers go
# to BENCHMARKS.md by hand.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
command -v dnsdist >/dev/null || { sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo; $sudo apt-get install -y -qq --no-install-recommends dnsdist; }
runs=${RUNS:-15}
pid=""
plain_pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; [ -n "$plain_pid" ] && kill "$plain_pid" 2>/dev/null; bash testenv/world.sh down >/dev/null' EXIT INT TERM
bash testenv/world.sh up >/dev/null
# shellcheck disable=SC1091
. target/world/env
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat > "$WORLD_DIR/dnsdist.conf" <<CONF
setLocal("127.0.0.1:$port")
setSecurityPollSuffix("")
newServer({address="$RESOLVER", checkInterval=3600})
addAction(AllRule(), DelayAction(50))
CONF
dnsdist --supervised --disable-syslog -C "$WORLD_DIR/dnsdist.conf" > "$WORLD_DIR/dnsdist.log" 2>&1 &
pid=$!
plain_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat > "$WORLD_DIR/dnsdist-plain.conf" <<CONF
setLocal("127.0.0.1:$plain_port")
setSecurityPollSuffix("")
newServer({address="$PLAIN_RESOLVER", checkInterval=3600})
addAction(AllRule(), DelayAction(50))
CONF
dnsdist --supervised --disable-syslog -C "$WORLD_DIR/dnsdist-plain.conf" > "$WORLD_DIR/dnsdist-plain.log" 2>&1 &
plain_pid=$!
sleep 1
python3 - "$port" "$runs" "$plain_port" "$SIGNED_ANCHOR" <<'PY'
import socket, statistics, subprocess, sys, time, struct

port, runs, plain_port, anchor = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
server = f"127.0.0.1:{port}"
plain = f"127.0.0.1:{plain_port}"

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

def timed(cmd):
    t = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return (time.perf_counter() - t) * 1000

def median(f):
    f()  # warm-up
    return statistics.median(f() for _ in range(runs))

r = median(rtt)
email = "alice@example.net"
cli = median(lambda: timed(["node", "bindings/js/bin/mailsrv.js", "plan", "--server", server, "--json", email]))
# In process: discover() through udpResolver, after a warm-up (module load and JIT excluded).
js = subprocess.run(["node", "--input-type=module", "-e", f"""
import {{ discover, udpResolver }} from './bindings/js/src/index.js';
const r = await udpResolver({{ server: '{server}' }});
const times = [];
for (let i = 0; i < {runs} + 1; i++) {{
  const t = performance.now();
  await discover('{email}', {{ resolver: r, seed: 1 }});
  if (i > 0) times.push(performance.now() - t);
}}
times.sort((a, b) => a - b);
console.log(times[Math.floor(times.length / 2)]);
"""], check=True, capture_output=True, text=True)
js_ms = float(js.stdout.strip())
c = median(lambda: timed(["target/c/mailsrv-plan", "--server", server, "--json", email]))
rust = median(lambda: timed(["target/debug/examples/plan", "--server", server, "--json", email]))
print(f"round trip through dnsdist (+50 ms): {r:.1f} ms")
print(f"C host (c-ares), whole process:      {c:.1f} ms = {c / r:.2f} x RTT")
print(f"Rust example host, whole process:     {rust:.1f} ms = {rust / r:.2f} x RTT")
print(f"JS discover() in process:             {js_ms:.1f} ms = {js_ms / r:.2f} x RTT")
print(f"mailsrv CLI, whole process:           {cli:.1f} ms (Node start-up, wasm load and JIT included)")
# DNSSEC validated by the host's own core, through the resolver that does not validate.
validating = ["--trust-anchor", anchor, "--now", "2026-12-01T00:00:00Z", "--json"]
for name in ["alice@example.test", "alice@outside.test"]:
    cv = median(lambda: timed(["target/c/mailsrv-plan", "--server", plain, *validating, name]))
    rv = median(lambda: timed(["target/debug/examples/plan", "--server", plain, *validating, name]))
    print(f"C host validating {name}:    {cv:.1f} ms = {cv / r:.2f} x RTT")
    print(f"Rust host validating {name}: {rv:.1f} ms = {rv / r:.2f} x RTT")
PY
