//! Result codes, the panic boundary, and the small helpers every entry point uses.

use core::ffi::CStr;
use std::ffi::CString;
use std::panic::{AssertUnwindSafe, catch_unwind};

use mailsrv_core::{Error, ErrorCode};

/// Result of every fallible function: `MAILSRV_RESULT_OK` (0), a boundary code (1–4), or one of
/// the core's error codes (same numbers as `mailsrv::ErrorCode`).
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum mailsrv_result {
    /// Success.
    MAILSRV_RESULT_OK = 0,
    /// A required pointer argument was NULL.
    MAILSRV_RESULT_NULL_PARAMETER = 1,
    /// The library panicked (a bug); the handle involved should be freed and not used again.
    MAILSRV_RESULT_PANIC = 2,
    /// The caller's buffer is too small; `*out_n` holds the size needed.
    MAILSRV_RESULT_INSUFFICIENT_SIZE = 3,
    /// An argument is out of range (an unknown enum value, a bad index, text that is not UTF-8).
    MAILSRV_RESULT_INVALID_ARGUMENT = 4,
    /// The email address is empty.
    MAILSRV_RESULT_EMPTY_ADDRESS = 100,
    /// The email address has no `@`.
    MAILSRV_RESULT_MISSING_AT = 101,
    /// The local part is empty.
    MAILSRV_RESULT_EMPTY_LOCAL_PART = 102,
    /// The local part is not a valid dot-atom or quoted string.
    MAILSRV_RESULT_INVALID_LOCAL_PART = 103,
    /// The domain is empty.
    MAILSRV_RESULT_EMPTY_DOMAIN = 104,
    /// The domain is an address literal.
    MAILSRV_RESULT_ADDRESS_LITERAL = 105,
    /// The domain is not a valid host name.
    MAILSRV_RESULT_INVALID_DOMAIN = 106,
    /// An option value is not allowed.
    MAILSRV_RESULT_INVALID_OPTION = 107,
    /// The address or one of its parts is too long.
    MAILSRV_RESULT_ADDRESS_TOO_LONG = 108,
    /// The question id does not belong to this discovery.
    MAILSRV_RESULT_UNKNOWN_QUESTION = 200,
    /// The question already has a final answer.
    MAILSRV_RESULT_ALREADY_ANSWERED = 201,
    /// The message is not a response.
    MAILSRV_RESULT_NOT_A_RESPONSE = 202,
    /// The response's message ID differs from the query's.
    MAILSRV_RESULT_MESSAGE_ID_MISMATCH = 203,
    /// The response does not echo the question.
    MAILSRV_RESULT_QUESTION_MISMATCH = 204,
    /// A parsed SRV record is invalid.
    MAILSRV_RESULT_INVALID_RECORD = 205,
    /// A zone file could not be parsed.
    MAILSRV_RESULT_ZONE_PARSE = 206,
    /// A DNS query could not be parsed or encoded.
    MAILSRV_RESULT_INVALID_QUERY = 207,
    /// The certificate chain is empty.
    MAILSRV_RESULT_EMPTY_CHAIN = 300,
    /// The certificate chain is too long.
    MAILSRV_RESULT_CHAIN_TOO_LONG = 301,
    /// A trust anchor is missing or does not parse.
    MAILSRV_RESULT_INVALID_TRUST_ANCHOR = 302,
    /// A PEM or DER input could not be decoded.
    MAILSRV_RESULT_INVALID_CERTIFICATE_ENCODING = 303,
    /// An internal invariant was broken.
    MAILSRV_RESULT_INTERNAL = 900,
}

