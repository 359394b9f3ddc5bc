// TypeScript declarations for the `mailsrv` package's Node entry (the `node` export condition;
// checked by `npm run typecheck`): the browser entry's API (types/browser.d.ts) plus the
// Node-only resolvers and prober.
export * from './browser.js';
import type { Options, Plan, ProbeReport, Resolver } from './browser.js';

export function udpResolver(options?: { server?: string; timeout?: number }): Promise<Resolver>;
/** Loads the zone host (`mailsrv/zone`) on first use; see `zoneResolver` there. */
export function zoneResolver(zones: (string | { text: string; secure?: boolean })[]): Promise<Resolver>;

/**
 * Plans, then connects to candidates in order (Node only); sends credentials only with
 * `password`, only over verified TLS. `timeout` (ms, default 10 s) bounds each candidate,
 * `totalTimeout` (ms, default: the core's 60 s) the whole probe, planning included.
 */
export function probe(email: string, options: Options & { resolver: Resolver; seed?: number | bigint; anchors: Uint8Array[]; now?: number; acceptTargets?: string[]; timeout?: number; totalTimeout?: number; onProgress?: (message: string) => void; password?: string }): Promise<{ plan: Plan; report: ProbeReport }>;
