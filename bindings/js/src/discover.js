// discover(): the whole flow with every question in flight at once, over a planner module's
// bindings: the browser module (discover-web.js) or the Node build (node.js), which export the
// same API.
import { readCapped } from './body.js';

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
   * `totalTimeout` checked: a positive number of milliseconds, at most `MAX_TIMER_MS` (a
   * longer timer fires at once in Node and in browsers), or the core's default (read from the
   * planner module `from`, loaded) when absent.
   * @param {unknown} value
   * @param {any} [from]
   */
  function totalTimeoutOf(value, from = wasm) {
    if (value === undefined) return from.defaultTotalTimeout();
    if (typeof value !== 'number' || !(value > 0) || value > MAX_TIMER_MS) {
      throw Object.assign(new Error(`totalTimeout must be a positive number of milliseconds, at most ${MAX_TIMER_MS}`), { code: 'INVALID_ARGUMENT' });
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
    // No options: none for the module to read (reading an object costs a call per field).
    const discovery = new (web ? web.Discovery : mod.Discovery)(email, hasOwnKeys(options) ? options : undefined);
    const run = new Run(discovery, { resolver, mod, web, fetch, validation, limit, receiveOptions: typeof dnssec === 'string' ? { dnssec } : undefined });
    try {
      await run.done;
      return finish(discovery, seed ?? randomSeed());
    } finally {
      run.close();
      discovery.free();
    }
  }

  return { discover, discoverAs, totalTimeoutOf };
}

/** The longest timer `setTimeout` keeps (2^31 - 1 ms, about 24.8 days); past it, it fires at once. */
export const MAX_TIMER_MS = 0x7fffffff;

/**
 * The optional fast way a resolver takes a question (a symbol, so no other resolver has it by
 * chance): `resolver[ASK](wire, question, until, lookup)` sends `wire` and calls
 * `lookup.answered(answer)` or `lookup.failed(error)` once, by `until` (ms on the
 * `performance.now()` clock: the discovery's deadline) at the latest, with no promise and no
 * `AbortSignal` per question (bulk mode's UDP pool: BENCHMARKS.md, issue 16 §3; D67). A
 * discovery keeps its own deadline whatever the resolver does. Other resolvers are asked with
 * `query(wire, question, { signal })`.
 */
export const ASK = Symbol('mailsrv.ask');

/** Which answer a `Lookup` carries to the core. */
const SRV = 0;
const MX = 1;
const DNSSEC = 2;

/**
 * One discovery in flight (`discoverAs`): every question sent at once, each answer fed to the
 * core as it arrives, the validator's questions and the HTTP requests sent as the core lists
 * them; `done` resolves when nothing is open, or at the deadline (what is still open then fails
 * as `timeout`), and rejects on an error that is not a lookup's. One timer per discovery; an
 * `AbortController` only when something needs a signal (a resolver without `ASK`, TCP, HTTP).
 */
class Run {
  constructor(discovery, { resolver, mod, web, fetch, validation, limit, receiveOptions }) {
    this.discovery = discovery;
    this.resolver = resolver;
    this.mod = mod;
    this.web = web;
    this.fetch = fetch;
    this.validation = validation;
    this.receiveOptions = receiveOptions;
    this.limit = limit;
    this.until = performance.now() + limit;
    /** @type {Set<Lookup>} the questions open, failed as `timeout` at the deadline */
    this.open = new Set();
    /** questions and requests open, plus one while the first ones are being sent */
    this.pending = 1;
    this.finished = false;
    /** @type {AbortController | undefined} */
    this.controller = undefined;
    /** @type {Promise<never> | undefined} rejects with TIMEOUT at the deadline, once asked for */
    this.expired = undefined;
    this.expire = undefined;
    this.done = new Promise((resolve, reject) => { this.resolve = resolve; this.reject = reject; });
    this.timer = setTimeout(() => this.timeUp(), limit);
    /** the HTTP requests and the validator's questions started, by id */
    this.started = new Set();
    this.asked = new Set();
    this.guard(() => {
      for (const q of discovery.queries()) this.ask(new Lookup(this, q, SRV), 'query');
      if (web) {
        const mx = discovery.mxQuery();
        if (mx) this.ask(new Lookup(this, mx, MX), 'query');
        this.launch();
      }
      this.validateMore();
    });
    this.settle();
  }

