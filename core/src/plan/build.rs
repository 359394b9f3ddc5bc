//! Turning lookup results into a ranked plan (RFC 6186 §3.4, §4, §6; RFC 8314 §5.1; RFC 2782).

use std::collections::BTreeSet;

#[cfg(feature = "dnssec")]
use super::lookups::DaneView;
use super::lookups::LookupState;
#[cfg(feature = "dnssec")]
use super::model::{AddressesSource, TlsaStatus};
use super::model::{
    Alternative, Candidate, Confirmation, Incoming, Outgoing, Plan, Source, Status, Trust,
};
use super::options::{IncomingPreference, MinimumSecurity, Options, TlsOrder};
use super::order::{SeededRng, rfc2782_order};
use crate::diagnostic::{Diagnostic, DiagnosticCode};
use crate::dns::{
    Answer, DnssecStatus, Lookup, Outcome, Question, SrvRecord, is_within, target_problem,
};
#[cfg(feature = "dnssec")]
use crate::dns::{DnssecSource, MAX_ADDRESSES_PER_HOST};
use crate::identity::{EmailAddress, registrable_domain, shared_reference_identities};
use crate::service::{Protocol, Security, Service};
use crate::shared::SharedStr;

/// Most candidates in one list of a plan (incoming, the alternative protocol, outgoing); the
/// rest, the least preferred, are left out with a diagnostic. Each label gives at most
/// [`crate::dns::MAX_RECORDS`] records, and a list merges two labels and their cleartext
/// fallbacks; no host tries that many servers (issue 12).
pub(crate) const MAX_CANDIDATES_PER_LIST: usize = 128;

/// Most addresses listed in one plan, over all its candidates, each of which lists at most 16
/// (per host, from the answer). Candidates after the budget is spent list none — the host
/// resolves their host name, as it does when the answer had no addresses — and a diagnostic
/// says so (issue 12).
pub(crate) const MAX_PLAN_ADDRESSES: usize = 512;

/// What one label contributed after filtering: the answer's records are borrowed, not cloned
/// (a candidate copies what it keeps of one).
struct LabelResult<'s> {
    /// The SRV owner name asked for.
    owner: &'s str,
    /// Usable records, in RFC 2782 order.
    ordered: Vec<&'s SrvRecord>,
    secure: bool,
    failed: bool,
    not_offered: bool,
    unusable: bool,
}

/// The strings a plan's candidates share (decision D59), each made when first needed.
#[derive(Default)]
struct Shared {
    /// The address as text and its local part: every SRV candidate's usernames.
    email: Option<SharedStr>,
    local_part: Option<SharedStr>,
    /// The domain: SNI and a DNS-ID.
    domain: Option<SharedStr>,
    /// The SRV-ID of each service, in [`Service::ALL`] order.
    srv_ids: [Option<SharedStr>; 6],
    /// The ALPN IDs `imap` and `pop3`.
    alpn: [Option<SharedStr>; 2],
    /// The last host that needed a confirmation, with its registrable domain.
    confirm: Option<(SharedStr, SharedStr)>,
    /// Room for a host's name key when its addresses are looked up.
    key: Vec<u8>,
}

/// The string in `slot`, made by `make` the first time.
fn shared(slot: &mut Option<SharedStr>, make: impl FnOnce() -> SharedStr) -> SharedStr {
    slot.get_or_insert_with(make).clone()
}

struct Planner<'a> {
    address: &'a EmailAddress,
    /// The strings the candidates share.
    shared: Shared,
    options: &'a Options,
    diagnostics: Vec<Diagnostic>,
    /// Candidates from the other sources (autoconfig, ISPDB, MX-derived), in source rank and
    /// document order.
    extra: &'a [Candidate],
    /// With the core's DNSSEC validation: what the address and TLSA lookups of the targets of
    /// secure SRV answers found (issue 15).
    #[cfg(feature = "dnssec")]
    dane: Option<&'a DaneView>,
}

