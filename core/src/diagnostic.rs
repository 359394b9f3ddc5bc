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
