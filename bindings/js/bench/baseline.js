// The baseline: a mail-server planner written by hand the way a Node tool author would, with
// dns-packet and the RFC 2782 order (priority ascending; within a priority, weighted random
// selection with zero weights first). It checks what a careful host checks (response bit,
// message ID, question, rcode), reads the SRV records and their addresses from the additional
// section, treats a lone `.` target as "not offered" (RFC 2782), chooses IMAP or POP3 by the best
// priority, and returns a plan with the same parts a mailsrv plan has for these answers:
// candidates with host, port, security, priority, weight, addresses and usernames, the lookups
// and the lowest TTL. It is not mailsrv's rule set (no diagnostics, trust, reference identities,
// caps): the bench's point is what doing it by hand costs.
import dnsPacket from 'dns-packet';

const SERVICES = {
  '_submissions._tcp': { service: 'submissions', protocol: 'submission', security: 'implicit-tls' },
  '_submission._tcp': { service: 'submission', protocol: 'submission', security: 'starttls' },
  '_imaps._tcp': { service: 'imaps', protocol: 'imap', security: 'implicit-tls' },
  '_imap._tcp': { service: 'imap', protocol: 'imap', security: 'starttls' },
  '_pop3s._tcp': { service: 'pop3s', protocol: 'pop3', security: 'implicit-tls' },
  '_pop3._tcp': { service: 'pop3', protocol: 'pop3', security: 'starttls' },
};

/** RFC 2782 order of `records` with `rand` (a function giving numbers in [0, 1)). */
export function rfc2782Order(records, rand) {
  const byPriority = new Map();
  for (const r of records) {
    const group = byPriority.get(r.priority);
    if (group) group.push(r);
    else byPriority.set(r.priority, [r]);
  }
  const out = [];
  for (const priority of [...byPriority.keys()].sort((a, b) => a - b)) {
    // Zero weights first, then weighted selection by running sums.
    const left = byPriority.get(priority).sort((a, b) => (a.weight === 0 ? 0 : 1) - (b.weight === 0 ? 0 : 1));
    while (left.length > 0) {
      let total = 0;
      for (const r of left) total += r.weight;
      const pick = Math.floor(rand() * (total + 1));
      let sum = 0;
      let i = 0;
      for (; i < left.length; i++) {
        sum += left[i].weight;
        if (sum >= pick) break;
      }
      if (i === left.length) i = left.length - 1;
      out.push(left[i]);
      left.splice(i, 1);
    }
  }
  return out;
}

/** A seeded PRNG (xorshift32) so that a plan is reproducible from its seed. */
function seeded(seed) {
  let x = (seed >>> 0) || 0x9e3779b9;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}

/**
 * Plans `email` from `answers`: `[{ id, name, messageId, wire }]`, one per SRV question
 * (`name` like `_imaps._tcp.example.net`), `wire` the response bytes.
 */
export function planByHand(email, answers, seed) {
  const at = email.lastIndexOf('@');
  const local = email.slice(0, at);
  const domain = email.slice(at + 1).toLowerCase();
  const rand = seeded(seed);
  const lookups = [];
  const found = { submissions: [], submission: [], imaps: [], imap: [], pop3s: [], pop3: [] };
  let ttl = Infinity;
  for (const a of answers) {
    const label = a.name.slice(0, a.name.length - domain.length - 1);
    const svc = SERVICES[label];
    let msg;
    try {
      msg = dnsPacket.decode(a.wire);
    } catch {
      lookups.push({ id: a.id, service: svc.service, name: a.name, outcome: 'malformed', records: 0 });
      continue;
    }
    if (msg.type !== 'response' || msg.id !== a.messageId || msg.questions.length !== 1 || msg.questions[0].name.toLowerCase() !== a.name) {
      lookups.push({ id: a.id, service: svc.service, name: a.name, outcome: 'foreign', records: 0 });
      continue;
    }
    if (msg.rcode !== 'NOERROR') {
      lookups.push({ id: a.id, service: svc.service, name: a.name, outcome: msg.rcode === 'NXDOMAIN' ? 'nx-domain' : 'serv-fail', records: 0 });
      continue;
    }
    const srv = [];
    for (const rr of msg.answers) {
      if (rr.type === 'SRV' && rr.name.toLowerCase() === a.name) {
        srv.push(rr.data);
        if (rr.ttl < ttl) ttl = rr.ttl;
      }
    }
    const addresses = new Map();
    for (const rr of msg.additionals) {
      if (rr.type !== 'A' && rr.type !== 'AAAA') continue;
      const host = rr.name.toLowerCase();
      const list = addresses.get(host);
      if (list) list.push(rr.data);
      else addresses.set(host, [rr.data]);
    }
    lookups.push({ id: a.id, service: svc.service, name: a.name, outcome: srv.length ? 'records' : 'no-data', records: srv.length });
    if (srv.length === 1 && srv[0].target === '.') continue; // RFC 2782: not offered
    for (const r of rfc2782Order(srv, rand)) {
      if (r.target === '.') continue;
      const host = r.target.toLowerCase().replace(/\.$/, '');
      found[svc.service].push({
        service: svc.service,
        protocol: svc.protocol,
        host,
        port: r.port,
        security: svc.security,
        priority: r.priority,
        weight: r.weight,
        addresses: addresses.get(host) ?? [],
        usernames: [email, local],
        origin: a.name,
      });
    }
  }
  const best = (list) => list.reduce((m, c) => Math.min(m, c.priority), Infinity);
  const imap = [...found.imaps, ...found.imap];
  const pop3 = [...found.pop3s, ...found.pop3];
  const [chosen, other] = best(pop3) < best(imap) ? [pop3, imap] : [imap, pop3];
  const outgoing = [...found.submissions, ...found.submission];
  return {
    email,
    domain,
    incoming: { status: chosen.length ? 'found' : 'not-found', candidates: chosen },
    incomingAlternatives: other.length ? [{ protocol: other[0].protocol, candidates: other }] : [],
    outgoing: { status: outgoing.length ? 'found' : 'not-found', candidates: outgoing },
    lookups,
    expiresInSecs: Number.isFinite(ttl) ? ttl : 300,
  };
}
