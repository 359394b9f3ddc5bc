//! `mailsrv_verdict`: certificate-chain verification for a candidate, and PEM decoding.

use mailsrv_core::{
    RejectReason, Subject, Verdict, VerdictStatus, VerifyOptions, certificates_from_pem,
    verify_chain,
};

use crate::ffi_util::{
    EMPTY_STR, OwnedStr, box_out, bytes, free_box, guard, guard_value, handle, json_out,
    mailsrv_bytes, mailsrv_result, mailsrv_str, text, write_out,
};
use crate::negotiator::tls_outcome_code;
use crate::plan::{identity_code, json_name, mailsrv_plan, service_from_code};

type R = mailsrv_result;

/// Verdict status.
#[repr(u32)]
pub enum mailsrv_verdict_status {
    /// Valid chain matching the email domain or its SRV-ID (or a DNSSEC-secure target).
    MAILSRV_VERDICT_VERIFIED = 0,
    /// Valid chain matching only the SRV target: ask the user before sending anything.
    MAILSRV_VERDICT_NEEDS_CONFIRMATION = 1,
    /// Do not use this server.
    MAILSRV_VERDICT_REJECTED = 2,
}

/// Why a chain was rejected.
#[repr(u32)]
pub enum mailsrv_reject_reason {
    /// Not rejected.
    MAILSRV_REJECT_NONE = 0,
    /// No path to a trust anchor.
    MAILSRV_REJECT_UNKNOWN_ISSUER = 1,
    /// Expired at `now`.
    MAILSRV_REJECT_EXPIRED = 2,
    /// Not yet valid at `now`.
    MAILSRV_REJECT_NOT_YET_VALID = 3,
    /// Bad or unsupported signature.
    MAILSRV_REJECT_BAD_SIGNATURE = 4,
    /// Not for TLS server authentication.
    MAILSRV_REJECT_WRONG_KEY_USAGE = 5,
    /// Name constraints forbid the names.
    MAILSRV_REJECT_NAME_CONSTRAINTS = 6,
    /// No reference identity matches.
    MAILSRV_REJECT_NAME_MISMATCH = 7,
    /// A certificate does not parse.
    MAILSRV_REJECT_MALFORMED_CERTIFICATE = 8,
    /// Another failure (see the message).
    MAILSRV_REJECT_OTHER = 9,
}

/// A verdict (opaque). Free with `mailsrv_verdict_free`.
pub struct mailsrv_verdict {
    verdict: Verdict,
    message: OwnedStr,
    matched: Option<OwnedStr>,
    presented: Vec<(OwnedStr, OwnedStr)>,
}

/// Decoded certificates (opaque), from `mailsrv_certificates_from_pem`.
pub struct mailsrv_certificates {
    ders: Vec<Vec<u8>>,
}

fn collect<'a>(list: *const mailsrv_bytes, n: usize) -> Result<Vec<&'a [u8]>, R> {
    if n == 0 {
        return Ok(Vec::new());
    }
    if list.is_null() {
        return Err(R::MAILSRV_RESULT_NULL_PARAMETER);
    }
    if n > 4096 {
        return Err(R::MAILSRV_RESULT_INVALID_ARGUMENT);
    }
    // SAFETY: the caller guarantees `n` readable mailsrv_bytes at `list`.
    let list = unsafe { std::slice::from_raw_parts(list, n) };
    list.iter()
        // SAFETY: the caller guarantees each buffer is readable for its length.
        .map(|b| unsafe { bytes(b.data, b.len) })
        .collect()
}

/// Verifies `chain` against `anchors` for `subject` and hands the verdict out through `out`.
fn verify_into(
    subject: &Subject,
    (chain, anchors): (Vec<&[u8]>, Vec<&[u8]>),
    now: u64,
    legacy_cn: u8,
    out: *mut *mut mailsrv_verdict,
) -> Result<(), R> {
    let options = VerifyOptions {
        legacy_cn: legacy_cn != 0,
    };
    finish(verify_chain(subject, &chain, &anchors, now, options)?, out)
}

