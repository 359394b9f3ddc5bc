// The packed package, as a webmail developer meets it: `npm pack` of bindings/js, installed into
// a fresh app, the app's page (app/) built by Vite 8, Vite 7, webpack 5 and esbuild with no
// bundler configuration beyond an entry and an output directory (esbuild: one option,
// `--loader:.wasm=file`), then each page run in one headless Chromium (Debian's chromium, never
// a downloaded browser): plain, under a Content-Security-Policy with 'wasm-unsafe-eval' (must
// plan) and under one without it (must report a typed load failure through `init()`).
// The bundlers are this directory's own dev dependencies (`npm ci` here; `make js-bundlers`).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, pageDom } from '../helpers.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const pkgDir = path.resolve(here, '../..');
const npmEnv = { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' };

let work;
let app;
const servers = [];
const devServers = [];

/** `npm pack` of the package, installed (from the tarball, offline) into a fresh app. */
before(() => {
  work = mkdtempSync(path.join(os.tmpdir(), 'mailsrv-bundlers-'));
  app = path.join(work, 'app');
  cpSync(path.join(here, 'app'), app, { recursive: true });
  writeFileSync(path.join(app, 'package.json'), '{"name":"webmail","version":"1.0.0","private":true,"type":"module"}\n');
  let r = spawnSync('npm', ['pack', '--pack-destination', work], { cwd: pkgDir, encoding: 'utf8', env: npmEnv });
  assert.equal(r.status, 0, r.stderr);
  const tarball = path.join(work, r.stdout.trim().split('\n').pop());
  r = spawnSync('npm', ['install', '--offline', tarball], { cwd: app, encoding: 'utf8', env: npmEnv });
  assert.equal(r.status, 0, r.stderr);
});

after(async () => {
  await Promise.all(devServers.map((s) => s.close()));
  await Promise.all(servers.map((s) => new Promise((resolve) => { s.close(resolve); s.closeAllConnections(); })));
  if (work) rmSync(work, { recursive: true, force: true });
});

const types = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm' };
const policies = {
  wasm: "script-src 'self' 'wasm-unsafe-eval'",
  strict: "script-src 'self'",
};

/**
 * Serves `dir` on its own loopback port (Vite's pages use absolute paths); `?csp=wasm|strict` on
 * a page adds that Content-Security-Policy. `page` (a function) answers `/` instead, if given.
 */
function serve(dir, page) {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    if (page && url.pathname === '/') {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(page());
      return;
    }
    const file = dir && path.join(dir, url.pathname === '/' ? 'index.html' : path.normalize(decodeURIComponent(url.pathname)));
    if (!file || !file.startsWith(dir + path.sep) || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    const headers = { 'content-type': types[path.extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' };
    const csp = policies[url.searchParams.get('csp')];
    if (csp) headers['content-security-policy'] = csp;
    res.writeHead(200, headers);
    res.end(readFileSync(file));
  });
  servers.push(server);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${server.address().port}`)));
}

const html = (script, module) =>
  `<!doctype html>\n<meta charset="utf-8">\n<title>mailsrv bundled</title>\n<pre id="out">pending</pre>\n<script${module ? ' type="module"' : ''} src="${script}"></script>\n`;

/**
 * `vite build` with Vite from `module`. Vite only warns when a browser build reaches a Node
 * module (it swaps in an empty "__vite-browser-external"): the test watches its log for that.
 */
async function viteBuild(module, out) {
  const { build, createLogger } = await import(module);
  const logger = createLogger('warn');
  const seen = [];
  for (const level of ['warn', 'warnOnce', 'error']) {
    const original = logger[level].bind(logger);
    logger[level] = (message, options) => {
      seen.push(String(message));
      original(message, options);
    };
  }
  await build({ root: app, configFile: false, customLogger: logger, build: { outDir: out } });
  const external = seen.filter((m) => /browser compatibility|__vite-browser-external/.test(m));
  assert.deepEqual(external, [], `${module} met Node-only modules`);
}

/** Each bundler, as its user would call it: an entry and an output directory, nothing else. */
const bundlers = {
  vite8: (out) => viteBuild('vite', out),
  vite7: (out) => viteBuild('vite7', out),
  async webpack5(out) {
    const { default: webpack } = await import('webpack');
    const stats = await new Promise((resolve, reject) =>
      webpack({ mode: 'production', context: app, entry: './main.js', output: { path: out } }, (e, s) => (e ? reject(e) : resolve(s))),
    );
    assert.ok(!stats.hasErrors(), stats.toString('errors-only'));
    writeFileSync(path.join(out, 'index.html'), html('main.js', false));
  },
  async esbuild(out) {
    const esbuild = await import('esbuild');
    // The one option: `--loader:.wasm=file`.
    await esbuild.build({ absWorkingDir: app, entryPoints: ['main-esbuild.js'], bundle: true, outdir: out, loader: { '.wasm': 'file' }, logLevel: 'error' });
    writeFileSync(path.join(out, 'index.html'), html('main-esbuild.js', false));
  },
};

function filesUnder(dir) {
  return readdirSync(dir, { recursive: true }).map((f) => path.join(dir, f));
}

const built = {};

for (const [name, bundle] of Object.entries(bundlers)) {
  test(`${name} builds the packed package with no Node-only code in the output`, async () => {
    const out = path.join(app, `dist-${name}`);
    await bundle(out);
    const files = filesUnder(out);
    const js = files.filter((f) => f.endsWith('.js'));
    assert.ok(js.length > 0, `${name} wrote no JavaScript`);
    for (const f of js) {
      const text = readFileSync(f, 'utf8');
      assert.doesNotMatch(text, /["'`]node:/, `${path.relative(out, f)} refers to a node: module`);
      assert.doesNotMatch(text, /\bdgram\b/, `${path.relative(out, f)} holds the UDP resolver`);
    }
    assert.ok(files.some((f) => f.endsWith('.wasm')), `${name} did not copy the planner's .wasm into the output`);
    built[name] = out;
  });
}

