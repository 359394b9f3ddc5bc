//! The core's DNSSEC validator inside a discovery (feature `dnssec`; issue 14 §2, decision D41):
//! one validator lookup per SRV question, whose first query *is* the SRV question the host
//! sends; the validator's other questions (DS, DNSKEY, follow-ups) are listed apart.
//!
//! Once an SRV answer is secure, the targets it names get validated lookups of their own
//! (issue 15, RFC 7673 §3.2, §3.3; decisions D45–D47): A and AAAA of each target and TLSA at
//! `_<port>._tcp.<target>`, all asked in the same round (with the DS/DNSKEY RRsets on the way
//! to them), as more of the validator's questions: hosts send them as they send the DS and
//! DNSKEY questions ([`crate::Discovery::pending_dnssec`]).

use std::collections::BTreeMap;
use std::fmt;
use std::net::IpAddr;

use super::lookups::{AddressView, DaneView, DnssecQuestion, LookupState};
use crate::diagnostic::DiagnosticCode;
use crate::dns::{Answer, DnssecSource, DnssecStatus, Outcome, Question};
use crate::dnssec::Name;
use crate::dnssec::anchor::TrustAnchors;
use crate::dnssec::rr::{self, rtype};
use crate::dnssec::validator::{Status, Validator};
use crate::error::{Error, ErrorCode};
use crate::limits::MAX_TLSA_LOOKUPS;

/// The MX lookup's index in the validator, and its query (message ID, wire) once known.
type MxLookup = (usize, Option<(u16, Vec<u8>)>);

/// The DANE lookups of one SRV target and port (RFC 7673 §3).
#[derive(Clone, Debug)]
struct DaneTarget {
    /// The TLSA lookup's index in the validator; `None` when over [`MAX_TLSA_LOOKUPS`].
    tlsa: Option<usize>,
}

/// The address lookups (A, AAAA) of one SRV target: their indices in the validator.
#[derive(Clone, Copy, Debug)]
struct AddressLookups {
    a: usize,
    aaaa: usize,
}

