// probe(): prove that a plan's candidates work — connect, upgrade to TLS correctly, verify the
// certificate with mailsrv, read the capabilities — without ever sending credentials (Node only).
import net from 'node:net';
import tls from 'node:tls';
import { verifyChain, errorCode, discover, totalTimeoutOf } from './node.js';
import { tlsOutcome, proberSkips, maxChainLength, maxConnectionBytes, addressQueries, addressesIn, alpnAcceptable, noAddressError } from './host.js';
import { Negotiator } from './negotiator.js';
import { fail } from './udp.js';

// Errors carry codes of the core's error table: its host range (TIMEOUT, NETWORK_ERROR,
// TLS_FAILED, ALPN_MISMATCH, TOO_MUCH_DATA) or a code the core threw.
/**
 * The error's code: its own if the core's table has it; INTERNAL for an error without a code
 * (a trap in the WebAssembly, such as `RuntimeError: unreachable`, or a bug in this host); else
 * NETWORK_ERROR (Node's ECONNRESET and such).
 */
const codeOf = (e) => {
  if (typeof e?.code === 'string' && errorCode(e.code) !== undefined) return e.code;
  if (e instanceof WebAssembly.RuntimeError || typeof e?.code !== 'string') return 'INTERNAL';
  return 'NETWORK_ERROR';
};

/**
 * The DER chain the server sent, leaf first: at most one certificate more than the core accepts,
 * so that the core, not this host, refuses a chain that is too long.
 */
function peerChain(socket) {
  const chain = [];
  const limit = maxChainLength() + 1;
  let cert = socket.getPeerCertificate(true);
  const seen = new Set();
  while (cert && cert.raw && !seen.has(cert.fingerprint256) && chain.length < limit) {
    seen.add(cert.fingerprint256);
    chain.push(new Uint8Array(cert.raw));
    cert = cert.issuerCertificate;
  }
  return chain;
}

/**
 * Reads from `socket` into the negotiator until it finishes; resolves to the final step. Every
 * byte received counts against `budget.left` (the core's `maxConnectionBytes()` for the whole
 * connection): past it the connection is given up as TOO_MUCH_DATA. An exception in the
 * negotiator (a trap in the WebAssembly) rejects, it does not escape the data callback. The time
 * limit is the caller's (probeCandidate races the whole candidate against its deadline).
 */
function drive(negotiator, socket, step, { startTls, budget }) {
  return new Promise((resolve, reject) => {
    let current = socket;
    let finished = false;
    function done(result, error) {
      if (finished) return;
      finished = true;
      current.removeListener('data', onData);
      if (error) reject(error);
      else resolve(result);
    }
    async function act(next) {
      try {
        let s = next();
        for (;;) {
          if (finished) return;
          if (s.type === 'send') {
            current.write(s.bytes);
            s = negotiator.poll();
          } else if (s.type === 'start-tls' || s.type === 'await-tls') {
            current.removeListener('data', onData);
            const upgraded = await startTls(current);
            current = upgraded.socket;
            current.on('data', onData);
            current.on('error', (e) => done(null, fail('NETWORK_ERROR', e.message)));
            s = negotiator.tlsEstablished(upgraded.outcome);
          } else if (s.type === 'need-more') {
            return;
          } else {
            done({ step: s, socket: current });
            return;
          }
        }
      } catch (e) {
        done(null, e);
      }
    }
    function onData(chunk) {
      budget.left -= chunk.length;
      if (budget.left < 0) {
        done(null, fail('TOO_MUCH_DATA', `the server sent more than ${maxConnectionBytes()} bytes on one connection`));
        return;
      }
      act(() => negotiator.receive(new Uint8Array(chunk)));
    }
    socket.on('data', onData);
    socket.on('error', (e) => done(null, fail('NETWORK_ERROR', e.message)));
    socket.on('close', () => done(null, fail('NETWORK_ERROR', 'the server closed the connection')));
    act(() => step);
  });
}

/**
 * An address for the candidate: from the plan (the additional section), else asked through the
 * same resolver (A, then AAAA: the core's address queries). D50: a resolver that is not zone files
 * (`resolver.zone !== true`: UDP, DoH, the caller's own) is the only one asked, and when it gives
 * no address the candidate fails with the core's error (`noAddressError`: NETWORK_ERROR, with the
 * resolver's last error text if a query failed), without the system's name resolution, which
 * would tell another party which server is probed. Zone files (`zoneResolver`) answer for their
 * own names only: otherwise the host name goes to the system (e.g. `localhost`).
 */
