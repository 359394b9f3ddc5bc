// One rule, every surface: the same inputs give the same verdict and exit status from the Rust
// example host, the C host's core calls and the JS CLI (all decide through the core).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { root, runCli } from './helpers.js';

const rustVerify = path.join(root, 'target/debug/examples/verify');

function verifyArgs(email, service, host, chain) {
  return ['--email', email, '--service', service, '--host', host, '--chain', `testdata/certs/${chain}`,
    '--anchors', 'testdata/certs/ca.pem', '--now', '2027-06-01T00:00:00Z', '--json'];
}

// Security scenario 63 (S6186-4f): an internationalised email domain verifies by its A-label
// SRV-ID on every surface. The JS CLI used to refuse it (INVALID_DOMAIN: the wasm verification
// path skipped the platform's UTS #46 step that planning uses).
for (const [email, service, host, chain, status] of [
  ['alice@bücher.example', 'imaps', 'mail.provider.net', 'idn.chain.pem', 'verified'],
  ['alice@xn--bcher-kva.example', 'imaps', 'mail.provider.net', 'idn.chain.pem', 'verified'],
  ['alice@example.net', 'imaps', 'mail.provider.net', 'srv-id.chain.pem', 'verified'],
  ['alice@example.net', 'pop3s', 'mail.provider.net', 'srv-id.chain.pem', 'rejected'],
]) {
  test(`s6186_4f verify ${email} ${service}: the Rust example and the JS CLI give the same verdict (${status})`, async () => {
    const args = verifyArgs(email, service, host, chain);
    const rust = spawnSync(rustVerify, args, { cwd: root, encoding: 'utf8' });
    assert.equal(rust.error, undefined, `build the examples first: ${rust.error}`);
    const js = await runCli(['verify', ...args]);
    assert.equal(js.stderr, '', js.stderr);
    assert.equal(JSON.parse(js.stdout).status, status, js.stdout);
    assert.equal(js.stdout, rust.stdout, 'the same verdict, byte for byte');
    assert.equal(js.code, rust.status, 'the same exit status (the core\'s policy)');
    assert.equal(js.code, { verified: 0, rejected: 1 }[status]);
  });
}

// S7673-4a: DANE-EE for a self-signed server no CA vouches for. A `--tlsa` record taken as
// validated for _993._tcp.HOST makes `verify` succeed, a wrong digest fails; the JS CLI and the
// Rust example give the same verdict and exit status (the C host: bindings/c/tests/host_test.sh).
test('S7673-4a verify --port --tlsa: DANE-EE verifies a self-signed chain, a wrong digest rejects, on both surfaces', async () => {
  const pem = readFileSync(path.join(root, 'testdata/certs/self-signed.chain.pem'), 'utf8');
  const spki = new X509Certificate(pem).publicKey.export({ type: 'spki', format: 'der' });
  const digest = createHash('sha256').update(spki).digest('hex').toUpperCase();
  const wrong = digest.slice(0, -1) + (digest.endsWith('0') ? '1' : '0');
  for (const [hex, status, code] of [[digest, 'verified', 0], [wrong, 'rejected', 1]]) {
    const args = ['--email', 'alice@example.net', '--service', 'imaps', '--host', 'mail.example.net',
      '--chain', 'testdata/certs/self-signed.chain.pem', '--now', '2027-06-01T00:00:00Z',
      '--port', '993', '--tlsa', `3 1 1 ${hex}`, '--json'];
    const rust = spawnSync(rustVerify, args, { cwd: root, encoding: 'utf8' });
    assert.equal(rust.error, undefined, `build the examples first: ${rust.error}`);
    const js = await runCli(['verify', ...args]);
    assert.equal(js.stderr, '', js.stderr);
    const v = JSON.parse(js.stdout);
    assert.equal(v.status, status, js.stdout);
    assert.equal(v.dane.name, '_993._tcp.mail.example.net');
    if (status === 'verified') assert.equal(v.matched.type, 'dane-ee');
    else assert.equal(v.reason, 'tlsa-mismatch');
    assert.equal(js.stdout, rust.stdout, 'the same verdict, byte for byte');
    assert.equal(js.code, rust.status, 'the same exit status (the core\'s policy)');
    assert.equal(js.code, code);
  }
});
