// Shared helpers for the node:test suites: paths, the corpus, and servers started by the tests.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const testdata = path.join(root, 'testdata');
export const cli = path.join(root, 'bindings/js/bin/mailsrv.js');
export const readText = (p) => readFileSync(path.join(testdata, p), 'utf8');
export const expected = (name) => readText(`expected/${name}.json`);
export const cases = () => JSON.parse(readText('cases.json')).cases;

/** Runs the CLI; resolves to { code, stdout, stderr }. */
export function runCli(args) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd: root });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Starts the Rust zone-server example on loopback; resolves to { address, stop }. */
export function startZoneServer(zones) {
  const bin = path.join(root, 'target/debug/examples/zone-server');
  const child = spawn(bin, zones.map((z) => path.join(testdata, 'zones', z)));
  return new Promise((resolve, reject) => {
    let out = '';
    child.on('error', reject);
    child.stdout.on('data', (d) => {
      out += d;
      const m = /listening on (\S+)/.exec(out);
      if (m) resolve({ address: m[1], stop: () => new Promise((r) => { child.once('exit', r); child.kill(); }) });
    });
    child.on('exit', (code) => reject(new Error(`zone-server exited with ${code}`)));
  });
}
