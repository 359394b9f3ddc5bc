//! The sans-IO discovery: questions out, answers in, plan out.

use super::build::build;
use super::lookups::{DnssecQuestion, LookupState};
use super::model::Plan;
use super::options::Options;
use crate::diagnostic::DiagnosticCode;
use crate::dns::{
    Answer, DnssecSource, DnssecStatus, MAX_RECORDS, Outcome, Question, SrvRecord, build_query,
    parse_response,
};
use crate::error::{Error, ErrorCode};
use crate::identity::EmailAddress;

/// A failure or negative result reported by a host whose resolver hides the wire format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Failure {
    /// No answer in time.
    Timeout,
    /// The query could not be sent or the connection failed.
    NetworkError,
    /// The resolver said the name does not exist (Node: `ENOTFOUND`).
    NxDomain,
    /// The resolver said the name has no SRV records (Node: `ENODATA`).
    NoData,
    /// The resolver reported a server failure (Node: `ESERVFAIL`).
    ServFail,
    /// The resolver reported a refusal (Node: `EREFUSED`).
    Refused,
}

impl Failure {
    fn outcome(self) -> Outcome {
        match self {
            Self::Timeout => Outcome::Timeout,
            Self::NetworkError => Outcome::NetworkError,
            Self::NxDomain => Outcome::NxDomain,
            Self::NoData => Outcome::NoData,
            Self::ServFail => Outcome::ServFail,
            Self::Refused => Outcome::Refused,
        }
    }
}

/// One discovery for one email address.
///
/// 1. [`Discovery::new`] parses the address and lists the questions.
/// 2. The host sends every [`Discovery::questions`] query at once (one round trip).
/// 3. It feeds each result back with [`Discovery::receive`] (wire format),
///    [`Discovery::receive_records`] (parsed records) or [`Discovery::fail`].
/// 4. [`Discovery::plan`] returns the plan; it may be called at any time, and again after more
///    answers arrive (unanswered questions show as `pending`).
///
/// With DNSSEC validation on ([`Options::dnssec`], feature `dnssec`), the SRV questions carry
/// the validator's queries (RD, CD and DO set) and the validator asks more:
/// [`Discovery::dnssec_questions`] (DS and DNSKEY RRsets, sent in the same first round as the SRV
/// questions) and, once answers reveal them, follow-ups. So a host loops: send what
/// [`Discovery::pending`] and [`Discovery::pending_dnssec`] list, feed the responses
/// ([`Discovery::receive`], [`Discovery::receive_dnssec`] or the `fail` methods), and read both
/// lists again, until both are empty. An SRV answer is used only once the validator has
/// decided it (decision D41). Once an SRV answer is secure, its targets' A, AAAA and TLSA
/// questions (issue 15, decisions D45–D47) appear in [`Discovery::pending_dnssec`] too, so the
/// same loop serves DANE; the plan is final when they are decided.
#[derive(Clone, Debug)]
pub struct Discovery {
    address: EmailAddress,
    options: Options,
    questions: Vec<Question>,
    states: Vec<LookupState>,
    /// The HTTP requests and the MX lookup (feature `autoconfig`).
    #[cfg(feature = "autoconfig")]
    web: super::web::Web,
    /// The DNSSEC validator, when [`Options::dnssec`] is set.
    #[cfg(feature = "dnssec")]
    dnssec: Option<super::validating::Validating>,
}

impl Discovery {
    /// Starts a discovery for `email` with `options`.
    pub fn new(email: &str, options: Options) -> Result<Self, Error> {
        options.validate()?;
        Self::start(EmailAddress::parse(email)?, options)
    }

    /// [`Discovery::new`] with the host's UTS #46 ToASCII for the domain (builds without the
    /// `uts46` feature; see [`crate::identity::normalize_domain_with`]).
    pub fn new_with(
        email: &str,
        options: Options,
        to_ascii: impl FnOnce(&str) -> Option<String>,
    ) -> Result<Self, Error> {
        options.validate()?;
        Self::start(EmailAddress::parse_with(email, to_ascii)?, options)
    }

