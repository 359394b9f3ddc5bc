// `npm run bench`: plans per second through the JS API over the testdata corpus (wire answers
// prepared once with the zone host; each iteration parses them and plans). Not a test.
import { Discovery } from '../src/index.js';
import { ZoneHost } from '../src/zone.js';
import { cases, readText } from './helpers.js';

const prepared = cases()
  .filter((c) => !c.inject)
  .map((c) => {
    const host = new ZoneHost();
    for (const z of c.zones) host.addZone(readText(`zones/${z}`), (c.secureZones ?? []).includes(z));
    const d = new Discovery(c.email, c.options ?? {});
    const answers = d.queries().map((q) => [q.id, host.answer(q.wire, 'tcp')]);
    d.free();
    host.free();
    return { c, answers };
  });

function once(seed) {
  for (const { c, answers } of prepared) {
    const d = new Discovery(c.email, c.options ?? {});
    for (const [id, bytes] of answers) d.receive(id, bytes);
    d.plan({ seed });
    d.free();
  }
}

for (let i = 0; i < 200; i++) once(i); // warm-up
const rounds = [];
for (let r = 0; r < 7; r++) {
  const start = process.hrtime.bigint();
  const n = 300;
  for (let i = 0; i < n; i++) once(i);
  const secs = Number(process.hrtime.bigint() - start) / 1e9;
  rounds.push((n * prepared.length) / secs);
}
rounds.sort((a, b) => a - b);
console.log(`plans per second (median of 7 rounds, ${prepared.length} corpus cases each): ${Math.round(rounds[3])}`);
console.log(`per plan: ${(1e6 / rounds[3]).toFixed(1)} µs`);
