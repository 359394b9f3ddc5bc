//! Generated from the core's enum lists (`mailsrv::numbering::Numbered::ALL`) by
//! `MAILSRV_UPDATE_HEADER=1 cargo test -p mailsrv-ffi` (see cenum.rs). Do not edit.

use core::ffi::c_char;

use crate::ffi_util::guard_value;

/// Minimum security (RFC 8314 §5.1).
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum mailsrv_min_security {
    /// Implicit TLS only.
    MAILSRV_MIN_SECURITY_IMPLICIT_TLS = 0,
    /// TLS required, STARTTLS allowed (the default).
    MAILSRV_MIN_SECURITY_STARTTLS = 1,
    /// Cleartext fallbacks allowed (opt-in).
    MAILSRV_MIN_SECURITY_CLEARTEXT = 2,
}

/// The name of a `mailsrv_min_security` value, as JSON spells it (e.g. `"cleartext"`):
/// static and NUL-terminated, never to be freed; `""` for a number that is no value.
/// Returns no result code.
#[unsafe(no_mangle)]
pub extern "C" fn mailsrv_min_security_name(value: u32) -> *const c_char {
    guard_value(c"".as_ptr(), || {
        match value {
            0 => c"implicit-tls",
            1 => c"starttls",
            2 => c"cleartext",
            _ => c"",
        }
        .as_ptr()
    })
}

/// Order of implicit-TLS and STARTTLS candidates (decision D3).
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum mailsrv_tls_order {
    /// Implicit TLS first (the default).
    MAILSRV_TLS_ORDER_IMPLICIT_FIRST = 0,
    /// Merge by SRV priority.
    MAILSRV_TLS_ORDER_DOMAIN_PRIORITY = 1,
}

/// The name of a `mailsrv_tls_order` value, as JSON spells it (e.g. `"domain-priority"`):
/// static and NUL-terminated, never to be freed; `""` for a number that is no value.
/// Returns no result code.
#[unsafe(no_mangle)]
pub extern "C" fn mailsrv_tls_order_name(value: u32) -> *const c_char {
    guard_value(c"".as_ptr(), || {
        match value {
            0 => c"implicit-first",
            1 => c"domain-priority",
            _ => c"",
        }
        .as_ptr()
    })
}

/// DNSSEC status asserted by the host for an answer.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum mailsrv_dnssec {
    /// Not asserted: the AD bit counts if `trust_ad` is set (wire answers only).
    MAILSRV_DNSSEC_UNSPECIFIED = 0,
    /// Validated.
    MAILSRV_DNSSEC_SECURE = 1,
    /// Unsigned or not validated.
    MAILSRV_DNSSEC_INSECURE = 2,
    /// Validation failed.
    MAILSRV_DNSSEC_BOGUS = 3,
    /// Validation could not decide.
    MAILSRV_DNSSEC_INDETERMINATE = 4,
}

/// The name of a `mailsrv_dnssec` value, as JSON spells it (e.g. `"indeterminate"`):
/// static and NUL-terminated, never to be freed; `""` for a number that is no value.
/// Returns no result code.
#[unsafe(no_mangle)]
pub extern "C" fn mailsrv_dnssec_name(value: u32) -> *const c_char {
    guard_value(c"".as_ptr(), || {
        match value {
            0 => c"unspecified",
            1 => c"secure",
            2 => c"insecure",
            3 => c"bogus",
            4 => c"indeterminate",
            _ => c"",
        }
        .as_ptr()
    })
}

/// How a lookup's DNSSEC status was obtained (issue 14, D41).
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum mailsrv_dnssec_source {
    /// Nothing said anything: no answer yet, or counted insecure unvalidated.
    MAILSRV_DNSSEC_SOURCE_NONE = 0,
    /// The core's own validator (`validate_dnssec`).
    MAILSRV_DNSSEC_SOURCE_VALIDATED = 1,
    /// The AD bit of a resolver the host trusts (`trust_ad`).
    MAILSRV_DNSSEC_SOURCE_TRUST_AD = 2,
    /// The host's own verdict, given with the answer.
    MAILSRV_DNSSEC_SOURCE_HOST = 3,
}

