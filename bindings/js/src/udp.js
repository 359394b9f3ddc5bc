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
    if (line) return { host: line.trim().split(/\s+/)[1], port: 53 };
  } catch {
    /* fall through */
  }
  return { host: '127.0.0.1', port: 53 };
}

/** Parses `IP`, `IP:PORT` or `[IPv6]:PORT`. */
export function parseServer(text) {
  const m = /^\[([^\]]+)\](?::(\d+))?$/.exec(text) ?? /^([^:]+)(?::(\d+))?$/.exec(text) ?? [null, text, undefined];
  const port = m[2] === undefined ? 53 : Number(m[2]);
  if (!m[1] || !Number.isInteger(port) || port < 1 || port > 65535 || net.isIP(m[1]) === 0) {
    throw Object.assign(new Error(`server "${text}" is not IP[:PORT]`), { code: 'INVALID_ARGUMENT' });
  }
  return { host: m[1], port };
}

const fail = (code, message) => Object.assign(new Error(message), { code });

function overTcp(server, wire, timeout) {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: server.host, port: server.port });
    const chunks = [];
    const timer = setTimeout(() => { socket.destroy(); reject(fail('TIMEOUT', 'no TCP answer in time')); }, timeout);
    socket.on('connect', () => {
      const len = Buffer.alloc(2);
      len.writeUInt16BE(wire.length);
      socket.write(Buffer.concat([len, Buffer.from(wire)]));
    });
    socket.on('data', (d) => {
      chunks.push(d);
      const all = Buffer.concat(chunks);
      if (all.length >= 2 && all.length >= 2 + all.readUInt16BE(0)) {
        clearTimeout(timer);
        socket.end();
        resolve(new Uint8Array(all.subarray(2, 2 + all.readUInt16BE(0))));
      }
    });
    socket.on('error', (e) => { clearTimeout(timer); reject(fail('NETWORK_ERROR', e.message)); });
  });
}

/**
 * A resolver sending each query over UDP to `server` (`"IP[:PORT]"`, default: the system's
 * nameserver); `queryTcp` asks over TCP, which `discover()` does when the core reports an answer
 * truncated. `timeout` in ms (default 3000). UDP answers whose message ID differs are ignored,
 * as a stub resolver must. Errors carry the core's host codes `TIMEOUT` and `NETWORK_ERROR`.
 */
export function udpResolver({ server, timeout = 3000 } = {}) {
  const target = server ? parseServer(server) : systemNameserver();
  return {
    randomIds: true,
    server: target,
    query(wire) {
      return new Promise((resolve, reject) => {
        const socket = dgram.createSocket(net.isIPv6(target.host) ? 'udp6' : 'udp4');
        const timer = setTimeout(() => { socket.close(); reject(fail('TIMEOUT', `no answer from ${target.host}:${target.port}`)); }, timeout);
        socket.on('error', (e) => { clearTimeout(timer); socket.close(); reject(fail('NETWORK_ERROR', e.message)); });
        socket.on('message', (msg) => {
          if (msg.length < 12 || msg[0] !== wire[0] || msg[1] !== wire[1]) return; // not ours
          clearTimeout(timer);
          socket.close();
          resolve(new Uint8Array(msg));
        });
        socket.send(wire, target.port, target.host, (e) => {
          if (e) { clearTimeout(timer); socket.close(); reject(fail('NETWORK_ERROR', e.message)); }
        });
      });
    },
    queryTcp(wire) {
      return overTcp(target, wire, timeout);
    },
  };
}
