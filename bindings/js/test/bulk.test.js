// Bulk mode (issue 16 §2): `mailsrv plan --input` and `discoverMany`. Ordering, error lines,
// comments, stdin, the summary, the rate ceiling (virtual clock), message IDs unique in flight
// and TCP after truncation (fake loopback DNS servers), back-pressure, SIGINT, and peak RSS
// flat in the number of input lines. No test asserts a duration.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import dgram from 'node:dgram';
import net from 'node:net';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cli, root, runCli } from './helpers.js';
import { discoverMany, udpPool } from '../src/index.js';
import { RetransmitTimer, TokenBucket, rateGate, rateLimited, linesOf } from '../src/bulk.js';
import { nxdomain } from './nxdomain.js';

const ZONES = ['--zone', 'testdata/zones/demo.zone', '--zone', 'testdata/zones/implicit-only.zone', '--zone', 'testdata/zones/custom-domain.zone', '--zone', 'testdata/zones/provider.zone'];
const INPUT = [
  '# a comment',
  'alice@example.net',
  '',
  '   ',
  'example.net',
  'bad@@x',
  'alice@[192.0.2.1]',
  'user@xn--a.example',
  'foo@a..b',
  'x'.repeat(5000),
  '  ivan@implicit.example  ',
  'dave@custom.example',
].join('\n');

const dir = mkdtempSync(path.join(tmpdir(), 'mailsrv-bulk-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
const file = (name, text) => { const p = path.join(dir, name); writeFileSync(p, text); return p; };

/** Runs the CLI with `stdin` written to its standard input. */
function runWithStdin(args, stdin) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd: root });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

const parseLines = (stdout) => stdout.trimEnd().split('\n').map((l) => JSON.parse(l));

test('plan --input: NDJSON in input order, error lines with the core codes, comments and blank lines skipped', async () => {
  const summaryFile = path.join(dir, 'summary.json');
  const r = await runCli(['plan', '--input', file('in.txt', INPUT), ...ZONES, '--seed', '1', '--concurrency', '3', '--summary-json', summaryFile]);
  const lines = parseLines(r.stdout);
  assert.deepEqual(lines.map((l) => l.input), [
    'alice@example.net', 'example.net', 'bad@@x', 'alice@[192.0.2.1]', 'user@xn--a.example', 'foo@a..b', 'x'.repeat(1024), 'ivan@implicit.example', 'dave@custom.example',
  ]);
  assert.deepEqual(lines.map((l) => l.error?.code ?? 'plan'), [
    'plan', 'plan', 'INVALID_LOCAL_PART', 'ADDRESS_LITERAL', 'INVALID_DOMAIN', 'INVALID_DOMAIN', 'ADDRESS_TOO_LONG', 'plan', 'plan',
  ]);
  for (const l of lines.filter((x) => x.error)) assert.ok(l.error.message.length > 0);
  // A bare domain is planned as postmaster@DOMAIN.
  assert.equal(lines[1].plan.email, 'postmaster@example.net');
  assert.equal(lines[0].plan.incoming.candidates[0].host, 'imap2.example.net');
  // Exit: 2 when a line was an error line.
  assert.equal(r.code, 2, r.stderr);
  const summary = JSON.parse(readFileSync(summaryFile, 'utf8'));
  assert.deepEqual(summary, {
    lines: 9,
    planned: 4,
    errors: 5,
    errorCodes: { INVALID_LOCAL_PART: 1, ADDRESS_LITERAL: 1, INVALID_DOMAIN: 2, ADDRESS_TOO_LONG: 1 },
    publishSrv: 4,
    // A "." record is a published record; the "." labels are counted apart too.
    labels: { submissions: 4, submission: 3, imaps: 4, imap: 4, pop3s: 3, pop3: 1 },
    notOffered: 1,
    notOfferedLabels: { submission: 1, imap: 1, pop3: 1 },
    lookupFailures: 0,
    needsConfirmation: 1,
    interrupted: false,
  });
  assert.match(r.stderr, /9 line\(s\): 4 planned, 5 error line\(s\)/);
  assert.match(r.stderr, /publish SRV: 4 /);
});

test('plan --input -: stdin; --unordered gives the same set; every line planned exits 0', async () => {
  const good = 'alice@example.net\nexample.net\n# c\nivan@implicit.example\ndave@custom.example\n';
  const ordered = await runWithStdin(['plan', '--input', '-', ...ZONES, '--seed', '1'], good);
  assert.equal(ordered.code, 0, ordered.stderr);
  const unordered = await runWithStdin(['plan', '--input', '-', ...ZONES, '--seed', '1', '--unordered', '--concurrency', '4'], good);
  assert.equal(unordered.code, 0, unordered.stderr);
  const a = ordered.stdout.trimEnd().split('\n');
  assert.deepEqual(parseLines(ordered.stdout).map((l) => l.input), ['alice@example.net', 'example.net', 'ivan@implicit.example', 'dave@custom.example']);
  assert.deepEqual(unordered.stdout.trimEnd().split('\n').sort(), [...a].sort());
});

test('plan --input: usage errors are one line and 2', async () => {
  for (const args of [
    ['--input', 'no-such-file.txt', ...ZONES],
    ['--input', '-', 'alice@example.net', ...ZONES],
    ['--input', '-', '--concurrency', '0', ...ZONES],
    ['--input', '-', '--rate', 'fast', ...ZONES],
    ['--input', '-', '--total-timeout', '5', ...ZONES],
    ['--unordered', 'alice@example.net', ...ZONES],
  ]) {
    const r = await runWithStdin(['plan', ...args], '');
    assert.equal(r.code, 2, args.join(' '));
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.equal(r.stdout, '');
  }
});

test('progress on stderr only when it is a terminal (util-linux script gives a pseudo-terminal)', async () => {
  const input = file('progress.txt', 'alice@example.net\n# c\nexample.net\nbad@@x\n');
  const command = [process.execPath, cli, 'plan', '--input', input, ...ZONES].map((a) => `'${a}'`).join(' ');
  const r = await new Promise((resolve) => {
    const child = spawn('/usr/bin/script', ['-qec', `${command} > /dev/null`, '/dev/null'], { cwd: root });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.on('close', (code) => resolve({ code, out }));
  });
  assert.equal(r.code, 2, r.out);
  assert.match(r.out, /\r3\/3 \d+\/s ETA 0 s errors 1/);
  // Not a terminal: no progress line, only the summary.
  const plain = await runCli(['plan', '--input', input, ...ZONES]);
  assert.doesNotMatch(plain.stderr, /\r|ETA/);
  assert.match(plain.stderr, /3 line\(s\): 2 planned, 1 error line/);
});

