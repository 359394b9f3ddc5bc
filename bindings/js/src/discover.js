// discover(): the whole flow with every question in flight at once, over a planner module's
// bindings: the browser module (discover-web.js) or the Node build (node.js), which export the
// same API.

const invalid = (message, code = 'INVALID_ARGUMENT') => Object.assign(new Error(message), { code });

/**
 * `discover` and `totalTimeoutOf` over `wasm` (a planner module's exports: `Discovery`,
 * `isForeignResponse`, `lookupFailure`, `defaultTotalTimeout`); `init` loads that module.
 * `webPlanner`, for the Node entry, loads the `mailsrv_host` module (the core's autoconfig
 * parser) and returns its `Discovery` and web rules; the browser entry leaves it unset: its
 * module has no autoconfig parser (docs/decisions.md D38).
 * @param {any} wasm
 * @param {() => Promise<void>} init
 * @param {undefined | (() => Promise<any>)} [webPlanner]
 */
export function makeDiscover({ Discovery, isForeignResponse, lookupFailure, defaultTotalTimeout }, init, webPlanner) {
  /** Picks a random 16-bit message-ID base for UDP (DoH keeps 0, RFC 8484 §4.1). */
  function randomIdBase() {
    const a = new Uint16Array(1);
    globalThis.crypto.getRandomValues(a);
    return a[0];
  }

  function randomSeed() {
    const a = new Uint32Array(2);
    globalThis.crypto.getRandomValues(a);
    return (BigInt(a[0]) << 32n) | BigInt(a[1]);
  }

  /**
   * `totalTimeout` checked: a positive number of milliseconds, or the core's default when absent.
   * @param {unknown} value
   */
  function totalTimeoutOf(value) {
    if (value === undefined) return defaultTotalTimeout();
    if (typeof value !== 'number' || !(value > 0)) {
      throw Object.assign(new Error('totalTimeout must be a positive number of milliseconds'), { code: 'INVALID_ARGUMENT' });
    }
    return value;
  }

  /**
   * Runs a discovery: sends every question through `resolver` at once, feeds the answers, and
   * returns the plan. `resolver.query(wire, question, { signal })` resolves to the wire response
   * or rejects with an error whose `code` is a host code of the core's error table (`"TIMEOUT"`,
   * `"NETWORK_ERROR"`); `signal` aborts when the whole discovery is out of time. When the core
   * says an answer was truncated, the question is asked again with `resolver.queryTcp(wire, ...)`
   * if the resolver has it.
   * Options: the planner options (`minimumSecurity`, `tlsOrder`, `prefer`, `trustAd`, `sources`,
   * `ispdbUrl`, ...), plus `seed` (default: random), `dnssec` (a status the host asserts for every
   * answer), `fetch` and `totalTimeout` (ms, default: the core's 60 s): a deadline for the whole
   * discovery, TCP retries and HTTP requests included, whatever the resolver's own timeout per
   * query. A question or request still open then fails as `timeout` and the plan is made from
   * what arrived.
   *
   * HTTP sources (provider autoconfig, well-known, ISPDB, MX-derived; decision D26) are asked for
   * only when the caller gives `fetch` (a `fetch`-like function: the default sources are then the
   * core's, every source but plain HTTP) or names them in `sources` (then `globalThis.fetch` is
   * used when no `fetch` is given). Node only: the browser module has no autoconfig parser, and
   * asking for HTTP sources there throws `INVALID_OPTION` (D38).
   */
  async function discover(email, { resolver, seed, dnssec, totalTimeout, fetch, ...options } = {}) {
    await init(); // loads the planner's WebAssembly if the page has not (browser entry)
    if (!resolver || typeof resolver.query !== 'function') {
      throw invalid('discover() needs a resolver with a query(wire) method');
    }
    if (fetch !== undefined && typeof fetch !== 'function') throw invalid('fetch must be a fetch-like function');
    const limit = totalTimeoutOf(totalTimeout);
    const wantsHttp = fetch !== undefined || (Array.isArray(options.sources) && options.sources.some((s) => s !== 'srv'));
    let web;
    if (wantsHttp) {
      if (!webPlanner) {
        throw invalid('HTTP sources (autoconfig, well-known, ISPDB, MX) need the autoconfig parser, which the browser module leaves out: plan them in Node, or with a server-side proxy (docs/decisions.md D38)', 'INVALID_OPTION');
      }
      web = await webPlanner();
      if (options.sources === undefined) options.sources = web.hostSources(undefined, fetch !== undefined);
    }
    if (resolver.randomIds && options.messageIdBase === undefined) options.messageIdBase = randomIdBase();
    const discovery = new (web ? web.Discovery : Discovery)(email, options);
    const controller = new AbortController();
    /** @type {Promise<never>} rejects with TIMEOUT when the whole discovery is out of time */
    const expired = new Promise((_, reject) => {
      controller.signal.addEventListener('abort', () => reject(Object.assign(new Error(`no answer within the total time limit (${limit} ms)`), { code: 'TIMEOUT' })), { once: true });
    });
    expired.catch(() => {}); // raced below; an unused rejection is not an error
    const timer = setTimeout(() => controller.abort(), limit);
    try {
      const queries = discovery.queries();
      // Asks `q` with `resolver[method]` and feeds the answer with `feed`/`fail`; returns the
      // core's outcome, or null when the question failed (a host error, the deadline, or a
      // response to another question).
      const ask = async (q, method, feed, fail) => {
        let answer;
        try {
          answer = await Promise.race([resolver[method](q.wire, q, { signal: controller.signal }), expired]);
        } catch (e) {
          fail(lookupFailure(typeof e?.code === 'string' ? e.code : undefined));
          return null;
        }
        try {
          return feed(answer);
        } catch (e) {
          // A response to another question: the lookup failed, the discovery goes on.
          if (!isForeignResponse(String(e?.code))) throw e;
          fail(lookupFailure(e.code));
          return null;
        }
      };
      const receiveOptions = dnssec ? { dnssec } : undefined;
      const lookup = async (q, feed, fail) => {
        if ((await ask(q, 'query', feed, fail)) === 'truncated' && typeof resolver.queryTcp === 'function') await ask(q, 'queryTcp', feed, fail);
      };
      // Every HTTP request as soon as it is known: the first round now, the MX-derived ones when
      // the MX answer is in.
      const started = new Set();
      const fetches = [];
      const launch = () => {
        for (const r of discovery.pendingRequests()) {
          if (started.has(r.id)) continue;
          started.add(r.id);
          fetches.push(fetchInto(discovery, r, { web, fetch: fetch ?? globalThis.fetch, signal: controller.signal, expired }));
        }
      };
      if (web) launch();
      const mx = web ? discovery.mxQuery() : undefined;
      await Promise.all([
        ...queries.map((q) => lookup(q, (a) => discovery.receive(q.id, a, receiveOptions), (f) => discovery.fail(q.id, f))),
        ...(mx ? [lookup(mx, (a) => discovery.receiveMx(a, receiveOptions), (f) => discovery.failMx(f)).then(launch)] : []),
      ]);
      await Promise.all(fetches);
      return discovery.plan({ seed: seed ?? randomSeed() });
    } finally {
      clearTimeout(timer);
      controller.abort(); // lets the resolver and fetch close what they still have open
      discovery.free();
    }
  }

  return { discover, totalTimeoutOf };
}