impl Planner<'_> {
    fn note(&mut self, code: DiagnosticCode, service: Option<Service>, message: String) {
        self.diagnostics.push(Diagnostic {
            code,
            service,
            message,
        });
    }

    /// Filters one label's records (decisions D1, D17; RFC 8314 §5.1) into usable ones.
    fn filter<'s>(
        &mut self,
        q: &'s Question,
        state: &'s LookupState,
    ) -> (Vec<&'s SrvRecord>, LabelResult<'s>) {
        let service = q.service;
        let mut result = LabelResult {
            owner: &q.name,
            ordered: Vec::new(),
            secure: false,
            failed: false,
            not_offered: false,
            unusable: false,
        };
        if let Some(answer) = &state.answer {
            for (code, message) in &answer.notes {
                self.note(*code, Some(service), message.clone());
            }
        }
        let Some(answer) = self.answered(q, state, &mut result) else {
            return (Vec::new(), result);
        };
        if state.dnssec == DnssecStatus::Bogus {
            result.unusable = true;
            self.note(
                DiagnosticCode::DnssecBogus,
                Some(service),
                match &state.dnssec_reason {
                    Some(why) => format!(
                        "`{}`: the answer is DNSSEC-bogus and was not used ({why})",
                        q.name
                    ),
                    None => format!("`{}`: the answer is DNSSEC-bogus and was not used", q.name),
                },
            );
            return (Vec::new(), result);
        }
        result.secure = state.dnssec == DnssecStatus::Secure;
        let records = self.without_duplicates(q, &answer.records);
        let nulls = records.iter().filter(|r| r.is_null_target()).count();
        if nulls > 0 && nulls == records.len() {
            result.not_offered = true;
            self.note(
                DiagnosticCode::ServiceNotOffered,
                Some(service),
                format!(
                    "`{}` has target \".\": the domain does not offer {service}",
                    q.name
                ),
            );
            return (Vec::new(), result);
        }
        if nulls > 0 {
            self.note(
                DiagnosticCode::MixedNullTarget,
                Some(service),
                format!("`{}`: {nulls} record(s) with target \".\" mixed with real targets were dropped", q.name),
            );
        }
        let total_real = records.len() - nulls;
        let usable: Vec<&SrvRecord> = records
            .into_iter()
            .filter(|r| !r.is_null_target() && self.usable(q, answer, r))
            .collect();
        if total_real > 0 && usable.is_empty() {
            result.unusable = true;
        }
        (usable, result)
    }

    /// With validation on, a secure label's records whose target cannot be used (RFC 7673
    /// §3.2, §3.4; decisions D45, D47) are dropped with a diagnostic: bogus or indeterminate
    /// addresses, a bogus or indeterminate TLSA RRset, or a TLSA lookup over the cap. A label
    /// the validator found secure whose target has no TLSA lookup at all (which the validating
    /// discovery never leaves) is dropped too: DANE would be skipped unseen.
    #[cfg(feature = "dnssec")]
    fn dane_filter<'s>(
        &mut self,
        q: &Question,
        state: &LookupState,
        usable: Vec<&'s SrvRecord>,
        result: &mut LabelResult<'_>,
    ) -> Vec<&'s SrvRecord> {
        let Some(dane) = self.dane.filter(|_| result.secure) else {
            return usable;
        };
        let validated = state.dnssec_source == DnssecSource::Validated;
        let before = usable.len();
        let mut failed = false;
        let mut kept = Vec::with_capacity(before);
        for r in usable {
            let host = r.target.as_str();
            let tlsa = dane.tlsa.get(&(host.to_owned(), r.port));
            let addresses = dane.addresses.get(host);
            let dropped = match (addresses, tlsa) {
                (_, None) if validated => Some((
                    DiagnosticCode::LookupFailed,
                    true,
                    format!(
                        "`{}`: target `{host}` port {} has no validated TLSA lookup, so it was \
                         left out (RFC 7673 §3.2)",
                        q.name, r.port
                    ),
                )),
                (_, Some(None)) => Some((
                    DiagnosticCode::IgnoredRecords,
                    false,
                    format!(
                        "`{}`: target `{host}` port {} was left out: a plan asks TLSA for at \
                         most {} targets and ports (RFC 7673 §3.2 requires the lookup)",
                        q.name,
                        r.port,
                        crate::limits::MAX_TLSA_LOOKUPS
                    ),
                )),
                (Some(a), _)
                    if matches!(
                        a.status,
                        Some(DnssecStatus::Bogus | DnssecStatus::Indeterminate)
                    ) =>
                {
                    let bogus = a.status == Some(DnssecStatus::Bogus);
                    Some(left_out(
                        bogus,
                        format!(
                            "`{}`: the addresses of target `{host}` are DNSSEC-{}, so it was \
                             left out (RFC 7673 §3.2; {})",
                            q.name,
                            if bogus { "bogus" } else { "indeterminate" },
                            a.reason.as_deref().unwrap_or("no reason given")
                        ),
                    ))
                }
                (_, Some(Some(t)))
                    if matches!(t.status, TlsaStatus::Bogus | TlsaStatus::Indeterminate) =>
                {
                    Some(left_out(
                        t.status == TlsaStatus::Bogus,
                        format!(
                            "`{}`: the TLSA RRset `{}` is DNSSEC-{}, so target `{host}` port {} \
                             was left out (RFC 7673 §3.4; {})",
                            q.name,
                            t.name,
                            t.status.as_str(),
                            r.port,
                            t.reason.as_deref().unwrap_or("no reason given")
                        ),
                    ))
                }
                _ => None,
            };
            match dropped {
                Some((code, failure, message)) => {
                    failed |= failure;
                    self.note(code, Some(q.service), message);
                }
                None => kept.push(r),
            }
        }
        if before > 0 && kept.is_empty() {
            if failed {
                result.failed = true;
            } else {
                result.unusable = true;
            }
        }
        kept
    }

    /// The answer of a question whose outcome is `records`; for any other outcome, notes why
    /// nothing came of it (D17) and marks failures in `result`.
    fn answered<'s>(
        &mut self,
        q: &Question,
        state: &'s LookupState,
        result: &mut LabelResult<'_>,
    ) -> Option<&'s Answer> {
        let service = Some(q.service);
        match state.outcome() {
            Outcome::Records => return state.answer.as_ref(),
            Outcome::NoData | Outcome::NxDomain => return None,
            Outcome::Truncated => {
                let why = if state.truncated > 1 {
                    "and the answer fed after it (over TCP) was truncated too"
                } else {
                    "and no TCP answer was fed"
                };
                self.note(
                    DiagnosticCode::Truncated,
                    service,
                    format!("`{}`: the answer was truncated {why}", q.name),
                );
            }
            Outcome::Pending => self.note(
                DiagnosticCode::LookupFailed,
                service,
                format!("`{}`: no answer yet", q.name),
            ),
            other => {
                let explained = state.answer.as_ref().is_some_and(|a| {
                    a.notes
                        .iter()
                        .any(|(code, _)| *code == DiagnosticCode::LookupFailed)
                });
                if !explained {
                    self.note(
                        DiagnosticCode::LookupFailed,
                        service,
                        format!(
                            "`{}`: the lookup failed ({}); the service may exist",
                            q.name,
                            other.as_str()
                        ),
                    );
                }
            }
        }
        result.failed = true;
        None
    }

    /// The records without exact duplicates (each dropped one is noted). A linear search of
    /// the kept ones: at most 128 records per answer (`MAX_RECORDS`), usually a few, and
    /// no hasher (whose random keys a sans-IO core should not draw).
    fn without_duplicates<'s>(
        &mut self,
        q: &Question,
        records: &'s [SrvRecord],
    ) -> Vec<&'s SrvRecord> {
        let mut kept: Vec<&SrvRecord> = Vec::with_capacity(records.len());
        for r in records {
            let same = |k: &&SrvRecord| {
                (k.priority, k.weight, k.port, k.target.as_str())
                    == (r.priority, r.weight, r.port, r.target.as_str())
            };
            if !kept.iter().any(same) {
                kept.push(r);
            } else {
                self.note(
                    DiagnosticCode::DuplicateRecord,
                    Some(q.service),
                    format!(
                        "`{}`: duplicate record {} {} {} {} dropped",
                        q.name, r.priority, r.weight, r.port, r.target
                    ),
                );
            }
        }
        kept
    }

    /// Whether a real-target record can be used: a valid target name, a port, and the label's
    /// security at or above the minimum (RFC 8314 §5.1). Port/label mismatches and alias
    /// targets are noted but kept.
    fn usable(&mut self, q: &Question, answer: &Answer, r: &SrvRecord) -> bool {
        let service = q.service;
        if let Some(problem) = target_problem(&r.target) {
            self.note(
                DiagnosticCode::InvalidTarget,
                Some(service),
                format!("`{}`: {problem}; the record was dropped", q.name),
            );
            return false;
        }
        if r.port == 0 {
            self.note(
                DiagnosticCode::PortZero,
                Some(service),
                format!(
                    "`{}`: target `{}` has port 0; the record was dropped",
                    q.name, r.target
                ),
            );
            return false;
        }
        self.note_port_of_the_other_label(q, r);
        if let Some(canonical) = answer.aliases.get(r.target.as_str()) {
            self.note(
                DiagnosticCode::TargetIsAlias,
                Some(service),
                format!(
                    "`{}`: target `{}` is an alias of `{canonical}` (RFC 2782 forbids \
                     aliases); the SRV target name is kept as the identity",
                    q.name, r.target
                ),
            );
        }
        if !self.options.minimum_security.admits(service.security()) {
            self.note(
                DiagnosticCode::BelowMinimumSecurity,
                Some(service),
                format!(
                    "`{}`: {} is below the minimum security ({}) and was dropped, whatever \
                     its priority",
                    q.name,
                    service.security(),
                    match self.options.minimum_security {
                        MinimumSecurity::ImplicitTls => "implicit-tls",
                        MinimumSecurity::Starttls => "starttls",
                        MinimumSecurity::Cleartext => "cleartext",
                    }
                ),
            );
            return false;
        }
        true
    }

    /// Notes a submission label pointing at the other submission label's port: the label,
    /// not the port, decides the TLS mode.
    fn note_port_of_the_other_label(&mut self, q: &Question, r: &SrvRecord) {
        let (code, port, text) = match q.service {
            Service::Submission => (
                DiagnosticCode::SubmissionOnImplicitTlsPort,
                465,
                "points to port 465, the implicit-TLS port; the plan still uses STARTTLS as \
                 the label says (publish `_submissions` for 465)",
            ),
            Service::Submissions => (
                DiagnosticCode::SubmissionsOnStarttlsPort,
                587,
                "points to port 587, the STARTTLS port; the plan still uses implicit TLS as \
                 the label says (publish `_submission` for 587)",
            ),
            _ => return,
        };
        if r.port == port {
            self.note(code, Some(q.service), format!("`{}` {text}", q.name));
        }
    }

    /// One SRV candidate; its strings are the plan's shared ones (D59).
    fn candidate(
        &mut self,
        (service, owner): (Service, &SharedStr),
        record: &SrvRecord,
        secure: bool,
        state: &LookupState,
        security: Security,
    ) -> Candidate {
        let address = self.address;
        let domain = shared(&mut self.shared.domain, || address.domain().into());
        let host = record.target.clone();
        let trust = if secure {
            Trust::DnssecSecure
        } else if is_within(&host, &domain) {
            Trust::InDomain
        } else {
            Trust::NeedsConfirmation
        };
        let tls = security != Security::Cleartext;
        let reference_identities = if tls {
            let slot = Service::ALL.iter().position(|s| *s == service).unwrap_or(0);
            let srv_id = shared(&mut self.shared.srv_ids[slot], || {
                ["_", service.label(), ".", &domain].concat().into()
            });
            shared_reference_identities(&srv_id, &domain, &host, secure)
        } else {
            Vec::new()
        };
        let alpn = match service.protocol() {
            Protocol::Imap if tls => vec![shared(&mut self.shared.alpn[0], || "imap".into())],
            Protocol::Pop3 if tls => vec![shared(&mut self.shared.alpn[1], || "pop3".into())],
            _ => Vec::new(),
        };
        let usernames = vec![
            shared(&mut self.shared.email, || email_text(address).into()),
            shared(&mut self.shared.local_part, || address.local_part().into()),
        ];
        let confirm = (trust == Trust::NeedsConfirmation).then(|| match &self.shared.confirm {
            Some((last, confirm)) if *last == host => confirm.clone(),
            _ => {
                let confirm = SharedStr::from(registrable_domain(&host));
                self.shared.confirm = Some((host.clone(), confirm.clone()));
                confirm
            }
        });
        #[cfg_attr(not(feature = "dnssec"), allow(unused_mut))]
        let mut addresses = state
            .answer
            .as_ref()
            .map(|a| a.addresses_of(&host, &mut self.shared.key))
            .unwrap_or_default();
        // With validation, a secure label's target has validated address and TLSA lookups:
        // their addresses replace the additional section's (issue 14 §2, issue 15). Any other
        // label's addresses are the SRV response's, never validated: `insecure` (D51).
        #[cfg(feature = "dnssec")]
        let dane = self.dane.filter(|_| secure);
        #[cfg(feature = "dnssec")]
        let (mut addresses_dnssec, mut addresses_source) = match self.dane {
            Some(_) => (
                Some(crate::dns::DnssecStatus::Insecure),
                Some(AddressesSource::SrvResponse),
            ),
            None => (None, None),
        };
        #[cfg(feature = "dnssec")]
        if let Some(a) = dane.and_then(|d| d.addresses.get(host.as_str())) {
            addresses_dnssec = a.status;
            addresses_source = a.status.map(|_| AddressesSource::Validated);
            addresses = a.addresses.clone();
            addresses.truncate(MAX_ADDRESSES_PER_HOST);
        }
        #[cfg(feature = "dnssec")]
        let tlsa = dane
            .and_then(|d| d.tlsa.get(&(String::from(host.as_str()), record.port)))
            .cloned()
            .flatten();
        Candidate {
            service,
            protocol: service.protocol(),
            port: record.port,
            security,
            priority: record.priority,
            weight: record.weight,
            trust,
            reference_identities,
            sni_alternative: (tls && host != domain).then(|| host.clone()),
            sni: tls.then_some(domain),
            alpn,
            usernames,
            addresses,
            source: Source::Srv,
            origin: owner.clone(),
            sources: Vec::new(),
            confirm,
            authentication: Vec::new(),
            oauth2: None,
            #[cfg(feature = "dnssec")]
            addresses_dnssec,
            #[cfg(feature = "dnssec")]
            addresses_source,
            #[cfg(feature = "dnssec")]
            tlsa,
            host,
        }
    }
}

