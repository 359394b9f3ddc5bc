// The explicit initialisation and the two entries, in Node: `init()` rejects with a typed
// `WasmLoadError` naming the module's URL (and a later call may still load), and the browser
// entry lacks exactly the Node-only exports.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as web from '../src/browser.js';

test('init() of the browser entry rejects with a WasmLoadError naming the URL, then loads on a later call', async () => {
  const missing = new URL('../wasm/no-such-module_bg.wasm', import.meta.url);
  await assert.rejects(web.init({ wasm: missing }), (e) => {
    assert.ok(e instanceof web.WasmLoadError);
    assert.equal(e.code, 'WASM_LOAD_FAILED');
    assert.equal(e.url, missing.href);
    assert.ok(e.cause, 'the underlying error is kept');
    return true;
  });
  await web.init();
  assert.match(web.version(), /^\d+\.\d+\.\d+/);
});

test('the node entry is the browser entry plus udpResolver, zoneResolver, probe, bulk mode and fixtureFetch', async () => {
  const node = await import('mailsrv');
  const extra = Object.keys(node).filter((k) => !(k in web)).sort();
  assert.deepEqual(extra, ['discoverMany', 'fixtureFetch', 'linesOf', 'probe', 'udpPool', 'udpResolver', 'zoneResolver']);
  assert.deepEqual(Object.keys(web).filter((k) => !(k in node)), []);
  await node.init(); // settled already: the same call works on both
});

// D39: the Node entry plans with its own build (mailsrv_node, built for speed), the browser entry
// with the one built for size; both give the same plan for the same answers.
test('D39 the node entry plans with the speed build, with plans identical to the browser build', async () => {
  const node = await import('mailsrv');
  await web.init();
  assert.notEqual(node.Discovery, web.Discovery, 'two builds, not one module');
  const plans = [node, web].map(({ Discovery }) => {
    const d = new Discovery('alice@example.net', {});
    try {
      for (const q of d.queries()) {
        if (q.name === '_imaps._tcp.example.net') {
          d.receiveRecords(q.id, [{ priority: 0, weight: 1, port: 993, target: 'mail.example.net', ttl: 60 }], 'insecure');
        } else d.fail(q.id, 'nx-domain');
      }
      return d.plan({ seed: 7n });
    } finally {
      d.free();
    }
  });
  assert.equal(plans[0].incoming.candidates[0].host, 'mail.example.net');
  assert.deepEqual(plans[0], plans[1]);
});
