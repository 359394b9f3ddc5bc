// discover() with HTTP sources (issue 13 §4, decision D38): every request through the given
// fetch, redirects only within https (checked by the core), bodies capped at the core's limit,
// and the whole-discovery deadline bounding the requests too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { discover, zoneResolver, fixtureFetch } from '../src/index.js';
import { maxHttpBodyBytes, maxHttpRedirects, redirectAllowed, fixturePath, hostSources } from '../src/host.js';
import { root } from './helpers.js';

const agree = path.join(root, 'testdata/fixtures/agree');
const zone = () => zoneResolver([readFileSync(path.join(agree, 'agree.zone'), 'utf8')]);
const email = 'alice@agree.example';
const autoconfigUrl = 'https://autoconfig.agree.example/mail/config-v1.1.xml?emailaddress=alice%40agree.example';
const xml = readFileSync(path.join(agree, 'http/autoconfig.agree.example/mail/config-v1.1.xml'));

/** A fetch that answers the provider's autoconfig URL with `answer(url, init)` and 404 elsewhere. */
function fakeFetch(answer) {
  const calls = [];
  const fetch = async (url, init) => {
    calls.push(url);
    const r = await answer(url, init);
    return r ?? new Response(null, { status: 404 });
  };
  return { fetch, calls };
}

const request = (plan, source) => plan.requests.find((r) => r.source === source);

test('d32 the library with fixtureFetch makes the expected plan of the fixture case', async () => {
  const plan = await discover(email, { resolver: await zone(), fetch: await fixtureFetch(path.join(agree, 'http')), seed: 1 });
  assert.equal(`${JSON.stringify(plan, null, 2)}\n`, readFileSync(path.join(agree, 'expected.json'), 'utf8'));
});

test('d32 without fetch or HTTP sources, discover asks SRV only (no request leaves the host)', async () => {
  const plan = await discover(email, { resolver: await zone(), seed: 1 });
  assert.deepEqual(plan.requests, []);
  assert.deepEqual(hostSources(undefined, false), ['srv']);
  assert.ok(hostSources(undefined, true).includes('autoconfig'));
  assert.ok(!hostSources(undefined, true).includes('autoconfig-http'));
});

test('d26 a redirect that leaves https is not followed: the request fails as insecure-redirect', async () => {
  const { fetch, calls } = fakeFetch((url) => (url === autoconfigUrl ? new Response(null, { status: 302, headers: { location: 'http://evil.example/config.xml' } }) : undefined));
  const plan = await discover(email, { resolver: await zone(), fetch, seed: 1 });
  assert.equal(request(plan, 'autoconfig').outcome, 'failed');
  assert.ok(plan.diagnostics.some((d) => d.message.includes('InsecureRedirect')), JSON.stringify(plan.diagnostics));
  assert.ok(!calls.includes('http://evil.example/config.xml'), 'the http URL was never fetched');
  assert.equal(redirectAllowed(autoconfigUrl, 'http://evil.example/'), false);
});

test('d26 a redirect within https is followed, and counts as the first URL\'s source', async () => {
  const moved = 'https://config.hoster.example/agree.xml';
  const { fetch, calls } = fakeFetch((url) => {
    if (url === autoconfigUrl) return new Response(null, { status: 301, headers: { location: moved } });
    if (url === moved) return new Response(xml, { status: 200, headers: { 'content-type': 'text/xml' } });
    return undefined;
  });
  const plan = await discover(email, { resolver: await zone(), fetch, seed: 1 });
  assert.ok(calls.includes(moved));
  const r = request(plan, 'autoconfig');
  assert.deepEqual([r.url, r.outcome, r.status], [autoconfigUrl, 'document', 200]);
  assert.ok(plan.outgoing.candidates.some((c) => c.source === 'autoconfig' && c.origin === autoconfigUrl));
});

test('d26 redirects are followed at most maxHttpRedirects() times', async () => {
  let n = 0;
  const { fetch } = fakeFetch((url) => (url.startsWith('https://autoconfig.agree.example/') || url.startsWith('https://loop.example/')
    ? new Response(null, { status: 307, headers: { location: `https://loop.example/${(n += 1)}` } }) : undefined));
  const plan = await discover(email, { resolver: await zone(), fetch, seed: 1 });
  assert.equal(request(plan, 'autoconfig').outcome, 'failed');
  assert.equal(n, maxHttpRedirects() + 1, 'the first URL and each redirect once, no more');
});

test('d32 a body over the core\'s cap is not read past it: the request fails as too large', async () => {
  let pulled = 0;
  const { fetch } = fakeFetch((url) => {
    if (url !== autoconfigUrl) return undefined;
    // An endless body, in 16 KiB chunks: reading stops just past the cap.
    const body = new ReadableStream({ pull(c) { pulled += 16384; c.enqueue(new Uint8Array(16384)); } });
    return new Response(body, { status: 200, headers: { 'content-type': 'text/xml' } });
  });
  const plan = await discover(email, { resolver: await zone(), fetch, seed: 1 });
  assert.equal(request(plan, 'autoconfig').outcome, 'failed');
  assert.ok(plan.diagnostics.some((d) => d.message.includes('TooLarge')));
  assert.equal(maxHttpBodyBytes(), 65536);
  assert.ok(pulled <= maxHttpBodyBytes() + 4 * 16384, `read ${pulled} bytes`);
});

test('d32 a declared Content-Length over the cap is refused before the body is read', async () => {
  const { fetch } = fakeFetch((url) => (url === autoconfigUrl
    ? new Response(xml, { status: 200, headers: { 'content-type': 'text/xml', 'content-length': String(maxHttpBodyBytes() + 1) } }) : undefined));
  const plan = await discover(email, { resolver: await zone(), fetch, seed: 1 });
  assert.equal(request(plan, 'autoconfig').outcome, 'failed');
});

test('d32 the whole deadline bounds the HTTP requests: a silent server fails as timeout', async () => {
  const { fetch } = fakeFetch((url, { signal }) => (url === autoconfigUrl
    ? new Promise((_, reject) => signal.addEventListener('abort', () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' }))))
    : undefined));
  const started = Date.now();
  const plan = await discover(email, { resolver: await zone(), fetch, seed: 1, totalTimeout: 300 });
  assert.ok(Date.now() - started < 5000, 'returned soon after the deadline');
  assert.equal(request(plan, 'autoconfig').outcome, 'failed');
  assert.ok(plan.diagnostics.some((d) => d.message.includes('Timeout')));
  assert.equal(plan.final, true);
  // The other sources still plan.
  assert.ok(plan.incoming.candidates.length > 0);
});

test('d32 fixture paths come from the core: no path leaves the directory', () => {
  assert.equal(fixturePath(autoconfigUrl), 'autoconfig.agree.example/mail/config-v1.1.xml');
  assert.equal(fixturePath('https://h.example/../../etc/passwd'), undefined);
});