/// Builds the plan (see [`crate::Discovery::plan`]).
/// What each label contributed, in question order.
type Labels<'a> = Vec<(Service, LabelResult<'a>, &'a LookupState)>;

pub(crate) fn build(
    address: &EmailAddress,
    options: &Options,
    (questions, states): (&[Question], &[LookupState]),
    extra: &[Candidate],
    #[cfg(feature = "dnssec")] dane: Option<&DaneView>,
    seed: u64,
) -> Plan {
    let mut planner = Planner {
        address,
        shared: Shared::default(),
        options,
        diagnostics: Vec::new(),
        extra,
        #[cfg(feature = "dnssec")]
        dane,
    };
    let (labels, lookups, expires) = planner.order_labels(questions, states, seed);
    let mut outgoing = planner.outgoing(&labels);
    let (mut incoming, mut incoming_alternatives) = planner.incoming(&labels);
    planner.cap_addresses(
        std::iter::once(&mut incoming.candidates)
            .chain(Some(&mut outgoing.candidates))
            .chain(incoming_alternatives.iter_mut().map(|a| &mut a.candidates)),
    );
    planner.note_side_findings(&incoming, &outgoing);
    let confirm = confirmations(
        std::iter::once(&incoming.candidates)
            .chain(Some(&outgoing.candidates))
            .chain(incoming_alternatives.iter().map(|a| &a.candidates)),
    );
    Plan {
        email: email_text(address),
        domain: address.domain().to_owned(),
        domain_unicode: address.domain_unicode(),
        incoming,
        incoming_alternatives,
        outgoing,
        lookups,
        diagnostics: planner.diagnostics,
        expires_in_secs: expires,
        requests: Vec::new(),
        mx: None,
        confirm,
        is_final: false,
    }
}

