// A credential detector for the lines a test mail server received. It reads each line as a
// command, with or without an IMAP tag, and flags every way a client can hand over a login:
//   - the commands that carry or start one: IMAP LOGIN and AUTHENTICATE, POP3 USER, PASS, APOP
//     and AUTH, SMTP AUTH (with or without an initial response);
//   - every line after AUTH/AUTHENTICATE (or after a LOGIN that announced a literal) until the
//     client sends an ordinary command again: those are SASL responses or literal data;
//   - the password itself anywhere, and any base64 token that decodes to text holding the
//     password or a username (so the PLAIN blob "\0user\0password" and SASL LOGIN's separate
//     base64 username and password lines are caught wherever they appear).
// Lines recorded after the TLS upgrade carry a "(tls) " prefix in fake-mail-server.js; it is
// ignored here.

/** The test servers' account: the probe tests log in as alice with this password. */
export const TEST_ACCOUNT = Object.freeze({ password: 's3cret', usernames: ['alice', 'alice@example.net'] });

// Commands that carry a credential or start an exchange that does.
const CREDENTIAL_VERBS = new Set(['LOGIN', 'AUTHENTICATE', 'AUTH', 'USER', 'PASS', 'APOP']);
// Commands that start a SASL exchange: the client's next lines are SASL responses.
const SASL_VERBS = new Set(['AUTHENTICATE', 'AUTH']);
// Commands that carry no credential (IMAP, POP3, SMTP). Seeing one ends a SASL exchange.
const ORDINARY_VERBS = new Set([
  'CAPABILITY', 'STARTTLS', 'NOOP', 'LOGOUT', 'ID', 'ENABLE', 'SELECT', 'EXAMINE', 'LIST', 'STATUS',
  'CAPA', 'STLS', 'STAT', 'RETR', 'DELE', 'RSET', 'TOP', 'UIDL', 'QUIT',
  'EHLO', 'HELO', 'MAIL', 'RCPT', 'DATA', 'VRFY', 'HELP',
]);

const upper = (s) => (s ?? '').toUpperCase();

/** The command word of `tokens`: the first token, or the second when the first is an IMAP tag. */
function verbOf(tokens) {
  const first = upper(tokens[0]);
  if (CREDENTIAL_VERBS.has(first) || ORDINARY_VERBS.has(first)) return first;
  const second = upper(tokens[1]);
  if (tokens.length >= 2 && (CREDENTIAL_VERBS.has(second) || ORDINARY_VERBS.has(second))) return second;
  return null;
}

/** True when `token` is standard padded base64 that decodes to text holding a secret. */
function base64Holds(token, secrets) {
  if (token.length < 4 || token.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(token)) return false;
  const bytes = Buffer.from(token, 'base64');
  if (bytes.toString('base64') !== token) return false;
  const text = bytes.toString('latin1');
  return secrets.some((s) => s.length > 0 && text.includes(s));
}

/**
 * Returns the lines of `received` that hand over a credential, each as { index, line, reason }
 * (reason: "command", "sasl-response", "password" or "base64"). `account` defaults to the test
 * servers' account.
 */
export function credentialLines(received, account = TEST_ACCOUNT) {
  const { password, usernames } = account;
  const secrets = [password, ...usernames];
  const found = [];
  let inExchange = false;
  received.forEach((raw, index) => {
    const line = raw.startsWith('(tls) ') ? raw.slice(6) : raw;
    const tokens = line.trim().split(/\s+/).filter(Boolean);
    const verb = verbOf(tokens);
    let reason = null;
    if (inExchange && verb !== null && ORDINARY_VERBS.has(verb)) inExchange = false;
    if (inExchange) {
      reason = 'sasl-response';
    } else if (verb !== null && CREDENTIAL_VERBS.has(verb)) {
      reason = 'command';
      // After AUTH/AUTHENTICATE, and after a LOGIN ending in an IMAP literal ({n} or {n+}), the
      // client's next lines are part of the same exchange.
      inExchange = SASL_VERBS.has(verb) || (verb === 'LOGIN' && /\{\d+\+?\}$/.test(line.trim()));
    } else if (password && line.includes(password)) {
      reason = 'password';
    } else if (tokens.some((t) => base64Holds(t.replace(/^"|"$/g, ''), secrets))) {
      reason = 'base64';
    }
    if (reason) found.push({ index, line: raw, reason });
  });
  return found;
}
