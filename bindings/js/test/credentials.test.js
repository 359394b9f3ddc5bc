// The credential detector the probe tests rely on (credentials.js) must flag every form in which
// IMAP, POP3 and SMTP clients hand over a login, and nothing else. The base64 strings are written
// out here (made with `printf … | base64`), not computed with the code under test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { credentialLines } from './credentials.js';

const B64 = {
  password: 'czNjcmV0', // s3cret
  local: 'YWxpY2U=', // alice
  full: 'YWxpY2VAZXhhbXBsZS5uZXQ=', // alice@example.net
  plainLocal: 'AGFsaWNlAHMzY3JldA==', // \0alice\0s3cret
  plainFull: 'AGFsaWNlQGV4YW1wbGUubmV0AHMzY3JldA==', // \0alice@example.net\0s3cret
  plainAuthz: 'YWxpY2UAYWxpY2UAczNjcmV0', // alice\0alice\0s3cret
  otherAccount: 'AGJvYgBodW50ZXIy', // \0bob\0hunter2: a secret the detector does not know
};

/** Asserts that exactly the lines at `indexes` of `lines` are flagged, with those reasons. */
function flags(lines, expected) {
  const got = credentialLines(lines).map(({ index, reason }) => [index, reason]);
  assert.deepEqual(got, expected, JSON.stringify(lines));
}

test('IMAP LOGIN is flagged, tagged or not, in any case, quoted, over TLS or with literals', () => {
  flags(['a1 LOGIN alice s3cret'], [[0, 'command']]);
  flags(['A001 login "alice@example.net" "s3cret"'], [[0, 'command']]);
  flags(['LOGIN alice s3cret'], [[0, 'command']]);
  flags(['(tls) A3 LOGIN alice s3cret'], [[0, 'command']]);
  // A LOGIN with literals: the literal data that follows is part of the command.
  flags(['a1 LOGIN {5}', 'alice {6}', 'hunter', 'a2 NOOP'], [[0, 'command'], [1, 'sasl-response'], [2, 'sasl-response']]);
});

test('IMAP AUTHENTICATE and every SASL continuation line after it are flagged', () => {
  flags(['A4 AUTHENTICATE PLAIN', B64.plainLocal], [[0, 'command'], [1, 'sasl-response']]);
  flags([`A4 AUTHENTICATE PLAIN ${B64.plainFull}`], [[0, 'command']]);
  flags(['a5 authenticate LOGIN', B64.local, B64.password, 'a6 CAPABILITY'], [[0, 'command'], [1, 'sasl-response'], [2, 'sasl-response']]);
  // A response whose secret the detector does not know is still flagged: it follows AUTHENTICATE.
  flags(['a7 AUTHENTICATE PLAIN', B64.otherAccount], [[0, 'command'], [1, 'sasl-response']]);
  // An empty response and a cancel are part of the exchange too.
  flags(['a8 AUTHENTICATE PLAIN', '', '*', 'a9 LOGOUT'], [[0, 'command'], [1, 'sasl-response'], [2, 'sasl-response']]);
});

test('POP3 USER, PASS, APOP and AUTH (with and without an initial response) are flagged', () => {
  flags(['CAPA', 'USER alice', 'PASS s3cret', 'STAT'], [[1, 'command'], [2, 'command']]);
  flags(['APOP alice c4c9334bac560ecc979e58001b3e22fb'], [[0, 'command']]);
  flags([`AUTH PLAIN ${B64.plainLocal}`], [[0, 'command']]);
  flags(['AUTH PLAIN', B64.plainAuthz, 'QUIT'], [[0, 'command'], [1, 'sasl-response']]);
});

test('SMTP AUTH PLAIN and AUTH LOGIN, with initial responses and continuation lines, are flagged', () => {
  // The form the old check missed: it dropped the first word of each line.
  flags(['EHLO localhost', `AUTH PLAIN ${B64.plainFull}`, 'QUIT'], [[1, 'command']]);
  flags(['EHLO localhost', 'AUTH PLAIN', B64.plainFull, 'QUIT'], [[1, 'command'], [2, 'sasl-response']]);
  flags(['auth login', B64.full, B64.password, 'MAIL FROM:<alice@example.net>'], [[0, 'command'], [1, 'sasl-response'], [2, 'sasl-response']]);
  flags([`AUTH LOGIN ${B64.local}`, B64.password], [[0, 'command'], [1, 'sasl-response']]);
});

test('the password and the base64 forms of the password, usernames and PLAIN blob are flagged anywhere', () => {
  flags([B64.password], [[0, 'base64']]);
  flags([B64.plainLocal], [[0, 'base64']]);
  flags([B64.plainFull], [[0, 'base64']]);
  flags([B64.plainAuthz], [[0, 'base64']]);
  flags([B64.local, B64.full], [[0, 'base64'], [1, 'base64']]);
  flags(['(tls) ' + B64.plainLocal], [[0, 'base64']]);
  flags(['XCMD s3cret'], [[0, 'password']]);
  flags([`a1 XAUTH "${B64.password}"`], [[0, 'base64']]);
  // With another account, its own secrets count and the test account's do not.
  assert.deepEqual(credentialLines(['hunter2', B64.password], { password: 'hunter2', usernames: ['bob'] }).map((f) => f.index), [0]);
});

test('ordinary commands are not flagged', () => {
  const ordinary = [
    'A1 CAPABILITY', 'A2 STARTTLS', '(tls) A3 CAPABILITY', 'a4 NOOP', 'a5 LOGOUT', 'CAPABILITY', 'STARTTLS',
    'EHLO localhost', 'EHLO login.example.net', 'HELO mail', 'NOOP', 'QUIT', 'CAPA', 'STLS', 'STAT', 'RSET',
    'MAIL FROM:<alice@example.net>', 'RCPT TO:<bob@example.org>', 'DATA',
  ];
  flags(ordinary, []);
  // An exchange ends at the next ordinary command: what follows is judged on its own again.
  flags(['a1 AUTHENTICATE PLAIN', B64.plainLocal, 'a2 CAPABILITY', 'a3 NOOP'], [[0, 'command'], [1, 'sasl-response']]);
});