/// The address as text (what its `Display` writes), in one allocation.
fn email_text(address: &EmailAddress) -> String {
    [address.local_part(), "@", address.domain()].concat()
}

/// What the user must confirm: one entry per registrable domain of the `needs-confirmation`
/// candidates, in the order first met (D28).
fn confirmations<'c>(lists: impl Iterator<Item = &'c Vec<Candidate>>) -> Vec<Confirmation> {
    let mut out: Vec<Confirmation> = Vec::new();
    for c in lists.flatten() {
        let Some(domain) = &c.confirm else { continue };
        let i = match out.iter().position(|e| &e.domain == domain) {
            Some(i) => i,
            None => {
                out.push(Confirmation {
                    domain: domain.clone(),
                    hosts: Vec::new(),
                    sources: Vec::new(),
                });
                out.len() - 1
            }
        };
        let entry = &mut out[i];
        if !entry.hosts.contains(&c.host) {
            entry.hosts.push(c.host.clone());
        }
        let named = std::iter::once(c.source).chain(c.sources.iter().map(|p| p.source));
        for s in named {
            if !entry.sources.contains(&s) {
                entry.sources.push(s);
            }
        }
    }
    out
}

/// Where a candidate ranks in its list (D29), 0 first: no confirmation needed first, then
/// implicit TLS (unless the host asked for the domain's priority order, D3), then the domain's
/// own publications before third parties.
fn rank_key(c: &Candidate, tls_order: TlsOrder) -> usize {
    usize::from(c.trust == Trust::NeedsConfirmation) * 4
        + usize::from(tls_order == TlsOrder::ImplicitFirst && c.security != Security::ImplicitTls)
            * 2
        + usize::from(c.source.is_third_party())
}