    /// The questions for `address`; `options` are already validated.
    fn start(address: EmailAddress, options: Options) -> Result<Self, Error> {
        let mut questions = Vec::new();
        let services = if options.uses(super::model::Source::Srv) {
            options.services()
        } else {
            Vec::new()
        };
        for (id, service) in (0u16..).zip(services) {
            let name = service.owner(address.domain());
            let message_id = options.message_id_base.wrapping_add(id);
            let wire = build_query(&name, message_id, options.trust_ad)?;
            questions.push(Question {
                id,
                service,
                name,
                message_id,
                wire,
            });
        }
        let states = vec![LookupState::default(); questions.len()];
        #[cfg(feature = "autoconfig")]
        #[cfg_attr(not(feature = "dnssec"), allow(unused_mut))]
        let mut web = {
            let next = u16::try_from(questions.len()).unwrap_or(u16::MAX);
            let mx_message_id = options.message_id_base.wrapping_add(next);
            super::web::Web::start(&address, &options, mx_message_id)?
        };
        #[cfg(all(feature = "dnssec", feature = "autoconfig"))]
        let mx_name = web.mx.as_ref().map(|m| m.name.clone());
        #[cfg(all(feature = "dnssec", not(feature = "autoconfig")))]
        let mx_name: Option<String> = None;
        #[cfg(feature = "dnssec")]
        let dnssec = match (options.trust_anchors()?, &options.dnssec) {
            (Some(anchors), Some(v)) => {
                for q in &mut questions {
                    q.wire.clear();
                }
                // After the SRV questions' IDs and the MX question's: base + n + 1 on.
                let after = u16::try_from(questions.len() + 1).unwrap_or(u16::MAX);
                let first = options.message_id_base.wrapping_add(after);
                Some(super::validating::Validating::start(
                    anchors,
                    v.now,
                    &mut questions,
                    mx_name.as_deref(),
                    first,
                )?)
            }
            _ => None,
        };
        // The MX question, too, is the validator's query (RD, CD, DO).
        #[cfg(all(feature = "dnssec", feature = "autoconfig"))]
        if let (Some(v), Some(mx)) = (&dnssec, web.mx.as_mut())
            && let Some((message_id, wire)) = v.mx_query()
        {
            mx.question.message_id = message_id;
            mx.question.wire = wire;
        }
        Ok(Self {
            #[cfg(feature = "autoconfig")]
            web,
            #[cfg(feature = "dnssec")]
            dnssec,
            address,
            options,
            questions,
            states,
        })
    }

    /// The parsed address.
    pub fn address(&self) -> &EmailAddress {
        &self.address
    }

    /// The options in force.
    pub fn options(&self) -> &Options {
        &self.options
    }

    /// Every question, to be sent all at once.
    pub fn questions(&self) -> &[Question] {
        &self.questions
    }

    /// Ids of the questions still worth (re)sending: unanswered, or answered with a failure such
    /// as truncation (retry over TCP), a timeout or SERVFAIL.
    pub fn pending(&self) -> Vec<u16> {
        self.questions
            .iter()
            .zip(&self.states)
            .filter(|(_, s)| s.outcome().is_failure())
            .map(|(q, _)| q.id)
            .collect()
    }

    /// True when every DNS question has a final answer (records, NODATA or NXDOMAIN) and, with
    /// validation on, the validator has decided every SRV answer. With the other sources,
    /// [`Plan::is_final`] also waits for the MX answer and every HTTP request.
    pub fn is_complete(&self) -> bool {
        #[cfg(feature = "dnssec")]
        let validated = self.dnssec.as_ref().is_none_or(|v| v.is_done());
        #[cfg(not(feature = "dnssec"))]
        let validated = true;
        validated && self.states.iter().all(|s| !s.outcome().is_failure())
    }

    /// Whether the core validates DNSSEC in this discovery ([`Options::dnssec`]).
    pub fn validates_dnssec(&self) -> bool {
        #[cfg(feature = "dnssec")]
        return self.dnssec.is_some();
        #[cfg(not(feature = "dnssec"))]
        false
    }

    /// Every DNSSEC question of the validator so far, beyond the SRV questions (empty without
    /// validation). The first ones are known at once: send them with the SRV questions.
    pub fn dnssec_questions(&self) -> Vec<DnssecQuestion> {
        #[cfg(feature = "dnssec")]
        if let Some(v) = &self.dnssec {
            return v.questions();
        }
        Vec::new()
    }

