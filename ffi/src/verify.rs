//! `mailsrv_verdict`: certificate-chain verification for a candidate, and PEM decoding.

use mailsrv_core::{
    Service, Subject, TlsaRecord, Verdict, VerifyOptions, certificates_from_pem, verify_chain,
};

use crate::cenum::{from_c, option_to_c, to_c};
use crate::ffi_util::{
    EMPTY_STR, OwnedStr, box_out, bytes, free_box, guard, guard_value, handle, json_out,
    mailsrv_bytes, mailsrv_result, mailsrv_str, text, write_out,
};
use crate::plan::{json_name, mailsrv_plan};

type R = mailsrv_result;

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

/// Parses TLSA records given as presentation texts (`"3 1 1 0b9f…"`, UTF-8).
fn tlsa_records(list: *const mailsrv_bytes, n: usize) -> Result<Vec<TlsaRecord>, R> {
    let mut out = Vec::new();
    for b in collect(list, n)? {
        let text = std::str::from_utf8(b).map_err(|_| R::MAILSRV_RESULT_INVALID_ARGUMENT)?;
        out.push(TlsaRecord::parse(text)?);
    }
    Ok(out)
}

/// Adds TLSA records for `port` to `subject` (none: the subject as it is).
fn with_tlsa(subject: Subject, port: u16, records: Vec<TlsaRecord>) -> Result<Subject, R> {
    if records.is_empty() {
        return Ok(subject);
    }
    Ok(subject.with_tlsa(port, records)?)
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

/// What `mailsrv_verify` checks: a server's chain against the identity the user's email domain
/// and the SRV answer give it. Every pointer is borrowed for the call and may be NULL only with
/// its length 0. Zero-initialise it (`= {0}`) and set the fields, so that fields added later
/// keep their zero default.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct mailsrv_verify_request {
    /// The email domain (UTF-8, `domain_len` bytes), e.g. `example.net`.
    pub domain: *const u8,
    /// Length of `domain` in bytes.
    pub domain_len: usize,
    /// The SRV service the server was found under: a `mailsrv_service` value.
    pub service: u32,
    /// The SRV target connected to (UTF-8, `host_len` bytes).
    pub host: *const u8,
    /// Length of `host` in bytes.
    pub host_len: usize,
    /// Non-zero when the SRV answer was DNSSEC-secure (the target then counts as an identity).
    pub dnssec_secure: u8,
    /// The server's certificates (DER), leaf first: `chain_len` entries.
    pub chain: *const mailsrv_bytes,
    /// Number of entries in `chain`.
    pub chain_len: usize,
    /// The trust anchors (DER): `anchors_len` entries.
    pub anchors: *const mailsrv_bytes,
    /// Number of entries in `anchors`.
    pub anchors_len: usize,
    /// The time to verify at, in seconds since the Unix epoch.
    pub now: u64,
    /// Non-zero to accept a Subject CN when the certificate has no DNS names (legacy servers).
    pub legacy_cn: u8,
    /// The port connected to: the TLSA records below are those of `_<port>._tcp.<host>`
    /// (RFC 7673 §3.3). Unused without them.
    pub port: u16,
    /// TLSA records the caller validated with DNSSEC, each the presentation text
    /// `usage selector matching-type hex` (UTF-8): `tlsa_len` entries, at most 32
    /// (`MAILSRV_RESULT_TOO_MANY_TLSA_RECORDS`). With a usable one, `anchors` may be empty.
    pub tlsa: *const mailsrv_bytes,
    /// Number of entries in `tlsa` (0: no DANE).
    pub tlsa_len: usize,
}

