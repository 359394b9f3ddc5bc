//! The end-of-run summary of a bulk run (`mailsrv plan --input`, `discoverMany`): what the plans
//! say, tallied here so that no host restates which part of a plan means what.
//!
//! A host adds each line's result: [`BulkSummary::add_plan`] for a plan (or
//! [`BulkSummary::add_facts`] with the [`PlanFacts`] read from the plan's JSON, for a host that
//! holds the plan as data, such as the JS package), [`BulkSummary::add_error`] for a line that
//! could not be planned. The summary serialises to the JSON of `--summary-json`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::diagnostic::DiagnosticCode;
use crate::dns::Outcome;
use crate::error::ErrorCode;
use crate::plan::{Plan, Trust};
use crate::service::Service;

/// At most this many distinct error codes are counted by name; the codes of later error lines
/// are counted under [`OTHER_ERRORS`], so that a host passing arbitrary codes cannot make the
/// summary grow without bound.
pub const MAX_ERROR_CODES: usize = 64;

/// The name under which error codes beyond [`MAX_ERROR_CODES`] distinct ones are counted.
pub const OTHER_ERRORS: &str = "OTHER";

/// The longest error code kept by name; a longer one is counted under [`OTHER_ERRORS`].
const MAX_CODE_LEN: usize = 64;

/// What a plan contributes to a bulk summary: the parts of the plan that the tally reads, in the
/// plan's own JSON shape (unknown fields are ignored), or built from a [`Plan`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PlanFacts {
    lookups: Vec<LookupFacts>,
    diagnostics: Vec<DiagnosticFacts>,
    incoming: CandidateList,
    incoming_alternatives: Vec<CandidateList>,
    outgoing: CandidateList,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
struct LookupFacts {
    service: Service,
    outcome: Outcome,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
struct DiagnosticFacts {
    code: DiagnosticCode,
    #[serde(default)]
    service: Option<Service>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
struct CandidateList {
    candidates: Vec<CandidateFacts>,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
struct CandidateFacts {
    trust: Trust,
}

impl PlanFacts {
    /// The facts of `plan`.
    pub fn of(plan: &Plan) -> Self {
        let list = |candidates: &[crate::plan::Candidate]| CandidateList {
            candidates: candidates
                .iter()
                .map(|c| CandidateFacts { trust: c.trust })
                .collect(),
        };
        Self {
            lookups: plan
                .lookups
                .iter()
                .map(|l| LookupFacts {
                    service: l.service,
                    outcome: l.outcome,
                })
                .collect(),
            diagnostics: plan
                .diagnostics
                .iter()
                .map(|d| DiagnosticFacts {
                    code: d.code,
                    service: d.service,
                })
                .collect(),
            incoming: list(&plan.incoming.candidates),
            incoming_alternatives: plan
                .incoming_alternatives
                .iter()
                .map(|a| list(&a.candidates))
                .collect(),
            outgoing: list(&plan.outgoing.candidates),
        }
    }
}

/// The summary of a bulk run: lines read (not blank, not comments), how many were planned and
/// how many were error lines (by code), how many domains publish SRV (a lookup with records, a
/// `.` record included) and for which labels, how many say `.` for a label (the
/// `service-not-offered` diagnostic) and for which, how many had a lookup fail
/// (`lookup-failed`), and how many plans have a candidate that needs the user's confirmation.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BulkSummary {
    /// Lines counted (planned and error lines).
    pub lines: u64,
    /// Lines planned.
    pub planned: u64,
    /// Lines that could not be planned.
    pub errors: u64,
    /// Error lines by error code (at most [`MAX_ERROR_CODES`] names, then [`OTHER_ERRORS`]).
    pub error_codes: BTreeMap<String, u64>,
    /// Plans with at least one lookup that returned records.
    pub publish_srv: u64,
    /// Plans with records, by label.
    pub labels: BTreeMap<Service, u64>,
    /// Plans where some label says "not offered" (`.`).
    pub not_offered: u64,
    /// Plans saying "not offered", by label.
    pub not_offered_labels: BTreeMap<Service, u64>,
    /// Plans where a lookup failed (timeout, network error, SERVFAIL, ...).
    pub lookup_failures: u64,
    /// Plans with a candidate whose trust is `needs-confirmation`.
    pub needs_confirmation: u64,
}

impl BulkSummary {
    /// An empty summary.
    pub fn new() -> Self {
        Self::default()
    }

    /// Counts one planned line.
    pub fn add_plan(&mut self, plan: &Plan) {
        self.add_facts(&PlanFacts::of(plan));
    }

