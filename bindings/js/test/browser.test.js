// The web build in headless Chromium (Debian's chromium, never a downloaded browser): a local
// page loads the package, runs a discovery through dohResolver against a local DoH endpoint
// (relaying to a real DNS server on loopback), and the plan must equal the Rust plan.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { chromium, expected, pageDom, readText, root, startZoneServer } from './helpers.js';
import { startDohServer } from './doh-server.js';

let dns;
let web;
before(async () => {
  dns = await startZoneServer(['many.zone']);
  web = await startDohServer(dns.address, {
    '/pkg/': path.join(root, 'bindings/js'),
    '/page/': path.join(root, 'bindings/js/test/browser'),
    '/testdata/': path.join(root, 'testdata'),
  });
});
after(async () => {
  await web?.stop();
  await dns?.stop();
});


/** Loads `page` in headless Chromium; the page writes `<kind> <json>` (or `ERROR ...`) into #out. */
async function pageResult(page, kind) {
  assert.ok(chromium, 'Debian chromium is required for this test: apt-get install chromium (.ci/run does)');
  const { out, err } = await pageDom(`${web.url}/page/${page}`, { killAfterMs: 60000 });
  const m = /<pre id="out">([A-Z]+) ([^<]*)<\/pre>/.exec(out);
  assert.ok(m, `no result in the page:\n${out}\n${err.slice(-2000)}`);
  assert.equal(m[1], kind, m[2]);
  return JSON.parse(m[2].replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"'));
}

test('headless Chromium plans through dohResolver like Rust', async () => {
  const plan = await pageResult('index.html', 'PLAN');
  assert.equal(JSON.stringify(plan, null, 2) + '\n', expected('many-records'));
  assert.ok(web.requests.POST >= 6, 'the browser sent its queries to the DoH endpoint');
});

test('D21 headless Chromium converts the UTS #46 vectors exactly as the Rust build', async () => {
  const results = await pageResult('idna.html', 'RESULTS');
  const cases = JSON.parse(readText('idna.json'));
  assert.equal(results.length, cases.length);
  cases.forEach((c, i) => {
    const want = c.domain !== undefined ? { domain: c.domain } : { error: c.error };
    assert.deepEqual(results[i], want, `${c.input} (${c.why})`);
  });
});
