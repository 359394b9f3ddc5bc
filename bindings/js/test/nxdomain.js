// A made-up NXDOMAIN answer for the tests that play a DNS server or resolver.

/** An NXDOMAIN response to `query` (QR, RD/RA, RCODE 3, the question echoed), with TC if asked. */
export function nxdomain(query, { tc = false } = {}) {
  const r = Buffer.from(query);
  r[2] = 0x80 | (tc ? 0x02 : 0) | (query[2] & 0x01);
  r[3] = 0x83;
  r.writeUInt16BE(0, 6);
  r.writeUInt16BE(0, 8);
  r.writeUInt16BE(0, 10);
  // Drop any additional section (EDNS OPT): keep the header and the first question.
  let i = 12;
  while (r[i] !== 0) i += r[i] + 1;
  return r.subarray(0, i + 5);
}
