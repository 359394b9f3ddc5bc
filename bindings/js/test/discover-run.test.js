// discover on callbacks (D67): behaviours the promise-per-question discoverAs had and the
// callback-driven Run keeps (from an independent review of D67). Each test names what it checks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { discover } from '../src/node.js';
import { ASK } from '../src/discover.js';
import * as host from '../src/host.js';
import { nxdomain } from './nxdomain.js';

const networkError = () => Object.assign(new Error('refused at once'), { code: 'NETWORK_ERROR' });

test('D67: a resolver whose query() throws synchronously fails that lookup, as before D67; discover still plans', async () => {
  let calls = 0;
  const resolver = {
    // Not async: a plain function that refuses some questions at once.
    query(wire) {
      calls += 1;
      if (calls === 2) throw networkError();
      return Promise.resolve(nxdomain(wire));
    },
  };
  const plan = await discover('user@sync-throw.example', { resolver, seed: 1, totalTimeout: 2000 });
  assert.deepEqual(plan.lookups.map((l) => l.outcome).sort(), [...Array(5).fill('nx-domain'), 'network-error'].sort());
});

test('D67: a queryTcp() that throws synchronously after truncation fails that lookup; discover still plans', async () => {
  const resolver = {
    query: async (wire) => nxdomain(wire, { tc: true }),
    queryTcp() { throw networkError(); },
  };
  const plan = await discover('user@tcp-throw.example', { resolver, seed: 1, totalTimeout: 2000 });
  assert.equal(plan.lookups.length, 6);
  for (const l of plan.lookups) assert.notEqual(l.outcome, 'nx-domain');
});

test('D67: a stale second callback of the UDP ask is not taken as the TCP retry\'s outcome', async () => {
  const resolver = {
    query() { throw new Error('ASK is used'); },
    [ASK](wire, _q, _until, lookup) {
      lookup.answered(nxdomain(wire, { tc: true })); // truncated: discover retries over TCP
      lookup.failed(networkError()); // a resolver bug: a second call for the UDP question
    },
    queryTcp: async (wire) => nxdomain(wire),
  };
  const plan = await discover('user@twice.example', { resolver, seed: 1, totalTimeout: 2000 });
  assert.deepEqual(plan.lookups.map((l) => l.outcome), Array(6).fill('nx-domain'), 'the TCP answers, not the UDP ask\'s stray failure');
});

test('D67: after discover rejects (a core error), a fetch that ends later does not reach the freed Discovery', async () => {
  const proto = host.Discovery.prototype;
  const touched = [];
  const originals = {};
  for (const name of ['failHttp', 'receiveHttp']) {
    originals[name] = proto[name];
    proto[name] = function (...args) {
      if (this.__wbg_ptr === 0) touched.push(name);
      return originals[name].apply(this, args);
    };
  }
  try {
    let release;
    const released = new Promise((r) => { release = r; });
    // A fetch that ignores its signal and answers late (a host fetch may not honour abort).
    const fetch = async () => { await released; return new Response('nope', { status: 404 }); };
    const resolver = { query: async (wire) => nxdomain(wire) };
    // A DNSSEC status the core does not know: `receive` refuses it (not a foreign response).
    await assert.rejects(discover('user@freed.example', { resolver, fetch, dnssec: 'no-such-status', seed: 1, totalTimeout: 2000 }), (e) => typeof e.code === 'string' && e.code !== 'TIMEOUT');
    release();
    await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(touched, [], 'no call on the freed Discovery');
  } finally {
    Object.assign(proto, originals);
  }
});

test('D67: after close(), a lookup that asks again from its failure callback does not reopen the pool', async () => {
  const { udpPool } = await import('../src/bulk.js');
  const clock = { t: 0, sweeper: undefined, now: () => clock.t, every(fn) { clock.sweeper = fn; return () => { clock.sweeper = undefined; }; } };
  const pool = udpPool({ server: '127.0.0.1:9', maxInFlight: 1, clock });
  const wire = new Uint8Array([0x12, 0x34, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0x61, 0, 0, 33, 0, 1]);
  const outcomes = [];
  const quiet = { answered() {}, failed(e) { outcomes.push(e.code); } };
  // As discover does: a failure may make the core list another question, asked at once.
  const asksAgain = { answered() {}, failed(e) { outcomes.push(e.code); pool[ASK](wire, undefined, Infinity, quiet); } };
  pool[ASK](wire, undefined, Infinity, quiet); // open
  pool[ASK](wire, undefined, Infinity, asksAgain); // waiting
  pool.close();
  try {
    assert.deepEqual([pool.inFlight(), clock.sweeper], [0, undefined], 'nothing open and no sweep after close()');
  } finally {
    clock.t = 1e9;
    clock.sweeper?.();
  }
});

test('totalTimeout: past 2^31 - 1 ms (or Infinity) it is refused, not a timer that fires at once; 2^31 - 1 is honoured', async () => {
  const resolver = { query: (wire) => new Promise((r) => setTimeout(() => r(nxdomain(wire)), 30)) };
  for (const totalTimeout of [2 ** 31, Infinity]) {
    await assert.rejects(discover('user@long.example', { resolver, seed: 1, totalTimeout }), { code: 'INVALID_ARGUMENT', message: /at most 2147483647/ }, `${totalTimeout}`);
  }
  const plan = await discover('user@long.example', { resolver, seed: 1, totalTimeout: 2 ** 31 - 1 });
  assert.deepEqual(plan.lookups.map((l) => l.outcome), Array(6).fill('nx-domain'));
});
