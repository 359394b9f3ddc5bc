// DNS over HTTPS (RFC 8484) with fetch: GET or POST, application/dns-message.

function base64url(bytes) {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/**
 * A resolver that sends each query to the DoH endpoint `url`. Options: `method` (`"POST"`,
 * the default, or `"GET"`), `fetch` (default: globalThis.fetch), `timeout` in ms (default 5000).
 * The message ID stays 0 for HTTP caches (RFC 8484 §4.1). Errors carry the core's host codes
 * `TIMEOUT` and `NETWORK_ERROR`.
 */
export function dohResolver(url, { method = 'POST', fetch: fetchFn = globalThis.fetch, timeout = 5000 } = {}) {
  if (method !== 'GET' && method !== 'POST') throw Object.assign(new Error('method must be GET or POST'), { code: 'INVALID_ARGUMENT' });
  return {
    randomIds: false,
    async query(wire) {
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), timeout);
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
        if (!response.ok) throw Object.assign(new Error(`DoH server answered HTTP ${response.status}`), { code: 'NETWORK_ERROR' });
        return new Uint8Array(await response.arrayBuffer());
      } catch (e) {
        if (e?.name === 'AbortError') throw Object.assign(new Error(`no DoH answer within ${timeout} ms`), { code: 'TIMEOUT' });
        if (e?.code === 'NETWORK_ERROR') throw e;
        throw Object.assign(new Error(e?.message ?? String(e), { cause: e }), { code: 'NETWORK_ERROR' });
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
