// Bulk mode (Node only): `discoverMany` plans a stream of addresses or bare domains with a
// bounded number in flight, and the shared UDP pool and rate ceiling that `mailsrv plan --input`
// uses. The rules stay in the core: each line is planned by `discover()` (the core's Discovery),
// and a line that cannot be planned carries the core's error code.
import dgram from 'node:dgram';
import net from 'node:net';
import { discover, discoverAs } from './node.js';
import { ASK, MAX_TIMER_MS } from './discover.js';
import { bulkLine } from './host.js';
import { BulkSummary, PlannedText } from '../wasm/mailsrv_node.js';
import { fail, overTcp, parseServer, sameAddress, sameQuestion, systemNameserver } from './udp.js';
import { MIN_RESEND_MS, RESEND_MS, RetransmitTimer } from './resend.js';


/** The longest line kept from the input; the rest of a longer line is dropped (the core then refuses it as `ADDRESS_TOO_LONG`). */
export const MAX_LINE = 1024;

/**
 * The lines of a readable stream (or any async iterable of strings or bytes), one at a time, as
 * they arrive: the stream's own back-pressure applies, and at most `MAX_LINE` characters of a
 * line are kept, so memory does not grow with the input.
 */
export async function* linesOf(stream) {
  const decoder = new TextDecoder();
  let line = '';
  let long = false;
  for await (const chunk of stream) {
    const text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    let start = 0;
    for (;;) {
      const nl = text.indexOf('\n', start);
      const piece = text.slice(start, nl < 0 ? text.length : nl);
      if (!long) {
        line += piece;
        if (line.length > MAX_LINE) { line = line.slice(0, MAX_LINE); long = true; }
      }
      if (nl < 0) break;
      yield line;
      line = '';
      long = false;
      start = nl + 1;
    }
  }
  line += decoder.decode();
  if (line !== '') yield line;
}

/**
 * What a line of bulk input stands for, by the core's rule (`bulkLine` of `mailsrv/host`):
 * `undefined` for a blank line or a `#` comment, else `{ input, address }` (the trimmed line, and
 * the address to plan: a bare domain is planned as `postmaster@DOMAIN`).
 */
export function addressOf(line) {
  return bulkLine(String(line));
}

/**
 * `discoverMany(lines, options)`: an async iterator over `{ input, plan }` or `{ input, error: {
 * code, message } }`, one per line that is not blank or a comment. `lines` is any iterable or
 * async iterable of strings (e.g. `linesOf(stream)`). Options: those of `discover()` (the
 * `resolver`, planner options, `seed`, `totalTimeout` per domain), plus `concurrency` (default
 * 16): lines started but not yet handed to the consumer, so a slow consumer holds the producer
 * (back-pressure) and memory stays bounded; `ordered` (default true): results in input order,
 * else as they finish. A line that fails never stops the run.
 */
export function discoverMany(lines, { concurrency = 16, ordered = true, rate, ...options } = {}) {
  const gate = withRate(options, rate);
  const run = (line) => discover(line.address, options).then(
    (plan) => ({ input: line.input, plan }),
    (e) => errorLine(line.input, e),
  );
  return many(lines, concurrency, ordered, run, gate);
}

/**
 * `rate` (queries per second, or undefined for no ceiling): puts `options.resolver` behind a
 * `TokenBucket` of that rate and returns the gate `many` waits at before it starts a line: a
 * line starts only while the queries waiting for a token could all be sent within a second.
 * Otherwise the lines started would wait for tokens so long that their `totalTimeout` passed
 * before their queries went out (with `--rate 6`, 16 lines in flight ask 96 queries: 16 s).
 */
function withRate(options, rate) {
  if (rate === undefined) return undefined;
  const bucket = new TokenBucket(rate);
  if (!options.resolver || typeof options.resolver.query !== 'function') {
    throw fail('INVALID_ARGUMENT', 'discoverMany() needs a resolver with a query(wire) method');
  }
  options.resolver = rateLimited(options.resolver, bucket);
  return rateGate(bucket, Math.max(1, Math.ceil(rate)));
}

