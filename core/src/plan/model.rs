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
use crate::shared::SharedStr;

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
    /// One entry per HTTP request (autoconfig, well-known, ISPDB, MX-derived), with its outcome.
    pub requests: Vec<RequestReport>,
    /// The MX lookup, when an MX-derived source is in use.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mx: Option<MxReport>,
    /// What the user must confirm before candidates marked `needs-confirmation` are used: each
    /// provider's registrable domain in full, with the hosts and sources behind it (D28).
    pub confirm: Vec<Confirmation>,
    /// True when every question and request that could change the plan is done.
    #[serde(rename = "final")]
    pub is_final: bool,
}

/// What the user must confirm about one provider (decision D28).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Confirmation {
    /// The provider's registrable domain, in full: show it without truncation.
    pub domain: SharedStr,
    /// The hosts of the plan under that domain that need the confirmation.
    pub hosts: Vec<SharedStr>,
    /// The sources that named them.
    pub sources: Vec<Source>,
}

/// One HTTP request of a discovery and what became of it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RequestReport {
    /// The request id.
    pub id: u16,
    /// The URL asked for (a redirect chain counts as this URL's source).
    pub url: String,
    /// What the request is for.
    pub source: Source,
    /// `pending`, `document`, or why nothing came of it.
    pub outcome: RequestOutcome,
    /// The HTTP status the host reported, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
}

/// What became of one HTTP request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RequestOutcome {
    /// Not answered yet.
    Pending,
    /// A document was read (it may still offer nothing usable).
    Document,
    /// A status other than 2xx.
    HttpStatus,
    /// A content type that is not XML or plain text.
    ContentType,
    /// A body over `AUTOCONFIG_MAX_BYTES` (64 KiB), or one the parser refused.
    Refused,
    /// The host reported a failure (timeout, network, TLS, a redirect out of https).
    Failed,
}

/// The MX lookup of a discovery.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MxReport {
    /// The name asked for (the email domain).
    pub name: String,
    /// `pending`, `records`, or the failure.
    pub outcome: crate::dns::Outcome,
    /// Whether the answer was DNSSEC-secure.
    pub dnssec: crate::dns::DnssecStatus,
    /// How `dnssec` was obtained.
    pub dnssec_source: crate::dns::DnssecSource,
    /// The first (lowest-preference) MX host, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
}

/// Where a candidate came from (decision D26).
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum Source {
    /// RFC 6186 SRV records of the email domain.
    #[default]
    Srv,
    /// Provider autoconfig over https: `https://autoconfig.<domain>/mail/config-v1.1.xml`.
    Autoconfig,
    /// `https://<domain>/.well-known/autoconfig/mail/config-v1.1.xml`.
    WellKnown,
    /// Thunderbird's ISPDB (or the base URL in [`crate::Options::ispdb_url`]) over https.
    Ispdb,
    /// Provider autoconfig of the first MX host's domains (draft steps 3.1, 3.2).
    MxAutoconfig,
    /// The ISPDB for the first MX host's domains (draft steps 3.3, 3.4).
    MxIspdb,
    /// Provider autoconfig over plain HTTP (draft step 1.3): opt-in only.
    AutoconfigHttp,
}

impl Source {
    /// Every source, in rank order: the domain's own publications, then third parties.
    pub const ALL: [Self; 7] = [
        Self::Srv,
        Self::Autoconfig,
        Self::WellKnown,
        Self::AutoconfigHttp,
        Self::Ispdb,
        Self::MxAutoconfig,
        Self::MxIspdb,
    ];

    /// The kebab-case name, as in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Srv => "srv",
            Self::Autoconfig => "autoconfig",
            Self::WellKnown => "well-known",
            Self::Ispdb => "ispdb",
            Self::MxAutoconfig => "mx-autoconfig",
            Self::MxIspdb => "mx-ispdb",
            Self::AutoconfigHttp => "autoconfig-http",
        }
    }

    /// Whether the source is a third party rather than the domain's own publication (D29).
    pub fn is_third_party(self) -> bool {
        matches!(self, Self::Ispdb | Self::MxAutoconfig | Self::MxIspdb)
    }

    /// Where it ranks among sources (D29): SRV, the domain's autoconfig, then third parties.
    #[cfg_attr(not(feature = "autoconfig"), allow(dead_code))]
    pub(crate) fn rank(self) -> usize {
        Self::ALL
            .iter()
            .position(|s| *s == self)
            .unwrap_or(usize::MAX)
    }
}

/// One source that named a candidate, with the URL or DNS name it came from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Provenance {
    /// The source.
    pub source: Source,
    /// The SRV owner name or the URL asked for.
    pub origin: SharedStr,
}

