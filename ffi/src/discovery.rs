//! `mailsrv_discovery`: questions out, answers in.

use mailsrv_core::{
    Discovery, DnssecQuestion, DnssecStatus, Failure, IncomingPreference, Options, Outcome,
    Protocol, Source, SrvRecord,
};

use crate::cenum::{from_c, option_from_c, to_c};
use crate::ffi_util::{
    OwnedStr, box_out, bytes, free_box, guard, guard_value, handle, handle_mut, mailsrv_result,
    mailsrv_str, text, write_out,
};
use crate::plan::mailsrv_plan;

type R = mailsrv_result;

/// Planner options. Get the defaults with `mailsrv_options_default`, then change fields.
/// Flags are `uint8_t` (0 = false, anything else = true).
#[repr(C)]
#[derive(Clone, Copy)]
pub struct mailsrv_options {
    /// Look for IMAP.
    pub imap: u8,
    /// Look for POP3.
    pub pop3: u8,
    /// Look for submission.
    pub submission: u8,
    /// Trust the AD bit of wire responses (a validating resolver over a secure channel).
    pub trust_ad: u8,
    /// A `mailsrv_min_security` value.
    pub minimum_security: u32,
    /// A `mailsrv_tls_order` value.
    pub tls_order: u32,
    /// A `mailsrv_protocol` value: `MAILSRV_PROTOCOL_IMAP` or `MAILSRV_PROTOCOL_POP3`.
    pub prefer: u32,
    /// DNS message ID of question 0 (random for UDP, 0 for DNS over HTTPS).
    pub message_id_base: u16,
    /// Validate DNSSEC in the core (non-zero; 0, the default, is off): the core then asks DS and
    /// DNSKEY questions of its own (`mailsrv_discovery_dnssec_question`) and decides every SRV
    /// answer's status from `trust_anchors` at `dnssec_now`; `trust_ad` is not used for them.
    pub validate_dnssec: u8,
    /// The host's current time for DNSSEC validation (RRSIG validity), in seconds since
    /// 1970-01-01 UTC; `mailsrv_parse_now` reads a command line's `--now`.
    pub dnssec_now: u64,
    /// Trust anchors for DNSSEC validation: the text of an unbound-style trust-anchor file (DS or
    /// DNSKEY records in presentation format, UTF-8, at most 256 KiB). NULL (the default): the
    /// IANA root anchors built into the library. Borrowed: it must stay valid until the call that
    /// makes the discovery returns; the discovery keeps its own copy.
    pub trust_anchors: *const u8,
    /// Length of `trust_anchors` in bytes.
    pub trust_anchors_len: usize,
}

/// One question, as views into the discovery (valid until it is freed).
#[repr(C)]
pub struct mailsrv_question {
    /// Question id, to feed its answer back.
    pub id: u16,
    /// DNS message ID in the wire query.
    pub message_id: u16,
    /// A `mailsrv_service` value.
    pub service: u32,
    /// Owner name, e.g. `_imaps._tcp.example.net`.
    pub name: mailsrv_str,
    /// The wire-format query (no TCP length prefix).
    pub wire: *const u8,
    /// Length of `wire`.
    pub wire_len: usize,
}

/// One SRV record parsed by the host's resolver.
#[repr(C)]
pub struct mailsrv_srv_record {
    /// Priority.
    pub priority: u16,
    /// Weight.
    pub weight: u16,
    /// Port.
    pub port: u16,
    /// Target host (UTF-8, not NUL-terminated), "." for "not offered".
    pub target: *const u8,
    /// Length of `target`.
    pub target_len: usize,
    /// TTL in seconds; used only when `has_ttl` is non-zero.
    pub ttl: u32,
    /// Whether `ttl` is known.
    pub has_ttl: u8,
}