impl From<ErrorCode> for mailsrv_result {
    fn from(code: ErrorCode) -> Self {
        use mailsrv_result::*;
        match code {
            ErrorCode::EmptyAddress => MAILSRV_RESULT_EMPTY_ADDRESS,
            ErrorCode::MissingAt => MAILSRV_RESULT_MISSING_AT,
            ErrorCode::EmptyLocalPart => MAILSRV_RESULT_EMPTY_LOCAL_PART,
            ErrorCode::InvalidLocalPart => MAILSRV_RESULT_INVALID_LOCAL_PART,
            ErrorCode::EmptyDomain => MAILSRV_RESULT_EMPTY_DOMAIN,
            ErrorCode::AddressLiteral => MAILSRV_RESULT_ADDRESS_LITERAL,
            ErrorCode::InvalidDomain => MAILSRV_RESULT_INVALID_DOMAIN,
            ErrorCode::InvalidOption => MAILSRV_RESULT_INVALID_OPTION,
            ErrorCode::AddressTooLong => MAILSRV_RESULT_ADDRESS_TOO_LONG,
            ErrorCode::UnknownQuestion => MAILSRV_RESULT_UNKNOWN_QUESTION,
            ErrorCode::AlreadyAnswered => MAILSRV_RESULT_ALREADY_ANSWERED,
            ErrorCode::NotAResponse => MAILSRV_RESULT_NOT_A_RESPONSE,
            ErrorCode::MessageIdMismatch => MAILSRV_RESULT_MESSAGE_ID_MISMATCH,
            ErrorCode::QuestionMismatch => MAILSRV_RESULT_QUESTION_MISMATCH,
            ErrorCode::InvalidRecord => MAILSRV_RESULT_INVALID_RECORD,
            ErrorCode::ZoneParse => MAILSRV_RESULT_ZONE_PARSE,
            ErrorCode::InvalidQuery => MAILSRV_RESULT_INVALID_QUERY,
            ErrorCode::EmptyChain => MAILSRV_RESULT_EMPTY_CHAIN,
            ErrorCode::ChainTooLong => MAILSRV_RESULT_CHAIN_TOO_LONG,
            ErrorCode::InvalidTrustAnchor => MAILSRV_RESULT_INVALID_TRUST_ANCHOR,
            ErrorCode::InvalidCertificateEncoding => MAILSRV_RESULT_INVALID_CERTIFICATE_ENCODING,
            _ => MAILSRV_RESULT_INTERNAL,
        }
    }
}

impl From<Error> for mailsrv_result {
    fn from(e: Error) -> Self {
        e.code().into()
    }
}

/// Runs an entry point body inside the panic boundary. The host process's panic hook is left
/// as it is: a panic is reported by whatever hook the process has, then becomes
/// `MAILSRV_RESULT_PANIC`.
pub(crate) fn guard(f: impl FnOnce() -> Result<(), mailsrv_result>) -> mailsrv_result {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(Ok(())) => mailsrv_result::MAILSRV_RESULT_OK,
        Ok(Err(code)) => code,
        Err(_) => mailsrv_result::MAILSRV_RESULT_PANIC,
    }
}

/// Runs an entry point that returns a value rather than a result code inside the panic
/// boundary: `fallback` (documented per function, e.g. 0 or an empty view) on a panic.
pub(crate) fn guard_value<T>(fallback: T, f: impl FnOnce() -> T) -> T {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or(fallback)
}

/// The result name for any `u32` (the core's `ErrorCode::name`, checked by a test).
pub(crate) fn result_name(code: u32) -> &'static CStr {
    match code {
        0 => c"OK",
        1 => c"NULL_PARAMETER",
        2 => c"PANIC",
        3 => c"INSUFFICIENT_SIZE",
        4 => c"INVALID_ARGUMENT",
        100 => c"EMPTY_ADDRESS",
        101 => c"MISSING_AT",
        102 => c"EMPTY_LOCAL_PART",
        103 => c"INVALID_LOCAL_PART",
        104 => c"EMPTY_DOMAIN",
        105 => c"ADDRESS_LITERAL",
        106 => c"INVALID_DOMAIN",
        107 => c"INVALID_OPTION",
        108 => c"ADDRESS_TOO_LONG",
        200 => c"UNKNOWN_QUESTION",
        201 => c"ALREADY_ANSWERED",
        202 => c"NOT_A_RESPONSE",
        203 => c"MESSAGE_ID_MISMATCH",
        204 => c"QUESTION_MISMATCH",
        205 => c"INVALID_RECORD",
        206 => c"ZONE_PARSE",
        207 => c"INVALID_QUERY",
        300 => c"EMPTY_CHAIN",
        301 => c"CHAIN_TOO_LONG",
        302 => c"INVALID_TRUST_ANCHOR",
        303 => c"INVALID_CERTIFICATE_ENCODING",
        900 => c"INTERNAL",
        _ => c"UNKNOWN",
    }
}

