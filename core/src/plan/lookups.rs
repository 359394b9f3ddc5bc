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
