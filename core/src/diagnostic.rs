//! Diagnostics: findings worth showing to a user or administrator, shared by the DNS reader and
//! the planner.

use serde::Serialize;

use crate::service::Service;

/// A finding worth showing to a user or administrator.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Diagnostic {
    /// What kind of finding.
    pub code: DiagnosticCode,
    /// The service label it concerns, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service: Option<Service>,
    /// A readable explanation naming the record or lookup.
    pub message: String,
}

/// Diagnostic codes (stable strings in JSON).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum DiagnosticCode {
    /// Every record of the label has target "." (RFC 2782, RFC 6186 §3.4).
    ServiceNotOffered,
    /// "." records mixed with real targets were dropped (decision D1).
    MixedNullTarget,
    /// A record below the minimum security was dropped (RFC 8314 §5.1).
    BelowMinimumSecurity,
    /// A target with bytes other than letters, digits, `-` and `_` was dropped.
    InvalidTarget,
    /// A record with port 0 and a real target was dropped.
    PortZero,
    /// A duplicate record was dropped.
    DuplicateRecord,
    /// `_submission` (STARTTLS) published on port 465, the implicit-TLS port.
    SubmissionOnImplicitTlsPort,
    /// `_submissions` (implicit TLS) published on port 587, the STARTTLS port.
    SubmissionsOnStarttlsPort,
    /// The SRV target is an alias (CNAME), which RFC 2782 forbids (decision D18).
    TargetIsAlias,
    /// The answer was DNSSEC-bogus and was not used (RFC 7673 §3.1).
    DnssecBogus,
    /// The lookup failed; the service may exist.
    LookupFailed,
    /// The answer was truncated and no TCP answer was fed.
    Truncated,
    /// The AD bit was set but the resolver is not trusted, so it was ignored.
    AdBitIgnored,
    /// Records not owned by the queried name (or its alias chain) were ignored.
    IgnoredRecords,
    /// The answer followed a CNAME/DNAME chain at the owner name.
    OwnerAlias,
    /// Cleartext fallbacks were added because the host allowed them (RFC 8314 §5.1: warn).
    CleartextAllowed,
    /// A target outside the email domain without DNSSEC: TLS verdict or user confirmation needed.
    OutOfDomainTarget,
    /// The other incoming protocol is available as an alternative.
    AlternativeProtocol,
    /// An HTTP request got a status other than 2xx; the plan uses the other sources.
    HttpStatus,
    /// An HTTP response had a content type that is not XML or plain text (decision D30).
    HttpContentType,
    /// An HTTP request failed (timeout, network, TLS, a redirect out of https).
    HttpFailed,
    /// An autoconfig body was refused: over the size cap, or refused by the parser.
    AutoconfigRefused,
    /// A finding of the autoconfig parser about a document it read (a dropped section, ...).
    AutoconfigFinding,
    /// Candidates reached through a mapping nobody authenticated: the user must confirm the
    /// provider's registrable domain (decision D28).
    ConfirmProvider,
}

/// Whether `c` would break a one-line message or change how what follows it reads: a control
/// character, a line or paragraph separator (U+2028, U+2029), or a bidirectional formatting
/// character (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069).
fn breaks_a_line(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{2028}' | '\u{2029}' | '\u{061c}' | '\u{200e}' | '\u{200f}'
        )
        || ('\u{202a}'..='\u{202e}').contains(&c)
        || ('\u{2066}'..='\u{2069}').contains(&c)
}

/// Appends text from outside (a host's error, a command-line value, a server's name) to a
/// message as one line: each character that [breaks a line](breaks_a_line) as U+FFFD, at most
/// `max_chars` characters and `max_bytes` bytes of it. The one rule for every such text.
pub(crate) fn push_shown(out: &mut String, text: &str, max_chars: usize, max_bytes: usize) {
    let mut left = max_bytes;
    for c in text.chars().take(max_chars) {
        let c = if breaks_a_line(c) {
            char::REPLACEMENT_CHARACTER
        } else {
            c
        };
        let Some(rest) = left.checked_sub(c.len_utf8()) else {
            break;
        };
        left = rest;
        out.push(c);
    }
}

/// `text` as [`push_shown`] shows it, at most `max_chars` characters.
pub(crate) fn shown(text: &str, max_chars: usize) -> String {
    let mut out = String::new();
    push_shown(&mut out, text, max_chars, usize::MAX);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outside_text_is_shown_on_one_line_in_its_reading_order() {
        let hostile =
            "a\nb\r\u{1b}[2J\u{2028}c\u{2029}\u{202e}drow\u{2066}x\u{2069}\u{200f}\u{061c}é";
        assert_eq!(
            shown(hostile, 100),
            "a\u{fffd}b\u{fffd}\u{fffd}[2J\u{fffd}c\u{fffd}\u{fffd}drow\u{fffd}x\u{fffd}\u{fffd}\u{fffd}é"
        );
        assert_eq!(shown("abcdef", 3), "abc");
        let mut out = String::from(">");
        push_shown(&mut out, "ééé", 10, 5);
        assert_eq!(out, ">éé");
    }
}