/// The name of a `mailsrv_dnssec_source` value, as JSON spells it (e.g. `"host"`):
/// static and NUL-terminated, never to be freed; `""` for a number that is no value.
/// Returns no result code.
#[unsafe(no_mangle)]
pub extern "C" fn mailsrv_dnssec_source_name(value: u32) -> *const c_char {
    guard_value(c"".as_ptr(), || {
        match value {
            0 => c"none",
            1 => c"validated",
            2 => c"trust-ad",
            3 => c"host",
            _ => c"",
        }
        .as_ptr()
    })
}

/// A failure (or negative answer) reported by the host.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum mailsrv_failure {
    /// No answer in time.
    MAILSRV_FAILURE_TIMEOUT = 0,
    /// Network error.
    MAILSRV_FAILURE_NETWORK_ERROR = 1,
    /// The resolver said NXDOMAIN.
    MAILSRV_FAILURE_NX_DOMAIN = 2,
    /// The resolver said NODATA.
    MAILSRV_FAILURE_NO_DATA = 3,
    /// The resolver said SERVFAIL.
    MAILSRV_FAILURE_SERV_FAIL = 4,
    /// The resolver said REFUSED.
    MAILSRV_FAILURE_REFUSED = 5,
}

/// The name of a `mailsrv_failure` value, as JSON spells it (e.g. `"refused"`):
/// static and NUL-terminated, never to be freed; `""` for a number that is no value.
/// Returns no result code.
#[unsafe(no_mangle)]
pub extern "C" fn mailsrv_failure_name(value: u32) -> *const c_char {
    guard_value(c"".as_ptr(), || {
        match value {
            0 => c"timeout",
            1 => c"network-error",
            2 => c"nx-domain",
            3 => c"no-data",
            4 => c"serv-fail",
            5 => c"refused",
            _ => c"",
        }
        .as_ptr()
    })
}

/// SRV service labels.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum mailsrv_service {
    /// `_submissions`
    MAILSRV_SERVICE_SUBMISSIONS = 0,
    /// `_submission`
    MAILSRV_SERVICE_SUBMISSION = 1,
    /// `_imaps`
    MAILSRV_SERVICE_IMAPS = 2,
    /// `_imap`
    MAILSRV_SERVICE_IMAP = 3,
    /// `_pop3s`
    MAILSRV_SERVICE_POP3S = 4,
    /// `_pop3`
    MAILSRV_SERVICE_POP3 = 5,
}

/// The name of a `mailsrv_service` value, as JSON spells it (e.g. `"pop3"`):
/// static and NUL-terminated, never to be freed; `""` for a number that is no value.
/// Returns no result code.
#[unsafe(no_mangle)]
pub extern "C" fn mailsrv_service_name(value: u32) -> *const c_char {
    guard_value(c"".as_ptr(), || {
        match value {
            0 => c"submissions",
            1 => c"submission",
            2 => c"imaps",
            3 => c"imap",
            4 => c"pop3s",
            5 => c"pop3",
            _ => c"",
        }
        .as_ptr()
    })
}

/// Mail protocols.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum mailsrv_protocol {
    /// IMAP.
    MAILSRV_PROTOCOL_IMAP = 0,
    /// POP3.
    MAILSRV_PROTOCOL_POP3 = 1,
    /// Submission.
    MAILSRV_PROTOCOL_SUBMISSION = 2,
    /// No protocol (nothing found).
    MAILSRV_PROTOCOL_NONE = 3,
}

/// The name of a `mailsrv_protocol` value, as JSON spells it (e.g. `"none"`):
/// static and NUL-terminated, never to be freed; `""` for a number that is no value.
/// Returns no result code.
#[unsafe(no_mangle)]
pub extern "C" fn mailsrv_protocol_name(value: u32) -> *const c_char {
    guard_value(c"".as_ptr(), || {
        match value {
            0 => c"imap",
            1 => c"pop3",
            2 => c"submission",
            3 => c"none",
            _ => c"",
        }
        .as_ptr()
    })
}

