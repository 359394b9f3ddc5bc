// DNS over UDP with Node's dgram (TCP after truncation), as a classic stub resolver.
import dgram from 'node:dgram';
import net from 'node:net';
import { readFileSync } from 'node:fs';

/** The first nameserver of /etc/resolv.conf, or 127.0.0.1:53. */
export function systemNameserver() {
  try {
    const line = readFileSync('/etc/resolv.conf', 'utf8')
      .split('\n')
      .find((l) => /^\s*nameserver\s+\S+/.test(l));
    if (line) {
      const host = line.trim().split(/\s+/)[1];
      return { host: net.isIP(host) ? canonical(host) : host, port: 53 };
    }
  } catch {
    /* fall through */
  }
  return { host: '127.0.0.1', port: 53 };
}

/**
 * An IP address as Node reports a datagram's sender (`::1`, not `0:0:0:0:0:0:0:1` or `0::1`;
 * lower case), so that an answer's source compares with the server as text.
 */
function canonical(ip) {
  return new net.SocketAddress({ address: ip, family: net.isIPv6(ip) ? 'ipv6' : 'ipv4' }).address;
}

/** Parses `IP`, `IP:PORT` or `[IPv6]:PORT`; the address as Node writes it (`canonical`). */
export function parseServer(text) {
  const m = /^\[([^\]]+)\](?::(\d+))?$/.exec(text) ?? /^([^:]+)(?::(\d+))?$/.exec(text) ?? [null, text, undefined];
  const port = m[2] === undefined ? 53 : Number(m[2]);
  if (!m[1] || !Number.isInteger(port) || port < 1 || port > 65535 || net.isIP(m[1]) === 0) {
    throw Object.assign(new Error(`server "${text}" is not IP[:PORT]`), { code: 'INVALID_ARGUMENT' });
  }
  return { host: canonical(m[1]), port };
}

/** An `Error` with a `code` (the core's host codes `TIMEOUT` and `NETWORK_ERROR`, or a usage code). */
export const fail = (code, message) => Object.assign(new Error(message), { code });

/**
 * Calls `onAbort` once when `signal` aborts (at once if it already has); returns the function
 * that stops listening.
 */
function onAbort(signal, onAbort) {
  if (!signal) return () => {};
  if (signal.aborted) {
    queueMicrotask(onAbort);
    return () => {};
  }
  signal.addEventListener('abort', onAbort, { once: true });
  return () => signal.removeEventListener('abort', onAbort);
}

/**
 * Settles one query's promise once: the first of `end(null, answer)`, `end(error)`, `timeout` ms
 * passing (`TIMEOUT`, `timeoutMessage`) or `signal` aborting (the discovery's deadline) wins; the
 * timer and the listener are dropped and `close` runs. Returns `end`.
 */
export function settleOnce({ resolve, reject, timeout, timeoutMessage, signal, close }) {
  let open = true;
  const end = (error, answer) => {
    if (!open) return;
    open = false;
    clearTimeout(timer);
    stop();
    close();
    if (error) reject(error);
    else resolve(answer);
  };
  const timer = setTimeout(() => end(fail('TIMEOUT', timeoutMessage)), timeout);
  const stop = onAbort(signal, () => end(fail('TIMEOUT', 'out of time for this discovery')));
  return end;
}

/**
 * One query over TCP: the 2-byte length, then the message. `timeout` bounds the whole exchange
 * (connect and every read), not each read, so a server dripping bytes cannot hold it longer;
 * at most one DNS message (the length prefix allows 65,535 bytes) is kept.
 */
export function overTcp(server, wire, timeout, signal) {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: server.host, port: server.port });
    const chunks = [];
    let received = 0;
    let need = 0; // 2 + the length prefix, once two bytes are in
    const end = settleOnce({ resolve, reject, timeout, timeoutMessage: 'no TCP answer in time', signal, close: () => socket.destroy() });
    socket.on('connect', () => {
      const len = Buffer.alloc(2);
      len.writeUInt16BE(wire.length);
      socket.write(Buffer.concat([len, Buffer.from(wire)]));
    });
    socket.on('data', (d) => {
      chunks.push(d);
      received += d.length;
      if (need === 0 && received >= 2) need = 2 + Buffer.concat(chunks).readUInt16BE(0);
      if (need !== 0 && received >= need) end(null, new Uint8Array(Buffer.concat(chunks).subarray(2, need)));
    });
    socket.on('error', (e) => end(fail('NETWORK_ERROR', e.message)));
    socket.on('close', () => end(fail('NETWORK_ERROR', 'the server closed the connection before a whole answer')));
  });
}

/**
 * Whether answer `msg` asks the question of query `out` (the name compared without regard to
 * ASCII case, then type and class), as resolvers check (RFC 5452 §3): a late answer to a
 * query sent twice must not end a new query that drew the same ID. An answer without a question
 * (a server's FORMERR, say) is left to the core to judge, as before.
 */
export function sameQuestion(out, msg) {
  if (msg[4] === 0 && msg[5] === 0) return true;
  let end = 12;
  while (end < out.length && out[end] !== 0) end += out[end] + 1;
  end += 5;
  if (end > out.length || end > msg.length) return false;
  for (let i = 12; i < end; i++) {
    const a = out[i];
    const b = msg[i];
    if (a !== b && ((a | 0x20) !== (b | 0x20) || (a | 0x20) < 0x61 || (a | 0x20) > 0x7a)) return false;
  }
  return true;
}

/** Whether the address an answer came from, `a`, is the server's `b` (an IPv4 server may be seen as `::ffff:` IPv4). */
export function sameAddress(a, b) {
  return a === b || a === `::ffff:${b}` || b === `::ffff:${a}`;
}

/**
 * A resolver sending each query over UDP to `server` (`"IP[:PORT]"`, default: the system's
 * nameserver); `queryTcp` asks over TCP, which `discover()` does when the core reports an answer
 * truncated. `timeout` in ms (default 3000) bounds each query as a whole (a TCP exchange
 * included); `discover()`'s `totalTimeout` bounds them all, and its `signal` closes the socket
 * of a query still open then. UDP answers from another address or port, or whose message ID
 * or question differs, are ignored, as a stub resolver must. Errors carry the core's host codes `TIMEOUT` and `NETWORK_ERROR`.
 */
export function udpResolver({ server, timeout = 3000 } = {}) {
  const target = server ? parseServer(server) : systemNameserver();
  return {
    randomIds: true,
    server: target,
    query(wire, _question, { signal } = {}) {
      return new Promise((resolve, reject) => {
        const socket = dgram.createSocket(net.isIPv6(target.host) ? 'udp6' : 'udp4');
        const end = settleOnce({
          resolve, reject, timeout, signal, close: () => socket.close(),
          timeoutMessage: `no answer from ${target.host}:${target.port}`,
        });
        socket.on('error', (e) => end(fail('NETWORK_ERROR', e.message)));
        socket.on('message', (msg, rinfo) => {
          // Not ours (RFC 5452 §3): from another address or port, another message ID, or
          // another question; the query keeps waiting for its answer, as a stub resolver must.
          if (msg.length < 12 || msg[0] !== wire[0] || msg[1] !== wire[1]) return;
          if (rinfo.port !== target.port || !sameAddress(rinfo.address, target.host) || !sameQuestion(wire, msg)) return;
          end(null, new Uint8Array(msg));
        });
        socket.send(wire, target.port, target.host, (e) => {
          if (e) end(fail('NETWORK_ERROR', e.message));
        });
      });
    },
    queryTcp(wire, _question, { signal } = {}) {
      return overTcp(target, wire, timeout, signal);
    },
  };
}