/// Orders `list` by [`rank_key`], keeping the order within each rank (so SRV keeps its RFC 2782
/// order and a document its own): a stable partition into the eight ranks.
fn rank(list: &mut Vec<Candidate>, tls_order: TlsOrder) {
    // Already in rank order (the usual case: one rank, or SRV's own order): nothing moves.
    if list
        .windows(2)
        .all(|w| rank_key(&w[0], tls_order) <= rank_key(&w[1], tls_order))
    {
        return;
    }
    let mut ranks: [Vec<Candidate>; 8] = Default::default();
    for c in list.drain(..) {
        ranks[rank_key(&c, tls_order)].push(c);
    }
    list.extend(ranks.into_iter().flatten());
}

#[cfg(feature = "autoconfig")]
/// Merges `c` into `list`: the same host, port and security is one candidate, which lists
/// every source (D26), takes the best trust class any of them gives (D27), and autoconfig's
/// username, authentication methods and OAuth2 data (D31). Returns whether it was merged.
fn merge_into(list: &mut [Candidate], c: &Candidate) -> bool {
    let Some(kept) = list
        .iter_mut()
        .find(|k| k.host == c.host && k.port == c.port && k.security == c.security)
    else {
        return false;
    };
    if kept.sources.is_empty() {
        kept.sources.push(super::model::Provenance {
            source: kept.source,
            origin: kept.origin.clone(),
        });
    }
    if !kept
        .sources
        .iter()
        .any(|p| p.source == c.source && p.origin == c.origin)
    {
        kept.sources.push(super::model::Provenance {
            source: c.source,
            origin: c.origin.clone(),
        });
    }
    if kept.trust == Trust::NeedsConfirmation && c.trust != Trust::NeedsConfirmation {
        kept.trust = c.trust;
        kept.reference_identities = c.reference_identities.clone();
        kept.confirm = None;
    }
    if kept.source == Source::Srv && c.source != Source::Srv {
        kept.usernames = c.usernames.clone();
    }
    if kept.authentication.is_empty() {
        kept.authentication = c.authentication.clone();
    }
    if kept.oauth2.is_none() {
        kept.oauth2 = c.oauth2.clone();
    }
    true
}

