//! Sans-IO STARTTLS / STLS / EHLO negotiators for IMAP, POP3 and SMTP submission (RFC 3207,
//! RFC 2595, RFC 9051, RFC 8314 §5.2): they tell the host what to send and when to start TLS,
//! and refuse every known STARTTLS attack (the "NO STARTTLS" study, Poddebniak et al. 2021).
//!
//! The host connects (with TLS already up for implicit-TLS candidates), then loops:
//! feed what it received with [`Negotiator::receive`] and act on the [`Step`]:
//! - [`Step::Send`]: write the bytes, then call [`Negotiator::poll`]: data that arrived with
//!   the previous read is processed before anything new is read;
//! - [`Step::NeedMore`]: read more;
//! - [`Step::StartTls`]: run the TLS handshake now. Every byte read so far has been consumed;
//!   bytes read before the handshake completes must be fed (they abort: response injection);
//! - [`Step::AwaitTls`]: call [`Negotiator::tls_established`] once the handshake is done and the
//!   certificate verdict is known;
//! - [`Step::Done`]: the capabilities seen *after* TLS; the connection is ready for
//!   authentication;
//! - [`Step::Abort`]: close the connection; send nothing, not even credentials.
//!
//! The verdict is the same for any fragmentation of the same bytes, and what a server may send
//! is capped ([`MAX_BYTES_BEFORE_TLS`], [`MAX_LINES_BEFORE_TLS`], [`MAX_RESPONSE_LINES`],
//! [`MAX_CAPABILITIES`], [`MAX_REPLY_LINES`], [`MAX_CHALLENGE`], [`MAX_LINE`]), each cap aborting
//! with its own reason; memory stays proportional to the caps, not to what was received.
//!
//! After `Done`, [`Negotiator::login`] may authenticate — only over TLS with a verified (or
//! user-confirmed) certificate; any other call is refused by state. Credential-bearing bytes
//! come as [`Step::SendSecret`], whose `Debug` output never shows them.

mod budget;
mod imap;
mod kinds;
mod lines;
mod pop3;
mod serialize;
mod smtp;

use serde::Serialize;

use crate::service::{Protocol, Security};

pub use budget::{
    MAX_BYTES_BEFORE_TLS, MAX_CAPABILITIES, MAX_CHALLENGE, MAX_LINE, MAX_LINES_BEFORE_TLS,
    MAX_REPLY_LINES, MAX_RESPONSE_LINES,
};
pub use kinds::{AbortReason, StepKind};

/// What the host must do next. Serialized (for the WebAssembly and JSON hosts) as an object
/// tagged by `type`; see `serialize.rs`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// Write these bytes to the connection.
    Send(Vec<u8>),
    /// Read more bytes and feed them.
    NeedMore,
    /// Start the TLS handshake now, then call [`Negotiator::tls_established`].
    StartTls,
    /// Waiting for [`Negotiator::tls_established`] (implicit TLS starts here).
    AwaitTls,
    /// Negotiation finished: the capabilities learned after TLS.
    Done(Capabilities),
    /// Close the connection; nothing more may be sent.
    Abort(Abort),
    /// Write these bytes: they carry a credential. Never log them.
    SendSecret(SensitiveBytes),
    /// The server accepted the credentials.
    LoggedIn,
    /// The server refused the credentials; [`Negotiator::login`] may be called again with the
    /// next username (the local part after the full address, RFC 6186 §4), or ask the user.
    LoginFailed(Untrusted),
}

/// A password. Its `Debug` output is redacted.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a password.
    pub fn new(password: impl Into<String>) -> Self {
        Self(password.into())
    }
}

impl core::fmt::Debug for Secret {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

/// Bytes that carry a credential. Their `Debug` output shows only their length.
#[derive(Clone, PartialEq, Eq)]
pub struct SensitiveBytes(Vec<u8>);

impl SensitiveBytes {
    /// The bytes to write to the connection.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }
}

impl core::fmt::Debug for SensitiveBytes {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "SensitiveBytes(<{} bytes redacted>)", self.0.len())
    }
}

/// The SASL PLAIN message for `username` and `password`, base64 (RFC 4616).
pub(crate) fn sasl_plain(username: &str, password: &Secret) -> String {
    let mut raw = Vec::with_capacity(username.len() + password.0.len() + 2);
    raw.push(0);
    raw.extend_from_slice(username.as_bytes());
    raw.push(0);
    raw.extend_from_slice(password.0.as_bytes());
    base64(&raw)
}