/// The `<oAuth2>` data of the autoconfig document that named a candidate.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OAuth2Info {
    /// The authorisation server's host name.
    pub issuer: String,
    /// Space-separated scopes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    /// The authorisation endpoint.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auth_url: Option<String>,
    /// The token endpoint.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token_url: Option<String>,
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
    pub host: SharedStr,
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
    pub sni: Option<SharedStr>,
    /// The name to retry SNI with if the server has no certificate for `sni` (D13).
    pub sni_alternative: Option<SharedStr>,
    /// ALPN protocol IDs to offer in the TLS handshake: `imap` or `pop3` (IANA "TLS
    /// Application-Layer Protocol Negotiation (ALPN) Protocol IDs"); none for submission, which
    /// has no registered ID, and for cleartext. See [`Candidate::accepts_alpn`] (ALPACA).
    pub alpn: Vec<SharedStr>,
    /// Login names to try in order: the full address, then the local part (RFC 6186 §4).
    pub usernames: Vec<SharedStr>,
    /// Addresses of `host` found in the additional section, at most 16; empty means the host
    /// resolves them (also when the plan already lists its 512 addresses, with a diagnostic).
    pub addresses: Vec<IpAddr>,
    /// The source that named it first (decision D26).
    pub source: Source,
    /// The SRV owner name or the URL it came from.
    pub origin: SharedStr,
    /// Every source that named the same host, port, security and protocol, when more than one
    /// did (empty otherwise).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<Provenance>,
    /// For `needs-confirmation`: the registrable domain the user must confirm, in full (D28).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confirm: Option<SharedStr>,
    /// Autoconfig's authentication methods, in its order of preference (empty for SRV).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub authentication: Vec<String>,
    /// Autoconfig's OAuth2 data, when the document had it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub oauth2: Option<OAuth2Info>,
    /// With the core's DNSSEC validation, for an SRV candidate: the DNSSEC status of
    /// [`Candidate::addresses`], obtained as [`Candidate::addresses_source`] says (decision
    /// D51). After a secure SRV answer, the status of the target's own validated A and AAAA
    /// answers (D46); after an insecure one, `insecure`: the addresses that came with the SRV
    /// response are never validated. Absent without validation and for the other sources'
    /// candidates (which carry no addresses). Feature `dnssec`.
    #[cfg(feature = "dnssec")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub addresses_dnssec: Option<crate::dns::DnssecStatus>,
    /// How [`Candidate::addresses`] and [`Candidate::addresses_dnssec`] were obtained, whenever
    /// `addresses_dnssec` is present (decision D51). Feature `dnssec`.
    #[cfg(feature = "dnssec")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub addresses_source: Option<AddressesSource>,
    /// With the core's DNSSEC validation and a secure SRV answer: the TLSA RRset of
    /// `_<port>._tcp.<host>` (RFC 7673 §3), which verification uses (decision D45). Absent
    /// otherwise. Feature `dnssec`.
    #[cfg(feature = "dnssec")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tlsa: Option<Tlsa>,
}

/// The TLSA lookup of an SRV candidate (RFC 7673 §3.3, §3.4; decisions D45–D47). It reads back
/// from a plan's JSON (a host handing a candidate to `Subject::with_plan_tlsa`, feature `dane`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Tlsa {
    /// The TLSA owner name, `_<port>._tcp.<host>` (no trailing dot).
    pub name: String,
    /// What the validated lookup found.
    pub status: TlsaStatus,
    /// For `secure`: the records in presentation form (`usage selector matching-type hex`, as
    /// `mailsrv verify --tlsa` takes them), at most [`MAX_PLAN_TLSA_RECORDS`]. Unusable
    /// records (RFC 7671 §4.1) are listed too: the verdict says why each was not used.
    #[serde(default)]
    pub records: Vec<String>,
    /// Why the status is not `secure` or `none`, when there is a reason to give.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// The most TLSA records a plan keeps for one candidate: the verifier's own cap
/// (`MAX_TLSA_RECORDS`, 32); more are left out with a diagnostic.
pub const MAX_PLAN_TLSA_RECORDS: usize = 32;

/// How an SRV candidate's addresses were obtained in a validated plan (decision D51).
#[cfg(feature = "dnssec")]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AddressesSource {
    /// The target's own A and AAAA lookups, validated by the core (after a secure SRV answer,
    /// D46): their status is the candidate's `addresses_dnssec`.
    Validated,
    /// The A and AAAA records that came with the SRV response (its additional section, RFC
    /// 2782), which no validation covers: neither the core's (it validates the SRV RRset) nor a
    /// resolver's AD bit (RFC 4035 §3.2.3: answer and authority sections only). Always
    /// `insecure`; possibly none, and the host then resolves the target itself.
    SrvResponse,
}

/// What the TLSA lookup of a candidate found (RFC 7673 §3.4).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TlsaStatus {
    /// Not validated yet (the plan is not final).
    Pending,
    /// A DNSSEC-secure TLSA RRset: TLS is mandatory and the records decide the certificate
    /// check (RFC 7673 §3.4, §4).
    Secure,
    /// The RRset or the target's addresses are not DNSSEC-secure: DANE does not apply.
    Insecure,
    /// Proven absent (a secure NXDOMAIN or NODATA): DANE does not apply.
    #[serde(rename = "none")]
    Absent,
    /// DNSSEC-bogus: the candidate is left out of the plan (RFC 7673 §3.4); only diagnostics
    /// show this status.
    Bogus,
    /// Validation could not decide: the candidate is left out of the plan, as for `bogus`.
    Indeterminate,
}

impl TlsaStatus {
    /// The kebab-case name, as in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Secure => "secure",
            Self::Insecure => "insecure",
            Self::Absent => "none",
            Self::Bogus => "bogus",
            Self::Indeterminate => "indeterminate",
        }
    }
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
    /// The mapping came over an authenticated channel: autoconfig fetched over https from the
    /// email domain, the ISPDB over https, or an MX-derived lookup after a DNSSEC-secure MX
    /// answer (decision D27). The target host is a reference identity.
    Authenticated,
}
