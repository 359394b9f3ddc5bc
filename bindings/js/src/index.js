// mailsrv for Node (the `node` export condition): the browser entry's API, loaded at import
// (top-level await: every export is ready to use) from the planner's Node build (node.js), plus
// the Node-only resolvers and prober. `init()` is here too (already settled) so that code
// written for both runs on both.
export { Discovery, verifyChain, certificatesFromPem, version, isForeignResponse, errorCode, lookupFailure, init, initValidating, discover } from './node.js';
export { WasmLoadError } from './load.js';
import { dohResolver as dohWithFetch, isHttpUrl } from './doh.js';

/**
 * `fixtureFetch(dir)`: a `fetch` for `discover` that answers every request offline from
 * `dir/<host>/<path>` by the core's rules (the query string ignored, a missing file is 404;
 * `<file>.content-type` gives a content type other than `text/xml`). Loaded on first use.
 */
export async function fixtureFetch(dir) {
  const { fixtureFetch: make } = await import('./fixtures.js');
  return make(dir);
}

/** `probe` needs Node's net and tls; it is loaded on first use. */
export async function probe(email, options) {
  const { probe: run } = await import('./probe.js');
  return run(email, options);
}

/**
 * `zoneResolver` answers from master files with the zone host, a WebAssembly module of its own
 * (`mailsrv/zone`), loaded on first use.
 */
export async function zoneResolver(zones) {
  const { zoneResolver: make } = await import('./zone.js');
  return make(zones);
}

/** `udpResolver` needs Node's dgram and net; it is loaded on first use. */
export async function udpResolver(options = {}) {
  const { udpResolver: make } = await import('./udp.js');
  return make(options);
}

/**
 * Bulk mode: `discoverMany(lines, options)` is an async iterator of `{ input, plan }` or
 * `{ input, error }`, with at most `concurrency` lines started and not yet consumed (see
 * `src/bulk.js`); loaded on first use.
 */
export async function* discoverMany(lines, options) {
  const { discoverMany: run } = await import('./bulk.js');
  yield* run(lines, options);
}

/** The lines of a stream for `discoverMany`, at most 1,024 characters each kept. */
export async function* linesOf(stream) {
  const { linesOf: run } = await import('./bulk.js');
  yield* run(stream);
}

/** One pool of UDP sockets shared by many discoveries, message IDs unique in flight. */
export async function udpPool(options = {}) {
  const { udpPool: make } = await import('./bulk.js');
  return make(options);
}

/**
 * `dohResolver(url, options)` of `src/doh.js`, in Node over HTTP/2 for an https URL unless
 * `options.fetch` is given: Node's `fetch` speaks only HTTP/1.1, some DoH servers (Unbound's)
 * only HTTP/2, the version RFC 8484 §5.2 recommends. Browsers negotiate it themselves.
 */
export function dohResolver(url, options = {}) {
  if (options.fetch !== undefined || !isHttpUrl(url) || new URL(String(url)).protocol !== 'https:') return dohWithFetch(url, options);
  const http2 = async (...args) => (await import('./http2-fetch.js')).http2Fetch(...args);
  return dohWithFetch(url, { ...options, fetch: http2 });
}
