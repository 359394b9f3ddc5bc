// `node bulk-loss.js SERVER INPUT [CONCURRENCY] [MAX_IN_FLIGHT] [PACKAGE_DIR]`: the JS API's bulk
// path (`discoverMany` in input order through `udpPool`) with CONCURRENCY domains in flight
// (default 256) and the pool's cap on open queries set to MAX_IN_FLIGHT (default 2048: no cap
// for 256 domains), so that a resolver drops queries and the resend timer (D61) is what the run
// waits on. PACKAGE_DIR (default: this package) lets an A/B run load another copy of `src/`.
// Prints domains/s, CPU ms per domain, the pool's `stats()` and the domains with a failed lookup.
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const [server, input, concurrency = '256', cap = '2048', dir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..')] = process.argv.slice(2);
const { discoverMany, linesOf } = await import(pathToFileURL(path.join(dir, 'src/index.js')).href);
const { udpPool } = await import(pathToFileURL(path.join(dir, 'src/bulk.js')).href);
const pool = udpPool({ server, timeout: 10000, maxInFlight: Number(cap) });
const started = performance.now();
const cpuBefore = process.cpuUsage();
let domains = 0;
let failed = 0;
for await (const r of discoverMany(linesOf(createReadStream(input)), { resolver: pool, concurrency: Number(concurrency), totalTimeout: 10000 })) {
  domains += 1;
  if (r.plan?.lookups.some((l) => l.outcome === 'timeout' || l.outcome === 'network-error')) failed += 1;
}
const wall = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuBefore);
const s = pool.stats();
pool.close();
console.log(`${domains} domains in ${wall.toFixed(2)} s: ${(domains / wall).toFixed(0)} domains/s, ${((cpu.user + cpu.system) / 1000 / domains).toFixed(3)} CPU ms per domain; `
  + `sent ${s.sent}, sent again ${s.resent}, stray answers ${s.stray}, resend timeout ${Math.round(s.rto)} ms; domains with a failed lookup ${failed}`);
