// mailsrv probe against small mail servers started here: implicit TLS and STARTTLS succeed and
// verify the certificate; injection and stripping abort; no credential is ever sent.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { probe, zoneResolver, certificatesFromPem } from '../src/index.js';
import { noAddressError } from '../src/host.js';
import { runCli, testdata } from './helpers.js';
import { startMailServer } from './fake-mail-server.js';
import { credentialLines } from './credentials.js';

const anchors = certificatesFromPem(readFileSync(path.join(testdata, 'certs/ca.pem'), 'utf8'));
const NOW = Date.parse('2027-06-01T00:00:00Z');
const servers = [];
after(async () => { for (const s of servers) await s.stop(); });

async function start(kind, behaviour) {
  const s = await startMailServer(kind, behaviour);
  servers.push(s);
  return s;
}

function zone(records) {
  return `$ORIGIN example.net.\n$TTL 300\n@ IN SOA ns1 hostmaster 1 7200 900 1209600 300\nmail IN A 127.0.0.1\n${records.join('\n')}\n`;
}

/** Asserts that `server` received no credential in any form (credentials.test.js tests the detector). */
function assertNoCredentials(server) {
  assert.deepEqual(credentialLines(server.received), [], JSON.stringify(server.received));
}

// S6186-6b, S8314-5.2b: both TLS modes work; before TLS only CAPABILITY and STARTTLS are sent.
test('probe: implicit TLS and STARTTLS servers work and their certificates verify', async () => {
  const imaps = await start('imaps');
  const imap = await start('imap');
  const subs = await start('submissions');
  const text = zone([
    `_imaps._tcp IN SRV 0 1 ${imaps.port} mail.example.net.`,
    `_imap._tcp IN SRV 0 1 ${imap.port} mail.example.net.`,
    `_submissions._tcp IN SRV 0 1 ${subs.port} mail.example.net.`,
  ]);
  const { report } = await probe('alice@example.net', { resolver: await zoneResolver([text]), seed: 1, anchors, now: NOW });
  assert.equal(report.incoming.server?.port, imaps.port, JSON.stringify(report, null, 2));
  assert.equal(report.incoming.tried[0].verdict.matched.value, '_imaps.example.net');
  assert.deepEqual(report.incoming.tried[0].capabilities.authMechanisms, ['PLAIN']);
  assert.equal(report.outgoing.server?.port, subs.port, JSON.stringify(report.outgoing, null, 2));
  assertNoCredentials(imaps);
  assertNoCredentials(subs);

  // STARTTLS alone (implicit TLS offered by nobody):
  const only = zone([`_imap._tcp IN SRV 0 1 ${imap.port} mail.example.net.`]);
  const r2 = await probe('alice@example.net', { resolver: await zoneResolver([only]), seed: 1, anchors, now: NOW, submission: false });
  assert.equal(r2.report.incoming.server?.port, imap.port, JSON.stringify(r2.report, null, 2));
  assert.deepEqual(imap.received.slice(0, 3), ['A1 CAPABILITY', 'A2 STARTTLS', '(tls) A3 CAPABILITY']);
  assertNoCredentials(imap);
});

// INJ-1, D19: injected bytes and a stripped STARTTLS end the attempt before any credential.
test('probe: injected bytes after the upgrade reply and a stripped STARTTLS abort', async () => {
  const inject = await start('imap', 'inject');
  const strip = await start('imap', 'strip');
  for (const [server, reason] of [[inject, 'injected-after-upgrade'], [strip, 'starttls-not-offered']]) {
    const text = zone([`_imap._tcp IN SRV 0 1 ${server.port} mail.example.net.`]);
    const { report } = await probe('alice@example.net', { resolver: await zoneResolver([text]), seed: 1, anchors, now: NOW, submission: false });
    assert.equal(report.incoming.server, null);
    assert.equal(report.incoming.tried[0].outcome, 'aborted');
    assert.equal(report.incoming.tried[0].abort.reason, reason);
    assertNoCredentials(server);
    assert.ok(!server.received.some((l) => l.startsWith('(tls)')), 'nothing is sent after an abort');
  }
});

// S8314-5c, S7817-3a: an unvalidated chain is rejected before any command is sent.
test('probe: a certificate from an unknown issuer is rejected before any command', async () => {
  const imaps = await start('imaps');
  const text = zone([`_imaps._tcp IN SRV 0 1 ${imaps.port} mail.example.net.`]);
  const other = certificatesFromPem(readFileSync(path.join(testdata, 'certs/other-ca.pem'), 'utf8'));
  const { report } = await probe('alice@example.net', { resolver: await zoneResolver([text]), seed: 1, anchors: other, now: NOW, submission: false });
  assert.equal(report.incoming.tried[0].outcome, 'rejected');
  assert.equal(report.incoming.tried[0].verdict.reason, 'unknown-issuer');
  assert.deepEqual(imaps.received, [], 'not even CAPABILITY is sent');
});