    /// The DNSSEC questions still to send: unanswered, or answered truncated (retry over TCP).
    /// New ones may appear after each answer (keys of another zone, a secure SRV answer's
    /// targets' A, AAAA and TLSA); read this list again after feeding responses.
    pub fn pending_dnssec(&self) -> Vec<DnssecQuestion> {
        #[cfg(feature = "dnssec")]
        if let Some(v) = &self.dnssec {
            return v.pending();
        }
        Vec::new()
    }

    /// Feeds the wire-format response to the DNSSEC question with `message_id`. A response to
    /// something else is an `Err` and changes nothing; a truncated one returns
    /// [`Outcome::Truncated`] and the question stays pending (feed the TCP answer the same way);
    /// any other is taken ([`Outcome::Records`]), even one that is useless to the validator.
    pub fn receive_dnssec(&mut self, message_id: u16, response: &[u8]) -> Result<Outcome, Error> {
        #[cfg(feature = "dnssec")]
        if let Some(v) = &mut self.dnssec {
            let taken = v.receive(&mut self.questions, message_id, response);
            self.sync_mx(false);
            return taken;
        }
        let _ = response;
        Err(unknown_dnssec(message_id))
    }

    /// Reports that the DNSSEC question with `message_id` got no usable response.
    pub fn fail_dnssec(&mut self, message_id: u16) -> Result<(), Error> {
        #[cfg(feature = "dnssec")]
        if let Some(v) = &mut self.dnssec {
            let taken = v.fail(&mut self.questions, message_id);
            self.sync_mx(false);
            return taken;
        }
        Err(unknown_dnssec(message_id))
    }

    fn slot(&mut self, id: u16) -> Result<(&Question, &mut LookupState), Error> {
        let count = self.questions.len();
        let i = usize::from(id);
        match (self.questions.get(i), self.states.get_mut(i)) {
            (Some(q), Some(s)) => {
                if !s.outcome().is_failure() {
                    return Err(Error::new(
                        ErrorCode::AlreadyAnswered,
                        format!("question {id} (`{}`) already has a final answer", q.name),
                    ));
                }
                Ok((q, s))
            }
            _ => Err(Error::new(
                ErrorCode::UnknownQuestion,
                format!("question id {id} is unknown; this discovery has ids 0..{count}"),
            )),
        }
    }

    /// Feeds the wire-format response to question `id`, and returns its outcome.
    ///
    /// `dnssec` is the host's own validation result; with `None` the AD bit counts only when
    /// [`Options::trust_ad`] is set (decision D15). A response to something else (QR clear,
    /// wrong message ID, wrong question) is an `Err` and changes nothing, so a UDP host can keep
    /// waiting. A question whose outcome is a failure (for example `truncated`) accepts a new
    /// response: feed the TCP answer after truncation the same way.
    pub fn receive(
        &mut self,
        id: u16,
        response: &[u8],
        dnssec: Option<DnssecStatus>,
    ) -> Result<Outcome, Error> {
        let trust_ad = self.options.trust_ad;
        let validating = self.validates_dnssec();
        let (question, state) = self.slot(id)?;
        let message_id = question.message_id;
        let mut answer = parse_response(response, question.message_id, &question.name)?;
        let (status, source) = match dnssec {
            // The validator decides; the host's word and the AD bit are not used (D41).
            _ if validating => (DnssecStatus::Insecure, DnssecSource::Validated),
            Some(status) => (status, DnssecSource::Host),
            None if trust_ad && answer.authentic_data => {
                (DnssecStatus::Secure, DnssecSource::TrustAd)
            }
            None => {
                if answer.authentic_data {
                    answer.notes.push((
                        DiagnosticCode::AdBitIgnored,
                        format!(
                            "the answer for `{}` has the AD bit set, but the resolver is not \
                             trusted (trustAd is off), so it counts as insecure",
                            question.name
                        ),
                    ));
                }
                (DnssecStatus::Insecure, DnssecSource::None)
            }
        };
        let outcome = answer.outcome;
        if outcome == Outcome::Truncated {
            state.truncated = state.truncated.saturating_add(1);
        }
        state.answer = Some(answer);
        state.dnssec = status;
        state.dnssec_source = source;
        // Only a final answer is the validator's: after truncation, a timeout or SERVFAIL the
        // host may ask again, and the retry's answer must still be validated.
        #[cfg(feature = "dnssec")]
        if let Some(v) = self.dnssec.as_mut().filter(|_| !outcome.is_failure()) {
            v.answer_srv(&mut self.questions, message_id, response);
        }
        #[cfg(not(feature = "dnssec"))]
        let _ = message_id;
        self.sync_mx(false);
        Ok(outcome)
    }

