//! The plan: the data model every surface (Rust, C, JS) emits, as camelCase JSON.
//!
//! `schema/plan.schema.json` in the repository describes it; a test checks every testdata plan
//! against that schema.

use std::net::IpAddr;

use serde::{Deserialize, Serialize};

use crate::service::{Protocol, Security, Service};

/// A ranked connection plan for one email address.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Plan {
    /// The address: local part as typed, domain as A-labels.
    pub email: String,
    /// The email domain as A-labels: the SRV service domain and the source of reference identities.
    pub domain: String,
    /// The email domain in Unicode, for display only.
    pub domain_unicode: String,
    /// Where to read mail: the chosen protocol and its candidates, best first.
    pub incoming: Incoming,
    /// The other incoming protocol's candidates, never switched to without the user (RFC 6186 §4).
    pub incoming_alternatives: Vec<Alternative>,
    /// Where to submit mail.
    pub outgoing: Outgoing,
    /// One entry per DNS question, with its outcome.
    pub lookups: Vec<Lookup>,
    /// Everything noteworthy found while planning.
    pub diagnostics: Vec<Diagnostic>,
    /// How long the plan may be cached: the smallest TTL seen, `null` when nothing was answered.
    pub expires_in_secs: Option<u32>,
}

/// The incoming side of a plan.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Incoming {
    /// Whether candidates were found, and if not, why.
    pub status: Status,
    /// The chosen protocol, `null` when there is no candidate.
    pub protocol: Option<Protocol>,
    /// Candidates, best first.
    pub candidates: Vec<Candidate>,
}

/// The protocol not chosen for incoming mail, with its candidates.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Alternative {
    /// The protocol.
    pub protocol: Protocol,
    /// Candidates, best first.
    pub candidates: Vec<Candidate>,
}

/// The outgoing (submission) side of a plan.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Outgoing {
    /// Whether candidates were found, and if not, why.
    pub status: Status,
    /// Candidates, best first.
    pub candidates: Vec<Candidate>,
}

/// Why a side of the plan has (or lacks) candidates. A host may fall back to other discovery
/// (autoconfig, manual entry) for `notPublished`, should retry or report for `lookupFailed`, and
/// must not guess host names for `notOffered` (RFC 6186 §3.4, RFC 2782 target ".").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// At least one candidate.
    Found,
    /// The domain says the service is not offered (only "." targets).
    NotOffered,
    /// No SRV records at all (NXDOMAIN or NODATA for every label).
    NotPublished,
    /// At least one lookup failed and nothing usable was found: the answer is unknown.
    LookupFailed,
    /// Records exist, but none is usable (below the minimum security, invalid, DNSSEC-bogus).
    NoUsableRecords,
    /// The host did not ask for this side.
    NotRequested,
}

/// One place to connect to, with everything needed to connect and to check the server.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Candidate {
    /// The SRV label it came from.
    pub service: Service,
    /// The protocol to speak.
    pub protocol: Protocol,
    /// The SRV target host (A-labels, no trailing dot).
    pub host: String,
    /// The port.
    pub port: u16,
    /// How the connection is protected.
    pub security: Security,
    /// SRV priority.
    pub priority: u16,
    /// SRV weight.
    pub weight: u16,
    /// Why the target may be trusted (RFC 6186 §6, RFC 8314 §5.1).
    pub trust: Trust,
    /// The identities the server's certificate must match (RFC 7817 §3, decisions D8 and D9).
    pub reference_identities: Vec<ReferenceIdentity>,
    /// The TLS SNI name to send: the email domain (decision D13); `null` for cleartext.
    pub sni: Option<String>,
    /// The name to retry SNI with if the server has no certificate for `sni` (D13).
    pub sni_alternative: Option<String>,
    /// ALPN protocol IDs to offer in the TLS handshake: `imap` or `pop3` (IANA "TLS
    /// Application-Layer Protocol Negotiation (ALPN) Protocol IDs"); none for submission, which
    /// has no registered ID, and for cleartext. See [`Candidate::accepts_alpn`] (ALPACA).
    pub alpn: Vec<String>,
    /// Login names to try in order: the full address, then the local part (RFC 6186 §4).
    pub usernames: Vec<String>,
    /// Addresses of `host` found in the additional section; empty means the host resolves them.
    pub addresses: Vec<IpAddr>,
}

impl Candidate {
    /// Whether the protocol the server selected in the TLS handshake is acceptable: no ALPN at
    /// all (many mail servers do not negotiate it), or one of [`Candidate::alpn`]. A server that
    /// selects another protocol (e.g. `http/1.1`) is the wrong service behind the same
    /// certificate — a cross-protocol (ALPACA) setup — and the connection must be dropped.
    pub fn accepts_alpn(&self, selected: Option<&[u8]>) -> bool {
        alpn_acceptable(&self.alpn, selected)
    }
}

