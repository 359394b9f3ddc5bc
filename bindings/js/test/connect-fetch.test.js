// The CLI's --connect-to fetch (src/connect-fetch.js, decision D48): a rule changes where the
// connection goes, never the name the certificate is checked for.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import https from 'node:https';
import { readFileSync } from 'node:fs';
import { connectFetch, parseConnectTo } from '../src/connect-fetch.js';

const certs = new URL('../../../testdata/certs/', import.meta.url);
const read = (f) => readFileSync(new URL(f, certs), 'utf8');

/** An HTTPS server on loopback with the test PKI's certificate for example.net. */
async function server() {
  const s = https.createServer({ cert: read('domain.chain.pem'), key: read('domain.key') }, (req, res) => {
    res.writeHead(200, { 'content-type': 'text/xml' });
    res.end(`${req.headers.host} ${req.url}`);
  });
  await new Promise((resolve) => s.listen(0, '127.0.0.1', resolve));
  return s;
}

test('d48_connect_to_parses_curls_syntax_and_refuses_anything_else', () => {
  assert.deepEqual(parseConnectTo('::127.0.0.1:8443'), { host: '', port: undefined, addr: '127.0.0.1', toPort: 8443 });
  assert.deepEqual(parseConnectTo('Autoconfig.Example.NET:443:[::1]:'), { host: 'autoconfig.example.net', port: 443, addr: '::1', toPort: undefined });
  for (const bad of ['', '127.0.0.1:8443', '::localhost:8443', '::127.0.0.1:70000', 'a:b:127.0.0.1:1', '::[::1:1', '::1.2.3.4.5:1']) {
    assert.throws(() => parseConnectTo(bad), /not HOST:PORT:ADDR:PORT/, bad);
  }
});

test('d48_a_mapped_connection_keeps_the_urls_host_header_and_certificate_name', async () => {
  const s = await server();
  const { port } = s.address();
  try {
    const fetch = connectFetch({ connectTo: [parseConnectTo(`example.net:443:127.0.0.1:${port}`)], ca: read('ca.pem') });
    const r = await fetch('https://example.net/mail/config-v1.1.xml?emailaddress=a%40example.net');
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('content-type'), 'text/xml');
    assert.equal(await r.text(), 'example.net /mail/config-v1.1.xml?emailaddress=a%40example.net');
    // A catch-all rule to the same server is refused for a name the certificate lacks.
    const any = connectFetch({ connectTo: [parseConnectTo(`::127.0.0.1:${port}`)], ca: read('ca.pem') });
    await assert.rejects(any('https://autoconfig.example.org/x'), (e) => e.code === 'ERR_TLS_CERT_ALTNAME_INVALID');
    // The trust store is the one given: another CA's anchor fails the same server.
    const other = connectFetch({ connectTo: [parseConnectTo(`::127.0.0.1:${port}`)], ca: read('other-ca.pem') });
    await assert.rejects(other('https://example.net/x'), (e) => /UNABLE_TO_GET_ISSUER|UNABLE_TO_VERIFY|SELF_SIGNED/.test(String(e.code)));
  } finally {
    s.close();
  }
});
