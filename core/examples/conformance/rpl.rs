//! Replay of resolver test scenarios (`.rpl`, the format of Unbound's testbound and CZ.NIC's
//! Deckard) through the core's DNSSEC validator.
//!
//! For each `STEP n QUERY` / `STEP m CHECK_ANSWER` pair, a fresh [`Validator`] gets the file's
//! trust anchors, the clock from `val-override-date`/`val-override-timestamp` (moved on by
//! `TIME_PASSES`), and the query's name and type as its one lookup. Every question the
//! validator asks is answered by [`Scenario::resolve`], a small iterating "resolver" over the
//! file's mocked authoritative servers (its RANGE entries valid at step `n`):
//!
//! - it starts at `stub-addr` and asks the server(s) at the current address; an entry matches
//!   by its MATCH elements (`qname`, `qtype`, `question`, `subdomain`, `opcode`), first match in
//!   file order, as testbound does;
//! - a referral (no answer, NS in authority, not AA) is followed to the address of the first
//!   NS target found as glue in it (or, failing glue, in any entry that answers that name's A
//!   question);
//! - a DS question is answered at the parent: when the referral is for the DS owner itself, the
//!   referral's DS or NSEC/NSEC3 records are the answer (moved to the answer section when DS);
//! - when the walk finds nothing, any entry of any range that matches the question exactly is
//!   used; when none, the question fails (the validator sees no response).
//!
//! Simplifications (each a reason a check may not apply): no cache between steps (each query
//! starts cold, so scenarios about negative caching or cache expiry test only the final
//! answer), no recursion for NS addresses beyond glue and exact entries, `domain-insecure`
//! (negative trust anchors) and `forward-addr` are not applied, and the responses carry the
//! question asked even when the entry's differs.
//!
//! Expected status (see the corpus README): `AD` in the expected reply → secure; `SERVFAIL` →
//! bogus; otherwise, when the query had DO or AD → insecure; a query with CD, or with neither
//! DO nor AD, says nothing (not applicable). The validator's status maps the way a resolver
//! would answer: secure → AD, bogus → SERVFAIL, insecure → no AD, indeterminate → no AD when no
//! trust anchor covers the name (RFC 4033 §5) and SERVFAIL when answers were missing.

use std::collections::BTreeMap;

use mailsrv::dnssec::anchor::TrustAnchors;
use mailsrv::dnssec::name::Name;
use mailsrv::dnssec::rr::{Record, rtype};
use mailsrv::dnssec::text::{self, parse_rr};
use mailsrv::dnssec::validator::{Status, Validator, ede};

/// DNSSEC algorithms a validator need not (and this one does not) implement: RSAMD5, DSA,
/// RSASHA1, DSA-NSEC3-SHA1, RSASHA1-NSEC3-SHA1, ECC-GOST.
const LEGACY_ALGORITHMS: [u8; 6] = [1, 3, 5, 6, 7, 12];

/// Checks known to disagree, with the reason (file name, 1-based check number in the file).
/// Each entry is a difference between this validator (with the harness's simplifications) and
/// the resolver the file was written for, not a failure of the replay.
pub(crate) const KNOWN_DIFFERENCES: &[(&str, usize, &str)] = &[
    ("nsec3_aggr_cache.rpl", 5, AGGRESSIVE),
    ("nsec3_aggr_cache.rpl", 6, AGGRESSIVE),
    ("nsec3_aggr_cache.rpl", 7, AGGRESSIVE),
    ("nsec3_aggr_cache.rpl", 8, AGGRESSIVE),
    ("nsec3_aggr_cache.rpl", 9, AGGRESSIVE),
    ("nsec3_aggr_cache.rpl", 10, AGGRESSIVE),
    ("val_iter_high.rpl", 2, ITERATIONS),
    ("val_iter_high.rpl", 3, ITERATIONS),
    ("val_minimal_baddsalgorithm.rpl", 1, ANCHOR_ALG7),
    ("val_root_ds.rpl", 2, CACHE),
    ("val_ta_sentinel.rpl", 9, SENTINEL),
    ("val_ta_sentinel.rpl", 10, SENTINEL),
    ("val_ta_sentinel.rpl", 13, SENTINEL),
    ("val_ta_sentinel.rpl", 14, SENTINEL),
    ("val_ta_sentinel.rpl", 19, SENTINEL),
];

