// `node zones.js DIR COUNT`: the corpus (corpus.js) as master files for Knot, for `make
// bench-bulk`: DIR/zones/*.zone, DIR/zones.list (`domain file` per line: the COUNT corpus
// domains and the provider zones their targets are in), DIR/input-COUNT.txt (one address per
// line) and DIR/input-COUNT0.txt (the same addresses ten times over, for peak memory with ten
// times the lines).
import { mkdirSync, writeFileSync, createWriteStream } from 'node:fs';
import path from 'node:path';
import { generate, zoneText, providerZoneText, providerDomain, PROVIDERS } from './corpus.js';

const [dirArg, countText] = process.argv.slice(2);
const dir = dirArg && path.resolve(dirArg);
const count = Number(countText);
if (!dir || !(count > 0)) {
  console.error('usage: node zones.js DIR COUNT');
  process.exit(2);
}
mkdirSync(path.join(dir, 'zones'), { recursive: true });
const corpus = generate(count);
const list = [];
for (const d of corpus) {
  const file = path.join(dir, 'zones', `${d.domain}.zone`);
  writeFileSync(file, zoneText(d));
  list.push(`${d.domain} ${file}`);
}
for (let p = 0; p < PROVIDERS; p++) {
  const file = path.join(dir, 'zones', `${providerDomain(p)}.zone`);
  writeFileSync(file, providerZoneText(p));
  list.push(`${providerDomain(p)} ${file}`);
}
writeFileSync(path.join(dir, 'zones.list'), `${list.join('\n')}\n`);
const emails = `${corpus.map((d) => d.email).join('\n')}\n`;
writeFileSync(path.join(dir, `input-${count}.txt`), emails);
const ten = createWriteStream(path.join(dir, `input-${count}0.txt`));
for (let i = 0; i < 10; i++) ten.write(emails);
ten.end();
const kinds = new Map();
for (const d of corpus) kinds.set(d.kind, (kinds.get(d.kind) ?? 0) + 1);
console.log(`zones: ${corpus.length} domains (${[...kinds].map(([k, n]) => `${k} ${n}`).join(', ')}) and ${PROVIDERS} provider zones in ${dir}`);