/// Connection security.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum mailsrv_security {
    /// Implicit TLS.
    MAILSRV_SECURITY_IMPLICIT_TLS = 0,
    /// STARTTLS / STLS.
    MAILSRV_SECURITY_STARTTLS = 1,
    /// Cleartext (host opted in).
    MAILSRV_SECURITY_CLEARTEXT = 2,
}

/// The name of a `mailsrv_security` value, as JSON spells it (e.g. `"cleartext"`):
/// static and NUL-terminated, never to be freed; `""` for a number that is no value.
/// Returns no result code.
#[unsafe(no_mangle)]
pub extern "C" fn mailsrv_security_name(value: u32) -> *const c_char {
    guard_value(c"".as_ptr(), || {
        match value {
            0 => c"implicit-tls",
            1 => c"starttls",
            2 => c"cleartext",
            _ => c"",
        }
        .as_ptr()
    })
}

/// Trust classes.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum mailsrv_trust {
    /// DNSSEC-secure SRV answer.
    MAILSRV_TRUST_DNSSEC_SECURE = 0,
    /// Target inside the email domain.
    MAILSRV_TRUST_IN_DOMAIN = 1,
    /// Outside the domain without DNSSEC.
    MAILSRV_TRUST_NEEDS_CONFIRMATION = 2,
    /// Named by an authenticated mapping (https autoconfig, the ISPDB).
    MAILSRV_TRUST_AUTHENTICATED = 3,
}

/// The name of a `mailsrv_trust` value, as JSON spells it (e.g. `"authenticated"`):
/// static and NUL-terminated, never to be freed; `""` for a number that is no value.
/// Returns no result code.
#[unsafe(no_mangle)]
pub extern "C" fn mailsrv_trust_name(value: u32) -> *const c_char {
    guard_value(c"".as_ptr(), || {
        match value {
            0 => c"dnssec-secure",
            1 => c"in-domain",
            2 => c"needs-confirmation",
            3 => c"authenticated",
            _ => c"",
        }
        .as_ptr()
    })
}

/// Side status.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum mailsrv_status {
    /// Candidates found.
    MAILSRV_STATUS_FOUND = 0,
    /// The domain says the service is not offered.
    MAILSRV_STATUS_NOT_OFFERED = 1,
    /// Nothing published.
    MAILSRV_STATUS_NOT_PUBLISHED = 2,
    /// A lookup failed.
    MAILSRV_STATUS_LOOKUP_FAILED = 3,
    /// Records exist but none is usable.
    MAILSRV_STATUS_NO_USABLE_RECORDS = 4,
    /// Not asked for.
    MAILSRV_STATUS_NOT_REQUESTED = 5,
}

/// The name of a `mailsrv_status` value, as JSON spells it (e.g. `"not-requested"`):
/// static and NUL-terminated, never to be freed; `""` for a number that is no value.
/// Returns no result code.
#[unsafe(no_mangle)]
pub extern "C" fn mailsrv_status_name(value: u32) -> *const c_char {
    guard_value(c"".as_ptr(), || {
        match value {
            0 => c"found",
            1 => c"not-offered",
            2 => c"not-published",
            3 => c"lookup-failed",
            4 => c"no-usable-records",
            5 => c"not-requested",
            _ => c"",
        }
        .as_ptr()
    })
}