/// Verifies a server chain as `request` describes (see `mailsrv_verify_request`).
/// A failing chain is not an error: it gives a `MAILSRV_VERDICT_REJECTED` verdict.
///
/// Returns OK with `*out` set to a verdict the caller owns (free it with
/// `mailsrv_verdict_free`); NULL_PARAMETER for a NULL `request` or `out`, or a NULL pointer with
/// a non-zero length; INVALID_ARGUMENT for an unknown `service`, text that is not UTF-8 or more
/// than 4096 certificates; an address code (1xx, e.g. INVALID_DOMAIN) for a `domain` that is no
/// domain name; a certificate code (3xx: EMPTY_CHAIN, CHAIN_TOO_LONG, INVALID_TRUST_ANCHOR,
/// INVALID_TLSA_RECORD, TOO_MANY_TLSA_RECORDS, …).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mailsrv_verify(
    request: *const mailsrv_verify_request,
    out: *mut *mut mailsrv_verdict,
) -> mailsrv_result {
    guard(|| {
        // SAFETY: NULL or a valid request (caller contract).
        let q = unsafe { request.as_ref() }.ok_or(R::MAILSRV_RESULT_NULL_PARAMETER)?;
        if out.is_null() {
            return Err(R::MAILSRV_RESULT_NULL_PARAMETER);
        }
        // SAFETY: caller contracts for the text fields.
        let (domain, host) = unsafe { (text(q.domain, q.domain_len)?, text(q.host, q.host_len)?) };
        let service = from_c::<Service>(q.service)?;
        let subject = Subject::new(domain, service, host, q.dnssec_secure != 0)?;
        let subject = with_tlsa(subject, q.port, tlsa_records(q.tlsa, q.tlsa_len)?)?;
        let chains = (
            collect(q.chain, q.chain_len)?,
            collect(q.anchors, q.anchors_len)?,
        );
        verify_into(&subject, chains, q.now, q.legacy_cn, out)
    })
}

/// Verifies a server chain (`chain_len` DER certificates, leaf first) against `anchors` at
/// `now` for candidate `index` of `side` of `plan`: the reference identities are the
/// candidate's own. All buffers are borrowed for the call. A failing chain is a REJECTED
/// verdict, not an error.
///
/// Returns OK with `*out` set to a verdict the caller owns (free it with
/// `mailsrv_verdict_free`); NULL_PARAMETER for a NULL `plan` or `out`, or a NULL list with a
/// non-zero length; INVALID_ARGUMENT for an unknown side or index or more than 4096
/// certificates; a certificate code (3xx).
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

/// `mailsrv_verify_candidate` with the TLSA records of the candidate's `_<port>._tcp.<host>`,
/// which the caller validated with DNSSEC: `tlsa_len` presentation texts
/// (`usage selector matching-type hex`, UTF-8), at most 32. DANE-EE(3) and DANE-TA(2) records
/// need no anchors (`anchors_len` may be 0); records that are all unusable verify as without
/// TLSA (RFC 7671 §4.1). The verdict's `mailsrv_verdict_matched` kind is then
/// `MAILSRV_IDENTITY_DANE_EE`, `…_DANE_TA`, `…_PKIX_TA` or `…_PKIX_EE`, its value the record.
///
/// Returns as `mailsrv_verify_candidate`, and INVALID_TLSA_RECORD for a record that does not
/// parse, TOO_MANY_TLSA_RECORDS for more than 32.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mailsrv_verify_candidate_tlsa(
    plan: *const mailsrv_plan,
    side: u32,
    index: usize,
    tlsa: *const mailsrv_bytes,
    tlsa_len: usize,
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
        let subject = with_tlsa(
            Subject::of(candidate),
            candidate.port,
            tlsa_records(tlsa, tlsa_len)?,
        )?;
        let chains = (collect(chain, chain_len)?, collect(anchors, anchors_len)?);
        verify_into(&subject, chains, now, legacy_cn, out)
    })
}

/// The longest chain `mailsrv_verify` and `mailsrv_verify_candidate` accept, leaf included
/// (the core's limit, 16): collect at most one certificate more from the TLS stack, so that
/// mailsrv refuses a longer chain (`MAILSRV_RESULT_CHAIN_TOO_LONG`). Returns the limit (never
/// an error; 0 only if the library panicked).
#[unsafe(no_mangle)]
pub extern "C" fn mailsrv_max_chain_length() -> usize {
    guard_value(0, || mailsrv_core::host_rules::MAX_CHAIN)
}

/// Frees a verdict (NULL is allowed). Views obtained from it become invalid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mailsrv_verdict_free(verdict: *mut mailsrv_verdict) {
    // SAFETY: NULL or a live handle from its `_new` call (caller contract).
    unsafe { free_box(verdict) }
}

