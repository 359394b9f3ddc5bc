// The page a webmail developer would write: load the planner explicitly (catching a load failure),
// then plan from canned SRV records (no DNS, no DoH) and report the result to the test.
import { init, Discovery, WasmLoadError, version } from 'mailsrv';

function report(text) {
  document.getElementById('out').textContent = text;
  parent.postMessage({ page: location.href, text }, '*');
}

/** `wasm`: the `.wasm` file's URL, given only where the bundler cannot find it (esbuild). */
export function run(wasm) {
  return init(wasm ? { wasm } : undefined).then(
    () => {
      const d = new Discovery('alice@example.net');
      for (const q of d.queries()) {
        if (q.service === 'imaps') d.receiveRecords(q.id, [{ priority: 0, weight: 1, port: 993, target: 'imap.example.net' }]);
        else d.fail(q.id, 'nx-domain');
      }
      const plan = d.plan({ seed: 1 });
      d.free();
      const incoming = plan.incoming.candidates.map((c) => `${c.host}:${c.port} ${c.security} ${c.trust}`);
      report('PLAN ' + JSON.stringify({ version: version(), status: plan.incoming.status, incoming }));
    },
    (e) => report('LOADERROR ' + JSON.stringify({ typed: e instanceof WasmLoadError, code: e?.code, url: e?.url, message: String(e?.message) })),
  );
}