test('progress on a terminal: a FIFO is read once, for the lines, not first to count them', { timeout: 30000 }, async () => {
  const fifo = path.join(dir, 'lines.fifo');
  execFileSync('mkfifo', [fifo]);
  const out = path.join(dir, 'fifo-out.ndjson');
  const q = (a) => `'${a}'`;
  const command = `printf 'alice@example.net\\nexample.net\\n' > ${q(fifo)} & ${[process.execPath, cli, 'plan', '--input', fifo, ...ZONES].map(q).join(' ')} > ${q(out)}`;
  const r = await new Promise((resolve) => {
    // A reader that counts first would wait for a second writer for ever: killed, it fails here.
    const child = spawn('/usr/bin/script', ['-qec', command, '/dev/null'], { cwd: root, timeout: 20000, killSignal: 'SIGKILL' });
    let text = '';
    child.stdout.on('data', (d) => { text += d; });
    child.on('close', (code) => resolve({ code, text }));
  });
  assert.equal(r.code, 0, r.text);
  assert.deepEqual(parseLines(readFileSync(out, 'utf8')).map((l) => l.input), ['alice@example.net', 'example.net']);
  // No total for a FIFO: it cannot be read twice.
  assert.match(r.text, /\r2\/\? \d+\/s errors 0/);
});

test('plan --input: a summary file that cannot be written after the run is one line naming it, and 2', async () => {
  const r = await runWithStdin(['plan', '--input', '-', '--summary-json', '/dev/full', ...ZONES], 'alice@example.net\n');
  assert.equal(r.code, 2, r.stderr);
  assert.equal(parseLines(r.stdout).length, 1);
  assert.match(r.stderr, /^mailsrv: cannot write summary file "\/dev\/full": ENOSPC: no space left on device, write$/m);
});

test('plan --input: a missing file, a directory, or a summary file that cannot be written is a usage error before any line', async () => {
  const input = path.join(dir, 'usage-errors.txt');
  writeFileSync(input, 'a@example.net\n');
  const cases = [
    [['--input', path.join(dir, 'no-such-file.txt')], /cannot read input file ".*no-such-file.txt": no such file/],
    [['--input', dir], /cannot read input file ".*": it is a directory/],
    [['--input', input, '--summary-json', path.join(dir, 'no-such-dir', 's.json')], /cannot write summary file ".*s.json": no such directory/],
    [['--input', input, '--summary-json', dir], /cannot write summary file ".*": it is a directory/],
  ];
  for (const [args, message] of cases) {
    const r = await runCli(['plan', ...args, ...ZONES]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, message);
    assert.equal(r.stdout, '', 'no line is planned');
  }
  // A usage error leaves an existing summary file as it was.
  const kept = path.join(dir, 'kept-summary.json');
  writeFileSync(kept, '{"from":"before"}\n');
  const r = await runCli(['plan', '--input', path.join(dir, 'no-such-file.txt'), '--summary-json', kept, ...ZONES]);
  assert.equal(r.code, 2, r.stderr);
  assert.equal(readFileSync(kept, 'utf8'), '{"from":"before"}\n');
});

test('TokenBucket: with a virtual clock, no window of W s has more than burst + rate × W sends', async () => {
  let t = 0;
  const sleeps = [];
  const bucket = new TokenBucket(50, { burst: 2, now: () => t, sleep: async (ms) => { sleeps.push(ms); t += ms; } });
  const times = [];
  await Promise.all(Array.from({ length: 300 }, () => bucket.take().then(() => times.push(t))));
  assert.equal(times.length, 300);
  for (let i = 0; i < times.length; i++) {
    for (const w of [20, 100, 1000]) {
      const inWindow = times.filter((x) => x >= times[i] && x < times[i] + w).length;
      assert.ok(inWindow <= 2 + (50 * w) / 1000 + 1e-9, `${inWindow} sends in ${w} ms from ${times[i]}`);
    }
  }
  // It does send at the rate, not slower: 300 sends at 50/s take about 6 s of virtual time.
  assert.ok(t >= 5900 && t <= 6000, `virtual time ${t}`);
  assert.ok(sleeps.length > 0);
});

test('TokenBucket: a take out of time before its token uses none, and the next take gets it', async () => {
  let t = 0;
  const bucket = new TokenBucket(10, { burst: 1, now: () => t, sleep: async (ms) => { t += ms; } });
  const at = [];
  const results = await Promise.all([
    bucket.take().then((ok) => { at.push(['first', ok, t]); return ok; }), // the burst's token
    bucket.take(50).then((ok) => { at.push(['until 50', ok, t]); return ok; }), // its token is due at 100
    bucket.take().then((ok) => { at.push(['third', ok, t]); return ok; }),
  ]);
  assert.deepEqual(results, [true, false, true]);
  // The second gave up at its deadline, and the third took the token due at 100, not one at 200.
  assert.deepEqual(at, [['first', true, 0], ['until 50', false, 50], ['third', true, 100]]);
  assert.equal(bucket.waiting, 0);
});

test('TokenBucket: room(limit) resolves once fewer than limit takes are waiting', async () => {
  let t = 0;
  let wake;
  const bucket = new TokenBucket(1, { burst: 1, now: () => t, sleep: (ms) => new Promise((r) => { wake = () => { t += ms; r(); }; }) });
  const takes = [bucket.take(), bucket.take(), bucket.take()];
  assert.equal(bucket.waiting, 3);
  let roomy = false;
  const room = bucket.room(2).then(() => { roomy = true; });
  await takes[0];
  await new Promise((r) => setImmediate(r));
  assert.equal(roomy, false, 'two takes still wait');
  wake();
  await takes[1];
  await room;
  assert.equal(bucket.waiting, 1);
  wake();
  await takes[2];
  assert.equal(bucket.waiting, 0);
});

test('rateGate: a line starts only after the one before it has asked for its tokens, and while fewer than the limit wait', async () => {
  let t = 0;
  const bucket = new TokenBucket(6, { burst: 1, now: () => t, sleep: async (ms) => { t += ms; await new Promise((r) => setImmediate(r)); } });
  let most = 0;
  const take = bucket.take.bind(bucket);
  bucket.take = (...args) => { const p = take(...args); most = Math.max(most, bucket.waiting); return p; };
  const gate = rateGate(bucket, 6);
  const lines = [];
  for (let i = 0; i < 5; i++) {
    await gate.admit();
    // A line asks for its six tokens a few turns after it starts, as a discovery does.
    const line = (async () => {
      await new Promise((r) => setImmediate(r));
      await new Promise((r) => setImmediate(r));
      await Promise.all(Array.from({ length: 6 }, () => bucket.take()));
    })();
    gate.started(line);
    lines.push(line);
  }
  await Promise.all(lines);
  // At most the limit, plus the six of the line let in just under it (less the burst's token).
  assert.ok(most <= 6 + 6 - 1, `${most} takes waited at once`);
  assert.equal(bucket.waiting, 0);
  // A line that asks nothing (an address refused at once) does not hold the next one back.
  const quiet = rateGate(bucket, 6);
  await quiet.admit();
  quiet.started(Promise.reject(new Error('refused')));
  await quiet.admit();
});

