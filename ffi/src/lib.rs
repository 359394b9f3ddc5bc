//! C ABI for mailsrv. Marshalling only: every decision is made by the `mailsrv` core crate.
//!
//! Conventions (rustls-ffi style), repeated at the top of `include/mailsrv.h`:
//! - every symbol starts with `mailsrv_`; handles are opaque, made by `*_new` (or a function
//!   that returns one through an out-parameter) and released by `*_free`, which accepts NULL;
//! - inputs are borrowed for the duration of the call (`const uint8_t *ptr, size_t len`); the
//!   library copies what it keeps;
//! - every out-parameter is required (NULL is `MAILSRV_RESULT_NULL_PARAMETER` and the call has
//!   no effect) and written only when the result is `MAILSRV_RESULT_OK` (buffer functions also
//!   write `*out_n` with `MAILSRV_RESULT_INSUFFICIENT_SIZE`);
//! - each function's comment lists the result codes it returns and who owns what;
//! - strings handed out (`mailsrv_str`) are views into the handle that produced them, valid until
//!   it is freed, NUL-terminated for convenience, UTF-8, with an explicit length;
//! - no function unwinds into C: a panic becomes `MAILSRV_RESULT_PANIC`.
#![allow(non_camel_case_types, reason = "C type names follow the C convention")]
#![allow(
    unsafe_code,
    reason = "this crate is the C boundary; every unsafe block is commented"
)]
#![allow(
    clippy::missing_safety_doc,
    reason = "the safety contract is stated once in the header"
)]

mod address;
mod autoconfig;
mod cenum;
mod discovery;
mod dnssec;
mod enums;
mod ffi_util;
mod negotiator;
mod plan;
mod result;
mod verify;
mod web;
mod zone;

pub use address::*;
pub use autoconfig::*;
pub use discovery::*;
pub use dnssec::*;
pub use enums::*;
pub use ffi_util::{mailsrv_bytes, mailsrv_result, mailsrv_str};
pub use negotiator::*;
pub use plan::*;
pub use verify::*;
pub use web::*;
pub use zone::*;

use ffi_util::{guard, guard_value};

/// The exit status of a command-line host for a usage or input error (the core's
/// `exit::USAGE`; cbindgen needs the literal, a test keeps them equal).
pub const MAILSRV_EXIT_USAGE: u8 = 2;

/// The exit status of a command-line host whose standard output was closed by its reader (the
/// core's `exit::BROKEN_PIPE`; a test keeps them equal).
pub const MAILSRV_EXIT_BROKEN_PIPE: u8 = 141;

/// Major version of the library (also `MAILSRV_VERSION_MAJOR` in the header).
pub const MAILSRV_VERSION_MAJOR: u32 = 0;
/// Minor version of the library.
pub const MAILSRV_VERSION_MINOR: u32 = 1;
/// Patch version of the library.
pub const MAILSRV_VERSION_PATCH: u32 = 0;

/// The library version, e.g. `"0.1.0"`: a static NUL-terminated string, never to be freed.
/// Returns no result code.
#[unsafe(no_mangle)]
pub extern "C" fn mailsrv_version() -> *const core::ffi::c_char {
    guard_value(c"".as_ptr(), || c"0.1.0".as_ptr())
}

/// The symbolic name of a result code without its prefix, e.g. `"INVALID_DOMAIN"`; `"UNKNOWN"`
/// for a number that is no result code. Static and NUL-terminated, never to be freed. Returns no
/// result code.
#[unsafe(no_mangle)]
pub extern "C" fn mailsrv_result_name(result: u32) -> *const core::ffi::c_char {
    guard_value(c"".as_ptr(), || result::result_name(result).as_ptr())
}

/// A readable description of a result code (`"unknown result code"` for a number that is
/// none). Static and NUL-terminated, never to be freed. Returns no result code.
#[unsafe(no_mangle)]
pub extern "C" fn mailsrv_result_message(result: u32) -> *const core::ffi::c_char {
    guard_value(c"".as_ptr(), || result::result_message(result).as_ptr())
}

/// The most bytes a host reads from one mail server connection (the core's
/// `host_rules::MAX_CONNECTION_BYTES`, 1 MiB): past it, close the connection and report the
/// candidate failed with `MAILSRV_RESULT_TOO_MUCH_DATA`. Returns the cap (never an error; 0 only
/// if the library panicked).
#[unsafe(no_mangle)]
pub extern "C" fn mailsrv_max_connection_bytes() -> usize {
    guard_value(0, || mailsrv_core::host_rules::MAX_CONNECTION_BYTES)
}

