// The mailsrv CLI: JSON identical to the Rust example's, readable human output, one-line errors,
// documented exit codes, --help per command, --opt=value, and a quiet end on a closed pipe.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createHash, X509Certificate } from 'node:crypto';
import { cli, expected, root, runCli } from './helpers.js';

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

// D24, D25: the parser is the core's; the CLI prints its JSON (byte for byte the Rust and C
// output for testdata/autoconfig/) or a readable list, and refuses a hostile document in one line.
test('autoconfig prints the parsed document, exit 0; a refused document is one line and 2', async () => {
  let r = await runCli(['autoconfig', 'testdata/autoconfig/mixed.xml', '--email', 'alice@example.net', '--json']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, readFileSync(path.join(root, 'testdata/autoconfig/mixed.json'), 'utf8'));
  r = await runCli(['autoconfig', 'testdata/autoconfig/mixed.xml', '--email', 'alice@example.net']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^incoming:\n {2}imap +imap\.example\.net:993 +implicit-tls +user alice@example\.net {2}auth OAuth2, password-cleartext\n/);
  assert.match(r.stdout, /diagnostic unsafe-placeholder: incomingServer 2 \(pop3\)/);
  const dir = mkdtempSync(path.join(tmpdir(), 'mailsrv-autoconfig-'));
  try {
    const hostile = path.join(dir, 'xxe.xml');
    writeFileSync(hostile, '<!DOCTYPE c [<!ENTITY x SYSTEM "file:///etc/passwd">]><clientConfig>&x;</clientConfig>');
    r = await runCli(['autoconfig', hostile, '--email', 'alice@example.net']);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr.trim().split('\n').length, 1);
    assert.match(r.stderr, /^mailsrv: AUTOCONFIG_DOCTYPE: /);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  r = await runCli(['autoconfig', 'testdata/autoconfig/mixed.xml']);
  assert.equal(r.code, 2);
  assert.equal(r.stderr, 'mailsrv: autoconfig needs --email\n');
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

test('verify --tlsa: human output names DANE-EE; a bad record or one without --port is an input error (2)', async () => {
  const pem = readFileSync(path.join(root, 'testdata/certs/self-signed.chain.pem'), 'utf8');
  const der = new X509Certificate(pem).raw;
  const digest = createHash('sha256').update(der).digest('hex');
  const base = ['verify', '--email', 'alice@example.net', '--service', 'imaps', '--host', 'mail.example.net',
    '--chain', 'testdata/certs/self-signed.chain.pem', '--now', '2027-06-01T00:00:00Z', '--anchors', 'testdata/certs/ca.pem'];
  let r = await runCli([...base, '--port', '993', '--tlsa', `3 0 1 ${digest}`]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^VERIFIED: DANE-EE: the TLSA record `3 0 1 [0-9a-f]{64}` at _993\._tcp\.mail\.example\.net/);
  assert.match(r.stdout, /^tlsa 3 0 1 [0-9a-f]{64}: matches the server's certificate$/m);
  r = await runCli([...base, '--port', '993', '--tlsa', '3 0 1 zz']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^mailsrv: INVALID_TLSA_RECORD: .*not a hex digit/);
  r = await runCli([...base, '--tlsa', `3 0 1 ${digest}`]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /port/);
});

test('every command answers -h and --help with its own usage on stdout, exit 0', async () => {
  const commands = ['plan', 'probe', 'verify'];
  for (const command of commands) {
    for (const flag of ['--help', '-h']) {
      const r = await runCli([command, flag]);
      assert.equal(r.code, 0, `${command} ${flag}: ${r.stderr}`);
      assert.equal(r.stderr, '');
      assert.match(r.stdout, new RegExp(`^usage:\\n  mailsrv ${command} `));
      assert.match(r.stdout, new RegExp(`exit codes: ${command} +0 `));
      for (const other of commands.filter((c) => c !== command)) assert.doesNotMatch(r.stdout, new RegExp(`mailsrv ${other}`));
    }
  }
  const top = await runCli(['--help']);
  assert.equal(top.code, 0);
  for (const command of commands) assert.match(top.stdout, new RegExp(`mailsrv ${command} `));
});

test('--opt=value is the same as --opt value', async () => {
  const spaced = await runCli(['plan', '--zone', 'testdata/zones/demo.zone', '--json', '--seed', '1', 'alice@example.net']);
  const joined = await runCli(['plan', '--zone=testdata/zones/demo.zone', '--json', '--seed=1', 'alice@example.net']);
  assert.equal(joined.code, 0, joined.stderr);
  assert.equal(joined.stdout, spaced.stdout);
  assert.equal(joined.stdout, expected('demo'));
  const base = ['verify', '--email=alice@example.net', '--service=imaps', '--host=mail.provider.net', '--anchors=testdata/certs/ca.pem'];
  const r = await runCli([...base, '--chain=testdata/certs/srv-id.chain.pem', '--now=2027-06-01T00:00:00Z', '--json']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).status, 'verified');
});

test('unknown options and missing values are one line on stderr naming the option, exit 2', async () => {
  for (const [args, message] of [
    [['plan', '--bogus', 'alice@example.net'], 'mailsrv: unknown option --bogus\n'],
    [['plan', '--bogus=1', 'alice@example.net'], 'mailsrv: unknown option --bogus\n'],
    [['probe', '-x', 'alice@example.net'], 'mailsrv: unknown option -x\n'],
    [['verify', '--help-me'], 'mailsrv: unknown option --help-me\n'],
    [['plan', 'alice@example.net', '--zone'], 'mailsrv: --zone needs a value\n'],
    [['plan', '--json=yes', 'alice@example.net'], 'mailsrv: --json takes no value\n'],
  ]) {
    const r = await runCli(args);
    assert.equal(r.code, 2, args.join(' '));
    assert.equal(r.stderr, message);
    assert.equal(r.stdout, '');
  }
});

test('a reader that goes away ends the CLI quietly with 141 (128 + SIGPIPE)', async () => {
  // 128 records (the core's cap per answer) under each of the six labels, with cleartext
  // fallbacks, make about 1,100 candidates and far more JSON than a pipe holds: the CLI is still
  // writing when the reader closes after the first line.
  const dir = mkdtempSync(path.join(tmpdir(), 'mailsrv-pipe-'));
  try {
    const zone = path.join(dir, 'big.zone');
    const labels = ['_imaps', '_imap', '_pop3s', '_pop3', '_submissions', '_submission'];
    const records = labels.flatMap((label) => Array.from({ length: 128 }, (_, i) => `${label}._tcp IN SRV 0 ${i + 1} 993 h${i + 1}.big.example.`));
    writeFileSync(zone, ['$ORIGIN big.example.', '$TTL 3600', '@ IN SOA ns1 hostmaster 1 7200 900 1209600 300', ...records, ''].join('\n'));
    const child = spawn(process.execPath, [cli, 'plan', '--zone', zone, '--json', '--allow-cleartext', '--seed', '1', 'a@big.example'], { cwd: root });
    let stderr = '';
    child.stderr.on('data', (d) => { stderr += d; });
    let first = '';
    child.stdout.on('data', (d) => {
      first += d;
      if (first.includes('\n')) child.stdout.destroy();
    });
    const code = await new Promise((resolve) => child.on('close', resolve));
    assert.equal(first.split('\n')[0], '{');
    assert.equal(stderr, '');
    assert.equal(code, 141);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** Runs `node [nodeFlags] mailsrv.js args` and resolves to { code, stdout, stderr }. */
function runCliWithNodeFlags(nodeFlags, args) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...nodeFlags, cli, ...args], { cwd: root });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

test('D55 an MX-derived plan runs on V8\'s baseline tier only: no WebAssembly function is optimised (Node would wait for it at exit)', async () => {
  const dir = 'testdata/fixtures/mx';
  const trace = ['--trace-wasm-compilation-times'];
  const r = await runCliWithNodeFlags(trace, ['plan', '--zone', `${dir}/mx.zone`, '--fixtures', `${dir}/http`, '--seed', '1', 'bob@mxonly.example']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /from mx-autoconfig/);
  assert.match(r.stdout, /Compiled function .* using Liftoff/, 'the trace is there');
  assert.doesNotMatch(r.stdout, /using TurboFan/);
});
