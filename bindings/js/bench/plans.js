// `npm run bench` here (or `make bench`): plans per second through the JS API on the generated
// corpus (corpus.js) against the hand-written planner (baseline.js), in the same process, the
// answers prepared once as wire messages; then the cost per phase and the typical plan
// (demo.zone's six answers, what core/benches/plan.rs times natively). Medians of 7 rounds,
// the two planners' rounds interleaved, in CPU time of the process. Not a test. `--domains N` (default 2,000);
// `--write-corpus FILE` writes the corpus for core/examples/plan-cpu.rs instead (its `--json` is
// the same work as this bench's planText line, natively).
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import os from 'node:os';
import { Discovery, version } from '../src/index.js';
import { ZoneHost } from '../src/zone.js';
import { answer, generate } from './corpus.js';
import { planByHand } from './baseline.js';

const at = process.argv.indexOf('--domains');
const count = at > 0 ? Number(process.argv[at + 1]) : 2000;
const writeAt = process.argv.indexOf('--write-corpus');
const ROUNDS = 7;

const corpus = generate(count).map((d) => {
  const discovery = new Discovery(d.email);
  const answers = discovery.queries().map((q) => ({ id: q.id, name: q.name, messageId: q.messageId, wire: answer(d, q.wire) }));
  discovery.free();
  return { ...d, answers };
});

function apiPlan(c, seed) {
  const d = new Discovery(c.email);
  try {
    for (const a of c.answers) d.receive(a.id, a.wire);
    return d.plan({ seed });
  } finally {
    d.free();
  }
}

// `--write-corpus FILE`: the corpus for the native timing (core/examples/plan-cpu.rs), then exit.
if (writeAt > 0) {
  const parts = [];
  const u16 = (n) => { const b = Buffer.alloc(2); b.writeUInt16BE(n); return b; };
  for (const c of corpus) {
    const email = Buffer.from(c.email);
    parts.push(u16(email.length), email, Buffer.from([c.answers.length]));
    for (const a of c.answers) parts.push(u16(a.id), u16(a.wire.length), a.wire);
  }
  writeFileSync(process.argv[writeAt + 1], Buffer.concat(parts));
  process.exit(0);
}

// The two planners must agree on what they offer, or the comparison means nothing.
const key = (list) => list.map((c) => `${c.service} ${c.host}:${c.port} [${c.addresses.join(' ')}]`).sort().join(', ');
let disagree = 0;
for (const c of corpus) {
  const a = apiPlan(c, 1);
  const b = planByHand(c.email, c.answers, 1);
  const same = key(a.incoming.candidates) === key(b.incoming.candidates)
    && key(a.outgoing.candidates) === key(b.outgoing.candidates)
    && a.lookups.map((l) => l.outcome).join() === b.lookups.map((l) => l.outcome).join();
  if (!same && disagree++ < 3) console.error(`disagree on ${c.email}:\n${JSON.stringify(a.incoming)}\n${JSON.stringify(b.incoming)}`);
}
if (disagree) {
  console.error(`${disagree} domains planned differently by the two planners`);
  process.exit(1);
}

let sink = 0;
const runs = {
  api: (seed) => {
    for (const c of corpus) sink += apiPlan(c, seed).lookups.length;
  },
  hand: (seed) => {
    for (const c of corpus) sink += planByHand(c.email, c.answers, seed).lookups.length;
  },
  // The hand-over before D58: the plan's JSON text, then JSON.parse (planText is the Node build's).
  'api-json': (seed) => {
    for (const c of corpus) {
      const d = new Discovery(c.email);
      for (const a of c.answers) d.receive(a.id, a.wire);
      const planned = d.planText({ seed });
      sink += JSON.parse(planned.text).lookups.length;
      planned.free();
      d.free();
    }
  },
  // The core's work alone, as native `plan-cpu --json` does it: the plan made and serialised in
  // the module (planText), nothing read back in JS.
  'api-text': (seed) => {
    for (const c of corpus) {
      const d = new Discovery(c.email);
      for (const a of c.answers) d.receive(a.id, a.wire);
      const planned = d.planText({ seed });
      sink += planned.length;
      planned.free();
      d.free();
    }
  },
  'new+free': () => {
    for (const c of corpus) new Discovery(c.email).free();
  },
  'new+receive×6+free': () => {
    for (const c of corpus) {
      const d = new Discovery(c.email);
      for (const a of c.answers) d.receive(a.id, a.wire);
      d.free();
    }
  },
};