/// The whole-operation deadline a host uses when the user gives none, in milliseconds (the
/// core's `host_rules::DEFAULT_TOTAL_TIMEOUT_MS`, 60 s): for a plan, every question with its TCP
/// retry; for a probe, the plan and every candidate. Returns it (never an error; 0 only if the
/// library panicked).
#[unsafe(no_mangle)]
pub extern "C" fn mailsrv_default_total_timeout_ms() -> u32 {
    guard_value(0, || mailsrv_core::host_rules::DEFAULT_TOTAL_TIMEOUT_MS)
}

/// Reads a numeric command-line option by the core's rule, the same for every host
/// (`host_rules::number_value`): `option` is `timeout`, `total-timeout`, `seed` or `concurrency`
/// (without the dashes) and `text` its value, both UTF-8 of the given lengths, borrowed for the
/// call; the value is decimal digits only, within the option's bounds (`timeout` and
/// `total-timeout` 1 to 2147483647 ms, which fits an `int`; `seed` 0 to 2^64 - 1; `concurrency`
/// 1 to 4096). Writes the value to `*out_value`. `mailsrv_number_error` gives the core's
/// message for a refused text.
///
/// Returns OK; NULL_PARAMETER for a NULL `out_value` (or a NULL text with a non-zero length);
/// INVALID_ARGUMENT for text that is not UTF-8; INVALID_OPTION for an unknown option or a
/// value it does not take, leaving `*out_value` unchanged.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mailsrv_number_value(
    option: *const u8,
    option_len: usize,
    text: *const u8,
    text_len: usize,
    out_value: *mut u64,
) -> mailsrv_result {
    guard(|| {
        if out_value.is_null() {
            return Err(mailsrv_result::MAILSRV_RESULT_NULL_PARAMETER);
        }
        // SAFETY: the caller's contracts for the two texts.
        let value = unsafe { read_number(option, option_len, text, text_len)? }?;
        // SAFETY: checked non-NULL above; valid for a write by contract.
        unsafe { ffi_util::write_out(out_value, value) }
    })
}

/// The core's message for a `text` that `mailsrv_number_value` refuses for `option` (same
/// arguments), e.g. "`--timeout` must be a whole number of milliseconds from 1 to 2147483647,
/// not `1e3`": it names the option, the range and the text (its first 64 characters, control
/// characters as U+FFFD), in one line of at most 400 bytes, without a NUL; copied into `buf` as
/// `mailsrv_plan_json` does. Empty (`*out_n` 0) when the text is a value of the option. A host
/// prints it as its usage error, as the JS CLI prints the same text.
///
/// Returns OK; INSUFFICIENT_SIZE with only `*out_n` written when `buf` is NULL or too small;
/// NULL_PARAMETER for a NULL `out_n` (or a NULL text with a non-zero length); INVALID_ARGUMENT
/// for text that is not UTF-8.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mailsrv_number_error(
    option: *const u8,
    option_len: usize,
    text: *const u8,
    text_len: usize,
    buf: *mut u8,
    len: usize,
    out_n: *mut usize,
) -> mailsrv_result {
    guard(|| {
        if out_n.is_null() {
            return Err(mailsrv_result::MAILSRV_RESULT_NULL_PARAMETER);
        }
        // SAFETY: the caller's contracts for the two texts.
        let message = match unsafe { read_number(option, option_len, text, text_len)? } {
            Ok(_) => String::new(),
            Err(e) => e.message().to_owned(),
        };
        // SAFETY: buffer contract of copy_out.
        unsafe { ffi_util::copy_out(message.as_bytes(), buf, len, out_n) }
    })
}

/// The core's reading of `text` for numeric `option` (both UTF-8 of the given lengths), for
/// `mailsrv_number_value` and `mailsrv_number_error`; the outer error is the texts' own.
///
/// # Safety
/// Each pointer is valid for its length, or NULL with length 0.
unsafe fn read_number(
    option: *const u8,
    option_len: usize,
    text: *const u8,
    text_len: usize,
) -> Result<Result<u64, mailsrv_core::Error>, mailsrv_result> {
    // SAFETY: the caller's contracts, passed on.
    let (option, text) = unsafe {
        (
            ffi_util::text(option, option_len)?,
            ffi_util::text(text, text_len)?,
        )
    };
    Ok(mailsrv_core::host_rules::number_value(option, text))
}

