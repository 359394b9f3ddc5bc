//! `mailsrv_negotiator`: the sans-IO STARTTLS/STLS/EHLO negotiator and credential step.

use mailsrv_core::negotiate::{Negotiator, Secret, Step, TlsOutcome};
use mailsrv_core::{Protocol, Security};

use crate::cenum::{from_c, option_to_c, to_c};
use crate::ffi_util::{
    OwnedStr, box_out, bytes, copy_out, free_box, guard, handle, handle_mut, mailsrv_result,
    mailsrv_str, text, write_out,
};

type R = mailsrv_result;

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

impl mailsrv_negotiator {
    fn record(&mut self, step: Step) -> mailsrv_step {
        self.last_bytes.fill(0);
        self.last_bytes.clear();
        // The C kind and abort reason are the core's numbering (`StepKind`, `AbortReason`).
        let kind = to_c(step.kind());
        let (abort, text) = match step {
            Step::Send(b) => {
                self.last_bytes = b;
                (None, String::new())
            }
            Step::SendSecret(b) => {
                self.last_bytes = b.as_bytes().to_vec();
                (None, String::new())
            }
            Step::Done(caps) => {
                self.capabilities = serde_json::to_vec(&caps).ok();
                (None, String::new())
            }
            Step::Abort(a) => (Some(a.reason()), a.text().unwrap_or_default().to_owned()),
            Step::LoginFailed(t) => (None, t.0),
            Step::NeedMore | Step::StartTls | Step::AwaitTls | Step::LoggedIn => {
                (None, String::new())
            }
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
            abort_reason: option_to_c(abort),
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