/** The statuses of a redirect that `fetch` with `redirect: 'manual'` hands back. */
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * Performs request `r` with `fetch` and feeds the result to the discovery: redirects followed
 * by hand, each checked by the core (`redirectAllowed`: https only, unless the request was
 * plain HTTP) and at most `maxHttpRedirects()` of them, the whole chain counting as `r`'s
 * source; a 2xx body read up to the core's cap (`maxHttpBodyBytes()`, else `too-large`); the
 * whole discovery's deadline bounding it all.
 */
async function fetchInto(discovery, r, { web, fetch, signal, expired }) {
  let outcome;
  try {
    outcome = await Promise.race([get(r.url, { web, fetch, signal }), expired]);
  } catch (e) {
    outcome = { failure: e?.code === 'TIMEOUT' || e?.name === 'AbortError' || e?.name === 'TimeoutError' ? 'timeout' : httpFailureOf(e) };
  }
  if (outcome.failure) discovery.failHttp(r.id, outcome.failure);
  else discovery.receiveHttp(r.id, outcome.status, outcome.contentType, outcome.body);
}

/** The failure for an error `fetch` rejected with: `tls-error` for certificate and TLS errors. */
function httpFailureOf(e) {
  const code = String(e?.cause?.code ?? e?.code ?? '');
  return /CERT|TLS|SSL|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER/.test(code) ? 'tls-error' : 'network-error';
}

async function get(first, { web, fetch, signal }) {
  let url = first;
  for (let hops = 0; ; hops += 1) {
    const response = await fetch(url, { redirect: 'manual', signal, headers: { accept: 'application/xml, text/xml;q=0.9, */*;q=0.1' } });
    if (response.type === 'opaqueredirect') return { failure: 'network-error' }; // a browser's fetch hides where to
    const location = REDIRECTS.has(response.status) ? response.headers.get('location') : null;
    if (location !== null) {
      await response.body?.cancel();
      let next;
      try {
        next = new URL(location, url).href;
      } catch {
        return { failure: 'network-error' };
      }
      if (!web.redirectAllowed(first, next)) return { failure: 'insecure-redirect' };
      if (hops >= web.maxHttpRedirects()) return { failure: 'network-error' };
      url = next;
      continue;
    }
    // A host-supplied fetch that followed redirects itself: its final URL is checked too.
    if (response.redirected && response.url && !web.redirectAllowed(first, response.url)) {
      await response.body?.cancel();
      return { failure: 'insecure-redirect' };
    }
    const contentType = response.headers.get('content-type');
    if (response.status < 200 || response.status > 299) {
      // The core reads the body of a 2xx response only (D30).
      await response.body?.cancel();
      return { status: response.status, contentType, body: new Uint8Array(0) };
    }
    const body = await readCapped(response, web.maxHttpBodyBytes());
    return body === null ? { failure: 'too-large' } : { status: response.status, contentType, body };
  }
}

/** The body of `response`, or null once it passes `max` bytes (reading stops there). */
async function readCapped(response, max) {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > max) {
    await response.body?.cancel();
    return null;
  }
  if (!response.body) {
    const bytes = new Uint8Array(await response.arrayBuffer());
    return bytes.length > max ? null : bytes;
  }
  const reader = response.body.getReader();
  const chunks = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > max) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}
