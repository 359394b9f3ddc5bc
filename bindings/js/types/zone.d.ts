// `mailsrv/zone`: the zone-file host, a WebAssembly module of its own.
import type { Resolver } from './index.js';

/** Answers DNS wire queries from RFC 1035 master files, as an authoritative server would. */
export class ZoneHost {
  constructor();
  /** Adds a zone (master-file text with `$ORIGIN`); `secure` marks it DNSSEC-signed. */
  addZone(text: string, secure: boolean): void;
  /** Answers one wire query received over UDP (truncated past 512 bytes without EDNS) or TCP. */
  answer(query: Uint8Array, transport: 'udp' | 'tcp'): Uint8Array;
  free(): void;
}

/** A resolver answering from `zones` over "UDP", and again over "TCP" after truncation. */
export function zoneResolver(zones: (string | { text: string; secure?: boolean })[]): Resolver;
