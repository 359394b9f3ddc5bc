//! What is known about each question of a discovery: kept by `Discovery`, read by the plan
//! builder (neither imports the other's internals).

use crate::dns::{Answer, DnssecSource, DnssecStatus, Outcome};

/// What is known about one question.
#[derive(Clone, Debug, Default)]
pub(crate) struct LookupState {
    pub answer: Option<Answer>,
    pub dnssec: DnssecStatus,
    /// How `dnssec` was obtained.
    pub dnssec_source: DnssecSource,
    /// Why the validator found the answer bogus (RFC 8914 code and reason), for the diagnostic.
    pub dnssec_reason: Option<String>,
    /// How many truncated answers were fed (a UDP one, then perhaps a TCP one that was
    /// truncated too).
    pub truncated: u8,
}

impl LookupState {
    pub(crate) fn outcome(&self) -> Outcome {
        self.answer.as_ref().map_or(Outcome::Pending, |a| a.outcome)
    }
}

/// A validator question that is not one of the SRV questions: a DS or DNSKEY RRset on the chain
/// of trust, a follow-up (CNAME target, unexpected zone cut), or the A, AAAA or TLSA question
/// of a secure SRV answer's target (issue 15).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DnssecQuestion {
    /// The DNS message ID the wire query carries; feed the response with
    /// [`crate::Discovery::receive_dnssec`] under this ID.
    pub message_id: u16,
    /// The query name, absolute (trailing dot).
    pub name: String,
    /// The query type (RFC 1035 type number: 1 A, 28 AAAA, 43 DS, 48 DNSKEY, 52 TLSA, …).
    pub record_type: u16,
    /// The query in wire format: RD, CD and EDNS0 DO set (RFC 4035 §3.2.2, §4.6).
    #[serde(skip)]
    pub wire: Vec<u8>,
}

/// What the validated lookups of SRV targets found (feature `dnssec`, issue 15), for the plan
/// builder.
#[cfg(feature = "dnssec")]
#[derive(Clone, Debug, Default)]
pub(crate) struct DaneView {
    /// By target host (lower case, no trailing dot): the combined status of its A and AAAA
    /// answers (`None` while pending), the validated addresses, and why when not secure.
    pub(crate) addresses: std::collections::BTreeMap<String, AddressView>,
    /// By (target host, port): the TLSA lookup; `None` for a pair over the cap.
    pub(crate) tlsa: std::collections::BTreeMap<(String, u16), Option<super::model::Tlsa>>,
}

/// The validated A and AAAA answers of one target.
#[cfg(feature = "dnssec")]
#[derive(Clone, Debug)]
pub(crate) struct AddressView {
    /// `None` while either lookup is pending.
    pub(crate) status: Option<DnssecStatus>,
    /// The addresses of the answers (A first), as validated.
    pub(crate) addresses: Vec<std::net::IpAddr>,
    /// Why the status is bogus or indeterminate.
    pub(crate) reason: Option<String>,
}

#[cfg(feature = "dnssec")]
impl DaneView {
    /// Whether an address or TLSA lookup is still being validated.
    pub(crate) fn is_pending(&self) -> bool {
        self.addresses.values().any(|a| a.status.is_none())
            || self
                .tlsa
                .values()
                .flatten()
                .any(|t| t.status == super::model::TlsaStatus::Pending)
    }
}
