// The UDP and DoH resolvers against a real DNS server on loopback (the Rust zone-server example,
// started and stopped by these tests), through the API and through the CLI.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { discover, dohResolver, udpResolver } from '../src/index.js';
import { expected, runCli, startZoneServer } from './helpers.js';
import { startDohServer } from './doh-server.js';
import { nxdomain } from './nxdomain.js';
import { parseServer } from '../src/udp.js';

let dns;
let doh;
before(async () => {
  dns = await startZoneServer(['many.zone', 'demo.zone', 'nothing.zone']);
  doh = await startDohServer(dns.address);
});
after(async () => {
  await doh?.stop();
  await dns?.stop();
});

const text = (plan) => JSON.stringify(plan, null, 2) + '\n';

test('udpResolver: all questions at once, TCP after truncation, same plan as Rust', async () => {
  const resolver = await udpResolver({ server: dns.address });
  assert.equal(text(await discover('gina@many.example', { resolver, seed: 1 })), expected('many-records'));
  assert.equal(text(await discover('alice@example.net', { resolver, seed: 1 })), expected('demo'));
  assert.equal(text(await discover('olga@empty.example', { resolver, seed: 1 })), expected('nothing-published'));
});

test('udpResolver: a silent server gives timeouts, and the CLI exits 3', async () => {
  const silent = dgram.createSocket('udp4');
  await new Promise((r) => silent.bind(0, '127.0.0.1', r));
  const server = `127.0.0.1:${silent.address().port}`;
  try {
    const resolver = await udpResolver({ server, timeout: 200 });
    const plan = await discover('alice@example.net', { resolver, seed: 1 });
    assert.ok(plan.lookups.every((l) => l.outcome === 'timeout'));
    assert.equal(plan.incoming.status, 'lookup-failed');
    const r = await runCli(['plan', '--server', server, '--timeout', '200', 'alice@example.net']);
    assert.equal(r.code, 3);
  } finally {
    silent.close();
  }
});

// These compare unvalidated plans (the zones here are not signed): DoH validates by default in
// Node (D43), so validation is turned off explicitly (dnssec.test.js covers it on).
test('dohResolver: GET and POST give the same plan as Rust', async () => {
  for (const method of ['GET', 'POST']) {
    const before = doh.requests[method];
    const plan = await discover('gina@many.example', { resolver: dohResolver(`${doh.url}/dns-query`, { method }), seed: 1, validate: false });
    assert.equal(text(plan), expected('many-records'));
    assert.ok(doh.requests[method] >= before + 6, `${method} requests were sent`);
  }
});

// S8484-4.1a, S8484-6a: what goes over HTTP, seen through a fetch that records it. (The message
// IDs are the discovery's own, 0 to 5, not the ID 0 that RFC 8484 section 4.1 recommends.)
test('dohResolver requests: GET with unpadded base64url, POST with the bare message, with Accept', async () => {
  const seen = [];
  const recording = async (url, init) => {
    seen.push({ url: String(url), init });
    return new Response(new Uint8Array([1, 2]), { status: 200 });
  };
  // 0xfb 0xff 0xbf 0x01 is "+/+/AQ==" in base64: "-_-_AQ" in unpadded base64url.
  await dohResolver('https://doh.example/dns-query', { method: 'GET', fetch: recording }).query(Uint8Array.from([0xfb, 0xff, 0xbf, 0x01]));
  assert.equal(seen[0].url, 'https://doh.example/dns-query?dns=-_-_AQ');
  assert.equal(seen[0].init.headers.accept, 'application/dns-message');
  assert.equal(seen[0].init.method ?? 'GET', 'GET');
  // POST: the planner's own queries, one per exchange, as bare DNS messages.
  seen.length = 0;
  await discover('alice@example.net', { resolver: dohResolver('https://doh.example/dns-query', { fetch: recording }), seed: 1, validate: false });
  assert.equal(seen.length, 6);
  for (const { url, init } of seen) {
    assert.equal(url, 'https://doh.example/dns-query');
    assert.equal(init.method, 'POST');
    assert.equal(init.headers.accept, 'application/dns-message');
    assert.equal(init.headers['content-type'], 'application/dns-message');
    const body = init.body;
    assert.deepEqual([body[4], body[5]], [0, 1], 'QDCOUNT right after the header: no length prefix');
  }
});

