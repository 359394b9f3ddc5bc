// The entry for esbuild (built with `--loader:.wasm=file`): esbuild does not follow
// `new URL(..., import.meta.url)`, so the page imports the `.wasm` file (esbuild copies it into
// the output and gives its URL) and passes it to `init`.
import wasm from 'mailsrv/wasm/mailsrv_wasm_bg.wasm';
import { run } from './page.js';

run(wasm);
