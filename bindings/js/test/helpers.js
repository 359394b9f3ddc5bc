// Shared helpers for the node:test suites: paths, the corpus, and servers started by the tests.
import { spawn } from 'node:child_process';
import dgram from 'node:dgram';
import net from 'node:net';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const testdata = path.join(root, 'testdata');
export const cli = path.join(root, 'bindings/js/bin/mailsrv.js');
export const readText = (p) => readFileSync(path.join(testdata, p), 'utf8');
export const expected = (name) => readText(`expected/${name}.json`);
export const cases = () => JSON.parse(readText('cases.json')).cases;

/** Runs the CLI; resolves to { code, stdout, stderr }. */
export function runCli(args) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd: root });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Starts the Rust zone-server example on loopback; resolves to { address, stop }. */
export function startZoneServer(zones) {
  const bin = path.join(root, 'target/debug/examples/zone-server');
  const child = spawn(bin, zones.map((z) => path.join(testdata, 'zones', z)));
  return new Promise((resolve, reject) => {
    let out = '';
    child.on('error', reject);
    child.stdout.on('data', (d) => {
      out += d;
      const m = /listening on (\S+)/.exec(out);
      if (m) resolve({ address: m[1], stop: () => new Promise((r) => { child.once('exit', r); child.kill(); }) });
    });
    child.on('exit', (code) => reject(new Error(`zone-server exited with ${code}`)));
  });
}

/**
 * Runs the CLI under `/usr/bin/time` (GNU time, see scripts/deps.sh) and a guard (`timeout -s
 * KILL`, which kills the CLI itself after `killAfterMs`; the status is then 137): resolves to
 * { code, stdout, stderr, maxRssKb }, the CLI's peak resident set size.
 */
export function runCliMeasured(args, { killAfterMs = 120000 } = {}) {
  const out = path.join(root, 'target', `rss-${process.pid}-${Math.random().toString(36).slice(2)}.txt`);
  mkdirSync(path.dirname(out), { recursive: true });
  return new Promise((resolve) => {
    const guard = ['timeout', '-s', 'KILL', `${Math.ceil(killAfterMs / 1000)}`];
    const child = spawn('/usr/bin/time', ['-f', '%M', '-o', out, ...guard, process.execPath, cli, ...args], { cwd: root });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('close', (code) => {
      const text = readFileSync(out, 'utf8').trim().split('\n').pop();
      rmSync(out, { force: true });
      resolve({ code, stdout, stderr, maxRssKb: Number(text) });
    });
  });
}

/**
 * A hostile answer to `query` (about 61 KB): `srv` SRV records that all name one target
 * (`mail.<domain>`) and `addresses` A records for it in the additional section, the issue-12
 * flood. With `truncated` only the header and question, with TC set.
 */
export function hostileAnswer(query, { srv = 1600, addresses = 2000, truncated = false } = {}) {
  let end = 12;
  while (query[end] !== 0) end += query[end] + 1;
  const question = query.subarray(12, end + 5);
  const header = Buffer.alloc(12);
  query.copy(header, 0, 0, 2);
  header.writeUInt16BE(truncated ? 0x8600 : 0x8400, 2); // QR AA (TC)
  header.writeUInt16BE(1, 4);
  if (truncated) return Buffer.concat([header, question]);
  header.writeUInt16BE(srv, 6);
  header.writeUInt16BE(addresses, 10);
  // mail.<domain>: the QNAME without its two service labels (_imaps._tcp.), in wire form.
  let at = 12;
  for (let i = 0; i < 2; i++) at += query[at] + 1;
  const target = Buffer.concat([Buffer.from('\x04mail', 'latin1'), query.subarray(at, end + 1)]);
  const parts = [header, question];
  let offset = 12 + question.length;
  let targetAt = 0;
  for (let i = 0; i < srv; i++) {
    const rr = Buffer.alloc(18);
    rr.writeUInt16BE(0xc00c, 0);
    rr.writeUInt16BE(33, 2);
    rr.writeUInt16BE(1, 4);
    rr.writeUInt32BE(300, 6);
    rr.writeUInt16BE(i === 0 ? 6 + target.length : 8, 10);
    rr.writeUInt16BE(0, 12);
    rr.writeUInt16BE(i % 65536, 14);
    rr.writeUInt16BE(993, 16);
    if (i === 0) {
      targetAt = offset + 18;
      parts.push(rr, target);
      offset += 18 + target.length;
    } else {
      parts.push(rr, Buffer.from([0xc0 | (targetAt >> 8), targetAt & 0xff]));
      offset += 20;
    }
  }
  for (let i = 0; i < addresses; i++) {
    const rr = Buffer.alloc(16);
    rr.writeUInt16BE(0xc000 | targetAt, 0);
    rr.writeUInt16BE(1, 2);
    rr.writeUInt16BE(1, 4);
    rr.writeUInt32BE(300, 6);
    rr.writeUInt16BE(4, 10);
    rr.writeUInt32BE((127 << 24) | (1 << 16) | i, 12);
    parts.push(rr);
  }
  return Buffer.concat(parts);
}

/**
 * A hostile DNS server on 127.0.0.1 (UDP and TCP on one port). mode: "udp" (every UDP answer is
 * the ~61 KB `hostileAnswer`), "tcp" (UDP answers are truncated, TCP gives the hostile answer)
 * or "drip" (UDP truncated, TCP sends one byte a second, at most 300 bytes, then closes).
 * Resolves to { address, tcpQueries, stop }.
 */