/// A readable message for any `u32`.
pub(crate) fn result_message(code: u32) -> &'static CStr {
    match code {
        0 => c"success",
        1 => c"a required pointer argument was NULL",
        2 => c"the library panicked (a bug); free the handle involved",
        3 => c"the buffer is too small; *out_n holds the size needed",
        4 => c"an argument is out of range or not UTF-8",
        100 => c"the email address is empty",
        101 => c"the email address has no @",
        102 => c"the part before @ is empty",
        103 => c"the local part is not a valid dot-atom or quoted string",
        104 => c"the domain is empty",
        105 => c"the domain is an address literal; SRV discovery needs a domain name",
        106 => c"the domain is not a valid host name",
        107 => c"an option value is not allowed",
        108 => c"the address or one of its parts is too long",
        200 => c"the question id does not belong to this discovery",
        201 => c"the question already has a final answer",
        202 => c"the message is a query, not a response",
        203 => c"the response's message ID differs from the query's",
        204 => c"the response does not echo the question",
        205 => c"a parsed SRV record is invalid",
        206 => c"the zone file could not be parsed",
        207 => c"the DNS query could not be parsed or encoded",
        300 => c"the certificate chain is empty",
        301 => c"the certificate chain is too long",
        302 => c"a trust anchor is missing or does not parse",
        303 => c"a PEM or DER certificate could not be decoded",
        900 => c"an internal invariant was broken; please report it",
        _ => c"unknown result code",
    }
}

/// A borrowed view of UTF-8 text owned by a mailsrv handle: `len` bytes at `data`, followed by a
/// NUL. `data` is never NULL (an absent value is an empty string with `len` 0 where noted).
#[repr(C)]
#[derive(Clone, Copy)]
pub struct mailsrv_str {
    /// The bytes, NUL-terminated.
    pub data: *const core::ffi::c_char,
    /// Length in bytes, without the NUL.
    pub len: usize,
}

/// The empty text, for absent values and NULL handles.
pub(crate) const EMPTY_STR: mailsrv_str = mailsrv_str {
    data: c"".as_ptr(),
    len: 0,
};

/// A borrowed byte buffer supplied by the caller (e.g. one DER certificate).
#[repr(C)]
#[derive(Clone, Copy)]
pub struct mailsrv_bytes {
    /// The bytes; may be NULL only when `len` is 0.
    pub data: *const u8,
    /// Length in bytes.
    pub len: usize,
}

/// An owned NUL-terminated copy of a string, kept inside a handle so views stay valid.
#[derive(Debug, Default)]
pub(crate) struct OwnedStr(CString);

impl OwnedStr {
    pub(crate) fn new(s: &str) -> Self {
        // Interior NULs cannot come out of the core (names are validated); replace defensively.
        Self(CString::new(s.replace('\0', "\u{FFFD}")).unwrap_or_default())
    }

    pub(crate) fn view(&self) -> mailsrv_str {
        mailsrv_str {
            data: self.0.as_ptr(),
            len: self.0.as_bytes().len(),
        }
    }
}

/// Borrows `len` bytes at `ptr` (NULL allowed only for `len == 0`).
///
/// # Safety
/// `ptr` must point to `len` readable bytes that stay valid for the call.
pub(crate) unsafe fn bytes<'a>(ptr: *const u8, len: usize) -> Result<&'a [u8], mailsrv_result> {
    if len == 0 {
        return Ok(&[]);
    }
    if ptr.is_null() {
        return Err(mailsrv_result::MAILSRV_RESULT_NULL_PARAMETER);
    }
    if len > isize::MAX as usize {
        return Err(mailsrv_result::MAILSRV_RESULT_INVALID_ARGUMENT);
    }
    // SAFETY: the caller guarantees `len` readable bytes at a non-NULL `ptr`.
    Ok(unsafe { std::slice::from_raw_parts(ptr, len) })
}

/// Borrows UTF-8 text of `len` bytes at `ptr`.
///
/// # Safety
/// As for [`bytes`].
pub(crate) unsafe fn text<'a>(ptr: *const u8, len: usize) -> Result<&'a str, mailsrv_result> {
    // SAFETY: forwarded contract.
    let b = unsafe { bytes(ptr, len)? };
    std::str::from_utf8(b).map_err(|_| mailsrv_result::MAILSRV_RESULT_INVALID_ARGUMENT)
}

/// Borrows a handle immutably.
///
/// # Safety
/// `ptr` must be NULL or a live handle of type `T` made by this library.
pub(crate) unsafe fn handle<'a, T>(ptr: *const T) -> Result<&'a T, mailsrv_result> {
    // SAFETY: the caller guarantees ptr is NULL or a live handle.
    unsafe { ptr.as_ref() }.ok_or(mailsrv_result::MAILSRV_RESULT_NULL_PARAMETER)
}

