//! The plan: the data model every surface (Rust, C, JS) emits, as camelCase JSON.
//!
//! `schema/plan.schema.json` in the repository describes it; a test checks every testdata plan
//! against that schema.

use std::net::IpAddr;

use serde::{Deserialize, Serialize};

use crate::diagnostic::Diagnostic;
use crate::dns::Lookup;
use crate::identity::ReferenceIdentity;
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
    /// Addresses of `host` found in the additional section, at most 16; empty means the host
    /// resolves them (also when the plan already lists its 512 addresses, with a diagnostic).
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