fn finish(verdict: Verdict, out: *mut *mut mailsrv_verdict) -> Result<(), R> {
    let handle = mailsrv_verdict {
        message: OwnedStr::new(&verdict.message),
        matched: verdict.matched.as_ref().map(|m| OwnedStr::new(&m.value)),
        presented: verdict
            .presented
            .iter()
            .map(|p| (OwnedStr::new(&json_name(&p.kind)), OwnedStr::new(&p.value)))
            .collect(),
        verdict,
    };
    // SAFETY: out is NULL or valid for writes (caller contract).
    unsafe { box_out(out, handle) }
}

/// Verifies a server chain (`chain_len` DER certificates, leaf first) for the email `domain`,
/// SRV `service` (a `mailsrv_service`), the `host` connected to and whether its SRV answer was
/// DNSSEC-secure, against `anchors` (DER) at `now` (seconds since the Unix epoch).
/// A failing chain is not an error: it gives a `MAILSRV_VERDICT_REJECTED` verdict.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mailsrv_verify(
    domain: *const u8,
    domain_len: usize,
    service: u32,
    host: *const u8,
    host_len: usize,
    dnssec_secure: u8,
    chain: *const mailsrv_bytes,
    chain_len: usize,
    anchors: *const mailsrv_bytes,
    anchors_len: usize,
    now: u64,
    legacy_cn: u8,
    out: *mut *mut mailsrv_verdict,
) -> mailsrv_result {
    guard(|| {
        if out.is_null() {
            return Err(R::MAILSRV_RESULT_NULL_PARAMETER);
        }
        // SAFETY: caller contracts for the text arguments.
        let (domain, host) = unsafe { (text(domain, domain_len)?, text(host, host_len)?) };
        let service = service_from_code(service).ok_or(R::MAILSRV_RESULT_INVALID_ARGUMENT)?;
        let subject = Subject::new(domain, service, host, dnssec_secure != 0)?;
        let chains = (collect(chain, chain_len)?, collect(anchors, anchors_len)?);
        verify_into(&subject, chains, now, legacy_cn, out)
    })
}

/// Verifies a server chain for candidate `index` of `side` of `plan` (see `mailsrv_verify`).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mailsrv_verify_candidate(
    plan: *const mailsrv_plan,
    side: u32,
    index: usize,
    chain: *const mailsrv_bytes,
    chain_len: usize,
    anchors: *const mailsrv_bytes,
    anchors_len: usize,
    now: u64,
    legacy_cn: u8,
    out: *mut *mut mailsrv_verdict,
) -> mailsrv_result {
    guard(|| {
        if out.is_null() {
            return Err(R::MAILSRV_RESULT_NULL_PARAMETER);
        }
        // SAFETY: NULL or a live handle.
        let p = unsafe { handle(plan)? };
        let (candidate, _) = p.candidate(side, index)?;
        let subject = Subject::of(candidate);
        let chains = (collect(chain, chain_len)?, collect(anchors, anchors_len)?);
        verify_into(&subject, chains, now, legacy_cn, out)
    })
}

/// The longest chain `mailsrv_verify` and `mailsrv_verify_candidate` accept, leaf included
/// (the core's `host_rules::MAX_CHAIN`, 16): collect at most one certificate more from the TLS
/// stack, so that mailsrv refuses a longer chain (`MAILSRV_RESULT_CHAIN_TOO_LONG`).
#[unsafe(no_mangle)]
pub extern "C" fn mailsrv_max_chain_length() -> usize {
    guard_value(0, || mailsrv_core::host_rules::MAX_CHAIN)
}

/// Frees a verdict. NULL is allowed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mailsrv_verdict_free(verdict: *mut mailsrv_verdict) {
    // SAFETY: NULL or a live handle from its `_new` call (caller contract).
    unsafe { free_box(verdict) }
}