/**
 * The gate `many` passes before it starts a line: `admit()` resolves once the line started last
 * has asked for its first token (or has ended: a line may ask nothing) and fewer than `limit`
 * takes of `bucket` wait; `started(run)` says a line was started (`run`, its promise). A line
 * asks for its tokens a few turns after it starts, so counting only the takes waiting would let
 * every line through before the first of them asks.
 */
export function rateGate(bucket, limit) {
  let asksBefore = -1;
  /** @type {Promise<unknown> | undefined} */
  let last;
  return {
    async admit() {
      if (last !== undefined) await Promise.race([bucket.askedSince(asksBefore), last]);
      await bucket.room(limit);
    },
    started(run) {
      asksBefore = bucket.asks;
      last = run.then(() => {}, () => {});
    },
  };
}

/** The result of a line that could not be planned: the error's code (the core's) and message. */
function errorLine(input, e) {
  return { input, error: { code: typeof e?.code === 'string' ? e.code : 'INTERNAL', message: String(e?.message ?? e) } };
}

/**
 * `discoverMany` as NDJSON (the CLI's `plan --input`): yields `{ parts, count }` per input
 * line, `parts` the pieces of the result's JSON text with its newline (in order: strings, or
 * the core's `PlannedText` whose `copyInto(target, offset)` copies its UTF-8 bytes; together
 * `{"input", "plan"}` or `{"input", "error"}`, as `JSON.stringify` of `discoverMany`'s result),
 * `count(summary)` adding it to a `BulkSummary` of this module, which frees the `PlannedText`:
 * write the parts first. The plan's text comes from the core as it is (`planText` of the Node
 * build: no `JSON.parse` and `JSON.stringify` per plan, no string made of it, no copy before
 * the output's, and the summary's facts without reading the plan back); a plan of the
 * HTTP-source planner (the `mailsrv_host` module, which has no `planText`) is serialised in JS.
 */
export function planLines(lines, { concurrency = 16, ordered = true, rate, ...options } = {}) {
  const gate = withRate(options, rate);
  const finish = (discovery, seed) => (typeof discovery.planText === 'function' ? discovery.planText({ seed }) : discovery.plan({ seed }));
  const run = (line) => discoverAs(line.address, options, finish).then(
    (plan) => {
      if (!(plan instanceof PlannedText)) {
        const result = { input: line.input, plan };
        return { parts: [`${JSON.stringify(result)}\n`], count: (summary) => summary.add(result) };
      }
      return { parts: [`{"input":${JSON.stringify(line.input)},"plan":`, plan, '}\n'], count: (summary) => summary.addPlanned(plan) };
    },
    (e) => {
      const result = errorLine(line.input, e);
      return { parts: [`${JSON.stringify(result)}\n`], count: (summary) => summary.add(result) };
    },
  );
  return many(lines, concurrency, ordered, run, gate);
}

/**
 * The engine of `discoverMany` and `planLines`: `run(line)` for each line, bounded, in order or
 * not; `gate` (`rateGate`), if given, is passed before each line is read and told of each start.
 */
async function* many(lines, concurrency, ordered, run, gate) {
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw fail('INVALID_ARGUMENT', 'concurrency must be a positive integer');
  }
  const source = lines[Symbol.asyncIterator] ? lines[Symbol.asyncIterator]() : lines[Symbol.iterator]();
  /** @type {{ input: string, done: boolean, result?: object }[]} started, not yet yielded */
  const pending = [];
  let exhausted = false;
  let stopped = false;
  let readError;
  let wake = () => {};
  let changed = new Promise((r) => { wake = r; });
  const bump = () => { const w = wake; changed = new Promise((r) => { wake = r; }); w(); };

  const start = (line) => {
    const entry = { input: line.input, done: false, result: undefined };
    pending.push(entry);
    const running = run(line);
    gate?.started(running);
    running.then((result) => { entry.result = result; entry.done = true; bump(); });
  };

  const produce = async () => {
    try {
      while (!stopped) {
        if (pending.length >= concurrency) { await changed; continue; }
        if (gate) await gate.admit();
        if (stopped) break;
        const next = await source.next();
        if (next.done || stopped) break;
        const line = addressOf(next.value);
        if (line) { start(line); bump(); }
      }
    } catch (e) {
      readError = e;
    } finally {
      exhausted = true;
      bump();
    }
  };
  const producer = produce();

  try {
    for (;;) {
      const i = ordered ? (pending[0]?.done ? 0 : -1) : pending.findIndex((p) => p.done);
      if (i >= 0) {
        const [entry] = pending.splice(i, 1);
        bump(); // a slot is free
        yield entry.result;
        continue;
      }
      if (exhausted && pending.length === 0) break;
      await changed;
    }
    if (readError) throw readError;
  } finally {
    // The consumer stopped (or the input ended): start nothing more. A producer still waiting
    // for a line (e.g. on a terminal) is not awaited; the source is closed once that read ends.
    stopped = true;
    bump();
    if (!exhausted) Promise.resolve().then(() => source.return?.()).catch(() => {});
    producer.catch(() => {});
  }
}