/// A discovery for one email address (opaque).
pub struct mailsrv_discovery {
    inner: Discovery,
    names: Vec<OwnedStr>,
    /// The URLs of the HTTP requests so far (`mailsrv_discovery_request` views them).
    pub(crate) urls: Vec<OwnedStr>,
    /// The MX question's name, when one is asked.
    pub(crate) mx_name: Option<OwnedStr>,
    /// Every DNSSEC question of the validator so far, with its name (the core's list only
    /// grows): `mailsrv_discovery_dnssec_question` views them.
    dnssec: Vec<(DnssecQuestion, OwnedStr)>,
}

impl mailsrv_discovery {
    /// Wraps a core discovery, with the views the C API hands out.
    pub(crate) fn from_core(inner: Discovery) -> Self {
        let names = inner
            .questions()
            .iter()
            .map(|q| OwnedStr::new(&q.name))
            .collect();
        let mx_name = inner.mx_question().map(|q| OwnedStr::new(&q.name));
        let mut d = Self {
            inner,
            names,
            urls: Vec::new(),
            mx_name,
            dnssec: Vec::new(),
        };
        d.sync();
        d
    }

    pub(crate) fn inner(&self) -> &Discovery {
        &self.inner
    }

    /// The core discovery, to change; call [`Self::sync`] after a change that may add requests.
    pub(crate) fn inner_mut(&mut self) -> &mut Discovery {
        &mut self.inner
    }

    /// Adds the views of requests and DNSSEC questions the core added since (the MX answer adds
    /// requests, any answer may add DNSSEC questions). Every function that changes the discovery
    /// calls it.
    pub(crate) fn sync(&mut self) {
        let requests = self.inner.requests();
        for r in requests.iter().skip(self.urls.len()) {
            self.urls.push(OwnedStr::new(&r.url));
        }
        if self.inner.validates_dnssec() {
            let questions = self.inner.dnssec_questions();
            for q in questions.into_iter().skip(self.dnssec.len()) {
                let name = OwnedStr::new(&q.name);
                self.dnssec.push((q, name));
            }
        }
    }

    /// The kept DNSSEC question with `message_id` and its name.
    pub(crate) fn dnssec_question(&self, message_id: u16) -> Option<&(DnssecQuestion, OwnedStr)> {
        self.dnssec.iter().find(|(q, _)| q.message_id == message_id)
    }
}

/// The core's default options with SRV as the only source: `mailsrv_discovery_new` asks DNS
/// only and its plan is final once DNS is done; `mailsrv_discovery_new_sources` (web.rs) asks
/// for the HTTP sources too.
fn srv_only() -> Options {
    Options {
        sources: vec![Source::Srv],
        ..Options::default()
    }
}

/// The core's options from the C struct; the trust-anchor text is read (copied) here.
pub(crate) fn options_from_c(o: &mailsrv_options) -> Result<Options, R> {
    let options = Options {
        imap: o.imap != 0,
        pop3: o.pop3 != 0,
        submission: o.submission != 0,
        trust_ad: o.trust_ad != 0,
        minimum_security: from_c(o.minimum_security)?,
        tls_order: from_c(o.tls_order)?,
        prefer: match from_c::<Protocol>(o.prefer)? {
            Protocol::Imap => IncomingPreference::Imap,
            Protocol::Pop3 => IncomingPreference::Pop3,
            Protocol::Submission => return Err(R::MAILSRV_RESULT_INVALID_ARGUMENT),
        },
        message_id_base: o.message_id_base,
        ..srv_only()
    };
    if o.validate_dnssec == 0 {
        return Ok(options);
    }
    let anchors = if o.trust_anchors.is_null() {
        None
    } else if o.trust_anchors_len > mailsrv_core::dnssec::anchor::MAX_ANCHOR_TEXT {
        // The core refuses it too; this saves copying a buffer of any size first.
        return Err(R::MAILSRV_RESULT_INVALID_OPTION);
    } else {
        // SAFETY: the caller guarantees `trust_anchors_len` readable bytes at a non-NULL
        // `trust_anchors` for the call (the struct's contract).
        Some(unsafe { text(o.trust_anchors, o.trust_anchors_len)? }.to_owned())
    };
    Ok(options.validate_dnssec(anchors, o.dnssec_now))
}