// S8484-4.2a: a non-2xx status carries no DNS answer.
test('dohResolver: HTTP errors are network errors', async () => {
  const plan = await discover('alice@example.net', { resolver: dohResolver(`${doh.url}/no-such-path`), seed: 1 });
  assert.ok(plan.lookups.every((l) => l.outcome === 'network-error'));
  // Each lookup's diagnostic says why (the host's reason, through the core's fail_because).
  const failed = plan.diagnostics.filter((d) => d.code === 'lookup-failed');
  assert.equal(failed.length, 6, JSON.stringify(failed));
  for (const l of plan.lookups) {
    assert.ok(failed.some((d) => d.message === `\`${l.name}\`: the lookup failed (network-error: DoH server answered HTTP 404); the service may exist`), l.name);
  }
});

test('dohResolver: a URL that is not http(s) is INVALID_OPTION, and a usage error (exit 2) for the CLI', async () => {
  for (const url of ['notaurl', 'ftp://x/dns-query', '/dns-query', '']) {
    assert.throws(() => dohResolver(url), { code: 'INVALID_OPTION' }, url);
  }
  const r = await runCli(['plan', '--doh', 'notaurl', 'alice@example.net']);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /--doh: "notaurl" is not an https:\/\/ \(or http:\/\/\) URL/);
});

test('CLI --server and --doh print the Rust plan', async () => {
  let r = await runCli(['plan', '--server', dns.address, '--json', '--seed', '1', 'gina@many.example']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, expected('many-records'));
  r = await runCli(['plan', '--doh', `${doh.url}/dns-query`, '--no-validate', '--json', '--seed', '1', 'alice@example.net']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, expected('demo'));
});

test('udpResolver: an answer from another port, or to another question, is not taken; the real one is (RFC 5452 §3)', async () => {
  // In front of the zone server: for each query, first an NXDOMAIN from another port (a
  // spoofer that guessed the ID), then from the server's own port one with the right ID and
  // another question, then the zone server's real answer.
  const front = dgram.createSocket('udp4');
  const spoofer = dgram.createSocket('udp4');
  await new Promise((r) => front.bind(0, '127.0.0.1', r));
  await new Promise((r) => spoofer.bind(0, '127.0.0.1', r));
  const [host, port] = dns.address.split(':');
  front.on('message', (query, from) => {
    spoofer.send(nxdomain(query), from.port, from.address);
    const other = nxdomain(query);
    other[13] = other[13] === 0x7a ? 0x79 : 0x7a; // the first label's first letter: another name
    front.send(other, from.port, from.address);
    const upstream = dgram.createSocket('udp4');
    upstream.on('message', (answer) => {
      upstream.close();
      setTimeout(() => front.send(answer, from.port, from.address), 20);
    });
    upstream.send(query, Number(port), host);
  });
  try {
    const resolver = await udpResolver({ server: `127.0.0.1:${front.address().port}` });
    assert.equal(text(await discover('alice@example.net', { resolver, seed: 1 })), expected('demo'));
  } finally {
    front.close();
    spoofer.close();
  }
});

test('udpResolver: a server written in any IPv6 form is compared as Node reports the sender (::1)', async () => {
  assert.equal(parseServer('[0:0:0:0:0:0:0:1]:5353').host, '::1');
  assert.equal(parseServer('[0::1]').host, '::1');
  assert.equal(parseServer('2001:DB8::1').host, '2001:db8::1');
  assert.equal(parseServer('127.0.0.1:53').host, '127.0.0.1');
  // A responder on ::1 answers a resolver given the long form.
  const server = dgram.createSocket('udp6');
  await new Promise((r) => server.bind(0, '::1', r));
  server.on('message', (query, from) => server.send(nxdomain(query), from.port, from.address));
  try {
    const resolver = await udpResolver({ server: `[0:0:0:0:0:0:0:1]:${server.address().port}`, timeout: 2000 });
    const plan = await discover('alice@example.net', { resolver, seed: 1, validate: false });
    assert.ok(plan.lookups.every((l) => l.outcome === 'nx-domain'), JSON.stringify(plan.lookups));
  } finally {
    server.close();
  }
});
