// Build check: the optimised module loads, imports nothing from `env`, and reports its size.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const path = process.argv[2];
const bytes = readFileSync(path);
const module = new WebAssembly.Module(bytes);
const env = WebAssembly.Module.imports(module).filter((i) => i.module === 'env');
if (env.length > 0) {
  console.error(`check-wasm: ${path} imports from env: ${env.map((i) => i.name).join(', ')}`);
  process.exit(1);
}
const gz = gzipSync(bytes, { level: 9 }).length;
console.log(`check-wasm: ${path}: ${bytes.length} bytes, ${gz} bytes gzipped, no env imports`);