/**
 * A token bucket: `take()` resolves when a query may be sent, at most `rate` per second on
 * average, with bursts of at most `burst` (default: 1 per 10 ms of rate, at least 1). In any
 * window of W seconds at most `burst + rate × W` takes resolve. `now()` (ms) and `sleep(ms,
 * signal)` (which ends when `signal` aborts) can be injected (tests use a virtual clock).
 */
export class TokenBucket {
  constructor(rate, { burst = Math.max(1, Math.floor(rate / 100)), now = () => performance.now(), sleep = sleepUnlessAborted } = {}) {
    if (!(rate > 0) || !Number.isFinite(rate)) throw fail('INVALID_ARGUMENT', 'rate must be a positive number of queries per second');
    this.rate = rate;
    this.burst = burst;
    this.now = now;
    this.sleep = sleep;
    this.tokens = burst;
    this.last = now();
    this.tail = Promise.resolve();
    /** Takes not settled yet. */
    this.waiting = 0;
    /** Takes asked for, ever. */
    this.asks = 0;
    /** `room()` calls waiting: [limit, resolve]. */
    this.rooms = [];
    /** `askedSince()` calls waiting: [count, resolve]. */
    this.askers = [];
  }

  #refill() {
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) * this.rate) / 1000);
    this.last = t;
  }

  /**
   * Resolves to true when one token is taken; takes are served in call order. A take whose
   * asker is out of time (`until`, ms on `now()`'s clock, has passed or `signal` has aborted)
   * before its token comes resolves to false and uses none: a query of a discovery that gave
   * up does not hold back the queries of those still running.
   */
  take(until = Infinity, signal = undefined) {
    this.waiting += 1;
    this.asks += 1;
    this.askers = wakeReady(this.askers, (count) => this.asks > count);
    const over = () => this.now() >= until || signal?.aborted === true;
    const turn = this.tail.then(async () => {
      try {
        this.#refill();
        // A token is whole within rounding (a refill's float arithmetic can leave 0.999...9).
        while (this.tokens < 1 - 1e-9) {
          if (over()) return false;
          // Wake at the deadline or the abort (`sleep` ends at `signal`'s), if sooner than the
          // token, and within the longest timer (a longer one would fire at once).
          const wait = Math.min(((1 - this.tokens) * 1000) / this.rate, Math.max(0, until - this.now()), MAX_TIMER_MS);
          await this.sleep(wait, signal);
          this.#refill();
        }
        if (over()) return false;
        this.tokens = Math.max(0, this.tokens - 1);
        return true;
      } finally {
        this.waiting -= 1;
        this.rooms = wakeReady(this.rooms, (limit) => this.waiting < limit);
      }
    });
    // The next take waits for this one, whatever becomes of it (an injected `sleep` that throws).
    this.tail = turn.catch(() => {});
    return turn;
  }

  /** Resolves once more than `count` takes have been asked for (`asks`). */
  askedSince(count) {
    if (this.asks > count) return Promise.resolve();
    return new Promise((resolve) => { this.askers.push([count, resolve]); });
  }

  /** Resolves when fewer than `limit` takes are waiting. */
  room(limit) {
    if (this.waiting < limit) return Promise.resolve();
    return new Promise((resolve) => { this.rooms.push([limit, resolve]); });
  }
}