const AGGRESSIVE: &str = "the resolver answers from NSEC3 records cached by earlier steps \
    (aggressive use, RFC 8198); the file has no entry for the name and the harness no cache";
const ITERATIONS: &str = "NSEC3 with 65535 iterations: bogus by this validator's contract \
    (above 500, RFC 9276 §3.2 allows SERVFAIL), insecure for the resolver the file was written for";
const ANCHOR_ALG7: &str = "the trust anchor names algorithm 7, which this validator does not \
    implement: insecure (RFC 4035 §5.2); the resolver (with algorithm 7) finds no matching key";
const CACHE: &str = "the query comes after the only RANGE ends: the resolver answers from its \
    cache, the harness has none";
const SENTINEL: &str = "root-key-sentinel names (RFC 8509) make a resolver answer SERVFAIL on \
    purpose; a resolver feature, not a validation result";

/// A DNS message of the file.
#[derive(Clone, Debug, Default)]
pub(crate) struct Entry {
    matches: Vec<String>,
    adjust: Vec<String>,
    flags: Vec<String>,
    rcode: u16,
    question: Option<(Name, u16)>,
    sections: [Vec<Record>; 3],
    /// Records that did not parse (named in the report).
    unparsed: usize,
}

impl Entry {
    fn has(&self, flag: &str) -> bool {
        self.flags.iter().any(|f| f.eq_ignore_ascii_case(flag))
    }

    fn matches(&self, qname: &Name, qtype: u16) -> bool {
        let Some((name, t)) = &self.question else {
            return false;
        };
        let m = |e: &str| self.matches.iter().any(|x| x == e);
        if (m("qname") || m("question")) && name != qname {
            return false;
        }
        if (m("qtype") || m("question")) && *t != qtype {
            return false;
        }
        if m("subdomain") && !qname.is_at_or_below(name) {
            return false;
        }
        true
    }
}

struct Range {
    from: u32,
    to: u32,
    addresses: Vec<String>,
    entries: Vec<Entry>,
}

/// One QUERY / CHECK_ANSWER pair.
pub(crate) struct Check {
    /// Step number of the query.
    pub step: u32,
    /// Clock offset from TIME_PASSES before the query.
    pub elapsed: u64,
    query: Entry,
    expected: Entry,
}

/// A parsed scenario file.
pub(crate) struct Scenario {
    anchors: Vec<String>,
    now: Option<u64>,
    stub: Option<String>,
    ranges: Vec<Range>,
    /// The QUERY / CHECK_ANSWER pairs.
    pub checks: Vec<Check>,
    /// Records that did not parse.
    pub unparsed: usize,
}

fn strip_comment(line: &str) -> &str {
    line.split(';').next().unwrap_or("")
}

fn rcode_of(word: &str) -> Option<u16> {
    Some(match word.to_ascii_uppercase().as_str() {
        "NOERROR" => 0,
        "FORMERR" => 1,
        "SERVFAIL" => 2,
        "NXDOMAIN" => 3,
        "NOTIMPL" | "NOTIMP" => 4,
        "REFUSED" => 5,
        "YXDOMAIN" => 6,
        _ => return None,
    })
}

fn unquote(v: &str) -> String {
    let v = v.trim();
    let v = v.split('#').next().unwrap_or(v).trim();
    v.trim_matches('"').to_string()
}