/// The verdict's status (`mailsrv_verdict_status`) and reject reason (`mailsrv_reject_reason`,
/// NONE unless rejected).
///
/// Returns OK; NULL_PARAMETER for a NULL `verdict`, `out_status` or `out_reason`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mailsrv_verdict_summary(
    verdict: *const mailsrv_verdict,
    out_status: *mut u32,
    out_reason: *mut u32,
) -> mailsrv_result {
    guard(|| {
        // SAFETY: NULL or a live handle.
        let v = unsafe { handle(verdict)? };
        let status = to_c(v.verdict.status);
        let reason = option_to_c(v.verdict.reason);
        if out_status.is_null() || out_reason.is_null() {
            return Err(R::MAILSRV_RESULT_NULL_PARAMETER);
        }
        // SAFETY: both checked non-NULL, valid for writes by contract.
        unsafe {
            write_out(out_status, status)?;
            write_out(out_reason, reason)
        }
    })
}

/// The `mailsrv_tls_outcome` to report to `mailsrv_negotiator_tls_established` for this verdict,
/// given whether the user confirmed this server (`user_confirmed` non-zero): VERIFIED for a
/// verified chain, USER_CONFIRMED for a needs-confirmation one the user confirmed, else
/// NOT_VERIFIED.
///
/// Returns OK; NULL_PARAMETER for a NULL `verdict` or `out`.
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
        unsafe { write_out(out, to_c(outcome)) }
    })
}

/// The exit status of a command-line host's `verify` for this verdict, by the core's policy:
/// 0 verified, 1 rejected, 4 needs the user's confirmation.
///
/// Returns OK; NULL_PARAMETER for a NULL `verdict` or `out`.
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

/// The verdict's readable message: a view owned by the verdict, valid until it is freed (empty
/// for NULL). Returns no result code.
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

/// The identity that matched: its kind (`mailsrv_identity_kind`) and value (a view owned by the
/// verdict, valid until it is freed).
///
/// Returns OK; NULL_PARAMETER for a NULL `verdict`, `out_kind` or `out_value`; INVALID_ARGUMENT
/// when nothing matched.
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
            write_out(out_kind, to_c(m.kind))?;
            write_out(out_value, s.view())
        }
    })
}

/// Number of identities the certificate presented (0 for NULL). Returns no result code.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mailsrv_verdict_presented_count(verdict: *const mailsrv_verdict) -> usize {
    guard_value(0, || {
        // SAFETY: NULL or a live handle.
        unsafe { verdict.as_ref() }.map_or(0, |v| v.presented.len())
    })
}

/// Presented identity `index`: its type (`dns-id`, `srv-id`, `uri-id`, `cn-id`) and value,
/// views owned by the verdict, valid until it is freed.
///
/// Returns OK; NULL_PARAMETER for a NULL `verdict`, `out_type` or `out_value`; INVALID_ARGUMENT for
/// an index past the last identity.
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

/// Writes the verdict as JSON (pretty when `pretty` is non-zero) into the caller's `buf`, as
/// `mailsrv_plan_json` does.
///
/// Returns OK; INSUFFICIENT_SIZE with only `*out_n` written when `buf` is NULL or too small;
/// NULL_PARAMETER for a NULL `verdict` or `out_n`.
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

/// Decodes every CERTIFICATE block of a PEM text (borrowed for the call).
///
/// Returns OK with `*out` set to a certificate set the caller owns (free it with
/// `mailsrv_certificates_free`); NULL_PARAMETER for a NULL `out`, or NULL `pem` with a non-zero
/// length; a certificate code (3xx, e.g. INVALID_CERTIFICATE_ENCODING).
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

/// Number of certificates (0 for NULL). Returns no result code.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mailsrv_certificates_count(certs: *const mailsrv_certificates) -> usize {
    guard_value(0, || {
        // SAFETY: NULL or a live handle.
        unsafe { certs.as_ref() }.map_or(0, |c| c.ders.len())
    })
}

/// Certificate `index` as DER: a view owned by the set, valid until it is freed.
///
/// Returns OK; NULL_PARAMETER for a NULL `certs` or `out`; INVALID_ARGUMENT for an index past the
/// last certificate.
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

/// Frees a certificate set (NULL is allowed). Views obtained from it become invalid.
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
