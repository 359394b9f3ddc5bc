// An offline resolver answering from RFC 1035 master files, as an authoritative server would.
import { ZoneHost } from '../wasm/mailsrv_wasm.js';

/**
 * `zoneResolver([{ text, secure }])` or `zoneResolver([text, ...])`: answers over "UDP" first
 * and again over "TCP" when the answer is truncated, exactly like the Rust and C hosts.
 */
export function zoneResolver(zones) {
  const host = new ZoneHost();
  for (const z of zones) {
    const { text, secure = false } = typeof z === 'string' ? { text: z } : z;
    host.addZone(text, secure);
  }
  return {
    randomIds: false,
    async query(wire) {
      const udp = host.answer(wire, 'udp');
      const truncated = udp.length > 2 && (udp[2] & 0x02) !== 0;
      return truncated ? host.answer(wire, 'tcp') : udp;
    },
  };
}
