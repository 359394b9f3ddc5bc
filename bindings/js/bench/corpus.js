// The benchmark corpus (issue 16 §1, §3): domains in the mix of a bulk survey, each with the SRV
// records of the six RFC 6186 / RFC 8314 labels and the addresses of their targets. The same
// domains become wire answers (`answer`, dns-packet; the in-process bench) and master files
// (`zoneText`; Knot in `make bench-bulk`). Deterministic: the same `count` gives the same corpus.
//
// The mix, by domain index modulo 30:
//   0–2   (1/10)  NXDOMAIN everywhere (the zone exists, the six names do not)
//   3–5   (1/10)  heavy: 4–11 records per label, priorities 0/10/20, weights 0–100
//   6–15  (1/3)   small: one or two records per label, in-domain targets
//   16–29 (7/15)  provider-style: implicit TLS at a shared provider, `.` for the STARTTLS labels
import dnsPacket from 'dns-packet';

/** The six labels and their ports, in the order the planner asks them. */
export const LABELS = [
  ['_submissions._tcp', 465],
  ['_submission._tcp', 587],
  ['_imaps._tcp', 993],
  ['_imap._tcp', 143],
  ['_pop3s._tcp', 995],
  ['_pop3._tcp', 110],
];
const STARTTLS = new Set(['_submission._tcp', '_imap._tcp', '_pop3._tcp']);
const PROVIDERS = 50;
const TTL = 3600;

/** mulberry32: a small deterministic PRNG, numbers in [0, 1). */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const kindOf = (i) => {
  const r = i % 30;
  if (r < 3) return 'nx';
  if (r < 6) return 'heavy';
  if (r < 16) return 'small';
  return 'provider';
};

/** An IPv4 address in 10.0.0.0/8 numbered by `n` (never contacted: the plan only lists it). */
const v4 = (n) => `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;

/** The provider zones' names (`mail{p}.provider.example`), for master files. */
export const providerDomain = (p) => `mail${p}.provider.example`;

/**
 * `count` domains: `{ domain, email, kind, zone, labels: Map(label → records | null), hosts:
 * Map(host → [IPv4]) }`; `labels` is null for an NXDOMAIN domain, a record is `{ priority,
 * weight, port, target }` with `target` `'.'` for "not offered".
 */
export function generate(count, { suffix = 'bench.example' } = {}) {
  const rand = prng(0x5eed);
  const int = (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1));
  const domains = [];
  let hostNo = 1;
  for (let i = 0; i < count; i++) {
    const domain = `d${i}.${suffix}`;
    const kind = kindOf(i);
    const hosts = new Map();
    const host = (name) => {
      if (!hosts.has(name)) hosts.set(name, [v4(hostNo++)]);
      return name;
    };
    let labels = null;
    if (kind !== 'nx') {
      labels = new Map();
      const p = i % PROVIDERS;
      for (const [label, port] of LABELS) {
        const records = [];
        if (kind === 'provider') {
          if (STARTTLS.has(label)) records.push({ priority: 0, weight: 0, port: 0, target: '.' });
          else {
            const target = `${label.slice(1, label.indexOf('.'))}.${providerDomain(p)}`;
            hosts.set(target, [v4(0xff0000 + p * 8 + LABELS.findIndex(([l]) => l === label))]);
            records.push({ priority: 0, weight: 1, port, target });
          }
        } else if (kind === 'small') {
          const n = int(1, 2);
          for (let k = 0; k < n; k++) {
            records.push({ priority: k * 10, weight: int(0, 100), port, target: host(`mail${k}.${domain}`) });
          }
        } else {
          const n = int(4, 11);
          for (let k = 0; k < n; k++) {
            records.push({ priority: 10 * int(0, 2), weight: int(0, 100), port, target: host(`h${k}.${domain}`) });
          }
        }
        labels.set(label, records);
      }
    }
    domains.push({ domain, email: `user${i}@${domain}`, kind, labels, hosts });
  }
  return domains;
}

/**
 * The wire response a recursive resolver would give to `query` (bytes) for a corpus domain:
 * the SRV records, and the A records of their targets in the additional section; NXDOMAIN with
 * the zone's SOA for an NXDOMAIN domain.
 */
export function answer(d, query) {
  const q = dnsPacket.decode(Buffer.from(query));
  const question = q.questions[0];
  const name = question.name.toLowerCase();
  const label = name.slice(0, name.length - d.domain.length - 1);
  const records = d.labels?.get(label);
  const base = { type: 'response', id: q.id, flags: dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE, questions: [question] };
  if (!records) {
    return dnsPacket.encode({
      ...base,
      flags: base.flags | 3, // NXDOMAIN
      authorities: [{ type: 'SOA', name: d.domain, ttl: TTL, data: { mname: `ns.${d.domain}`, rname: `hostmaster.${d.domain}`, serial: 1, refresh: 7200, retry: 900, expire: 1209600, minimum: 300 } }],
    });
  }
  const additionals = [];
  for (const r of records) {
    for (const a of d.hosts.get(r.target) ?? []) additionals.push({ type: 'A', name: r.target, ttl: TTL, data: a });
  }
  return dnsPacket.encode({
    ...base,
    answers: records.map((r) => ({ type: 'SRV', name: question.name, ttl: TTL, data: { priority: r.priority, weight: r.weight, port: r.port, target: r.target } })),
    additionals,
  });
}

/** The master file of a corpus domain (for Knot): SOA, NS, the SRV records, in-zone addresses. */
export function zoneText(d) {
  const lines = [
    `$ORIGIN ${d.domain}.`,
    `$TTL ${TTL}`,
    `@ IN SOA ns.${d.domain}. hostmaster.${d.domain}. ( 1 7200 900 1209600 300 )`,
    `@ IN NS ns.${d.domain}.`,
    `ns IN A 127.0.0.1`,
  ];
  for (const [label, records] of d.labels ?? []) {
    for (const r of records) lines.push(`${label} IN SRV ${r.priority} ${r.weight} ${r.port} ${r.target === '.' ? '.' : `${r.target}.`}`);
  }
  for (const [host, addrs] of d.hosts) {
    if (!host.endsWith(`.${d.domain}`)) continue;
    for (const a of addrs) lines.push(`${host.slice(0, -d.domain.length - 1)} IN A ${a}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The master file of provider zone `p` (the targets of the provider-style domains). */
export function providerZoneText(p) {
  const origin = providerDomain(p);
  const lines = [`$ORIGIN ${origin}.`, `$TTL ${TTL}`, `@ IN SOA ns.${origin}. hostmaster.${origin}. ( 1 7200 900 1209600 300 )`, `@ IN NS ns.${origin}.`, `ns IN A 127.0.0.1`];
  LABELS.forEach(([label], k) => {
    if (!STARTTLS.has(label)) lines.push(`${label.slice(1, label.indexOf('.'))} IN A ${v4(0xff0000 + p * 8 + k)}`);
  });
  return `${lines.join('\n')}\n`;
}

export { PROVIDERS };
