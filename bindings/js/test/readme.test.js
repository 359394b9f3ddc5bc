// Runs the Node example of the top-level README (between its js-example markers).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { root } from './helpers.js';

test('the README Node example runs', () => {
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
  const m = /<!-- js-example:start -->\n```js\n([\s\S]*?)```\n<!-- js-example:end -->/.exec(readme);
  assert.ok(m, 'README has a js-example block');
  // Run it as a module inside the package, so that `import 'mailsrv'` resolves to it.
  const dir = mkdtempSync(path.join(root, 'bindings/js/test/.readme-'));
  try {
    const file = path.join(dir, 'example.mjs');
    writeFileSync(file, m[1]);
    const r = spawnSync(process.execPath, [file], { cwd: root, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, 'imap2.example.net:993 (implicit-tls, in-domain)\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
