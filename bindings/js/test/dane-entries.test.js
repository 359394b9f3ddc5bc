// D37: DANE (TLSA records in `verifyChain`) is in the Node entry's module (mailsrv_node) and not
// in the browser module (mailsrv_wasm), which is built without the core's `dane` feature to stay
// within its size budget. There `options.tlsa` is refused with a typed error, never ignored:
// verifying as if the records were absent would accept a chain that DANE rejects.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, X509Certificate } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import * as web from '../src/browser.js';
import * as node from '../src/index.js';
import { root } from './helpers.js';

const pem = readFileSync(path.join(root, 'testdata/certs/self-signed.chain.pem'), 'utf8');
const chain = node.certificatesFromPem(pem);
const spki = new X509Certificate(pem).publicKey.export({ type: 'spki', format: 'der' });
const digest = createHash('sha256').update(spki).digest('hex');
const wrong = digest.slice(0, -1) + (digest.endsWith('0') ? '1' : '0');
const candidate = { service: 'imaps', host: 'mail.example.net', trust: 'in-domain', port: 993 };
const now = Date.parse('2027-06-01T00:00:00Z');
const options = (hex) => ({ domain: 'example.net', tlsa: [`3 1 1 ${hex}`] });

test('S7673-4a the Node entry verifies by DANE-EE: a matching record verifies, a wrong one rejects (tlsa-mismatch)', () => {
  let v = node.verifyChain(candidate, chain, [], now, options(digest));
  assert.equal(v.status, 'verified', v.message);
  assert.equal(v.matched.type, 'dane-ee');
  assert.equal(v.dane.name, '_993._tcp.mail.example.net');
  v = node.verifyChain(candidate, chain, [], now, options(wrong));
  assert.equal(v.status, 'rejected', v.message);
  assert.equal(v.reason, 'tlsa-mismatch');
});

test('S7673-4a the browser entry refuses options.tlsa with INVALID_OPTION (no DANE in mailsrv_wasm), never ignores it', async () => {
  await web.init();
  for (const hex of [digest, wrong]) {
    assert.throws(() => web.verifyChain(candidate, chain, [], now, options(hex)), (e) => {
      assert.equal(e.code, 'INVALID_OPTION');
      assert.match(e.message, /options\.tlsa/);
      assert.match(e.message, /DANE/);
      return true;
    });
  }
  // The same chain with anchors and no records still verifies as before (PKIX, no DANE report).
  const ca = web.certificatesFromPem(readFileSync(path.join(root, 'testdata/certs/ca.pem'), 'utf8'));
  const srv = web.certificatesFromPem(readFileSync(path.join(root, 'testdata/certs/srv-id.chain.pem'), 'utf8'));
  const v = web.verifyChain({ ...candidate, host: 'mail.provider.net' }, srv, ca, now, { domain: 'example.net', tlsa: [] });
  assert.equal(v.status, 'verified', v.message);
  assert.equal(v.dane, undefined);
});

// Issue 15 (D45): a validated plan's candidate carries its `secure` TLSA records, and the Node
// entry's verifyChain uses them as the core's verify_candidate does (Subject::with_plan_tlsa):
// the host passes no records and no CA. The plans come from testdata/dnssec, offline.
const dnssecDir = path.join(root, 'testdata/dnssec');
const zoneTexts = readdirSync(dnssecDir).filter((f) => f.endsWith('.zone')).sort()
  .map((f) => readFileSync(path.join(dnssecDir, f), 'utf8'));
const trustAnchors = readFileSync(path.join(dnssecDir, 'root.anchor'), 'utf8');
const danePem = (f) => node.certificatesFromPem(readFileSync(path.join(root, 'testdata/certs/dane', f), 'utf8'));
async function daneCandidate(email, host) {
  const plan = await node.discover(email, { resolver: await node.zoneResolver(zoneTexts), seed: 1, sources: ['srv'], dnssec: { trustAnchors, now: new Date(now) } });
  const c = plan.incoming.candidates.find((x) => x.host === host && x.port === 993);
  assert.ok(c, JSON.stringify(plan.incoming));
  return c;
}

test('S7673-4a D45 the Node entry verifies a validated plan\'s candidate by its own TLSA records: DANE-EE, DANE-TA, a wrong digest', async () => {
  const ee = await daneCandidate('alice@ee.dane.test', 'ee.hosting.test');
  assert.equal(ee.tlsa.status, 'secure');
  let v = node.verifyChain(ee, danePem('ee.chain.pem'), [], now);
  assert.equal(v.status, 'verified', v.message);
  assert.equal(v.matched.type, 'dane-ee');
  assert.equal(v.dane.name, '_993._tcp.ee.hosting.test');
  const ta = await daneCandidate('alice@ta.dane.test', 'ta.hosting.test');
  v = node.verifyChain(ta, danePem('ta.chain.pem'), [], now);
  assert.equal(v.status, 'verified', v.message);
  assert.equal(v.matched.type, 'dane-ta');
  const wrongOne = await daneCandidate('alice@wrong.dane.test', 'wrong.hosting.test');
  v = node.verifyChain(wrongOne, danePem('ee.chain.pem'), [], now);
  assert.equal(v.status, 'rejected', v.message);
  assert.equal(v.reason, 'tlsa-mismatch');
  // Records given by the caller replace the plan's (as verify_candidate_with_tlsa does).
  const spkiEe = new X509Certificate(readFileSync(path.join(root, 'testdata/certs/dane/ee.chain.pem'), 'utf8')).publicKey.export({ type: 'spki', format: 'der' });
  v = node.verifyChain(wrongOne, danePem('ee.chain.pem'), [], now, { tlsa: [`3 1 1 ${createHash('sha256').update(spkiEe).digest('hex')}`] });
  assert.equal(v.status, 'verified', v.message);
  // A status other than `secure` brings no records: without a CA nothing verifies.
  assert.throws(() => node.verifyChain({ ...ee, tlsa: { ...ee.tlsa, status: 'insecure' } }, danePem('ee.chain.pem'), [], now),
    (e) => e.code === 'INVALID_TRUST_ANCHOR');
});