/// Lookup outcomes.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum mailsrv_outcome {
    /// Not answered yet.
    MAILSRV_OUTCOME_PENDING = 0,
    /// SRV records.
    MAILSRV_OUTCOME_RECORDS = 1,
    /// NODATA.
    MAILSRV_OUTCOME_NO_DATA = 2,
    /// NXDOMAIN.
    MAILSRV_OUTCOME_NX_DOMAIN = 3,
    /// SERVFAIL.
    MAILSRV_OUTCOME_SERV_FAIL = 4,
    /// REFUSED.
    MAILSRV_OUTCOME_REFUSED = 5,
    /// Another RCODE.
    MAILSRV_OUTCOME_OTHER_ERROR = 6,
    /// Truncated: retry over TCP.
    MAILSRV_OUTCOME_TRUNCATED = 7,
    /// Malformed response.
    MAILSRV_OUTCOME_MALFORMED = 8,
    /// Timeout reported.
    MAILSRV_OUTCOME_TIMEOUT = 9,
    /// Network error reported.
    MAILSRV_OUTCOME_NETWORK_ERROR = 10,
}

/// The name of a `mailsrv_outcome` value, as JSON spells it (e.g. `"network-error"`):
/// static and NUL-terminated, never to be freed; `""` for a number that is no value.
/// Returns no result code.
#[unsafe(no_mangle)]
pub extern "C" fn mailsrv_outcome_name(value: u32) -> *const c_char {
    guard_value(c"".as_ptr(), || {
        match value {
            0 => c"pending",
            1 => c"records",
            2 => c"no-data",
            3 => c"nx-domain",
            4 => c"serv-fail",
            5 => c"refused",
            6 => c"other-error",
            7 => c"truncated",
            8 => c"malformed",
            9 => c"timeout",
            10 => c"network-error",
            _ => c"",
        }
        .as_ptr()
    })
}

/// Reference-identity types.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum mailsrv_identity_kind {
    /// SRV-ID (`_imaps.example.net`).
    MAILSRV_IDENTITY_SRV_ID = 0,
    /// DNS-ID (`example.net`).
    MAILSRV_IDENTITY_DNS_ID = 1,
    /// Only as a verdict's match: a DANE-EE(3) TLSA record (the value).
    MAILSRV_IDENTITY_DANE_EE = 2,
    /// Only as a verdict's match: a DANE-TA(2) TLSA record (the value).
    MAILSRV_IDENTITY_DANE_TA = 3,
    /// Only as a verdict's match: a PKIX-TA(0) TLSA record (the value).
    MAILSRV_IDENTITY_PKIX_TA = 4,
    /// Only as a verdict's match: a PKIX-EE(1) TLSA record (the value).
    MAILSRV_IDENTITY_PKIX_EE = 5,
}

/// The name of a `mailsrv_identity_kind` value, as JSON spells it (e.g. `"pkix-ee"`):
/// static and NUL-terminated, never to be freed; `""` for a number that is no value.
/// Returns no result code.
#[unsafe(no_mangle)]
pub extern "C" fn mailsrv_identity_kind_name(value: u32) -> *const c_char {
    guard_value(c"".as_ptr(), || {
        match value {
            0 => c"srv-id",
            1 => c"dns-id",
            2 => c"dane-ee",
            3 => c"dane-ta",
            4 => c"pkix-ta",
            5 => c"pkix-ee",
            _ => c"",
        }
        .as_ptr()
    })
}

/// Verdict status.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum mailsrv_verdict_status {
    /// Valid chain matching the email domain or its SRV-ID (or a DNSSEC-secure target).
    MAILSRV_VERDICT_VERIFIED = 0,
    /// Valid chain matching only the SRV target: ask the user before sending anything.
    MAILSRV_VERDICT_NEEDS_CONFIRMATION = 1,
    /// Do not use this server.
    MAILSRV_VERDICT_REJECTED = 2,
}

/// The name of a `mailsrv_verdict_status` value, as JSON spells it (e.g. `"rejected"`):
/// static and NUL-terminated, never to be freed; `""` for a number that is no value.
/// Returns no result code.
#[unsafe(no_mangle)]
pub extern "C" fn mailsrv_verdict_status_name(value: u32) -> *const c_char {
    guard_value(c"".as_ptr(), || {
        match value {
            0 => c"verified",
            1 => c"needs-confirmation",
            2 => c"rejected",
            _ => c"",
        }
        .as_ptr()
    })
}

