// The zone module serves the signed hierarchy of testdata/dnssec/ like the Rust zone host: DNSSEC
// records only to queries with DO, NSEC3 proofs computed in WebAssembly (ring's SHA-1), and the
// CLI's offline plan of a signed domain is the Rust example host's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { ZoneHost } from '../src/zone.js';
import { runCli } from './helpers.js';

const dir = new URL('../../../testdata/dnssec/', import.meta.url);
const files = readdirSync(dir).filter((f) => f.endsWith('.zone')).sort();

function query(name, type, dnssecOk) {
  const labels = name.split('.').filter(Boolean).flatMap((l) => [l.length, ...Buffer.from(l)]);
  // ID 7, RD; one question; an OPT record (payload 1232, DO as asked).
  const header = [0, 7, 1, 0, 0, 1, 0, 0, 0, 0, 0, 1];
  const opt = [0, 0, 41, 4, 208, 0, 0, dnssecOk ? 0x80 : 0, 0, 0, 0];
  return new Uint8Array([...header, ...labels, 0, type >> 8, type & 255, 0, 1, ...opt]);
}

function skipName(m, i) {
  for (;;) {
    const len = m[i];
    if (len === 0) return i + 1;
    if (len >= 0xc0) return i + 2;
    i += len + 1;
  }
}

// { rcode, sections: [answer types, authority types, additional types] }
function parse(m) {
  const counts = [m[6] << 8 | m[7], m[8] << 8 | m[9], m[10] << 8 | m[11]];
  let i = skipName(m, 12) + 4;
  const sections = counts.map((n) => {
    const types = [];
    for (let k = 0; k < n; k++) {
      i = skipName(m, i);
      types.push(m[i] << 8 | m[i + 1]);
      i += 10 + (m[i + 8] << 8 | m[i + 9]);
    }
    return types;
  });
  return { rcode: m[3] & 15, sections };
}

const [SOA, SRV, RRSIG, NSEC3, A] = [6, 33, 46, 50, 1];

test('the zone module serves signed zones with DNSSEC records only to DO queries', () => {
  const host = new ZoneHost();
  for (const f of files) host.addZone(readFileSync(new URL(f, dir), 'utf8'), false);
  const srv = parse(host.answer(query('_imaps._tcp.nsec3.test', SRV, true), 'udp'));
  assert.deepEqual(srv.sections[0], [SRV, RRSIG]);
  // NXDOMAIN under NSEC3: closest encloser, next closer and wildcard proofs, each signed.
  const nx = parse(host.answer(query('nope.nsec3.test', A, true), 'udp'));
  assert.equal(nx.rcode, 3);
  const nsec3 = nx.sections[1].filter((t) => t === NSEC3).length;
  assert.ok(nsec3 >= 2, String(nx.sections[1]));
  assert.equal(nx.sections[1].filter((t) => t === RRSIG).length, nsec3 + 1);
  // Without DO: the SOA alone.
  const plain = parse(host.answer(query('nope.nsec3.test', A, false), 'udp'));
  assert.deepEqual(plain.sections[1], [SOA]);
  host.free();
});

test('the CLI plans a signed domain offline as the Rust host does', async () => {
  const zones = files.flatMap((f) => ['--zone', `testdata/dnssec/${f}`]);
  const args = [...zones, '--json', '--seed', '1', 'alice@example.test'];
  const r = await runCli(['plan', ...args]);
  assert.equal(r.code, 0, r.stderr);
  const plan = JSON.parse(r.stdout);
  assert.deepEqual(plan.incoming.candidates.map((c) => [c.host, c.port]), [['mail.example.test', 993]]);
  const root = new URL('../../../', import.meta.url);
  const rust = execFileSync(new URL('target/debug/examples/plan', root).pathname, args, { cwd: root.pathname });
  assert.equal(r.stdout, rust.toString());
});