/// The verdict's status (`mailsrv_verdict_status`) and reject reason (`mailsrv_reject_reason`).
/// Either out-parameter may be NULL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mailsrv_verdict_summary(
    verdict: *const mailsrv_verdict,
    out_status: *mut u32,
    out_reason: *mut u32,
) -> mailsrv_result {
    guard(|| {
        // SAFETY: NULL or a live handle.
        let v = unsafe { handle(verdict)? };
        let status = match v.verdict.status {
            VerdictStatus::Verified => 0,
            VerdictStatus::NeedsConfirmation => 1,
            VerdictStatus::Rejected => 2,
        };
        let reason = match v.verdict.reason {
            None => 0,
            Some(RejectReason::UnknownIssuer) => 1,
            Some(RejectReason::Expired) => 2,
            Some(RejectReason::NotYetValid) => 3,
            Some(RejectReason::BadSignature) => 4,
            Some(RejectReason::WrongKeyUsage) => 5,
            Some(RejectReason::NameConstraints) => 6,
            Some(RejectReason::NameMismatch) => 7,
            Some(RejectReason::MalformedCertificate) => 8,
            Some(RejectReason::Other) => 9,
        };
        for (out, value) in [(out_status, status), (out_reason, reason)] {
            if !out.is_null() {
                // SAFETY: non-NULL out-parameter, valid by contract.
                unsafe { write_out(out, value)? };
            }
        }
        Ok(())
    })
}

/// The `mailsrv_tls_outcome` to report to `mailsrv_negotiator_tls_established` for this verdict,
/// given whether the user confirmed this server (`user_confirmed` non-zero): VERIFIED for a
/// verified chain, USER_CONFIRMED for a needs-confirmation one the user confirmed, else
/// NOT_VERIFIED. Returns OK, or NULL_PARAMETER when `verdict` or `out` is NULL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mailsrv_verdict_tls_outcome(
    verdict: *const mailsrv_verdict,
    user_confirmed: u8,
    out: *mut u32,
) -> mailsrv_result {
    guard(|| {
        // SAFETY: NULL or a live handle.
        let v = unsafe { handle(verdict)? };
        let outcome = v.verdict.status.tls_outcome(user_confirmed != 0);
        // SAFETY: NULL or valid for writes (caller contract); write_out checks NULL.
        unsafe { write_out(out, tls_outcome_code(outcome)) }
    })
}

/// The exit status of a command-line host's `verify` for this verdict, by the core's policy:
/// 0 verified, 1 rejected, 4 needs the user's confirmation. Returns OK, or NULL_PARAMETER when
/// `verdict` or `out` is NULL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mailsrv_verdict_exit_status(
    verdict: *const mailsrv_verdict,
    out: *mut u8,
) -> mailsrv_result {
    guard(|| {
        // SAFETY: NULL or a live handle.
        let v = unsafe { handle(verdict)? };
        // SAFETY: NULL or valid for writes (caller contract); write_out checks NULL.
        unsafe { write_out(out, mailsrv_core::exit::verify(v.verdict.status)) }
    })
}

/// The verdict's readable message (view valid until the verdict is freed; empty for NULL).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mailsrv_verdict_message(verdict: *const mailsrv_verdict) -> mailsrv_str {
    guard_value(EMPTY_STR, || {
        // SAFETY: NULL or a live handle.
        match unsafe { verdict.as_ref() } {
            Some(v) => v.message.view(),
            None => EMPTY_STR,
        }
    })
}

/// The identity that matched (kind and value); INVALID_ARGUMENT when nothing matched.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mailsrv_verdict_matched(
    verdict: *const mailsrv_verdict,
    out_kind: *mut u32,
    out_value: *mut mailsrv_str,
) -> mailsrv_result {
    guard(|| {
        // SAFETY: NULL or a live handle.
        let v = unsafe { handle(verdict)? };
        let (m, s) = v
            .verdict
            .matched
            .as_ref()
            .zip(v.matched.as_ref())
            .ok_or(R::MAILSRV_RESULT_INVALID_ARGUMENT)?;
        if out_kind.is_null() || out_value.is_null() {
            return Err(R::MAILSRV_RESULT_NULL_PARAMETER);
        }
        // SAFETY: both checked non-NULL.
        unsafe {
            write_out(out_kind, identity_code(m.kind))?;
            write_out(out_value, s.view())
        }
    })
}