test('CLI probe --json reports the working servers and exits 0', async () => {
  const imaps = await start('imaps');
  const subs = await start('submissions');
  const dir = path.join(testdata, '..', 'target');
  const file = path.join(dir, `probe-${process.pid}.zone`);
  const { writeFileSync, rmSync, mkdirSync } = await import('node:fs');
  mkdirSync(dir, { recursive: true });
  writeFileSync(file, zone([`_imaps._tcp IN SRV 0 1 ${imaps.port} mail.example.net.`, `_submissions._tcp IN SRV 0 1 ${subs.port} mail.example.net.`]));
  try {
    const r = await runCli(['probe', '--zone', file, '--anchors', 'testdata/certs/ca.pem', '--now', '2027-06-01T00:00:00Z', '--json', 'alice@example.net']);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    const report = JSON.parse(r.stdout);
    assert.equal(report.incoming.server.port, imaps.port);
    assert.equal(report.outgoing.server.port, subs.port);
    assert.match(r.stderr, /probing mail\.example\.net/);
  } finally {
    rmSync(file, { force: true });
  }
});

// S6186-4g, D20, S8314-5.1d: full address, then local part, only over verified TLS.
test('probe with a password: full address refused, local part accepted, only over verified TLS', async () => {
  const imaps = await start('imaps');
  const imap = await start('imap');
  const subs = await start('submissions');
  const text = zone([
    `_imaps._tcp IN SRV 0 1 ${imaps.port} mail.example.net.`,
    `_imap._tcp IN SRV 0 1 ${imap.port} mail.example.net.`,
    `_submissions._tcp IN SRV 0 1 ${subs.port} mail.example.net.`,
  ]);
  const { report } = await probe('alice@example.net', { resolver: await zoneResolver([text]), seed: 1, anchors, now: NOW, password: 's3cret' });
  assert.deepEqual(report.incoming.tried[0].login, { ok: true, username: 'alice' }, JSON.stringify(report, null, 2));
  assert.deepEqual(report.outgoing.tried[0].login, { ok: true, username: 'alice@example.net' });
  // The STARTTLS server alone: credentials go only after "(tls)".
  const only = zone([`_imap._tcp IN SRV 0 1 ${imap.port} mail.example.net.`]);
  const r2 = await probe('alice@example.net', { resolver: await zoneResolver([only]), seed: 1, anchors, now: NOW, password: 'wrong', submission: false });
  assert.equal(r2.report.incoming.server, null);
  assert.equal(r2.report.incoming.tried[0].login.ok, false);
  const auth = imap.received.findIndex((l) => /AUTHENTICATE/.test(l));
  assert.ok(auth > 0 && imap.received.slice(auth).every((l) => l.startsWith('(tls) ')), JSON.stringify(imap.received));
  const sent = credentialLines(imap.received);
  assert.ok(sent.length >= 2 && sent.every((f) => f.line.startsWith('(tls) ')), JSON.stringify(sent));
});

// S8314-5.1d: no credential without a verified TLS session.
test('probe never sends a password to a server whose certificate is not verified, nor after an injection', async () => {
  const imaps = await start('imaps');
  const inject = await start('imap', 'inject');
  const other = certificatesFromPem(readFileSync(path.join(testdata, 'certs/other-ca.pem'), 'utf8'));
  const t1 = zone([`_imaps._tcp IN SRV 0 1 ${imaps.port} mail.example.net.`]);
  const r1 = await probe('alice@example.net', { resolver: await zoneResolver([t1]), seed: 1, anchors: other, now: NOW, password: 's3cret', submission: false });
  const t2 = zone([`_imap._tcp IN SRV 0 1 ${inject.port} mail.example.net.`]);
  const r2 = await probe('alice@example.net', { resolver: await zoneResolver([t2]), seed: 1, anchors, now: NOW, password: 's3cret', submission: false });
  // What the probe reports: one candidate each, stopped before any login was tried.
  for (const [{ report }, port] of [[r1, imaps.port], [r2, inject.port]]) {
    assert.equal(report.incoming.server, null, JSON.stringify(report, null, 2));
    assert.equal(report.incoming.tried.length, 1);
    assert.equal(report.incoming.tried[0].port, port);
    assert.equal(report.incoming.tried[0].login, undefined, 'no login was attempted');
  }
  assert.equal(r1.report.incoming.tried[0].outcome, 'rejected');
  assert.equal(r1.report.incoming.tried[0].verdict.reason, 'unknown-issuer');
  assert.equal(r2.report.incoming.tried[0].outcome, 'aborted');
  assert.equal(r2.report.incoming.tried[0].abort.reason, 'injected-after-upgrade');
  // What the servers saw: no credential in any form.
  assert.deepEqual(imaps.received, [], 'not even CAPABILITY reaches an unverified server');
  assert.deepEqual(inject.received, ['A1 CAPABILITY', 'A2 STARTTLS'], JSON.stringify(inject.received));
  for (const server of [imaps, inject]) assertNoCredentials(server);
});