/** Resolves the waiters `[n, resolve]` of `list` for which `ready(n)` holds; returns the others. */
function wakeReady(list, ready) {
  if (list.length === 0) return list;
  const still = [];
  for (const [n, resolve] of list) {
    if (ready(n)) resolve();
    else still.push([n, resolve]);
  }
  return still;
}

/** Resolves after `ms`, or at once when `signal` aborts (its timer cleared: nothing is left to keep the process up). */
function sleepUnlessAborted(ms, signal) {
  return new Promise((resolve) => {
    const done = () => { clearTimeout(timer); signal?.removeEventListener('abort', done); resolve(); };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done);
  });
}

/** The failure of a query whose discovery was out of time before it could be sent. */
const outOfTime = () => fail('TIMEOUT', 'out of time for this discovery');

/**
 * `resolver` with every query (UDP and TCP) waiting for a token of `bucket` first; a query
 * whose discovery is out of time before its token comes (the `until` of `ASK`, the `signal` of
 * `query`) fails with `TIMEOUT` and uses no token.
 */
export function rateLimited(resolver, bucket) {
  // What the resolver has, own or inherited (`doh`, `randomIds`, ...), stays readable.
  const wrapped = Object.create(resolver);
  wrapped.query = async (wire, question, options) => {
    if (!(await bucket.take(Infinity, options?.signal))) throw outOfTime();
    return resolver.query(wire, question, options);
  };
  if (typeof resolver[ASK] === 'function') {
    wrapped[ASK] = (wire, question, until, lookup) => {
      bucket.take(until).then((taken) => {
        if (taken) resolver[ASK](wire, question, until, lookup);
        else lookup.failed(outOfTime());
      }).catch((e) => lookup.failed(e));
    };
  }
  if (typeof resolver.queryTcp === 'function') {
    wrapped.queryTcp = async (wire, question, options) => {
      if (!(await bucket.take(Infinity, options?.signal))) throw outOfTime();
      return resolver.queryTcp(wire, question, options);
    };
  }
  return wrapped;
}

/** Random 16-bit message IDs, drawn from the OS in batches. */
function idSource() {
  const batch = new Uint16Array(1024);
  let used = batch.length;
  return () => {
    if (used === batch.length) { globalThis.crypto.getRandomValues(batch); used = 0; }
    return batch[used++];
  };
}

export { RESEND_MS, MIN_RESEND_MS, RetransmitTimer };

/** How often a pool checks its open queries for a resend or the timeout, in ms (D61). */
export const SWEEP_MS = 25;

/**
 * Most UDP queries a pool has open at once by default; later ones wait their turn. A resolver
 * drops queries past its own limits (Unbound: `num-queries-per-thread`, 1024 with libevent, and
 * its sockets' buffers), and a dropped query costs its domain a wait for the resend (a second,
 * with the fixed timeout this was measured with; D61 has shortened it since). Against
 * the test world's Unbound on a cold cache, `--concurrency 256` (1,536 queries) made 177
 * domains/s with no cap, 919 with a cap of 512 and 1,757–1,818 with 256, about the rate of
 * `--concurrency 64` (BENCHMARKS.md, bench-bulk).
 */
export const MAX_IN_FLIGHT = 256;

/**
 * A pool's open queries: by message ID (a table of 65,536 slots, one per ID) and as a dense list
 * for the sweep (a query knows its `slot` there). Not a `Map`: with a query added and deleted
 * per datagram, a `Map` made V8's scavenges keep and promote several times the queries in
 * flight (over 10,000 domains, 59 MB kept and 35 MB promoted, against 15 and 4 MB with these
 * slots: BENCHMARKS.md, issue 16 §3). A slot set back to `undefined` keeps nothing alive.
 */
class OpenQueries {
  constructor() {
    /** @type {(object | undefined)[]} */
    this.byId = new Array(0x10000).fill(undefined);
    /** @type {object[]} */
    this.list = [];
  }

  get size() {
    return this.list.length;
  }

  /** The open query sent with message ID `id`, if any. */
  get(id) {
    return this.byId[id];
  }

  /** Whether a query with message ID `id` is open. */
  has(id) {
    return this.byId[id] !== undefined;
  }

