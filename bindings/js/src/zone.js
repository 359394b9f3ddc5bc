// `mailsrv/zone`: an offline resolver answering from RFC 1035 master files, as an authoritative
// server would. The zone host is a WebAssembly module of its own (hickory-proto's zone parser and
// the Unicode tables it needs stay out of the browser module); importing this loads it.
import init, { initSync, ZoneHost } from '../wasm/mailsrv_zone.js';
import { loadWasm } from './load.js';

await loadWasm(init, initSync, new URL('../wasm/mailsrv_zone_bg.wasm', import.meta.url));

export { ZoneHost };

/**
 * `zoneResolver([{ text, secure }])` or `zoneResolver([text, ...])`: `query` answers as over
 * UDP, `queryTcp` as over TCP; `discover()` asks again with `queryTcp` when the core reports an
 * answer truncated, exactly like the Rust and C hosts.
 */
export function zoneResolver(zones) {
  const host = new ZoneHost();
  for (const z of zones) {
    const { text, secure = false } = typeof z === 'string' ? { text: z } : z;
    host.addZone(text, secure);
  }
  return {
    randomIds: false,
    // Zone files, not a resolver: the prober may use the system's name resolution for a target
    // they have no address for (D50, src/probe.js).
    zone: true,
    async query(wire) {
      return host.answer(wire, 'udp');
    },
    async queryTcp(wire) {
      return host.answer(wire, 'tcp');
    },
  };
}
