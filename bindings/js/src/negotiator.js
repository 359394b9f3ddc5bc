// `mailsrv/negotiator`: the sans-IO IMAP/POP3/SMTP negotiator. It is a WebAssembly module of its
// own, so that browsers, which have no sockets to negotiate on, do not download it with the
// planner; importing this loads it.
import init, { initSync, Negotiator } from '../wasm/mailsrv_negotiate.js';
import { loadWasm } from './load.js';

await loadWasm(init, initSync, new URL('../wasm/mailsrv_negotiate_bg.wasm', import.meta.url));

export { Negotiator };
