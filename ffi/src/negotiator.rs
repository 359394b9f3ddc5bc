//! `mailsrv_negotiator`: the sans-IO STARTTLS/STLS/EHLO negotiator and credential step.

use mailsrv_core::negotiate::{Abort, Negotiator, Secret, Step, TlsOutcome};
use mailsrv_core::{Protocol, Security};

use crate::cenum::from_c;
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

/// The C reason and detail of an abort. `Abort` carries data, so it has no core numbering
/// (`Numbered`): this match is its one table, by the C names.
fn reason(a: &Abort) -> (mailsrv_abort_reason, String) {
    use mailsrv_abort_reason as A;
    match a {
        Abort::InjectedAfterUpgrade => (A::MAILSRV_ABORT_INJECTED_AFTER_UPGRADE, String::new()),
        Abort::StarttlsNotOffered => (A::MAILSRV_ABORT_STARTTLS_NOT_OFFERED, String::new()),
        Abort::StarttlsRefused(t) => (A::MAILSRV_ABORT_STARTTLS_REFUSED, t.0.clone()),
        Abort::PreauthWithoutTls => (A::MAILSRV_ABORT_PREAUTH_WITHOUT_TLS, String::new()),
        Abort::ServerRefused(t) => (A::MAILSRV_ABORT_SERVER_REFUSED, t.0.clone()),
        Abort::ProtocolViolation(t) => (A::MAILSRV_ABORT_PROTOCOL_VIOLATION, t.0.clone()),
        Abort::LineTooLong => (A::MAILSRV_ABORT_LINE_TOO_LONG, String::new()),
        Abort::CertificateNotVerified => (A::MAILSRV_ABORT_CERTIFICATE_NOT_VERIFIED, String::new()),
        Abort::NoAuthentication => (A::MAILSRV_ABORT_NO_AUTHENTICATION, String::new()),
        Abort::Misuse(d) => (A::MAILSRV_ABORT_MISUSE, d.clone()),
    }
}

impl mailsrv_negotiator {
    fn record(&mut self, step: Step) -> mailsrv_step {
        use mailsrv_step_kind as K;
        self.last_bytes.fill(0);
        self.last_bytes.clear();
        let none = mailsrv_abort_reason::MAILSRV_ABORT_NONE;
        // `Step` carries data too: the C kind is named here, once.
        let (kind, abort, text) = match step {
            Step::Send(b) => {
                self.last_bytes = b;
                (K::MAILSRV_STEP_SEND, none, String::new())
            }
            Step::NeedMore => (K::MAILSRV_STEP_NEED_MORE, none, String::new()),
            Step::StartTls => (K::MAILSRV_STEP_START_TLS, none, String::new()),
            Step::AwaitTls => (K::MAILSRV_STEP_AWAIT_TLS, none, String::new()),
            Step::Done(caps) => {
                self.capabilities = serde_json::to_vec(&caps).ok();
                (K::MAILSRV_STEP_DONE, none, String::new())
            }
            Step::Abort(a) => {
                let (r, t) = reason(&a);
                (K::MAILSRV_STEP_ABORT, r, t)
            }
            Step::SendSecret(b) => {
                self.last_bytes = b.as_bytes().to_vec();
                (K::MAILSRV_STEP_SEND_SECRET, none, String::new())
            }
            Step::LoggedIn => (K::MAILSRV_STEP_LOGGED_IN, none, String::new()),
            Step::LoginFailed(t) => (K::MAILSRV_STEP_LOGIN_FAILED, none, t.0),
        };
        self.last_text = OwnedStr::new(&text);
        mailsrv_step {
            kind: kind as u32,
            bytes: if self.last_bytes.is_empty() {
                std::ptr::null()
            } else {
                self.last_bytes.as_ptr()
            },
            bytes_len: self.last_bytes.len(),
            abort_reason: abort as u32,
            text: self.last_text.view(),
        }
    }
}

/// Makes a negotiator for `protocol` (`mailsrv_protocol`: IMAP, POP3 or SUBMISSION) over a
/// connection with `security` (`mailsrv_security`). `client_name` (borrowed, copied) is the SMTP
/// EHLO argument.
///
/// Returns OK with `*out` set to a negotiator the caller owns (free it with
/// `mailsrv_negotiator_free`); NULL_PARAMETER for a NULL `out`, or NULL `client_name` with a
/// non-zero length; INVALID_ARGUMENT for an unknown protocol (NONE included) or security, or a
/// name that is not UTF-8.
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
        let protocol = from_c::<Protocol>(protocol)?;
        let security = from_c::<Security>(security)?;
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

/// The first step, in `*out` (its views are valid until the next call on the negotiator).
///
/// Returns OK; NULL_PARAMETER for a NULL `negotiator` or `out`.
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

/// Feeds bytes received from the server (borrowed for the call); the next step goes to `*out`
/// (its views are valid until the next call on the negotiator).
///
/// Returns OK; NULL_PARAMETER for a NULL `negotiator` or `out`, or NULL `data` with a non-zero
/// length. A misbehaving server is an ABORT step, not an error.
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

/// Continues with bytes already received (call after writing a SEND or SEND_SECRET step); the
/// next step goes to `*out` (its views are valid until the next call on the negotiator).
///
/// Returns OK; NULL_PARAMETER for a NULL `negotiator` or `out`.
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

/// Reports the TLS handshake and the verdict (`outcome`, a `mailsrv_tls_outcome`); the next
/// step goes to `*out` (its views are valid until the next call on the negotiator).
///
/// Returns OK; NULL_PARAMETER for a NULL `negotiator` or `out`; INVALID_ARGUMENT for an unknown
/// outcome.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mailsrv_negotiator_tls_established(
    negotiator: *mut mailsrv_negotiator,
    outcome: u32,
    out: *mut mailsrv_step,
) -> mailsrv_result {
    guard(|| {
        // SAFETY: NULL or a live, unaliased handle.
        let n = unsafe { handle_mut(negotiator)? };
        let outcome = from_c::<TlsOutcome>(outcome)?;
        if out.is_null() {
            return Err(R::MAILSRV_RESULT_NULL_PARAMETER);
        }
        let step = n.inner.tls_established(outcome);
        step_out(n, step, out)
    })
}

/// Authenticates; allowed only after DONE over TLS with a verified or confirmed certificate
/// (else the step is an ABORT with MISUSE and nothing is to be sent). The credentials are
/// borrowed for the call; the step in `*out` (SEND_SECRET carries them) is valid until the next
/// call on the negotiator.
///
/// Returns OK; NULL_PARAMETER for a NULL `negotiator` or `out`, or a NULL text with a non-zero
/// length; INVALID_ARGUMENT for text that is not UTF-8.
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

/// The capabilities learned after TLS, as JSON, into the caller's `buf` (as `mailsrv_plan_json`
/// does).
///
/// Returns OK; INSUFFICIENT_SIZE with only `*out_n` written when `buf` is NULL or too small;
/// NULL_PARAMETER for a NULL `negotiator` or `out_n`; INVALID_ARGUMENT before a DONE step.
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
