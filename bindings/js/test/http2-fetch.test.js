// The Node entry's HTTP/2 fetch for DoH (src/http2-fetch.js), against Node's own HTTP/2 server
// on loopback, in cleartext (h2c: an http: origin): one session carries every request.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import http2 from 'node:http2';
import { http2Fetch } from '../src/http2-fetch.js';

const warnings = [];
process.on('warning', (w) => warnings.push(w.name));
const server = http2.createServer();
let sessions = 0;
const open = [];
server.on('session', (session) => { sessions += 1; open.push(session); });
server.on('stream', (stream, headers) => {
  // `/bare`: the stream is closed with no response at all.
  if (headers[':path'] === '/bare') { stream.close(); return; }
  stream.respond({ ':status': 200, 'content-type': 'application/dns-message' });
  stream.end(Buffer.from([1, 2, 3]));
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const origin = `http://127.0.0.1:${server.address().port}`;
// The client keeps its session for 30 s unused: the server ends them, so the run ends now.
after(() => new Promise((r) => { for (const session of open) session.destroy(); server.close(r); }));

test('http2Fetch: forty requests at once share one session, with one error listener (no leak warning)', async () => {
  const responses = await Promise.all(Array.from({ length: 40 }, () => http2Fetch(`${origin}/dns-query`)));
  assert.ok(responses.every((r) => r.ok && r.status === 200));
  assert.deepEqual([...new Uint8Array(await responses[0].arrayBuffer())], [1, 2, 3]);
  assert.equal(sessions, 1);
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(warnings, []);
});

test('http2Fetch: a stream closed before any response is an error, not a response with status 0', async () => {
  await assert.rejects(http2Fetch(`${origin}/bare`), /ended without a response|closed with code/);
});