/// The rule behind [`Candidate::accepts_alpn`] for hosts that hold only a candidate's `alpn`
/// list (e.g. its JSON form): `selected` is acceptable when absent or one of `offered`.
pub fn alpn_acceptable<S: AsRef<str>>(offered: &[S], selected: Option<&[u8]>) -> bool {
    selected.is_none_or(|p| offered.iter().any(|a| a.as_ref().as_bytes() == p))
}

/// Why a candidate's target may be used without asking the user.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Trust {
    /// The SRV answer was DNSSEC-secure.
    DnssecSecure,
    /// The target equals or lies below the email domain (decision D6).
    InDomain,
    /// The target is outside the email domain and DNS was not secure: connect only with TLS and
    /// no credentials, and let the certificate verdict decide, or ask the user (RFC 6186 §6, D7).
    NeedsConfirmation,
}

/// A reference identity for the certificate check.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReferenceIdentity {
    /// The identifier type.
    #[serde(rename = "type")]
    pub kind: IdentityKind,
    /// The value, e.g. `_imaps.example.net` or `example.net`.
    pub value: String,
}

/// The reference identities, in the order they are tried, that a TLS server named by an SRV
/// record must present (RFC 6186 §4, RFC 7817 §3, RFC 6125 §6): the SRV-ID `_<label>.<domain>`,
/// the DNS-ID `<domain>`, and — only when the SRV answer was DNSSEC-secure (D9) — the target
/// host as a DNS-ID. `domain` and `host` are lower-case A-labels without a trailing dot.
///
/// The one rule for both planning (each TLS candidate's list) and verification ([`Subject`]).
///
/// [`Subject`]: crate::Subject
pub fn reference_identities(
    domain: &str,
    service: Service,
    host: &str,
    dnssec_secure: bool,
) -> Vec<ReferenceIdentity> {
    let mut refs = vec![
        ReferenceIdentity {
            kind: IdentityKind::SrvId,
            value: format!("_{}.{domain}", service.label()),
        },
        ReferenceIdentity {
            kind: IdentityKind::DnsId,
            value: domain.to_owned(),
        },
    ];
    if dnssec_secure && host != domain {
        refs.push(ReferenceIdentity {
            kind: IdentityKind::DnsId,
            value: host.to_owned(),
        });
    }
    refs
}

/// Reference-identifier types (RFC 6125 §1.8).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum IdentityKind {
    /// An RFC 4985 SRVName, `_service.domain`.
    SrvId,
    /// A dNSName.
    DnsId,
}

/// One DNS question and what became of it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Lookup {
    /// The question id.
    pub id: u16,
    /// The service label asked for.
    pub service: Service,
    /// The owner name asked for.
    pub name: String,
    /// The record type (always `SRV`).
    #[serde(rename = "type")]
    pub record_type: String,
    /// The outcome.
    pub outcome: Outcome,
    /// The DNSSEC status of the answer.
    pub dnssec: DnssecStatus,
    /// Number of SRV records in the answer (before filtering).
    pub records: usize,
}

/// What a lookup produced (decision D17).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// Not answered yet.
    Pending,
    /// NOERROR with SRV records.
    Records,
    /// NOERROR without SRV records for the name.
    NoData,
    /// The name does not exist.
    NxDomain,
    /// The server failed (temporary).
    ServFail,
    /// The server refused.
    Refused,
    /// Another response code (FORMERR, NOTIMP, ...).
    OtherError,
    /// TC set: retry the question over TCP and feed that answer.
    Truncated,
    /// The response could not be parsed.
    Malformed,
    /// The host reported a timeout.
    Timeout,
    /// The host reported a network error.
    NetworkError,
}

impl Outcome {
    /// The outcome's name, as in the JSON model (e.g. `serv-fail`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Records => "records",
            Self::NoData => "no-data",
            Self::NxDomain => "nx-domain",
            Self::ServFail => "serv-fail",
            Self::Refused => "refused",
            Self::OtherError => "other-error",
            Self::Truncated => "truncated",
            Self::Malformed => "malformed",
            Self::Timeout => "timeout",
            Self::NetworkError => "network-error",
        }
    }

    /// True for outcomes that leave the answer unknown (the lookup failed).
    pub fn is_failure(self) -> bool {
        !matches!(self, Self::Records | Self::NoData | Self::NxDomain)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcome_names_are_the_json_names() {
        for o in [
            Outcome::Pending,
            Outcome::Records,
            Outcome::NoData,
            Outcome::NxDomain,
            Outcome::ServFail,
            Outcome::Refused,
            Outcome::OtherError,
            Outcome::Truncated,
            Outcome::Malformed,
            Outcome::Timeout,
            Outcome::NetworkError,
        ] {
            assert_eq!(serde_json::to_value(o).unwrap_or_default(), o.as_str());
        }
    }
}

/// DNSSEC status of an answer, as asserted by the host (decision D15).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DnssecStatus {
    /// Validated.
    Secure,
    /// Known to be unsigned, or not validated (the default).
    #[default]
    Insecure,
    /// Validation failed: the answer must not be used (RFC 7673 §3.1).
    Bogus,
    /// Validation could not decide.
    Indeterminate,
}

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
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
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
}