    /// Feeds SRV records already parsed by the host's resolver for question `id`. An empty list
    /// means NODATA.
    pub fn receive_records(
        &mut self,
        id: u16,
        records: Vec<SrvRecord>,
        dnssec: DnssecStatus,
    ) -> Result<(), Error> {
        let (q, state) = self.slot(id)?;
        let given = records.len();
        let mut records: Vec<SrvRecord> = records
            .into_iter()
            .take(MAX_RECORDS)
            .map(SrvRecord::normalized)
            .collect();
        // The collection may reuse the host's vector: keep room only for what was kept.
        records.shrink_to_fit();
        let ttl = records.iter().filter_map(|r| r.ttl).min();
        let outcome = if records.is_empty() {
            Outcome::NoData
        } else {
            Outcome::Records
        };
        let mut notes = Vec::new();
        if given > MAX_RECORDS {
            notes.push((
                DiagnosticCode::IgnoredRecords,
                format!(
                    "`{}` has more than {MAX_RECORDS} SRV records; the {} after the first \
                     {MAX_RECORDS} were ignored",
                    q.name,
                    given - MAX_RECORDS
                ),
            ));
        }
        state.answer = Some(Answer {
            outcome,
            records,
            ttl,
            notes,
            ..Answer::default()
        });
        state.dnssec = dnssec;
        state.dnssec_source = DnssecSource::Host;
        // Parsed records carry no signatures: the host's status stands, the validator stops
        // waiting for this question.
        let message_id = q.message_id;
        self.fail_srv_validation(message_id);
        Ok(())
    }

    /// Reports that question `id` got no usable answer (or a negative one, from a resolver API
    /// that hides the wire format).
    pub fn fail(&mut self, id: u16, failure: Failure) -> Result<(), Error> {
        let (q, state) = self.slot(id)?;
        let message_id = q.message_id;
        state.answer = Some(Answer {
            outcome: failure.outcome(),
            ..Answer::default()
        });
        state.dnssec = DnssecStatus::Insecure;
        state.dnssec_source = DnssecSource::None;
        // A failure worth retrying leaves the validator waiting for the retry's answer; a
        // final one (a resolver's NXDOMAIN or NODATA) ends its wait.
        if !failure.outcome().is_failure() {
            self.fail_srv_validation(message_id);
        }
        Ok(())
    }

    /// As [`fail`](Self::fail), with the host's reason for a lookup that failed (a timeout or a
    /// network error, e.g. `DoH server answered HTTP 500`): the plan's `lookup-failed`
    /// diagnostic for the question gives it, its first [`MAX_REASON_CHARS`] characters on one
    /// line (control characters, line separators and bidirectional controls as U+FFFD). A reason for a negative answer (NXDOMAIN, NODATA) or an
    /// empty one is not shown.
    ///
    /// [`MAX_REASON_CHARS`]: crate::host_rules::MAX_REASON_CHARS
    pub fn fail_because(&mut self, id: u16, failure: Failure, reason: &str) -> Result<(), Error> {
        self.fail(id, failure)?;
        let outcome = failure.outcome();
        let reason = reason.trim();
        if !outcome.is_failure() || reason.is_empty() {
            return Ok(());
        }
        let i = usize::from(id);
        if let (Some(q), Some(Some(answer))) = (
            self.questions.get(i),
            self.states.get_mut(i).map(|s| s.answer.as_mut()),
        ) {
            answer.notes.push((
                DiagnosticCode::LookupFailed,
                format!(
                    "`{}`: the lookup failed ({}: {}); the service may exist",
                    q.name,
                    outcome.as_str(),
                    crate::diagnostic::shown(reason, crate::limits::MAX_REASON_CHARS)
                ),
            ));
        }
        Ok(())
    }

