//! `mailsrv_negotiator`: the sans-IO STARTTLS/STLS/EHLO negotiator and credential step.

use mailsrv_core::negotiate::{Abort, Negotiator, Secret, Step, TlsOutcome};
use mailsrv_core::{Protocol, Security};

use crate::ffi_util::{
    OwnedStr, box_out, bytes, copy_out, free_box, guard, handle, handle_mut, mailsrv_result,
    mailsrv_str, text, write_out,
};

type R = mailsrv_result;

/// What the host must do next (`mailsrv_step.kind`).
#[repr(u32)]
pub enum mailsrv_step_kind {
    /// Write `bytes`, then call `mailsrv_negotiator_poll`.
    MAILSRV_STEP_SEND = 0,
    /// Read more and call `mailsrv_negotiator_receive`.
    MAILSRV_STEP_NEED_MORE = 1,
    /// Start the TLS handshake now, then call `mailsrv_negotiator_tls_established`.
    MAILSRV_STEP_START_TLS = 2,
    /// Waiting for `mailsrv_negotiator_tls_established` (implicit TLS starts here).
    MAILSRV_STEP_AWAIT_TLS = 3,
    /// Done: capabilities via `mailsrv_negotiator_capabilities_json`.
    MAILSRV_STEP_DONE = 4,
    /// Close the connection; `abort_reason` says why, `text` gives details.
    MAILSRV_STEP_ABORT = 5,
    /// Write `bytes`: they carry a credential (never log them), then poll.
    MAILSRV_STEP_SEND_SECRET = 6,
    /// The server accepted the credentials.
    MAILSRV_STEP_LOGGED_IN = 7,
    /// The server refused the credentials (`text` is its untrusted reason).
    MAILSRV_STEP_LOGIN_FAILED = 8,
}

/// Why a negotiation aborted (`mailsrv_step.abort_reason`).
#[repr(u32)]
pub enum mailsrv_abort_reason {
    /// Not aborted.
    MAILSRV_ABORT_NONE = 0,
    /// Bytes after the upgrade reply and before TLS (response injection).
    MAILSRV_ABORT_INJECTED_AFTER_UPGRADE = 1,
    /// STARTTLS/STLS not offered and TLS required.
    MAILSRV_ABORT_STARTTLS_NOT_OFFERED = 2,
    /// The server refused the upgrade.
    MAILSRV_ABORT_STARTTLS_REFUSED = 3,
    /// IMAP PREAUTH over plaintext.
    MAILSRV_ABORT_PREAUTH_WITHOUT_TLS = 4,
    /// The server refused the session.
    MAILSRV_ABORT_SERVER_REFUSED = 5,
    /// The server broke the protocol.
    MAILSRV_ABORT_PROTOCOL_VIOLATION = 6,
    /// A line was too long.
    MAILSRV_ABORT_LINE_TOO_LONG = 7,
    /// The certificate was not verified (or confirmed).
    MAILSRV_ABORT_CERTIFICATE_NOT_VERIFIED = 8,
    /// No way to authenticate after TLS.
    MAILSRV_ABORT_NO_AUTHENTICATION = 9,
    /// The host called a function out of order (e.g. login before a verified TLS session).
    MAILSRV_ABORT_MISUSE = 10,
}

/// One step; `bytes` and `text` are views valid until the next call on the negotiator.
#[repr(C)]
pub struct mailsrv_step {
    /// A `mailsrv_step_kind` value.
    pub kind: u32,
    /// Bytes to write (SEND, SEND_SECRET), else NULL.
    pub bytes: *const u8,
    /// Length of `bytes`.
    pub bytes_len: usize,
    /// A `mailsrv_abort_reason` value (ABORT), else NONE.
    pub abort_reason: u32,
    /// ABORT, LOGIN_FAILED: text that may come from the server, so untrusted: never show it
    /// as the library's or the host's own message; else empty.
    pub text: mailsrv_str,
}

/// A negotiator (opaque). Free with `mailsrv_negotiator_free`.
pub struct mailsrv_negotiator {
    inner: Negotiator,
    last_bytes: Vec<u8>,
    last_text: OwnedStr,
    capabilities: Option<Vec<u8>>,
}

impl Drop for mailsrv_negotiator {
    fn drop(&mut self) {
        // Credential bytes do not outlive the handle.
        self.last_bytes.fill(0);
    }
}

