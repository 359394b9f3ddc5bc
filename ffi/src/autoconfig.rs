//! `mailsrv_autoconfig`: a parsed autoconfig or ISPDB document, as JSON (the same bytes as the
//! `mailsrv autoconfig --json` CLI). Parsing, checks and diagnostics are the core's
//! (`mailsrv::Autoconfig::parse`).

use mailsrv_core::{Autoconfig, EmailAddress};

use crate::ffi_util::{box_out, bytes, free_box, guard, handle, json_out, mailsrv_result, text};

type R = mailsrv_result;

/// A parsed autoconfig document (opaque).
pub struct mailsrv_autoconfig {
    inner: Autoconfig,
}

/// Parses the autoconfig document `document` (`document_len` bytes, as fetched) for the UTF-8
/// address `email` (`email_len` bytes). A document that can be read gives OK even when sections
/// were dropped: they are listed in the JSON's `diagnostics`.
///
/// Returns OK with `*out` set to a parsed document the caller owns (free it with
/// `mailsrv_autoconfig_free`); NULL_PARAMETER for a NULL `out`, or a NULL pointer with a
/// non-zero length; INVALID_ARGUMENT for an `email` that is not UTF-8; an address code (1xx) for
/// an address the core refuses; AUTOCONFIG_TOO_LARGE, AUTOCONFIG_ENCODING, AUTOCONFIG_DOCTYPE,
/// AUTOCONFIG_MALFORMED or AUTOCONFIG_WRONG_ROOT for a refused document.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mailsrv_autoconfig_parse(
    document: *const u8,
    document_len: usize,
    email: *const u8,
    email_len: usize,
    out: *mut *mut mailsrv_autoconfig,
) -> mailsrv_result {
    guard(|| {
        if out.is_null() {
            return Err(R::MAILSRV_RESULT_NULL_PARAMETER);
        }
        // SAFETY: caller contracts for the two inputs.
        let (document, email) =
            unsafe { (bytes(document, document_len)?, text(email, email_len)?) };
        let address = EmailAddress::parse(email)?;
        let inner = Autoconfig::parse(document, &address)?;
        // SAFETY: out checked non-NULL above.
        unsafe { box_out(out, mailsrv_autoconfig { inner }) }
    })
}

/// The parsed document as JSON (`incoming`, `outgoing`, `domains`, `oauth2`, `diagnostics`,
/// ...; see docs/rust.md), pretty-printed when `pretty` is non-zero, into the caller's `buf` (as
/// `mailsrv_plan_json` does).
///
/// Returns OK; INSUFFICIENT_SIZE with only `*out_n` written when `buf` is NULL or too small;
/// NULL_PARAMETER for a NULL `config` or `out_n`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mailsrv_autoconfig_json(
    config: *const mailsrv_autoconfig,
    pretty: u8,
    buf: *mut u8,
    len: usize,
    out_n: *mut usize,
) -> mailsrv_result {
    guard(|| {
        // SAFETY: NULL or a live handle.
        let c = unsafe { handle(config)? };
        // SAFETY: buffer contract of json_out.
        unsafe { json_out(&c.inner, pretty, buf, len, out_n) }
    })
}

/// Frees a parsed document (NULL is allowed).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mailsrv_autoconfig_free(config: *mut mailsrv_autoconfig) {
    // SAFETY: NULL or a handle from mailsrv_autoconfig_parse (caller contract).
    unsafe { free_box(config) }
}