// S8314-5c: a STARTTLS candidate rejected after the upgrade (here PKIX, in the world a wrong
// TLSA digest) ends cleanly: the TLS socket is destroyed before the TCP socket under it (the
// other order crashed Node 20 with a segmentation fault), and the server saw only the dialogue
// before TLS.
test('probe: a STARTTLS server whose certificate is rejected after the upgrade ends without a crash', async () => {
  const imap = await start('imap');
  const text = zone([`_imap._tcp IN SRV 0 1 ${imap.port} mail.example.net.`]);
  const other = certificatesFromPem(readFileSync(path.join(testdata, 'certs/other-ca.pem'), 'utf8'));
  for (let i = 0; i < 3; i++) {
    const { report } = await probe('alice@example.net', { resolver: await zoneResolver([text]), seed: 1, anchors: other, now: NOW, password: 's3cret', submission: false });
    assert.equal(report.incoming.tried[0].outcome, 'rejected', JSON.stringify(report, null, 2));
    assert.equal(report.incoming.tried[0].verdict.reason, 'unknown-issuer');
  }
  // A moment for the destroyed sockets' callbacks (where the crash was).
  await new Promise((resolve) => setTimeout(resolve, 200));
  assert.ok(imap.received.every((l) => !l.startsWith('(tls) ')), JSON.stringify(imap.received));
  assertNoCredentials(imap);
});

// D50: a target the plan gives no address is asked of the resolver the plan used, never the
// system's name resolution: here `localhost.`, which the system would resolve to this machine.
test('D50 probe: a resolver that gives no address for a target fails the candidate without the system lookup', async () => {
  const imap = await start('imap');
  const text = zone([`_imap._tcp IN SRV 0 1 ${imap.port} localhost.`]);
  const files = await zoneResolver([text]);
  const asked = [];
  // A resolver (not zone files) that answers from the same zone: REFUSED for localhost.
  const resolver = {
    async query(wire, question, options) {
      asked.push(wire);
      return files.query(wire, question, options);
    },
  };
  const { report } = await probe('alice@example.net', { resolver, seed: 1, anchors, now: NOW, submission: false, acceptTargets: ['localhost'] });
  const tried = report.incoming.tried;
  assert.equal(tried.length, 1, JSON.stringify(report, null, 2));
  assert.equal(tried[0].host, 'localhost');
  assert.equal(tried[0].outcome, 'error');
  assert.equal(tried[0].error.code, 'NETWORK_ERROR');
  assert.equal(tried[0].error.message, 'no address for localhost from the resolver');
  assert.equal(tried[0].error.message, noAddressError('localhost').message);
  assert.deepEqual(imap.received, [], 'the probe must not connect');
  // The plan's SRV question, then A and AAAA for the target.
  assert.ok(asked.length >= 3, `${asked.length} queries`);

  // Zone files are no resolver to ask: the system's name resolution finds localhost.
  const r2 = await probe('alice@example.net', { resolver: files, seed: 1, anchors, now: NOW, submission: false, acceptTargets: ['localhost'] });
  assert.notEqual(r2.report.incoming.tried[0]?.error?.code, 'NETWORK_ERROR', JSON.stringify(r2.report, null, 2));
  assert.equal(imap.received[0], 'A1 CAPABILITY', JSON.stringify(imap.received));
});

// D50: the prober's failure is the core's error (`noAddressError`), with the resolver's own error
// text after it when a query failed; no host writes that text itself.
test('D50 probe: the failure without an address is the core\'s, with the resolver\'s error', async () => {
  const imap = await start('imap');
  const files = await zoneResolver([zone([`_imap._tcp IN SRV 0 1 ${imap.port} localhost.`])]);
  // The QTYPE after the question's name (RFC 1035 §4.1.2).
  const qtype = (wire) => {
    let i = 12;
    while (wire[i] !== 0) i += 1 + wire[i];
    return (wire[i + 1] << 8) | wire[i + 2];
  };
  // The plan's questions are answered; the target's A and AAAA queries fail.
  const resolver = {
    async query(wire, question, options) {
      if (qtype(wire) !== 1 && qtype(wire) !== 28) return files.query(wire, question, options);
      throw Object.assign(new Error('the resolver is down\nerror OK'), { code: 'NETWORK_ERROR' });
    },
  };
  const { report } = await probe('alice@example.net', { resolver, seed: 1, anchors, now: NOW, submission: false, acceptTargets: ['localhost'] });
  const [tried] = report.incoming.tried;
  const core = noAddressError('localhost', 'the resolver is down\nerror OK');
  assert.ok(core instanceof Error);
  assert.equal(core.code, 'NETWORK_ERROR');
  assert.deepEqual(tried.error, { code: core.code, message: core.message }, JSON.stringify(report, null, 2));
  // One line: the resolver's line break does not reach the report.
  assert.equal(tried.error.message, 'no address for localhost from the resolver: the resolver is down\ufffderror OK');
  assert.deepEqual(imap.received, [], 'the probe must not connect');
  // No detail, or an empty one, adds nothing.
  assert.equal(noAddressError('localhost', '').message, noAddressError('localhost').message);
});
