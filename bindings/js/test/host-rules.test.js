// Issue 11 §3 and §5: the rules the JS hosts used to decide themselves now come from the core
// (through the WebAssembly exports); these tests check that the hosts give the core's answers.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import {
  Discovery, discover, probe, zoneResolver, verifyChain, certificatesFromPem,
  isForeignResponse, errorCode, lookupFailure,
} from '../src/index.js';
import { Negotiator } from '../src/negotiator.js';
import { proberSkips, maxChainLength, optionValue, numberValue, minimumSecurity } from '../src/host.js';
import { root, runCli, readText, testdata, expected } from './helpers.js';
import { startMailServer } from './fake-mail-server.js';

const servers = [];
after(async () => { for (const s of servers) await s.stop(); });
const anchors = certificatesFromPem(readFileSync(path.join(testdata, 'certs/ca.pem'), 'utf8'));
const NOW = Date.parse('2027-06-01T00:00:00Z');
const zone = (records) =>
  `$ORIGIN example.net.\n$TTL 300\n@ IN SOA ns1 hostmaster 1 7200 900 1209600 300\nmail IN A 127.0.0.1\n${records.join('\n')}\n`;

test('probe skips exactly the candidates the core says a prober skips (cleartext)', async () => {
  assert.equal(proberSkips('cleartext'), true);
  assert.equal(proberSkips('starttls'), false);
  assert.equal(proberSkips('implicit-tls'), false);
  // A server without STARTTLS: the STARTTLS attempt aborts, and the cleartext fallback that the
  // plan lists with minimumSecurity "cleartext" is never connected to.
  const strip = await startMailServer('imap', 'strip');
  servers.push(strip);
  const text = zone([`_imap._tcp IN SRV 0 1 ${strip.port} mail.example.net.`]);
  const { plan, report } = await probe('alice@example.net', {
    resolver: await zoneResolver([text]), seed: 1, anchors, now: NOW, submission: false, minimumSecurity: 'cleartext',
  });
  assert.deepEqual(plan.incoming.candidates.map((c) => c.security), ['starttls', 'cleartext']);
  assert.deepEqual(report.incoming.tried.map((t) => t.security), ['starttls'], JSON.stringify(report, null, 2));
  assert.equal(strip.received.filter((l) => /^A\d+ CAPABILITY$/.test(l)).length, 1, JSON.stringify(strip.received));
});

test('the chain limit is the core\'s: maxChainLength() certificates pass the length check, one more is CHAIN_TOO_LONG', () => {
  const leaf = certificatesFromPem(readText('certs/srv-id.chain.pem'))[0];
  const candidate = { service: 'imaps', host: 'mail.example.net', trust: 'needs-confirmation' };
  const options = { domain: 'example.net' };
  const n = maxChainLength();
  assert.equal(n, 16);
  const ok = verifyChain(candidate, Array(n).fill(leaf), anchors, NOW, options);
  assert.equal(typeof ok.status, 'string');
  assert.throws(() => verifyChain(candidate, Array(n + 1).fill(leaf), anchors, NOW, options), (e) => e.code === 'CHAIN_TOO_LONG');
});

test('foreign responses: the core\'s three codes, and discover() records them as lost answers', async () => {
  const foreign = ['NOT_A_RESPONSE', 'MESSAGE_ID_MISMATCH', 'QUESTION_MISMATCH'];
  for (const code of foreign) assert.equal(isForeignResponse(code), true, code);
  for (const code of ['ALREADY_ANSWERED', 'UNKNOWN_QUESTION', 'INVALID_QUERY', 'TIMEOUT', 'no-such-code']) assert.equal(isForeignResponse(code), false, code);
  // A resolver that answers every question with its own query (QR clear): NOT_A_RESPONSE.
  const plan = await discover('alice@example.net', { resolver: { query: async (wire) => wire }, seed: 1 });
  assert.ok(plan.lookups.every((l) => l.outcome === 'network-error'), JSON.stringify(plan.lookups));
  // Any other error from receive still ends the discovery: a response fed twice is ALREADY_ANSWERED.
  const host = await zoneResolver([readText('zones/demo.zone')]);
  const d = new Discovery('alice@example.net');
  const [q] = d.queries();
  const answer = await host.query(q.wire);
  d.receive(q.id, answer);
  assert.throws(() => d.receive(q.id, answer), (e) => e.code === 'ALREADY_ANSWERED' && !isForeignResponse(e.code));
  d.free();
});

test('a failed query becomes the core\'s lookup failure: TIMEOUT is a timeout, anything else a network error', async () => {
  assert.equal(lookupFailure('TIMEOUT'), 'timeout');
  assert.equal(lookupFailure('NETWORK_ERROR'), 'network-error');
  assert.equal(lookupFailure('ECONNRESET'), 'network-error');
  assert.equal(lookupFailure(undefined), 'network-error');
  for (const [code, outcome] of [['TIMEOUT', 'timeout'], ['ECONNREFUSED', 'network-error'], [42, 'network-error']]) {
    const resolver = { query: async () => { throw Object.assign(new Error('no'), { code }); } };
    const plan = await discover('alice@example.net', { resolver, seed: 1 });
    assert.ok(plan.lookups.every((l) => l.outcome === outcome), `${code}: ${JSON.stringify(plan.lookups)}`);
  }
});

