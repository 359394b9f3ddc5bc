// A minimal fetch over HTTP/2 for DNS over HTTPS from Node: some DoH servers (Unbound among
// them) speak only HTTP/2, which Node's built-in fetch does not negotiate.
import http2 from 'node:http2';

/** The longest body kept: a DNS message is at most 65,535 bytes; past it the request fails. */
const MAX_BODY = 65535;

/**
 * `fetch(url, {method, headers, body, signal})` → `{ok, status, arrayBuffer()}` over HTTP/2; a
 * body longer than MAX_BODY rejects with `TOO_MUCH_DATA` and closes the session.
 */
export function http2Fetch(url, { method = 'GET', headers = {}, body, signal } = {}) {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const session = http2.connect(u.origin);
    const close = () => session.close();
    session.on('error', (e) => { close(); reject(e); });
    const request = session.request({ ':method': method, ':path': u.pathname + u.search, ...headers });
    const abort = () => { request.close(http2.constants.NGHTTP2_CANCEL); close(); reject(Object.assign(new Error('aborted'), { name: 'AbortError' })); };
    signal?.addEventListener('abort', abort, { once: true });
    const chunks = [];
    let status = 0;
    request.on('response', (h) => { status = h[':status']; });
    let length = 0;
    request.on('data', (c) => {
      length += c.length;
      if (length > MAX_BODY) {
        request.close(http2.constants.NGHTTP2_CANCEL);
        close();
        reject(Object.assign(new Error(`the answer is longer than a DNS message (${MAX_BODY} bytes)`), { code: 'TOO_MUCH_DATA' }));
        return;
      }
      chunks.push(c);
    });
    request.on('error', (e) => { close(); reject(e); });
    request.on('end', () => {
      signal?.removeEventListener('abort', abort);
      close();
      const data = Buffer.concat(chunks);
      resolve({ ok: status >= 200 && status < 300, status, arrayBuffer: async () => data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) });
    });
    if (body) request.end(Buffer.from(body));
    else request.end();
  });
}