  /** Adds `query` (its ID not open). */
  add(query) {
    this.byId[query.id] = query;
    query.slot = this.list.length;
    this.list.push(query);
  }

  /** Removes `query` (open): the last of the list takes its slot. */
  remove(query) {
    this.byId[query.id] = undefined;
    const last = this.list.pop();
    if (last !== query) {
      this.list[query.slot] = last;
      last.slot = query.slot;
    }
  }
}

/**
 * A resolver for many discoveries at once: a pool of `sockets` UDP sockets (default 4) to one
 * `server` (`"IP[:PORT]"`, default: the system's nameserver), shared by every query. Each query
 * is sent with a random message ID that no other query in flight has (the core's own ID is put
 * back in the answer before the core sees it), answers from another address or with an unknown
 * ID are ignored, and `queryTcp` asks over TCP after truncation. `timeout` (ms, default 3000)
 * bounds each query from when it is sent. At most `maxInFlight` (default `MAX_IN_FLIGHT`, 256)
 * queries are open at once; the others wait, in order. A query whose `signal` aborts (its
 * discovery is out of time) ends with `TIMEOUT` at the next sweep, open or waiting. `close()`
 * closes the sockets. `inFlight()` counts the open UDP queries; `stats()` says how many were
 * sent and sent again, and the resend timer's state.
 *
 * A query still unanswered after the pool's retransmission timeout is sent again with the same
 * ID, then after twice that wait, four times, ... until its answer or its `timeout` (D61): the
 * timeout is measured from the server's round-trip times (`RetransmitTimer`: RFC 6298's SRTT +
 * 4 × RTTVAR, from answers to queries sent once, at least `MIN_RESEND_MS`, at most and at first
 * `RESEND_MS`). A query's first copy is due once the pool's current timeout has passed since it
 * was sent (a query of the first burst gains from the round trips measured after it left).
 *
 * Cheap per query, for bulk mode's rate (BENCHMARKS.md, issue 16 §3): the sockets are connected
 * to the server (no address lookup per send; the kernel drops datagrams from elsewhere), one
 * timer for the whole pool checks every `SWEEP_MS` which open query is due for a resend or out
 * of time, its own or its discovery's (instead of two timers and an `abort` listener per
 * query), a query is an object of a class (no closures but its send callback), and an answer
 * is handed over in the Buffer it arrived in (its first two bytes set back to the core's ID).
 * Tests may inject `ids` (the source of candidate IDs) and `clock` (`now()` in ms, and
 * `every(fn, ms)` that calls `fn` every `ms` and returns a function that stops it).
 */
