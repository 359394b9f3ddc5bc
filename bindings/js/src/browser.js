// mailsrv for browsers (the `browser` and `default` export conditions): planning, verification
// and DNS over HTTPS, with no Node-only code reachable and no top-level await. `await init()`
// before the synchronous API (`Discovery`, `verifyChain`, `certificatesFromPem`, `version`);
// `discover` calls it itself. A failed load rejects with a `WasmLoadError` (`WASM_LOAD_FAILED`).
import { Discovery as Planner } from '../wasm/mailsrv_wasm.js';

export { verifyChain, certificatesFromPem, version } from '../wasm/mailsrv_wasm.js';

/**
 * The browser module's `Discovery`. It has no DNSSEC validator (D43): a `dnssec` option is
 * refused (`INVALID_OPTION`), never ignored, so that a page cannot believe it validates; the
 * validating planner's `Discovery` comes from `initValidating()`. (The check is here because the
 * module has no room left for it within its budget.)
 */
export class Discovery extends Planner {
  constructor(email, options) {
    if (options?.dnssec != null) {
      throw Object.assign(new Error('dnssec: no validator in this module (see initValidating)'), { code: 'INVALID_OPTION' });
    }
    super(email, options);
  }
}
// The core's host rules that `discover` needs; the Node tools' rules are in `mailsrv/host`.
export { isForeignResponse, errorCode, lookupFailure } from '../wasm/mailsrv_wasm.js';
export { init } from './init.js';
// The validating planner, loaded on demand (discover() loads it when it validates: by default
// with a DoH resolver, D43).
export { initValidating } from './validating.js';
export { WasmLoadError } from './load.js';
export { discover } from './discover-web.js';
export { dohResolver } from './doh.js';
