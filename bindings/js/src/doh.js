// DNS over HTTPS (RFC 8484) with fetch: GET or POST, application/dns-message.
import { readCapped } from './body.js';

function base64url(bytes) {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** A DNS message is at most 65,535 bytes (RFC 1035 §4.2.2, RFC 8484 §6): a longer body is refused. */
const MAX_DNS_MESSAGE = 65535;

const tooMuch = () => Object.assign(new Error(`the DoH answer is longer than a DNS message (${MAX_DNS_MESSAGE} bytes)`), { code: 'TOO_MUCH_DATA' });

/** The body of `response`, refused past MAX_DNS_MESSAGE bytes as it is read (`readCapped`). */
async function bodyOf(response) {
  const body = await readCapped(response, MAX_DNS_MESSAGE);
  if (body === null) throw tooMuch();
  return body;
}

/** Whether `url` is an absolute http: or https: URL. */
export function isHttpUrl(url) {
  try {
    const { protocol } = new URL(String(url));
    return protocol === 'https:' || protocol === 'http:';
  } catch {
    return false;
  }
}

/**
 * A resolver that sends each query to the DoH endpoint `url`. Options: `method` (`"POST"`,
 * the default, or `"GET"`), `fetch` (default: globalThis.fetch), `timeout` in ms (default 5000)
 * for each query as a whole (the body included); `discover()`'s `signal` aborts a query still
 * open when the discovery is out of time. A body longer than a DNS message is `TOO_MUCH_DATA`.
 * The message ID stays 0 for HTTP caches (RFC 8484 §4.1). Errors carry the core's host codes
 * `TIMEOUT` and `NETWORK_ERROR`. `doh: true` tells `discover` that answers come from a resolver
 * it does not run: in Node it validates DNSSEC then unless told not to (D43). A `url` that is
 * not an http(s) URL is `INVALID_OPTION`.
 */
export function dohResolver(url, { method = 'POST', fetch: fetchFn = globalThis.fetch, timeout = 5000 } = {}) {
  if (method !== 'GET' && method !== 'POST') throw Object.assign(new Error('method must be GET or POST'), { code: 'INVALID_ARGUMENT' });
  if (!isHttpUrl(url)) throw Object.assign(new Error(`"${url}" is not an https:// (or http://) URL`), { code: 'INVALID_OPTION' });
  return {
    randomIds: false,
    doh: true,
    async query(wire, _question, { signal } = {}) {
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), timeout);
      const abort = () => controller.abort();
      signal?.addEventListener('abort', abort, { once: true });
      if (signal?.aborted) controller.abort();
      try {
        const headers = { accept: 'application/dns-message' };
        const response =
          method === 'GET'
            ? await fetchFn(`${url}${url.includes('?') ? '&' : '?'}dns=${base64url(wire)}`, { headers, signal: controller.signal })
            : await fetchFn(url, {
                method: 'POST',
                headers: { ...headers, 'content-type': 'application/dns-message' },
                body: wire,
                signal: controller.signal,
              });
        if (!response.ok) {
          // Its body is not read: released now, not when the response is collected.
          await response.body?.cancel().catch(() => {});
          throw Object.assign(new Error(`DoH server answered HTTP ${response.status}`), { code: 'NETWORK_ERROR' });
        }
        return await bodyOf(response);
      } catch (e) {
        if (e?.name === 'AbortError' || controller.signal.aborted) throw Object.assign(new Error(`no DoH answer within ${timeout} ms`), { code: 'TIMEOUT' });
        if (e?.code === 'NETWORK_ERROR' || e?.code === 'TOO_MUCH_DATA') throw e;
        // fetch's own message is "fetch failed"; what failed is its cause's (ECONNREFUSED, a TLS error).
        const why = e?.cause?.message ? `${e.message}: ${e.cause.message}` : e?.message ?? String(e);
        throw Object.assign(new Error(why, { cause: e }), { code: 'NETWORK_ERROR' });
      } finally {
        clearTimeout(timer);
        signal?.removeEventListener('abort', abort);
      }
    },
  };
}