export function udpPool({ server, timeout = 3000, sockets: count = 4, maxInFlight = MAX_IN_FLIGHT, ids, clock = realClock } = {}) {
  if (!Number.isInteger(maxInFlight) || maxInFlight < 1 || maxInFlight > 0x10000) {
    throw fail('INVALID_ARGUMENT', `maxInFlight must be an integer from 1 to 65536, not ${maxInFlight}`);
  }
  const target = server ? parseServer(server) : systemNameserver();
  const family = net.isIPv6(target.host) ? 'udp6' : 'udp4';
  /** the open queries, by the message ID they were sent with */
  const open = new OpenQueries();
  /** @type {Place[]} queries waiting for a place, oldest first */
  const waiting = [];
  const nextId = ids ?? idSource();
  const { now } = clock;
  const timer = new RetransmitTimer({ granularity: SWEEP_MS });
  let sent = 0;
  let resent = 0;
  let stray = 0;
  const sockets = [];
  let turn = 0;
  /** @type {undefined | (() => void)} stops the sweep */
  let sweeper;
  const stopSweep = () => { sweeper?.(); sweeper = undefined; };
  const timeoutMessage = `no answer from ${target.host}:${target.port}`;

  /**
   * A query asked and not answered yet: its `wire`, the `signal` of a `query` call or the
   * deadline `until` of an `ASK` (ms on the pool's clock: `performance.now()`, which `discover`
   * measures it with, unless a test injects another), and the `lookup` told of the
   * outcome (`answered(msg)` or `failed(error)`).
   */
  class Place {
    constructor(wire, signal, until, lookup) {
      this.wire = wire;
      this.signal = signal;
      this.until = until;
      this.lookup = lookup;
    }

    /** Whether its discovery is out of time at `t`. */
    over(t) {
      return t >= this.until || this.signal?.aborted === true;
    }
  }

  /** The `lookup` of a promise (`query`). */
  class Settle {
    constructor(resolve, reject) {
      this.answered = resolve;
      this.failed = reject;
    }
  }

  /** A query in flight with message ID `id`: its datagram `out`, its socket and its timers. */
  class Query {
    /** @param {Place} place */
    constructor(place, id, socket, t) {
      this.place = place;
      this.id = id;
      this.socket = socket;
      this.out = Buffer.from(place.wire);
      this.out[0] = id >> 8;
      this.out[1] = id & 0xff;
      this.sentAt = t;
      this.deadline = t + timeout;
      // 0 while only the first copy is out (due at the pool's timeout then), else the wait
      // after the last copy (due at `resendAt`).
      this.wait = 0;
      this.resendAt = 0;
      // Its place in `open.list`, set by `OpenQueries.add` (here so that every query has one shape).
      this.slot = -1;
      this.afterSend = (e) => { if (e) this.end(fail('NETWORK_ERROR', e.message)); };
    }

    /** Ends the query with `error`, or with the answer `msg` (a Buffer of this pool's own). */
    end(error, msg) {
      if (open.get(this.id) !== this) return;
      open.remove(this);
      while (waiting.length > 0 && open.size < maxInFlight) admit(waiting.shift());
      if (error) { this.place.lookup.failed(error); return; }
      msg[0] = this.place.wire[0]; // the core's own message ID back
      msg[1] = this.place.wire[1];
      this.place.lookup.answered(msg);
    }

    /** Sends the datagram (again), once the socket is connected. */
    send() {
      const { socket } = this;
      if (socket.broken !== undefined) { this.end(fail('NETWORK_ERROR', socket.broken)); return; }
      if (!socket.connected) { socket.waiting.push(this); return; }
      socket.send(this.out, this.afterSend);
    }
  }

  /** Sends the query of `place` now (or fails it, if its discovery is out of time). */
  const admit = (place) => {
    if (place.over(now())) { place.lookup.failed(outOfTime()); return; }
    let id;
    do id = nextId(); while (open.has(id));
    const query = new Query(place, id, socketFor(), now());
    open.add(query);
    sweeper ??= clock.every(sweep, SWEEP_MS);
    sent += 1;
    query.send();
  };

  // Every SWEEP_MS while a query is open: fails what is out of time (the query's own timeout, or
  // its discovery's signal aborted: no listener per discovery), resends what is due. Stops when
  // nothing is open (it is ref'd while a query is open, as a query's own timer would be).
  const sweep = () => {
    const t = now();
    const rto = timer.rto;
    // From the last: ending a query moves the last one into its place (`OpenQueries.remove`),
    // and the queries admitted meanwhile are added after it; neither needs this sweep. A
    // lookup's callback that closes the pool leaves the list shorter than `i`.
    for (let i = open.list.length - 1; i >= 0; i--) {
      const query = open.list[i];
      if (query === undefined) continue;
      if (t >= query.deadline) query.end(fail('TIMEOUT', timeoutMessage));
      else if (query.place.over(t)) query.end(outOfTime());
      else if (query.wait === 0 ? t - query.sentAt >= rto : t >= query.resendAt) {
        // UDP may lose the query or the answer (a resolver's socket buffer overflows under a
        // burst: BENCHMARKS.md, bench-bulk): send it again, same ID, and wait twice as long
        // for the next copy, until the answer or the timeout (RFC 1035 §4.2.1, D61).
        const wait = query.wait === 0 ? rto : query.wait;
        if (query.wait === 0) timer.lost(rto);
        query.wait = 2 * wait;
        query.resendAt = t + query.wait;
        resent += 1;
        query.send();
      }
    }
    for (let i = waiting.length - 1; i >= 0; i--) {
      if (waiting[i].over(t)) waiting.splice(i, 1)[0].lookup.failed(outOfTime());
    }
    if (open.size === 0) stopSweep();
  };

  const socketFor = () => {
    if (sockets.length < count) {
      const s = dgram.createSocket(family);
      s.on('message', (msg, rinfo) => {
        if (msg.length < 12 || rinfo.port !== target.port || !sameAddress(rinfo.address, target.host)) return;
        const query = open.get((msg[0] << 8) | msg[1]);
        // Not a query of ours in flight: a second copy's answer, or one after the timeout; or
        // such an answer whose ID a new query has drawn since (its question is another one).
        if (query === undefined || query.socket !== s || !sameQuestion(query.out, msg)) { stray += 1; return; }
        // A round trip for the resend timer: a query sent once (Karn), answered NOERROR or
        // NXDOMAIN (a SERVFAIL may come from the resolver's own timeout, not its pace).
        const rcode = msg[3] & 0x0f;
        if (query.wait === 0 && (rcode === 0 || rcode === 3)) timer.sample(now() - query.sentAt);
        query.end(null, msg);
      });
      // Sends wait for the connection; a failed connect fails them and every later one.
      s.waiting = [];
      s.on('error', (e) => {
        // Per-send errors are reported by send's callback.
        if (s.connected) return;
        s.broken = e.message;
        for (const query of s.waiting.splice(0)) query.end(fail('NETWORK_ERROR', e.message));
      });
      s.connect(target.port, target.host, () => {
        s.connected = true;
        for (const query of s.waiting.splice(0)) query.send();
      });
      s.unref();
      sockets.push(s);
      return s;
    }
    turn = (turn + 1) % sockets.length;
    return sockets[turn];
  };

  /** Set by `close()`: later questions fail at once (a failure callback may ask again). */
  let closed = false;

  /** Sends `place`'s query, or queues it: no place free, it waits its turn; the sweep ends the wait when its discovery is out of time. */
  const ask = (place) => {
    if (closed) { place.lookup.failed(fail('NETWORK_ERROR', 'the pool was closed')); return; }
    if (open.size < maxInFlight && waiting.length === 0) admit(place);
    else waiting.push(place);
  };

  return {
    randomIds: false,
    server: target,
    inFlight: () => open.size,
    query(wire, _question, options) {
      const signal = options?.signal;
      return new Promise((resolve, reject) => {
        if (signal?.aborted) { reject(outOfTime()); return; }
        ask(new Place(wire, signal, Infinity, new Settle(resolve, reject)));
      });
    },
    /** `discover`'s way in (`ASK`): no promise per query, the discovery's deadline as a number. */
    [ASK](wire, _question, until, lookup) {
      ask(new Place(wire, undefined, until, lookup));
    },
    queryTcp(wire, _question, { signal } = {}) {
      return overTcp(target, wire, timeout, signal);
    },
    /**
     * Queries sent, copies sent again, answers to no open query (`stray`: a second copy's, or
     * one after the timeout), and the resend timer (ms): `rto`, `srtt`, `rttvar`, `samples`.
     */
    stats: () => ({ sent, resent, stray, rto: timer.rto, srtt: timer.srtt, rttvar: timer.rttvar, samples: timer.samples }),
    close() {
      closed = true;
      stopSweep();
      for (const s of sockets.splice(0)) s.close();
      for (const place of waiting.splice(0)) place.lookup.failed(fail('NETWORK_ERROR', 'the pool was closed'));
      for (const query of [...open.list]) query.end(fail('NETWORK_ERROR', 'the pool was closed'));
    },
  };
}

/** The pool's clock: `performance.now()` and `setInterval`. */
const realClock = {
  now: () => performance.now(),
  every(fn, ms) {
    const handle = setInterval(fn, ms);
    return () => clearInterval(handle);
  },
};

/**
 * The summary of a bulk run, counted by the core (`BulkSummary`, here the Node build's, which also
 * takes `planLines`' plans: `addPlanned`; the same class as `mailsrv/host`'s): how many
 * domains publish SRV (any lookup with records) and for which labels, how many say "." for a
 * label, how many had a lookup fail, and how many plans have a candidate that needs the user's
 * confirmation. `add(result)` counts one result of `discoverMany`; `toJSON()` is the data.
 */
export { BulkSummary };
