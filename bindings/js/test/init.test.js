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