    /// Hands the validator's MX decision, if any, to the MX state; `validated`: the MX answer
    /// was just given to the validator.
    fn sync_mx(&mut self, validated: bool) {
        #[cfg(all(feature = "dnssec", feature = "autoconfig"))]
        if let Some(v) = &self.dnssec {
            self.web.set_mx_validation(validated, v.mx_status());
        }
        #[cfg(not(all(feature = "dnssec", feature = "autoconfig")))]
        let _ = validated;
    }

    /// Tells the validator, if any, that the SRV query `message_id` has no response for it.
    fn fail_srv_validation(&mut self, message_id: u16) {
        #[cfg(feature = "dnssec")]
        if let Some(v) = &mut self.dnssec {
            v.fail_srv(&mut self.questions, message_id);
        }
        self.sync_mx(false);
        #[cfg(not(feature = "dnssec"))]
        let _ = message_id;
    }

    /// Builds the plan from what is known now. `seed` drives the RFC 2782 weighted order: the
    /// same inputs and seed always give the same plan. Hosts should draw a fresh seed per
    /// discovery so that load spreads as the domain's weights ask.
    ///
    /// The plan is [`Plan::is_final`] when every question and request that could change it is
    /// done: each DNS question has a final answer (or a failure that a retry would not fix is
    /// reported, see [`Discovery::pending`]), the MX question is answered and every HTTP
    /// request, including those the MX answer adds, has a result.
    pub fn plan(&self, seed: u64) -> Plan {
        #[cfg(feature = "autoconfig")]
        let extra = self.web.candidates(&self.address);
        #[cfg(not(feature = "autoconfig"))]
        let extra = Vec::new();
        #[cfg(feature = "dnssec")]
        let validated = self
            .dnssec
            .as_ref()
            .map(|v| v.apply(&self.questions, &self.states));
        #[cfg(feature = "dnssec")]
        let states = validated.as_deref().unwrap_or(&self.states);
        #[cfg(not(feature = "dnssec"))]
        let states = self.states.as_slice();
        #[cfg(feature = "dnssec")]
        let dane = self.dnssec.as_ref().map(|v| v.dane_view());
        let dns = (self.questions.as_slice(), states);
        #[cfg(feature = "dnssec")]
        let mut plan = build(
            &self.address,
            &self.options,
            dns,
            &extra,
            dane.as_ref(),
            seed,
        );
        #[cfg(not(feature = "dnssec"))]
        let mut plan = build(&self.address, &self.options, dns, &extra, seed);
        plan.is_final = states.iter().all(|s| s.outcome() != Outcome::Pending);
        #[cfg(feature = "dnssec")]
        {
            plan.is_final &= !dane.as_ref().is_some_and(|d| d.is_pending());
        }
        #[cfg(feature = "autoconfig")]
        {
            plan.is_final &= self.web.is_complete();
            plan.requests = self.web.reports();
            plan.mx = self.web.mx_report();
            plan.diagnostics.extend(self.web.diagnostics());
        }
        plan
    }
}

#[cfg(feature = "autoconfig")]
impl Discovery {
    /// Every HTTP request so far, to be sent all at once: the first round at once from
    /// [`Discovery::new`], the MX-derived ones once the MX answer is in (decision D26). Ids
    /// are numbered from 0, apart from the DNS question ids. A redirect chain counts as the
    /// source of its first URL; the host follows redirects only from https to https.
    pub fn requests(&self) -> Vec<super::web::HttpRequest> {
        self.web
            .requests
            .iter()
            .map(|r| r.request.clone())
            .collect()
    }

    /// The requests that have no result yet.
    pub fn pending_requests(&self) -> Vec<super::web::HttpRequest> {
        self.web
            .requests
            .iter()
            .filter(|r| r.result.is_none())
            .map(|r| r.request.clone())
            .collect()
    }

    /// The MX question (the email domain, with its wire query), while an MX-derived source is
    /// in use and the MX answer is not in. Send it in the first round, beside the SRV questions.
    pub fn mx_question(&self) -> Option<&super::web::MxQuestion> {
        self.web
            .mx
            .as_ref()
            .filter(|m| m.outcome == Outcome::Pending)
            .map(|m| &m.question)
    }