test('headless Chromium runs every bundled page (and the Vite dev servers): it plans, with and without a CSP that allows WebAssembly, and reports a typed load failure under a CSP that does not', async (t) => {
  assert.ok(chromium, 'Debian chromium is required for this test: apt-get install chromium (scripts/deps.sh does)');
  const names = Object.keys(bundlers);
  for (const n of names) assert.ok(built[n], `${n} did not build`);
  const pages = [];
  // Vite's dev server too, which serves the package through its dependency optimizer: Vite 8's
  // follows `new URL(..., import.meta.url)` with no configuration; Vite 7's moves the code away
  // from its `.wasm` (node_modules/.vite/deps/), so the README tells Vite 7 users to exclude the
  // package from it (`optimizeDeps.exclude`), and that is what runs here.
  const dev = [
    ['vite8-dev', 'vite', {}],
    ['vite7-dev', 'vite7', { optimizeDeps: { exclude: ['mailsrv'] } }],
  ];
  for (const [n, module, config] of dev) {
    const { createServer } = await import(module);
    const server = await createServer({ root: app, configFile: false, logLevel: 'warn', cacheDir: `node_modules/.${n}`, server: { host: '127.0.0.1', port: 0 }, ...config });
    devServers.push(server);
    await server.listen();
    pages.push({ key: `${n} none`, url: `${server.resolvedUrls.local[0].replace(/\/$/, '')}/index.html?csp=none` });
  }
  for (const n of names) {
    const origin = await serve(built[n]);
    for (const csp of ['none', 'wasm', 'strict']) pages.push({ key: `${n} ${csp}`, url: `${origin}/index.html?csp=${csp}` });
  }
  // One Chromium for all pages: a runner page holds each in an iframe and collects what they post.
  const runner = `<!doctype html>\n<meta charset="utf-8">\n<pre id="out">pending</pre>\n${pages.map((p) => `<iframe src="${p.url}"></iframe>`).join('\n')}\n<script>\n` +
    `const keys = ${JSON.stringify(Object.fromEntries(pages.map((p) => [p.url, p.key])))};\nconst results = {};\n` +
    "addEventListener('message', (e) => { results[keys[e.data.page]] = e.data.text; document.getElementById('out').textContent = 'RESULTS ' + JSON.stringify(results); });\n</script>\n";
  const origin = await serve(undefined, () => runner);
  const all = (text) => text.startsWith('RESULTS ') && Object.keys(JSON.parse(text.slice('RESULTS '.length))).length === pages.length;
  const { out, err } = await pageDom(`${origin}/`, { done: all, killAfterMs: 120000 });
  const m = /<pre id="out">RESULTS ([^<]*)<\/pre>/.exec(out);
  assert.ok(m, `no page reported:\n${out.slice(0, 2000)}\n${err.slice(-2000)}`);
  const results = JSON.parse(m[1].replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"'));
  for (const p of pages) t.diagnostic(`${p.key}: ${results[p.key]}`);
  const version = JSON.parse(readFileSync(path.join(pkgDir, 'package.json'), 'utf8')).version;
  for (const p of pages) {
    const text = results[p.key];
    assert.ok(text, `${p.key}: the page reported nothing (${p.url})`);
    const [kind, json] = [text.slice(0, text.indexOf(' ')), JSON.parse(text.slice(text.indexOf(' ') + 1))];
    if (p.key.endsWith('strict')) {
      assert.equal(kind, 'LOADERROR', `${p.key}: ${text}`);
      assert.equal(json.typed, true, `${p.key}: not a WasmLoadError: ${text}`);
      assert.equal(json.code, 'WASM_LOAD_FAILED', text);
      assert.match(json.url, /^http:\/\/127\.0\.0\.1:\d+\/.*\.wasm$/, `${p.key}: the error names the module's URL`);
    } else {
      assert.equal(kind, 'PLAN', `${p.key}: ${text}`);
      assert.deepEqual(json, { version, status: 'found', incoming: ['imap.example.net:993 implicit-tls in-domain'] }, p.key);
    }
  }
});