/// The C form of the core's options (the preference as a `mailsrv_protocol`), with DNSSEC
/// validation off: the core's trust-anchor text has no C view that would outlive this call, so
/// callers that start from a C struct copy its DNSSEC fields back ([`keep_dnssec`]).
fn options_to_c(o: &Options) -> mailsrv_options {
    mailsrv_options {
        imap: u8::from(o.imap),
        pop3: u8::from(o.pop3),
        submission: u8::from(o.submission),
        trust_ad: u8::from(o.trust_ad),
        minimum_security: to_c(o.minimum_security),
        tls_order: to_c(o.tls_order),
        prefer: to_c(match o.prefer {
            IncomingPreference::Imap => Protocol::Imap,
            IncomingPreference::Pop3 => Protocol::Pop3,
        }),
        message_id_base: o.message_id_base,
        validate_dnssec: 0,
        dnssec_now: 0,
        trust_anchors: std::ptr::null(),
        trust_anchors_len: 0,
    }
}

/// `to` with the DNSSEC fields of `from` (validation, time and the borrowed anchors), which the
/// core's options cannot give back as C views.
fn keep_dnssec(to: mailsrv_options, from: &mailsrv_options) -> mailsrv_options {
    mailsrv_options {
        validate_dnssec: from.validate_dnssec,
        dnssec_now: from.dnssec_now,
        trust_anchors: from.trust_anchors,
        trust_anchors_len: from.trust_anchors_len,
        ..to
    }
}

/// Writes the default options, `Options::default()` of the core (RFC 8314 §5.2 secure
/// defaults), to `*out`, which the caller owns. Returns OK or NULL_PARAMETER.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mailsrv_options_default(out: *mut mailsrv_options) -> mailsrv_result {
    guard(|| {
        let c = options_to_c(&Options::default());
        // SAFETY: out is NULL or valid for writes (caller contract).
        unsafe { write_out(out, c) }
    })
}

/// Sets one planner option of `*options` from command-line text, parsed by the core:
/// `option` is `tls-order`, `prefer` or `minimum-security` and `value` one of its values
/// (`implicit-first`, `pop3`, ...), both UTF-8 of the given lengths, borrowed for the call. The
/// DNSSEC fields are left as they are (not read).
///
/// Returns OK; NULL_PARAMETER for a NULL `options` (or a NULL text with a non-zero length);
/// INVALID_ARGUMENT for text that is not UTF-8 or an unknown enum value already in `*options`;
/// INVALID_OPTION for an unknown option or value, leaving `*options` unchanged.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mailsrv_options_set(
    options: *mut mailsrv_options,
    option: *const u8,
    option_len: usize,
    value: *const u8,
    value_len: usize,
) -> mailsrv_result {
    guard(|| {
        // SAFETY: options is NULL or a valid struct (caller contract).
        let c = unsafe { options.as_ref() }.ok_or(R::MAILSRV_RESULT_NULL_PARAMETER)?;
        // SAFETY: caller contracts for the two texts.
        let (option, value) = unsafe { (text(option, option_len)?, text(value, value_len)?) };
        let mut core = options_from_c(&mailsrv_options {
            validate_dnssec: 0,
            ..*c
        })?;
        mailsrv_core::host_rules::set_option(&mut core, option, value)?;
        let updated = keep_dnssec(options_to_c(&core), c);
        // SAFETY: checked non-NULL above; valid for writes (caller contract).
        unsafe { write_out(options, updated) }
    })
}