/// Parses a scenario file's text.
pub(crate) fn parse(text: &str) -> Result<Scenario, String> {
    let mut sc = Scenario {
        anchors: Vec::new(),
        now: None,
        stub: None,
        ranges: Vec::new(),
        checks: Vec::new(),
        unparsed: 0,
    };
    let mut lines = text.lines();
    // Configuration.
    for line in lines.by_ref() {
        let l = line.trim();
        if l.starts_with("CONFIG_END") {
            break;
        }
        if l.starts_with(';') || l.starts_with('#') {
            continue;
        }
        let Some((k, v)) = l.split_once(':') else {
            continue;
        };
        match k.trim() {
            "trust-anchor" => sc.anchors.push(unquote(v)),
            "val-override-date" => {
                sc.now = Some(text::parse_time(&unquote(v)).map_err(|e| format!("date: {e}"))?)
            }
            "val-override-timestamp" => {
                sc.now = Some(unquote(v).parse().map_err(|_| "bad timestamp")?)
            }
            "stub-addr" if sc.stub.is_none() => {
                sc.stub = Some(unquote(v).split('@').next().unwrap_or("").to_string());
            }
            _ => {}
        }
    }
    let mut range: Option<Range> = None;
    let mut entry: Option<Entry> = None;
    let mut section = 0usize;
    let mut pending: Option<(u32, &str)> = None;
    let mut elapsed = 0u64;
    let mut query: Option<(u32, u64, Entry)> = None;
    let mut rr_text = String::new();
    let mut depth = 0i32;
    for raw in lines {
        let line = strip_comment(raw);
        let l = line.trim();
        if l.is_empty() {
            continue;
        }
        let words: Vec<&str> = l.split_whitespace().collect();
        if let Some(e) = entry.as_mut() {
            if depth > 0 {
                rr_text.push(' ');
                rr_text.push_str(l);
                depth += l.matches('(').count() as i32 - l.matches(')').count() as i32;
                if depth <= 0 {
                    push_rr(e, section, &std::mem::take(&mut rr_text), &mut sc.unparsed);
                    depth = 0;
                }
                continue;
            }
            match words[0] {
                "MATCH" => e.matches.extend(words[1..].iter().map(|s| s.to_string())),
                "ADJUST" => e.adjust.extend(words[1..].iter().map(|s| s.to_string())),
                "REPLY" => {
                    for w in &words[1..] {
                        match rcode_of(w) {
                            Some(c) => e.rcode = c,
                            None => e.flags.push(w.to_string()),
                        }
                    }
                }
                "SECTION" => {
                    section = match words.get(1).copied() {
                        Some("QUESTION") => 9,
                        Some("ANSWER") => 0,
                        Some("AUTHORITY") => 1,
                        _ => 2,
                    }
                }
                "ENTRY_END" => {
                    let done = entry.take().unwrap_or_default();
                    if let Some(r) = range.as_mut() {
                        r.entries.push(done);
                    } else if let Some((step, kind)) = pending.take() {
                        if kind == "QUERY" {
                            query = Some((step, elapsed, done));
                        } else if kind == "CHECK_ANSWER"
                            && let Some((qstep, el, q)) = query.take()
                        {
                            sc.checks.push(Check {
                                step: qstep,
                                elapsed: el,
                                query: q,
                                expected: done,
                            });
                        }
                    }
                }
                "RAW" | "HEX_ANSWER_BEGIN" | "HEX_ANSWER_END" => {}
                _ if section == 9 => {
                    let toks = text::tokens(l);
                    let name = Name::from_ascii(toks.first().map_or(".", |s| s.as_str()))?;
                    let t = toks
                        .iter()
                        .skip(1)
                        .find_map(|w| {
                            (!w.eq_ignore_ascii_case("IN"))
                                .then(|| text::type_from_str(w))
                                .flatten()
                        })
                        .unwrap_or(rtype::A);
                    e.question = Some((name, t));
                }
                _ => {
                    depth = l.matches('(').count() as i32 - l.matches(')').count() as i32;
                    if depth > 0 {
                        rr_text = l.to_string();
                    } else {
                        depth = 0;
                        push_rr(e, section, l, &mut sc.unparsed);
                    }
                }
            }
            continue;
        }
        match words[0] {
            "RANGE_BEGIN" => {
                range = Some(Range {
                    from: words.get(1).and_then(|w| w.parse().ok()).unwrap_or(0),
                    to: words
                        .get(2)
                        .and_then(|w| w.parse().ok())
                        .unwrap_or(u32::MAX),
                    addresses: Vec::new(),
                    entries: Vec::new(),
                })
            }
            "ADDRESS" => {
                if let (Some(r), Some(a)) = (range.as_mut(), words.get(1)) {
                    r.addresses.push(a.to_string());
                }
            }
            "RANGE_END" => sc.ranges.extend(range.take()),
            "ENTRY_BEGIN" => {
                entry = Some(Entry::default());
                section = 0;
            }
            "STEP" => {
                let n = words.get(1).and_then(|w| w.parse().ok()).unwrap_or(0);
                match words.get(2).copied() {
                    Some("QUERY") => pending = Some((n, "QUERY")),
                    Some("CHECK_ANSWER") => pending = Some((n, "CHECK_ANSWER")),
                    Some("TIME_PASSES") => {
                        if let Some(s) = words.iter().position(|w| *w == "ELAPSE") {
                            elapsed += words.get(s + 1).and_then(|w| w.parse().ok()).unwrap_or(0);
                        }
                    }
                    _ => pending = None,
                }
            }
            _ => {}
        }
    }
    Ok(sc)
}

