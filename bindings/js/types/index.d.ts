// TypeScript declarations for the `mailsrv` package's Node entry (the `node` export condition;
// checked by `npm run typecheck`): the browser entry's API (types/browser.d.ts) plus the
// Node-only resolvers and prober.
export * from './browser.js';
import type { DnssecStatus, DnssecValidation, Options, Plan, ProbeReport, Resolver } from './browser.js';

/**
 * A `fetch` for `discover` that answers every HTTP request offline from `dir/<host>/<path>` by the
 * core's rules (the query string ignored, a missing file is 404; `<file>.content-type` gives a
 * content type other than `text/xml`), as `mailsrv plan --fixtures DIR` does.
 */
export function fixtureFetch(dir: string): Promise<import('./browser.js').FetchLike>;
export function udpResolver(options?: { server?: string; timeout?: number }): Promise<Resolver>;
/** Loads the zone host (`mailsrv/zone`) on first use; see `zoneResolver` there. */
export function zoneResolver(zones: (string | { text: string; secure?: boolean })[]): Promise<Resolver>;

/**
 * Plans, then connects to candidates in order (Node only); sends credentials only with
 * `password`, only over verified TLS. `timeout` (ms, default 10 s) bounds each candidate,
 * `totalTimeout` (ms, default: the core's 60 s) the whole probe, planning included.
 */
export function probe(email: string, options: Omit<Options, 'dnssec'> & { resolver: Resolver; seed?: number | bigint; dnssec?: DnssecStatus | DnssecValidation; validate?: boolean; anchors: Uint8Array[]; now?: number; acceptTargets?: string[]; timeout?: number; totalTimeout?: number; onProgress?: (message: string) => void; password?: string }): Promise<{ plan: Plan; report: ProbeReport }>;

/** One result of `discoverMany`: the plan of a line, or the core's error for it. */
export type BulkResult = { input: string; plan: Plan; error?: undefined } | { input: string; plan?: undefined; error: { code: string; message: string } };

/**
 * Bulk mode (Node only): plans each line of `lines` that is not blank or a `#` comment (a line
 * without `@` as `postmaster@DOMAIN`), at most `concurrency` (default 16) lines started and not
 * yet consumed (back-pressure), in input order unless `ordered: false`. `totalTimeout` bounds
 * each domain. `rate` caps the queries sent per second (a token bucket); a line then starts only
 * while the queries waiting for a token could be sent within a second, and a query whose
 * domain is out of time uses no token. A line that cannot be planned is a result with `error`,
 * never a rejection.
 */
export function discoverMany(
  lines: Iterable<string> | AsyncIterable<string>,
  options: Omit<Options, 'dnssec'> & { resolver: Resolver; seed?: number | bigint; dnssec?: DnssecStatus | DnssecValidation; validate?: boolean; totalTimeout?: number; concurrency?: number; ordered?: boolean; rate?: number },
): AsyncGenerator<BulkResult, void, undefined>;
/** The lines of a stream (at most 1,024 characters of each kept), for `discoverMany`. */
export function linesOf(stream: AsyncIterable<string | Uint8Array>): AsyncGenerator<string, void, undefined>;
/** What a `udpPool` has sent, and its resend timer (ms; D61). */
export interface UdpPoolStats {
  /** Queries sent (first copies). */
  sent: number;
  /** Copies sent again after the resend timeout. */
  resent: number;
  /** Answers to no open query (a second copy's answer, one after the timeout, or one to another question). */
  stray: number;
  /** The current resend timeout. */
  rto: number;
  /** The smoothed round-trip time and its mean deviation; undefined before the first measurement. */
  srtt: number | undefined;
  rttvar: number | undefined;
  /** Round trips measured (answers to queries sent once). */
  samples: number;
}
/**
 * One pool of UDP sockets shared by many discoveries; message IDs unique among queries in flight;
 * a lost query sent again after a timeout measured from the server's round trips (D61).
 */
export function udpPool(options?: { server?: string; timeout?: number; sockets?: number; maxInFlight?: number }): Promise<Resolver & { close(): void; inFlight(): number; stats(): UdpPoolStats }>;