/// Starts a discovery for the UTF-8 address `email` (`email_len` bytes), with `options` (NULL
/// for the defaults; read during the call only).
///
/// Returns OK with `*out` set to a discovery the caller owns (free it with
/// `mailsrv_discovery_free`); NULL_PARAMETER for a NULL `out` or `email` with a non-zero length;
/// INVALID_ARGUMENT for text that is not UTF-8 or an unknown enum value in `options` (or a
/// `prefer` other than IMAP or POP3); an address code (1xx) for an address the core refuses.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mailsrv_discovery_new(
    email: *const u8,
    email_len: usize,
    options: *const mailsrv_options,
    out: *mut *mut mailsrv_discovery,
) -> mailsrv_result {
    guard(|| {
        if out.is_null() {
            return Err(R::MAILSRV_RESULT_NULL_PARAMETER);
        }
        // SAFETY: caller contract for (email, email_len).
        let email = unsafe { text(email, email_len)? };
        // SAFETY: options is NULL or a valid struct (caller contract).
        let options = match unsafe { options.as_ref() } {
            Some(o) => options_from_c(o)?,
            None => srv_only(),
        };
        let inner = Discovery::new(email, options)?;
        let handle = mailsrv_discovery::from_core(inner);
        // SAFETY: out checked non-NULL above.
        unsafe { box_out(out, handle) }
    })
}

/// Frees a discovery (NULL is allowed). Views obtained from it become invalid; plans made from
/// it stay valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mailsrv_discovery_free(discovery: *mut mailsrv_discovery) {
    // SAFETY: NULL or a live handle from its `_new` call (caller contract).
    unsafe { free_box(discovery) }
}

/// Number of questions (0 for NULL). Returns no result code.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mailsrv_discovery_question_count(
    discovery: *const mailsrv_discovery,
) -> usize {
    guard_value(0, || {
        // SAFETY: NULL or a live handle (caller contract).
        unsafe { discovery.as_ref() }.map_or(0, |d| d.inner.questions().len())
    })
}

/// Describes question `index` (0-based) in `*out`. Its `name` and `wire` are
/// views owned by the discovery, valid until it is freed.
///
/// Returns OK; NULL_PARAMETER for a NULL `discovery` or `out`; INVALID_ARGUMENT for an index past
/// the last question.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mailsrv_discovery_question(
    discovery: *const mailsrv_discovery,
    index: usize,
    out: *mut mailsrv_question,
) -> mailsrv_result {
    guard(|| {
        // SAFETY: NULL or a live handle.
        let d = unsafe { handle(discovery)? };
        let q = d
            .inner
            .questions()
            .get(index)
            .ok_or(R::MAILSRV_RESULT_INVALID_ARGUMENT)?;
        let name = d.names.get(index).ok_or(R::MAILSRV_RESULT_INTERNAL)?;
        let value = mailsrv_question {
            id: q.id,
            message_id: q.message_id,
            service: to_c(q.service),
            name: name.view(),
            wire: q.wire.as_ptr(),
            wire_len: q.wire.len(),
        };
        // SAFETY: out is NULL or valid for writes.
        unsafe { write_out(out, value) }
    })
}

/// Feeds the wire-format response (borrowed for the call) to question `id`. `dnssec` is a
/// `mailsrv_dnssec` value. `*out_outcome` receives a `mailsrv_outcome` (e.g.
/// `MAILSRV_OUTCOME_TRUNCATED`: ask again over TCP and feed that answer; `MAILSRV_OUTCOME_MALFORMED`
/// for bytes that do not parse, which is not an error).
///
/// Returns OK; NULL_PARAMETER for a NULL `discovery` or `out_outcome`, or a NULL `response` with a
/// non-zero length; INVALID_ARGUMENT for an unknown `dnssec`; a DNS code (2xx: UNKNOWN_QUESTION,
/// ALREADY_ANSWERED, NOT_A_RESPONSE, MESSAGE_ID_MISMATCH, QUESTION_MISMATCH).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mailsrv_discovery_receive(
    discovery: *mut mailsrv_discovery,
    id: u16,
    response: *const u8,
    response_len: usize,
    dnssec: u32,
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
        let dnssec = option_from_c::<DnssecStatus>(dnssec)?;
        let outcome: Result<Outcome, _> = d.inner.receive(id, response, dnssec);
        d.sync();
        let outcome = outcome?;
        // SAFETY: checked non-NULL above; valid for writes by contract.
        unsafe { write_out(out_outcome, to_c(outcome)) }
    })
}

