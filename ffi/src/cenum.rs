//! The C enumerations of the core's enums, one mechanism for all: a value's C number comes from
//! the core's list ([`Numbered::ALL`]), possibly after a "none" value the C side adds for an
//! absent one (e.g. `MAILSRV_REJECT_NONE`). `enums.rs` (the C enums and their `*_name`
//! functions) is generated from the same lists and checked by a test, as the header is; the
//! conversions below are the only way values cross the boundary, so an unknown number is
//! INVALID_ARGUMENT and never a guess.

pub(crate) use mailsrv_core::numbering::Numbered;

use crate::ffi_util::mailsrv_result;

/// Where a C enum puts the value that stands for "absent", if it has one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum NoneAt {
    /// "None" is 0 and the core's values follow from 1.
    First,
    /// "None" follows the core's values.
    Last,
}

/// A core enum with a C enumeration.
pub(crate) trait CEnum: Numbered {
    /// The place of the C enum's "none" value, if it has one.
    const NONE: Option<NoneAt> = None;
}

macro_rules! c_enums {
    ($($ty:ty $(= $none:expr)?;)+) => {
        $(impl CEnum for $ty { $(const NONE: Option<NoneAt> = Some($none);)? })+
    };
}

c_enums! {
    mailsrv_core::Service;
    mailsrv_core::Protocol = NoneAt::Last;
    mailsrv_core::Security;
    mailsrv_core::Trust;
    mailsrv_core::Status;
    mailsrv_core::Outcome;
    mailsrv_core::DnssecStatus = NoneAt::First;
    mailsrv_core::DnssecSource;
    mailsrv_core::IdentityKind;
    mailsrv_core::Failure;
    mailsrv_core::MinimumSecurity;
    mailsrv_core::TlsOrder;
    mailsrv_core::negotiate::TlsOutcome;
    mailsrv_core::VerdictStatus;
    mailsrv_core::RejectReason = NoneAt::First;
    mailsrv_core::negotiate::StepKind;
    mailsrv_core::negotiate::AbortReason = NoneAt::First;
    mailsrv_core::Source;
    mailsrv_core::RequestOutcome;
    mailsrv_core::HttpFailure;
}

fn offset<T: CEnum>() -> u32 {
    u32::from(T::NONE == Some(NoneAt::First))
}

/// The C number of a core value.
pub(crate) fn to_c<T: CEnum>(value: T) -> u32 {
    value.number() + offset::<T>()
}

/// The C number of a possibly absent core value (the enum's "none" for `None`).
pub(crate) fn option_to_c<T: CEnum>(value: Option<T>) -> u32 {
    match (value, T::NONE) {
        (Some(v), _) => to_c(v),
        (None, Some(NoneAt::Last)) => u32::try_from(T::ALL.len()).unwrap_or(u32::MAX),
        (None, _) => 0,
    }
}

/// The core value of a C number; INVALID_ARGUMENT for a number that is none of its values
/// (the "none" value included).
pub(crate) fn from_c<T: CEnum>(code: u32) -> Result<T, mailsrv_result> {
    code.checked_sub(offset::<T>())
        .and_then(T::from_number)
        .ok_or(mailsrv_result::MAILSRV_RESULT_INVALID_ARGUMENT)
}

/// The possibly absent core value of a C number ("none" gives `None`); INVALID_ARGUMENT for a
/// number that is no value of the C enum.
pub(crate) fn option_from_c<T: CEnum>(code: u32) -> Result<Option<T>, mailsrv_result> {
    if T::NONE.is_some() && option_to_c::<T>(None) == code {
        return Ok(None);
    }
    from_c(code).map(Some)
}

/// The C enums generated into enums.rs: C type, variant prefix, doc, the "none" variant's name
/// and doc, and a doc for each core value (by its JSON name). The documentation is written
/// here; numbers and names come from the core.
#[cfg(test)]
pub(crate) mod generate {
    use super::CEnum;
    use std::fmt::Write;

    struct Spec {
        c_type: &'static str,
        prefix: &'static str,
        doc: &'static str,
        /// (C name suffix, number, doc, JSON name), in numeric order.
        rows: Vec<(String, u32, &'static str, String)>,
    }