fn reason(a: &Abort) -> (u32, String) {
    match a {
        Abort::InjectedAfterUpgrade => (1, String::new()),
        Abort::StarttlsNotOffered => (2, String::new()),
        Abort::StarttlsRefused(t) => (3, t.0.clone()),
        Abort::PreauthWithoutTls => (4, String::new()),
        Abort::ServerRefused(t) => (5, t.0.clone()),
        Abort::ProtocolViolation(t) => (6, t.0.clone()),
        Abort::LineTooLong => (7, String::new()),
        Abort::CertificateNotVerified => (8, String::new()),
        Abort::NoAuthentication => (9, String::new()),
        Abort::Misuse(d) => (10, d.clone()),
    }
}

impl mailsrv_negotiator {
    fn record(&mut self, step: Step) -> mailsrv_step {
        self.last_bytes.fill(0);
        self.last_bytes.clear();
        let (kind, abort, text) = match step {
            Step::Send(b) => {
                self.last_bytes = b;
                (0, 0, String::new())
            }
            Step::NeedMore => (1, 0, String::new()),
            Step::StartTls => (2, 0, String::new()),
            Step::AwaitTls => (3, 0, String::new()),
            Step::Done(caps) => {
                self.capabilities = serde_json::to_vec(&caps).ok();
                (4, 0, String::new())
            }
            Step::Abort(a) => {
                let (r, t) = reason(&a);
                (5, r, t)
            }
            Step::SendSecret(b) => {
                self.last_bytes = b.as_bytes().to_vec();
                (6, 0, String::new())
            }
            Step::LoggedIn => (7, 0, String::new()),
            Step::LoginFailed(t) => (8, 0, t.0),
        };
        self.last_text = OwnedStr::new(&text);
        mailsrv_step {
            kind,
            bytes: if self.last_bytes.is_empty() {
                std::ptr::null()
            } else {
                self.last_bytes.as_ptr()
            },
            bytes_len: self.last_bytes.len(),
            abort_reason: abort,
            text: self.last_text.view(),
        }
    }
}

/// Makes a negotiator for `protocol` (`mailsrv_protocol`: IMAP, POP3 or SUBMISSION) over a
/// connection with `security` (`mailsrv_security`). `client_name` is the SMTP EHLO argument.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mailsrv_negotiator_new(
    protocol: u32,
    security: u32,
    client_name: *const u8,
    client_name_len: usize,
    out: *mut *mut mailsrv_negotiator,
) -> mailsrv_result {
    guard(|| {
        if out.is_null() {
            return Err(R::MAILSRV_RESULT_NULL_PARAMETER);
        }
        let protocol = match protocol {
            0 => Protocol::Imap,
            1 => Protocol::Pop3,
            2 => Protocol::Submission,
            _ => return Err(R::MAILSRV_RESULT_INVALID_ARGUMENT),
        };
        let security = match security {
            0 => Security::ImplicitTls,
            1 => Security::Starttls,
            2 => Security::Cleartext,
            _ => return Err(R::MAILSRV_RESULT_INVALID_ARGUMENT),
        };
        // SAFETY: caller contract for (client_name, client_name_len).
        let name = unsafe { text(client_name, client_name_len)? };
        let n = mailsrv_negotiator {
            inner: Negotiator::new(protocol, security, name),
            last_bytes: Vec::new(),
            last_text: OwnedStr::default(),
            capabilities: None,
        };
        // SAFETY: out checked non-NULL.
        unsafe { box_out(out, n) }
    })
}

/// Frees a negotiator (NULL is allowed); the last credential bytes are zeroed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mailsrv_negotiator_free(negotiator: *mut mailsrv_negotiator) {
    // SAFETY: NULL or a live handle from its `_new` call (caller contract).
    unsafe { free_box(negotiator) }
}

fn step_out(n: &mut mailsrv_negotiator, step: Step, out: *mut mailsrv_step) -> Result<(), R> {
    if out.is_null() {
        return Err(R::MAILSRV_RESULT_NULL_PARAMETER);
    }
    let s = n.record(step);
    // SAFETY: checked non-NULL; valid for writes by contract.
    unsafe { write_out(out, s) }
}

/// The first step.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mailsrv_negotiator_start(
    negotiator: *mut mailsrv_negotiator,
    out: *mut mailsrv_step,
) -> mailsrv_result {
    guard(|| {
        // SAFETY: NULL or a live, unaliased handle.
        let n = unsafe { handle_mut(negotiator)? };
        let step = n.inner.start();
        step_out(n, step, out)
    })
}

/// Feeds bytes received from the server.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mailsrv_negotiator_receive(
    negotiator: *mut mailsrv_negotiator,
    data: *const u8,
    len: usize,
    out: *mut mailsrv_step,
) -> mailsrv_result {
    guard(|| {
        // SAFETY: NULL or a live, unaliased handle; caller contract for (data, len).
        let (n, data) = unsafe { (handle_mut(negotiator)?, bytes(data, len)?) };
        if out.is_null() {
            return Err(R::MAILSRV_RESULT_NULL_PARAMETER);
        }
        let step = n.inner.receive(data);
        step_out(n, step, out)
    })
}