/// Feeds `count` SRV records parsed by the host's resolver for question `id` (`count` 0 means
/// NODATA; the records are copied). `dnssec` is a `mailsrv_dnssec` value (UNSPECIFIED counts as
/// insecure).
///
/// Returns OK; NULL_PARAMETER for a NULL `discovery`, or NULL `records` with a non-zero `count`;
/// INVALID_ARGUMENT for an unknown `dnssec` or more than 65535 records; INVALID_RECORD for a target
/// that is not UTF-8; UNKNOWN_QUESTION or ALREADY_ANSWERED.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mailsrv_discovery_receive_records(
    discovery: *mut mailsrv_discovery,
    id: u16,
    records: *const mailsrv_srv_record,
    count: usize,
    dnssec: u32,
) -> mailsrv_result {
    guard(|| {
        // SAFETY: NULL or a live, unaliased handle.
        let d = unsafe { handle_mut(discovery)? };
        let dnssec = option_from_c::<DnssecStatus>(dnssec)?.unwrap_or(DnssecStatus::Insecure);
        let records: &[mailsrv_srv_record] = if count == 0 {
            &[]
        } else if records.is_null() {
            return Err(R::MAILSRV_RESULT_NULL_PARAMETER);
        } else if count > 65_535 {
            return Err(R::MAILSRV_RESULT_INVALID_ARGUMENT);
        } else {
            // SAFETY: caller guarantees `count` readable records at `records`.
            unsafe { std::slice::from_raw_parts(records, count) }
        };
        let mut out = Vec::with_capacity(records.len());
        for r in records {
            // SAFETY: caller contract for each target.
            let target = unsafe { text(r.target, r.target_len) }
                .map_err(|_| R::MAILSRV_RESULT_INVALID_RECORD)?;
            out.push(SrvRecord {
                priority: r.priority,
                weight: r.weight,
                port: r.port,
                target: target.into(),
                ttl: (r.has_ttl != 0).then_some(r.ttl),
            });
        }
        let taken = d.inner.receive_records(id, out, dnssec);
        d.sync();
        taken?;
        Ok(())
    })
}

/// Reports a failure or negative answer (`mailsrv_failure`) for question `id`.
///
/// Returns OK; NULL_PARAMETER for a NULL `discovery`; INVALID_ARGUMENT for an unknown `failure`;
/// UNKNOWN_QUESTION or ALREADY_ANSWERED.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mailsrv_discovery_fail(
    discovery: *mut mailsrv_discovery,
    id: u16,
    failure: u32,
) -> mailsrv_result {
    guard(|| {
        // SAFETY: NULL or a live, unaliased handle.
        let d = unsafe { handle_mut(discovery)? };
        let failure = from_c::<Failure>(failure)?;
        let taken = d.inner.fail(id, failure);
        d.sync();
        taken?;
        Ok(())
    })
}