/// The validator and its extra questions.
#[derive(Clone)]
pub(crate) struct Validating {
    validator: Validator,
    /// The MX lookup's index in the validator and its query (message ID, wire), when the
    /// discovery asks MX.
    mx: Option<MxLookup>,
    /// The extra questions so far, with whether each has its answer (or failure).
    extra: Vec<(DnssecQuestion, bool)>,
    /// The SRV lookups' indices in the validator, in question order, with whether their
    /// targets' DANE lookups were added.
    srv: Vec<(usize, bool)>,
    /// The DANE lookups by (target host, port).
    dane: BTreeMap<(String, u16), DaneTarget>,
    /// The address lookups by target host.
    addresses: BTreeMap<String, AddressLookups>,
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
        let mut srv = Vec::with_capacity(questions.len());
        for q in questions.iter() {
            let name = Name::from_ascii(&q.name)
                .map_err(|e| Error::new(ErrorCode::InvalidOption, format!("`{}`: {e}", q.name)))?;
            let i = validator
                .lookup(&name, rtype::SRV)
                .map_err(|e| Error::new(ErrorCode::InvalidOption, e))?;
            srv.push((i, false));
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
            srv,
            dane: BTreeMap::new(),
            addresses: BTreeMap::new(),
        };
        out.refresh(questions);
        Ok(out)
    }

    /// Takes the validator's new questions: an SRV question of the discovery still waiting for
    /// its validator query gets it; every other one is an extra question. An SRV answer found
    /// secure adds its targets' DANE lookups, whose questions are taken at once (same round).
    fn refresh(&mut self, questions: &mut [Question]) {
        loop {
            self.take_queries(questions);
            if !self.add_dane_lookups() {
                break;
            }
        }
    }

    /// Adds the A, AAAA and TLSA lookups of the targets of every SRV answer that has just been
    /// found secure (RFC 7673 §3.2, §3.3); true when any was added. The records are taken in
    /// the canonical order (priority, weight, port, target), so that the cap keeps the most
    /// preferred ones whatever order the answer had.
    fn add_dane_lookups(&mut self) -> bool {
        let results = self.validator.results();
        let mut added = false;
        for k in 0..self.srv.len() {
            let (i, done) = self.srv[k];
            if done {
                continue;
            }
            let Some(Some(v)) = results.get(i) else {
                continue;
            };
            self.srv[k].1 = true;
            if v.status != Status::Secure {
                continue;
            }
            let mut records: Vec<(u16, u16, u16, Name)> = v
                .answer
                .iter()
                .flat_map(|set| &set.rdatas)
                .filter_map(|r| {
                    let field = |at: usize| u16::from_be_bytes([r[at], r[at + 1]]);
                    let target = Name::from_wire(r.get(6..)?).ok()?;
                    Some((field(0), field(2), field(4), target))
                })
                .filter(|(_, _, port, target)| *port != 0 && target.label_count() > 0)
                .collect();
            records.sort_by(|a, b| (a.0, a.1, a.2, a.3.wire()).cmp(&(b.0, b.1, b.2, b.3.wire())));
            for (_, _, port, target) in records {
                added |= self.add_target(&target, port);
            }
        }
        added
    }

    /// Adds the DANE lookups of `target`:`port` unless known; true when any was added.
    fn add_target(&mut self, target: &Name, port: u16) -> bool {
        let host = host_of(target);
        let key = (host.clone(), port);
        if self.dane.contains_key(&key) {
            return false;
        }
        let tlsa_name = Name::from_ascii(&format!("_{port}._tcp.{host}"));
        let room = self.dane.values().filter(|d| d.tlsa.is_some()).count() < MAX_TLSA_LOOKUPS;
        let lookups = || -> Option<(Option<AddressLookups>, usize)> {
            let tlsa_name = tlsa_name.ok()?;
            let addresses = match self.addresses.get(&host) {
                Some(_) => None,
                None => Some(AddressLookups {
                    a: self.validator.lookup(target, rtype::A).ok()?,
                    aaaa: self.validator.lookup(target, rtype::AAAA).ok()?,
                }),
            };
            let tlsa = self.validator.lookup(&tlsa_name, rtype::TLSA).ok()?;
            Some((addresses, tlsa))
        };
        let tlsa = match room.then(lookups).flatten() {
            Some((addresses, tlsa)) => {
                if let Some(a) = addresses {
                    self.addresses.insert(host, a);
                }
                Some(tlsa)
            }
            None => None,
        };
        self.dane.insert(key, DaneTarget { tlsa });
        tlsa.is_some()
    }

    fn take_queries(&mut self, questions: &mut [Question]) {
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

impl Validating {
    /// What the DANE lookups of the SRV targets found so far (decisions D45–D47).
    pub(crate) fn dane_view(&self) -> DaneView {
        let results = self.validator.results();
        let result = |i: usize| results.get(i).cloned().flatten();
        let mut view = DaneView::default();
        for (host, lookups) in &self.addresses {
            view.addresses.insert(
                host.clone(),
                address_view(result(lookups.a), result(lookups.aaaa)),
            );
        }
        for ((host, port), target) in &self.dane {
            let name = format!("_{port}._tcp.{host}");
            let tlsa = target.tlsa.map(|i| {
                let secure_addresses = view
                    .addresses
                    .get(host)
                    .and_then(|a| a.status)
                    .map(|s| s == DnssecStatus::Secure);
                tlsa_view(name, result(i), secure_addresses)
            });
            view.tlsa.insert((host.clone(), *port), tlsa);
        }
        view
    }
}

/// A target host as the plan spells it: lower case, no trailing dot.
fn host_of(name: &Name) -> String {
    let text = name.to_string();
    text.strip_suffix('.').unwrap_or(&text).to_owned()
}

/// Why a validation is not secure, as the diagnostics say it.
fn why(v: &crate::dnssec::Validation) -> String {
    format!(
        "RFC 8914 EDE {}: {}",
        v.ede.map_or_else(|| "none".to_owned(), |c| c.to_string()),
        v.reason.as_deref().unwrap_or("no reason given")
    )
}

/// The combined status of a target's A and AAAA answers (RFC 7673 §3.2): bogus if either is,
/// else indeterminate if either is, else insecure if either is, else secure (a proven NODATA
/// counts as secure); `None` while either is pending.
fn address_view(
    a: Option<crate::dnssec::Validation>,
    aaaa: Option<crate::dnssec::Validation>,
) -> AddressView {
    let (Some(a), Some(aaaa)) = (a, aaaa) else {
        return AddressView {
            status: None,
            addresses: Vec::new(),
            reason: None,
        };
    };
    let rank = |s: Status| match s {
        Status::Bogus => 0,
        Status::Indeterminate => 1,
        Status::Insecure => 2,
        Status::Secure => 3,
    };
    let worst = if rank(a.status) <= rank(aaaa.status) {
        &a
    } else {
        &aaaa
    };
    let status = match worst.status {
        Status::Secure => DnssecStatus::Secure,
        Status::Insecure => DnssecStatus::Insecure,
        Status::Bogus => DnssecStatus::Bogus,
        Status::Indeterminate => DnssecStatus::Indeterminate,
    };
    let reason =
        matches!(status, DnssecStatus::Bogus | DnssecStatus::Indeterminate).then(|| why(worst));
    let mut addresses = Vec::new();
    if matches!(status, DnssecStatus::Secure | DnssecStatus::Insecure) {
        for (v, len) in [(&a, 4), (&aaaa, 16)] {
            let rdatas = v.answer.iter().flat_map(|set| &set.rdatas);
            for r in rdatas.filter(|r| r.len() == len) {
                addresses.push(match <[u8; 4]>::try_from(r.as_slice()) {
                    Ok(v4) => IpAddr::from(v4),
                    Err(_) => match <[u8; 16]>::try_from(r.as_slice()) {
                        Ok(v6) => IpAddr::from(v6),
                        Err(_) => continue,
                    },
                });
            }
        }
    }
    AddressView {
        status: Some(status),
        addresses,
        reason,
    }
}

/// The TLSA lookup as the plan shows it (RFC 7673 §3.4). `secure_addresses`: whether the
/// target's addresses are secure (`None` while pending); TLSA counts only when they are
/// (RFC 7673 §3.2: it is asked in the same round, but used only then, decision D46).
fn tlsa_view(
    name: String,
    v: Option<crate::dnssec::Validation>,
    secure_addresses: Option<bool>,
) -> super::model::Tlsa {
    use super::model::{MAX_PLAN_TLSA_RECORDS, Tlsa, TlsaStatus};
    let tlsa = |status, records, reason| Tlsa {
        name: name.clone(),
        status,
        records,
        reason,
    };
    let Some(v) = v else {
        return tlsa(TlsaStatus::Pending, Vec::new(), None);
    };
    match v.status {
        Status::Bogus => return tlsa(TlsaStatus::Bogus, Vec::new(), Some(why(&v))),
        Status::Indeterminate => {
            return tlsa(TlsaStatus::Indeterminate, Vec::new(), Some(why(&v)));
        }
        _ => {}
    }
    match secure_addresses {
        None => return tlsa(TlsaStatus::Pending, Vec::new(), None),
        Some(false) => {
            return tlsa(
                TlsaStatus::Insecure,
                Vec::new(),
                Some(
                    "the target's addresses are not DNSSEC-secure, so its TLSA records are not \
                     used (RFC 7673 §3.2)"
                        .to_owned(),
                ),
            );
        }
        Some(true) => {}
    }
    if v.status == Status::Insecure {
        let reason = v.reason.clone().unwrap_or_else(|| "not signed".to_owned());
        return tlsa(TlsaStatus::Insecure, Vec::new(), Some(reason));
    }
    let Some(set) = v.answer.as_ref() else {
        return tlsa(TlsaStatus::Absent, Vec::new(), None);
    };
    let records: Vec<String> = set
        .rdatas
        .iter()
        .filter(|r| r.len() > 3)
        .take(MAX_PLAN_TLSA_RECORDS)
        .map(|r| {
            let mut text = format!("{} {} {} ", r[0], r[1], r[2]);
            for b in &r[3..] {
                text.push_str(&format!("{b:02x}"));
            }
            text
        })
        .collect();
    let reason = (set.rdatas.len() > MAX_PLAN_TLSA_RECORDS).then(|| {
        format!(
            "{} TLSA records; the {} after the first {MAX_PLAN_TLSA_RECORDS} are ignored",
            set.rdatas.len(),
            set.rdatas.len() - MAX_PLAN_TLSA_RECORDS
        )
    });
    tlsa(TlsaStatus::Secure, records, reason)
}

#[cfg(test)]
#[path = "validating_tests.rs"]
mod tests;