test('TokenBucket: an aborted signal ends a take at once, not at its token', { timeout: 10000 }, async () => {
  const bucket = new TokenBucket(0.001, { burst: 1 }); // the next token in 1,000 s
  assert.equal(await bucket.take(), true);
  const controller = new AbortController();
  const waiting = bucket.take(Infinity, controller.signal);
  setTimeout(() => controller.abort(), 20);
  const started = performance.now();
  assert.equal(await waiting, false);
  assert.ok(performance.now() - started < 5000, 'the take ended with the abort');
  assert.equal(bucket.waiting, 0);
});

test('rateLimited: what the resolver has, own or inherited, stays readable', async () => {
  class Doh { get doh() { return true; } async query() { return new Uint8Array(0); } }
  const resolver = rateLimited(new Doh(), { take: async () => true });
  assert.equal(resolver.doh, true);
  assert.ok((await resolver.query(new Uint8Array(12))) instanceof Uint8Array);
});

test('rateLimited: every query of a resolver waits for a token', async () => {
  let tokens = 0;
  const bucket = { take: async () => { tokens += 1; return true; } };
  const resolver = rateLimited({ query: async () => new Uint8Array(0), queryTcp: async () => new Uint8Array(0) }, bucket);
  await resolver.query(new Uint8Array(12));
  await resolver.queryTcp(new Uint8Array(12));
  assert.equal(tokens, 2);
});

/**
 * A fake DNS server on loopback: UDP holds every query until `hold` have arrived (so that they
 * are all in flight at once), records their IDs, and answers NXDOMAIN (TC set if `truncate`);
 * TCP answers NXDOMAIN; `dropFirst` ignores the first copy of each UDP query. Resolves to {
 * address, udpIds, tcpCount, close }.
 */
async function fakeDns({ hold = 1, truncate = false, delayMs = 0, dropFirst = false } = {}) {
  const udp = dgram.createSocket('udp4');
  const udpIds = [];
  const dropped = new Set();
  let held = [];
  let tcpCount = 0;
  let closed = false;
  // Queries received and not answered yet, and the most there were at once.
  let outstanding = 0;
  let mostOutstanding = 0;
  udp.on('message', (msg, rinfo) => {
    udpIds.push(msg.readUInt16BE(0));
    mostOutstanding = Math.max(mostOutstanding, ++outstanding);
    // `dropFirst`: the first copy of each query is lost, as under a burst at a real resolver.
    if (dropFirst && !dropped.has(msg.readUInt16BE(0))) { dropped.add(msg.readUInt16BE(0)); return; }
    held.push([msg, rinfo]);
    if (held.length >= hold) {
      const batch = held;
      held = [];
      const send = () => {
        outstanding -= batch.length;
        if (!closed) for (const [m, ri] of batch) udp.send(nxdomain(m, { tc: truncate }), ri.port, ri.address);
      };
      if (delayMs) setTimeout(send, delayMs); else send();
    }
  });
  await new Promise((r) => udp.bind(0, '127.0.0.1', r));
  const port = udp.address().port;
  const tcp = net.createServer((s) => {
    let buf = Buffer.alloc(0);
    s.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        const m = buf.subarray(2, 2 + buf.readUInt16BE(0));
        buf = buf.subarray(2 + m.length);
        tcpCount += 1;
        const a = nxdomain(m);
        const len = Buffer.alloc(2);
        len.writeUInt16BE(a.length);
        s.write(Buffer.concat([len, a]));
      }
    });
    s.on('error', () => {});
  });
  await new Promise((r) => tcp.listen(port, '127.0.0.1', r));
  return {
    address: `127.0.0.1:${port}`,
    udpIds,
    tcpCount: () => tcpCount,
    mostOutstanding: () => mostOutstanding,
    close: () => { closed = true; udp.close(); tcp.close(); },
  };
}

test('udpPool: the message IDs of the queries in flight at once are all different, and answers reach the core', async () => {
  const domains = 40;
  const server = await fakeDns({ hold: domains * 6 }); // every query is in flight when the first answer goes out
  // Candidate IDs come twice each (0, 0, 1, 1, …): the pool must skip one already in flight.
  let n = 0;
  const { udpPool: makePool } = await import('../src/bulk.js');
  const pool = makePool({ server: server.address, timeout: 20000, sockets: 3, ids: () => Math.floor(n++ / 2) % 0x10000 });
  try {
    const lines = Array.from({ length: domains }, (_, i) => `user@d${i}.example`);
    const results = [];
    for await (const r of discoverMany(lines, { resolver: pool, concurrency: domains, seed: 1 })) results.push(r);
    assert.equal(server.udpIds.length, domains * 6);
    assert.equal(new Set(server.udpIds).size, domains * 6, 'a message ID was reused while in flight');
    assert.deepEqual(results.map((r) => r.input), lines);
    for (const r of results) assert.deepEqual(r.plan.lookups.map((l) => l.outcome), Array(6).fill('nx-domain'));
    assert.equal(pool.inFlight(), 0);
  } finally {
    pool.close();
    server.close();
  }
});

test('udpPool: a lost UDP query is sent again (same ID) and answered long before the timeout', async () => {
  const server = await fakeDns({ dropFirst: true });
  const { udpPool: makePool, RESEND_MS } = await import('../src/bulk.js');
  const pool = makePool({ server: server.address, timeout: 20000 });
  try {
    const started = Date.now();
    const results = [];
    for await (const r of discoverMany(['user@lossy.example', 'lossy2.example'], { resolver: pool, concurrency: 2, seed: 1 })) results.push(r);
    for (const r of results) assert.deepEqual(r.plan.lookups.map((l) => l.outcome), Array(6).fill('nx-domain'));
    // Every query came twice with the same ID: once lost, once answered.
    assert.equal(server.udpIds.length, 2 * 12);
    assert.equal(new Set(server.udpIds).size, 12);
    assert.ok(Date.now() - started < 20000 - RESEND_MS, 'answered after a resend, not at the timeout');
    assert.equal(pool.inFlight(), 0);
  } finally {
    pool.close();
    server.close();
  }
});

