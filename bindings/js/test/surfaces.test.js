// One rule, every surface: the same inputs give the same verdict and exit status from the Rust
// example host, the C host's core calls and the JS CLI (all decide through the core).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
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
