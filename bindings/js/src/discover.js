// discover(): the whole flow with every question in flight at once.
import { Discovery } from '../wasm/mailsrv_wasm.js';

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
 * Runs a discovery: sends every question through `resolver` at once, feeds the answers, and
 * returns the plan. `resolver.query(wire)` resolves to the wire response (after any TCP retry)
 * or rejects with an error whose `code` is `"timeout"` or `"network-error"`.
 * Options: the planner options (`minimumSecurity`, `tlsOrder`, `prefer`, `trustAd`, ...), plus
 * `seed` (default: random) and `dnssec` (a status the host asserts for every answer).
 */
export async function discover(email, { resolver, seed, dnssec, ...options } = {}) {
  if (!resolver || typeof resolver.query !== 'function') {
    throw Object.assign(new Error('discover() needs a resolver with a query(wire) method'), { code: 'INVALID_ARGUMENT' });
  }
  if (resolver.randomIds && options.messageIdBase === undefined) options.messageIdBase = randomIdBase();
  const discovery = new Discovery(email, options);
  try {
    const queries = discovery.queries();
    await Promise.all(
      queries.map(async (q) => {
        let answer;
        try {
          answer = await resolver.query(q.wire, q);
        } catch (e) {
          discovery.fail(q.id, e?.code === 'timeout' ? 'timeout' : 'network-error');
          return;
        }
        try {
          discovery.receive(q.id, answer, dnssec ? { dnssec } : undefined);
        } catch (e) {
          // A response for another question (wrong ID or question): the lookup stays pending.
          if (!['MESSAGE_ID_MISMATCH', 'QUESTION_MISMATCH', 'NOT_A_RESPONSE'].includes(e?.code)) throw e;
          discovery.fail(q.id, 'network-error');
        }
      }),
    );
    return discovery.plan({ seed: seed ?? randomSeed() });
  } finally {
    discovery.free();
  }
}
