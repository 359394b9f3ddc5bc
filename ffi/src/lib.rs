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
