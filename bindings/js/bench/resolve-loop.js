// `node resolve-loop.js INPUT SERVER CONCURRENCY`: the hand-written baseline of `make
// bench-bulk`: for each address of INPUT, Node's own resolver (`dns.promises.Resolver`, c-ares)
// asks `resolveSrv` for the six labels at once, with CONCURRENCY domains in flight, and nothing
// is planned. Prints the domains done and the SRV records seen.
import { promises as dns } from 'node:dns';
import { createReadStream } from 'node:fs';
import readline from 'node:readline';

const [input, server, concurrencyText] = process.argv.slice(2);
const concurrency = Number(concurrencyText ?? 64);
const LABELS = ['_submissions._tcp', '_submission._tcp', '_imaps._tcp', '_imap._tcp', '_pop3s._tcp', '_pop3._tcp'];
const resolver = new dns.Resolver({ timeout: 5000, tries: 2 });
resolver.setServers([server]);

let domains = 0;
let records = 0;
let failures = 0;
async function one(line) {
  const domain = line.slice(line.lastIndexOf('@') + 1);
  const answers = await Promise.all(LABELS.map((l) => resolver.resolveSrv(`${l}.${domain}`).catch((e) => {
    if (e.code !== 'ENOTFOUND' && e.code !== 'ENODATA') failures += 1;
    return [];
  })));
  for (const a of answers) records += a.length;
  domains += 1;
}

const inFlight = new Set();
for await (const raw of readline.createInterface({ input: createReadStream(input), crlfDelay: Infinity })) {
  const line = raw.trim();
  if (!line || line.startsWith('#')) continue;
  const p = one(line).finally(() => inFlight.delete(p));
  inFlight.add(p);
  if (inFlight.size >= concurrency) await Promise.race(inFlight);
}
await Promise.all(inFlight);
console.log(`resolve-loop: ${domains} domains, ${records} SRV records, ${failures} lookups failed`);
