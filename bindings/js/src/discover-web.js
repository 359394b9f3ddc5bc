// discover() of the browser entry, over the browser module (mailsrv_wasm, built for size).
import * as wasm from '../wasm/mailsrv_wasm.js';
import { init } from './init.js';
import { makeDiscover } from './discover.js';

export const { discover, totalTimeoutOf } = makeDiscover(wasm, init);