/// Continues with bytes already received (call after writing a SEND or SEND_SECRET step).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mailsrv_negotiator_poll(
    negotiator: *mut mailsrv_negotiator,
    out: *mut mailsrv_step,
) -> mailsrv_result {
    guard(|| {
        // SAFETY: NULL or a live, unaliased handle.
        let n = unsafe { handle_mut(negotiator)? };
        if out.is_null() {
            return Err(R::MAILSRV_RESULT_NULL_PARAMETER);
        }
        let step = n.inner.poll();
        step_out(n, step, out)
    })
}

/// Reports the TLS handshake and the verdict: `mailsrv_tls_outcome`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mailsrv_negotiator_tls_established(
    negotiator: *mut mailsrv_negotiator,
    outcome: u32,
    out: *mut mailsrv_step,
) -> mailsrv_result {
    guard(|| {
        // SAFETY: NULL or a live, unaliased handle.
        let n = unsafe { handle_mut(negotiator)? };
        let outcome = tls_outcome_from_code(outcome).ok_or(R::MAILSRV_RESULT_INVALID_ARGUMENT)?;
        if out.is_null() {
            return Err(R::MAILSRV_RESULT_NULL_PARAMETER);
        }
        let step = n.inner.tls_established(outcome);
        step_out(n, step, out)
    })
}

/// The C value of a [`TlsOutcome`].
pub(crate) fn tls_outcome_code(outcome: TlsOutcome) -> u32 {
    match outcome {
        TlsOutcome::Verified => mailsrv_tls_outcome::MAILSRV_TLS_VERIFIED as u32,
        TlsOutcome::UserConfirmed => mailsrv_tls_outcome::MAILSRV_TLS_USER_CONFIRMED as u32,
        TlsOutcome::NotVerified => mailsrv_tls_outcome::MAILSRV_TLS_NOT_VERIFIED as u32,
    }
}

/// The [`TlsOutcome`] of a C value, if it is one.
fn tls_outcome_from_code(code: u32) -> Option<TlsOutcome> {
    [
        TlsOutcome::Verified,
        TlsOutcome::UserConfirmed,
        TlsOutcome::NotVerified,
    ]
    .into_iter()
    .find(|o| tls_outcome_code(*o) == code)
}

/// The certificate outcome reported to `mailsrv_negotiator_tls_established`.
#[repr(u32)]
pub enum mailsrv_tls_outcome {
    /// Handshake done and the verdict is `verified`.
    MAILSRV_TLS_VERIFIED = 0,
    /// The verdict is `needs-confirmation` and the user confirmed the server.
    MAILSRV_TLS_USER_CONFIRMED = 1,
    /// Not verified (or not confirmed).
    MAILSRV_TLS_NOT_VERIFIED = 2,
}

/// Authenticates; allowed only after DONE over TLS with a verified or confirmed certificate
/// (else the step is an ABORT with MISUSE and nothing is to be sent). The credentials are
/// borrowed for the call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mailsrv_negotiator_login(
    negotiator: *mut mailsrv_negotiator,
    username: *const u8,
    username_len: usize,
    password: *const u8,
    password_len: usize,
    out: *mut mailsrv_step,
) -> mailsrv_result {
    guard(|| {
        // SAFETY: NULL or a live, unaliased handle; caller contracts for the texts.
        let (n, user, pass) = unsafe {
            (
                handle_mut(negotiator)?,
                text(username, username_len)?,
                text(password, password_len)?,
            )
        };
        if out.is_null() {
            return Err(R::MAILSRV_RESULT_NULL_PARAMETER);
        }
        let step = n.inner.login(user, &Secret::new(pass));
        step_out(n, step, out)
    })
}

/// The capabilities learned after TLS, as JSON (after a DONE step; INVALID_ARGUMENT before).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mailsrv_negotiator_capabilities_json(
    negotiator: *const mailsrv_negotiator,
    buf: *mut u8,
    len: usize,
    out_n: *mut usize,
) -> mailsrv_result {
    guard(|| {
        // SAFETY: NULL or a live handle.
        let n = unsafe { handle(negotiator)? };
        let json = n
            .capabilities
            .as_ref()
            .ok_or(R::MAILSRV_RESULT_INVALID_ARGUMENT)?;
        // SAFETY: buffer contract of copy_out.
        unsafe { copy_out(json, buf, len, out_n) }
    })
}
