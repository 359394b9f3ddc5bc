// `connectFetch({connectTo, ca})`: a `fetch`-like function over node:http(s) for the CLI's
// `--connect-to HOST:PORT:ADDR:PORT` (curl's syntax; decision D48) and `--http-anchors`. A rule
// only changes where the TCP connection goes: the URL, the Host header, SNI and the certificate's
// name check are the URL's, so the core's rules about URLs see exactly what they would without
// it. Node only.
import http from 'node:http';
import https from 'node:https';
import { setMaxListeners } from 'node:events';
import { isIP } from 'node:net';
import { checkServerIdentity } from 'node:tls';

/** Parses `HOST:PORT:ADDR:PORT` (empty HOST or PORT matches any; ADDR an IP, IPv6 in brackets). */
export function parseConnectTo(v) {
  const m = /^([^:]*):(\d*):(\[[0-9a-fA-F:.]+\]|[0-9.]+):(\d*)$/.exec(String(v));
  const port = (p) => (p === '' ? undefined : Number(p));
  const addr = m?.[3].replace(/^\[|\]$/g, '');
  if (!m || !isIP(addr) || [m[2], m[4]].some((p) => p !== '' && !(Number(p) >= 1 && Number(p) <= 65535))) {
    throw new Error(`--connect-to "${v}" is not HOST:PORT:ADDR:PORT (ADDR an IP address)`);
  }
  return { host: m[1].toLowerCase(), port: port(m[2]), addr, toPort: port(m[4]) };
}

/** A fetch for `discover()`: GET only, no redirects followed (the caller follows them). */
export function connectFetch({ connectTo = [], ca } = {}) {
  return function fetchMapped(url, { headers = {}, signal } = {}) {
    const u = new URL(url);
    const secure = u.protocol === 'https:';
    const port = Number(u.port || (secure ? 443 : 80));
    const host = u.hostname.replace(/^\[|\]$/g, '');
    const rule = connectTo.find((r) => (r.host === '' || r.host === host.toLowerCase()) && (r.port === undefined || r.port === port));
    // Every request of a discovery listens to its one signal: more than EventTarget's default 10.
    if (signal) setMaxListeners(0, signal);
    return new Promise((resolve, reject) => {
      const request = (secure ? https : http).request({
        method: 'GET',
        host: rule ? rule.addr : host,
        port: rule?.toPort ?? port,
        path: u.pathname + u.search,
        headers: { ...headers, host: u.host },
        // A fresh connection per request, like the other hosts: no keep-alive pool outlives a discovery.
        agent: false,
        // SNI and the certificate's name check are the URL's host, never the address connected to.
        ...(secure ? { servername: isIP(host) ? undefined : host, checkServerIdentity: (_, cert) => checkServerIdentity(host, cert), ...(ca ? { ca } : {}) } : {}),
        signal,
      }, (res) => {
        const h = new Headers();
        for (const [k, v] of Object.entries(res.headers)) h.set(k, Array.isArray(v) ? v.join(', ') : String(v));
        const body = new ReadableStream({
          start(controller) {
            res.on('data', (c) => controller.enqueue(new Uint8Array(c)));
            res.on('end', () => controller.close());
            res.on('error', (e) => controller.error(e));
          },
          cancel() { res.destroy(); },
        });
        resolve(new Response(res.statusCode === 204 || res.statusCode === 304 ? null : body, { status: res.statusCode, headers: h }));
      });
      request.on('error', reject);
      request.end();
    });
  };
}