test('RetransmitTimer (D61): RFC 6298 SRTT and RTTVAR, floor, cap, first value, back-off until the next sample', () => {
  const t = new RetransmitTimer({ initial: 1000, min: 50, max: 1000, granularity: 10 });
  assert.equal(t.rto, 1000, 'before any sample');
  t.sample(100);
  assert.deepEqual([t.srtt, t.rttvar, t.rto], [100, 50, 300]); // SRTT = R, RTTVAR = R/2, RTO = SRTT + 4 RTTVAR
  t.sample(200);
  assert.deepEqual([t.srtt, t.rttvar, t.rto], [112.5, 62.5, 362.5]); // RTTVAR first, with the old SRTT
  for (const bad of [NaN, -1, Infinity, undefined]) t.sample(bad);
  assert.equal(t.samples, 2, 'a bad sample is ignored');
  t.sample(5000);
  assert.equal(t.rto, 1000, 'at most max');
  for (let i = 0; i < 100; i++) t.sample(1);
  assert.equal(t.rto, 50, 'at least min');
  t.lost(50);
  assert.equal(t.rto, 100, 'twice the timeout the lost query was sent with');
  t.lost(50);
  assert.equal(t.rto, 100, 'many losses of queries sent with the same timeout double it once');
  t.lost(20);
  assert.equal(t.rto, 100, 'never lowered by a loss');
  t.lost(800);
  assert.equal(t.rto, 1000, 'within max');
  t.sample(1);
  assert.equal(t.rto, 50, 'the next sample ends the back-off');
  const g = new RetransmitTimer({ min: 0, granularity: 10 });
  for (let i = 0; i < 50; i++) g.sample(5);
  assert.equal(g.rto, 15, 'SRTT + the clock granularity when RTTVAR is smaller');
});

/** A DNS query for `name` (type SRV, class IN) with message ID `id`. */
function queryWire(name, id = 0x1234) {
  const labels = name.split('.').flatMap((l) => [l.length, ...Buffer.from(l)]);
  const q = Buffer.from([id >> 8, id & 0xff, 0x01, 0, 0, 1, 0, 0, 0, 0, 0, 0, ...labels, 0, 0, 33, 0, 1]);
  return new Uint8Array(q);
}

/**
 * A fake DNS server on loopback run by the test: `onQuery(msg, answer)` sees each UDP datagram
 * and calls `answer()` to send the NXDOMAIN answer (or does not: the datagram is lost);
 * `send(data)` sends any datagram to the last query's sender.
 */
async function scriptedDns() {
  const udp = dgram.createSocket('udp4');
  const server = { onQuery: (_msg, answer) => answer(), ids: [] };
  udp.on('message', (msg, rinfo) => {
    server.ids.push(msg.readUInt16BE(0));
    server.send = (data) => udp.send(data, rinfo.port, rinfo.address);
    server.onQuery(msg, () => server.send(nxdomain(msg)));
  });
  await new Promise((r) => udp.bind(0, '127.0.0.1', r));
  server.address = `127.0.0.1:${udp.address().port}`;
  server.close = () => udp.close();
  return server;
}

/** A virtual clock for `udpPool`: `t` (ms) moves only when the test moves it; `sweep()` runs the pool's sweep. */
function virtualClock() {
  const clock = {
    t: 0,
    sweeper: undefined,
    now: () => clock.t,
    every(fn) { clock.sweeper = fn; return () => { clock.sweeper = undefined; }; },
    sweep() { clock.sweeper?.(); },
  };
  return clock;
}

test('udpPool (D61): a lost query is sent again after the timeout measured from the round trips, not after a fixed second', async () => {
  const clock = virtualClock();
  const server = await scriptedDns();
  const { udpPool: makePool, RESEND_MS: fixed, MIN_RESEND_MS: floor } = await import('../src/bulk.js');
  const pool = makePool({ server: server.address, timeout: 20000, clock });
  try {
    assert.equal(pool.stats().rto, fixed, 'before any round trip: the old fixed wait');
    // Ten round trips of 8 ms (virtual): the server moves the clock before it answers.
    server.onQuery = (_msg, answer) => { clock.t += 8; answer(); };
    for (let i = 0; i < 10; i++) assert.equal((await pool.query(queryWire(`q${i}.example`))).length > 12, true);
    const measured = pool.stats();
    assert.deepEqual([measured.samples, measured.srtt, measured.resent], [10, 8, 0]);
    assert.equal(measured.rto, floor, '8 ms round trips: the floor');
    // The next query's first copy is lost; the second is answered.
    const copies = [];
    server.onQuery = (msg, answer) => { copies.push(msg.readUInt16BE(0)); if (copies.length === 2) answer(); };
    const sentAt = clock.t;
    const answer = pool.query(queryWire('lost.example'));
    while (pool.stats().resent === 0) {
      clock.t += 1;
      clock.sweep();
      assert.ok(clock.t - sentAt <= measured.rto, `no resend ${clock.t - sentAt} ms after the send`);
    }
    assert.equal(clock.t - sentAt, measured.rto, 'sent again as soon as the measured timeout passed');
    assert.ok(measured.rto < fixed);
    assert.equal((await answer)[0], 0x12, 'the core\'s ID back');
    assert.equal(copies.length, 2);
    assert.equal(copies[0], copies[1], 'the same ID');
    // Karn: the answer of a query sent twice is no round trip; the timeout backs off until the next one.
    assert.equal(pool.stats().samples, 10);
    assert.equal(pool.stats().rto, 2 * measured.rto);
    server.onQuery = (_msg, reply) => { clock.t += 8; reply(); };
    await pool.query(queryWire('next.example'));
    assert.equal(pool.stats().samples, 11);
    assert.equal(pool.stats().rto, floor);
    assert.equal(pool.inFlight(), 0);
  } finally {
    pool.close();
    server.close();
  }
});

test('udpPool (D61): an unanswered query is sent again after 1, 2, 4, ... times the timeout, then fails at its own timeout', async () => {
  const clock = virtualClock();
  const server = await scriptedDns();
  const { udpPool: makePool, RESEND_MS: fixed } = await import('../src/bulk.js');
  const pool = makePool({ server: server.address, timeout: 3500, clock });
  try {
    server.onQuery = () => {}; // every copy lost
    const sentAt = clock.t;
    const query = pool.query(queryWire('silent.example'));
    let settled;
    query.then(() => { settled = 'answered'; }, (e) => { settled = e.code; });
    const resends = [];
    while (pool.inFlight() > 0 && clock.t - sentAt < 10000) {
      clock.t += 1;
      const before = pool.stats().resent;
      clock.sweep();
      if (pool.stats().resent > before) resends.push(clock.t - sentAt);
    }
    await query.catch(() => {});
    assert.equal(settled, 'TIMEOUT');
    // No round trip measured yet: the first wait is the fixed one, then twice as long each time.
    assert.deepEqual(resends, [fixed, 3 * fixed]);
    assert.equal(clock.t - sentAt, 3500, 'failed at its timeout');
    assert.equal(pool.stats().rto, fixed, 'backed off within the cap');
  } finally {
    pool.close();
    server.close();
  }
  // With a measured timeout T (the floor, for 2 ms round trips): T, 3T, 7T, 15T after the send,
  // then the query's own timeout (16T).
  const { MIN_RESEND_MS: floor } = await import('../src/bulk.js');
  const clock2 = virtualClock();
  const server2 = await scriptedDns();
  const pool2 = makePool({ server: server2.address, timeout: 16 * floor, clock: clock2 });
  try {
    server2.onQuery = (_msg, answer) => { clock2.t += 2; answer(); };
    for (let i = 0; i < 20; i++) await pool2.query(queryWire(`w${i}.example`));
    const rto = pool2.stats().rto;
    assert.equal(rto, floor);
    server2.onQuery = () => {};
    const sentAt = clock2.t;
    const query = pool2.query(queryWire('silent.example'));
    const failed = assert.rejects(query, { code: 'TIMEOUT' });
    const resends = [];
    while (pool2.inFlight() > 0 && clock2.t - sentAt < 100000) {
      clock2.t += 1;
      const before = pool2.stats().resent;
      clock2.sweep();
      if (pool2.stats().resent > before) resends.push(clock2.t - sentAt);
    }
    await failed;
    assert.deepEqual(resends, [rto, 3 * rto, 7 * rto, 15 * rto]);
    assert.equal(clock2.t - sentAt, 16 * floor);
  } finally {
    pool2.close();
    server2.close();
  }
});

