// Runs the Node examples of docs/js.md and of the package README (between their js-example
// markers), each as a module inside the package so that `import 'mailsrv'` resolves.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { root } from './helpers.js';

function runExample(readmePath, want) {
  const readme = readFileSync(path.join(root, readmePath), 'utf8');
  const m = /<!-- js-example:start -->\n```js\n([\s\S]*?)```\n<!-- js-example:end -->/.exec(readme);
  assert.ok(m, `${readmePath} has a js-example block`);
  const dir = mkdtempSync(path.join(root, 'bindings/js/test/.readme-'));
  try {
    const file = path.join(dir, 'example.mjs');
    writeFileSync(file, m[1]);
    const r = spawnSync(process.execPath, [file], { cwd: root, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, want);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('the docs/js.md Node example runs', () => {
  runExample('docs/js.md', 'imap2.example.net:993 (implicit-tls, in-domain)\n');
});

test('the package README example plans and verifies', () => {
  runExample('bindings/js/README.md', 'imap2.example.net:993 verified (srv-id _imaps.example.net)\n');
});
