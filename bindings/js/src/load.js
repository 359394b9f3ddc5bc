// Loads a wasm-bindgen module built for `--target web`. In Node, a file: URL is read from the file
// system (Node's fetch does not read file: URLs); everywhere else the module is fetched and
// compiled with streaming compilation. This file has no `node:*` import, static or dynamic, so
// that bundlers never meet Node-only code: the file system is reached through
// `process.getBuiltinModule`, which only Node has.

/**
 * The module at `url` could not be fetched, compiled or instantiated (a 404, a network error, a
 * Content-Security-Policy without 'wasm-unsafe-eval', a file that is not WebAssembly).
 */
export class WasmLoadError extends Error {
  constructor(url, cause) {
    super(`could not load the WebAssembly module ${url}: ${cause?.message ?? cause}`, { cause });
    this.name = 'WasmLoadError';
    this.code = 'WASM_LOAD_FAILED';
    this.url = String(url);
  }
}

/** Node's `fs`, or undefined outside Node (no import a bundler would follow). */
function nodeFs() {
  const p = globalThis.process;
  if (!p?.versions?.node || typeof p.getBuiltinModule !== 'function') return undefined;
  return p.getBuiltinModule('fs');
}

/**
 * Loads the module at `url` (a URL or string) into the glue's `init`/`initSync`; resolves to the
 * instance's exports (its `memory` among them); rejects with a `WasmLoadError` naming the URL.
 */
export async function loadWasm(init, initSync, url) {
  let where = url;
  try {
    if (typeof where === 'string') where = new URL(where, globalThis.document?.baseURI ?? globalThis.location?.href);
    const fs = where.protocol === 'file:' ? nodeFs() : undefined;
    if (fs) return initSync({ module: fs.readFileSync(where) });
    return await init({ module_or_path: where });
  } catch (e) {
    throw new WasmLoadError(where, e);
  }
}