/// Borrows a handle mutably.
///
/// # Safety
/// `ptr` must be NULL or a live handle of type `T`, not used elsewhere during the call.
pub(crate) unsafe fn handle_mut<'a, T>(ptr: *mut T) -> Result<&'a mut T, mailsrv_result> {
    // SAFETY: the caller guarantees ptr is NULL or a live, unaliased handle.
    unsafe { ptr.as_mut() }.ok_or(mailsrv_result::MAILSRV_RESULT_NULL_PARAMETER)
}

/// Writes `value` to the out-parameter `out` (which must be non-NULL).
///
/// # Safety
/// `out` must be NULL or valid for a write of `T`.
pub(crate) unsafe fn write_out<T>(out: *mut T, value: T) -> Result<(), mailsrv_result> {
    if out.is_null() {
        return Err(mailsrv_result::MAILSRV_RESULT_NULL_PARAMETER);
    }
    // SAFETY: checked non-NULL; the caller guarantees it is valid for writes.
    unsafe { out.write(value) };
    Ok(())
}

/// Moves `value` into a new handle and writes it to `out`; nothing is allocated when `out` is
/// NULL, so a failed call leaks nothing.
///
/// # Safety
/// `out` must be NULL or valid for a write of a pointer.
pub(crate) unsafe fn box_out<T>(out: *mut *mut T, value: T) -> Result<(), mailsrv_result> {
    if out.is_null() {
        return Err(mailsrv_result::MAILSRV_RESULT_NULL_PARAMETER);
    }
    // SAFETY: checked non-NULL; the caller guarantees it is valid for writes.
    unsafe { out.write(Box::into_raw(Box::new(value))) };
    Ok(())
}

/// Frees a boxed handle; NULL is allowed. Never unwinds into C.
///
/// # Safety
/// `ptr` must be NULL or a handle made by `Box::into_raw` (as [`box_out`] does) and not freed.
pub(crate) unsafe fn free_box<T>(ptr: *mut T) {
    let _ = guard(|| {
        if !ptr.is_null() {
            // SAFETY: made by Box::into_raw and not freed before (caller contract).
            drop(unsafe { Box::from_raw(ptr) });
        }
        Ok(())
    });
}

/// Serialises `value` as JSON (pretty when `pretty` is non-zero) into the caller's buffer, as
/// [`copy_out`] does.
///
/// # Safety
/// As for [`copy_out`].
pub(crate) unsafe fn json_out<T: serde::Serialize>(
    value: &T,
    pretty: u8,
    buf: *mut u8,
    len: usize,
    out_n: *mut usize,
) -> Result<(), mailsrv_result> {
    let json = if pretty != 0 {
        serde_json::to_vec_pretty(value)
    } else {
        serde_json::to_vec(value)
    }
    .map_err(|_| mailsrv_result::MAILSRV_RESULT_INTERNAL)?;
    // SAFETY: forwarded contract.
    unsafe { copy_out(&json, buf, len, out_n) }
}

/// Copies `data` into the caller's buffer `buf` of `len` bytes and stores the size in `out_n`.
/// With a too-small buffer (or `buf` NULL), only `*out_n` is written and INSUFFICIENT_SIZE
/// returned, so callers can ask for the size first.
///
/// # Safety
/// `buf` must be NULL or valid for `len` writes; `out_n` NULL or valid for a write.
pub(crate) unsafe fn copy_out(
    data: &[u8],
    buf: *mut u8,
    len: usize,
    out_n: *mut usize,
) -> Result<(), mailsrv_result> {
    if out_n.is_null() {
        return Err(mailsrv_result::MAILSRV_RESULT_NULL_PARAMETER);
    }
    if buf.is_null() || len < data.len() {
        // SAFETY: checked non-NULL; caller guarantees validity.
        unsafe { out_n.write(data.len()) };
        return Err(mailsrv_result::MAILSRV_RESULT_INSUFFICIENT_SIZE);
    }
    // SAFETY: buf is valid for `len >= data.len()` writes and does not overlap our data.
    unsafe {
        std::ptr::copy_nonoverlapping(data.as_ptr(), buf, data.len());
        out_n.write(data.len());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_core_code_has_the_same_number_and_name() {
        for code in ErrorCode::ALL {
            let r = mailsrv_result::from(*code);
            assert_eq!(r as u32, *code as u32, "{code:?}");
            assert_eq!(
                result_name(r as u32).to_str().unwrap_or_default(),
                code.name()
            );
            assert_ne!(
                result_message(r as u32).to_bytes(),
                b"unknown result code",
                "{code:?}"
            );
        }
        assert_eq!(result_name(12345).to_bytes(), b"UNKNOWN");
    }
}
