// The browser entry has no autoconfig parser (decision D38): asking it for HTTP sources is a
// clear INVALID_OPTION, never a silent SRV-only plan. This file imports the browser entry only
// (each test file runs in its own process), as a page would.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { init, discover } from '../src/browser.js';

const resolver = { async query() { throw Object.assign(new Error('no DNS here'), { code: 'NETWORK_ERROR' }); } };

test('d32 the browser entry refuses HTTP sources with a clear error', async () => {
  await init();
  for (const options of [{ fetch: async () => new Response(null) }, { sources: ['srv', 'ispdb'] }]) {
    await assert.rejects(discover('alice@example.net', { resolver, ...options }), (e) => {
      assert.equal(e.code, 'INVALID_OPTION');
      assert.match(e.message, /autoconfig parser, which the browser module leaves out/);
      return true;
    });
  }
  // SRV alone still plans.
  const plan = await discover('alice@example.net', { resolver, sources: ['srv'], seed: 1 });
  assert.deepEqual(plan.requests, []);
});