impl Planner<'_> {
    /// Filters and orders every label's records (one RFC 2782 draw per label, D4), and lists
    /// the lookups with the smallest TTL seen.
    fn order_labels<'s>(
        &mut self,
        questions: &'s [Question],
        states: &'s [LookupState],
        seed: u64,
    ) -> (Labels<'s>, Vec<Lookup>, Option<u32>) {
        let mut rng = SeededRng::new(seed);
        let mut labels = Vec::with_capacity(questions.len());
        let mut lookups = Vec::with_capacity(questions.len());
        let mut expires: Option<u32> = None;
        for (q, state) in questions.iter().zip(states) {
            let (usable, mut result) = self.filter(q, state);
            #[cfg(feature = "dnssec")]
            let usable = self.dane_filter(q, state, usable, &mut result);
            let mut usable = usable;
            // An RRset has no order, and resolvers rotate it between answers: start the draw
            // from a canonical order so that the same records and seed always give the same plan.
            usable.sort_by(|a, b| {
                (a.priority, a.weight, a.port, &a.target)
                    .cmp(&(b.priority, b.weight, b.port, &b.target))
            });
            result.ordered = rfc2782_order(usable, |r| r.priority, |r| r.weight, &mut rng);
            if let Some(ttl) = state.answer.as_ref().and_then(|a| a.ttl) {
                expires = Some(expires.map_or(ttl, |e| e.min(ttl)));
            }
            lookups.push(Lookup {
                id: q.id,
                service: q.service,
                name: q.name.clone(),
                outcome: state.outcome(),
                dnssec: state.dnssec,
                dnssec_source: state.dnssec_source,
                records: state.answer.as_ref().map_or(0, |a| a.records.len()),
            });
            labels.push((q.service, result, state));
        }
        (labels, lookups, expires)
    }

    /// Keeps the first [`MAX_PLAN_ADDRESSES`] addresses of the plan, in the order the lists are
    /// given (incoming, outgoing, the alternative); later candidates list none.
    fn cap_addresses<'c>(&mut self, lists: impl Iterator<Item = &'c mut Vec<Candidate>>) {
        let mut left = MAX_PLAN_ADDRESSES;
        let (mut emptied, mut dropped) = (0usize, 0usize);
        for candidate in lists.flatten() {
            let n = candidate.addresses.len();
            if n > left {
                emptied += 1;
                dropped += n;
                candidate.addresses = Vec::new();
            } else {
                left -= n;
            }
        }
        if emptied > 0 {
            self.note(
                DiagnosticCode::IgnoredRecords,
                None,
                format!(
                    "the plan lists at most {MAX_PLAN_ADDRESSES} addresses: {emptied} \
                     candidate(s) list none ({dropped} address(es) left out); the host resolves \
                     their host names"
                ),
            );
        }
    }

    /// The candidates of one protocol: implicit TLS and STARTTLS merged as the options say,
    /// then the cleartext fallbacks when the host allowed them; at most
    /// [`MAX_CANDIDATES_PER_LIST`], with a diagnostic for the rest.
    fn candidates_for(&mut self, labels: &Labels<'_>, protocol: Protocol) -> Vec<Candidate> {
        // Sized once: a candidate is large, and growing a list moves each one again.
        let records = |security: Security| {
            labels
                .iter()
                .filter(|(s, _, _)| s.protocol() == protocol && s.security() == security)
                .map(|(_, r, _)| r.ordered.len())
                .sum::<usize>()
        };
        let (implicit_records, starttls_records) =
            (records(Security::ImplicitTls), records(Security::Starttls));
        let mut implicit = Vec::with_capacity(implicit_records + starttls_records);
        let mut starttls = Vec::with_capacity(starttls_records);
        let mut cleartext = Vec::new();
        let allow_cleartext = self.options.minimum_security == MinimumSecurity::Cleartext;
        for (service, result, state) in labels {
            if service.protocol() != protocol || result.ordered.is_empty() {
                continue;
            }
            // The owner name, shared by the label's candidates as their origin.
            let owner = SharedStr::from(result.owner);
            for r in &result.ordered {
                let label = (*service, &owner);
                let c = self.candidate(label, r, result.secure, state, service.security());
                if service.security() == Security::ImplicitTls {
                    implicit.push(c);
                    continue;
                }
                // A secure TLSA RRset makes TLS mandatory for the target (RFC 7673 §3.4).
                #[cfg(feature = "dnssec")]
                let tls_required = c
                    .tlsa
                    .as_ref()
                    .is_some_and(|t| t.status == TlsaStatus::Secure && !t.records.is_empty());
                #[cfg(not(feature = "dnssec"))]
                let tls_required = false;
                starttls.push(c);
                if allow_cleartext && tls_required {
                    self.note(
                        DiagnosticCode::BelowMinimumSecurity,
                        Some(*service),
                        format!(
                            "`{}`: no cleartext fallback for `{}` port {}: its TLSA records are \
                             DNSSEC-secure, so TLS is mandatory (RFC 7673 §3.4)",
                            result.owner, r.target, r.port
                        ),
                    );
                } else if allow_cleartext {
                    let clear = Security::Cleartext;
                    cleartext.push(self.candidate(label, r, result.secure, state, clear));
                }
            }
        }
        let mut merged = match self.options.tls_order {
            TlsOrder::ImplicitFirst => {
                implicit.extend(starttls);
                implicit
            }
            TlsOrder::DomainPriority => merge_by_priority(implicit, starttls),
        };
        #[cfg(feature = "autoconfig")]
        self.merge_extra(protocol, &mut merged, &mut cleartext);
        rank(&mut merged, self.options.tls_order);
        rank(&mut cleartext, self.options.tls_order);
        merged.extend(cleartext);
        if merged.len() > MAX_CANDIDATES_PER_LIST {
            self.note(
                DiagnosticCode::IgnoredRecords,
                None,
                format!(
                    "{protocol} has {} candidates; the {} after the first \
                     {MAX_CANDIDATES_PER_LIST} were left out of the plan",
                    merged.len(),
                    merged.len() - MAX_CANDIDATES_PER_LIST
                ),
            );
            merged.truncate(MAX_CANDIDATES_PER_LIST);
        }
        merged
    }

    /// Adds the other sources' candidates of `protocol` to the SRV ones: below the minimum
    /// security dropped with a diagnostic (as for SRV), duplicates merged (D26); the caller
    /// ranks the result (D29).
    #[cfg(feature = "autoconfig")]
    fn merge_extra(
        &mut self,
        protocol: Protocol,
        tls: &mut Vec<Candidate>,
        cleartext: &mut Vec<Candidate>,
    ) {
        for c in self.extra.iter().filter(|c| c.protocol == protocol) {
            if !self.options.minimum_security.admits(c.security) {
                self.note(
                    DiagnosticCode::BelowMinimumSecurity,
                    Some(c.service),
                    format!(
                        "`{}`: {}:{} is {}, below the minimum security, and was dropped",
                        c.origin, c.host, c.port, c.security
                    ),
                );
                continue;
            }
            let list = if c.security == Security::Cleartext {
                &mut *cleartext
            } else {
                &mut *tls
            };
            if !merge_into(list, c) {
                list.push(c.clone());
            }
        }
    }

    /// The incoming protocol the other sources point to when SRV decides nothing: the protocol
    /// of their best-ranked admitted incoming candidate (a document's order is its preference).
    fn extra_protocol(&self) -> Option<Protocol> {
        if !cfg!(feature = "autoconfig") {
            return None;
        }
        let order = self.options.tls_order;
        self.extra
            .iter()
            .enumerate()
            .filter(|(_, c)| {
                matches!(c.protocol, Protocol::Imap | Protocol::Pop3)
                    && self.options.minimum_security.admits(c.security)
                    && match c.protocol {
                        Protocol::Imap => self.options.imap,
                        _ => self.options.pop3,
                    }
            })
            .min_by_key(|(i, c)| (rank_key(c, order), c.security == Security::Cleartext, *i))
            .map(|(_, c)| c.protocol)
    }

    /// The outgoing (submission) side.
    fn outgoing(&mut self, labels: &Labels<'_>) -> Outgoing {
        if !self.options.submission {
            return Outgoing {
                status: Status::NotRequested,
                candidates: Vec::new(),
            };
        }
        let candidates = self.candidates_for(labels, Protocol::Submission);
        Outgoing {
            status: side_status(labels, Protocol::Submission, !candidates.is_empty()),
            candidates,
        }
    }

    /// The incoming side: the protocol with the lowest usable priority (D2, RFC 6186 §3.4),
    /// the other one as an alternative that is never switched to without the user.
    fn incoming(&mut self, labels: &Labels<'_>) -> (Incoming, Vec<Alternative>) {
        if !(self.options.imap || self.options.pop3) {
            let side = Incoming {
                status: Status::NotRequested,
                protocol: None,
                candidates: Vec::new(),
            };
            return (side, Vec::new());
        }
        let best = |protocol: Protocol| {
            labels
                .iter()
                .filter(|(s, _, _)| s.protocol() == protocol)
                .flat_map(|(_, r, _)| r.ordered.iter().map(|rec| rec.priority))
                .min()
        };
        let (imap_best, pop3_best) = (best(Protocol::Imap), best(Protocol::Pop3));
        let chosen = match (imap_best, pop3_best) {
            (Some(i), Some(p)) if i < p => Some(Protocol::Imap),
            (Some(i), Some(p)) if p < i => Some(Protocol::Pop3),
            (Some(_), Some(_)) => Some(match self.options.prefer {
                IncomingPreference::Imap => Protocol::Imap,
                IncomingPreference::Pop3 => Protocol::Pop3,
            }),
            (Some(_), None) => Some(Protocol::Imap),
            (None, Some(_)) => Some(Protocol::Pop3),
            (None, None) => self.extra_protocol(),
        };
        let mut alternatives = Vec::new();
        let candidates = chosen
            .map(|p| self.candidates_for(labels, p))
            .unwrap_or_default();
        if let Some(chosen) = chosen {
            let other = match chosen {
                Protocol::Imap => Protocol::Pop3,
                _ => Protocol::Imap,
            };
            let alt = self.candidates_for(labels, other);
            if !alt.is_empty() {
                let why = match (imap_best, pop3_best) {
                    (Some(i), Some(p)) if i == p => {
                        format!("equal priority {i}; preference decides")
                    }
                    (Some(i), Some(p)) => format!("best priorities: imap {i}, pop3 {p}"),
                    (None, None) => "first in the documents' order".to_owned(),
                    _ => format!("only {chosen} has SRV records"),
                };
                self.note(
                    DiagnosticCode::AlternativeProtocol,
                    None,
                    format!(
                        "{chosen} was chosen ({why}); {other} is listed as an alternative and is \
                         never switched to without the user"
                    ),
                );
                alternatives.push(Alternative {
                    protocol: other,
                    candidates: alt,
                });
            }
        }
        let status = if candidates.is_empty() {
            let imap = side_status(labels, Protocol::Imap, false);
            let pop3 = side_status(labels, Protocol::Pop3, false);
            combine_status(imap, pop3)
        } else {
            Status::Found
        };
        let side = Incoming {
            status,
            protocol: chosen,
            candidates,
        };
        (side, alternatives)
    }

    /// Findings about the plan as a whole: targets outside the domain (RFC 6186 §6) and
    /// cleartext fallbacks (RFC 8314 §5.1).
    fn note_side_findings(&mut self, incoming: &Incoming, outgoing: &Outgoing) {
        let mut confirm = BTreeSet::new();
        let mut cleartext = false;
        let mut providers = BTreeSet::new();
        for c in incoming.candidates.iter().chain(&outgoing.candidates) {
            if c.trust == Trust::NeedsConfirmation && c.source == Source::Srv {
                confirm.insert(c.host.clone());
            } else if let Some(domain) = &c.confirm {
                providers.insert((domain.clone(), c.source));
            }
            cleartext |= c.security == Security::Cleartext;
        }
        let domain = self.address.domain();
        for host in confirm {
            self.note(
                DiagnosticCode::OutOfDomainTarget,
                None,
                format!(
                    "`{host}` is outside `{domain}` and the answer was not DNSSEC-secure: use TLS \
                     and send no credentials until the certificate verifies for `{domain}`, or \
                     ask the user"
                ),
            );
        }
        for (domain, source) in providers {
            self.note(
                DiagnosticCode::ConfirmProvider,
                None,
                format!(
                    "{} named servers of `{domain}` through a mapping nobody authenticated: ask \
                     the user to confirm `{domain}` before sending credentials",
                    source.as_str()
                ),
            );
        }
        if cleartext {
            self.note(
                DiagnosticCode::CleartextAllowed,
                None,
                "cleartext fallbacks are listed because the host allowed them; warn the user \
                 before authenticating over them (RFC 8314 §5.1)"
                    .to_owned(),
            );
        }
    }
}