export async function startHostileDnsServer(mode) {
  const udp = dgram.createSocket('udp4');
  await new Promise((r) => udp.bind(0, '127.0.0.1', r));
  const port = udp.address().port;
  const state = { tcpQueries: 0 };
  udp.on('message', (msg, from) => {
    udp.send(hostileAnswer(msg, { truncated: mode !== 'udp' }), from.port, from.address);
  });
  const timers = new Set();
  const sockets = new Set();
  const tcp = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
    let buf = Buffer.alloc(0);
    let dripping = false;
    // Several queries may come on one connection (c-ares sends them so): each gets its answer.
    socket.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        const query = buf.subarray(2, 2 + buf.readUInt16BE(0));
        buf = buf.subarray(2 + query.length);
        state.tcpQueries++;
        const answer = hostileAnswer(query);
        const framed = Buffer.concat([Buffer.from([answer.length >> 8, answer.length & 0xff]), answer]);
        if (mode !== 'drip') {
          socket.write(framed);
          continue;
        }
        if (dripping) continue;
        dripping = true;
        let i = 0;
        const t = setInterval(() => {
          if (i >= 300 || socket.destroyed) { clearInterval(t); timers.delete(t); socket.destroy(); return; }
          socket.write(framed.subarray(i, i + 1));
          i++;
        }, 1000);
        timers.add(t);
      }
    });
  });
  await new Promise((r) => tcp.listen(port, '127.0.0.1', r));
  return {
    address: `127.0.0.1:${port}`,
    get tcpQueries() { return state.tcpQueries; },
    stop: () => new Promise((r) => {
      for (const t of timers) clearInterval(t);
      for (const s of sockets) s.destroy();
      udp.close();
      tcp.close(r);
    }),
  };
}

/** Debian's chromium (never a downloaded browser), or undefined when it is not installed. */
export const chromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find(existsSync);

/** What a page writes into `<pre id="out">` while it is still working. */
const PENDING = 'pending';

/**
 * Opens `url` in headless Chromium (a fresh profile, `flags` added) and waits, in real time, until
 * the page's `#out` text is done: `done(text)`, by default anything but `pending`. Resolves to
 * `{ out, err }`: the page's DOM (`<html>…</html>`) at that moment and Chromium's stderr. Past
 * `killAfterMs` it gives up and resolves with the DOM last seen (or '').
 *
 * The page is read over the DevTools protocol on a pipe (`--remote-debugging-pipe`: fd 3 in,
 * fd 4 out, one JSON message per NUL), not with `--virtual-time-budget` and `--dump-dom`: under
 * virtual time a page's timers can run ahead of a fetch still on the wire, so a loaded machine
 * turned dohResolver's 5 s timer into a `timeout` lookup within a second of real time.
 */
export function pageDom(url, { done = (text) => text !== PENDING, killAfterMs, flags = [] }) {
  const profile = mkdtempSync(path.join(os.tmpdir(), 'mailsrv-chromium-'));
  const args = [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
    `--user-data-dir=${profile}`, '--remote-debugging-pipe', ...flags, url,
  ];
  const child = spawn(chromium, args, { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] });
  let err = '';
  child.stderr.on('data', (d) => { err += d; });
  const [toBrowser, fromBrowser] = [child.stdio[3], child.stdio[4]];
  const replies = new Map();
  let nextId = 1;
  let pending = '';
  fromBrowser.on('data', (d) => {
    pending += d;
    for (let end = pending.indexOf('\0'); end >= 0; end = pending.indexOf('\0')) {
      const message = JSON.parse(pending.slice(0, end));
      pending = pending.slice(end + 1);
      const reply = replies.get(message.id);
      if (reply) { replies.delete(message.id); reply(message); }
    }
  });
  toBrowser.on('error', () => {});
  /** One DevTools command; resolves to its result, rejects with its error. */
  const send = (method, params = {}, sessionId) => new Promise((resolve, reject) => {
    const id = nextId++;
    replies.set(id, (m) => (m.error ? reject(new Error(`${method}: ${m.error.message}`)) : resolve(m.result)));
    toBrowser.write(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }) + '\0');
  });
  const exited = new Promise((resolve) => child.on('close', resolve));
  const deadline = Date.now() + killAfterMs;
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  const evaluate = async (sessionId, expression) => (await send('Runtime.evaluate', { expression, returnByValue: true }, sessionId)).result.value;
  let dom = '';
  const watch = async () => {
    let sessionId;
    while (Date.now() < deadline) {
      try {
        if (!sessionId) {
          const { targetInfos } = await send('Target.getTargets');
          const page = targetInfos.find((t) => t.type === 'page');
          if (page) ({ sessionId } = await send('Target.attachToTarget', { targetId: page.targetId, flatten: true }));
        }
        if (sessionId) {
          const text = await evaluate(sessionId, "document.getElementById('out')?.textContent ?? null");
          if (typeof text === 'string') {
            if (done(text)) return await evaluate(sessionId, 'document.documentElement.outerHTML');
            dom = await evaluate(sessionId, 'document.documentElement.outerHTML');
          }
        }
      } catch {
        // The page is still loading (no context yet, or it was replaced): ask again.
      }
      await sleep(100);
    }
    return dom;
  };
  let giveUp;
  const outOfTime = new Promise((resolve) => { giveUp = setTimeout(() => resolve(dom), killAfterMs); });
  return Promise.race([watch(), exited.then(() => dom), outOfTime]).then(async (out) => {
    clearTimeout(giveUp);
    const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
    send('Browser.close').catch(() => {});
    await exited;
    clearTimeout(killer);
    rmSync(profile, { recursive: true, force: true });
    return { out, err };
  });
}
