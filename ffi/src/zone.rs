//! `mailsrv_zone_host`: answers questions from RFC 1035 master files, for offline planning.

use mailsrv_core::zone::{Transport, ZoneHost};

use crate::discovery::mailsrv_discovery;
use crate::ffi_util::{
    box_out, bytes, copy_out, free_box, guard, handle, handle_mut, mailsrv_result, text,
};

type R = mailsrv_result;

/// Transport a query came over (UDP answers are truncated to the size the query allows).
#[repr(u32)]
pub enum mailsrv_transport {
    /// UDP.
    MAILSRV_TRANSPORT_UDP = 0,
    /// TCP.
    MAILSRV_TRANSPORT_TCP = 1,
}

/// A set of zones (opaque). Free with `mailsrv_zone_host_free`.
pub struct mailsrv_zone_host {
    inner: ZoneHost,
}

/// Makes an empty zone host.
///
/// Returns OK with `*out` set to a zone host the caller owns (free it with
/// `mailsrv_zone_host_free`); NULL_PARAMETER for a NULL `out`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mailsrv_zone_host_new(out: *mut *mut mailsrv_zone_host) -> mailsrv_result {
    guard(|| {
        let h = mailsrv_zone_host {
            inner: ZoneHost::new(),
        };
        // SAFETY: out is NULL or valid for writes.
        unsafe { box_out(out, h) }
    })
}

/// Frees a zone host (NULL is allowed).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mailsrv_zone_host_free(host: *mut mailsrv_zone_host) {
    // SAFETY: NULL or a live handle from its `_new` call (caller contract).
    unsafe { free_box(host) }
}

/// Adds a zone from master-file text (UTF-8, with `$ORIGIN` or an SOA with an absolute owner;
/// copied). A signed zone is served with its DNSSEC records to queries with DO. With `secure`
/// non-zero, answers carry the AD bit when the query asks for DNSSEC, as a validating
/// resolver's would.
///
/// Returns OK; NULL_PARAMETER for a NULL `host`, or NULL `zone` with a non-zero length;
/// INVALID_ARGUMENT for text that is not UTF-8; ZONE_PARSE for text that is no zone.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mailsrv_zone_host_add_zone(
    host: *mut mailsrv_zone_host,
    zone: *const u8,
    zone_len: usize,
    secure: u8,
) -> mailsrv_result {
    guard(|| {
        // SAFETY: NULL or a live, unaliased handle.
        let h = unsafe { handle_mut(host)? };
        // SAFETY: caller contract for (zone, zone_len).
        let zone = unsafe { text(zone, zone_len)? };
        h.inner.add_zone(zone, None, secure != 0)?;
        Ok(())
    })
}

/// Answers one wire-format query (borrowed) received over `transport` (`mailsrv_transport`)
/// into the caller's `buf` of `len` bytes, and writes the answer's size to `*out_n`.
///
/// Returns OK; INSUFFICIENT_SIZE with only `*out_n` written when `buf` is NULL or too small;
/// NULL_PARAMETER for a NULL `host` or `out_n`, or NULL `query` with a non-zero length;
/// INVALID_ARGUMENT for an unknown transport; INVALID_QUERY for bytes that are no query.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mailsrv_zone_host_answer(
    host: *const mailsrv_zone_host,
    query: *const u8,
    query_len: usize,
    transport: u32,
    buf: *mut u8,
    len: usize,
    out_n: *mut usize,
) -> mailsrv_result {
    guard(|| {
        // SAFETY: NULL or a live handle.
        let h = unsafe { handle(host)? };
        // SAFETY: caller contract for (query, query_len).
        let query = unsafe { bytes(query, query_len)? };
        let transport = match transport {
            0 => Transport::Udp,
            1 => Transport::Tcp,
            _ => return Err(R::MAILSRV_RESULT_INVALID_ARGUMENT),
        };
        let answer = h.inner.answer(query, transport)?;
        // SAFETY: buffer contract of copy_out.
        unsafe { copy_out(&answer, buf, len, out_n) }
    })
}

/// Answers every question of `discovery` (UDP, then TCP after truncation) and feeds the answers
/// in, the MX question's too: a complete offline host in one call (the HTTP requests stay the
/// host's).
///
/// Returns OK; NULL_PARAMETER for a NULL `host` or `discovery`; a DNS code (2xx) if feeding an
/// answer fails.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mailsrv_zone_host_resolve(
    host: *const mailsrv_zone_host,
    discovery: *mut mailsrv_discovery,
) -> mailsrv_result {
    guard(|| {
        // SAFETY: NULL or live handles; the discovery is not aliased during the call.
        let (h, d) = unsafe { (handle(host)?, handle_mut(discovery)?) };
        let result = h.inner.resolve(d.inner_mut());
        // The MX answer may have added HTTP requests.
        d.sync();
        result?;
        Ok(())
    })
}
