// Compile-only check of the browser entry's declarations (`npm run typecheck`, with the bundler
// resolution and the `browser` condition, as a webmail project built by Vite or webpack sees them).
import { init, WasmLoadError, Discovery, discover, dohResolver, version, type Plan } from 'mailsrv';
// @ts-expect-error the browser entry has no UDP resolver (Node only)
import { udpResolver } from 'mailsrv';

async function page(): Promise<string> {
  try {
    await init();
  } catch (e) {
    if (e instanceof WasmLoadError) return `${e.code} ${e.url}`;
    throw e;
  }
  await init({ wasm: new URL('https://cdn.example/mailsrv_wasm_bg.wasm') });
  const d = new Discovery('alice@example.net');
  for (const q of d.queries()) d.fail(q.id, 'timeout');
  const plan: Plan = await discover('alice@example.net', { resolver: dohResolver('https://dns.example/dns-query') });
  return version() + plan.domain + d.plan({ seed: 1 }).domain;
}
void page;
void udpResolver;