fn push_rr(e: &mut Entry, section: usize, line: &str, unparsed: &mut usize) {
    match parse_rr(line, None) {
        Ok(r) if section < 3 => e.sections[section].push(r),
        Ok(_) => {}
        Err(_) => {
            e.unparsed += 1;
            *unparsed += 1;
        }
    }
}

fn write_name(w: &mut Vec<u8>, n: &Name) {
    w.extend_from_slice(n.wire());
}

/// The wire response for `entry` to the question `qname`/`qtype` with `id`.
fn wire(entry: &Entry, id: u16, qname: &Name, qtype: u16, sections: &[Vec<Record>; 3]) -> Vec<u8> {
    let mut flags: u16 = 0x8000;
    for (f, bit) in [
        ("AA", 0x0400),
        ("TC", 0x0200),
        ("RD", 0x0100),
        ("RA", 0x0080),
        ("AD", 0x0020),
    ] {
        if entry.has(f) {
            flags |= bit;
        }
    }
    flags |= entry.rcode & 0xf;
    let mut w = Vec::new();
    w.extend_from_slice(&id.to_be_bytes());
    w.extend_from_slice(&flags.to_be_bytes());
    w.extend_from_slice(&1u16.to_be_bytes());
    for s in sections {
        w.extend_from_slice(&(s.len() as u16).to_be_bytes());
    }
    write_name(&mut w, qname);
    w.extend_from_slice(&qtype.to_be_bytes());
    w.extend_from_slice(&1u16.to_be_bytes());
    for s in sections {
        for r in s {
            write_name(&mut w, &r.owner);
            w.extend_from_slice(&r.rtype.to_be_bytes());
            w.extend_from_slice(&r.class.to_be_bytes());
            w.extend_from_slice(&r.ttl.to_be_bytes());
            w.extend_from_slice(&(r.rdata.len() as u16).to_be_bytes());
            w.extend_from_slice(&r.rdata);
        }
    }
    w
}