test('udpPool (D62): an answer with the right ID to another question (a late copy\'s answer whose ID was drawn again) is ignored', async () => {
  const server = await scriptedDns();
  const { udpPool: makePool } = await import('../src/bulk.js');
  const pool = makePool({ server: server.address, timeout: 20000 });
  try {
    // Before the real answer, one with the same ID for another name, then one whose type differs.
    server.onQuery = (msg, answer) => {
      const id = msg.readUInt16BE(0);
      const [stale, otherType] = [queryWire('other.example', id), queryWire('MyName.example', id)];
      otherType[otherType.length - 3] = 1; // type A
      for (const q of [stale, otherType]) server.send(nxdomain(Buffer.from(q)));
      answer();
    };
    const got = await pool.query(queryWire('MyName.example'));
    assert.equal(Buffer.from(got.subarray(12, 12 + 16)).toString('latin1'), '\x06MyName\x07example\x00');
    assert.equal(pool.stats().stray, 2);
    // A resolver that answers with the name in another case is still heard.
    server.onQuery = (msg) => server.send(nxdomain(Buffer.from(queryWire('myNAME.example', msg.readUInt16BE(0)))));
    const folded = await pool.query(queryWire('MyName.example'));
    assert.equal(folded[3] & 0x0f, 3);
    assert.equal(pool.stats().stray, 2);
  } finally {
    pool.close();
    server.close();
  }
});

test('udpPool: a query whose discovery\'s signal aborts ends with TIMEOUT at the next sweep, open or waiting, and frees its place', { timeout: 10000 }, async () => {
  const clock = virtualClock();
  const server = await scriptedDns();
  server.onQuery = () => {}; // never answers
  const { udpPool: makePool } = await import('../src/bulk.js');
  const pool = makePool({ server: server.address, timeout: 20000, maxInFlight: 2, clock });
  try {
    const controller = new AbortController();
    const outcome = (p) => p.then(() => 'answered', (e) => e.code);
    const open = outcome(pool.query(queryWire('a.example'), undefined, { signal: controller.signal }));
    const other = outcome(pool.query(queryWire('b.example')));
    const waits = outcome(pool.query(queryWire('c.example'), undefined, { signal: controller.signal }));
    const next = outcome(pool.query(queryWire('d.example')));
    assert.equal(pool.inFlight(), 2);
    controller.abort();
    clock.sweep();
    assert.equal(await open, 'TIMEOUT');
    assert.equal(await waits, 'TIMEOUT');
    assert.equal(pool.inFlight(), 2, 'the aborted query\'s place went to the next one waiting');
    pool.close();
    assert.deepEqual([await other, await next], ['NETWORK_ERROR', 'NETWORK_ERROR']);
  } finally {
    pool.close();
    server.close();
  }
});

/** A lookup for `[ASK]`: records each call; `settled` resolves at the first. */
function recordingLookup() {
  const lookup = { calls: [] };
  lookup.settled = new Promise((resolve) => {
    lookup.answered = (msg) => { lookup.calls.push(['answered', msg]); resolve(); };
    lookup.failed = (e) => { lookup.calls.push(['failed', e.code]); resolve(); };
  });
  return lookup;
}

test('udpPool (D67): ASK tells its lookup once: the answer with the core\'s ID back, or TIMEOUT once `until` passes, open or waiting, and the place goes to the next', { timeout: 10000 }, async () => {
  const clock = virtualClock();
  const server = await scriptedDns();
  server.onQuery = (msg, answer) => { if (msg.includes('answer')) answer(); }; // the others never
  const { udpPool: makePool } = await import('../src/bulk.js');
  const { ASK } = await import('../src/discover.js');
  const pool = makePool({ server: server.address, timeout: 20000, maxInFlight: 2, clock });
  try {
    const answered = recordingLookup();
    pool[ASK](queryWire('answer.example', 0x4242), undefined, 1000, answered);
    await answered.settled;
    assert.equal(answered.calls.length, 1);
    const [kind, msg] = answered.calls[0];
    assert.equal(kind, 'answered');
    assert.deepEqual([msg[0], msg[1], msg[3] & 0x0f], [0x42, 0x42, 3], 'the core\'s own ID, NXDOMAIN');
    assert.notEqual(server.ids[0], 0x4242, 'sent with an ID of the pool\'s');

    const [early, late, waits, next] = [recordingLookup(), recordingLookup(), recordingLookup(), recordingLookup()];
    pool[ASK](queryWire('x.example'), undefined, 100, early);
    pool[ASK](queryWire('y.example'), undefined, 5000, late);
    pool[ASK](queryWire('z.example'), undefined, 100, waits);
    pool[ASK](queryWire('w.example'), undefined, 5000, next);
    assert.equal(pool.inFlight(), 2, 'two open, two waiting');
    clock.t = 99;
    clock.sweep();
    assert.deepEqual([early.calls, waits.calls], [[], []], 'before `until`, nothing ends');
    clock.t = 100;
    clock.sweep();
    clock.sweep();
    assert.deepEqual(early.calls, [['failed', 'TIMEOUT']]);
    assert.deepEqual(waits.calls, [['failed', 'TIMEOUT']]);
    assert.equal(pool.inFlight(), 2, 'the place of the query out of time went to the next one waiting');
    assert.deepEqual([late.calls, next.calls], [[], []]);
    pool.close();
    assert.deepEqual([late.calls, next.calls], [[['failed', 'NETWORK_ERROR']], [['failed', 'NETWORK_ERROR']]]);
  } finally {
    pool.close();
    server.close();
  }
});

