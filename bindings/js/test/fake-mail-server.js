// Small IMAP and SMTP servers for the probe tests, on loopback, with the test PKI. `behaviour`
// selects honest or hostile replies. They record every line a client sent.
import net from 'node:net';
import tls from 'node:tls';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { testdata } from './helpers.js';

const certs = path.join(testdata, 'certs');
// Implicit-TLS servers present the SRV-ID certificate (_imaps, _submissions); the STARTTLS
// server presents the one for the domain itself (DNS-ID example.net).
const srvIdCredentials = {
  key: readFileSync(path.join(certs, 'srv-id.key')),
  cert: readFileSync(path.join(certs, 'srv-id.chain.pem')),
};
const domainCredentials = {
  key: readFileSync(path.join(certs, 'domain.key')),
  cert: readFileSync(path.join(certs, 'domain.chain.pem')),
};

/** Accepts alice (local part) or alice@example.net for SMTP, with password s3cret. */
function checkPlain(b64, acceptFull) {
  const [, user, pass] = Buffer.from(b64, 'base64').toString('utf8').split('\0');
  return pass === 's3cret' && (user === 'alice' || (acceptFull && user === 'alice@example.net'));
}

function lines(socket, onLine) {
  let buf = '';
  socket.on('data', (d) => {
    buf += d.toString('latin1');
    let i;
    while ((i = buf.indexOf('\r\n')) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 2);
      onLine(line);
    }
  });
}

/**
 * Starts a server. kind: "imaps" (implicit TLS), "imap" (STARTTLS) or "submissions".
 * behaviour: "honest", "inject" (bytes after the STARTTLS reply), "strip" (no STARTTLS).
 */
export function startMailServer(kind, behaviour = 'honest') {
  const received = [];
  const serve = (socket, secure) => {
    socket.on('error', () => {});
    if (kind === 'submissions') {
      socket.write('220 fake.example ESMTP\r\n');
      lines(socket, (line) => {
        received.push(line);
        if (/^EHLO /i.test(line)) socket.write('250-fake.example\r\n250-AUTH PLAIN\r\n250 SIZE 1000\r\n');
        else if (/^AUTH PLAIN /i.test(line)) socket.write(checkPlain(line.slice(11), true) ? '235 2.7.0 ok\r\n' : '535 5.7.8 no\r\n');
        else if (/^QUIT/i.test(line)) socket.end('221 bye\r\n');
        else socket.write('500 what\r\n');
      });
      return;
    }
    socket.write('* OK fake IMAP ready\r\n');
    let authTag = null;
    lines(socket, (line) => {
      received.push(line);
      if (authTag) {
        socket.write(checkPlain(line, false) ? `${authTag} OK logged in\r\n` : `${authTag} NO [AUTHENTICATIONFAILED] no\r\n`);
        authTag = null;
        return;
      }
      const [tag, verb] = line.split(' ');
      if (secure && /^AUTHENTICATE$/i.test(verb)) {
        authTag = tag;
        socket.write('+ \r\n');
        return;
      }
      if (/^CAPABILITY$/i.test(verb)) {
        const caps = secure ? 'IMAP4rev1 AUTH=PLAIN' : behaviour === 'strip' ? 'IMAP4rev1 AUTH=PLAIN' : 'IMAP4rev1 STARTTLS LOGINDISABLED';
        socket.write(`* CAPABILITY ${caps}\r\n${tag} OK done\r\n`);
      } else if (/^STARTTLS$/i.test(verb) && !secure) {
        socket.removeAllListeners('data');
        socket.write(behaviour === 'inject' ? `${tag} OK begin TLS\r\n* OK injected\r\n` : `${tag} OK begin TLS\r\n`);
        const upgraded = new tls.TLSSocket(socket, { isServer: true, ...domainCredentials });
        serve2(upgraded);
      } else {
        socket.write(`${tag} BAD no\r\n`);
      }
    });
  };
  // After STARTTLS the greeting is not repeated.
  const serve2 = (socket) => {
    socket.on('error', () => {});
    let authTag = null;
    lines(socket, (line) => {
      received.push(`(tls) ${line}`);
      if (authTag) {
        socket.write(checkPlain(line, false) ? `${authTag} OK logged in\r\n` : `${authTag} NO [AUTHENTICATIONFAILED] no\r\n`);
        authTag = null;
        return;
      }
      const [tag, verb] = line.split(' ');
      if (/^AUTHENTICATE$/i.test(verb)) {
        authTag = tag;
        socket.write('+ \r\n');
        return;
      }
      if (/^CAPABILITY$/i.test(verb)) socket.write(`* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n${tag} OK done\r\n`);
      else socket.write(`${tag} BAD no\r\n`);
    });
  };
  const server = kind === 'imap'
    ? net.createServer((s) => serve(s, false))
    : tls.createServer(srvIdCredentials, (s) => serve(s, true));
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve({ port: server.address().port, received, stop: () => new Promise((r) => server.close(r)) }));
  });
}

/**
 * A hostile plaintext server for the probe's STARTTLS candidates (issue 12): protocol "imap",
 * "pop3" or "smtp". mode "flood": after the client's first command (IMAP `CAPABILITY`, POP3
 * `CAPA`; SMTP right after connecting) it sends capability or continuation lines of about 4 KB,
 * never the line that ends them, as fast as the client reads, at most 64 MiB per connection.
 * mode "drip": the same, one short line a second, at most 300 lines. Resolves to
 * { port, sent: () => bytes sent, stop }.
 */
export function startFloodServer(protocol, mode) {
  const sockets = new Set();
  const timers = new Set();
  let sent = 0;
  const greeting = { imap: '* OK ready\r\n', pop3: '+OK ready\r\n', smtp: '' }[protocol];
  const line = (mode === 'flood'
    ? { imap: `* CAPABILITY ${'x '.repeat(2000)}`, pop3: 'x '.repeat(2000), smtp: `220-${'x '.repeat(2000)}` }
    : { imap: '* x', pop3: 'x', smtp: '220-x' })[protocol] + '\r\n';
  const MAX = 64 << 20;
  const serve = (socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
    let total = 0;
    const write = (text) => { total += text.length; sent += text.length; return socket.write(text); };
    const start = () => {
      if (protocol === 'pop3') write('+OK\r\n');
      if (mode === 'drip') {
        let n = 0;
        const t = setInterval(() => {
          if (n++ >= 300 || socket.destroyed) { clearInterval(t); timers.delete(t); socket.destroy(); return; }
          write(line);
        }, 1000);
        timers.add(t);
        return;
      }
      const pump = () => {
        while (!socket.destroyed && total < MAX) if (!write(line)) return;
        socket.end();
      };
      socket.on('drain', pump);
      pump();
    };
    if (greeting) {
      socket.write(greeting);
      socket.once('data', start);
    } else {
      start();
    }
  };
  const server = net.createServer(serve);
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve({
      port: server.address().port,
      sent: () => sent,
      stop: () => new Promise((r) => {
        for (const t of timers) clearInterval(t);
        for (const s of sockets) s.destroy();
        server.close(r);
      }),
    }));
  });
}