test('TCP retry follows the core\'s truncated outcome, not the host\'s reading of the TC bit', async () => {
  // many.zone has answers too large for 512-byte UDP: the zone host sets TC, the core says truncated.
  const host = await zoneResolver([readText('zones/many.zone')]);
  const tcp = [];
  const counted = { query: (w, q) => host.query(w, q), queryTcp: (w, q) => { tcp.push(q.name); return host.queryTcp(w, q); } };
  const plan = await discover('gina@many.example', { resolver: counted, seed: 1 });
  assert.equal(JSON.stringify(plan, null, 2) + '\n', expected('many-records'));
  // Exactly the questions whose UDP answer the core called truncated went over TCP.
  const d = new Discovery('gina@many.example');
  const truncated = [];
  for (const q of d.queries()) if (d.receive(q.id, await host.query(q.wire)) === 'truncated') truncated.push(q.name);
  d.free();
  assert.ok(truncated.length > 0);
  assert.deepEqual(tcp.sort(), truncated.sort());
  // The zone host's transport names are the core's.
  const { ZoneHost } = await import('../src/zone.js');
  const zh = new ZoneHost();
  assert.throws(() => zh.answer(new Uint8Array(12), 'quic'), (e) => e.code === 'INVALID_ARGUMENT' && /`quic` is not a transport: use udp or tcp/.test(e.message));
  zh.free();
  // A resolver without queryTcp leaves those lookups truncated.
  const udpOnly = await discover('gina@many.example', { resolver: { query: (w, q) => host.query(w, q) }, seed: 1 });
  assert.deepEqual(udpOnly.lookups.filter((l) => l.outcome === 'truncated').map((l) => l.name).sort(), truncated.sort());
});

test('the CLI checks option values with the core and prints its text', async () => {
  const demo = ['--zone', 'testdata/zones/demo.zone', 'alice@example.net'];
  for (const [args, option, value] of [
    [['--tls-order', 'implicit-last'], 'tls-order', 'implicit-last'],
    [['--prefer', 'smtp'], 'prefer', 'smtp'],
  ]) {
    let message;
    assert.throws(() => optionValue(option, value), (e) => { message = e.message; return e.code === 'INVALID_OPTION'; });
    const r = await runCli(['plan', ...args, ...demo]);
    assert.equal(r.code, 2, r.stderr);
    assert.equal(r.stderr, `mailsrv: --${option}: ${message}\n`);
  }
  let message;
  assert.throws(() => optionValue('service', 'imapx'), (e) => { message = e.message; return e.code === 'INVALID_OPTION'; });
  const v = await runCli(['verify', '--email', 'alice@example.net', '--service', 'imapx', '--host', 'mail.example.net', '--chain', 'testdata/certs/srv-id.chain.pem']);
  assert.equal(v.code, 2);
  assert.equal(v.stderr, `mailsrv: --service: ${message}\n`);
  assert.equal(optionValue('tls-order', 'domain-priority'), 'domain-priority');
  // The two switches: each maps to the core's minimum, both together are refused.
  assert.equal(minimumSecurity(false, false), 'starttls');
  assert.equal(minimumSecurity(true, false), 'cleartext');
  assert.equal(minimumSecurity(false, true), 'implicit-tls');
  assert.throws(() => minimumSecurity(true, true), (e) => { message = e.message; return e.code === 'INVALID_OPTION'; });
  const both = await runCli(['plan', '--allow-cleartext', '--implicit-tls-only', ...demo]);
  assert.equal(both.code, 2);
  assert.equal(both.stderr, `mailsrv: --allow-cleartext, --implicit-tls-only: ${message}\n`);
  const cleartext = await runCli(['plan', '--json', '--seed', '1', '--allow-cleartext', ...demo]);
  assert.equal(JSON.parse(cleartext.stdout).incoming.candidates.at(-1).security, 'cleartext');
});