async function addressOf(candidate, resolver, signal) {
  if (candidate.addresses.length) return candidate.addresses[0];
  if (!resolver) return candidate.host;
  let why;
  for (const query of addressQueries(candidate.host)) {
    if (signal.aborted) break;
    try {
      const found = addressesIn(await resolver.query(query, undefined, { signal }), candidate.host);
      if (found.length) return found[0];
    } catch (e) {
      why = String(e?.message ?? e);
    }
  }
  if (resolver.zone === true) return candidate.host;
  throw noAddressError(candidate.host, why);
}

/**
 * Probes one candidate. Options: `anchors` (DER Uint8Arrays), `now` (ms),
 * `acceptTargets` (hosts the user confirmed), `deadline` (ms since the epoch) for everything —
 * the address lookup, connect, TLS, the negotiation and the login —, `clientName`, `password`,
 * `resolver`. Never throws: every failure, a trap in the negotiator included, is the result's
 * `error` (`TIMEOUT` at the deadline, `TOO_MUCH_DATA` past the core's byte cap per connection).
 */
export async function probeCandidate(candidate, { anchors, now, acceptTargets = [], deadline, clientName = 'localhost', password, resolver }) {
  const result = { host: candidate.host, port: candidate.port, service: candidate.service, security: candidate.security };
  const confirmed = acceptTargets.includes(candidate.host);
  const sockets = new Set();
  let closed = false;
  /** Keeps `socket` to be destroyed at the end (at once if the candidate is already over). */
  const track = (socket) => {
    sockets.add(socket);
    if (closed) socket.destroy();
    return socket;
  };
  const controller = new AbortController();
  let timer;
  const expired = new Promise((_, reject) => {
    timer = setTimeout(() => reject(fail('TIMEOUT', 'the candidate did not finish within its time limit')), Math.max(0, deadline - Date.now()));
  });
  expired.catch(() => {});
  let negotiator = null;
  let verdict = null;
  async function startTls(plainSocket, address) {
    const options = {
      rejectUnauthorized: false, // mailsrv verifies the chain itself, with the SRV-ID rules
      servername: net.isIP(candidate.sni ?? '') ? undefined : candidate.sni ?? undefined,
      ALPNProtocols: candidate.alpn.length ? candidate.alpn : undefined,
    };
    const socket = track(plainSocket
      ? tls.connect({ ...options, socket: plainSocket })
      : tls.connect({ ...options, host: address, port: candidate.port }));
    await new Promise((resolve, reject) => {
      socket.once('secureConnect', resolve);
      socket.once('error', (e) => reject(fail('TLS_FAILED', e.message)));
      socket.once('close', () => reject(fail('TLS_FAILED', 'the connection closed during the TLS handshake')));
    });
    const selected = socket.alpnProtocol || null;
    if (!alpnAcceptable(candidate.alpn, selected)) {
      socket.destroy();
      throw fail('ALPN_MISMATCH', `the server selected ALPN "${selected}", not a mail protocol`);
    }
    verdict = verifyChain(candidate, peerChain(socket), anchors, now);
    const outcome = tlsOutcome(verdict, confirmed);
    return { socket, outcome };
  }
  /** The candidate's outcome fields (`outcome`, `capabilities`, `verdict`, `abort`, `login`). */
  async function run() {
    const address = await addressOf(candidate, resolver, controller.signal);
    if (closed) throw fail('TIMEOUT', 'the candidate did not finish within its time limit');
    negotiator = new Negotiator(candidate.protocol, candidate.security, clientName);
    const budget = { left: maxConnectionBytes() };
    let socket;
    let step;
    if (candidate.security === 'implicit-tls') {
      const first = await startTls(null, address);
      socket = first.socket;
      step = negotiator.tlsEstablished(first.outcome);
    } else {
      socket = track(net.connect({ host: address, port: candidate.port }));
      await new Promise((resolve, reject) => {
        socket.once('connect', resolve);
        socket.once('error', (e) => reject(fail('NETWORK_ERROR', e.message)));
      });
      step = negotiator.start();
    }
    const end = await drive(negotiator, socket, step, { startTls: (s) => startTls(s, address), budget });
    const found = outcomeOf(end.step, verdict);
    if (found.outcome === 'ok' && password !== undefined) Object.assign(found, await loginWith(negotiator, end.socket, candidate, password, budget));
    return found;
  }
  try {
    // What a run still going after the deadline finds is never added to this result.
    Object.assign(result, await Promise.race([run(), expired]));
  } catch (e) {
    Object.assign(result, { outcome: 'error', error: { code: codeOf(e), message: e?.message ?? String(e) } }, verdict ? { verdict } : {});
  } finally {
    closed = true;
    clearTimeout(timer);
    controller.abort();
    // The newest first: a STARTTLS candidate's TLS socket before the TCP socket under it (Node 20
    // crashed with a segmentation fault when the wrapped socket went first; probe.test.js).
    for (const s of [...sockets].reverse()) s.destroy();
    // A run still going after the deadline finds its sockets destroyed and this negotiator
    // freed: its next call fails, and that rejection is the race's, already handled.
    negotiator?.free();
  }
  return result;
}

