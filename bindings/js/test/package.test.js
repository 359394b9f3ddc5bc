// `npm install` of the package directory, then `npx mailsrv`, in a scratch project.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { root } from './helpers.js';

test('npm pack of bindings/js, npm install of the tarball, then npx mailsrv, works', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mailsrv-npx-'));
  try {
    writeFileSync(path.join(dir, 'package.json'), '{"name":"scratch","version":"1.0.0","private":true}');
    const env = { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' };
    // Pack first: the tarball holds only the `files` of package.json, as a registry copy would.
    let r = spawnSync('npm', ['pack', '--pack-destination', dir], { cwd: path.join(root, 'bindings/js'), encoding: 'utf8', env });
    assert.equal(r.status, 0, r.stderr);
    const tarball = r.stdout.trim().split('\n').pop();
    r = spawnSync('npm', ['install', '--offline', path.join(dir, tarball)], { cwd: dir, encoding: 'utf8', env });
    assert.equal(r.status, 0, r.stderr);
    r = spawnSync('npx', ['--no-install', 'mailsrv', '--version'], { cwd: dir, encoding: 'utf8', env });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), JSON.parse(spawnSync(process.execPath, ['-p', 'JSON.stringify(require("' + path.join(root, 'bindings/js/package.json') + '").version)'], { encoding: 'utf8' }).stdout));
    const zone = path.join(root, 'testdata/zones/demo.zone');
    r = spawnSync('npx', ['--no-install', 'mailsrv', 'plan', '--zone', zone, '--json', '--seed', '1', 'alice@example.net'], { cwd: dir, encoding: 'utf8', env });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).incoming.candidates[0].host, 'imap2.example.net');
    // The subpath modules resolve through the exports map and load their own WebAssembly.
    const script = [
      "const { Negotiator } = await import('mailsrv/negotiator');",
      "const { zoneResolver } = await import('mailsrv/zone');",
      "const n = new Negotiator('imap', 'starttls', 'client.example'); n.start();",
      "const step = n.receive(new TextEncoder().encode('* OK ready\\r\\n'));",
      "console.log(step.type, typeof zoneResolver);",
    ].join('\n');
    r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: dir, encoding: 'utf8', env });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), 'send function');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
