// DNSSEC validation through the JS API and the CLI (issue 14 §6, decision D43): the validator's
// questions travel over the same resolver as the SRV questions (DoH POST and GET, the zone host
// offline), rounds go on while the core has questions pending, all under the whole deadline;
// validation is on by default for DoH in Node, off with `validate: false` / `--no-validate`; a bad
// trust anchor or `--now` is a typed error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { discover, dohResolver, zoneResolver, Discovery } from 'mailsrv';
import { ZoneHost } from '../src/zone.js';
import { root, runCli } from './helpers.js';

const dir = path.join(root, 'testdata/dnssec');
const zoneFiles = readdirSync(dir).filter((f) => f.endsWith('.zone')).sort();
const zoneTexts = zoneFiles.map((f) => readFileSync(path.join(dir, f), 'utf8'));
const anchor = readFileSync(path.join(dir, 'root.anchor'), 'utf8');
const NOW = 1798761600; // 2027-01-01T00:00:00Z, inside the signatures' validity (2026–2036)
const zoneArgs = zoneFiles.flatMap((f) => ['--zone', `testdata/dnssec/${f}`]);

/** A DoH server in a `fetch`: the zone host answers each POST body or GET `dns=` parameter. */
function dohFetch(log = []) {
  const host = new ZoneHost();
  for (const t of zoneTexts) host.addZone(t, false);
  return async (url, init) => {
    let wire;
    if (init.method === 'POST') wire = new Uint8Array(init.body);
    else wire = new Uint8Array(Buffer.from(new URL(url).searchParams.get('dns'), 'base64url'));
    log.push({ method: init.method ?? 'GET', type: (wire[wire.length - 15] << 8) | wire[wire.length - 14] });
    return new Response(host.answer(wire, 'tcp'), { headers: { 'content-type': 'application/dns-message' } });
  };
}

const imapsOf = (plan) => plan.lookups.find((l) => l.service === 'imaps');

test('s6186_6 discover over DoH validates with the given anchor: the DS/DNSKEY questions go over the same resolver', async () => {
  for (const method of ['POST', 'GET']) {
    const log = [];
    const resolver = dohResolver('https://doh.example/dns-query', { method, fetch: dohFetch(log) });
    const plan = await discover('alice@example.test', { resolver, seed: 1, dnssec: { trustAnchors: anchor, now: NOW } });
    assert.equal(imapsOf(plan).dnssecSource, 'validated');
    assert.equal(imapsOf(plan).dnssec, 'secure');
    assert.equal(plan.incoming.candidates[0].trust, 'dnssec-secure');
    assert.ok(log.every((q) => q.method === method), `${method} for every question`);
    assert.ok(log.length > 6, `the validator's questions were sent too (${log.length})`);
    // The same plan as offline through the zone host, with `now` given as a Date.
    const offline = await discover('alice@example.test', { resolver: await zoneResolver(zoneTexts), seed: 1, dnssec: { trustAnchors: anchor, now: new Date(NOW * 1000) } });
    assert.deepEqual(plan, offline);
  }
});

test('D43 in Node, DoH validates by default with the built-in IANA anchors; validate: false, trustAd or an asserted status turn it off', async () => {
  const resolver = () => dohResolver('https://doh.example/dns-query', { fetch: dohFetch() });
  // The private root is not the IANA root: the built-in anchors cannot vouch for it.
  const byDefault = await discover('alice@example.test', { resolver: resolver(), seed: 1 });
  assert.equal(imapsOf(byDefault).dnssecSource, 'validated');
  assert.notEqual(imapsOf(byDefault).dnssec, 'secure');
  for (const off of [{ validate: false }, { trustAd: true }, { dnssec: 'insecure' }]) {
    const plan = await discover('alice@example.test', { resolver: resolver(), seed: 1, ...off });
    assert.notEqual(imapsOf(plan).dnssecSource, 'validated', JSON.stringify(off));
    assert.equal(plan.incoming.candidates[0].host, 'mail.example.test');
  }
  // Other resolvers validate only when asked.
  const zone = await discover('alice@example.test', { resolver: await zoneResolver(zoneTexts), seed: 1 });
  assert.equal(imapsOf(zone).dnssecSource, 'none');
});