/// `mailsrv_discovery_fail` with the host's reason for a lookup that failed (`reason` of
/// `reason_len` bytes, borrowed for the call; e.g. c-ares's `ares_strerror` or `strerror`): the
/// plan's `lookup-failed` diagnostic for the question gives it, cut to its first 200 characters
/// on one line. Bytes that are not UTF-8 (a message in another locale's encoding) are shown as
/// U+FFFD: the failure is recorded whatever the text. A reason for a negative answer (NXDOMAIN,
/// NODATA), or an empty one, is not shown.
///
/// Returns OK; NULL_PARAMETER for a NULL `discovery` (or a NULL `reason` with a non-zero length);
/// INVALID_ARGUMENT for an unknown `failure`; UNKNOWN_QUESTION or ALREADY_ANSWERED.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mailsrv_discovery_fail_because(
    discovery: *mut mailsrv_discovery,
    id: u16,
    failure: u32,
    reason: *const u8,
    reason_len: usize,
) -> mailsrv_result {
    guard(|| {
        // SAFETY: NULL or a live, unaliased handle.
        let d = unsafe { handle_mut(discovery)? };
        let failure = from_c::<Failure>(failure)?;
        // SAFETY: the caller's contract for (reason, reason_len).
        let reason = unsafe { bytes(reason, reason_len)? };
        // Only what can be shown is read: 200 characters are at most 800 bytes of UTF-8.
        let shown = &reason[..reason
            .len()
            .min(4 * mailsrv_core::host_rules::MAX_REASON_CHARS)];
        let taken = d
            .inner
            .fail_because(id, failure, &String::from_utf8_lossy(shown));
        d.sync();
        taken?;
        Ok(())
    })
}

/// Whether every question has a final answer (false for NULL). Returns no result code.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mailsrv_discovery_is_complete(
    discovery: *const mailsrv_discovery,
) -> bool {
    guard_value(false, || {
        // SAFETY: NULL or a live handle.
        unsafe { discovery.as_ref() }.is_some_and(|d| d.inner.is_complete())
    })
}

/// Builds the plan from what is known now, with `seed` for the RFC 2782 order; the discovery
/// stays usable.
///
/// Returns OK with `*out` set to a plan the caller owns (free it with `mailsrv_plan_free`);
/// NULL_PARAMETER for a NULL `discovery` or `out`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mailsrv_discovery_plan(
    discovery: *const mailsrv_discovery,
    seed: u64,
    out: *mut *mut mailsrv_plan,
) -> mailsrv_result {
    guard(|| {
        // SAFETY: NULL or a live handle.
        let d = unsafe { handle(discovery)? };
        if out.is_null() {
            return Err(R::MAILSRV_RESULT_NULL_PARAMETER);
        }
        let plan = mailsrv_plan::new(d.inner.plan(seed));
        // SAFETY: out checked non-NULL.
        unsafe { box_out(out, plan) }
    })
}

