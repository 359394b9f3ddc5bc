// The mailsrv CLI: JSON identical to the Rust example's, readable human output, one-line errors
// and documented exit codes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expected, runCli } from './helpers.js';

test('plan --json equals the Rust plans', async () => {
  let r = await runCli(['plan', '--zone', 'testdata/zones/demo.zone', '--json', '--seed', '1', 'alice@example.net']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, expected('demo'));
  r = await runCli(['plan', '--zone', 'testdata/zones/custom-domain.zone', '--zone', 'testdata/zones/provider.zone', '--json', '--seed', '1', 'dave@custom.example']);
  assert.equal(r.stdout, expected('custom-domain'));
  r = await runCli(['plan', '--secure-zone', 'testdata/zones/signed.zone', '--zone', 'testdata/zones/provider.zone', '--trust-ad', '--json', '--seed', '1', 'erin@signed.example']);
  assert.equal(r.stdout, expected('signed-trusted'));
  r = await runCli(['plan', '--zone', 'testdata/zones/priority-order.zone', '--tls-order', 'domain-priority', '--json', '--seed', '1', 'ned@prio.example']);
  assert.equal(r.stdout, expected('priority-domain-order'));
});

test('plan prints a ranked table with reasons, lookups and diagnostics', async () => {
  const r = await runCli(['plan', '--zone', 'testdata/zones/demo.zone', '--seed', '1', 'alice@example.net']);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /Incoming \(IMAP\):/);
  assert.match(r.stdout, / 1 {2}imap2\.example\.net:993 +implicit-tls +0 +40 +implicit TLS, _imaps priority 0, weight 40\/100 drawn; in your domain/);
  assert.match(r.stdout, /Alternative incoming \(POP3\)/);
  assert.match(r.stdout, /_pop3\._tcp\.example\.net +nx-domain/);
  assert.match(r.stdout, /\[alternative-protocol\]/);
});

test('exit codes: nothing usable is 1, usage errors 2 with one line on stderr', async () => {
  let r = await runCli(['plan', '--zone', 'testdata/zones/nothing.zone', 'olga@empty.example']);
  assert.equal(r.code, 1);
  r = await runCli(['plan', '--zone', 'testdata/zones/demo.zone', 'alice@[192.0.2.1]']);
  assert.equal(r.code, 2);
  assert.equal(r.stderr.trim().split('\n').length, 1);
  assert.match(r.stderr, /^mailsrv: ADDRESS_LITERAL: /);
  r = await runCli(['plan', '--zone', 'missing.zone', 'alice@example.net']);
  assert.equal(r.code, 2);
  assert.equal(r.stderr, 'mailsrv: cannot read zone file "missing.zone": no such file\n');
  r = await runCli(['plan', '--bogus', 'alice@example.net']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /unknown option --bogus/);
  r = await runCli(['frobnicate']);
  assert.equal(r.code, 2);
});

test('verify prints verdicts with exit codes 0, 4 and 1', async () => {
  const base = ['verify', '--email', 'alice@example.net', '--service', 'imaps', '--host', 'mail.provider.net', '--anchors', 'testdata/certs/ca.pem'];
  let r = await runCli([...base, '--chain', 'testdata/certs/srv-id.chain.pem', '--now', '2027-06-01T00:00:00Z', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const v = JSON.parse(r.stdout);
  assert.equal(v.status, 'verified');
  assert.equal(v.matched.value, '_imaps.example.net');
  r = await runCli([...base, '--chain', 'testdata/certs/target-only.chain.pem', '--now', '2027-06-01T00:00:00Z']);
  assert.equal(r.code, 4);
  assert.match(r.stdout, /^NEEDS CONFIRMATION: /);
  r = await runCli([...base, '--chain', 'testdata/certs/target-only.chain.pem', '--now', '2027-06-01T00:00:00Z', '--dnssec-secure']);
  assert.equal(r.code, 0);
  r = await runCli([...base, '--chain', 'testdata/certs/domain.chain.pem', '--now', '2040-01-01T00:00:00Z', '--json']);
  assert.equal(r.code, 1);
  assert.equal(JSON.parse(r.stdout).reason, 'expired');
  r = await runCli([...base, '--chain', 'testdata/certs/domain.chain.pem', '--now', 'tomorrow']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /RFC 3339/);
});
