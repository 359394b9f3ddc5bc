// A minimal fetch over HTTP/2 for DNS over HTTPS from Node: some DoH servers (Unbound among
// them) speak only HTTP/2, which Node's built-in fetch does not negotiate. One session per
// origin carries every request (a discovery asks six questions or more at once, and bulk mode
// thousands): a TLS handshake per origin, not per query.
import http2 from 'node:http2';

/** The longest body kept: a DNS message is at most 65,535 bytes; past it the request fails. */
const MAX_BODY = 65535;

/** How long an unused session stays open, in ms. */
const IDLE_MS = 30000;

/** The open sessions, by origin. */
const sessions = new Map();

/**
 * Each session's requests still open, told of a session error: one listener per session, not
 * one per request (thousands in bulk mode; Node warns past ten listeners).
 * @type {WeakMap<http2.ClientHttp2Session, Set<(error: Error) => void>>}
 */
const openRequests = new WeakMap();

/**
 * The session to `origin`, opened if there is none. It does not keep the process alive (each
 * request has its caller's timer); it is forgotten when it closes, fails or is told to go away,
 * and closed after `IDLE_MS` without a request.
 */
function sessionTo(origin) {
  const open = sessions.get(origin);
  if (open && !open.closed && !open.destroyed) return open;
  const session = http2.connect(origin);
  const forget = () => { if (sessions.get(origin) === session) sessions.delete(origin); };
  session.on('close', forget);
  session.on('goaway', forget);
  const requests = new Set();
  openRequests.set(session, requests);
  session.on('error', (e) => {
    forget();
    for (const fail of [...requests]) fail(e);
  });
  session.setTimeout(IDLE_MS, () => session.close());
  session.unref();
  sessions.set(origin, session);
  return session;
}

/**
 * `fetch(url, {method, headers, body, signal})` → `{ok, status, arrayBuffer()}` over HTTP/2; a
 * body longer than MAX_BODY rejects with `TOO_MUCH_DATA` and cancels that request.
 */
export function http2Fetch(url, { method = 'GET', headers = {}, body, signal } = {}) {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    let session;
    let request;
    try {
      session = sessionTo(u.origin);
      request = session.request({ ':method': method, ':path': u.pathname + u.search, ...headers });
    } catch (e) {
      reject(e);
      return;
    }
    let settled = false;
    const onSessionError = (e) => finish(e);
    const open = openRequests.get(session);
    const abort = () => {
      request.close(http2.constants.NGHTTP2_CANCEL);
      finish(Object.assign(new Error('aborted'), { name: 'AbortError' }));
    };
    function finish(error, response) {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', abort);
      open?.delete(onSessionError);
      if (error) reject(error);
      else resolve(response);
    }
    open?.add(onSessionError);
    signal?.addEventListener('abort', abort, { once: true });
    if (signal?.aborted) { abort(); return; }
    const chunks = [];
    let status = 0;
    let length = 0;
    request.on('response', (h) => { status = h[':status']; });
    request.on('data', (c) => {
      length += c.length;
      if (length > MAX_BODY) {
        request.close(http2.constants.NGHTTP2_CANCEL);
        finish(Object.assign(new Error(`the answer is longer than a DNS message (${MAX_BODY} bytes)`), { code: 'TOO_MUCH_DATA' }));
        return;
      }
      chunks.push(c);
    });
    request.on('error', (e) => finish(e));
    request.on('close', () => finish(new Error(`the HTTP/2 stream closed with code ${request.rstCode} before its end`)));
    request.on('end', () => {
      if (status === 0) {
        finish(new Error('the HTTP/2 stream ended without a response'));
        return;
      }
      const data = Buffer.concat(chunks);
      finish(undefined, { ok: status >= 200 && status < 300, status, arrayBuffer: async () => data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) });
    });
    if (body) request.end(Buffer.from(body));
    else request.end();
  });
}