/// Why a chain was rejected.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
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
    /// Usable TLSA records exist and none matched (DANE).
    MAILSRV_REJECT_TLSA_MISMATCH = 10,
}

/// The name of a `mailsrv_reject_reason` value, as JSON spells it (e.g. `"tlsa-mismatch"`):
/// static and NUL-terminated, never to be freed; `""` for a number that is no value.
/// Returns no result code.
#[unsafe(no_mangle)]
pub extern "C" fn mailsrv_reject_reason_name(value: u32) -> *const c_char {
    guard_value(c"".as_ptr(), || {
        match value {
            0 => c"none",
            1 => c"unknown-issuer",
            2 => c"expired",
            3 => c"not-yet-valid",
            4 => c"bad-signature",
            5 => c"wrong-key-usage",
            6 => c"name-constraints",
            7 => c"name-mismatch",
            8 => c"malformed-certificate",
            9 => c"other",
            10 => c"tlsa-mismatch",
            _ => c"",
        }
        .as_ptr()
    })
}

/// What the host must do next (`mailsrv_step.kind`).
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum mailsrv_step_kind {
    /// Write `bytes`, then call `mailsrv_negotiator_poll`.
    MAILSRV_STEP_SEND = 0,
    /// Read more and call `mailsrv_negotiator_receive`.
    MAILSRV_STEP_NEED_MORE = 1,
    /// Start the TLS handshake now, then call `mailsrv_negotiator_tls_established`.
    MAILSRV_STEP_START_TLS = 2,
    /// Waiting for `mailsrv_negotiator_tls_established` (implicit TLS starts here).
    MAILSRV_STEP_AWAIT_TLS = 3,
    /// Done: capabilities via `mailsrv_negotiator_capabilities_json`.
    MAILSRV_STEP_DONE = 4,
    /// Close the connection; `abort_reason` says why, `text` gives details.
    MAILSRV_STEP_ABORT = 5,
    /// Write `bytes`: they carry a credential (never log them), then poll.
    MAILSRV_STEP_SEND_SECRET = 6,
    /// The server accepted the credentials.
    MAILSRV_STEP_LOGGED_IN = 7,
    /// The server refused the credentials (`text` is its untrusted reason).
    MAILSRV_STEP_LOGIN_FAILED = 8,
}

/// The name of a `mailsrv_step_kind` value, as JSON spells it (e.g. `"login-failed"`):
/// static and NUL-terminated, never to be freed; `""` for a number that is no value.
/// Returns no result code.
#[unsafe(no_mangle)]
pub extern "C" fn mailsrv_step_kind_name(value: u32) -> *const c_char {
    guard_value(c"".as_ptr(), || {
        match value {
            0 => c"send",
            1 => c"need-more",
            2 => c"start-tls",
            3 => c"await-tls",
            4 => c"done",
            5 => c"abort",
            6 => c"send-secret",
            7 => c"logged-in",
            8 => c"login-failed",
            _ => c"",
        }
        .as_ptr()
    })
}

