// `node test/bench-dnssec.js`: the cost of DNSSEC validation per plan through the JS API (issue
// 14), for example.test of testdata/dnssec (secure, one round of DS/DNSKEY questions): wire
// answers prepared once with the zone host (by message ID); each iteration makes a Discovery, feeds the SRV and
// the validator's answers round after round, and plans. The Node build (mailsrv_node, opt-level
// 3) and the browser's validating planner (mailsrv_validating, built for size), each with and
// without validation. Not a test.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import * as node from '../src/node.js';
import { initValidating } from '../src/validating.js';
import { ZoneHost } from '../src/zone.js';
import { root } from './helpers.js';

const dir = path.join(root, 'testdata/dnssec');
const host = new ZoneHost();
for (const f of readdirSync(dir).filter((f) => f.endsWith('.zone'))) host.addZone(readFileSync(path.join(dir, f), 'utf8'), false);
const anchor = readFileSync(path.join(dir, 'root.anchor'), 'utf8');
const email = 'alice@example.test';

// Answers by message ID (the IDs are the discovery's own, the same every time), made once.
const answers = new Map();
const answer = (q) => {
  const key = `${q.messageId} ${q.wire.length}`;
  if (!answers.has(key)) answers.set(key, host.answer(q.wire, 'tcp'));
  return answers.get(key);
};

function once(Discovery, validate) {
  const d = new Discovery(email, validate ? { dnssec: { now: 1798761600, trustAnchors: anchor } } : {});
  for (const q of d.queries()) d.receive(q.id, answer(q));
  let questions = 0;
  for (let pending = validate ? d.pendingDnssec() : []; pending.length > 0; pending = d.pendingDnssec()) {
    for (const q of pending) d.receiveDnssec(q.messageId, answer(q));
    questions += pending.length;
  }
  const plan = d.plan({ seed: 1 });
  d.free();
  return { plan, questions };
}

function bench(name, Discovery, validate) {
  const { plan, questions } = once(Discovery, validate);
  const status = plan.lookups.find((l) => l.service === 'imaps').dnssec;
  for (let i = 0; i < 50; i++) once(Discovery, validate); // warm-up
  const rounds = [];
  for (let r = 0; r < 7; r++) {
    const n = 100;
    const start = process.hrtime.bigint();
    for (let i = 0; i < n; i++) once(Discovery, validate);
    rounds.push(Number(process.hrtime.bigint() - start) / 1e3 / n);
  }
  rounds.sort((a, b) => a - b);
  console.log(`${name}: ${rounds[3].toFixed(0)} µs per plan (median of 7 rounds of 100; ${questions} DNSSEC questions, imaps ${status}; answers prepared once)`);
}

const validating = await initValidating();
bench('mailsrv_node, not validated', node.Discovery, false);
bench('mailsrv_node, validated', node.Discovery, true);
bench('mailsrv_validating, not validated', validating.Discovery, false);
bench('mailsrv_validating, validated', validating.Discovery, true);