impl Scenario {
    fn ranges_at<'a>(
        &'a self,
        step: u32,
        addr: Option<&'a str>,
    ) -> impl Iterator<Item = &'a Range> {
        self.ranges.iter().filter(move |r| {
            r.from <= step
                && step <= r.to
                && addr.is_none_or(|a| r.addresses.is_empty() || r.addresses.iter().any(|x| x == a))
        })
    }

    fn lookup<'a>(
        &'a self,
        step: u32,
        addr: Option<&'a str>,
        qname: &Name,
        qtype: u16,
    ) -> Option<&'a Entry> {
        self.ranges_at(step, addr)
            .flat_map(|r| r.entries.iter())
            .find(|e| e.matches(qname, qtype))
    }

    /// The deepest referral (NS in authority, no answer) that any entry of the server at
    /// `addr` gives for a zone cut at or above `qname`: what that server would answer for a
    /// question no entry matches.
    fn referral_for<'a>(
        &'a self,
        step: u32,
        addr: Option<&'a str>,
        qname: &Name,
    ) -> Option<&'a Entry> {
        addr?;
        self.ranges_at(step, addr)
            .flat_map(|r| r.entries.iter())
            .filter(|e| e.sections[0].is_empty() && !e.has("AA"))
            .filter_map(|e| {
                let cut = e.sections[1]
                    .iter()
                    .find(|r| r.rtype == rtype::NS && qname.is_at_or_below(&r.owner))?;
                Some((cut.owner.label_count(), e))
            })
            .max_by_key(|(n, _)| *n)
            .map(|(_, e)| e)
    }

    fn exact(&self, step: u32, qname: &Name, qtype: u16) -> Option<&Entry> {
        self.ranges_at(step, None)
            .flat_map(|r| r.entries.iter())
            .find(|e| {
                e.question.as_ref() == Some(&(qname.clone(), qtype))
                    && e.matches.iter().any(|m| m == "qname" || m == "question")
            })
    }

    fn address_of(&self, step: u32, host: &Name, referral: &Entry) -> Option<String> {
        let from_records = |recs: &[Record]| {
            recs.iter()
                .find(|r| r.owner == *host && r.rtype == rtype::A && r.rdata.len() == 4)
                .map(|r| {
                    format!(
                        "{}.{}.{}.{}",
                        r.rdata[0], r.rdata[1], r.rdata[2], r.rdata[3]
                    )
                })
        };
        from_records(&referral.sections[2]).or_else(|| {
            self.exact(step, host, rtype::A)
                .and_then(|e| from_records(&e.sections[0]))
        })
    }

    /// Answers the validator's question as a resolver would from the file's servers; `None`
    /// when no entry answers it.
    pub(crate) fn resolve(&self, step: u32, qname: &Name, qtype: u16, id: u16) -> Option<Vec<u8>> {
        let mut addr = self.stub.clone();
        for _ in 0..16 {
            let Some(e) = self
                .lookup(step, addr.as_deref(), qname, qtype)
                .or_else(|| self.referral_for(step, addr.as_deref(), qname))
            else {
                break;
            };
            let ns: Vec<&Record> = e.sections[1]
                .iter()
                .filter(|r| r.rtype == rtype::NS)
                .collect();
            let referral =
                e.sections[0].is_empty() && !ns.is_empty() && !e.has("AA") && e.rcode == 0;
            if !referral {
                return Some(wire(e, id, qname, qtype, &e.sections));
            }
            let cut = ns[0].owner.clone();
            if !qname.is_at_or_below(&cut) {
                break;
            }
            if qtype == rtype::DS && cut == *qname {
                // The parent's referral holds the DS (or its denial).
                let mut secs = e.sections.clone();
                let (ds, rest): (Vec<Record>, Vec<Record>) = secs[1].drain(..).partition(|r| {
                    r.owner == *qname
                        && (r.rtype == rtype::DS
                            || (r.rtype == rtype::RRSIG && r.covered_type() == Some(rtype::DS)))
                });
                secs[0] = ds;
                secs[1] = rest.into_iter().filter(|r| r.rtype != rtype::NS).collect();
                let mut answer = e.clone();
                answer.flags.push("AA".into());
                return Some(wire(&answer, id, qname, qtype, &secs));
            }
            let host = Name::from_wire(&ns[0].rdata).ok()?;
            let next = self.address_of(step, &host, e);
            if next.is_none() || next == addr {
                break;
            }
            addr = next;
        }
        self.exact(step, qname, qtype)
            .map(|e| wire(e, id, qname, qtype, &e.sections))
    }

    /// Whether some zone (or trust anchor) of the file uses only legacy algorithms.
    pub(crate) fn legacy_only(&self) -> bool {
        let mut algs: BTreeMap<Vec<u8>, Vec<u8>> = BTreeMap::new();
        let mut note = |r: &Record| {
            let alg = match r.rtype {
                rtype::DNSKEY if r.rdata.len() > 3 => r.rdata[3],
                rtype::DS if r.rdata.len() > 2 => r.rdata[2],
                _ => return,
            };
            algs.entry(r.owner.wire().to_vec()).or_default().push(alg);
        };
        for a in &self.anchors {
            if let Ok(r) = parse_rr(a, None) {
                note(&r);
            }
        }
        for r in self
            .ranges
            .iter()
            .flat_map(|r| &r.entries)
            .flat_map(|e| e.sections.iter().flatten())
        {
            if r.rtype == rtype::DNSKEY {
                note(r);
            }
        }
        algs.values()
            .any(|v| v.iter().all(|a| LEGACY_ALGORITHMS.contains(a)))
    }
}