    /// Counts one planned line from its plan's facts.
    pub fn add_facts(&mut self, plan: &PlanFacts) {
        self.lines += 1;
        self.planned += 1;
        let mut published = false;
        for l in plan
            .lookups
            .iter()
            .filter(|l| l.outcome == Outcome::Records)
        {
            published = true;
            *self.labels.entry(l.service).or_default() += 1;
        }
        self.publish_srv += u64::from(published);
        let mut not_offered = false;
        let mut lookup_failed = false;
        for d in &plan.diagnostics {
            match d.code {
                DiagnosticCode::ServiceNotOffered => {
                    not_offered = true;
                    if let Some(service) = d.service {
                        *self.not_offered_labels.entry(service).or_default() += 1;
                    }
                }
                DiagnosticCode::LookupFailed => lookup_failed = true,
                _ => {}
            }
        }
        self.not_offered += u64::from(not_offered);
        self.lookup_failures += u64::from(lookup_failed);
        let needs_confirmation = std::iter::once(&plan.incoming)
            .chain(&plan.incoming_alternatives)
            .chain(std::iter::once(&plan.outgoing))
            .flat_map(|list| &list.candidates)
            .any(|c| c.trust == Trust::NeedsConfirmation);
        self.needs_confirmation += u64::from(needs_confirmation);
    }

