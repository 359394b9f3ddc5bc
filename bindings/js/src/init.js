// The explicit initialisation of the browser entry's planner module (mailsrv_wasm); the Node entry loads
// its own build at import (node.js).
import load, { initSync } from '../wasm/mailsrv_wasm.js';
import { loadWasm } from './load.js';

let ready;

/**
 * Loads the planner's WebAssembly once; later calls return the same promise (a failed load is
 * retried by the next call). `wasm`: where the `.wasm` file is served from, for bundlers that do
 * not follow `new URL(..., import.meta.url)` (esbuild); by default it sits in the package's
 * `wasm/` directory, which Vite and webpack copy into the build.
 */
export function init({ wasm } = {}) {
  ready ??= loadWasm(load, initSync, wasm ?? new URL('../wasm/mailsrv_wasm_bg.wasm', import.meta.url)).catch((e) => {
    ready = undefined;
    throw e;
  });
  return ready;
}
