// `fixtureFetch(dir)`: a fetch-like function that answers a discovery's HTTP requests offline
// from files, as `mailsrv plan --fixtures DIR` does (and the Rust and C hosts). Which file answers
// a URL, and with which status and content type, is the core's rule (`host_web`), so that the
// three surfaces give the same plan from the same folder.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixturePath, fixtureStatus } from './host.js';

/** Reads `path`, or undefined when it cannot be read (the answer is then 404). */
function read(path) {
  try {
    return readFileSync(path);
  } catch {
    return undefined;
  }
}

/** A `fetch` answering `DIR/<host>/<path>` (query ignored; a missing file is 404). */
export function fixtureFetch(dir) {
  return async function fetchFixture(url, { signal } = {}) {
    signal?.throwIfAborted();
    const relative = fixturePath(String(url));
    const file = relative === undefined ? undefined : join(dir, relative);
    const body = file === undefined ? undefined : read(file);
    const typeFile = file === undefined ? undefined : read(`${file}.content-type`)?.toString('utf8');
    const { status, contentType } = fixtureStatus(body !== undefined, typeFile);
    return new Response(body ?? null, { status, headers: { 'content-type': contentType } });
  };
}
