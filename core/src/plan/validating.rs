//! The core's DNSSEC validator inside a discovery (feature `dnssec`; issue 14 §2, decision D41):
//! one validator lookup per SRV question, whose first query *is* the SRV question the host
//! sends; the validator's other questions (DS, DNSKEY, follow-ups) are listed apart.

use std::fmt;

use super::lookups::{DnssecQuestion, LookupState};
use crate::diagnostic::DiagnosticCode;
use crate::dns::{Answer, DnssecSource, DnssecStatus, Outcome, Question};
use crate::dnssec::Name;
use crate::dnssec::anchor::TrustAnchors;
use crate::dnssec::rr::{self, rtype};
use crate::dnssec::validator::{Status, Validator};
use crate::error::{Error, ErrorCode};

/// The MX lookup's index in the validator, and its query (message ID, wire) once known.
type MxLookup = (usize, Option<(u16, Vec<u8>)>);

/// The validator and its extra questions.
#[derive(Clone)]
pub(crate) struct Validating {
    validator: Validator,
    /// The MX lookup's index in the validator and its query (message ID, wire), when the
    /// discovery asks MX.
    mx: Option<MxLookup>,
    /// The extra questions so far, with whether each has its answer (or failure).
    extra: Vec<(DnssecQuestion, bool)>,
}

impl fmt::Debug for Validating {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Validating")
            .field("done", &self.validator.is_done())
            .field("extra", &self.extra)
            .finish_non_exhaustive()
    }
}

impl Validating {
    /// Starts validating the SRV `questions`, whose message IDs and wire queries become the
    /// validator's; its IDs count from `first_message_id`.
    pub(crate) fn start(
        anchors: TrustAnchors,
        now: u64,
        questions: &mut [Question],
        mx_name: Option<&str>,
        first_message_id: u16,
    ) -> Result<Self, Error> {
        let mut validator = Validator::new(anchors, now);
        validator.set_next_message_id(first_message_id);
        for q in questions.iter() {
            let name = Name::from_ascii(&q.name)
                .map_err(|e| Error::new(ErrorCode::InvalidOption, format!("`{}`: {e}", q.name)))?;
            validator
                .lookup(&name, rtype::SRV)
                .map_err(|e| Error::new(ErrorCode::InvalidOption, e))?;
        }
        let mx = match mx_name {
            Some(name) => {
                let name = Name::from_ascii(name)
                    .map_err(|e| Error::new(ErrorCode::InvalidOption, format!("`{name}`: {e}")))?;
                let i = validator
                    .lookup(&name, rtype::MX)
                    .map_err(|e| Error::new(ErrorCode::InvalidOption, e))?;
                Some((i, None))
            }
            None => None,
        };
        let mut out = Self {
            validator,
            mx,
            extra: Vec::new(),
        };
        out.refresh(questions);
        Ok(out)
    }

    /// Takes the validator's new questions: an SRV question of the discovery still waiting for
    /// its validator query gets it; every other one is an extra question.
    fn refresh(&mut self, questions: &mut [Question]) {
        for query in self.validator.queries() {
            let srv = (query.qtype == rtype::SRV)
                .then(|| {
                    questions.iter_mut().find(|q| {
                        q.wire.is_empty()
                            && Name::from_ascii(&q.name).is_ok_and(|n| n == query.name)
                    })
                })
                .flatten();
            if query.qtype == rtype::MX
                && let Some((i, slot @ None)) = &mut self.mx
                && self.validator.lookup_name(*i) == Some(&query.name)
            {
                *slot = Some((query.message_id, query.wire));
                continue;
            }
            match srv {
                Some(q) => {
                    q.message_id = query.message_id;
                    q.wire = query.wire;
                }
                None => self.extra.push((
                    DnssecQuestion {
                        message_id: query.message_id,
                        name: query.name.to_string(),
                        record_type: query.qtype,
                        wire: query.wire,
                    },
                    false,
                )),
            }
        }
    }

    /// The MX question's message ID and wire query (RD, CD, DO), when MX is asked.
    #[cfg(feature = "autoconfig")]
    pub(crate) fn mx_query(&self) -> Option<(u16, Vec<u8>)> {
        self.mx.as_ref().and_then(|(_, q)| q.clone())
    }

    /// The MX answer's status and, when bogus or indeterminate, why; `None` until decided.
    #[cfg(feature = "autoconfig")]
    pub(crate) fn mx_status(&self) -> Option<(DnssecStatus, Option<String>)> {
        let (i, _) = self.mx.as_ref()?;
        let v = self.validator.results().into_iter().nth(*i).flatten()?;
        let why = format!(
            "RFC 8914 EDE {}: {}",
            v.ede.map_or_else(|| "none".to_owned(), |c| c.to_string()),
            v.reason.as_deref().unwrap_or("no reason given")
        );
        Some(match v.status {
            Status::Secure => (DnssecStatus::Secure, None),
            Status::Insecure => (DnssecStatus::Insecure, None),
            Status::Bogus => (DnssecStatus::Bogus, Some(why)),
            Status::Indeterminate => (DnssecStatus::Indeterminate, Some(why)),
        })
    }

    /// Hands the response to an SRV (or the MX) question to the validator.
    pub(crate) fn answer_srv(&mut self, questions: &mut [Question], message_id: u16, wire: &[u8]) {
        self.validator.answer(message_id, wire);
        self.refresh(questions);
    }

