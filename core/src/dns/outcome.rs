//! What became of a DNS question: the lookup record of a plan, the outcome classes (D17) and the
//! DNSSEC status (D15).

use serde::{Deserialize, Serialize};

use crate::service::Service;

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
    /// The outcome.
    pub outcome: Outcome,
    /// The DNSSEC status of the answer.
    pub dnssec: DnssecStatus,
    /// How [`Lookup::dnssec`] was obtained.
    pub dnssec_source: DnssecSource,
    /// Number of SRV records in the answer (before filtering).
    pub records: usize,
}

/// What a lookup produced (decision D17).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// Not answered yet.
    #[default]
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
    /// Every outcome, in declaration order: `Outcome::ALL[o as usize] == o`, so that a host can
    /// pass an outcome as its number.
    pub const ALL: [Outcome; 11] = [
        Self::Pending,
        Self::Records,
        Self::NoData,
        Self::NxDomain,
        Self::ServFail,
        Self::Refused,
        Self::OtherError,
        Self::Truncated,
        Self::Malformed,
        Self::Timeout,
        Self::NetworkError,
    ];

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

/// How a lookup's DNSSEC status was obtained (issue 14 §2, decision D41).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DnssecSource {
    /// Nothing said anything: no answer yet, or an answer counted insecure because the host
    /// neither validated it nor trusts its resolver's AD bit (the default).
    #[default]
    None,
    /// The core's own validator ([`crate::Options::dnssec`]).
    Validated,
    /// The AD bit of a resolver the host trusts ([`crate::Options::trust_ad`]).
    TrustAd,
    /// The host's own verdict, given with the answer.
    Host,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcome_names_are_the_json_names() {
        for o in Outcome::ALL {
            assert_eq!(serde_json::to_value(o).unwrap_or_default(), o.as_str());
        }
    }

    #[test]
    fn all_lists_each_outcome_at_its_number() {
        for (i, o) in Outcome::ALL.into_iter().enumerate() {
            assert_eq!(o as usize, i);
        }
        // The last variant closes the list: one added after it makes ALL too short.
        assert_eq!(Outcome::NetworkError as usize + 1, Outcome::ALL.len());
    }
}