test('discover (D67): a resolver whose ASK never calls back still ends at totalTimeout, every lookup `timeout`; a late callback changes nothing', { timeout: 10000 }, async () => {
  const { discover } = await import('../src/node.js');
  const { ASK } = await import('../src/discover.js');
  const held = [];
  const resolver = {
    query() { throw new Error('query() must not be used when the resolver has ASK'); },
    [ASK](wire, question, until, lookup) { held.push({ wire, until, lookup }); },
  };
  const before = performance.now();
  const plan = await discover('user@held.example', { resolver, totalTimeout: 150, seed: 1 });
  const after = performance.now();
  assert.deepEqual(plan.lookups.map((l) => l.outcome), Array(6).fill('timeout'));
  assert.equal(held.length, 6, 'all six questions asked at once');
  for (const { until } of held) assert.ok(until >= before + 150 && until <= after + 150, 'until: the discovery\'s deadline');
  // The discovery is over and freed: late calls are ignored, nothing throws.
  held[0].lookup.answered(nxdomain(Buffer.from(held[0].wire)));
  held[1].lookup.failed(Object.assign(new Error('late'), { code: 'NETWORK_ERROR' }));
});

test('discover (D67): an answer given inside ASK itself is taken, and only the first call for a question counts', async () => {
  const { discover } = await import('../src/node.js');
  const { ASK } = await import('../src/discover.js');
  const resolver = {
    query() { throw new Error('query() must not be used when the resolver has ASK'); },
    [ASK](wire, question, until, lookup) {
      const answer = nxdomain(Buffer.from(wire));
      lookup.answered(answer);
      lookup.answered(answer);
      lookup.failed(Object.assign(new Error('a second call'), { code: 'NETWORK_ERROR' }));
    },
  };
  const plan = await discover('user@at-once.example', { resolver, seed: 1 });
  assert.deepEqual(plan.lookups.map((l) => l.outcome), Array(6).fill('nx-domain'));
});

test('rateLimited (D67): ASK waits for a token too, and passes `until` on', async () => {
  const { ASK } = await import('../src/discover.js');
  let grant;
  const bucket = { take: () => new Promise((resolve) => { grant = resolve; }) };
  const untils = [];
  const inner = { query: async () => new Uint8Array(0), [ASK]: (wire, question, until, lookup) => { untils.push(until); lookup.answered(new Uint8Array(12)); } };
  const resolver = rateLimited(inner, bucket);
  const lookup = recordingLookup();
  resolver[ASK](new Uint8Array(12), undefined, 42, lookup);
  await new Promise((r) => setImmediate(r));
  assert.deepEqual([untils, lookup.calls.length], [[], 0], 'nothing is sent before the token');
  assert.equal(typeof grant, 'function', 'a token was asked for');
  grant(true);
  await lookup.settled;
  assert.deepEqual([untils, lookup.calls.length], [[42], 1]);
});

test('rateLimited: a query whose discovery is out of time before its token fails with TIMEOUT and is not sent', async () => {
  const { ASK } = await import('../src/discover.js');
  const bucket = { take: async () => false };
  const sent = [];
  const inner = { query: async () => { sent.push('query'); return new Uint8Array(0); }, [ASK]: () => sent.push('ask') };
  const resolver = rateLimited(inner, bucket);
  await assert.rejects(resolver.query(new Uint8Array(12)), { code: 'TIMEOUT' });
  const lookup = recordingLookup();
  resolver[ASK](new Uint8Array(12), undefined, 42, lookup);
  await lookup.settled;
  assert.deepEqual(lookup.calls, [['failed', 'TIMEOUT']]);
  assert.deepEqual(sent, []);
});

test('udpPool: queries ended in one sweep out of order, and those admitted in their places, all stay answerable; each ends once', { timeout: 10000 }, async () => {
  const clock = virtualClock();
  const server = await scriptedDns();
  // The server's answers not sent yet, by question name, each to the socket its query came from.
  const held = new Map();
  server.onQuery = (msg) => {
    const send = server.send;
    held.set(msg.subarray(13, 13 + msg[12]).toString(), () => send(nxdomain(msg)));
  };
  const { udpPool: makePool } = await import('../src/bulk.js');
  const pool = makePool({ server: server.address, timeout: 20000, maxInFlight: 6, clock });
  try {
    const controllers = [];
    const ends = [];
    const outcomes = [];
    for (let i = 0; i < 12; i++) {
      const controller = new AbortController();
      controllers.push(controller);
      ends.push(0);
      outcomes.push(pool.query(queryWire(`q${i}.example`), undefined, { signal: controller.signal }).then(
        (msg) => { ends[i] += 1; return msg[12 + 1] === 0x71 ? `answered q${msg.subarray(14, 14 + msg[12] - 1)}` : 'wrong answer'; },
        (e) => { ends[i] += 1; return e.code; },
      ));
    }
    await new Promise((r) => setTimeout(r, 100)); // the first six reach the server
    assert.equal(pool.inFlight(), 6);
    assert.deepEqual([...held.keys()].sort(), ['q0', 'q1', 'q2', 'q3', 'q4', 'q5']);
    // Queries 0, 2, 3 and 5 are out of time: one sweep ends them (the first, middle and last
    // places of the pool's list among them), and queries 6 to 9 take their places.
    for (const i of [0, 2, 3, 5]) controllers[i].abort();
    clock.sweep();
    assert.equal(pool.inFlight(), 6);
    await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual([...held.keys()].sort(), ['q0', 'q1', 'q2', 'q3', 'q4', 'q5', 'q6', 'q7', 'q8', 'q9']);
    // Every query still open is found by the ID it was sent with, whatever its place now.
    for (const name of ['q9', 'q1', 'q7', 'q4', 'q6', 'q8']) held.get(name)();
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(pool.inFlight(), 2, 'queries 10 and 11 took the answered ones\' places');
    for (const name of ['q11', 'q10']) held.get(name)();
    // Bounded, so that a query the pool lost fails the test instead of leaving it waiting.
    const late = new Promise((resolve) => { setTimeout(() => resolve('not all queries ended'), 3000).unref(); });
    const results = await Promise.race([Promise.all(outcomes), late]);
    assert.deepEqual(results, [
      'TIMEOUT', 'answered q1', 'TIMEOUT', 'TIMEOUT', 'answered q4', 'TIMEOUT',
      'answered q6', 'answered q7', 'answered q8', 'answered q9', 'answered q10', 'answered q11',
    ]);
    assert.deepEqual(ends, Array(12).fill(1), 'each query ended once');
    assert.equal(pool.inFlight(), 0);
    assert.equal(pool.stats().stray, 0);
  } finally {
    try {
      pool.close();
    } finally {
      server.close();
    }
  }
});

