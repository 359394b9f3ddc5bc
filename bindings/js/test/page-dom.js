#!/usr/bin/env node
// Prints the DOM of a page in headless Chromium once its `#out` is no longer `pending` (helpers.js
// `pageDom`, real time, over the DevTools pipe), for testenv/e2e.sh:
//   node page-dom.js URL [CHROMIUM-FLAG...]
// Chromium's stderr goes to stderr. Gives up after 60 s with the DOM last seen.
import { chromium, pageDom } from './helpers.js';

const [url, ...flags] = process.argv.slice(2);
if (!url || !chromium) {
  console.error(url ? 'Debian chromium is required (apt-get install chromium)' : 'usage: page-dom.js URL [CHROMIUM-FLAG...]');
  process.exit(2);
}
const { out, err } = await pageDom(url, { killAfterMs: 60000, flags });
process.stderr.write(err);
process.stdout.write(out + '\n');
