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
 * `dnssec` says how this entry validates DNSSEC (decision D43): `validating`, for the browser
 * entry, loads the validating planner (`mailsrv_validating`) and returns its exports (unset: the
 * planner module of `wasm` validates itself, as the Node build does). Every entry validates a
 * DoH resolver's answers by default (Node, the CLI and the browser).
 * @param {any} wasm
 * @param {() => Promise<void>} init
 * @param {undefined | (() => Promise<any>)} [webPlanner]
 * @param {{ validating?: () => Promise<any> }} [dnssec]
 */
export function makeDiscover(wasm, init, webPlanner, { validating } = {}) {
  /** Picks a random 16-bit message-ID base for UDP (DoH keeps 0, RFC 8484 §4.1). */
  function randomIdBase() {
    const a = new Uint16Array(1);
    globalThis.crypto.getRandomValues(a);
    return a[0];
  }

  // Random seeds, drawn from the OS 256 at a time (one call per plan cost bulk mode 1 % of its CPU).
  const seeds = new BigUint64Array(256);
  let seedsUsed = seeds.length;
  function randomSeed() {
    if (seedsUsed === seeds.length) { globalThis.crypto.getRandomValues(seeds); seedsUsed = 0; }
    return seeds[seedsUsed++];
  }

  /**
   * `totalTimeout` checked: a positive number of milliseconds, or the core's default (read from
   * the planner module `from`, loaded) when absent.
   * @param {unknown} value
   * @param {any} [from]
   */
  function totalTimeoutOf(value, from = wasm) {
    if (value === undefined) return from.defaultTotalTimeout();
    if (typeof value !== 'number' || !(value > 0)) {
      throw Object.assign(new Error('totalTimeout must be a positive number of milliseconds'), { code: 'INVALID_ARGUMENT' });
    }
    return value;
  }

  /**
   * The core's `dnssec` option for this discovery (`{ now, trustAnchors? }`), or undefined when it
   * does not validate: `validate: false` turns it off, `validate: true` or a `dnssec` object
   * (`{ trustAnchors?, now? }`) on; otherwise it is on for a DoH resolver (D43),
   * unless the host trusts the resolver's AD bit (`trustAd`) or asserts a status itself
   * (`dnssec` as a string). `now`: seconds since 1970 or a `Date` (default: this clock);
   * `trustAnchors`: a trust-anchor file's text (default: the core's IANA root anchors). The core
   * checks the anchors and refuses any other key.
   */
  function validationOf({ validate, dnssec, trustAd, resolver }) {
    if (validate !== undefined && typeof validate !== 'boolean') throw invalid('validate must be true or false');
    const asked = typeof dnssec === 'object' && dnssec !== null;
    if (dnssec !== undefined && !asked && typeof dnssec !== 'string') throw invalid('dnssec must be a status the host asserts (a string) or validation options ({ trustAnchors, now })');
    if (validate === false) {
      if (asked) throw invalid('validate: false contradicts the dnssec validation options', 'INVALID_OPTION');
      return undefined;
    }
    if (typeof dnssec === 'string') {
      if (validate === true) throw invalid('validate: true contradicts a dnssec status asserted by the host', 'INVALID_OPTION');
      return undefined;
    }
    if (!(validate === true || asked || (resolver.doh === true && !trustAd))) return undefined;
    const { now, ...rest } = asked ? dnssec : {};
    const seconds = now instanceof Date ? Math.floor(now.getTime() / 1000) : now ?? Math.floor(Date.now() / 1000);
    if (!Number.isSafeInteger(seconds) || seconds < 0) throw invalid('dnssec.now must be seconds since 1970 (a non-negative integer) or a Date', 'INVALID_OPTION');
    return { ...rest, now: seconds };
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
   * answer, or DNSSEC validation options `{ trustAnchors, now }`: see `validationOf`), `validate`,
   * `fetch` and `totalTimeout` (ms, default: the core's 60 s): a deadline for the whole
   * discovery, TCP retries and HTTP requests included, whatever the resolver's own timeout per
   * query. A question or request still open then fails as `timeout` and the plan is made from
   * what arrived.
   *
   * With validation, the validator's DS and DNSKEY questions go out with the SRV questions, over
   * the same resolver (`query`, then `queryTcp` after truncation), and every question the core
   * adds after an answer is sent as soon as it is known, until none is pending or time is out.
   *
   * HTTP sources (provider autoconfig, well-known, ISPDB, MX-derived; decision D26) are asked for
   * only when the caller gives `fetch` (a `fetch`-like function: the default sources are then the
   * core's, every source but plain HTTP) or names them in `sources` (then `globalThis.fetch` is
   * used when no `fetch` is given). Node only: the browser module has no autoconfig parser, and
   * asking for HTTP sources there throws `INVALID_OPTION` (D38).
   */
  function discover(email, options) {
    return discoverAs(email, options, planObject);
  }

  /**
   * `discover`, except that the plan is made by `finish(discovery, seed)` (a planner module's
   * `Discovery`, all answers in) instead of `discovery.plan({ seed })`: bulk mode asks the Node
   * build for the plan's JSON text (`planText`) to write it as it is.
   */
  async function discoverAs(email, { resolver, seed, dnssec, validate, totalTimeout, fetch, ...options } = {}, finish = planObject) {
    if (!resolver || typeof resolver.query !== 'function') {
      throw invalid('discover() needs a resolver with a query(wire) method');
    }
    const validation = validationOf({ validate, dnssec, trustAd: options.trustAd, resolver });
    if (validation) options.dnssec = validation;
    // The planner module: the browser entry's validating planner (loaded now that validation is
    // asked for; it carries everything discover needs, so the browser module is not loaded
    // too), else this entry's own, loaded if the page has not (browser entry).
    const mod = validation && validating ? await validating() : (await init(), wasm);
    const { isForeignResponse, lookupFailure } = mod;
    if (fetch !== undefined && typeof fetch !== 'function') throw invalid('fetch must be a fetch-like function');
    const limit = totalTimeoutOf(totalTimeout, mod);
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
    const discovery = new (web ? web.Discovery : mod.Discovery)(email, options);
    const controller = new AbortController();
    // Each question in flight listens to this signal, and with validation more than Node's
    // default ten may be: not a leak, so no warning (Node only).
    setMaxListeners?.(0, controller.signal);
    /** @type {Promise<never>} rejects with TIMEOUT when the whole discovery is out of time */
    let expire;
    const expired = new Promise((_, reject) => { expire = reject; });
    expired.catch(() => {}); // raced below; an unused rejection is not an error
    // One timer for the whole discovery: at the deadline, what is still open fails as TIMEOUT.
    const timer = setTimeout(() => {
      expire(Object.assign(new Error(`no answer within the total time limit (${limit} ms)`), { code: 'TIMEOUT' }));
      controller.abort();
    }, limit);
    // Set once every question and request has settled: nothing is left open to abort (aborting
    // costs an event and a DOMException per discovery, a tenth of bulk mode's CPU).
    let settled = false;
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
      const receiveOptions = typeof dnssec === 'string' ? { dnssec } : undefined;
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
      // The validator's questions (DS, DNSKEY, follow-ups) as soon as the core lists them: the
      // first ones now, with the SRV questions; more after any answer may reveal them. Each is
      // sent once; one still unanswered after its TCP retry (or without TCP) is failed.
      const asked = new Set();
      const tasks = [];
      const validateMore = () => {
        if (!validation) return;
        for (const q of discovery.pendingDnssec()) {
          if (asked.has(q.messageId)) continue;
          asked.add(q.messageId);
          const feed = (a) => discovery.receiveDnssec(q.messageId, a);
          const fail = () => discovery.failDnssec(q.messageId);
          tasks.push((async () => {
            let outcome = await ask(q, 'query', feed, fail);
            if (outcome === 'truncated' && typeof resolver.queryTcp === 'function') outcome = await ask(q, 'queryTcp', feed, fail);
            if (outcome === 'truncated') fail();
          })().then(validateMore));
        }
      };
      const mx = web ? discovery.mxQuery() : undefined;
      tasks.push(
        ...queries.map((q) => lookup(q, (a) => discovery.receive(q.id, a, receiveOptions), (f) => discovery.fail(q.id, f)).then(validateMore)),
        ...(mx ? [lookup(mx, (a) => discovery.receiveMx(a, receiveOptions), (f) => discovery.failMx(f)).then(launch).then(validateMore)] : []),
      );
      validateMore();
      // Until no question is in flight: a task that settles may have added more.
      while (tasks.length > 0) await Promise.all(tasks.splice(0));
      await Promise.all(fetches);
      settled = true;
      return finish(discovery, seed ?? randomSeed());
    } finally {
      clearTimeout(timer);
      // On an error: lets the resolver and fetch close what they still have open.
      if (!settled) controller.abort();
      discovery.free();
    }
  }

  return { discover, discoverAs, totalTimeoutOf };
}

/** The plan as `discover` returns it. */
const planObject = (discovery, seed) => discovery.plan({ seed });

/** Node's `events.setMaxListeners` (undefined elsewhere; reached without an import). */
const setMaxListeners = globalThis.process?.getBuiltinModule?.('events')?.setMaxListeners;

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