test('every host reads the same numbers: the JS CLI, the C host and the Rust example refuse a text with the core\'s message', async () => {
  // The core's rule: decimal digits within the option's bounds, as a BigInt.
  assert.equal(numberValue('seed', '18446744073709551615'), 2n ** 64n - 1n);
  assert.equal(numberValue('timeout', '2147483647'), 2147483647n);
  assert.equal(numberValue('total-timeout', '0001'), 1n);
  assert.equal(numberValue('concurrency', '4096'), 4096n);
  for (const [option, text] of [
    ['timeout', '1e3'], ['timeout', '0x10'], ['timeout', ' 5'], ['timeout', '5 '], ['timeout', '5.0'], ['timeout', '+5'],
    ['timeout', '0'], ['total-timeout', '2147483648'], ['seed', '-1'], ['seed', '18446744073709551616'], ['seed', ''],
    ['concurrency', '0'], ['concurrency', '4097'], ['concurrency', '\u0663'], ['rate', '5'],
  ]) {
    assert.throws(() => numberValue(option, text), (e) => e.code === 'INVALID_OPTION', `${option} ${JSON.stringify(text)}`);
  }
  // Texts Number() took before (`1e3`, ` 5`, `0x10`): now every host refuses them, with the same
  // text after its program's name.
  const cHost = path.join(root, 'target/c/mailsrv-plan');
  const rustPlan = path.join(root, 'target/debug/examples/plan');
  const demo = ['--zone', 'testdata/zones/demo.zone', 'alice@example.net'];
  for (const [option, text] of [['timeout', '1e3'], ['total-timeout', ' 5'], ['timeout', '0x10'], ['seed', '0x10']]) {
    let message;
    assert.throws(() => numberValue(option, text), (e) => { message = e.message; return e.code === 'INVALID_OPTION'; });
    assert.ok(message.startsWith(`\`--${option}\` must be a whole number`), message);
    const js = await runCli(['plan', `--${option}`, text, ...demo]);
    assert.equal(js.code, 2, js.stderr);
    assert.equal(js.stderr, `mailsrv: ${message}\n`);
    for (const [name, bin, program] of [['C', cHost, 'mailsrv-plan'], ['Rust', rustPlan, 'plan']]) {
      const other = spawnSync(bin, [`--${option}`, text, ...demo], { cwd: root, encoding: 'utf8' });
      assert.equal(other.error, undefined, `${name}: build the examples and the C host first (make -C bindings/c host): ${other.error}`);
      assert.equal(other.status, 2, `${name}: ${other.stderr}`);
      assert.equal(other.stderr, `${program}: ${message}\n`, name);
    }
  }
  const bulk = await runCli(['plan', '--input', 'no-such-file.txt', '--concurrency', '1e1', ...demo.slice(0, 2)]);
  assert.equal(bulk.code, 2);
  assert.equal(bulk.stderr, 'mailsrv: `--concurrency` must be a whole number of domains from 1 to 4096, not `1e1`\n');
});

test('negotiator steps are the core\'s Step: tagged objects, server text as untrustedText', () => {
  const n = new Negotiator('imap', 'starttls', 'client.example');
  assert.deepEqual(n.start(), { type: 'need-more' });
  const send = n.receive(new TextEncoder().encode('* OK hello\r\n'));
  assert.equal(send.type, 'send');
  assert.ok(send.bytes instanceof Uint8Array);
  assert.equal(new TextDecoder().decode(send.bytes), 'A1 CAPABILITY\r\n');
  assert.equal('secret' in send, false);
  n.free();
  const bye = new Negotiator('imap', 'starttls', 'client.example');
  assert.deepEqual(bye.receive(new TextEncoder().encode('* BYE <b>call 555-0100</b>\r\n')), {
    type: 'abort', reason: 'server-refused', untrustedText: '<b>call 555-0100</b>',
  });
  bye.free();
  const bad = new Negotiator('imap', 'starttls', 'client.example');
  const v = bad.receive(new TextEncoder().encode('* FOO server words\r\n'));
  assert.equal(v.reason, 'protocol-violation');
  assert.ok(v.untrustedText.includes('FOO'), v.untrustedText);
  assert.equal('detail' in v, false);
  bad.free();
});

test('receiveRecords reads Node\'s name as the core\'s target', () => {
  const d = new Discovery('alice@example.net', { pop3: false, submission: false });
  const [imaps, imap] = d.queries();
  d.receiveRecords(imaps.id, [{ priority: 0, weight: 1, port: 993, name: 'mail.example.net' }]);
  d.receiveRecords(imap.id, [{ priority: 0, weight: 1, port: 143, target: 'imap.example.net' }]);
  const plan = d.plan({ seed: 1 });
  d.free();
  assert.deepEqual(plan.incoming.candidates.map((c) => c.host), ['mail.example.net', 'imap.example.net']);
});

test('one error vocabulary: every code the JS host helpers raise is in the core\'s table', () => {
  assert.equal(errorCode('TIMEOUT'), 500);
  assert.equal(errorCode('NETWORK_ERROR'), 501);
  assert.equal(errorCode('TLS_FAILED'), 502);
  assert.equal(errorCode('ALPN_MISMATCH'), 503);
  assert.equal(errorCode('timeout'), undefined);
  const dir = path.join(root, 'bindings/js/src');
  const codes = new Set();
  for (const file of readdirSync(dir)) {
    const text = readFileSync(path.join(dir, file), 'utf8');
    for (const m of text.matchAll(/(?:fail\(|code: |(?<!typeof [\w?.]*)code === |\?\? )'([^']+)'/g)) codes.add(`${file}: ${m[1]}`);
  }
  assert.ok(codes.size >= 8, [...codes].join(', '));
  for (const entry of codes) {
    const code = entry.split(': ')[1];
    // INVALID_ARGUMENT: the boundary's own code (a JS value that does not convert), as in C.
    if (code === 'INVALID_ARGUMENT') continue;
    assert.notEqual(errorCode(code), undefined, `${entry} is not a code of the core's table`);
  }
});