test('udpPool: at most maxInFlight queries are open at once; the others wait their turn and are answered', async () => {
  const server = await fakeDns({ delayMs: 20 });
  const { udpPool: makePool, MAX_IN_FLIGHT } = await import('../src/bulk.js');
  const pool = makePool({ server: server.address, timeout: 20000, maxInFlight: 5 });
  try {
    const lines = Array.from({ length: 10 }, (_, i) => `user@w${i}.example`);
    const results = [];
    for await (const r of discoverMany(lines, { resolver: pool, concurrency: 10, seed: 1 })) results.push(r);
    for (const r of results) assert.deepEqual(r.plan.lookups.map((l) => l.outcome), Array(6).fill('nx-domain'));
    assert.equal(server.udpIds.length, 60, 'each query sent once');
    assert.ok(server.mostOutstanding() <= 5, `${server.mostOutstanding()} queries open at once`);
    assert.ok(server.mostOutstanding() >= 2, 'queries overlap up to the cap');
    assert.equal(pool.inFlight(), 0);
    assert.ok(MAX_IN_FLIGHT >= 64 && MAX_IN_FLIGHT <= 1024);
    assert.throws(() => makePool({ server: server.address, maxInFlight: 0 }), { code: 'INVALID_ARGUMENT' });
  } finally {
    pool.close();
    server.close();
  }
});

test('udpPool: a query waiting for a place ends with its discovery\'s signal, and close() ends the rest', async () => {
  const server = await fakeDns({ hold: 1000 }); // never answers
  const { udpPool: makePool } = await import('../src/bulk.js');
  const pool = makePool({ server: server.address, timeout: 20000, maxInFlight: 1 });
  const wire = new Uint8Array(12);
  try {
    const first = pool.query(wire, undefined, {});
    const controller = new AbortController();
    const second = pool.query(wire, undefined, { signal: controller.signal });
    const third = pool.query(wire, undefined, {});
    assert.equal(pool.inFlight(), 1, 'one open, two waiting');
    controller.abort();
    await assert.rejects(second, { code: 'TIMEOUT' });
    pool.close();
    await assert.rejects(first, { code: 'NETWORK_ERROR' });
    await assert.rejects(third, { code: 'NETWORK_ERROR', message: /closed/ });
  } finally {
    server.close();
  }
});

test('plan --input --rate: the fake server never sees more queries in a window than the ceiling allows', async () => {
  const server = await fakeDns();
  const times = [];
  const record = server.udpIds.push.bind(server.udpIds);
  server.udpIds.push = (id) => { times.push(performance.now()); return record(id); };
  try {
    const r = await runWithStdin(['plan', '--input', '-', '--server', server.address, '--rate', '30', '--concurrency', '10'],
      Array.from({ length: 10 }, (_, i) => `u@r${i}.example`).join('\n'));
    assert.equal(r.code, 0, r.stderr);
    assert.equal(times.length, 60);
    // At most 1 + 30 × W in a window of W s; twice that leaves room for scheduling jitter, and
    // without the ceiling all 60 arrive at once.
    for (const t of times) {
      const inWindow = times.filter((x) => x >= t && x < t + 500).length;
      assert.ok(inWindow <= 2 * (1 + 15), `${inWindow} queries within 500 ms`);
    }
  } finally {
    server.close();
  }
});

test('plan --input --rate: lines start as tokens allow, so none waits past its --timeout for them', async () => {
  // 16 domains ask 96 queries, 4 s at 24/s. Started all at once (--concurrency 16), the last
  // ones would wait for tokens past their 2.5 s; started as the bucket empties, each waits
  // about a second.
  const server = await fakeDns();
  try {
    const r = await runWithStdin(['plan', '--input', '-', '--server', server.address, '--rate', '24', '--concurrency', '16', '--timeout', '2500'],
      Array.from({ length: 16 }, (_, i) => `u@t${i}.example`).join('\n'));
    assert.equal(r.code, 0, r.stderr);
    const lines = parseLines(r.stdout);
    assert.equal(lines.length, 16);
    for (const l of lines) assert.deepEqual(l.plan.lookups.map((x) => x.outcome), Array(6).fill('nx-domain'), l.input);
    assert.ok(server.udpIds.length >= 96, `${server.udpIds.length} queries`);
  } finally {
    server.close();
  }
});

test('plan --input --rate: a domain out of time uses no tokens, and the run ends with its last line', { timeout: 10000 }, async () => {
  // 1 query per second and 300 ms per domain: each domain gets at most the token there is when
  // it starts. Were tokens given to queries whose domains had given up, the 18 queries would
  // take 18 s, and the process would wait for them after its last line.
  const server = await fakeDns();
  try {
    const r = await runWithStdin(['plan', '--input', '-', '--server', server.address, '--rate', '1', '--concurrency', '3', '--timeout', '300'],
      'u@a.example\nu@b.example\nu@c.example\n');
    assert.equal(r.code, 0, r.stderr);
    const lines = parseLines(r.stdout);
    assert.deepEqual(lines.map((l) => l.input), ['u@a.example', 'u@b.example', 'u@c.example']);
    assert.ok(lines.every((l) => l.plan.lookups.some((x) => x.outcome === 'timeout')), r.stdout);
    assert.ok(server.udpIds.length <= 3, `${server.udpIds.length} queries sent`);
  } finally {
    server.close();
  }
});

test('plan --input --server: a truncated UDP answer is asked again over TCP', async () => {
  const server = await fakeDns({ truncate: true });
  try {
    const r = await runWithStdin(['plan', '--input', '-', '--server', server.address, '--concurrency', '2'], 'a@one.example\ntwo.example\n');
    assert.equal(r.code, 0, r.stderr);
    const lines = parseLines(r.stdout);
    assert.equal(lines.length, 2);
    for (const l of lines) assert.deepEqual(l.plan.lookups.map((x) => x.outcome), Array(6).fill('nx-domain'));
    assert.equal(server.tcpCount(), 12);
  } finally {
    server.close();
  }
});

test('discoverMany: back-pressure — a slow consumer holds the producer to `concurrency` lines', async () => {
  const asked = new Set();
  const resolver = {
    async query(wire) {
      // The first label of the question names the domain (_imaps._tcp.dN.example): count domains.
      let i = 12;
      const labels = [];
      while (wire[i] !== 0) { labels.push(Buffer.from(wire.subarray(i + 1, i + 1 + wire[i])).toString()); i += wire[i] + 1; }
      asked.add(labels[2]);
      return nxdomain(wire);
    },
  };
  let read = 0;
  function* lines() { for (let i = 0; i < 1000; i++) { read += 1; yield `u@d${i}.example`; } }
  const it = discoverMany(lines(), { resolver, concurrency: 5, seed: 1 });
  const first = await it.next();
  assert.equal(first.value.input, 'u@d0.example');
  await new Promise((r) => setTimeout(r, 200)); // the consumer is slow; the producer must wait
  assert.ok(asked.size <= 6, `${asked.size} domains started while one result was consumed`);
  assert.ok(read <= 7, `${read} lines read`);
  await it.return();
  assert.ok(read <= 7);
});

