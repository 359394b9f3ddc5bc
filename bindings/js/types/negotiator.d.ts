// `mailsrv/negotiator`: the negotiator, a WebAssembly module of its own.
import type { NegotiationStep, Protocol, Security } from './index.js';

/** Sans-IO STARTTLS/STLS/EHLO negotiator. After a `send` step, write the bytes and call poll(). */
export class Negotiator {
  constructor(protocol: Protocol, security: Security, clientName: string);
  start(): NegotiationStep;
  receive(bytes: Uint8Array): NegotiationStep;
  poll(): NegotiationStep;
  tlsEstablished(outcome: 'verified' | 'user-confirmed' | 'not-verified'): NegotiationStep;
  /** Only after `done` over TLS with a verified or confirmed certificate. */
  login(username: string, password: string): NegotiationStep;
  free(): void;
}
