// Compile-only check of the browser entry's declarations (`npm run typecheck`, with the bundler
// resolution and the `browser` condition, as a webmail project built by Vite or webpack sees them).
import { init, initValidating, WasmLoadError, Discovery, discover, dohResolver, version, type Plan } from 'mailsrv';
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
  // DNSSEC validation is asked for (D43): the validating planner is loaded then, or first here.
  const { Discovery: Validating } = await initValidating({ wasm: '/assets/mailsrv_validating_bg.wasm' });
  const v = new Validating('alice@example.net', { dnssec: { now: Math.floor(Date.now() / 1000) } });
  const checked: Plan = await discover('alice@example.net', { resolver: dohResolver('https://dns.example/dns-query'), dnssec: {} });
  return version() + plan.domain + d.plan({ seed: 1 }).domain + checked.lookups.length + String(v.validatesDnssec?.());
}
void page;
void udpResolver;