/// Base64 with padding (RFC 4648 §4), in constant time since it encodes credentials.
pub(crate) fn base64(bytes: impl AsRef<[u8]>) -> String {
    use base64ct::Encoding;
    base64ct::Base64::encode_string(bytes.as_ref())
}

pub(crate) fn secret_line(text: String) -> Step {
    Step::SendSecret(SensitiveBytes(format!("{text}\r\n").into_bytes()))
}

/// Where a login stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Login {
    /// No login yet (or the last one failed): `login` may be called.
    Ready,
    /// Waiting for the server's answer.
    InProgress,
    /// Logged in: nothing more to do.
    Finished,
}

/// Text that came from the server and is not authenticated: never show it as a trusted
/// message (security scenarios 10, 20, 27).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Untrusted(pub String);

/// What the server offers once the connection is protected.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Capabilities {
    /// Whether the connection is protected by TLS.
    pub tls: bool,
    /// Capability keywords as the server spelled them (IMAP CAPABILITY atoms, POP3 CAPA first
    /// tokens, SMTP EHLO keywords), learned after TLS only.
    pub keywords: Vec<String>,
    /// SASL mechanisms offered (IMAP `AUTH=`, POP3 `SASL`, SMTP `AUTH`), upper case.
    pub auth_mechanisms: Vec<String>,
    /// IMAP: LOGIN is disabled (`LOGINDISABLED`).
    pub login_disabled: bool,
    /// IMAP: the server greeted with PREAUTH over TLS (already authenticated).
    pub preauthenticated: bool,
    /// The server's greeting text.
    pub greeting: Untrusted,
}

/// Why the negotiation was aborted. As JSON: `{"reason": "server-refused", "untrustedText":
/// "..."}`; the text may come from the server and is never the library's own message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "reason", content = "untrustedText")]
pub enum Abort {
    /// Bytes arrived after the reply that accepts the upgrade and before TLS (response
    /// injection; security scenarios 1–9).
    InjectedAfterUpgrade,
    /// The server does not offer STARTTLS/STLS and TLS is required (stripping).
    StarttlsNotOffered,
    /// The server refused the upgrade (NO, BAD, -ERR, 454, ...).
    StarttlsRefused(Untrusted),
    /// IMAP PREAUTH over an unprotected connection (RFC 9051 §7.1.4).
    PreauthWithoutTls,
    /// The server refused the session (BYE, -ERR, 554, 421, ...).
    ServerRefused(Untrusted),
    /// The server broke the protocol (a wrong tag, an unexpected reply or status, unsolicited
    /// data, a literal before TLS, ...); the description may quote the server.
    ProtocolViolation(Untrusted),
    /// A line longer than [`MAX_LINE`] bytes.
    LineTooLong,
    /// More than [`MAX_BYTES_BEFORE_TLS`] bytes before TLS.
    TooMuchBeforeTls,
    /// More than [`MAX_LINES_BEFORE_TLS`] lines before TLS, or more than
    /// [`MAX_RESPONSE_LINES`] lines in one IMAP response.
    TooManyLines,
    /// More than [`MAX_CAPABILITIES`] capabilities (or SASL mechanisms) in one list.
    TooManyCapabilities,
    /// More than [`MAX_REPLY_LINES`] lines in one SMTP reply.
    ReplyTooLong,
    /// A SASL challenge longer than [`MAX_CHALLENGE`] bytes.
    ChallengeTooLarge,
    /// The certificate was not verified and the user did not confirm the server.
    CertificateNotVerified,
    /// The server leaves no way to authenticate after TLS.
    NoAuthentication,
    /// The host called a method out of order (a bug in the host).
    Misuse(String),
}

/// The certificate verdict as the host reports it after the TLS handshake
/// (`VerdictStatus::tls_outcome` derives it from a verdict and the user's decision).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TlsOutcome {
    /// Handshake done, verdict `verified`.
    Verified,
    /// Handshake done, verdict `needs-confirmation`, and the user confirmed the server.
    UserConfirmed,
    /// Handshake done, but the verdict was `rejected` or not confirmed.
    NotVerified,
}

/// The state shared by the protocol dialects.
#[derive(Debug)]
pub(crate) struct Core {
    pub lines: lines::LineReader,
    /// What was received before TLS (bytes and lines against their caps).
    pub before_tls: budget::BeforeTls,
    pub tls: bool,
    pub require_tls: bool,
    pub finished: Option<Step>,
    /// TLS is up and the certificate was verified or confirmed by the user.
    pub trusted: bool,
    pub login: Option<Login>,
    pub capabilities: Option<Capabilities>,
}

