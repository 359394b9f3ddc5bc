// The entry for Vite and webpack: they find the package's `.wasm` files themselves.
import { run } from './page.js';

run();