/// Checks the panic boundary; used by tests. Returns OK, or PANIC when `trigger_panic` is true
/// (the panic is reported by the process's panic hook first).
#[unsafe(no_mangle)]
pub extern "C" fn mailsrv_selftest(trigger_panic: bool) -> mailsrv_result {
    guard(|| {
        if trigger_panic {
            panic!("self-test panic requested by the caller");
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_host_caps_are_the_cores() {
        assert_eq!(
            mailsrv_max_connection_bytes(),
            mailsrv_core::host_rules::MAX_CONNECTION_BYTES
        );
        assert_eq!(
            mailsrv_default_total_timeout_ms(),
            mailsrv_core::host_rules::DEFAULT_TOTAL_TIMEOUT_MS
        );
    }

    /// `mailsrv_number_value` and `mailsrv_number_error` for (option, text).
    fn number(option: &[u8], text: &[u8]) -> (mailsrv_result, u64, mailsrv_result, String) {
        let mut value = 7u64;
        let mut buf = [0u8; 400];
        let mut n = 0usize;
        // SAFETY: valid pointers and lengths.
        let (r, e) = unsafe {
            (
                mailsrv_number_value(
                    option.as_ptr(),
                    option.len(),
                    text.as_ptr(),
                    text.len(),
                    &raw mut value,
                ),
                mailsrv_number_error(
                    option.as_ptr(),
                    option.len(),
                    text.as_ptr(),
                    text.len(),
                    buf.as_mut_ptr(),
                    buf.len(),
                    &raw mut n,
                ),
            )
        };
        let message = String::from_utf8_lossy(buf.get(..n).unwrap_or_default()).into_owned();
        (r, value, e, message)
    }

    #[test]
    fn every_host_reads_numbers_by_the_cores_rule() {
        use mailsrv_result as R;
        assert_eq!(
            number(b"timeout", b"2147483647"),
            (
                R::MAILSRV_RESULT_OK,
                2_147_483_647,
                R::MAILSRV_RESULT_OK,
                String::new()
            )
        );
        assert_eq!(number(b"seed", b"18446744073709551615").1, u64::MAX);
        assert_eq!(number(b"concurrency", b"4096").1, 4096);
        for (option, text) in [
            (&b"timeout"[..], &b"1e3"[..]),
            (b"total-timeout", b"0"),
            (b"seed", b"0x10"),
            (b"seed", b"18446744073709551616"),
            (b"concurrency", b"4097"),
            (b"rate", b"5"),
        ] {
            let core = mailsrv_core::host_rules::number_value(
                core::str::from_utf8(option).unwrap_or_default(),
                core::str::from_utf8(text).unwrap_or_default(),
            )
            .unwrap_err();
            assert_eq!(
                number(option, text),
                (
                    R::MAILSRV_RESULT_INVALID_OPTION,
                    7,
                    R::MAILSRV_RESULT_OK,
                    core.message().to_owned()
                ),
                "{text:?}"
            );
        }
        let (r, value, e, _) = number(b"seed", b"\xff");
        assert_eq!(
            (r, value, e),
            (
                R::MAILSRV_RESULT_INVALID_ARGUMENT,
                7,
                R::MAILSRV_RESULT_INVALID_ARGUMENT
            )
        );
        // SAFETY: NULL out-parameters and a NULL text with a length, which are refused.
        unsafe {
            assert_eq!(
                mailsrv_number_value(b"seed".as_ptr(), 4, b"1".as_ptr(), 1, core::ptr::null_mut()),
                R::MAILSRV_RESULT_NULL_PARAMETER
            );
            let mut v = 0u64;
            assert_eq!(
                mailsrv_number_value(b"seed".as_ptr(), 4, core::ptr::null(), 1, &raw mut v),
                R::MAILSRV_RESULT_NULL_PARAMETER
            );
            let mut n = 0usize;
            assert_eq!(
                mailsrv_number_error(
                    b"seed".as_ptr(),
                    4,
                    b"x".as_ptr(),
                    1,
                    core::ptr::null_mut(),
                    0,
                    core::ptr::null_mut()
                ),
                R::MAILSRV_RESULT_NULL_PARAMETER
            );
            // Asking for the size first.
            assert_eq!(
                mailsrv_number_error(
                    b"seed".as_ptr(),
                    4,
                    b"x".as_ptr(),
                    1,
                    core::ptr::null_mut(),
                    0,
                    &raw mut n
                ),
                R::MAILSRV_RESULT_INSUFFICIENT_SIZE
            );
            assert_eq!(n, number(b"seed", b"x").3.len());
        }
    }

    #[test]
    fn the_usage_exit_status_is_the_cores() {
        assert_eq!(MAILSRV_EXIT_USAGE, mailsrv_core::exit::USAGE);
        assert_eq!(MAILSRV_EXIT_BROKEN_PIPE, mailsrv_core::exit::BROKEN_PIPE);
    }

    #[test]
    fn version_constants_match_the_crate_version() {
        let v = format!("{MAILSRV_VERSION_MAJOR}.{MAILSRV_VERSION_MINOR}.{MAILSRV_VERSION_PATCH}");
        assert_eq!(v, env!("CARGO_PKG_VERSION"));
        // SAFETY: mailsrv_version returns a static NUL-terminated string.
        let s = unsafe { core::ffi::CStr::from_ptr(mailsrv_version()) };
        assert_eq!(s.to_str().unwrap_or_default(), env!("CARGO_PKG_VERSION"));
    }

    /// Checks that the generated file at `relative` (to the crate) is `fresh`, or writes it when
    /// `MAILSRV_UPDATE_HEADER` is set. Returns whether it checked.
    fn generated_file_is_current(relative: &str, fresh: &[u8]) -> bool {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(relative);
        if std::env::var_os("MAILSRV_UPDATE_HEADER").is_some() {
            std::fs::write(&path, fresh).unwrap_or_else(|e| panic!("{e}"));
            return false;
        }
        let current = std::fs::read(&path).unwrap_or_default();
        assert!(
            current == fresh,
            "{relative} is stale: run `MAILSRV_UPDATE_HEADER=1 cargo test -p mailsrv-ffi`"
        );
        true
    }

    #[test]
    fn result_codes_are_generated_from_the_cores_table() {
        if !generated_file_is_current("src/result.rs", ffi_util::render_result_rs().as_bytes()) {
            return;
        }
        for code in mailsrv_core::ErrorCode::ALL {
            let r = mailsrv_result::from(*code);
            assert_eq!(r as u32, *code as u32, "{code:?}");
            // SAFETY: static NUL-terminated strings.
            let name = unsafe { core::ffi::CStr::from_ptr(mailsrv_result_name(*code as u32)) };
            assert_eq!(name.to_str().ok(), Some(code.name()));
            // SAFETY: as above.
            let message =
                unsafe { core::ffi::CStr::from_ptr(mailsrv_result_message(*code as u32)) };
            assert_eq!(message.to_str().ok(), Some(code.description()));
        }
    }

    #[test]
    fn c_enums_are_generated_from_the_cores_lists() {
        generated_file_is_current(
            "src/enums.rs",
            cenum::generate::render_enums_rs().as_bytes(),
        );
    }

    #[test]
    fn the_checked_in_header_is_current() {
        let mut fresh = Vec::new();
        cbindgen::generate(env!("CARGO_MANIFEST_DIR"))
            .map(|b| b.write(&mut fresh))
            .unwrap_or_else(|e| panic!("cbindgen failed: {e}"));
        generated_file_is_current("../include/mailsrv.h", &fresh);
    }

    #[test]
    fn every_function_in_the_header_says_what_it_returns() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../include/mailsrv.h");
        let header = std::fs::read_to_string(path).unwrap_or_default();
        let mut checked = 0;
        let mut undocumented = Vec::new();
        for block in header.split("/**").skip(1) {
            let Some((comment, rest)) = block.split_once("*/") else {
                continue;
            };
            let declaration = rest.trim_start().lines().next().unwrap_or_default();
            let Some(name) = declaration
                .split('(')
                .next()
                .and_then(|head| head.split_whitespace().last())
                .map(|n| n.trim_start_matches('*'))
                .filter(|n| n.starts_with("mailsrv_") && declaration.contains('('))
            else {
                continue;
            };
            checked += 1;
            let frees = name.ends_with("_free") && comment.contains("Frees");
            if !frees && !comment.contains("Returns") {
                undocumented.push(name.to_owned());
            }
        }
        assert!(checked > 60, "only {checked} functions found in the header");
        assert!(
            undocumented.is_empty(),
            "functions whose comment does not say what they return: {undocumented:?}"
        );
    }

    #[test]
    fn panics_become_a_result_code_and_the_hosts_panic_hook_stays() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static SEEN: AtomicUsize = AtomicUsize::new(0);
        std::panic::set_hook(Box::new(|_| {
            SEEN.fetch_add(1, Ordering::SeqCst);
        }));
        assert_eq!(mailsrv_selftest(false), mailsrv_result::MAILSRV_RESULT_OK);
        assert_eq!(mailsrv_selftest(true), mailsrv_result::MAILSRV_RESULT_PANIC);
        assert_eq!(mailsrv_selftest(true), mailsrv_result::MAILSRV_RESULT_PANIC);
        let _ = std::panic::take_hook();
        assert_eq!(
            SEEN.load(Ordering::SeqCst),
            2,
            "the host's own panic hook saw both panics: the library did not replace it"
        );
    }
}
