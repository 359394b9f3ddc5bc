//! DNSSEC validation in the core, through the C ABI (issue 14): the validator's own DS and
//! DNSKEY questions out, their raw answers in. The core decides every status; this file only
//! marshals.

use mailsrv_core::Outcome;

use crate::cenum::to_c;
use crate::discovery::mailsrv_discovery;
use crate::ffi_util::{
    bytes, guard, guard_value, handle, handle_mut, mailsrv_result, mailsrv_str, text, write_out,
};

type R = mailsrv_result;

/// One DNSSEC question of the core's validator, as views into the discovery (valid until it is
/// freed).
#[repr(C)]
pub struct mailsrv_dnssec_question {
    /// DNS message ID in the wire query: feed the response with
    /// `mailsrv_discovery_receive_dnssec` under this ID.
    pub message_id: u16,
    /// Query type (RFC 1035 type number: 43 DS, 48 DNSKEY, ...).
    pub record_type: u16,
    /// Query name, absolute (trailing dot).
    pub name: mailsrv_str,
    /// The wire-format query, RD, CD and EDNS0 DO set (no TCP length prefix); send it as it is.
    pub wire: *const u8,
    /// Length of `wire`.
    pub wire_len: usize,
}

/// Whether the discovery validates DNSSEC itself (`validate_dnssec` in its options; false for
/// NULL). Returns no result code.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mailsrv_discovery_validates_dnssec(
    discovery: *const mailsrv_discovery,
) -> bool {
    guard_value(false, || {
        // SAFETY: NULL or a live handle (caller contract).
        unsafe { discovery.as_ref() }.is_some_and(|d| d.inner().validates_dnssec())
    })
}

/// Number of DNSSEC questions still to send (0 for NULL or without validation): unanswered, or
/// answered truncated (ask again over TCP). The first ones exist as soon as the discovery does:
/// send them with the SRV questions. Answers may add more, so read the count and the questions
/// again after feeding answers, until it is 0. Returns no result code.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mailsrv_discovery_dnssec_question_count(
    discovery: *const mailsrv_discovery,
) -> usize {
    guard_value(0, || {
        // SAFETY: NULL or a live handle (caller contract).
        unsafe { discovery.as_ref() }.map_or(0, |d| d.inner().pending_dnssec().len())
    })
}

/// Describes DNSSEC question `index` (0-based, below `mailsrv_discovery_dnssec_question_count`)
/// in `*out`. Its `name` and `wire` are views owned by the discovery, valid until it is freed;
/// the indexes change when an answer is fed, the views do not.
///
/// Returns OK; NULL_PARAMETER for a NULL `discovery` or `out`; INVALID_ARGUMENT for an index past
/// the last question still to send.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mailsrv_discovery_dnssec_question(
    discovery: *const mailsrv_discovery,
    index: usize,
    out: *mut mailsrv_dnssec_question,
) -> mailsrv_result {
    guard(|| {
        // SAFETY: NULL or a live handle.
        let d = unsafe { handle(discovery)? };
        let pending = d.inner().pending_dnssec();
        let q = pending
            .get(index)
            .ok_or(R::MAILSRV_RESULT_INVALID_ARGUMENT)?;
        // The views point into the discovery's own copy, which lives as long as the discovery.
        let (kept, name) = d
            .dnssec_question(q.message_id)
            .ok_or(R::MAILSRV_RESULT_INTERNAL)?;
        let value = mailsrv_dnssec_question {
            message_id: kept.message_id,
            record_type: kept.record_type,
            name: name.view(),
            wire: kept.wire.as_ptr(),
            wire_len: kept.wire.len(),
        };
        // SAFETY: out is NULL or valid for writes.
        unsafe { write_out(out, value) }
    })
}

/// Feeds the wire-format response (borrowed for the call) to the DNSSEC question with
/// `message_id`. `*out_outcome` receives a `mailsrv_outcome`: `MAILSRV_OUTCOME_TRUNCATED` (ask
/// again over TCP and feed that answer; the question stays to send) or `MAILSRV_OUTCOME_RECORDS`
/// (taken, even when useless to the validator).
///
/// Returns OK; NULL_PARAMETER for a NULL `discovery` or `out_outcome`, or a NULL `response` with
/// a non-zero length; a DNS code (2xx) for a response to something else (it changes nothing):
/// UNKNOWN_QUESTION (no such question, or no validation), ALREADY_ANSWERED, NOT_A_RESPONSE,
/// MESSAGE_ID_MISMATCH, QUESTION_MISMATCH.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mailsrv_discovery_receive_dnssec(
    discovery: *mut mailsrv_discovery,
    message_id: u16,
    response: *const u8,
    response_len: usize,
    out_outcome: *mut u32,
) -> mailsrv_result {
    guard(|| {
        // SAFETY: NULL or a live, unaliased handle.
        let d = unsafe { handle_mut(discovery)? };
        if out_outcome.is_null() {
            return Err(R::MAILSRV_RESULT_NULL_PARAMETER);
        }
        // SAFETY: caller contract for (response, response_len).
        let response = unsafe { bytes(response, response_len)? };
        let outcome: Result<Outcome, _> = d.inner_mut().receive_dnssec(message_id, response);
        d.sync();
        // SAFETY: checked non-NULL above; valid for writes by contract.
        unsafe { write_out(out_outcome, to_c(outcome?)) }
    })
}

/// Reports that the DNSSEC question with `message_id` got no usable response (a timeout, a
/// network error, a failed TCP retry).
///
/// Returns OK; NULL_PARAMETER for a NULL `discovery`; UNKNOWN_QUESTION (no such question, or no
/// validation) or ALREADY_ANSWERED.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mailsrv_discovery_fail_dnssec(
    discovery: *mut mailsrv_discovery,
    message_id: u16,
) -> mailsrv_result {
    guard(|| {
        // SAFETY: NULL or a live, unaliased handle.
        let d = unsafe { handle_mut(discovery)? };
        let taken = d.inner_mut().fail_dnssec(message_id);
        d.sync();
        taken?;
        Ok(())
    })
}

/// Reads a command line's `--now` (UTF-8 `now` of `now_len` bytes, borrowed for the call) by
/// the core's rule: seconds since 1970-01-01 UTC, or an RFC 3339 UTC time such as
/// `2026-12-01T00:00:00Z`; writes the seconds to `*out_seconds`.
///
/// Returns OK; NULL_PARAMETER for a NULL `out_seconds` (or NULL `now` with a non-zero length);
/// INVALID_ARGUMENT for text that is not UTF-8; INVALID_OPTION for any other text.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mailsrv_parse_now(
    now: *const u8,
    now_len: usize,
    out_seconds: *mut u64,
) -> mailsrv_result {
    guard(|| {
        if out_seconds.is_null() {
            return Err(R::MAILSRV_RESULT_NULL_PARAMETER);
        }
        // SAFETY: caller contract for (now, now_len).
        let t = unsafe { text(now, now_len)? };
        let seconds = mailsrv_core::host_rules::parse_now(t)?;
        // SAFETY: checked non-NULL above; valid for writes by contract.
        unsafe { write_out(out_seconds, seconds) }
    })
}