/// Why a negotiation aborted (`mailsrv_step.abort_reason`).
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum mailsrv_abort_reason {
    /// Not aborted.
    MAILSRV_ABORT_NONE = 0,
    /// Bytes after the upgrade reply and before TLS (response injection).
    MAILSRV_ABORT_INJECTED_AFTER_UPGRADE = 1,
    /// STARTTLS/STLS not offered and TLS required.
    MAILSRV_ABORT_STARTTLS_NOT_OFFERED = 2,
    /// The server refused the upgrade.
    MAILSRV_ABORT_STARTTLS_REFUSED = 3,
    /// IMAP PREAUTH over plaintext.
    MAILSRV_ABORT_PREAUTH_WITHOUT_TLS = 4,
    /// The server refused the session.
    MAILSRV_ABORT_SERVER_REFUSED = 5,
    /// The server broke the protocol.
    MAILSRV_ABORT_PROTOCOL_VIOLATION = 6,
    /// A line of 8192 bytes or more, CRLF included (`MAX_LINE`).
    MAILSRV_ABORT_LINE_TOO_LONG = 7,
    /// The certificate was not verified (or confirmed).
    MAILSRV_ABORT_CERTIFICATE_NOT_VERIFIED = 8,
    /// No way to authenticate after TLS.
    MAILSRV_ABORT_NO_AUTHENTICATION = 9,
    /// The host called a function out of order (e.g. login before a verified TLS session).
    MAILSRV_ABORT_MISUSE = 10,
    /// More than 65536 bytes before TLS (`MAX_BYTES_BEFORE_TLS`).
    MAILSRV_ABORT_TOO_MUCH_BEFORE_TLS = 11,
    /// More than 512 lines before TLS (`MAX_LINES_BEFORE_TLS`) or in one IMAP response (`MAX_RESPONSE_LINES`).
    MAILSRV_ABORT_TOO_MANY_LINES = 12,
    /// More than 256 capabilities or SASL mechanisms in one list (`MAX_CAPABILITIES`).
    MAILSRV_ABORT_TOO_MANY_CAPABILITIES = 13,
    /// More than 128 lines in one SMTP reply (`MAX_REPLY_LINES`).
    MAILSRV_ABORT_REPLY_TOO_LONG = 14,
    /// A SASL challenge over 2048 bytes (`MAX_CHALLENGE`).
    MAILSRV_ABORT_CHALLENGE_TOO_LARGE = 15,
}

/// The name of a `mailsrv_abort_reason` value, as JSON spells it (e.g. `"challenge-too-large"`):
/// static and NUL-terminated, never to be freed; `""` for a number that is no value.
/// Returns no result code.
#[unsafe(no_mangle)]
pub extern "C" fn mailsrv_abort_reason_name(value: u32) -> *const c_char {
    guard_value(c"".as_ptr(), || {
        match value {
            0 => c"none",
            1 => c"injected-after-upgrade",
            2 => c"starttls-not-offered",
            3 => c"starttls-refused",
            4 => c"preauth-without-tls",
            5 => c"server-refused",
            6 => c"protocol-violation",
            7 => c"line-too-long",
            8 => c"certificate-not-verified",
            9 => c"no-authentication",
            10 => c"misuse",
            11 => c"too-much-before-tls",
            12 => c"too-many-lines",
            13 => c"too-many-capabilities",
            14 => c"reply-too-long",
            15 => c"challenge-too-large",
            _ => c"",
        }
        .as_ptr()
    })
}

/// Where a candidate or an HTTP request came from (decision D26).
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum mailsrv_source {
    /// RFC 6186 SRV records of the email domain.
    MAILSRV_SOURCE_SRV = 0,
    /// Provider autoconfig over https (`autoconfig.<domain>`).
    MAILSRV_SOURCE_AUTOCONFIG = 1,
    /// `https://<domain>/.well-known/autoconfig/...`.
    MAILSRV_SOURCE_WELL_KNOWN = 2,
    /// The ISPDB over https.
    MAILSRV_SOURCE_ISPDB = 3,
    /// Provider autoconfig of the first MX host's domains.
    MAILSRV_SOURCE_MX_AUTOCONFIG = 4,
    /// The ISPDB for the first MX host's domains.
    MAILSRV_SOURCE_MX_ISPDB = 5,
    /// Provider autoconfig over plain HTTP (opt-in).
    MAILSRV_SOURCE_AUTOCONFIG_HTTP = 6,
}

/// The name of a `mailsrv_source` value, as JSON spells it (e.g. `"autoconfig-http"`):
/// static and NUL-terminated, never to be freed; `""` for a number that is no value.
/// Returns no result code.
#[unsafe(no_mangle)]
pub extern "C" fn mailsrv_source_name(value: u32) -> *const c_char {
    guard_value(c"".as_ptr(), || {
        match value {
            0 => c"srv",
            1 => c"autoconfig",
            2 => c"well-known",
            3 => c"ispdb",
            4 => c"mx-autoconfig",
            5 => c"mx-ispdb",
            6 => c"autoconfig-http",
            _ => c"",
        }
        .as_ptr()
    })
}