test('discoverMany: a bad line is an error result, never a rejection; unordered gives the same set', async () => {
  const resolver = { query: async (wire) => nxdomain(wire) };
  const lines = ['a@x.example', '@', 'b@', 'c@y.example', '# c', '', 'z.example'];
  const ordered = [];
  for await (const r of discoverMany(lines, { resolver, seed: 1, concurrency: 2 })) ordered.push(r);
  assert.deepEqual(ordered.map((r) => [r.input, r.error?.code ?? 'plan']), [
    ['a@x.example', 'plan'], ['@', 'EMPTY_LOCAL_PART'], ['b@', 'EMPTY_DOMAIN'], ['c@y.example', 'plan'], ['z.example', 'plan'],
  ]);
  const unordered = [];
  for await (const r of discoverMany(lines, { resolver, seed: 1, concurrency: 3, ordered: false })) unordered.push(r);
  const key = (r) => JSON.stringify(r);
  assert.deepEqual(unordered.map(key).sort(), ordered.map(key).sort());
});

test('linesOf: lines split across chunks, long lines cut at 1,024 characters', async () => {
  async function* chunks() { yield Buffer.from('ab'); yield Buffer.from('c\nd'); yield 'x'.repeat(3000); yield '\n\nlast'; }
  const out = [];
  for await (const l of linesOf(chunks())) out.push(l);
  assert.deepEqual(out, ['abc', `d${'x'.repeat(1023)}`, '', 'last']);
});

test('SIGINT mid-run: every stdout line is complete JSON, exit 130, the summary says interrupted', async () => {
  const server = await fakeDns({ delayMs: 30 });
  try {
    const input = file('many.txt', Array.from({ length: 2000 }, (_, i) => `u@d${i}.example`).join('\n'));
    const summaryFile = path.join(dir, 'interrupted.json');
    const child = spawn(process.execPath, [cli, 'plan', '--input', input, '--server', server.address, '--concurrency', '8', '--summary-json', summaryFile], { cwd: root });
    let stdout = '';
    let stderr = '';
    let sent = false;
    child.stdout.on('data', (d) => {
      stdout += d;
      if (!sent && stdout.split('\n').length > 5) { sent = true; child.kill('SIGINT'); }
    });
    child.stderr.on('data', (d) => { stderr += d; });
    const code = await new Promise((r) => child.on('close', r));
    assert.ok(sent);
    assert.equal(code, 130, stderr);
    assert.ok(stdout.endsWith('\n'));
    const lines = parseLines(stdout);
    assert.ok(lines.length < 2000);
    lines.forEach((l, i) => assert.equal(l.input, `u@d${i}.example`));
    const summary = JSON.parse(readFileSync(summaryFile, 'utf8'));
    assert.equal(summary.interrupted, true);
    assert.equal(summary.lines, lines.length);
  } finally {
    server.close();
  }
});

/**
 * Runs the CLI under `/usr/bin/time -f %M` with its standard output thrown away (100,000 plans
 * would not fit in this process): resolves to { code, stderr, maxRssKb }.
 */
function measured(args) {
  const out = path.join(dir, `rss-${Math.random().toString(36).slice(2)}.txt`);
  return new Promise((resolve) => {
    const child = spawn('/usr/bin/time', ['-f', '%M', '-o', out, process.execPath, cli, ...args], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('close', (code) => resolve({ code, stderr, maxRssKb: Number(readFileSync(out, 'utf8').trim().split('\n').pop()) }));
  });
}

test('peak RSS stays flat in the number of input lines (10,000 vs 100,000, --zone offline)', { timeout: 600000 }, async () => {
  const mix = ['alice@example.net', 'dave@custom.example', 'implicit.example', 'bad@@x'];
  const rss = {};
  // 10,000 lines twice, the higher peak kept: a run's peak varies by about 15 % with the GC's
  // timing.
  for (const n of [10000, 10000, 100000]) {
    const input = file(`${n}.txt`, Array.from({ length: n }, (_, i) => mix[i % mix.length]).join('\n'));
    const r = await measured(['plan', '--input', input, ...ZONES, '--concurrency', '64', '--summary-json', path.join(dir, `${n}.json`)]);
    assert.equal(r.code, 2, r.stderr); // a quarter are error lines
    assert.equal(JSON.parse(readFileSync(path.join(dir, `${n}.json`), 'utf8')).lines, n);
    rss[n] = Math.max(rss[n] ?? 0, r.maxRssKb);
  }
  // Ten times the lines may not cost more than 25 % or 48 MB more memory, whichever is more,
  // nor exceed 250 MB. The margin is the GC's: 10,000 lines end before the heap has reached
  // the size it keeps (108-129 MB here, against 123-143 MB for 100,000 and 127 MB for 300,000).
  // Memory that grew with the lines would pass 48 MB from about half a kilobyte a line.
  const margin = Math.max(rss[10000] * 0.25, 48 * 1024);
  assert.ok(rss[100000] < rss[10000] + margin, `peak RSS ${rss[10000]} KB for 10,000 lines, ${rss[100000]} KB for 100,000`);
  assert.ok(rss[100000] < 250 * 1024, `peak RSS ${rss[100000]} KB`);
});

test('D56 plan --input writes the core\'s plan text as it is: each line is JSON.stringify of discoverMany\'s result, and the summary counts the same as BulkSummary.add', async () => {
  const summaryFile = path.join(dir, 'summary-d56.json');
  const input = file('d56.txt', INPUT);
  const r = await runCli(['plan', '--input', input, ...ZONES, '--seed', '1', '--summary-json', summaryFile]);
  const { zoneResolver } = await import('../src/index.js');
  const { BulkSummary } = await import('../src/host.js');
  const zones = ZONES.filter((_, i) => i % 2 === 1).map((z) => readFileSync(path.join(root, z), 'utf8'));
  const resolver = await zoneResolver(zones);
  const summary = new BulkSummary();
  let expectedText = '';
  for await (const result of discoverMany(linesOf([INPUT]), { resolver, seed: 1n })) {
    summary.add(result);
    expectedText += `${JSON.stringify(result)}\n`;
  }
  assert.ok(expectedText.includes('"plan":{'), 'plans, not only error lines');
  assert.equal(r.stdout, expectedText);
  const written = JSON.parse(readFileSync(summaryFile, 'utf8'));
  delete written.interrupted;
  assert.deepEqual(written, summary.toJSON());
});
