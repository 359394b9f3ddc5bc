// probe(): prove that a plan's candidates work — connect, upgrade to TLS correctly, verify the
// certificate with mailsrv, read the capabilities — without ever sending credentials (Node only).
import net from 'node:net';
import tls from 'node:tls';
import { verifyChain, errorCode } from '../wasm/mailsrv_wasm.js';
import { tlsOutcome, proberSkips, maxChainLength, addressQueries, addressesIn, alpnAcceptable } from './host.js';
import { Negotiator } from './negotiator.js';
import { discover } from './discover.js';

// Errors carry codes of the core's error table: its host range (TIMEOUT, NETWORK_ERROR,
// TLS_FAILED, ALPN_MISMATCH) or a code the core threw.
const fail = (code, message) => Object.assign(new Error(message), { code });
/** The error's code if the core's table has it, else NETWORK_ERROR (Node's ECONNRESET and such). */
const codeOf = (e) => (typeof e?.code === 'string' && errorCode(e.code) !== undefined ? e.code : 'NETWORK_ERROR');

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

/** Reads from `socket` into the negotiator until it finishes; resolves to the final step. */
function drive(negotiator, socket, step, { startTls, deadline }) {
  return new Promise((resolve, reject) => {
    let current = socket;
    let finished = false;
    const timer = setTimeout(() => done(null, fail('TIMEOUT', 'the server did not answer in time')), Math.max(0, deadline - Date.now()));
    function done(result, error) {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      current.removeListener('data', onData);
      if (error) reject(error);
      else resolve(result);
    }
    async function act(s) {
      try {
        for (;;) {
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
      act(negotiator.receive(new Uint8Array(chunk)));
    }
    socket.on('data', onData);
    socket.on('error', (e) => done(null, fail('NETWORK_ERROR', e.message)));
    socket.on('close', () => done(null, fail('NETWORK_ERROR', 'the server closed the connection')));
    act(step);
  });
}

/**
 * Probes one candidate. Options: `anchors` (DER Uint8Arrays), `now` (ms),
 * `acceptTargets` (hosts the user confirmed), `deadline` (ms since the epoch), `clientName`.
 */
/**
 * An address for the candidate: from the plan (the additional section), else asked through the
 * same resolver, else the system's name resolution (e.g. `localhost`).
 */
async function addressOf(candidate, resolver) {
  if (candidate.addresses.length) return candidate.addresses[0];
  if (resolver) {
    for (const query of addressQueries(candidate.host)) {
      try {
        const found = addressesIn(await resolver.query(query), candidate.host);
        if (found.length) return found[0];
      } catch {
        // fall through to the next query, then to the system
      }
    }
  }
  return candidate.host;
}

export async function probeCandidate(candidate, { anchors, now, acceptTargets = [], deadline, clientName = 'localhost', password, resolver }) {
  const result = { host: candidate.host, port: candidate.port, service: candidate.service, security: candidate.security };
  const address = await addressOf(candidate, resolver);
  const negotiator = new Negotiator(candidate.protocol, candidate.security, clientName);
  const confirmed = acceptTargets.includes(candidate.host);
  let verdict = null;
  async function startTls(plainSocket) {
    const options = {
      rejectUnauthorized: false, // mailsrv verifies the chain itself, with the SRV-ID rules
      servername: net.isIP(candidate.sni ?? '') ? undefined : candidate.sni ?? undefined,
      ALPNProtocols: candidate.alpn.length ? candidate.alpn : undefined,
    };
    const socket = plainSocket
      ? tls.connect({ ...options, socket: plainSocket })
      : tls.connect({ ...options, host: address, port: candidate.port });
    await new Promise((resolve, reject) => {
      socket.once('secureConnect', resolve);
      socket.once('error', (e) => reject(fail('TLS_FAILED', e.message)));
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
  let socket;
  try {
    let first;
    if (candidate.security === 'implicit-tls') {
      first = await startTls(null);
      socket = first.socket;
      const step = negotiator.tlsEstablished(first.outcome);
      const end = await drive(negotiator, socket, step, { startTls, deadline });
      socket = end.socket;
      Object.assign(result, outcomeOf(end.step, verdict));
      if (result.outcome === 'ok' && password !== undefined) Object.assign(result, await loginWith(negotiator, socket, candidate, password, deadline));
    } else {
      socket = net.connect({ host: address, port: candidate.port });
      await new Promise((resolve, reject) => {
        socket.once('connect', resolve);
        socket.once('error', (e) => reject(fail('NETWORK_ERROR', e.message)));
      });
      const end = await drive(negotiator, socket, negotiator.start(), { startTls, deadline });
      socket = end.socket;
      Object.assign(result, outcomeOf(end.step, verdict));
      if (result.outcome === 'ok' && password !== undefined) Object.assign(result, await loginWith(negotiator, socket, candidate, password, deadline));
    }
  } catch (e) {
    Object.assign(result, { outcome: 'error', error: { code: codeOf(e), message: e.message } }, verdict ? { verdict } : {});
  } finally {
    socket?.destroy();
    negotiator.free();
  }
  return result;
}

/**
 * Logs in with the candidate's usernames in order (full address, then local part; RFC 6186 §4).
 * The negotiator refuses unless TLS is up and the certificate was verified or confirmed.
 */
async function loginWith(negotiator, socket, candidate, password, deadline) {
  for (const username of candidate.usernames) {
    let end;
    try {
      end = await drive(negotiator, socket, negotiator.login(username, password), { startTls: null, deadline });
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
 * (per candidate, ms, default 10 s: connect, TLS, negotiation and login), `totalTimeout` (for the
 * whole probe after planning, default 60 s), `password`, `onProgress(message)`.
 */
export async function probe(email, { anchors, now = Date.now(), acceptTargets = [], timeout = 10000, totalTimeout = 60000, onProgress = () => {}, clientName, password, ...discoverOptions }) {
  const overall = Date.now() + totalTimeout;
  const plan = await discover(email, discoverOptions);
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