    fn spec<T: CEnum + serde::Serialize + core::fmt::Debug>(
        c_type: &'static str,
        prefix: &'static str,
        doc: &'static str,
        none: Option<(&'static str, &'static str)>,
        docs: &[(&'static str, &'static str)],
    ) -> Spec {
        let mut rows: Vec<(String, u32, &'static str, String)> = T::ALL
            .iter()
            .map(|v| {
                let json = crate::plan::json_name(v);
                let doc = docs
                    .iter()
                    .find(|(name, _)| *name == json)
                    .map(|(_, d)| *d)
                    .unwrap_or_else(|| panic!("{c_type}: no doc for the core's value {json:?}"));
                let c_name = json.replace('-', "_").to_ascii_uppercase();
                (c_name, super::to_c(*v), doc, json)
            })
            .collect();
        for (name, _) in docs {
            assert!(
                T::ALL.iter().any(|v| crate::plan::json_name(v) == *name),
                "{c_type}: a doc for {name:?}, which the core does not have"
            );
        }
        match (T::NONE, none) {
            (Some(_), Some((name, doc))) => {
                let json = name.to_ascii_lowercase();
                rows.push((name.to_owned(), super::option_to_c::<T>(None), doc, json));
                rows.sort_by_key(|r| r.1);
            }
            (None, None) => {}
            _ => panic!("{c_type}: the none variant and CEnum::NONE disagree"),
        }
        Spec {
            c_type,
            prefix,
            doc,
            rows,
        }
    }

    fn specs() -> Vec<Spec> {
        use mailsrv_core::negotiate::TlsOutcome;
        use mailsrv_core::*;
        vec![
            spec::<MinimumSecurity>(
                "mailsrv_min_security",
                "MAILSRV_MIN_SECURITY_",
                "Minimum security (RFC 8314 §5.1).",
                None,
                &[
                    ("implicit-tls", "Implicit TLS only."),
                    ("starttls", "TLS required, STARTTLS allowed (the default)."),
                    ("cleartext", "Cleartext fallbacks allowed (opt-in)."),
                ],
            ),
            spec::<TlsOrder>(
                "mailsrv_tls_order",
                "MAILSRV_TLS_ORDER_",
                "Order of implicit-TLS and STARTTLS candidates (decision D3).",
                None,
                &[
                    ("implicit-first", "Implicit TLS first (the default)."),
                    ("domain-priority", "Merge by SRV priority."),
                ],
            ),
            spec::<DnssecStatus>(
                "mailsrv_dnssec",
                "MAILSRV_DNSSEC_",
                "DNSSEC status asserted by the host for an answer.",
                Some((
                    "UNSPECIFIED",
                    "Not asserted: the AD bit counts if `trust_ad` is set (wire answers only).",
                )),
                &[
                    ("secure", "Validated."),
                    ("insecure", "Unsigned or not validated."),
                    ("bogus", "Validation failed."),
                    ("indeterminate", "Validation could not decide."),
                ],
            ),
            spec::<DnssecSource>(
                "mailsrv_dnssec_source",
                "MAILSRV_DNSSEC_SOURCE_",
                "How a lookup's DNSSEC status was obtained (issue 14, D41).",
                None,
                &[
                    (
                        "none",
                        "Nothing said anything: no answer yet, or counted insecure unvalidated.",
                    ),
                    ("validated", "The core's own validator (`validate_dnssec`)."),
                    (
                        "trust-ad",
                        "The AD bit of a resolver the host trusts (`trust_ad`).",
                    ),
                    ("host", "The host's own verdict, given with the answer."),
                ],
            ),
            spec::<Failure>(
                "mailsrv_failure",
                "MAILSRV_FAILURE_",
                "A failure (or negative answer) reported by the host.",
                None,
                &[
                    ("timeout", "No answer in time."),
                    ("network-error", "Network error."),
                    ("nx-domain", "The resolver said NXDOMAIN."),
                    ("no-data", "The resolver said NODATA."),
                    ("serv-fail", "The resolver said SERVFAIL."),
                    ("refused", "The resolver said REFUSED."),
                ],
            ),
            spec::<Service>(
                "mailsrv_service",
                "MAILSRV_SERVICE_",
                "SRV service labels.",
                None,
                &[
                    ("submissions", "`_submissions`"),
                    ("submission", "`_submission`"),
                    ("imaps", "`_imaps`"),
                    ("imap", "`_imap`"),
                    ("pop3s", "`_pop3s`"),
                    ("pop3", "`_pop3`"),
                ],
            ),
            spec::<Protocol>(
                "mailsrv_protocol",
                "MAILSRV_PROTOCOL_",
                "Mail protocols.",
                Some(("NONE", "No protocol (nothing found).")),
                &[
                    ("imap", "IMAP."),
                    ("pop3", "POP3."),
                    ("submission", "Submission."),
                ],
            ),
            spec::<Security>(
                "mailsrv_security",
                "MAILSRV_SECURITY_",
                "Connection security.",
                None,
                &[
                    ("implicit-tls", "Implicit TLS."),
                    ("starttls", "STARTTLS / STLS."),
                    ("cleartext", "Cleartext (host opted in)."),
                ],
            ),
            spec::<Trust>(
                "mailsrv_trust",
                "MAILSRV_TRUST_",
                "Trust classes.",
                None,
                &[
                    ("dnssec-secure", "DNSSEC-secure SRV answer."),
                    ("in-domain", "Target inside the email domain."),
                    ("needs-confirmation", "Outside the domain without DNSSEC."),
                    (
                        "authenticated",
                        "Named by an authenticated mapping (https autoconfig, the ISPDB).",
                    ),
                ],
            ),
            spec::<Status>(
                "mailsrv_status",
                "MAILSRV_STATUS_",
                "Side status.",
                None,
                &[
                    ("found", "Candidates found."),
                    ("not-offered", "The domain says the service is not offered."),
                    ("not-published", "Nothing published."),
                    ("lookup-failed", "A lookup failed."),
                    ("no-usable-records", "Records exist but none is usable."),
                    ("not-requested", "Not asked for."),
                ],
            ),
            spec::<Outcome>(
                "mailsrv_outcome",
                "MAILSRV_OUTCOME_",
                "Lookup outcomes.",
                None,
                &[
                    ("pending", "Not answered yet."),
                    ("records", "SRV records."),
                    ("no-data", "NODATA."),
                    ("nx-domain", "NXDOMAIN."),
                    ("serv-fail", "SERVFAIL."),
                    ("refused", "REFUSED."),
                    ("other-error", "Another RCODE."),
                    ("truncated", "Truncated: retry over TCP."),
                    ("malformed", "Malformed response."),
                    ("timeout", "Timeout reported."),
                    ("network-error", "Network error reported."),
                ],
            ),
            spec::<IdentityKind>(
                "mailsrv_identity_kind",
                "MAILSRV_IDENTITY_",
                "Reference-identity types.",
                None,
                &[
                    ("srv-id", "SRV-ID (`_imaps.example.net`)."),
                    ("dns-id", "DNS-ID (`example.net`)."),
                    (
                        "dane-ee",
                        "Only as a verdict's match: a DANE-EE(3) TLSA record (the value).",
                    ),
                    (
                        "dane-ta",
                        "Only as a verdict's match: a DANE-TA(2) TLSA record (the value).",
                    ),
                    (
                        "pkix-ta",
                        "Only as a verdict's match: a PKIX-TA(0) TLSA record (the value).",
                    ),
                    (
                        "pkix-ee",
                        "Only as a verdict's match: a PKIX-EE(1) TLSA record (the value).",
                    ),
                ],
            ),
            spec::<VerdictStatus>(
                "mailsrv_verdict_status",
                "MAILSRV_VERDICT_",
                "Verdict status.",
                None,
                &[
                    (
                        "verified",
                        "Valid chain matching the email domain or its SRV-ID (or a DNSSEC-secure target).",
                    ),
                    (
                        "needs-confirmation",
                        "Valid chain matching only the SRV target: ask the user before sending anything.",
                    ),
                    ("rejected", "Do not use this server."),
                ],
            ),
            spec::<RejectReason>(
                "mailsrv_reject_reason",
                "MAILSRV_REJECT_",
                "Why a chain was rejected.",
                Some(("NONE", "Not rejected.")),
                &[
                    ("unknown-issuer", "No path to a trust anchor."),
                    ("expired", "Expired at `now`."),
                    ("not-yet-valid", "Not yet valid at `now`."),
                    ("bad-signature", "Bad or unsupported signature."),
                    ("wrong-key-usage", "Not for TLS server authentication."),
                    ("name-constraints", "Name constraints forbid the names."),
                    ("name-mismatch", "No reference identity matches."),
                    ("malformed-certificate", "A certificate does not parse."),
                    ("other", "Another failure (see the message)."),
                    (
                        "tlsa-mismatch",
                        "Usable TLSA records exist and none matched (DANE).",
                    ),
                ],
            ),
            spec::<mailsrv_core::negotiate::StepKind>(
                "mailsrv_step_kind",
                "MAILSRV_STEP_",
                "What the host must do next (`mailsrv_step.kind`).",
                None,
                &[
                    (
                        "send",
                        "Write `bytes`, then call `mailsrv_negotiator_poll`.",
                    ),
                    (
                        "need-more",
                        "Read more and call `mailsrv_negotiator_receive`.",
                    ),
                    (
                        "start-tls",
                        "Start the TLS handshake now, then call `mailsrv_negotiator_tls_established`.",
                    ),
                    (
                        "await-tls",
                        "Waiting for `mailsrv_negotiator_tls_established` (implicit TLS starts here).",
                    ),
                    (
                        "done",
                        "Done: capabilities via `mailsrv_negotiator_capabilities_json`.",
                    ),
                    (
                        "abort",
                        "Close the connection; `abort_reason` says why, `text` gives details.",
                    ),
                    (
                        "send-secret",
                        "Write `bytes`: they carry a credential (never log them), then poll.",
                    ),
                    ("logged-in", "The server accepted the credentials."),
                    (
                        "login-failed",
                        "The server refused the credentials (`text` is its untrusted reason).",
                    ),
                ],
            ),
            spec::<mailsrv_core::negotiate::AbortReason>(
                "mailsrv_abort_reason",
                "MAILSRV_ABORT_",
                "Why a negotiation aborted (`mailsrv_step.abort_reason`).",
                Some(("NONE", "Not aborted.")),
                &[
                    (
                        "injected-after-upgrade",
                        "Bytes after the upgrade reply and before TLS (response injection).",
                    ),
                    (
                        "starttls-not-offered",
                        "STARTTLS/STLS not offered and TLS required.",
                    ),
                    ("starttls-refused", "The server refused the upgrade."),
                    ("preauth-without-tls", "IMAP PREAUTH over plaintext."),
                    ("server-refused", "The server refused the session."),
                    ("protocol-violation", "The server broke the protocol."),
                    (
                        "line-too-long",
                        "A line of 8192 bytes or more, CRLF included (`MAX_LINE`).",
                    ),
                    (
                        "certificate-not-verified",
                        "The certificate was not verified (or confirmed).",
                    ),
                    ("no-authentication", "No way to authenticate after TLS."),
                    (
                        "misuse",
                        "The host called a function out of order (e.g. login before a verified TLS session).",
                    ),
                    (
                        "too-much-before-tls",
                        "More than 65536 bytes before TLS (`MAX_BYTES_BEFORE_TLS`).",
                    ),
                    (
                        "too-many-lines",
                        "More than 512 lines before TLS (`MAX_LINES_BEFORE_TLS`) or in one IMAP response (`MAX_RESPONSE_LINES`).",
                    ),
                    (
                        "too-many-capabilities",
                        "More than 256 capabilities or SASL mechanisms in one list (`MAX_CAPABILITIES`).",
                    ),
                    (
                        "reply-too-long",
                        "More than 128 lines in one SMTP reply (`MAX_REPLY_LINES`).",
                    ),
                    (
                        "challenge-too-large",
                        "A SASL challenge over 2048 bytes (`MAX_CHALLENGE`).",
                    ),
                ],
            ),
            spec::<Source>(
                "mailsrv_source",
                "MAILSRV_SOURCE_",
                "Where a candidate or an HTTP request came from (decision D26).",
                None,
                &[
                    ("srv", "RFC 6186 SRV records of the email domain."),
                    (
                        "autoconfig",
                        "Provider autoconfig over https (`autoconfig.<domain>`).",
                    ),
                    (
                        "well-known",
                        "`https://<domain>/.well-known/autoconfig/...`.",
                    ),
                    ("ispdb", "The ISPDB over https."),
                    (
                        "mx-autoconfig",
                        "Provider autoconfig of the first MX host's domains.",
                    ),
                    ("mx-ispdb", "The ISPDB for the first MX host's domains."),
                    (
                        "autoconfig-http",
                        "Provider autoconfig over plain HTTP (opt-in).",
                    ),
                ],
            ),
            spec::<RequestOutcome>(
                "mailsrv_request_outcome",
                "MAILSRV_REQUEST_",
                "What became of one HTTP request.",
                None,
                &[
                    ("pending", "Not answered yet."),
                    ("document", "A document was read."),
                    ("http-status", "A status other than 2xx."),
                    (
                        "content-type",
                        "A content type that is not XML or plain text.",
                    ),
                    (
                        "refused",
                        "The body was too large or the parser refused it.",
                    ),
                    ("failed", "The host reported a failure."),
                ],
            ),
            spec::<HttpFailure>(
                "mailsrv_http_failure",
                "MAILSRV_HTTP_",
                "Why an HTTP request gave no response (`mailsrv_discovery_fail_http`).",
                None,
                &[
                    ("timeout", "No response in time."),
                    (
                        "network-error",
                        "Resolution, connection or transfer failed (or too many redirects).",
                    ),
                    (
                        "tls-error",
                        "The TLS handshake or the server's certificate failed.",
                    ),
                    ("insecure-redirect", "A redirect would have left https."),
                    (
                        "too-large",
                        "The body passed `mailsrv_http_max_body_bytes()`.",
                    ),
                ],
            ),
            spec::<TlsOutcome>(
                "mailsrv_tls_outcome",
                "MAILSRV_TLS_",
                "The certificate outcome reported to `mailsrv_negotiator_tls_established`.",
                None,
                &[
                    ("verified", "Handshake done and the verdict is `verified`."),
                    (
                        "user-confirmed",
                        "The verdict is `needs-confirmation` and the user confirmed the server.",
                    ),
                    ("not-verified", "Not verified (or not confirmed)."),
                ],
            ),
        ]
    }

    /// The abort reasons that a cap gives name the cap and its value (the core's constant).
    #[test]
    fn cap_reasons_name_their_cap_and_value() {
        use mailsrv_core::negotiate as n;
        let spec = specs();
        let Some(aborts) = spec.iter().find(|s| s.c_type == "mailsrv_abort_reason") else {
            panic!("no abort reasons");
        };
        for (json, caps) in [
            ("line-too-long", &[("MAX_LINE", n::MAX_LINE)][..]),
            (
                "too-much-before-tls",
                &[("MAX_BYTES_BEFORE_TLS", n::MAX_BYTES_BEFORE_TLS)],
            ),
            (
                "too-many-lines",
                &[
                    ("MAX_LINES_BEFORE_TLS", n::MAX_LINES_BEFORE_TLS),
                    ("MAX_RESPONSE_LINES", n::MAX_RESPONSE_LINES),
                ],
            ),
            (
                "too-many-capabilities",
                &[("MAX_CAPABILITIES", n::MAX_CAPABILITIES)],
            ),
            ("reply-too-long", &[("MAX_REPLY_LINES", n::MAX_REPLY_LINES)]),
            (
                "challenge-too-large",
                &[("MAX_CHALLENGE", n::MAX_CHALLENGE)],
            ),
        ] {
            let Some(row) = aborts.rows.iter().find(|r| r.3 == json) else {
                panic!("no row {json}");
            };
            for (name, value) in caps {
                assert!(row.2.contains(name), "{json}: {}", row.2);
                assert!(row.2.contains(&value.to_string()), "{json}: {}", row.2);
            }
        }
    }

    /// Renders enums.rs.
    pub(crate) fn render_enums_rs() -> String {
        let mut out = String::new();
        let w = &mut out;
        let _ = writeln!(
            w,
            "//! Generated from the core's enum lists (`mailsrv::numbering::Numbered::ALL`) by\n\
             //! `MAILSRV_UPDATE_HEADER=1 cargo test -p mailsrv-ffi` (see cenum.rs). Do not edit."
        );
        let _ = writeln!(
            w,
            "\nuse core::ffi::c_char;\n\nuse crate::ffi_util::guard_value;"
        );
        for s in specs() {
            let _ = writeln!(
                w,
                "\n/// {}\n#[repr(u32)]\n#[derive(Clone, Copy, Debug, PartialEq, Eq)]\npub enum {} {{",
                s.doc, s.c_type
            );
            for (name, n, doc, _) in &s.rows {
                let _ = writeln!(w, "    /// {doc}\n    {}{name} = {n},", s.prefix);
            }
            let _ = writeln!(w, "}}");
            let short = s.c_type.trim_start_matches("mailsrv_");
            let _ = writeln!(
                w,
                "\n/// The name of a `{}` value, as JSON spells it (e.g. `\"{}\"`):\n\
                 /// static and NUL-terminated, never to be freed; `\"\"` for a number that is no value.\n\
                 /// Returns no result code.\n\
                 #[unsafe(no_mangle)]\npub extern \"C\" fn mailsrv_{short}_name(value: u32) -> *const c_char {{\n    \
                 guard_value(c\"\".as_ptr(), || {{\n        match value {{",
                s.c_type,
                s.rows.last().map_or("", |r| r.3.as_str())
            );
            for (_, n, _, json) in &s.rows {
                let _ = writeln!(w, "            {n} => c\"{json}\",");
            }
            let _ = writeln!(
                w,
                "            _ => c\"\",\n        }}\n        .as_ptr()\n    }})\n}}"
            );
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use mailsrv_core::{DnssecStatus, Protocol, RejectReason, Status, VerdictStatus};

    fn round_trip<T: CEnum + core::fmt::Debug>() {
        for v in T::ALL {
            assert_eq!(from_c::<T>(to_c(*v)), Ok(*v), "{v:?}");
            assert_eq!(option_from_c::<T>(to_c(*v)), Ok(Some(*v)), "{v:?}");
        }
        let past = u32::try_from(T::ALL.len()).unwrap_or(u32::MAX) + 1;
        assert_eq!(
            from_c::<T>(past),
            Err(mailsrv_result::MAILSRV_RESULT_INVALID_ARGUMENT)
        );
        assert_eq!(
            option_from_c::<T>(past),
            Err(mailsrv_result::MAILSRV_RESULT_INVALID_ARGUMENT)
        );
        assert_eq!(
            from_c::<T>(u32::MAX),
            Err(mailsrv_result::MAILSRV_RESULT_INVALID_ARGUMENT)
        );
        if T::NONE.is_some() {
            let none = option_to_c::<T>(None);
            assert_eq!(option_from_c::<T>(none), Ok(None));
            assert_eq!(
                from_c::<T>(none),
                Err(mailsrv_result::MAILSRV_RESULT_INVALID_ARGUMENT),
                "the none value is no core value"
            );
        }
    }

    #[test]
    fn numbers_round_trip_and_unknown_ones_are_invalid() {
        round_trip::<mailsrv_core::Service>();
        round_trip::<Protocol>();
        round_trip::<mailsrv_core::Security>();
        round_trip::<mailsrv_core::Trust>();
        round_trip::<Status>();
        round_trip::<mailsrv_core::Outcome>();
        round_trip::<DnssecStatus>();
        round_trip::<mailsrv_core::DnssecSource>();
        round_trip::<mailsrv_core::IdentityKind>();
        round_trip::<mailsrv_core::Failure>();
        round_trip::<mailsrv_core::MinimumSecurity>();
        round_trip::<mailsrv_core::TlsOrder>();
        round_trip::<mailsrv_core::negotiate::TlsOutcome>();
        round_trip::<VerdictStatus>();
        round_trip::<RejectReason>();
    }

    #[test]
    fn the_c_constants_are_the_core_numbers() {
        use crate::enums::*;
        assert_eq!(
            to_c(Status::NotRequested),
            mailsrv_status::MAILSRV_STATUS_NOT_REQUESTED as u32
        );
        assert_eq!(
            option_to_c::<Protocol>(None),
            mailsrv_protocol::MAILSRV_PROTOCOL_NONE as u32
        );
        assert_eq!(
            option_to_c::<RejectReason>(None),
            mailsrv_reject_reason::MAILSRV_REJECT_NONE as u32
        );
        assert_eq!(
            to_c(RejectReason::Other),
            mailsrv_reject_reason::MAILSRV_REJECT_OTHER as u32
        );
        assert_eq!(
            to_c(DnssecStatus::Secure),
            mailsrv_dnssec::MAILSRV_DNSSEC_SECURE as u32
        );
        assert_eq!(
            to_c(VerdictStatus::Rejected),
            mailsrv_verdict_status::MAILSRV_VERDICT_REJECTED as u32
        );
        // SAFETY: the name functions return static NUL-terminated strings.
        let name = |p| unsafe { core::ffi::CStr::from_ptr(p) }.to_bytes();
        assert_eq!(name(mailsrv_status_name(1)), b"not-offered");
        assert_eq!(name(mailsrv_reject_reason_name(0)), b"none");
        assert_eq!(name(mailsrv_status_name(99)), b"");
    }
}