/// The most bytes of one `receive` call buffered before its lines are read.
const PIECE: usize = 16 * 1024;

impl Core {
    /// Buffers received bytes; before TLS only up to [`MAX_BYTES_BEFORE_TLS`] (what arrives past
    /// it is counted, not kept).
    fn accept(&mut self, bytes: &[u8]) {
        let take = if self.tls {
            bytes.len()
        } else {
            self.before_tls.admit(bytes.len())
        };
        self.lines.push(&bytes[..take]);
    }

    /// The next complete line, `None` when more bytes are needed; refuses a line too long, a
    /// line past [`MAX_LINES_BEFORE_TLS`], and needing more once [`MAX_BYTES_BEFORE_TLS`] is
    /// spent.
    pub(crate) fn next_line(&mut self) -> Result<Option<String>, Abort> {
        let line = self.lines.next_line()?;
        match line {
            Some(_) if !self.tls => self.before_tls.line()?,
            None if !self.tls && self.before_tls.over() => return Err(Abort::TooMuchBeforeTls),
            _ => {}
        }
        Ok(line)
    }
}

/// One negotiation on one connection.
#[derive(Debug)]
pub struct Negotiator {
    core: Core,
    dialect: Dialect,
}

#[derive(Debug)]
enum Dialect {
    Imap(imap::Imap),
    Pop3(pop3::Pop3),
    Smtp(smtp::Smtp),
}

impl Negotiator {
    /// A negotiator for `protocol` over a connection with `security`: implicit TLS (TLS is up
    /// before the first byte; call [`Negotiator::tls_established`] first), STARTTLS (required),
    /// or cleartext (the host opted in: upgrade if offered, else continue without TLS).
    /// `client_name` is the EHLO argument for SMTP (a domain or an address literal).
    pub fn new(protocol: Protocol, security: Security, client_name: &str) -> Self {
        let core = Core {
            lines: lines::LineReader::default(),
            before_tls: budget::BeforeTls::default(),
            tls: false,
            require_tls: security != Security::Cleartext,
            finished: None,
            trusted: false,
            login: None,
            capabilities: None,
        };
        let implicit = security == Security::ImplicitTls;
        let dialect = match protocol {
            Protocol::Imap => Dialect::Imap(imap::Imap::new(implicit)),
            Protocol::Pop3 => Dialect::Pop3(pop3::Pop3::new(implicit)),
            Protocol::Submission => Dialect::Smtp(smtp::Smtp::new(implicit, client_name)),
        };
        Self { core, dialect }
    }

    /// The first step: [`Step::AwaitTls`] for implicit TLS, else [`Step::NeedMore`] (the
    /// server speaks first).
    pub fn start(&self) -> Step {
        if let Some(done) = &self.core.finished {
            return done.clone();
        }
        let waiting = match &self.dialect {
            Dialect::Imap(d) => d.awaiting_tls(),
            Dialect::Pop3(d) => d.awaiting_tls(),
            Dialect::Smtp(d) => d.awaiting_tls(),
        };
        if waiting {
            Step::AwaitTls
        } else {
            Step::NeedMore
        }
    }

    /// Feeds bytes received from the server; returns what to do next. After `Done` or `Abort`
    /// the same final step is returned again.
    pub fn receive(&mut self, bytes: &[u8]) -> Step {
        if let Some(done) = &self.core.finished {
            return done.clone();
        }
        let awaiting = match &self.dialect {
            Dialect::Imap(d) => d.awaiting_tls(),
            Dialect::Pop3(d) => d.awaiting_tls(),
            Dialect::Smtp(d) => d.awaiting_tls(),
        };
        if awaiting && !bytes.is_empty() {
            // Bytes between the upgrade reply and the handshake (scenario 5).
            return self.finish(Step::Abort(Abort::InjectedAfterUpgrade));
        }
        // Fed in pieces, so that a flood in one large chunk is read (and refused) without first
        // being copied whole; the rest is kept only when the dialect stops to send or finish.
        let mut rest = bytes;
        loop {
            let (piece, after) = rest.split_at(rest.len().min(PIECE));
            self.core.accept(piece);
            rest = after;
            let step = match &mut self.dialect {
                Dialect::Imap(d) => d.advance(&mut self.core),
                Dialect::Pop3(d) => d.advance(&mut self.core),
                Dialect::Smtp(d) => d.advance(&mut self.core),
            };
            if step == Step::NeedMore && !rest.is_empty() {
                continue;
            }
            if !matches!(step, Step::Abort(_)) {
                self.core.accept(rest);
            }
            return self.settle(step);
        }
    }

