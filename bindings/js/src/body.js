// Reading an HTTP response's body within a cap, for every HTTP path of the package (DoH answers,
// autoconfig documents): hostile servers are normal input here.

/**
 * The body of `response` (a fetch `Response`), or null once it passes `max` bytes: a declared
 * Content-Length past `max` is refused before any read; otherwise the body is read chunk by
 * chunk and counted, and reading stops at the chunk that passes `max`. Always counted as read,
 * never trusted to Content-Length: `fetch` decodes a `Content-Encoding` (gzip, br) as it reads,
 * so a few hundred bytes on the wire can be gigabytes in memory. A response without a body
 * stream (a host's stand-in) is read with `arrayBuffer()` and checked after.
 * @param {{ headers?: { get?(name: string): string | null }, body?: ReadableStream<Uint8Array> | null, arrayBuffer(): Promise<ArrayBuffer> }} response
 * @param {number} max
 * @returns {Promise<Uint8Array | null>}
 */
export async function readCapped(response, max) {
  const declared = Number(response.headers?.get?.('content-length'));
  if (Number.isFinite(declared) && declared > max) {
    await response.body?.cancel().catch(() => {});
    return null;
  }
  const reader = response.body?.getReader?.();
  if (!reader) {
    const bytes = new Uint8Array(await response.arrayBuffer());
    return bytes.length > max ? null : bytes;
  }
  const chunks = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    // A stand-in's stream may yield anything: only bytes are counted, and so capped.
    if (!ArrayBuffer.isView(value)) {
      reader.cancel().catch(() => {});
      throw Object.assign(new Error('the response body is not a stream of bytes'), { code: 'NETWORK_ERROR' });
    }
    total += value.byteLength;
    if (total > max) {
      reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
  }
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}