/// The failure to give `mailsrv_discovery_fail` for a query that the host could not complete
/// with the host code `result` (a `mailsrv_result`): the core's rule, `MAILSRV_RESULT_TIMEOUT`
/// gives `MAILSRV_FAILURE_TIMEOUT` and anything else `MAILSRV_FAILURE_NETWORK_ERROR`. Returns the
/// `mailsrv_failure` (no result code).
#[unsafe(no_mangle)]
pub extern "C" fn mailsrv_lookup_failure(result: u32) -> u32 {
    guard_value(to_c(Failure::NetworkError), || {
        to_c(mailsrv_core::host_rules::lookup_failure(
            mailsrv_core::ErrorCode::from_u32(result),
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_host_timeout_is_the_cores_lookup_timeout() {
        use mailsrv_core::ErrorCode;
        assert_eq!(
            mailsrv_lookup_failure(ErrorCode::Timeout as u32),
            to_c(Failure::Timeout)
        );
        for other in [
            ErrorCode::NetworkError as u32,
            ErrorCode::TooMuchData as u32,
            7,
        ] {
            assert_eq!(mailsrv_lookup_failure(other), to_c(Failure::NetworkError));
        }
    }

    /// Default C options with validation on at `now`, anchors from `text` (NULL for None).
    fn validating(text: Option<&[u8]>, now: u64) -> mailsrv_options {
        let mut c = std::mem::MaybeUninit::<mailsrv_options>::uninit();
        // SAFETY: a valid out-pointer.
        assert_eq!(
            unsafe { mailsrv_options_default(c.as_mut_ptr()) },
            R::MAILSRV_RESULT_OK
        );
        // SAFETY: written on OK.
        let c = unsafe { c.assume_init() };
        mailsrv_options {
            validate_dnssec: 1,
            dnssec_now: now,
            trust_anchors: text.map_or(std::ptr::null(), <[u8]>::as_ptr),
            trust_anchors_len: text.map_or(0, <[u8]>::len),
            ..c
        }
    }

    #[test]
    fn the_dnssec_options_are_the_cores_validation_options() {
        let anchor =
            b". IN DS 20326 8 2 E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D";
        let c = validating(Some(anchor), 1_796_083_200);
        let core = options_from_c(&c).unwrap_or_else(|e| panic!("{e:?}"));
        let text = String::from_utf8(anchor.to_vec()).unwrap_or_default();
        assert_eq!(
            core,
            srv_only().validate_dnssec(Some(text), 1_796_083_200),
            "the anchor text is copied, the time kept"
        );
        let builtin = options_from_c(&validating(None, 7)).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(
            builtin,
            srv_only().validate_dnssec(None, 7),
            "NULL: the built-in anchors"
        );
        let off = mailsrv_options {
            validate_dnssec: 0,
            ..c
        };
        assert_eq!(
            options_from_c(&off).ok(),
            Some(srv_only()),
            "off: the rest is not read"
        );
        assert_eq!(
            options_from_c(&validating(Some(b"\xff\xfe"), 7)).err(),
            Some(R::MAILSRV_RESULT_INVALID_ARGUMENT),
            "anchor text that is not UTF-8"
        );
        let huge = vec![b' '; mailsrv_core::dnssec::anchor::MAX_ANCHOR_TEXT + 1];
        assert_eq!(
            options_from_c(&validating(Some(&huge), 7)).err(),
            Some(R::MAILSRV_RESULT_INVALID_OPTION),
            "anchor text over the core's cap is refused before it is copied"
        );
        let null_with_len = mailsrv_options {
            trust_anchors_len: 5,
            ..validating(None, 7)
        };
        assert_eq!(
            options_from_c(&null_with_len).ok(),
            Some(srv_only().validate_dnssec(None, 7)),
            "NULL anchors mean the built-in ones whatever the length"
        );
    }

    #[test]
    fn setting_an_option_keeps_the_dnssec_fields() {
        let anchor = b"not read by mailsrv_options_set";
        let mut c = validating(Some(anchor), 42);
        // SAFETY: valid struct and texts.
        let r =
            unsafe { mailsrv_options_set(&raw mut c, b"prefer".as_ptr(), 6, b"pop3".as_ptr(), 4) };
        assert_eq!(r, R::MAILSRV_RESULT_OK);
        assert_eq!(c.prefer, to_c(Protocol::Pop3));
        assert_eq!(
            (
                c.validate_dnssec,
                c.dnssec_now,
                c.trust_anchors,
                c.trust_anchors_len
            ),
            (1, 42, anchor.as_ptr(), anchor.len())
        );
    }

    #[test]
    fn the_c_defaults_are_the_cores_defaults() {
        let mut c = std::mem::MaybeUninit::<mailsrv_options>::uninit();
        // SAFETY: a valid out-pointer.
        let r = unsafe { mailsrv_options_default(c.as_mut_ptr()) };
        assert_eq!(r, R::MAILSRV_RESULT_OK);
        // SAFETY: written on OK.
        let c = unsafe { c.assume_init() };
        let back = options_from_c(&c).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(
            back,
            srv_only(),
            "mailsrv_options_default maps Options::default() (SRV only)"
        );
        let mut bad = c;
        bad.prefer = to_c(Protocol::Submission);
        assert_eq!(
            options_from_c(&bad).err(),
            Some(R::MAILSRV_RESULT_INVALID_ARGUMENT)
        );
        bad.prefer = 77;
        assert_eq!(
            options_from_c(&bad).err(),
            Some(R::MAILSRV_RESULT_INVALID_ARGUMENT)
        );
    }
}
