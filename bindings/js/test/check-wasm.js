// Build check: the optimised module loads, imports nothing from `env`, and reports its size.
// `--budget BYTES` also fails the build when the gzipped module is larger (the browser module's
// 200 KB budget, BENCHMARKS.md), so that growth past it is noticed when it happens.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const path = process.argv[2];
const budgetAt = process.argv.indexOf('--budget');
const budget = budgetAt > 0 ? Number(process.argv[budgetAt + 1]) : undefined;
const bytes = readFileSync(path);
const module = new WebAssembly.Module(bytes);
const env = WebAssembly.Module.imports(module).filter((i) => i.module === 'env');
if (env.length > 0) {
  console.error(`check-wasm: ${path} imports from env: ${env.map((i) => i.name).join(', ')}`);
  process.exit(1);
}
const gz = gzipSync(bytes, { level: 9 }).length;
console.log(`check-wasm: ${path}: ${bytes.length} bytes, ${gz} bytes gzipped, no env imports`);
if (budget !== undefined) {
  if (!(gz <= budget)) {
    console.error(`check-wasm: ${path} is ${gz} bytes gzipped, over its budget of ${budget} bytes`);
    process.exit(1);
  }
  console.log(`check-wasm: within the budget of ${budget} bytes gzipped (${budget - gz} to spare)`);
}