  /** Runs `step`; an error in it (not a lookup's) ends the discovery with that error. */
  guard(step) {
    try {
      step();
    } catch (e) {
      this.end(e);
    }
  }

  /** Ends the discovery: resolved (`error` undefined) or rejected; later events are ignored. */
  end(error) {
    if (this.finished) return;
    this.finished = true;
    if (error === undefined) this.resolve();
    else this.reject(error);
  }

  /** `count` questions or requests have ended (default one); the discovery ends when none is left. */
  settle(count = 1) {
    this.pending -= count;
    if (this.pending === 0) this.end();
  }

  /** The signal and the deadline's promise for what needs them, made on first use. */
  control() {
    if (this.controller === undefined) {
      this.controller = new AbortController();
      // With validation more than Node's default ten listeners may wait: not a leak (Node only).
      setMaxListeners?.(0, this.controller.signal);
      this.expired = new Promise((_, reject) => { this.expire = reject; });
      this.expired.catch(() => {}); // raced; an unused rejection is not an error
    }
    return this.controller;
  }

  /**
   * Sends `lookup`'s question with `method` (`query` or `queryTcp`). A resolver that throws
   * instead of answering (or rejecting) fails the lookup, not the discovery.
   */
  ask(lookup, method) {
    this.pending += 1;
    this.open.add(lookup);
    const { resolver } = this;
    const { question } = lookup;
    if (method === 'query' && typeof resolver[ASK] === 'function') {
      try {
        resolver[ASK](question.wire, question, this.until, lookup);
      } catch (e) {
        lookup.failed(e);
      }
      return;
    }
    const { signal } = this.control();
    let answer;
    try {
      answer = resolver[method](question.wire, question, { signal });
    } catch (e) {
      answer = Promise.reject(e);
    }
    Promise.race([answer, this.expired]).then(
      (wire) => lookup.answered(wire),
      (e) => lookup.failed(e),
    );
  }

  /** What the core says after `lookup`'s answer or failure: more questions, requests, a retry. */
  after(lookup, outcome) {
    const { resolver } = this;
    const tcp = outcome === 'truncated' && !lookup.overTcp && typeof resolver.queryTcp === 'function';
    if (tcp) {
      // A lookup of its own: a late second call for the UDP question cannot pass for its answer.
      this.ask(new Lookup(this, lookup.question, lookup.kind, true), 'queryTcp');
    } else if (outcome === 'truncated' && lookup.kind === DNSSEC) {
      this.discovery.failDnssec(lookup.question.messageId);
    }
    if (!tcp && lookup.kind === MX) this.launch();
    this.validateMore();
  }

  /** Every HTTP request as soon as it is known: the first round now, MX-derived ones later. */
  launch() {
    const { discovery } = this;
    for (const r of discovery.pendingRequests()) {
      if (this.started.has(r.id)) continue;
      this.started.add(r.id);
      this.pending += 1;
      const { signal } = this.control();
      fetched(r, { web: this.web, fetch: this.fetch ?? globalThis.fetch, signal, expired: this.expired }).then((outcome) => {
        // Over (an error ended it; the discovery may be freed): the outcome goes nowhere.
        if (this.finished) return;
        this.guard(() => {
          if (outcome.failure) discovery.failHttp(r.id, outcome.failure);
          else discovery.receiveHttp(r.id, outcome.status, outcome.contentType, outcome.body);
        });
        if (!this.finished) this.settle();
      });
    }
  }

  /**
   * The validator's questions (DS, DNSKEY, follow-ups) as soon as the core lists them: the
   * first with the SRV questions, more after any answer. Each is sent once; one still
   * truncated after its TCP retry (or without TCP) is failed.
   */
  validateMore() {
    if (!this.validation) return;
    for (const q of this.discovery.pendingDnssec()) {
      if (this.asked.has(q.messageId)) continue;
      this.asked.add(q.messageId);
      this.ask(new Lookup(this, q, DNSSEC), 'query');
    }
  }

