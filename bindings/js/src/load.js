// Loads a wasm-bindgen module built for `--target web`: from the file system in Node (no fetch of
// file: URLs there), with fetch and streaming compilation everywhere else.
export async function loadWasm(init, initSync, url) {
  if (typeof process !== 'undefined' && process.versions?.node && url.protocol === 'file:') {
    const { readFileSync } = await import('node:fs');
    initSync({ module: readFileSync(url) });
  } else {
    await init({ module_or_path: url });
  }
}