test('D43 contradictory or malformed validation options are typed errors', async () => {
  const resolver = await zoneResolver(zoneTexts);
  for (const [options, code] of [
    [{ validate: false, dnssec: { now: NOW } }, 'INVALID_OPTION'],
    [{ validate: true, dnssec: 'secure' }, 'INVALID_OPTION'],
    [{ validate: 'yes' }, 'INVALID_ARGUMENT'],
    [{ dnssec: { now: -1 } }, 'INVALID_OPTION'],
    [{ dnssec: { now: 1.5 } }, 'INVALID_OPTION'],
    [{ dnssec: 7 }, 'INVALID_ARGUMENT'],
  ]) {
    await assert.rejects(discover('alice@example.test', { resolver, ...options }), (e) => {
      assert.equal(e.code, code, `${JSON.stringify(options)}: ${e.message}`);
      return true;
    });
  }
  // An unknown key is refused, not ignored (a misspelt `trustAnchors` must not mean the IANA root).
  await assert.rejects(discover('alice@example.test', { resolver, dnssec: { now: NOW, anchors: anchor } }), (e) => {
    assert.equal(e.code, 'INVALID_OPTION');
    assert.match(e.message, /unknown field `anchors`/);
    return true;
  });
});

test('s6186_6 a bad trust anchor is the core\'s INVALID_OPTION naming dnssec.trustAnchors, from the API and the CLI', async () => {
  const resolver = await zoneResolver(zoneTexts);
  for (const text of ['. IN DS 1 13 2 zz\n', '; comments only\n']) {
    await assert.rejects(discover('alice@example.test', { resolver, dnssec: { trustAnchors: text, now: NOW } }), (e) => {
      assert.equal(e.code, 'INVALID_OPTION');
      assert.match(e.message, /dnssec\.trustAnchors/);
      return true;
    });
  }
  const bad = path.join(mkdtempSync(path.join(tmpdir(), 'mailsrv-anchor-')), 'bad.anchor');
  writeFileSync(bad, '. 3600 IN DS 39168 13 2 not-hex\n');
  const r = await runCli(['plan', ...zoneArgs, '--trust-anchor', bad, '--now', '2027-01-01T00:00:00Z', 'alice@example.test']);
  assert.equal(r.code, 2, r.stdout);
  assert.match(r.stderr, /dnssec\.trustAnchors/);
  assert.equal(r.stdout, '');
  const missing = await runCli(['plan', ...zoneArgs, '--trust-anchor', 'no/such.anchor', 'alice@example.test']);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /cannot read trust-anchor file "no\/such.anchor": no such file/);
});

test('D43 --now is read by the core (seconds or RFC 3339 UTC); a bad one, or --no-validate with --trust-anchor, is a usage error', async () => {
  const base = [...zoneArgs, '--trust-anchor', 'testdata/dnssec/root.anchor', '--seed', '1', '--json', 'alice@example.test'];
  const rfc = await runCli(['plan', ...base, '--now', '2027-01-01T00:00:00Z']);
  const secs = await runCli(['plan', ...base, '--now', String(NOW)]);
  assert.equal(rfc.code, 0, rfc.stderr);
  assert.equal(rfc.stdout, secs.stdout);
  for (const bad of ['2027-01-01T00:00:00+01:00', '2027-01-01', 'soon']) {
    const r = await runCli(['plan', ...base, '--now', bad]);
    assert.equal(r.code, 2, bad);
    assert.match(r.stderr, /--now: .*neither seconds nor an RFC 3339 UTC time/);
  }
  // Signatures outside their validity at --now: bogus (2026–2036 is the signed window).
  const late = await runCli(['plan', ...base, '--now', '2040-01-01T00:00:00Z']);
  assert.equal(imapsOf(JSON.parse(late.stdout)).dnssec, 'bogus');
  const both = await runCli(['plan', ...base, '--no-validate']);
  assert.equal(both.code, 2);
  assert.match(both.stderr, /--no-validate cannot go with --trust-anchor or --now/);
});