  /**
   * The deadline: every question still open fails as `timeout` now; HTTP requests still open
   * fail so as their promises see `expired`; the discovery ends when they have.
   */
  timeUp() {
    if (this.finished) return;
    const why = `no answer within the total time limit (${this.limit} ms)`;
    this.expire?.(Object.assign(new Error(why), { code: 'TIMEOUT' }));
    this.controller?.abort();
    const open = [...this.open];
    this.open.clear();
    this.guard(() => {
      const failure = this.mod.lookupFailure('TIMEOUT');
      for (const lookup of open) {
        lookup.live = false;
        lookup.fail(failure, why);
      }
    });
    if (!this.finished && open.length > 0) this.settle(open.length);
  }

  /** Stops the timer; on an error, lets the resolver and fetch close what they have open. */
  close() {
    clearTimeout(this.timer);
    if (this.pending !== 0) this.controller?.abort();
    this.finished = true;
  }
}

/** A question of a discovery in flight: the resolver calls `answered` or `failed` once. */
class Lookup {
  constructor(run, question, kind, overTcp = false) {
    this.run = run;
    this.question = question;
    this.kind = kind;
    this.live = true;
    /** whether this is the TCP retry after a truncated answer */
    this.overTcp = overTcp;
  }

  /** The answer `wire`: fed to the core (a response to another question fails the lookup). */
  answered(wire) {
    this.conclude(() => {
      let outcome = null;
      try {
        outcome = this.feed(wire);
      } catch (e) {
        // A response to another question: the lookup failed, the discovery goes on.
        if (!this.run.mod.isForeignResponse(String(e?.code))) throw e;
        this.fail(this.run.mod.lookupFailure(e.code), e.message);
      }
      this.run.after(this, outcome);
    });
  }

  /** The resolver's error (its `code` a host code of the core's table, or none). */
  failed(error) {
    this.conclude(() => {
      this.fail(this.run.mod.lookupFailure(typeof error?.code === 'string' ? error.code : undefined), error?.message);
      this.run.after(this, null);
    });
  }

  /** Runs `step` for the lookup's first outcome, unless the discovery is over; then settles it. */
  conclude(step) {
    const { run } = this;
    if (!this.live || run.finished) return;
    this.live = false;
    run.open.delete(this);
    run.guard(step);
    if (!run.finished) run.settle();
  }

  /** Feeds the answer `wire` to the core; returns its outcome. */
  feed(wire) {
    const { discovery, receiveOptions } = this.run;
    const q = this.question;
    if (this.kind === SRV) return discovery.receive(q.id, wire, receiveOptions);
    if (this.kind === MX) return discovery.receiveMx(wire, receiveOptions);
    return discovery.receiveDnssec(q.messageId, wire);
  }

  /**
   * Tells the core the question failed with `failure`; `because`, the host's reason (an error's
   * message), goes into the plan's `lookup-failed` diagnostic for an SRV question.
   */
  fail(failure, because) {
    const { discovery } = this.run;
    const q = this.question;
    if (this.kind === SRV) discovery.fail(q.id, failure, typeof because === 'string' ? because : undefined);
    else if (this.kind === MX) discovery.failMx(failure);
    else discovery.failDnssec(q.messageId);
  }
}


/** Whether `object` has a key of its own. */
function hasOwnKeys(object) {
  for (const key in object) if (Object.hasOwn(object, key)) return true;
  return false;
}

/** The plan as `discover` returns it. */
const planObject = (discovery, seed) => discovery.plan({ seed });

/** Node's `events.setMaxListeners` (undefined elsewhere; reached without an import). */
const setMaxListeners = globalThis.process?.getBuiltinModule?.('events')?.setMaxListeners;

/** The statuses of a redirect that `fetch` with `redirect: 'manual'` hands back. */
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * Performs request `r` with `fetch`; resolves (never rejects) to what the discovery is told:
 * `{ status, contentType, body }` or `{ failure }`. Redirects are followed by hand, each checked
 * by the core (`redirectAllowed`: https only, unless the request was plain HTTP) and at most
 * `maxHttpRedirects()` of them, the whole chain counting as `r`'s source; a 2xx body is read up
 * to the core's cap (`maxHttpBodyBytes()`, else `too-large`); the whole discovery's deadline
 * (`expired`) bounds it all.
 */
async function fetched(r, { web, fetch, signal, expired }) {
  try {
    return await Promise.race([get(r.url, { web, fetch, signal }), expired]);
  } catch (e) {
    return { failure: e?.code === 'TIMEOUT' || e?.name === 'AbortError' || e?.name === 'TimeoutError' ? 'timeout' : httpFailureOf(e) };
  }
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