/// Number of identities the certificate presented (0 for NULL).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mailsrv_verdict_presented_count(verdict: *const mailsrv_verdict) -> usize {
    guard_value(0, || {
        // SAFETY: NULL or a live handle.
        unsafe { verdict.as_ref() }.map_or(0, |v| v.presented.len())
    })
}

/// Presented identity `index`: its type (`dns-id`, `srv-id`, `uri-id`, `cn-id`) and value.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mailsrv_verdict_presented(
    verdict: *const mailsrv_verdict,
    index: usize,
    out_type: *mut mailsrv_str,
    out_value: *mut mailsrv_str,
) -> mailsrv_result {
    guard(|| {
        // SAFETY: NULL or a live handle.
        let v = unsafe { handle(verdict)? };
        let (t, value) = v
            .presented
            .get(index)
            .ok_or(R::MAILSRV_RESULT_INVALID_ARGUMENT)?;
        if out_type.is_null() || out_value.is_null() {
            return Err(R::MAILSRV_RESULT_NULL_PARAMETER);
        }
        // SAFETY: both checked non-NULL.
        unsafe {
            write_out(out_type, t.view())?;
            write_out(out_value, value.view())
        }
    })
}

/// Writes the verdict as JSON (pretty when `pretty` is non-zero); see `mailsrv_plan_json`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mailsrv_verdict_json(
    verdict: *const mailsrv_verdict,
    pretty: u8,
    buf: *mut u8,
    len: usize,
    out_n: *mut usize,
) -> mailsrv_result {
    guard(|| {
        // SAFETY: NULL or a live handle.
        let v = unsafe { handle(verdict)? };
        // SAFETY: buffer contract of copy_out.
        unsafe { json_out(&v.verdict, pretty, buf, len, out_n) }
    })
}

/// Decodes every CERTIFICATE block of a PEM text. Free the result with
/// `mailsrv_certificates_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mailsrv_certificates_from_pem(
    pem: *const u8,
    pem_len: usize,
    out: *mut *mut mailsrv_certificates,
) -> mailsrv_result {
    guard(|| {
        if out.is_null() {
            return Err(R::MAILSRV_RESULT_NULL_PARAMETER);
        }
        // SAFETY: caller contract for (pem, pem_len).
        let pem = unsafe { bytes(pem, pem_len)? };
        let ders = certificates_from_pem(pem)?;
        // SAFETY: out checked non-NULL.
        unsafe { box_out(out, mailsrv_certificates { ders }) }
    })
}

/// Number of certificates (0 for NULL).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mailsrv_certificates_count(certs: *const mailsrv_certificates) -> usize {
    guard_value(0, || {
        // SAFETY: NULL or a live handle.
        unsafe { certs.as_ref() }.map_or(0, |c| c.ders.len())
    })
}

/// Certificate `index` as DER (a view valid until the set is freed).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mailsrv_certificates_get(
    certs: *const mailsrv_certificates,
    index: usize,
    out: *mut mailsrv_bytes,
) -> mailsrv_result {
    guard(|| {
        // SAFETY: NULL or a live handle.
        let c = unsafe { handle(certs)? };
        let der = c
            .ders
            .get(index)
            .ok_or(R::MAILSRV_RESULT_INVALID_ARGUMENT)?;
        // SAFETY: out is NULL or valid for writes.
        unsafe {
            write_out(
                out,
                mailsrv_bytes {
                    data: der.as_ptr(),
                    len: der.len(),
                },
            )
        }
    })
}

/// Frees a certificate set. NULL is allowed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mailsrv_certificates_free(certs: *mut mailsrv_certificates) {
    // SAFETY: NULL or a live handle from its `_new` call (caller contract).
    unsafe { free_box(certs) }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_chain_limit_is_the_cores() {
        assert_eq!(
            super::mailsrv_max_chain_length(),
            mailsrv_core::host_rules::MAX_CHAIN
        );
    }
}
