// One rule, every surface: the same inputs give the same verdict and exit status from the Rust
// example host, the C host's core calls and the JS CLI (all decide through the core).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
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

// Issue 13 §4: the multi-source fixture cases (testdata/fixtures: SRV and MX from the zone
// files, every HTTP request from the case's http/ folder, by the core's `--fixtures` rules) give
// byte-identical JSON plans and the same exit status from the JS CLI, the Rust example host and
// the reference C host, and each is the case's expected.json (which core/tests/multisource.rs
// checks against the core directly) — the hostile case included.
const cHost = path.join(root, 'target/c/mailsrv-plan');
const rustPlan = path.join(root, 'target/debug/examples/plan');
const { cases } = JSON.parse(readFileSync(path.join(root, 'testdata/fixtures/cases.json'), 'utf8'));
for (const c of cases) {
  test(`D26 D38 fixture case ${c.name}: JS, Rust and C print the same plan, the expected one`, async () => {
    const dir = `testdata/fixtures/${c.name}`;
    const args = [...c.zones.flatMap((z) => ['--zone', `${dir}/${z}`]), '--fixtures', `${dir}/http`, '--seed', String(c.seed), '--json', c.email];
    const js = await runCli(['plan', ...args]);
    assert.equal(js.stderr, '', js.stderr);
    const expected = readFileSync(path.join(root, dir, 'expected.json'), 'utf8');
    assert.equal(js.stdout, expected, 'the JS plan is the expected one');
    for (const [name, bin] of [['Rust', rustPlan], ['C', cHost]]) {
      const other = spawnSync(bin, args, { cwd: root, encoding: 'utf8' });
      assert.equal(other.error, undefined, `${name}: build the examples and the C host first (make -C bindings/c host): ${other.error}`);
      assert.equal(other.stderr, '', `${name}: ${other.stderr}`);
      assert.equal(other.stdout, js.stdout, `${name}: the same plan, byte for byte`);
      assert.equal(other.status, js.code, `${name}: the same exit status`);
    }
  });
}

test('D38 the human plan names each candidate\'s sources and what the user must confirm', async () => {
  const dir = 'testdata/fixtures/mx';
  const r = await runCli(['plan', '--zone', `${dir}/mx.zone`, '--fixtures', `${dir}/http`, '--seed', '1', 'bob@mxonly.example']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /imap\.hoster\.example:993 .*\n {6}from mx-autoconfig https:\/\/autoconfig\.mail\.hoster\.example\/mail\/config-v1\.1\.xml\n {6}needs confirmation: the user must confirm hoster\.example/);
  assert.match(r.stdout, /The user must confirm, before any password is sent:\n {2}hoster\.example {2}\(imap\.hoster\.example, smtp\.hoster\.example; from mx-autoconfig, mx-ispdb\)/);
  assert.match(r.stdout, /MX mxonly\.example +records +mx1\.mail\.hoster\.example/);
  assert.match(r.stdout, /Requests:\n {2}autoconfig +http-status +404 {2}https:\/\/autoconfig\.mxonly\.example\//);
  // Without --fixtures or --sources the CLI asks SRV only: no request, no MX, no extra lines.
  const srv = await runCli(['plan', '--zone', `${dir}/mx.zone`, '--seed', '1', '--json', 'bob@mxonly.example']);
  const plan = JSON.parse(srv.stdout);
  assert.deepEqual(plan.requests, []);
  assert.equal(plan.mx, undefined);
});

test('D38 --sources is the core\'s list, and a bad one is a usage error naming the choices', async () => {
  const dir = 'testdata/fixtures/agree';
  const r = await runCli(['plan', '--zone', `${dir}/agree.zone`, '--fixtures', `${dir}/http`, '--sources', 'srv,ispdb', '--seed', '1', '--json', 'alice@agree.example']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout).requests.map((q) => q.source), ['ispdb']);
  const bad = await runCli(['plan', '--zone', `${dir}/agree.zone`, '--sources', 'srv,mx', 'alice@agree.example']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--sources: `mx` is not a source: use a comma-separated list of srv, autoconfig, well-known, autoconfig-http, ispdb, mx-autoconfig, mx-ispdb/);
});

// Issue 14 §6: DNSSEC validated offline. The zone host serves the signed hierarchy of
// testdata/dnssec (every zone, each question from the closest enclosing zone, with DO), the core
// validates from the private root's anchor at `--now`, and the JS CLI prints the Rust example
// host's plan byte for byte, with its exit status: secure (NSEC and NSEC3 denials, an
// out-of-domain target, a wildcard), an insecure delegation, a bogus and an expired zone.
const signedZones = readdirSync(path.join(root, 'testdata/dnssec')).filter((f) => f.endsWith('.zone')).sort()
  .flatMap((f) => ['--zone', `testdata/dnssec/${f}`]);
for (const [domain, status, candidates] of [
  ['example.test', 'secure', 1], ['nsec3.test', 'secure', 1], ['outside.test', 'secure', 1], ['wild.example.test', 'secure', 2],
  ['insecure.test', 'insecure', 1], ['bogus.test', 'bogus', 0], ['expired.test', 'bogus', 0],
]) {
  test(`s6186_6 rfc4035_5 validated plan of ${domain} (${status}): the JS CLI prints the Rust example's, offline`, async () => {
    const args = [...signedZones, '--trust-anchor', 'testdata/dnssec/root.anchor', '--now', '2027-01-01T00:00:00Z', '--seed', '1', '--json', `alice@${domain}`];
    const js = await runCli(['plan', ...args]);
    assert.equal(js.stderr, '', js.stderr);
    const plan = JSON.parse(js.stdout);
    const imaps = plan.lookups.find((l) => l.service === 'imaps');
    assert.equal(imaps.dnssecSource, 'validated', 'the core validated it');
    assert.equal(imaps.dnssec, status);
    assert.equal(plan.incoming.candidates.length, candidates);
    if (status === 'secure') assert.equal(plan.incoming.candidates[0].trust, 'dnssec-secure');
    if (status === 'bogus') assert.ok(plan.diagnostics.some((d) => d.code === 'dnssec-bogus'), js.stdout);
    const rust = spawnSync(rustPlan, args, { cwd: root, encoding: 'utf8' });
    assert.equal(rust.error, undefined, `build the examples first: ${rust.error}`);
    assert.equal(js.stdout, rust.stdout, 'the same plan, byte for byte');
    assert.equal(js.code, rust.status, 'the same exit status');
  });
}
