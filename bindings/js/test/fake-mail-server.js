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
        else if (/^QUIT/i.test(line)) socket.end('221 bye\r\n');
        else socket.write('500 what\r\n');
      });
      return;
    }
    socket.write('* OK fake IMAP ready\r\n');
    lines(socket, (line) => {
      received.push(line);
      const [tag, verb] = line.split(' ');
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
    lines(socket, (line) => {
      received.push(`(tls) ${line}`);
      const [tag, verb] = line.split(' ');
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
