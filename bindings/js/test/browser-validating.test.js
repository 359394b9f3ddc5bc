// DNSSEC validation in headless Chromium (decision D43): a page asks `discover` to validate over
// DoH (a local endpoint relaying to the Rust zone server, which serves the signed hierarchy of
// testdata/dnssec); the browser entry loads the validating planner — and not the browser module
// too — and the plan is the one the JS CLI and the Rust example make offline.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, pageDom, root, runCli, startZoneServer } from './helpers.js';
import { startDohServer } from './doh-server.js';

const zones = readdirSync(path.join(root, 'testdata/dnssec')).filter((f) => f.endsWith('.zone')).sort();
let dns;
let web;
before(async () => {
  dns = await startZoneServer(zones.map((z) => `../dnssec/${z}`));
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

for (const [domain, status] of [['example.test', 'secure'], ['bogus.test', 'bogus']]) {
  test(`D43 headless Chromium validates alice@${domain} (${status}) with the validating planner only, as the CLI does offline`, async () => {
    assert.ok(chromium, 'Debian chromium is required for this test: apt-get install chromium (.ci/run does)');
    const { out, err } = await pageDom(`${web.url}/page/dnssec.html?email=alice@${domain}`, { killAfterMs: 60000 });
    const m = /<pre id="out">([A-Z]+) ([^<]*)<\/pre>/.exec(out);
    assert.ok(m, `no result in the page:\n${out}\n${err.slice(-2000)}`);
    assert.equal(m[1], 'PLAN', m[2]);
    const { plan, wasm } = JSON.parse(m[2].replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"'));
    assert.deepEqual(wasm, ['/pkg/wasm/mailsrv_validating_bg.wasm'], 'the validating planner, and not the browser module');
    const imaps = plan.lookups.find((l) => l.service === 'imaps');
    assert.equal(imaps.dnssecSource, 'validated');
    assert.equal(imaps.dnssec, status);
    const cli = await runCli(['plan', ...zones.flatMap((z) => ['--zone', `testdata/dnssec/${z}`]), '--trust-anchor', 'testdata/dnssec/root.anchor',
      '--now', '1798761600', '--seed', '1', '--json', `alice@${domain}`]);
    const offline = JSON.parse(cli.stdout);
    // The zone server counts TTLs as the zone host does: the plans are identical.
    assert.deepEqual(plan, offline);
  });
}