test('D43 the whole deadline bounds the validator\'s rounds: unanswered DNSSEC questions fail, the plan comes back', async () => {
  const host = new ZoneHost();
  for (const t of zoneTexts) host.addZone(t, false);
  const silent = new Set([43, 48]); // DS and DNSKEY never answered
  const resolver = {
    async query(wire, _q, { signal }) {
      const type = (wire[wire.length - 15] << 8) | wire[wire.length - 14];
      if (!silent.has(type)) return host.answer(wire, 'udp');
      return new Promise((_, reject) => signal.addEventListener('abort', () => reject(Object.assign(new Error('aborted'), { code: 'TIMEOUT' }))));
    },
  };
  const started = Date.now();
  const plan = await discover('alice@example.test', { resolver, seed: 1, totalTimeout: 300, dnssec: { trustAnchors: anchor, now: NOW } });
  assert.ok(Date.now() - started < 5000);
  assert.equal(imapsOf(plan).dnssecSource, 'validated');
  assert.notEqual(imapsOf(plan).dnssec, 'secure', 'no chain of trust without DS and DNSKEY');
});

test('the Discovery of the Node build lists, takes and fails the validator\'s questions', () => {
  const d = new Discovery('alice@example.test', { dnssec: { now: NOW, trustAnchors: anchor } });
  try {
    assert.equal(d.validatesDnssec(), true);
    const first = d.pendingDnssec();
    assert.ok(first.length > 0);
    assert.deepEqual(d.dnssecQueries().map((q) => q.messageId), first.map((q) => q.messageId));
    assert.ok(first.every((q) => q.wire instanceof Uint8Array && [43, 48].includes(q.recordType)), JSON.stringify(first.map((q) => [q.name, q.recordType])));
    d.failDnssec(first[0].messageId);
    assert.ok(!d.pendingDnssec().some((q) => q.messageId === first[0].messageId));
    assert.throws(() => d.receiveDnssec(65000, new Uint8Array(12)), (e) => typeof e.code === 'string');
  } finally {
    d.free();
  }
  const plain = new Discovery('alice@example.test', {});
  assert.equal(plain.validatesDnssec(), false);
  assert.deepEqual(plain.pendingDnssec(), []);
  plain.free();
});

test('D44 a truncated answer to a DNSSEC question is asked again over TCP; without TCP it is failed, so the core decides', async () => {
  const host = new ZoneHost();
  for (const t of zoneTexts) host.addZone(t, false);
  const typeOf = (wire) => (wire[wire.length - 15] << 8) | wire[wire.length - 14];
  // Over "UDP" the DS and DNSKEY answers come back empty with TC set (the query echoed, QR and TC).
  const truncated = (wire) => {
    const m = new Uint8Array(wire);
    m[2] |= 0x82;
    return m;
  };
  const tcp = [];
  const udpOnly = {
    async query(wire) {
      return [43, 48].includes(typeOf(wire)) ? truncated(wire) : host.answer(wire, 'udp');
    },
  };
  const withTcp = { ...udpOnly, async queryTcp(wire) { tcp.push(typeOf(wire)); return host.answer(wire, 'tcp'); } };
  const options = { seed: 1, dnssec: { trustAnchors: anchor, now: NOW } };
  const plan = await discover('alice@example.test', { resolver: withTcp, ...options });
  assert.equal(imapsOf(plan).dnssec, 'secure');
  assert.ok(tcp.length >= 2 && tcp.every((t) => t === 43 || t === 48), String(tcp));
  // Without TCP the question is failed, so the core decides (a plan left waiting on a question
  // nobody will ask again would show every lookup pending and `final: false`).
  const without = await discover('alice@example.test', { resolver: udpOnly, ...options });
  assert.equal(without.final, true, JSON.stringify(without.lookups));
  assert.ok(without.lookups.every((l) => l.outcome !== 'pending' && l.dnssecSource === 'validated'));
  assert.notEqual(imapsOf(without).dnssec, 'secure');
});

test('D44 answers to other questions for the DNSSEC questions fail those questions; discover still plans', async () => {
  const host = new ZoneHost();
  for (const t of zoneTexts) host.addZone(t, false);
  const typeOf = (wire) => (wire[wire.length - 15] << 8) | wire[wire.length - 14];
  const resolver = {
    async query(wire) {
      const a = host.answer(wire, 'udp');
      if ([43, 48].includes(typeOf(wire))) a[1] ^= 0x55; // another message ID
      return a;
    },
  };
  const plan = await discover('alice@example.test', { resolver, seed: 1, dnssec: { trustAnchors: anchor, now: NOW } });
  assert.equal(plan.final, true);
  assert.equal(imapsOf(plan).dnssecSource, 'validated');
  assert.notEqual(imapsOf(plan).dnssec, 'secure');
});
