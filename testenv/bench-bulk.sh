#!/usr/bin/env bash
# `make bench-bulk` (a benchmark, not a test): bulk mode against the real resolver. Knot serves
# BENCH_DOMAINS (10,000) generated zones in the corpus's mix (bindings/js/bench/corpus.js: 1/10
# NXDOMAIN, 1/10 heavy, 1/3 small, the rest provider-style with "."), plus the provider zones;
# Unbound resolves. Each run starts with Unbound's cache for those zones flushed, under GNU time:
#   1. BENCH_ROUNDS (3) rounds, in turns, of
#      - `mailsrv plan --input` (10,000 lines, --server Unbound, --concurrency BENCH_CONCURRENCY)
#      - the hand-written Node loop (bindings/js/bench/resolve-loop.js: dns.promises.Resolver,
#        resolveSrv for the six labels, same concurrency, no planning)
#   2. `mailsrv plan --input` with ten times the lines (100,000: the same addresses ten times
#      over, so that after the first tenth Unbound answers from its cache), for peak RSS
#   3. the hand-written loop on those 100,000 lines
# and prints domains/s, CPU seconds per 1,000 domains and peak RSS, and the ratios of both
# (mailsrv / loop): over 10,000 lines (the medians of the rounds: one run of either can wait
# seconds on a lost datagram),
# and over 100,000, where each run's fixed costs (start-up, V8 compiling the hot code) weigh a
# tenth as much. The world (Knot, Unbound, Dovecot, Postfix) is stopped by PID at the end, also
# on failure.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
N=${BENCH_DOMAINS:-10000}
C=${BENCH_CONCURRENCY:-64}
ROUNDS=${BENCH_ROUNDS:-3}
dir="$root/target/bench-bulk"
rm -rf "$dir"
mkdir -p "$dir"
node "$root/bindings/js/bench/zones.js" "$dir" "$N"

trap 'bash "$root/testenv/world.sh" down' EXIT
WORLD_EXTRA_ZONES="$dir/zones.list" bash "$root/testenv/world.sh" up
# shellcheck disable=SC1091
. "$root/target/world/env"

# Knot loads the zones after it opens its port: wait until the last one answers.
node --input-type=module - "$KNOT" "d$((N - 1)).bench.example" <<'JS'
import { promises as dns } from 'node:dns';
const [server, name] = process.argv.slice(2);
const r = new dns.Resolver({ timeout: 1000, tries: 1 });
r.setServers([server]);
for (let i = 0; i < 600; i++) {
  try { await r.resolveSoa(name); process.exit(0); } catch { await new Promise((ok) => setTimeout(ok, 200)); }
}
console.error(`bench-bulk: Knot did not load ${name} within 120 s`);
process.exit(1);
JS

flush() {
  for zone in bench.example provider.example; do
    unbound-control -c "$UNBOUND_CONF" flush_zone "$zone" > /dev/null
  done
  unbound-control -c "$UNBOUND_CONF" flush_requestlist > /dev/null
}

# measure NAME LINES COMMAND...: runs COMMAND under GNU time, prints one result line.
measure() {
  local name=$1 lines=$2
  shift 2
  flush
  local status=0
  /usr/bin/time -f '%e %U %S %M' -o "$dir/$name.time" "$@" > "$dir/$name.out" 2> "$dir/$name.err" || status=$?
  read -r wall user sys rss < "$dir/$name.time"
  awk -v n="$name" -v l="$lines" -v w="$wall" -v u="$user" -v s="$sys" -v r="$rss" -v st="$status" 'BEGIN {
    printf "%-22s %7d lines  %6.2f s  %8.0f domains/s  %6.3f CPU s per 1,000 domains  peak RSS %6.1f MB  (exit %d)\n",
      n, l, w, l / w, (u + s) / l * 1000, r / 1024, st }' | tee -a "$dir/results.txt"
}

echo "bench-bulk: $N domains, concurrency $C, resolver $RESOLVER (Unbound), $(nproc) CPUs, load $(cut -d' ' -f1 /proc/loadavg)" | tee "$dir/results.txt"
for round in $(seq "$ROUNDS"); do
  measure "mailsrv-$round" "$N" node "$root/bindings/js/bin/mailsrv.js" plan --input "$dir/input-$N.txt" --server "$RESOLVER" --concurrency "$C" --summary-json "$dir/summary.json"
  measure "hand-written-$round" "$N" node "$root/bindings/js/bench/resolve-loop.js" "$dir/input-$N.txt" "$RESOLVER" "$C"
done
measure mailsrv-x10-lines "$((N * 10))" node "$root/bindings/js/bin/mailsrv.js" plan --input "$dir/input-${N}0.txt" --server "$RESOLVER" --concurrency "$C"
measure hand-written-x10-lines "$((N * 10))" node "$root/bindings/js/bench/resolve-loop.js" "$dir/input-${N}0.txt" "$RESOLVER" "$C"
cat "$dir/hand-written-1.out"
tail -n 5 "$dir/mailsrv-1.err"
# median NAME FIELD: the median of FIELD (6: domains/s, 8: CPU s per 1,000 domains) over the
# rounds NAME-1, NAME-2, ...
median() {
  awk -v n="$1" -v f="$2" '$1 ~ "^" n "-[0-9]+$" { print $f }' "$dir/results.txt" | sort -n | awk '{ r[NR] = $1 } END { print r[int((NR + 1) / 2)] }'
}
# The rate is the goal's measure; the CPU per domain is the steadier one (the rate of one run
# moves with whatever else the two CPUs are doing, the CPU a domain costs much less).
awk -v n="$N" -v rounds="$ROUNDS" -v m="$(median mailsrv 6)" -v h="$(median hand-written 6)" \
  -v mc="$(median mailsrv 8)" -v hc="$(median hand-written 8)" '{ rate[$1] = $6; cpu[$1] = $8 } END {
  printf "ratio mailsrv / hand-written (domains/s), %d lines, medians of %d rounds: %.2f (%.0f / %.0f)\n", n, rounds, m / h, m, h
  printf "ratio mailsrv / hand-written (domains/s), %d lines: %.2f\n", 10 * n, rate["mailsrv-x10-lines"] / rate["hand-written-x10-lines"]
  printf "ratio mailsrv / hand-written (CPU s per 1,000 domains), %d lines, medians: %.2f (%.3f / %.3f); %d lines: %.2f\n", n, mc / hc, mc, hc, 10 * n, cpu["mailsrv-x10-lines"] / cpu["hand-written-x10-lines"]
}' "$dir/results.txt" | tee -a "$dir/results.txt"
