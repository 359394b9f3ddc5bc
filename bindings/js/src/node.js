// The planner for Node (the `node` entry, the CLI, the prober and bulk mode): the same API as the
// browser module, from `mailsrv_node`, a build of the same crate for speed (opt-level 3, plans
// handed over as tapes that src/tape.js reads; BENCHMARKS.md). Node has no download budget, a browser has: the
// browser entry keeps `mailsrv_wasm`, built for size. Loaded at import.
import * as wasm from '../wasm/mailsrv_node.js';
import { loadWasm } from './load.js';
import { makeDiscover } from './discover.js';
import { definePlan } from './tape.js';
import { defineCopyInto, defineReceive } from './boundary.js';

const { memory } = await loadWasm(wasm.default, wasm.initSync, new URL('../wasm/mailsrv_node_bg.wasm', import.meta.url));
// The Node build hands plans over as tapes, read where the module wrote them (src/tape.js), and
// takes answers through a buffer it keeps; bulk mode copies a plan's JSON text from its memory
// (src/boundary.js).
definePlan(wasm, memory);
defineReceive(wasm, memory);
defineCopyInto(wasm, memory);

export { Discovery, verifyChain, certificatesFromPem, version, isForeignResponse, errorCode, lookupFailure } from '../wasm/mailsrv_node.js';

/** Already settled in Node (the module loads at import): code written for both entries runs here. */
export function init() {
  return Promise.resolve();
}

// `discover` with HTTP sources plans with the `mailsrv_host` module, which carries the core's
// autoconfig parser; it is loaded on first use (docs/decisions.md D38). Both Node builds carry
// the DNSSEC validator, on by default for a DoH resolver (D43).
export const { discover, discoverAs, totalTimeoutOf } = makeDiscover(wasm, init, () => import('./host.js'));

/** The Node build validates itself: this resolves to its own exports (see the browser entry). */
export function initValidating() {
  return Promise.resolve(wasm);
}
