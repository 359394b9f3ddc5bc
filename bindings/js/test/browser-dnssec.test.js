// The browser entry and DNSSEC (decision D43), as a page imports it (this file loads the browser
// entry only; each test file runs in its own process): the browser module has no validator; a
// DoH discovery validates by default, or when asked, and then loads the validating planner
// (`mailsrv_validating`), whose plans are the Node build's; `validate: false` keeps the browser
// module; a failed load of the validating planner is a typed error and leaves the browser module
// working.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { init, initValidating, discover, dohResolver, Discovery, WasmLoadError } from '../src/browser.js';
import { ZoneHost } from '../src/zone.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const dir = path.join(root, 'testdata/dnssec');
const zoneTexts = readdirSync(dir).filter((f) => f.endsWith('.zone')).sort().map((f) => readFileSync(path.join(dir, f), 'utf8'));
const anchor = readFileSync(path.join(dir, 'root.anchor'), 'utf8');
const NOW = 1798761600; // 2027-01-01T00:00:00Z

function doh() {
  const host = new ZoneHost();
  for (const t of zoneTexts) host.addZone(t, false);
  let count = 0;
  const resolver = dohResolver('https://doh.example/dns-query', {
    fetch: async (_url, init) => {
      count += 1;
      return new Response(host.answer(new Uint8Array(init.body), 'tcp'), { headers: { 'content-type': 'application/dns-message' } });
    },
  });
  return { resolver, count: () => count };
}

const imapsOf = (plan) => plan.lookups.find((l) => l.service === 'imaps');

test('D43 a failed load of the validating planner is a WasmLoadError naming its URL; a later call may still load', async () => {
  const missing = new URL('../wasm/no-such-validating_bg.wasm', import.meta.url);
  await assert.rejects(initValidating({ wasm: missing }), (e) => {
    assert.ok(e instanceof WasmLoadError);
    assert.equal(e.code, 'WASM_LOAD_FAILED');
    assert.equal(e.url, missing.href);
    return true;
  });
});

test('D43 a page that validates downloads the validating planner only, not the browser module too', async () => {
  const plan = await discover('alice@example.test', { resolver: doh().resolver, seed: 1, dnssec: { trustAnchors: anchor, now: NOW } });
  assert.equal(imapsOf(plan).dnssec, 'secure');
  // The browser module was never initialised: its synchronous API is not usable yet.
  assert.throws(() => new Discovery('alice@example.test'));
});

test('D43 in browsers too, DoH validates by default with the built-in IANA anchors', async () => {
  const { resolver, count } = doh();
  const plan = await discover('alice@example.test', { resolver, seed: 1 });
  // The lookups were validated by the core: the test hierarchy's private root is not the IANA
  // root, so the built-in anchors cannot make it secure.
  assert.equal(imapsOf(plan).dnssecSource, 'validated');
  assert.notEqual(imapsOf(plan).dnssec, 'secure');
  assert.ok(count() > 6, 'the validator asked its DS and DNSKEY questions over DoH too');
  for (const off of [{ validate: false }, { trustAd: true }, { dnssec: 'insecure' }]) {
    const p = await discover('alice@example.test', { resolver: doh().resolver, seed: 1, ...off });
    assert.notEqual(imapsOf(p).dnssecSource, 'validated', JSON.stringify(off));
  }
});

test('D43 the browser module has no validator: its Discovery refuses the dnssec option; DoH with validate: false plans with it', async () => {
  await init();
  // Refused, never ignored: a page must not believe it validates.
  assert.throws(() => new Discovery('alice@example.test', { dnssec: { now: NOW } }), (e) => {
    assert.equal(e.code, 'INVALID_OPTION');
    assert.match(e.message, /dnssec: no validator in this module \(see initValidating\)/);
    return true;
  });
  assert.equal(typeof Discovery.prototype.pendingDnssec, 'undefined');
  const { resolver, count } = doh();
  const plan = await discover('alice@example.test', { resolver, seed: 1, validate: false });
  assert.equal(imapsOf(plan).dnssecSource, 'none');
  assert.equal(plan.incoming.candidates[0].trust, 'in-domain');
  assert.equal(count(), 6, 'the six SRV questions only');
});

test('D43 asked to validate, the browser entry loads the validating planner and plans as the Node build does', async () => {
  const { resolver, count } = doh();
  const plan = await discover('alice@example.test', { resolver, seed: 1, dnssec: { trustAnchors: anchor, now: NOW } });
  assert.equal(imapsOf(plan).dnssecSource, 'validated');
  assert.equal(imapsOf(plan).dnssec, 'secure');
  assert.equal(plan.incoming.candidates[0].trust, 'dnssec-secure');
  assert.ok(count() > 6, 'the DS and DNSKEY questions went over DoH too');
  const validating = await initValidating();
  assert.notEqual(validating.Discovery, Discovery, 'a module of its own');
  // The Node build's plan for the same answers (a separate module instance, imported here only).
  const node = await import('../src/node.js');
  const nodePlan = await node.discover('alice@example.test', { resolver: doh().resolver, seed: 1, dnssec: { trustAnchors: anchor, now: NOW } });
  assert.deepEqual(plan, nodePlan);
  // A bogus zone: no candidates, and the core's diagnostic.
  const bogus = await discover('alice@bogus.test', { resolver: doh().resolver, seed: 1, validate: true, dnssec: { trustAnchors: anchor, now: NOW } });
  assert.equal(imapsOf(bogus).dnssec, 'bogus');
  assert.deepEqual(bogus.incoming.candidates, []);
  assert.ok(bogus.diagnostics.some((d) => d.code === 'dnssec-bogus'));
});
