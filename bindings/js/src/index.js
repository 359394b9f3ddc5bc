// mailsrv for browsers and Node: the WebAssembly core plus host helpers (resolvers, discover).
// Importing this module loads the WebAssembly (top-level await), so every export is ready to use.
import init, {
  initSync,
  Discovery,
  ZoneHost,
  verifyChain,
  certificatesFromPem,
  version,
} from '../wasm/mailsrv_wasm.js';

const wasmUrl = new URL('../wasm/mailsrv_wasm_bg.wasm', import.meta.url);
if (typeof process !== 'undefined' && process.versions?.node && wasmUrl.protocol === 'file:') {
  const { readFileSync } = await import('node:fs');
  initSync({ module: readFileSync(wasmUrl) });
} else {
  await init({ module_or_path: wasmUrl });
}

export { Discovery, ZoneHost, verifyChain, certificatesFromPem, version };
export { discover } from './discover.js';
export { dohResolver } from './doh.js';
export { zoneResolver } from './zone.js';

export { Negotiator } from '../wasm/mailsrv_wasm.js';

/** `probe` needs Node's net and tls; it is loaded on first use. */
export async function probe(email, options) {
  const { probe: run } = await import('./probe.js');
  return run(email, options);
}

/** `udpResolver` needs Node's dgram and net; it is loaded on first use. */
export async function udpResolver(options = {}) {
  const { udpResolver: make } = await import('./udp.js');
  return make(options);
}
