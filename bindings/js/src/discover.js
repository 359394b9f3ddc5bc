// discover(): the whole flow with every question in flight at once, over a planner module's
// bindings: the browser module (discover-web.js) or the Node build (node.js), which export the
// same API.

/**
 * `discover` and `totalTimeoutOf` over `wasm` (a planner module's exports: `Discovery`,
 * `isForeignResponse`, `lookupFailure`, `defaultTotalTimeout`); `init` loads that module.
 */
export function makeDiscover({ Discovery, isForeignResponse, lookupFailure, defaultTotalTimeout }, init) {
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
   * Options: the planner options (`minimumSecurity`, `tlsOrder`, `prefer`, `trustAd`, ...), plus
   * `seed` (default: random), `dnssec` (a status the host asserts for every answer) and
   * `totalTimeout` (ms, default: the core's 60 s): a deadline for the whole discovery, TCP
   * retries included, whatever the resolver's own timeout per query. A question still open then
   * is failed as `TIMEOUT` (the core's lookup failure `timeout`) and the plan is made from what
   * arrived.
   */
  async function discover(email, { resolver, seed, dnssec, totalTimeout, ...options } = {}) {
    await init(); // loads the planner's WebAssembly if the page has not (browser entry)
    if (!resolver || typeof resolver.query !== 'function') {
      throw Object.assign(new Error('discover() needs a resolver with a query(wire) method'), { code: 'INVALID_ARGUMENT' });
    }
    const limit = totalTimeoutOf(totalTimeout);
    if (resolver.randomIds && options.messageIdBase === undefined) options.messageIdBase = randomIdBase();
    const discovery = new Discovery(email, options);
    const controller = new AbortController();
    /** @type {Promise<never>} rejects with TIMEOUT when the whole discovery is out of time */
    const expired = new Promise((_, reject) => {
      controller.signal.addEventListener('abort', () => reject(Object.assign(new Error(`no answer within the total time limit (${limit} ms)`), { code: 'TIMEOUT' })), { once: true });
    });
    expired.catch(() => {}); // raced below; an unused rejection is not an error
    const timer = setTimeout(() => controller.abort(), limit);
    try {
      const queries = discovery.queries();
      // Asks `q` with `resolver[method]` and feeds the answer; returns the core's outcome, or null
      // when the question failed (a host error, the deadline, or a response to another question).
      const ask = async (q, method) => {
        let answer;
        try {
          answer = await Promise.race([resolver[method](q.wire, q, { signal: controller.signal }), expired]);
        } catch (e) {
          discovery.fail(q.id, lookupFailure(typeof e?.code === 'string' ? e.code : undefined));
          return null;
        }
        try {
          return discovery.receive(q.id, answer, dnssec ? { dnssec } : undefined);
        } catch (e) {
          // A response to another question: the lookup failed, the discovery goes on.
          if (!isForeignResponse(String(e?.code))) throw e;
          discovery.fail(q.id, lookupFailure(e.code));
          return null;
        }
      };
      await Promise.all(
        queries.map(async (q) => {
          if ((await ask(q, 'query')) === 'truncated' && typeof resolver.queryTcp === 'function') await ask(q, 'queryTcp');
        }),
      );
      return discovery.plan({ seed: seed ?? randomSeed() });
    } finally {
      clearTimeout(timer);
      controller.abort(); // lets the resolver close what it still has open
      discovery.free();
    }
  }

  return { discover, totalTimeoutOf };
}