    /// Counts one line that could not be planned, by its error code (a name of the core's
    /// table such as `INVALID_DOMAIN`, or a host code).
    pub fn add_error(&mut self, code: &str) {
        self.lines += 1;
        self.errors += 1;
        let known = ErrorCode::from_name(code).map(ErrorCode::name);
        let name = match known {
            Some(name) => name,
            None if code.len() <= MAX_CODE_LEN => code,
            None => OTHER_ERRORS,
        };
        let key = if self.error_codes.contains_key(name) || self.error_codes.len() < MAX_ERROR_CODES
        {
            name
        } else {
            OTHER_ERRORS
        };
        *self.error_codes.entry(key.to_owned()).or_default() += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::{Candidate, Discovery, Options};

    fn query_name(wire: &[u8]) -> (u16, String) {
        let id = u16::from_be_bytes([wire[0], wire[1]]);
        let mut labels = Vec::new();
        let mut i = 12;
        while wire[i] != 0 {
            let n = usize::from(wire[i]);
            labels.push(String::from_utf8_lossy(&wire[i + 1..i + 1 + n]).into_owned());
            i += 1 + n;
        }
        (id, labels.join("."))
    }

    /// A response to `query` (bytes) with the SRV records `(priority, weight, port, target)`, or
    /// NXDOMAIN when `records` is `None`.
    fn response(query: &[u8], records: Option<&[(u16, u16, u16, &str)]>) -> Vec<u8> {
        let end = 12 + query[12..].iter().position(|&b| b == 0).unwrap() + 5;
        let question = &query[12..end];
        let mut m = query[..2].to_vec();
        let rcode = if records.is_none() { 3 } else { 0 };
        let count = records.map_or(0, <[_]>::len) as u16;
        m.extend_from_slice(&[0x81, 0x80 | rcode, 0, 1]);
        m.extend_from_slice(&count.to_be_bytes());
        m.extend_from_slice(&[0, 0, 0, 0]);
        m.extend_from_slice(question);
        for &(priority, weight, port, target) in records.unwrap_or(&[]) {
            m.extend_from_slice(&[0xc0, 12, 0, 33, 0, 1, 0, 0, 0x0e, 0x10]);
            let mut data = Vec::new();
            for v in [priority, weight, port] {
                data.extend_from_slice(&v.to_be_bytes());
            }
            for label in target.split('.').filter(|l| !l.is_empty()) {
                data.push(label.len() as u8);
                data.extend_from_slice(label.as_bytes());
            }
            data.push(0);
            m.extend_from_slice(&(data.len() as u16).to_be_bytes());
            m.extend_from_slice(&data);
        }
        m
    }

    /// Plans `email` with each label answered by `answer(label)`.
    fn plan(email: &str, answer: impl Fn(&str) -> Option<Vec<(u16, u16, u16, String)>>) -> Plan {
        let mut d = Discovery::new(email, Options::default()).unwrap();
        let queries: Vec<_> = d
            .questions()
            .iter()
            .map(|q| (q.id, q.wire.clone()))
            .collect();
        for (id, wire) in queries {
            let (_, name) = query_name(&wire);
            let label = name.split('.').next().unwrap().to_owned();
            let records = answer(&label);
            let borrowed: Option<Vec<(u16, u16, u16, &str)>> = records.as_ref().map(|rs| {
                rs.iter()
                    .map(|(a, b, c, t)| (*a, *b, *c, t.as_str()))
                    .collect()
            });
            d.receive(id, &response(&wire, borrowed.as_deref()), None)
                .unwrap();
        }
        d.plan(1)
    }

    fn in_domain(label: &str) -> Option<Vec<(u16, u16, u16, String)>> {
        Some(vec![(0, 1, 993, format!("{}.example.net", &label[1..]))])
    }

    #[test]
    fn tally_counts_records_dots_failures_confirmation_and_errors() {
        let mut s = BulkSummary::new();
        // Every label with records in the domain.
        s.add_plan(&plan("a@example.net", in_domain));
        // A provider: implicit TLS elsewhere (needs confirmation), "." for the STARTTLS labels.
        s.add_plan(&plan("b@custom.example", |label| {
            Some(if matches!(label, "_imap" | "_pop3" | "_submission") {
                vec![(0, 0, 0, ".".to_owned())]
            } else {
                vec![(0, 1, 993, "mail.provider.example".to_owned())]
            })
        }));
        // NXDOMAIN everywhere; then one lookup that failed.
        s.add_plan(&plan("c@nx.example", |_| None));
        let mut d = Discovery::new("d@fail.example", Options::default()).unwrap();
        d.fail(0, crate::plan::Failure::Timeout).unwrap();
        s.add_plan(&d.plan(1));
        s.add_error("INVALID_DOMAIN");
        s.add_error("INVALID_DOMAIN");
        s.add_error("TIMEOUT");

        assert_eq!(s.lines, 7);
        assert_eq!(s.planned, 4);
        assert_eq!(s.errors, 3);
        assert_eq!(
            s.error_codes,
            BTreeMap::from([("INVALID_DOMAIN".to_owned(), 2), ("TIMEOUT".to_owned(), 1)])
        );
        assert_eq!(s.publish_srv, 2, "{s:?}");
        // A "." record is a published record: every label of both domains.
        for service in [
            Service::Submissions,
            Service::Submission,
            Service::Imaps,
            Service::Imap,
            Service::Pop3s,
            Service::Pop3,
        ] {
            assert_eq!(s.labels.get(&service), Some(&2), "{service:?}");
        }
        assert_eq!(s.not_offered, 1);
        assert_eq!(
            s.not_offered_labels,
            BTreeMap::from([
                (Service::Submission, 1),
                (Service::Imap, 1),
                (Service::Pop3, 1)
            ])
        );
        assert_eq!(s.lookup_failures, 1);
        assert_eq!(s.needs_confirmation, 1);
    }

    #[test]
    fn facts_read_from_the_plan_json_tally_like_the_plan() {
        // The JS package tallies the plan it holds as data: its JSON must give the same facts.
        let plans = [
            plan("a@example.net", in_domain),
            plan("b@custom.example", |label| {
                Some(if label == "_imap" {
                    vec![(0, 0, 0, ".".to_owned())]
                } else {
                    vec![(0, 1, 993, "mail.provider.example".to_owned())]
                })
            }),
            plan("c@nx.example", |_| None),
        ];
        for p in &plans {
            let json = serde_json::to_string(p).unwrap();
            let read: PlanFacts = serde_json::from_str(&json).unwrap();
            assert_eq!(read, PlanFacts::of(p));
        }
        let needs: Vec<&Candidate> = plans[1]
            .incoming
            .candidates
            .iter()
            .filter(|c| c.trust == Trust::NeedsConfirmation)
            .collect();
        assert!(
            !needs.is_empty(),
            "the provider plan exercises the trust field"
        );
    }

    // D40: the bulk summary is counted in the core, error codes capped by name.
    #[test]
    fn error_codes_are_capped_by_name() {
        let mut s = BulkSummary::new();
        for i in 0..10_000 {
            s.add_error(&format!("HOST_CODE_{i}"));
        }
        s.add_error(&"X".repeat(10_000));
        assert_eq!(s.errors, 10_001);
        assert_eq!(s.error_codes.len(), MAX_ERROR_CODES + 1);
        assert_eq!(
            s.error_codes.get(OTHER_ERRORS),
            Some(&(10_001 - MAX_ERROR_CODES as u64))
        );
        assert!(s.error_codes.keys().all(|k| k.len() <= MAX_CODE_LEN));
    }
}
