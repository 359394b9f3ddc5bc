//! Result codes, the panic boundary, and the small helpers every entry point uses.

use std::ffi::CString;
use std::panic::{AssertUnwindSafe, catch_unwind};

use mailsrv_core::{Error, ErrorCode};

pub use crate::result::mailsrv_result;

/// The codes of the C boundary itself (number, name, message), before the core's codes; with
/// the core's table they make `mailsrv_result` (generated into result.rs).
#[cfg(test)]
pub(crate) const BOUNDARY_CODES: &[(u32, &str, &str)] = &[
    (0, "OK", "success"),
    (1, "NULL_PARAMETER", "a required pointer argument was NULL"),
    (
        2,
        "PANIC",
        "the library panicked (a bug); free the handle involved and do not use it again",
    ),
    (
        3,
        "INSUFFICIENT_SIZE",
        "the buffer is too small; *out_n holds the size needed",
    ),
    (
        4,
        "INVALID_ARGUMENT",
        "an argument is out of range (an unknown enum value, a bad index) or not UTF-8",
    ),
];

impl From<ErrorCode> for mailsrv_result {
    fn from(code: ErrorCode) -> Self {
        mailsrv_result::ALL
            .iter()
            .copied()
            .find(|r| *r as u32 == code as u32)
            .unwrap_or(mailsrv_result::MAILSRV_RESULT_INTERNAL)
    }
}

impl From<Error> for mailsrv_result {
    fn from(e: Error) -> Self {
        e.code().into()
    }
}

/// Renders result.rs (the `mailsrv_result` enum, its names and messages) from
/// [`BOUNDARY_CODES`] and the core's error table.
#[cfg(test)]
pub(crate) fn render_result_rs() -> String {
    use std::fmt::Write;
    let rows: Vec<(u32, &str, &str)> = BOUNDARY_CODES
        .iter()
        .copied()
        .chain(
            ErrorCode::ALL
                .iter()
                .map(|c| (*c as u32, c.name(), c.description())),
        )
        .collect();
    let mut out = String::new();
    let w = &mut out;
    let _ = writeln!(
        w,
        "//! Generated from the core's error table (`ErrorCode`) and `BOUNDARY_CODES` by"
    );
    let _ = writeln!(
        w,
        "//! `MAILSRV_UPDATE_HEADER=1 cargo test -p mailsrv-ffi`. Do not edit.\n"
    );
    let _ = writeln!(w, "use core::ffi::CStr;\n");
    let _ = writeln!(
        w,
        "/// Result of every fallible function: `MAILSRV_RESULT_OK` (0), a boundary code (1–4), or"
    );
    let _ = writeln!(
        w,
        "/// one of the core's error codes (the same numbers as `mailsrv::ErrorCode`)."
    );
    let _ = writeln!(
        w,
        "#[repr(u32)]\n#[derive(Clone, Copy, Debug, PartialEq, Eq)]\npub enum mailsrv_result {{"
    );
    for (n, name, message) in &rows {
        let mut doc = (*message).to_owned();
        doc[..1].make_ascii_uppercase();
        let _ = writeln!(w, "    /// {doc}.\n    MAILSRV_RESULT_{name} = {n},");
    }
    let _ = writeln!(
        w,
        "}}\n\nimpl mailsrv_result {{\n    /// Every result code, in numeric order."
    );
    let _ = writeln!(w, "    pub(crate) const ALL: &[mailsrv_result] = &[");
    for (_, name, _) in &rows {
        let _ = writeln!(w, "        mailsrv_result::MAILSRV_RESULT_{name},");
    }
    let _ = writeln!(
        w,
        "    ];\n}}\n\n/// The result name for any `u32` (`UNKNOWN` for a number that is no code)."
    );
    let _ = writeln!(
        w,
        "pub(crate) fn result_name(code: u32) -> &'static CStr {{\n    match code {{"
    );
    for (n, name, _) in &rows {
        let _ = writeln!(w, "        {n} => c\"{name}\",");
    }
    let _ = writeln!(
        w,
        "        _ => c\"UNKNOWN\",\n    }}\n}}\n\n/// A readable message for any `u32`."
    );
    let _ = writeln!(
        w,
        "pub(crate) fn result_message(code: u32) -> &'static CStr {{\n    match code {{"
    );
    for (n, _, message) in &rows {
        let _ = writeln!(w, "        {n} => c{message:?},");
    }
    let _ = writeln!(w, "        _ => c\"unknown result code\",\n    }}\n}}");
    out
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
    use crate::result::{result_message, result_name};

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