    /// Feeds the wire-format response to the MX question, as [`Discovery::receive`] does for
    /// SRV (same checks, the same `dnssec` rule, D15). A truncated response leaves the question
    /// open: feed the TCP answer the same way.
    pub fn receive_mx_response(
        &mut self,
        response: &[u8],
        dnssec: Option<DnssecStatus>,
    ) -> Result<Outcome, Error> {
        // With validation on, the validator decides (D41): the host's word and the AD bit
        // are not used.
        let dnssec = if self.validates_dnssec() {
            Some(DnssecStatus::Insecure)
        } else {
            dnssec
        };
        let message_id = self.web.mx.as_ref().map(|m| m.question.message_id);
        let outcome = self.web.receive_mx_wire(response, dnssec, &self.options)?;
        #[cfg(feature = "dnssec")]
        if let (Some(v), Some(id)) = (self.dnssec.as_mut(), message_id) {
            match outcome {
                // The TCP answer will be the validator's.
                Outcome::Truncated => {}
                // A failed MX lookup is final (no retry is taken): the validator stops waiting.
                o if o.is_failure() => v.fail_srv(&mut self.questions, id),
                _ => {
                    v.answer_srv(&mut self.questions, id, response);
                    self.sync_mx(true);
                }
            }
        }
        #[cfg(not(feature = "dnssec"))]
        let _ = message_id;
        Ok(outcome)
    }

    /// Feeds the MX records of the email domain, as parsed by the host's resolver (an empty
    /// list means NODATA), with the host's DNSSEC verdict. At most
    /// [`crate::MAX_MX_RECORDS`] are read; the first (lowest preference) decides the
    /// MX-derived requests, which [`Discovery::requests`] lists from now on.
    pub fn receive_mx(
        &mut self,
        records: Vec<super::web::MxRecord>,
        dnssec: DnssecStatus,
    ) -> Result<(), Error> {
        self.web.receive_mx(records, dnssec, &self.options)?;
        self.stop_mx_validation();
        Ok(())
    }

    /// Reports that the MX question got no usable answer.
    pub fn fail_mx(&mut self, failure: Failure) -> Result<(), Error> {
        self.web.fail_mx(failure.outcome())?;
        self.stop_mx_validation();
        Ok(())
    }

    /// Tells the validator, if any, that the MX query has no wire answer for it.
    fn stop_mx_validation(&mut self) {
        #[cfg(feature = "dnssec")]
        if let (Some(v), Some(mx)) = (self.dnssec.as_mut(), self.web.mx.as_ref()) {
            v.fail_srv(&mut self.questions, mx.question.message_id);
        }
    }

    /// Feeds the response to request `id`: the final status after redirects, the
    /// `Content-Type` header if any, and the body (a host stops reading past
    /// [`crate::autoconfig::AUTOCONFIG_MAX_BYTES`] and reports [`HttpFailure::TooLarge`](super::web::HttpFailure::TooLarge)).
    /// A non-2xx status, a content type other than XML or plain text, and a refused document
    /// are each a diagnostic on the plan, never an `Err` (decision D30); `Err` is for an
    /// unknown or already answered id.
    pub fn receive_http(
        &mut self,
        id: u16,
        status: u16,
        content_type: Option<&str>,
        body: &[u8],
    ) -> Result<super::model::RequestOutcome, Error> {
        self.web
            .receive_http(id, status, content_type, body, &self.address)
    }

    /// Reports that request `id` gave no response.
    pub fn fail_http(&mut self, id: u16, failure: super::web::HttpFailure) -> Result<(), Error> {
        self.web.fail_http(id, failure)
    }
}

/// The error for a DNSSEC message ID this discovery did not ask.
fn unknown_dnssec(message_id: u16) -> Error {
    Error::new(
        ErrorCode::UnknownQuestion,
        format!("no DNSSEC question of this discovery has message ID {message_id}"),
    )
}

/// One-shot convenience: plans `email` from wire responses given as `(question id, bytes)`.
///
/// Responses that do not belong to their question are skipped, as a UDP host would skip them.
pub fn plan_from_responses(
    email: &str,
    options: Options,
    responses: &[(u16, &[u8])],
    seed: u64,
) -> Result<Plan, Error> {
    let mut discovery = Discovery::new(email, options)?;
    for (id, bytes) in responses {
        match discovery.receive(*id, bytes, None) {
            Ok(_) => {}
            Err(e) if e.code().is_foreign_response() => {}
            Err(e) => return Err(e),
        }
    }
    Ok(discovery.plan(seed))
}