/**
 * Logs in with the candidate's usernames in order (full address, then local part; RFC 6186 §4).
 * The negotiator refuses unless TLS is up and the certificate was verified or confirmed.
 */
async function loginWith(negotiator, socket, candidate, password, budget) {
  for (const username of candidate.usernames) {
    let end;
    try {
      end = await drive(negotiator, socket, negotiator.login(username, password), { startTls: null, budget });
    } catch (e) {
      return { login: { ok: false, username, reason: codeOf(e) } };
    }
    if (end.step.type === 'logged-in') return { login: { ok: true, username } };
    if (end.step.type !== 'login-failed') return { login: { ok: false, username, reason: end.step.reason ?? end.step.type } };
  }
  return { login: { ok: false, reason: 'credentials refused for every username' } };
}

function outcomeOf(step, verdict) {
  if (step.type === 'done') return { outcome: 'ok', capabilities: step.capabilities, verdict };
  if (step.reason === 'certificate-not-verified') {
    return { outcome: verdict?.status === 'needs-confirmation' ? 'needs-confirmation' : 'rejected', verdict };
  }
  return { outcome: 'aborted', abort: { reason: step.reason, untrustedText: step.untrustedText ?? null }, verdict };
}

/**
 * Plans `email`, then probes candidates in order and reports the first working incoming and
 * outgoing server with the result for every candidate tried. Options: the `discover` options
 * (`resolver`, `seed`, planner options) plus `anchors`, `now`, `acceptTargets`, `timeout`
 * (per candidate, ms, default 10 s: address lookup, connect, TLS, negotiation and login),
 * `totalTimeout` (ms, default: the core's 60 s) for the whole probe, planning included,
 * `password`, `onProgress(message)`. Candidates not tried before the total deadline are
 * reported as `TIMEOUT`; nothing a server sends makes this throw.
 */
export async function probe(email, { anchors, now = Date.now(), acceptTargets = [], timeout = 10000, totalTimeout, onProgress = () => {}, clientName, password, ...discoverOptions }) {
  const total = totalTimeoutOf(totalTimeout);
  const overall = Date.now() + total;
  const plan = await discover(email, { ...discoverOptions, totalTimeout: total });
  const report = { email: plan.email, domain: plan.domain, incoming: { server: null, tried: [] }, outgoing: { server: null, tried: [] } };
  for (const [side, list] of [['incoming', plan.incoming.candidates], ['outgoing', plan.outgoing.candidates]]) {
    for (const candidate of list) {
      if (proberSkips(candidate.security)) continue;
      if (Date.now() >= overall) {
        report[side].tried.push({ host: candidate.host, port: candidate.port, service: candidate.service, security: candidate.security, outcome: 'error', error: { code: 'TIMEOUT', message: 'the overall time limit was reached before this candidate' } });
        continue;
      }
      onProgress(`probing ${candidate.host}:${candidate.port} (${candidate.service}, ${candidate.security})`);
      const r = await probeCandidate(candidate, { anchors, now, acceptTargets, deadline: Math.min(Date.now() + timeout, overall), clientName, password, resolver: discoverOptions.resolver });
      onProgress(`  ${r.outcome}${r.abort ? `: ${r.abort.reason}` : ''}${r.error ? `: ${r.error.message}` : ''}${r.login ? `, login ${r.login.ok ? 'ok' : 'failed'}` : ''}`);
      report[side].tried.push(r);
      if (r.outcome === 'ok' && (password === undefined || r.login?.ok)) {
        report[side].server = { host: r.host, port: r.port, service: r.service, security: r.security };
        break;
      }
    }
  }
  return { plan, report };
}
