// `node instructions.mjs DIR ROUNDS [DOMAINS]`: plans the first DOMAINS (600) of the corpus once,
// then ROUNDS more times, through the package in DIR; instructions.sh runs it under valgrind.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { answer, generate } from './corpus.js';

const [dir, rounds, count] = [pathToFileURL(path.resolve(process.argv[2])).href, Number(process.argv[3]), Number(process.argv[4] ?? 600)];
const M = await import(`${dir}/src/index.js`);
const corpus = generate(count).map((d) => {
  const discovery = new M.Discovery(d.email);
  const answers = discovery.queries().map((q) => ({ id: q.id, wire: answer(d, q.wire) }));
  discovery.free();
  return { ...d, answers };
});
let sink = 0;
const once = (seed) => {
  for (const c of corpus) {
    const d = new M.Discovery(c.email);
    for (const a of c.answers) d.receive(a.id, a.wire);
    sink += d.plan({ seed }).lookups.length;
    d.free();
  }
};
once(1);
for (let r = 0; r < rounds; r++) once(100 + r);
console.log(sink);
