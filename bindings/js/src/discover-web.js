// discover() of the browser entry, over the browser module (mailsrv_wasm, built for size); with
// validation asked for, over the validating planner (mailsrv_validating), loaded then (D43).
import * as wasm from '../wasm/mailsrv_wasm.js';
import { init } from './init.js';
import { initValidating } from './validating.js';
import { makeDiscover } from './discover.js';

export const { discover, totalTimeoutOf } = makeDiscover(wasm, init, undefined, { validating: initValidating });