// CPU seconds (user + system) of the process, not wall time: the machine is shared, and a
// process that waits for a core is not slower.
function cpu() {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}
function time(fn, seed) {
  const start = cpu();
  fn(seed);
  return cpu() - start;
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

for (let i = 0; i < 3; i++) for (const fn of Object.values(runs)) fn(i); // warm-up
const secs = Object.fromEntries(Object.keys(runs).map((k) => [k, []]));
for (let r = 0; r < ROUNDS; r++) for (const [k, fn] of Object.entries(runs)) secs[k].push(time(fn, 100 + r));
const perPlan = Object.fromEntries(Object.entries(secs).map(([k, v]) => [k, (median(v) / corpus.length) * 1e6]));

// The typical plan: demo.zone, as the native criterion bench.
const root = fileURLToPath(new URL('../../..', import.meta.url));
const host = new ZoneHost();
host.addZone(readFileSync(`${root}/testdata/zones/demo.zone`, 'utf8'), false);
const demo = new Discovery('alice@example.net');
const typical = { email: 'alice@example.net', answers: demo.queries().map((q) => ({ id: q.id, wire: host.answer(q.wire, 'tcp') })) };
demo.free();
host.free();
const N = 20000;
for (let i = 0; i < N; i++) sink += apiPlan(typical, i).lookups.length;
const typicalRounds = [];
for (let r = 0; r < ROUNDS; r++) {
  const start = cpu();
  for (let i = 0; i < N; i++) sink += apiPlan(typical, i).lookups.length;
  typicalRounds.push(((cpu() - start) * 1e6) / N);
}

const kinds = new Map();
for (const c of corpus) kinds.set(c.kind, (kinds.get(c.kind) ?? 0) + 1);
const mix = [...kinds].map(([k, n]) => `${k} ${n}`).join(', ');
const model = os.cpus()[0]?.model ?? 'unknown CPU';
console.log(`mailsrv ${version()}, Node ${process.version}, ${model} × ${os.cpus().length}, load ${os.loadavg()[0].toFixed(2)}`);
console.log(`corpus: ${corpus.length} domains (${mix}), ${corpus.reduce((n, c) => n + c.answers.reduce((m, a) => m + a.wire.length, 0), 0)} bytes of answers; both planners agree on every domain`);
const rate = (k) => Math.round(1e6 / perPlan[k]);
console.log(`JS API (new Discovery, receive ×6, plan, free): ${rate('api')} plans/s, ${perPlan.api.toFixed(1)} µs per plan`);
console.log(`hand-written (dns-packet + RFC 2782):            ${rate('hand')} plans/s, ${perPlan.hand.toFixed(1)} µs per plan`);
console.log(`ratio JS API / hand-written: ${(perPlan.hand / perPlan.api).toFixed(2)}×`);
const receive = perPlan['new+receive×6+free'] - perPlan['new+free'];
console.log(`per plan: new+free ${perPlan['new+free'].toFixed(1)} µs, receive ×6 ${receive.toFixed(1)} µs, plan() ${(perPlan.api - perPlan['new+receive×6+free']).toFixed(1)} µs`);
console.log(`the plan's hand-over (D58): as a tape ${(perPlan.api - perPlan['new+receive×6+free']).toFixed(1)} µs, as JSON text + JSON.parse ${(perPlan['api-json'] - perPlan['new+receive×6+free']).toFixed(1)} µs per plan (core planning included)`);
console.log(`planning in wasm without the hand-over (new Discovery, receive ×6, planText: the plan's JSON text made in the module, not read; compare native \`plan-cpu CORPUS --json\`): ${perPlan['api-text'].toFixed(1)} µs per plan`);
console.log(`typical plan (demo.zone, 6 answers) through the JS API: ${median(typicalRounds).toFixed(2)} µs (median of ${ROUNDS} × ${N})`);
if (sink < 0) console.log(sink);