/// Merges two lists already in RFC 2782 order by priority; implicit TLS wins ties (D3).
fn merge_by_priority(implicit: Vec<Candidate>, starttls: Vec<Candidate>) -> Vec<Candidate> {
    let mut out = Vec::with_capacity(implicit.len() + starttls.len());
    let mut a = implicit.into_iter().peekable();
    let mut b = starttls.into_iter().peekable();
    loop {
        let take_a = match (a.peek(), b.peek()) {
            (Some(x), Some(y)) => x.priority <= y.priority,
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (None, None) => break,
        };
        out.extend(if take_a { a.next() } else { b.next() });
    }
    out
}

/// The status of one protocol's side, from its labels.
fn side_status(labels: &Labels<'_>, protocol: Protocol, found: bool) -> Status {
    if found {
        return Status::Found;
    }
    let mine = labels.iter().filter(|(s, _, _)| s.protocol() == protocol);
    let (mut failed, mut unusable, mut not_offered) = (false, false, false);
    for (_, r, _) in mine {
        failed |= r.failed;
        unusable |= r.unusable;
        not_offered |= r.not_offered;
    }
    if failed {
        Status::LookupFailed
    } else if unusable {
        Status::NoUsableRecords
    } else if not_offered {
        Status::NotOffered
    } else {
        Status::NotPublished
    }
}

/// Combines the IMAP and POP3 statuses when neither has candidates: the most actionable wins.
fn combine_status(a: Status, b: Status) -> Status {
    let rank = |s: Status| match s {
        Status::LookupFailed => 0,
        Status::NoUsableRecords => 1,
        Status::NotOffered => 2,
        Status::NotPublished => 3,
        Status::Found => 4,
        Status::NotRequested => 5,
    };
    if rank(a) <= rank(b) { a } else { b }
}

/// A target left out because a lookup it needs is bogus (a `dnssec-bogus` diagnostic, not a
/// lookup failure) or indeterminate (`lookup-failed`, which counts as a failure of the label).
#[cfg(feature = "dnssec")]
fn left_out(bogus: bool, message: String) -> (DiagnosticCode, bool, String) {
    let code = if bogus {
        DiagnosticCode::DnssecBogus
    } else {
        DiagnosticCode::LookupFailed
    };
    (code, !bogus, message)
}