/// What one check expects.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Expected {
    /// AD set.
    Secure,
    /// No AD although asked.
    Insecure,
    /// SERVFAIL.
    Bogus,
}

/// The outcome of one check.
pub(crate) enum Outcome {
    /// The validator agrees.
    Agree,
    /// Not applicable, with the reason.
    NotApplicable(&'static str),
    /// Disagreement: expected, got, detail.
    Disagree(Expected, Status, String),
}

fn expected(c: &Check) -> Result<Expected, &'static str> {
    if c.expected.rcode == 2 {
        return Ok(Expected::Bogus);
    }
    if c.expected.has("AD") {
        return Ok(Expected::Secure);
    }
    if c.query.has("CD") {
        return Err("query with CD");
    }
    if !(c.query.has("DO") || c.query.has("AD")) {
        return Err("query without DO or AD");
    }
    Ok(Expected::Insecure)
}

/// Runs one check (with `RPL_VERBOSE` set in the environment, prints each result's reason to
/// standard error).
pub(crate) fn run(sc: &Scenario, c: &Check, legacy: bool) -> Outcome {
    if c.query.has("CD") {
        return Outcome::NotApplicable("query with CD");
    }
    let want = match expected(c) {
        Ok(w) => w,
        Err(why) => return Outcome::NotApplicable(why),
    };
    if legacy && want != Expected::Insecure {
        return Outcome::NotApplicable("zone with legacy algorithms only (3/5/7)");
    }
    let Some(now) = sc.now else {
        return Outcome::NotApplicable("no clock in the file");
    };
    let mut anchors = TrustAnchors::empty();
    for a in &sc.anchors {
        if anchors.add_text(a).is_err() {
            return Outcome::NotApplicable("trust anchor does not parse");
        }
    }
    let Some((qname, qtype)) = c.query.question.clone() else {
        return Outcome::NotApplicable("query without question");
    };
    let mut v = Validator::new(anchors, now + c.elapsed);
    if v.lookup(&qname, qtype).is_err() {
        return Outcome::NotApplicable("lookup refused");
    }
    for _ in 0..64 {
        let qs = v.queries();
        if qs.is_empty() {
            break;
        }
        for q in qs {
            match sc.resolve(c.step, &q.name, q.qtype, q.message_id) {
                Some(w) => v.answer(q.message_id, &w),
                None => v.fail(q.message_id),
            }
        }
    }
    let Some(Some(res)) = v.results().into_iter().next() else {
        return Outcome::Disagree(want, Status::Indeterminate, "not finished".into());
    };
    let got = match res.status {
        Status::Secure => Expected::Secure,
        Status::Bogus => Expected::Bogus,
        Status::Insecure => Expected::Insecure,
        Status::Indeterminate if res.ede == Some(ede::DNSSEC_INDETERMINATE) => Expected::Insecure,
        Status::Indeterminate => Expected::Bogus,
    };
    if std::env::var_os("RPL_VERBOSE").is_some() {
        eprintln!(
            "    step {}: {qname} {} -> {:?} {:?} {}",
            c.step,
            text::type_to_string(qtype),
            res.status,
            res.ede,
            res.reason.clone().unwrap_or_default()
        );
    }
    if got == want {
        Outcome::Agree
    } else {
        Outcome::Disagree(
            want,
            res.status,
            format!(
                "{} {}: {} (EDE {:?})",
                qname,
                text::type_to_string(qtype),
                res.reason.unwrap_or_default(),
                res.ede
            ),
        )
    }
}
