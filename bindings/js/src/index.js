// mailsrv for browsers and Node: the WebAssembly core plus host helpers (resolvers, discover).
// Importing this module loads the WebAssembly (top-level await), so every export is ready to use.
import init, {
  initSync,
  Discovery,
  verifyChain,
  certificatesFromPem,
  version,
  isForeignResponse,
  errorCode,
  lookupFailure,
} from '../wasm/mailsrv_wasm.js';
import { loadWasm } from './load.js';

await loadWasm(init, initSync, new URL('../wasm/mailsrv_wasm_bg.wasm', import.meta.url));

export { Discovery, verifyChain, certificatesFromPem, version };
// The core's host rules that `discover` needs (browsers too); the Node tools' rules (exit
// statuses, explanations, command-line values, the prober's) are in `mailsrv/host`.
export { isForeignResponse, errorCode, lookupFailure };
export { discover } from './discover.js';
export { dohResolver } from './doh.js';


/** `probe` needs Node's net and tls; it is loaded on first use. */
export async function probe(email, options) {
  const { probe: run } = await import('./probe.js');
  return run(email, options);
}

/**
 * `zoneResolver` answers from master files with the zone host, a WebAssembly module of its own
 * (`mailsrv/zone`), loaded on first use so that browsers that do not need it never fetch it.
 */
export async function zoneResolver(zones) {
  const { zoneResolver: make } = await import('./zone.js');
  return make(zones);
}

/** `udpResolver` needs Node's dgram and net; it is loaded on first use. */
export async function udpResolver(options = {}) {
  const { udpResolver: make } = await import('./udp.js');
  return make(options);
}