    /// Tells the validator that an SRV question has no usable response.
    pub(crate) fn fail_srv(&mut self, questions: &mut [Question], message_id: u16) {
        self.validator.fail(message_id);
        self.refresh(questions);
    }

    /// Every extra question so far.
    pub(crate) fn questions(&self) -> Vec<DnssecQuestion> {
        self.extra.iter().map(|(q, _)| q.clone()).collect()
    }

    /// The extra questions without an answer yet.
    pub(crate) fn pending(&self) -> Vec<DnssecQuestion> {
        self.extra
            .iter()
            .filter(|(_, done)| !done)
            .map(|(q, _)| q.clone())
            .collect()
    }

    /// Whether every lookup has its status.
    pub(crate) fn is_done(&self) -> bool {
        self.validator.is_done()
    }

    fn slot(&mut self, message_id: u16) -> Result<usize, Error> {
        let Some(i) = self
            .extra
            .iter()
            .position(|(q, _)| q.message_id == message_id)
        else {
            return Err(Error::new(
                ErrorCode::UnknownQuestion,
                format!("no DNSSEC question of this discovery has message ID {message_id}"),
            ));
        };
        if self.extra[i].1 {
            return Err(Error::new(
                ErrorCode::AlreadyAnswered,
                format!(
                    "the DNSSEC question {} type {} (message ID {message_id}) already has its answer",
                    self.extra[i].0.name, self.extra[i].0.record_type
                ),
            ));
        }
        Ok(i)
    }

    /// Feeds the response to extra question `message_id`. A response to something else is an
    /// `Err` and changes nothing (a UDP host keeps waiting); a truncated one is
    /// [`Outcome::Truncated`] and leaves the question open for the TCP answer.
    pub(crate) fn receive(
        &mut self,
        questions: &mut [Question],
        message_id: u16,
        wire: &[u8],
    ) -> Result<Outcome, Error> {
        let i = self.slot(message_id)?;
        if let Ok(m) = rr::parse_message(wire) {
            let q = &self.extra[i].0;
            if m.flags & 0x8000 == 0 {
                return Err(Error::new(
                    ErrorCode::NotAResponse,
                    format!("the message for {} is a query", q.name),
                ));
            }
            if m.id != message_id {
                return Err(Error::new(
                    ErrorCode::MessageIdMismatch,
                    format!("message ID {} where {message_id} was expected", m.id),
                ));
            }
            let asked = Name::from_ascii(&q.name).ok().map(|n| (n, q.record_type));
            if m.question != asked {
                return Err(Error::new(
                    ErrorCode::QuestionMismatch,
                    format!(
                        "the response does not echo {} type {}",
                        q.name, q.record_type
                    ),
                ));
            }
            if m.flags & 0x0200 != 0 {
                return Ok(Outcome::Truncated);
            }
        }
        // A message that does not parse is this question's (failed) answer.
        self.extra[i].1 = true;
        self.validator.answer(message_id, wire);
        self.refresh(questions);
        Ok(Outcome::Records)
    }

    /// Reports that extra question `message_id` got no usable response.
    pub(crate) fn fail(
        &mut self,
        questions: &mut [Question],
        message_id: u16,
    ) -> Result<(), Error> {
        let i = self.slot(message_id)?;
        self.extra[i].1 = true;
        self.validator.fail(message_id);
        self.refresh(questions);
        Ok(())
    }

    /// The states with the validator's statuses applied to the answers it decides: secure,
    /// insecure, bogus (with its RFC 8914 code and reason), indeterminate (a failure). An answer
    /// whose validation is not finished counts as not yet answered: it is never used unvalidated.
    pub(crate) fn apply(&self, questions: &[Question], states: &[LookupState]) -> Vec<LookupState> {
        let results = self.validator.results();
        let mut out = states.to_vec();
        for ((q, state), result) in questions.iter().zip(out.iter_mut()).zip(results) {
            if state.dnssec_source != DnssecSource::Validated || state.answer.is_none() {
                continue;
            }
            let Some(v) = result else {
                state.answer = None;
                continue;
            };
            let why = || {
                format!(
                    "RFC 8914 EDE {}: {}",
                    v.ede.map_or_else(|| "none".to_owned(), |c| c.to_string()),
                    v.reason.as_deref().unwrap_or("no reason given")
                )
            };
            match v.status {
                Status::Secure => state.dnssec = DnssecStatus::Secure,
                Status::Insecure => state.dnssec = DnssecStatus::Insecure,
                Status::Bogus => {
                    state.dnssec = DnssecStatus::Bogus;
                    state.dnssec_reason = Some(why());
                }
                Status::Indeterminate => {
                    state.dnssec = DnssecStatus::Indeterminate;
                    state.answer = Some(Answer {
                        outcome: Outcome::ServFail,
                        notes: vec![(
                            DiagnosticCode::LookupFailed,
                            format!(
                                "`{}`: DNSSEC validation could not decide ({}); the service \
                                 may exist",
                                q.name,
                                why()
                            ),
                        )],
                        ..Answer::default()
                    });
                }
            }
        }
        out
    }
}

#[cfg(test)]
#[path = "validating_tests.rs"]
mod tests;
