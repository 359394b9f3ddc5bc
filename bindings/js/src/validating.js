// The browser entry's validating planner (`mailsrv_validating`): the planner with the core's
// DNSSEC validator, a WebAssembly module of its own so that the browser module stays within its
// size budget (docs/decisions.md D43). Nothing here runs until a page asks for validation: the
// glue and the `.wasm` file are fetched on the first `initValidating()` (which `discover` calls
// when its options ask for validation).
import { loadWasm } from './load.js';

let ready;

/**
 * Loads the validating planner once and resolves to its exports (`Discovery` with the `dnssec`
 * option and `pendingDnssec` / `receiveDnssec` / `failDnssec`); a failed load rejects with a
 * `WasmLoadError` and is retried by the next call. `wasm`: where its `.wasm` file is served from,
 * for bundlers that do not follow `new URL(..., import.meta.url)` (esbuild).
 */
export function initValidating({ wasm } = {}) {
  ready ??= (async () => {
    const glue = await import('../wasm/mailsrv_validating.js');
    await loadWasm(glue.default, glue.initSync, wasm ?? new URL('../wasm/mailsrv_validating_bg.wasm', import.meta.url));
    return glue;
  })().catch((e) => {
    ready = undefined;
    throw e;
  });
  return ready;
}
