// A DNS-over-HTTPS endpoint for the tests (RFC 8484 GET and POST at /dns-query) that relays each
// query over UDP to a real DNS server and returns its answer; it can also serve static files.
import http from 'node:http';
import dgram from 'node:dgram';
import net from 'node:net';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

function overTcp(host, port, query) {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port });
    let data = Buffer.alloc(0);
    socket.on('connect', () => {
      const len = Buffer.alloc(2);
      len.writeUInt16BE(query.length);
      socket.write(Buffer.concat([len, query]));
    });
    socket.on('data', (d) => {
      data = Buffer.concat([data, d]);
      if (data.length >= 2 && data.length >= 2 + data.readUInt16BE(0)) {
        socket.end();
        resolve(data.subarray(2, 2 + data.readUInt16BE(0)));
      }
    });
    socket.on('error', reject);
  });
}

/** Asks the upstream over UDP and, like a recursive resolver, again over TCP on truncation. */
function relay(upstream, query) {
  const [host, port] = upstream.split(':');
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket('udp4');
    const timer = setTimeout(() => { socket.close(); reject(new Error('upstream timeout')); }, 3000);
    socket.on('message', (msg) => {
      clearTimeout(timer);
      socket.close();
      if (msg[2] & 0x02) overTcp(host, Number(port), query).then(resolve, reject);
      else resolve(msg);
    });
    socket.send(query, Number(port), host);
  });
}

const types = { '.js': 'text/javascript', '.wasm': 'application/wasm', '.html': 'text/html', '.json': 'application/json' };

/** Starts the endpoint on 127.0.0.1; `files` maps URL prefixes to directories. */
export function startDohServer(upstream, files = {}) {
  const requests = { GET: 0, POST: 0 };
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    try {
      if (url.pathname === '/dns-query') {
        let query;
        if (req.method === 'GET') {
          const b64 = (url.searchParams.get('dns') ?? '').replace(/-/g, '+').replace(/_/g, '/');
          query = Buffer.from(b64, 'base64');
        } else if (req.method === 'POST' && req.headers['content-type'] === 'application/dns-message') {
          const chunks = [];
          for await (const c of req) chunks.push(c);
          query = Buffer.concat(chunks);
        } else {
          res.writeHead(415).end();
          return;
        }
        requests[req.method]++;
        const answer = await relay(upstream, query);
        res.writeHead(200, { 'content-type': 'application/dns-message', 'cache-control': 'no-store' }).end(answer);
        return;
      }
      for (const [prefix, dir] of Object.entries(files)) {
        if (url.pathname.startsWith(prefix)) {
          const file = path.join(dir, path.normalize(url.pathname.slice(prefix.length)));
          if (!file.startsWith(dir)) break;
          const body = await readFile(file);
          res.writeHead(200, { 'content-type': types[path.extname(file)] ?? 'application/octet-stream' }).end(body);
          return;
        }
      }
      res.writeHead(404).end();
    } catch (e) {
      res.writeHead(502).end(String(e));
    }
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      resolve({ url: `http://127.0.0.1:${port}`, requests, stop: () => new Promise((r) => server.close(r)) });
    });
  });
}
