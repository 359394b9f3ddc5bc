// mailsrv for browsers (the `browser` and `default` export conditions): planning, verification
// and DNS over HTTPS, with no Node-only code reachable and no top-level await. `await init()`
// before the synchronous API (`Discovery`, `verifyChain`, `certificatesFromPem`, `version`);
// `discover` calls it itself. A failed load rejects with a `WasmLoadError` (`WASM_LOAD_FAILED`).
export { Discovery, verifyChain, certificatesFromPem, version } from '../wasm/mailsrv_wasm.js';
// The core's host rules that `discover` needs; the Node tools' rules are in `mailsrv/host`.
export { isForeignResponse, errorCode, lookupFailure } from '../wasm/mailsrv_wasm.js';
export { init } from './init.js';
export { WasmLoadError } from './load.js';
export { discover } from './discover-web.js';
export { dohResolver } from './doh.js';