    /// Processes bytes already received but not yet read; call it after acting on a
    /// [`Step::Send`] (equivalent to `receive(&[])`).
    pub fn poll(&mut self) -> Step {
        self.receive(&[])
    }

    /// Reports the end of the TLS handshake and the certificate verdict.
    pub fn tls_established(&mut self, outcome: TlsOutcome) -> Step {
        if let Some(done) = &self.core.finished {
            return done.clone();
        }
        let awaiting = match &self.dialect {
            Dialect::Imap(d) => d.awaiting_tls(),
            Dialect::Pop3(d) => d.awaiting_tls(),
            Dialect::Smtp(d) => d.awaiting_tls(),
        };
        if !awaiting {
            return self.finish(Step::Abort(Abort::Misuse(
                "tls_established called before StartTls".into(),
            )));
        }
        if outcome == TlsOutcome::NotVerified {
            return self.finish(Step::Abort(Abort::CertificateNotVerified));
        }
        // Everything learned before TLS is forgotten (RFC 3207 §4.2, RFC 2595 §3.1/§4).
        self.core.tls = true;
        self.core.trusted = true;
        self.core.lines = lines::LineReader::default();
        let step = match &mut self.dialect {
            Dialect::Imap(d) => d.after_tls(),
            Dialect::Pop3(d) => d.after_tls(),
            Dialect::Smtp(d) => d.after_tls(),
        };
        self.settle(step)
    }

    /// Authenticates with `username` and `password`: SASL PLAIN when offered, else IMAP LOGIN,
    /// POP3 USER/PASS or SMTP AUTH LOGIN. Allowed only after [`Step::Done`] over TLS with a
    /// verified or user-confirmed certificate, or after [`Step::LoginFailed`]; anything else
    /// aborts with [`Abort::Misuse`] and sends nothing (RFC 8314 §5.1: no credentials before
    /// the minimum is met).
    pub fn login(&mut self, username: &str, password: &Secret) -> Step {
        let ready = self.core.login == Some(Login::Ready);
        let caps = self.core.capabilities.clone();
        let Some(caps) = caps.filter(|c| ready && c.tls && self.core.trusted) else {
            return self.finish(Step::Abort(Abort::Misuse(
                "credentials may be sent only after the negotiation is done over TLS with a verified certificate".into(),
            )));
        };
        let bad = |s: &str| s.is_empty() || s.contains(['\r', '\n', '\0']);
        if bad(username) || password.0.contains(['\r', '\n', '\0']) {
            return self.finish(Step::Abort(Abort::Misuse(
                "a credential is empty or holds CR, LF or NUL".into(),
            )));
        }
        self.core.finished = None;
        self.core.login = Some(Login::InProgress);
        let step = match &mut self.dialect {
            Dialect::Imap(d) => d.login(&caps, username, password),
            Dialect::Pop3(d) => d.login(&caps, username, password),
            Dialect::Smtp(d) => d.login(&caps, username, password),
        };
        self.settle(step)
    }

    fn settle(&mut self, step: Step) -> Step {
        match step {
            Step::Done(ref caps) => {
                self.core.capabilities = Some(caps.clone());
                self.core.login = Some(Login::Ready);
                self.finish(step)
            }
            Step::LoginFailed(_) => {
                self.core.login = Some(Login::Ready);
                self.finish(step)
            }
            Step::LoggedIn => {
                self.core.login = Some(Login::Finished);
                self.finish(step)
            }
            Step::Abort(_) => self.finish(step),
            Step::StartTls if !self.core.lines.is_empty() || self.core.before_tls.over() => {
                self.finish(Step::Abort(Abort::InjectedAfterUpgrade))
            }
            other => other,
        }
    }

    fn finish(&mut self, step: Step) -> Step {
        self.core.finished = Some(step.clone());
        step
    }
}

/// Splits `line` at the first space: `(first, rest)`.
pub(crate) fn split_word(line: &str) -> (&str, &str) {
    match line.split_once(' ') {
        Some((a, b)) => (a, b),
        None => (line, ""),
    }
}

#[cfg(test)]
mod tests;