/// What became of one HTTP request.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum mailsrv_request_outcome {
    /// Not answered yet.
    MAILSRV_REQUEST_PENDING = 0,
    /// A document was read.
    MAILSRV_REQUEST_DOCUMENT = 1,
    /// A status other than 2xx.
    MAILSRV_REQUEST_HTTP_STATUS = 2,
    /// A content type that is not XML or plain text.
    MAILSRV_REQUEST_CONTENT_TYPE = 3,
    /// The body was too large or the parser refused it.
    MAILSRV_REQUEST_REFUSED = 4,
    /// The host reported a failure.
    MAILSRV_REQUEST_FAILED = 5,
}

/// The name of a `mailsrv_request_outcome` value, as JSON spells it (e.g. `"failed"`):
/// static and NUL-terminated, never to be freed; `""` for a number that is no value.
/// Returns no result code.
#[unsafe(no_mangle)]
pub extern "C" fn mailsrv_request_outcome_name(value: u32) -> *const c_char {
    guard_value(c"".as_ptr(), || {
        match value {
            0 => c"pending",
            1 => c"document",
            2 => c"http-status",
            3 => c"content-type",
            4 => c"refused",
            5 => c"failed",
            _ => c"",
        }
        .as_ptr()
    })
}

/// Why an HTTP request gave no response (`mailsrv_discovery_fail_http`).
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum mailsrv_http_failure {
    /// No response in time.
    MAILSRV_HTTP_TIMEOUT = 0,
    /// Resolution, connection or transfer failed (or too many redirects).
    MAILSRV_HTTP_NETWORK_ERROR = 1,
    /// The TLS handshake or the server's certificate failed.
    MAILSRV_HTTP_TLS_ERROR = 2,
    /// A redirect would have left https.
    MAILSRV_HTTP_INSECURE_REDIRECT = 3,
    /// The body passed `mailsrv_http_max_body_bytes()`.
    MAILSRV_HTTP_TOO_LARGE = 4,
}

/// The name of a `mailsrv_http_failure` value, as JSON spells it (e.g. `"too-large"`):
/// static and NUL-terminated, never to be freed; `""` for a number that is no value.
/// Returns no result code.
#[unsafe(no_mangle)]
pub extern "C" fn mailsrv_http_failure_name(value: u32) -> *const c_char {
    guard_value(c"".as_ptr(), || {
        match value {
            0 => c"timeout",
            1 => c"network-error",
            2 => c"tls-error",
            3 => c"insecure-redirect",
            4 => c"too-large",
            _ => c"",
        }
        .as_ptr()
    })
}

/// The certificate outcome reported to `mailsrv_negotiator_tls_established`.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum mailsrv_tls_outcome {
    /// Handshake done and the verdict is `verified`.
    MAILSRV_TLS_VERIFIED = 0,
    /// The verdict is `needs-confirmation` and the user confirmed the server.
    MAILSRV_TLS_USER_CONFIRMED = 1,
    /// Not verified (or not confirmed).
    MAILSRV_TLS_NOT_VERIFIED = 2,
}

/// The name of a `mailsrv_tls_outcome` value, as JSON spells it (e.g. `"not-verified"`):
/// static and NUL-terminated, never to be freed; `""` for a number that is no value.
/// Returns no result code.
#[unsafe(no_mangle)]
pub extern "C" fn mailsrv_tls_outcome_name(value: u32) -> *const c_char {
    guard_value(c"".as_ptr(), || {
        match value {
            0 => c"verified",
            1 => c"user-confirmed",
            2 => c"not-verified",
            _ => c"",
        }
        .as_ptr()
    })
}
