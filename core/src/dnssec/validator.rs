//! The sans-IO validator: questions out, wire responses in, a security status per lookup.
//!
//! # How a host (the planner) drives it
//!
//! 1. [`Validator::new`] with the trust anchors and the host's `now` (seconds since 1970).
//! 2. [`Validator::lookup`] for each question whose answer must be validated (e.g. the SRV
//!    questions of a plan).
//! 3. Loop: [`Validator::queries`] gives the questions to send now (each a ready wire query with
//!    RD, CD and EDNS DO set, and a message ID); the host sends them to its resolver (any
//!    transport) and hands each response back with [`Validator::answer`] (or
//!    [`Validator::fail`] when none came). When [`Validator::queries`] returns nothing new and
//!    [`Validator::is_done`] is true, [`Validator::results`] gives one [`Validation`] per
//!    lookup.
//!
//! The first call to [`Validator::queries`] asks, besides the lookups' own questions, for the
//! DNSKEY RRset of the closest trust anchor and for the DS and DNSKEY RRsets of every ancestor of
//! each lookup name below it (labels starting with `_` excepted: they are never zone cuts in
//! practice). So a lookup whose answer lies in its domain's zone validates in one round trip.
//! A lookup added later gets the same first-round questions at the next call.
//! Later rounds ask only what the answers revealed: signer names of unexpected zones, CNAME /
//! DNAME targets outside the response, DS answers on the way to an unsigned name.
//!
//! The checks follow RFC 4035 §5: an RRset is secure when an RRSIG by its zone's key verifies
//! over it (RFC 4034 §6 canonical form), the zone's DNSKEY RRset is signed by a key that a DS
//! in the (secure) parent or a trust anchor matches, and so on up to an anchor. A zone is
//! insecure when its parent proves there is no DS (NSEC/NSEC3, RFC 4035 §5.2, RFC 5155 §8.9)
//! or when no DS names a supported algorithm and digest (RFC 4035 §5.2, RFC 6840 §5.2).
//! Negative answers and wildcard expansions need their denial proofs ([`super::proof`]).
//!
//! Every limit below is part of the contract: when one is hit, the lookup ends `bogus` (or
//! `indeterminate` for the question budget), it never waits or grows.

use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use super::anchor::{Anchor, TrustAnchors};
use super::key::{Dnskey, Ds};
use super::name::Name;
use super::nsec::NsecRecord;
use super::nsec3::Nsec3Record;
use super::proof::{self, DenialRecords, NoDs, Proven};
use super::rr::{self, Message, NOERROR, NXDOMAIN, RrSet, rtype};
use super::signature::{self, Rrsig, SigError};

/// Most signature verifications tried for one RRset (KeyTrap, CVE-2023-50387: colliding key
/// tags times many RRSIGs).
pub const MAX_VERIFICATIONS_PER_RRSET: usize = 4;
/// Most signature verifications in one validator (all its lookups together).
pub const MAX_VERIFICATIONS: usize = 256;
/// After this many failed verifications the validator stops verifying: every RRset still to
/// check is bogus (KeyTrap: a validator must not keep trying).
pub const MAX_FAILED_VERIFICATIONS: usize = 8;
/// Most DS records in a DS RRset.
pub const MAX_DS_RECORDS: usize = 16;
/// Most DNSKEY records in a DNSKEY RRset.
pub const MAX_DNSKEY_RECORDS: usize = 32;
/// Most RRSIGs over one RRset.
pub const MAX_RRSIGS_PER_RRSET: usize = 16;
/// Most NSEC/NSEC3 RRsets read from one response.
pub const MAX_DENIAL_RRSETS: usize = 16;
/// Most labels between a trust anchor and a zone whose keys are looked up, or a name whose
/// zone cuts are walked (each label may be a zone cut: a DS question and a verification).
pub const MAX_CHAIN_LENGTH: usize = 24;
/// Most CNAME/DNAME links followed from one lookup name.
pub const MAX_CNAME_CHAIN: usize = 8;
/// Most questions one validator asks.
pub const MAX_QUESTIONS: usize = 256;
/// Most lookups one validator takes.
pub const MAX_LOOKUPS: usize = 64;

/// The limits one validator works within (defaults: the constants above). A host may lower
/// them; raising them gives up part of the protection they are for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// [`MAX_VERIFICATIONS_PER_RRSET`].
    pub verifications_per_rrset: usize,
    /// [`MAX_VERIFICATIONS`].
    pub verifications: usize,
    /// [`MAX_FAILED_VERIFICATIONS`].
    pub failed_verifications: usize,
    /// [`MAX_DS_RECORDS`].
    pub ds_records: usize,
    /// [`MAX_DNSKEY_RECORDS`].
    pub dnskey_records: usize,
    /// [`MAX_RRSIGS_PER_RRSET`].
    pub rrsigs_per_rrset: usize,
    /// [`MAX_CHAIN_LENGTH`].
    pub chain_length: usize,
    /// [`MAX_CNAME_CHAIN`].
    pub cname_chain: usize,
    /// [`MAX_QUESTIONS`].
    pub questions: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            verifications_per_rrset: MAX_VERIFICATIONS_PER_RRSET,
            verifications: MAX_VERIFICATIONS,
            failed_verifications: MAX_FAILED_VERIFICATIONS,
            ds_records: MAX_DS_RECORDS,
            dnskey_records: MAX_DNSKEY_RECORDS,
            rrsigs_per_rrset: MAX_RRSIGS_PER_RRSET,
            chain_length: MAX_CHAIN_LENGTH,
            cname_chain: MAX_CNAME_CHAIN,
            questions: MAX_QUESTIONS,
        }
    }
}

/// RFC 8914 extended DNS error codes used here.
pub mod ede {
    /// Other error.
    pub const OTHER: u16 = 0;
    /// Unsupported DNSKEY algorithm.
    pub const UNSUPPORTED_DNSKEY_ALGORITHM: u16 = 1;
    /// Unsupported DS digest type.
    pub const UNSUPPORTED_DS_DIGEST: u16 = 2;
    /// DNSSEC indeterminate.
    pub const DNSSEC_INDETERMINATE: u16 = 5;
    /// DNSSEC bogus.
    pub const DNSSEC_BOGUS: u16 = 6;
    /// Signature expired.
    pub const SIGNATURE_EXPIRED: u16 = 7;
    /// Signature not yet valid.
    pub const SIGNATURE_NOT_YET_VALID: u16 = 8;
    /// DNSKEY missing.
    pub const DNSKEY_MISSING: u16 = 9;
    /// RRSIGs missing.
    pub const RRSIGS_MISSING: u16 = 10;
    /// No zone key bit set.
    pub const NO_ZONE_KEY_BIT_SET: u16 = 11;
    /// NSEC missing.
    pub const NSEC_MISSING: u16 = 12;
    /// No reachable authority.
    pub const NO_REACHABLE_AUTHORITY: u16 = 22;
    /// Unsupported NSEC3 iterations value (RFC 9276).
    pub const UNSUPPORTED_NSEC3_ITERATIONS: u16 = 27;
}

/// The security status of a lookup (RFC 4033 §5, RFC 4035 §4.3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Status {
    /// A chain of trust from an anchor covers the whole answer (or its denial).
    Secure,
    /// Proven to lie in (or to pass through) an unsigned or unsupported zone.
    Insecure,
    /// Should be secure and is not: signatures or proofs fail.
    Bogus,
    /// No trust anchor covers the name, or the answers needed could not be obtained.
    Indeterminate,
}

/// A question for the host to send.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Query {
    /// The message ID in `wire`, used to hand the response back.
    pub message_id: u16,
    /// Query name.
    pub name: Name,
    /// Query type.
    pub qtype: u16,
    /// The query in wire format: RD and CD set, EDNS0 (1232 bytes) with DO.
    pub wire: Vec<u8>,
}

/// The outcome of one lookup.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Validation {
    /// The lookup's name.
    pub name: Name,
    /// The lookup's type.
    pub qtype: u16,
    /// Security status.
    pub status: Status,
    /// RFC 8914 extended error code (for bogus, insecure by unsupported algorithm, and
    /// indeterminate results).
    pub ede: Option<u16>,
    /// Why the status is not secure.
    pub reason: Option<String>,
    /// The response code of the last answer in the chain (NOERROR or NXDOMAIN) when known.
    pub rcode: Option<u16>,
    /// The names of the CNAME/DNAME chain followed, lookup name first.
    pub chain: Vec<Name>,
    /// The RRset of `qtype` at the end of the chain, when there is one.
    pub answer: Option<RrSet>,
}

/// Why an evaluation stopped.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Stop {
    /// This question's answer is needed.
    Need(Name, u16),
    Insecure(Option<u16>, String),
    Bogus(u16, String),
    Indeterminate(u16, String),
}

type R<T> = Result<T, Stop>;

fn bogus<T>(code: u16, why: impl Into<String>) -> R<T> {
    Err(Stop::Bogus(code, why.into()))
}

#[derive(Clone)]
struct Lookup {
    name: Name,
    qtype: u16,
    result: Option<Validation>,
}

/// The validator (see the module documentation).
#[derive(Clone)]
pub struct Validator {
    anchors: TrustAnchors,
    now: u64,
    limits: Limits,
    lookups: Vec<Lookup>,
    /// Answers by question; `None` when the question failed.
    responses: HashMap<(Name, u16), Option<Rc<Message>>>,
    /// Questions sent and not answered yet, by message ID.
    pending: HashMap<u16, (Name, u16)>,
    asked: HashSet<(Name, u16)>,
    next_id: u16,
    /// How many lookups (the first ones) have had their first-round questions asked.
    prefetched: usize,
    verifications: usize,
    failures: usize,
    key_memo: HashMap<Name, R<Rc<Vec<Dnskey>>>>,
    verify_memo: HashMap<(RrSet, Name), R<u8>>,
}

/// The wire query for `name`/`qtype` with RD, CD and EDNS DO (RFC 4035 §3.2.2, §4.6).
pub fn query_wire(name: &Name, qtype: u16, message_id: u16) -> Vec<u8> {
    let mut w = Vec::with_capacity(name.wire().len() + 28);
    w.extend_from_slice(&message_id.to_be_bytes());
    w.extend_from_slice(&[0x01, 0x10, 0, 1, 0, 0, 0, 0, 0, 1]);
    w.extend_from_slice(name.wire());
    w.extend_from_slice(&qtype.to_be_bytes());
    w.extend_from_slice(&rr::CLASS_IN.to_be_bytes());
    // OPT: root owner, type 41, payload 1232, extended RCODE 0, version 0, DO, no options.
    w.extend_from_slice(&[0, 0, 41, 0x04, 0xd0, 0, 0, 0x80, 0, 0, 0]);
    w
}

fn push_nsec(recs: &mut DenialRecords, owner: &Name, rdata: &[u8]) -> R<()> {
    let r =
        NsecRecord::from_rdata(owner.clone(), rdata).map_err(|e| Stop::Bogus(e.code, e.reason))?;
    recs.nsec.push(r);
    Ok(())
}

fn push_nsec3(recs: &mut DenialRecords, owner: &Name, rdata: &[u8]) -> R<()> {
    let r =
        Nsec3Record::from_rdata(owner.clone(), rdata).map_err(|e| Stop::Bogus(e.code, e.reason))?;
    recs.nsec3.push(r);
    Ok(())
}

fn find<'a>(sets: &'a [RrSet], owner: &Name, t: u16) -> Option<&'a RrSet> {
    sets.iter().find(|s| s.rtype == t && s.owner == *owner)
}

fn sigs_of(set: &RrSet) -> Vec<Rrsig> {
    set.sigs
        .iter()
        .filter_map(|s| Rrsig::from_rdata(s).ok())
        .collect()
}

impl Validator {
    /// A validator with these anchors, at `now` (seconds since 1970, UTC).
    pub fn new(anchors: TrustAnchors, now: u64) -> Self {
        Self::with_limits(anchors, now, Limits::default())
    }

    /// A validator with other [`Limits`].
    pub fn with_limits(anchors: TrustAnchors, now: u64, limits: Limits) -> Self {
        Self {
            anchors,
            now,
            limits,
            lookups: Vec::new(),
            responses: HashMap::new(),
            pending: HashMap::new(),
            asked: HashSet::new(),
            next_id: 1,
            prefetched: 0,
            verifications: 0,
            failures: 0,
            key_memo: HashMap::new(),
            verify_memo: HashMap::new(),
        }
    }

    /// Sets the message ID of the next query (the host may seed IDs; the core has no
    /// randomness).
    pub fn set_next_message_id(&mut self, id: u16) {
        self.next_id = id;
    }

    /// Adds a lookup to validate; returns its index in [`Validator::results`]. Beyond
    /// [`MAX_LOOKUPS`] the lookup is refused.
    pub fn lookup(&mut self, name: &Name, qtype: u16) -> Result<usize, String> {
        if self.lookups.len() >= MAX_LOOKUPS {
            return Err(format!("more than {MAX_LOOKUPS} lookups"));
        }
        self.lookups.push(Lookup {
            name: name.clone(),
            qtype,
            result: None,
        });
        Ok(self.lookups.len() - 1)
    }

    /// The name of lookup `index`, if there is one.
    pub fn lookup_name(&self, index: usize) -> Option<&Name> {
        self.lookups.get(index).map(|l| &l.name)
    }

    /// The number of signature verifications done so far.
    pub fn verifications(&self) -> usize {
        self.verifications
    }

    /// The number of questions asked so far.
    pub fn questions_asked(&self) -> usize {
        self.asked.len()
    }

    fn ask(&mut self, out: &mut Vec<Query>, name: Name, qtype: u16) {
        let key = (name, qtype);
        if self.asked.contains(&key) || self.responses.contains_key(&key) {
            return;
        }
        if self.asked.len() >= self.limits.questions {
            // Over budget: the question counts as failed.
            self.responses.insert(key, None);
            return;
        }
        let id = self.next_id;
        self.next_id = self.next_id.wrapping_add(1);
        out.push(Query {
            message_id: id,
            name: key.0.clone(),
            qtype,
            wire: query_wire(&key.0, qtype, id),
        });
        self.pending.insert(id, key.clone());
        self.asked.insert(key);
    }

    /// The first-round questions of the lookups added since the last call: each lookup's own
    /// question and the DS/DNSKEY RRsets on the way down from its anchor. A lookup added after
    /// answers came in (a planner's TLSA and address lookups of SRV targets) gets them too, so
    /// its chain of trust is asked in one round beside it.
    fn prefetch(&mut self, out: &mut Vec<Query>) {
        let names: Vec<(Name, u16)> = self.lookups[self.prefetched..]
            .iter()
            .map(|l| (l.name.clone(), l.qtype))
            .collect();
        self.prefetched = self.lookups.len();
        for (name, qtype) in names {
            self.ask(out, name.clone(), qtype);
            let Some(anchor) = self.anchors.closest(&name) else {
                continue;
            };
            self.ask(out, anchor.clone(), rtype::DNSKEY);
            let below = name.label_count().saturating_sub(anchor.label_count());
            for depth in (anchor.label_count() + 1..name.label_count()).take(below) {
                let a = name.suffix(depth);
                if a.label(0).is_some_and(|l| l.starts_with(b"_")) {
                    break;
                }
                self.ask(out, a.clone(), rtype::DS);
                self.ask(out, a, rtype::DNSKEY);
            }
        }
    }

    /// The questions to send now (none when everything asked so far is still unanswered or
    /// all lookups are done).
    pub fn queries(&mut self) -> Vec<Query> {
        let mut out = Vec::new();
        self.prefetch(&mut out);
        loop {
            let mut progressed = false;
            for i in 0..self.lookups.len() {
                if self.lookups[i].result.is_some() {
                    continue;
                }
                match self.evaluate(i) {
                    Err(Stop::Need(n, t)) => {
                        let key = (n.clone(), t);
                        if !self.asked.contains(&key) {
                            self.ask(&mut out, n, t);
                            progressed = true;
                        }
                    }
                    Ok(v) => {
                        self.lookups[i].result = Some(v);
                        progressed = true;
                    }
                    Err(stop) => {
                        let v = self.finish(i, stop, None, Vec::new());
                        self.lookups[i].result = Some(v);
                        progressed = true;
                    }
                }
            }
            if !progressed {
                break;
            }
        }
        out
    }

    /// Hands back the response to the query with `message_id`. A response that does not
    /// parse, answers another question, or is truncated (TC: the host retries over TCP first
    /// and hands in that answer) counts as a failed query.
    pub fn answer(&mut self, message_id: u16, wire: &[u8]) {
        let Some(key) = self.pending.remove(&message_id) else {
            return;
        };
        let msg = rr::parse_message(wire).ok().filter(|m| {
            m.flags & 0x8000 != 0
                && m.flags & 0x0200 == 0
                && m.id == message_id
                && m.question.as_ref() == Some(&(key.0.clone(), key.1))
        });
        self.responses.insert(key, msg.map(Rc::new));
    }

    /// Records that the query with `message_id` got no usable response.
    pub fn fail(&mut self, message_id: u16) {
        if let Some(key) = self.pending.remove(&message_id) {
            self.responses.insert(key, None);
        }
    }

    /// Whether every lookup has its result.
    pub fn is_done(&self) -> bool {
        self.lookups.iter().all(|l| l.result.is_some())
    }

    /// The results, in lookup order (`None` for lookups not finished).
    pub fn results(&self) -> Vec<Option<Validation>> {
        self.lookups.iter().map(|l| l.result.clone()).collect()
    }

    fn finish(&self, i: usize, stop: Stop, rcode: Option<u16>, chain: Vec<Name>) -> Validation {
        let l = &self.lookups[i];
        let (status, ede, reason) = match stop {
            Stop::Insecure(e, r) => (Status::Insecure, e, Some(r)),
            Stop::Bogus(e, r) => (Status::Bogus, Some(e), Some(r)),
            Stop::Indeterminate(e, r) => (Status::Indeterminate, Some(e), Some(r)),
            Stop::Need(n, t) => (
                Status::Indeterminate,
                Some(ede::DNSSEC_INDETERMINATE),
                Some(format!("unanswered {n} type {t}")),
            ),
        };
        Validation {
            name: l.name.clone(),
            qtype: l.qtype,
            status,
            ede,
            reason,
            rcode,
            chain,
            answer: None,
        }
    }

    /// The response to a question: `Need` when not asked/answered yet, `None` when failed.
    fn resp(&self, name: &Name, t: u16) -> R<Option<Rc<Message>>> {
        match self.responses.get(&(name.clone(), t)) {
            Some(m) => Ok(m
                .clone()
                .filter(|m| m.rcode == NOERROR || m.rcode == NXDOMAIN)),
            None => Err(Stop::Need(name.clone(), t)),
        }
    }

    /// Verifies `set` against `keys` of `zone`; returns the verified RRSIG's label count.
    fn verify_set(&mut self, set: &RrSet, zone: &Name, keys: &[Dnskey]) -> R<u8> {
        let memo_key = (set.clone(), zone.clone());
        if let Some(r) = self.verify_memo.get(&memo_key) {
            return r.clone();
        }
        let r = self.verify_set_uncached(set, zone, keys);
        self.verify_memo.insert(memo_key, r.clone());
        r
    }

    fn verify_set_uncached(&mut self, set: &RrSet, zone: &Name, keys: &[Dnskey]) -> R<u8> {
        let what = format!("{} {}", set.owner, super::text::type_to_string(set.rtype));
        if set.sigs.is_empty() {
            return bogus(ede::RRSIGS_MISSING, format!("no RRSIG over {what}"));
        }
        if set.sigs.len() > self.limits.rrsigs_per_rrset {
            return bogus(
                ede::DNSSEC_BOGUS,
                format!(
                    "{} RRSIGs over {what} (at most {lim})",
                    set.sigs.len(),
                    lim = self.limits.rrsigs_per_rrset
                ),
            );
        }
        let mut attempts = 0;
        let mut worst: Option<SigError> = None;
        for sig in sigs_of(set) {
            if sig.signer != *zone {
                continue;
            }
            if let Err(e) = signature::check_fields(set, &sig, self.now) {
                worst.get_or_insert(e);
                continue;
            }
            let data = signature::signed_data(set, &sig);
            for key in keys.iter().filter(|k| signature::key_fits(&sig, zone, k)) {
                if self.failures >= self.limits.failed_verifications {
                    return bogus(
                        ede::DNSSEC_BOGUS,
                        format!(
                            "verification stopped after {lim} failures \
                             (checking {what})",
                            lim = self.limits.failed_verifications
                        ),
                    );
                }
                if attempts >= self.limits.verifications_per_rrset
                    || self.verifications >= self.limits.verifications
                {
                    return bogus(
                        ede::DNSSEC_BOGUS,
                        format!("signature verification budget exhausted at {what}"),
                    );
                }
                attempts += 1;
                self.verifications += 1;
                match signature::verify_raw(key, &data, &sig.signature) {
                    Ok(()) => return Ok(sig.labels),
                    Err(e) => {
                        self.failures += 1;
                        worst = Some(e);
                    }
                }
            }
        }
        match worst {
            Some(e) => bogus(e.ede(), format!("{what}: {e}")),
            None => bogus(
                ede::DNSKEY_MISSING,
                format!("no key of {zone} fits the RRSIGs over {what}"),
            ),
        }
    }

    /// The validated, usable DNSKEYs of `set` at `zone`, given the keys trusted to sign it.
    fn accept_keyset(
        &mut self,
        zone: &Name,
        set: &RrSet,
        trusted: &[Dnskey],
    ) -> R<Rc<Vec<Dnskey>>> {
        self.verify_set(set, zone, trusted)?;
        let keys: Vec<Dnskey> = set
            .rdatas
            .iter()
            .filter_map(|r| Dnskey::from_rdata(r).ok())
            .filter(|k| k.usable_for_zone() && signature::algorithm_supported(k.algorithm))
            .collect();
        Ok(Rc::new(keys))
    }

    fn dnskey_set(&self, zone: &Name) -> R<RrSet> {
        let Some(m) = self.resp(zone, rtype::DNSKEY)? else {
            return bogus(ede::DNSKEY_MISSING, format!("no DNSKEY answer for {zone}"));
        };
        let sets = rr::rrsets(&m.answer);
        let Some(set) = find(&sets, zone, rtype::DNSKEY) else {
            return bogus(ede::DNSKEY_MISSING, format!("no DNSKEY RRset at {zone}"));
        };
        if set.rdatas.len() > self.limits.dnskey_records {
            return bogus(
                ede::DNSSEC_BOGUS,
                format!(
                    "{} DNSKEYs at {zone} (at most {lim})",
                    set.rdatas.len(),
                    lim = self.limits.dnskey_records
                ),
            );
        }
        Ok(set.clone())
    }

    /// The zone keys of an anchored zone.
    fn anchor_keys(&mut self, zone: &Name) -> R<Rc<Vec<Dnskey>>> {
        let anchors: Vec<Anchor> = self.anchors.of(zone).cloned().collect();
        let supported = anchors.iter().any(|a| match a {
            Anchor::Ds(d) => d.digest_supported() && signature::algorithm_supported(d.algorithm),
            Anchor::Key(k) => signature::algorithm_supported(k.algorithm),
        });
        if !supported {
            return Err(Stop::Insecure(
                Some(ede::UNSUPPORTED_DNSKEY_ALGORITHM),
                format!("the trust anchors of {zone} use only unsupported algorithms or digests"),
            ));
        }
        let set = self.dnskey_set(zone)?;
        let trusted: Vec<Dnskey> = set
            .rdatas
            .iter()
            .filter_map(|r| Dnskey::from_rdata(r).ok())
            .filter(|k| k.usable_for_zone() && signature::algorithm_supported(k.algorithm))
            .filter(|k| {
                anchors.iter().any(|a| match a {
                    Anchor::Ds(d) => d.matches(zone, k) == Some(true),
                    Anchor::Key(t) => t.algorithm == k.algorithm && t.public_key == k.public_key,
                })
            })
            .collect();
        if trusted.is_empty() {
            return bogus(
                ede::DNSKEY_MISSING,
                format!("no DNSKEY of {zone} matches its trust anchor"),
            );
        }
        self.accept_keyset(zone, &set, &trusted)
    }

    /// The zone keys of `zone`, from a trust anchor or the DS RRset in its parent.
    fn keys(&mut self, zone: &Name, depth: usize) -> R<Rc<Vec<Dnskey>>> {
        if let Some(r) = self.key_memo.get(zone) {
            return r.clone();
        }
        let r = self.keys_uncached(zone, depth);
        if !matches!(r, Err(Stop::Need(..))) {
            self.key_memo.insert(zone.clone(), r.clone());
        }
        r
    }

    fn keys_uncached(&mut self, zone: &Name, depth: usize) -> R<Rc<Vec<Dnskey>>> {
        if self.anchors.of(zone).next().is_some() {
            return self.anchor_keys(zone);
        }
        let Some(anchor) = self.anchors.closest(zone) else {
            return Err(Stop::Indeterminate(
                ede::DNSSEC_INDETERMINATE,
                format!("no trust anchor covers {zone}"),
            ));
        };
        if depth > self.limits.chain_length
            || zone.label_count() - anchor.label_count() > self.limits.chain_length
        {
            return bogus(
                ede::DNSSEC_BOGUS,
                format!(
                    "chain of trust to {zone} longer than {lim} labels below its anchor",
                    lim = self.limits.chain_length
                ),
            );
        }
        // An anchor that is unusable (unsupported algorithm) or bogus decides everything below.
        self.keys(&anchor, depth + 1)?;
        let Some(m) = self.resp(zone, rtype::DS)? else {
            return bogus(ede::DNSSEC_BOGUS, format!("no DS answer for {zone}"));
        };
        let sets = rr::rrsets(&m.answer);
        if let Some(ds_set) = find(&sets, zone, rtype::DS).cloned() {
            if ds_set.rdatas.len() > self.limits.ds_records {
                return bogus(
                    ede::DNSSEC_BOGUS,
                    format!(
                        "{} DS at {zone} (at most {lim})",
                        ds_set.rdatas.len(),
                        lim = self.limits.ds_records
                    ),
                );
            }
            let parent = sigs_of(&ds_set)
                .into_iter()
                .map(|s| s.signer)
                .find(|s| zone.is_at_or_below(s) && s != zone && s.is_at_or_below(&anchor));
            let Some(parent) = parent else {
                self.insecure_above(zone)?;
                return bogus(
                    ede::RRSIGS_MISSING,
                    format!("DS of {zone} not signed by a parent"),
                );
            };
            let pkeys = self.keys(&parent, depth + 1)?;
            self.verify_set(&ds_set, &parent, &pkeys)?;
            return self.keys_from_ds(zone, &ds_set);
        }
        // No DS: the parent must prove it, and then the zone is insecure.
        let (parent, recs) = match self.denial(&m, zone, depth)? {
            Some(d) => d,
            None => {
                self.insecure_above(zone)?;
                return bogus(
                    ede::NSEC_MISSING,
                    format!("no DS for {zone} and no proof of its absence"),
                );
            }
        };
        if parent == *zone {
            return bogus(
                ede::DNSSEC_BOGUS,
                format!("the DS denial for {zone} comes from the zone itself, not its parent"),
            );
        }
        match proof::no_ds(zone, &parent, &recs) {
            Ok(NoDs::InsecureDelegation) => Err(Stop::Insecure(
                None,
                format!("{zone} is an unsigned delegation (no DS, proven)"),
            )),
            Ok(NoDs::Insecure(code, why)) => Err(Stop::Insecure(code, why)),
            Ok(NoDs::NotACut) | Ok(NoDs::NoName) => bogus(
                ede::DNSSEC_BOGUS,
                format!("{zone} signs records but is not a zone cut"),
            ),
            Err((code, e)) => bogus(code, format!("DS denial for {zone}: {e}")),
        }
    }

    fn keys_from_ds(&mut self, zone: &Name, ds_set: &RrSet) -> R<Rc<Vec<Dnskey>>> {
        let ds: Vec<Ds> = ds_set
            .rdatas
            .iter()
            .filter_map(|r| Ds::from_rdata(r).ok())
            .collect();
        let mut usable: Vec<&Ds> = ds
            .iter()
            .filter(|d| d.digest_supported() && signature::algorithm_supported(d.algorithm))
            .collect();
        // RFC 4509 §3: with a SHA-256 (or stronger) DS present, SHA-1 ones are ignored.
        if usable.iter().any(|d| d.digest_type != 1) {
            usable.retain(|d| d.digest_type != 1);
        }
        if usable.is_empty() {
            let code = if ds.iter().any(|d| !d.digest_supported()) {
                ede::UNSUPPORTED_DS_DIGEST
            } else {
                ede::UNSUPPORTED_DNSKEY_ALGORITHM
            };
            return Err(Stop::Insecure(
                Some(code),
                format!("no DS of {zone} has a supported algorithm and digest"),
            ));
        }
        let set = self.dnskey_set(zone)?;
        let trusted: Vec<Dnskey> = set
            .rdatas
            .iter()
            .filter_map(|r| Dnskey::from_rdata(r).ok())
            .filter(|k| k.usable_for_zone())
            .filter(|k| usable.iter().any(|d| d.matches(zone, k) == Some(true)))
            .collect();
        if trusted.is_empty() {
            return bogus(
                ede::DNSKEY_MISSING,
                format!("no DNSKEY of {zone} matches its DS"),
            );
        }
        self.accept_keyset(zone, &set, &trusted)
    }

    /// The NSEC/NSEC3 RRsets in `m`'s authority section, verified; with their signer. `None`
    /// when there are none.
    fn denial(
        &mut self,
        m: &Message,
        near: &Name,
        depth: usize,
    ) -> R<Option<(Name, DenialRecords)>> {
        let sets: Vec<RrSet> = rr::rrsets(&m.authority)
            .into_iter()
            .filter(|s| s.rtype == rtype::NSEC || s.rtype == rtype::NSEC3)
            .collect();
        if sets.is_empty() {
            return Ok(None);
        }
        if sets.len() > MAX_DENIAL_RRSETS {
            return bogus(
                ede::DNSSEC_BOGUS,
                format!(
                    "{} NSEC/NSEC3 RRsets (at most {MAX_DENIAL_RRSETS})",
                    sets.len()
                ),
            );
        }
        let mut signer: Option<Name> = None;
        for s in &sets {
            for sig in sigs_of(s) {
                if s.owner.is_at_or_below(&sig.signer)
                    && signer
                        .as_ref()
                        .is_none_or(|z| sig.signer.label_count() > z.label_count())
                {
                    signer = Some(sig.signer);
                }
            }
        }
        let Some(zone) = signer else {
            self.insecure_above(near)?;
            return bogus(
                ede::RRSIGS_MISSING,
                format!("unsigned NSEC/NSEC3 near {near}"),
            );
        };
        let keys = self.keys(&zone, depth + 1)?;
        let mut recs = DenialRecords::default();
        for s in &sets {
            if !s.owner.is_at_or_below(&zone) {
                continue;
            }
            self.verify_set(s, &zone, &keys)?;
            let list = if s.rtype == rtype::NSEC {
                push_nsec
            } else {
                push_nsec3
            };
            for r in &s.rdatas {
                list(&mut recs, &s.owner, r)?;
            }
        }
        Ok(Some((zone, recs)))
    }

    /// Walks from the closest trust anchor down to `target`, one label at a time, through the
    /// DS answers. `Err(Insecure)` when an unsigned delegation (or unsupported algorithm) is
    /// proven on the way; `Ok(())` when `target` lies in a secure zone.
    fn insecure_above(&mut self, target: &Name) -> R<()> {
        let Some(anchor) = self.anchors.closest(target) else {
            return Err(Stop::Indeterminate(
                ede::DNSSEC_INDETERMINATE,
                format!("no trust anchor covers {target}"),
            ));
        };
        self.keys(&anchor, 0)?;
        let mut zone = anchor.clone();
        let steps = target.label_count() - anchor.label_count();
        if steps > self.limits.chain_length {
            return bogus(
                ede::DNSSEC_BOGUS,
                format!(
                    "{target} lies more than {lim} labels below its anchor",
                    lim = self.limits.chain_length
                ),
            );
        }
        for depth in anchor.label_count() + 1..=target.label_count() {
            let a = target.suffix(depth);
            let Some(m) = self.resp(&a, rtype::DS)? else {
                return bogus(ede::DNSSEC_BOGUS, format!("no DS answer for {a}"));
            };
            let sets = rr::rrsets(&m.answer);
            if find(&sets, &a, rtype::DS).is_some() {
                self.keys(&a, 0)?;
                zone = a;
                continue;
            }
            if let Some(c) = find(&sets, &a, rtype::CNAME).cloned() {
                // A CNAME owner is no zone cut, and nothing exists below it.
                let keys = self.keys(&zone, 0)?;
                self.verify_set(&c, &zone, &keys)?;
                return Ok(());
            }
            match self.denial(&m, &a, 0)? {
                Some((signer, recs)) if signer != a => match proof::no_ds(&a, &signer, &recs) {
                    Ok(NoDs::InsecureDelegation) => {
                        return Err(Stop::Insecure(
                            None,
                            format!("{a} is an unsigned delegation (no DS, proven)"),
                        ));
                    }
                    Ok(NoDs::Insecure(code, why)) => return Err(Stop::Insecure(code, why)),
                    Ok(NoDs::NotACut) => {}
                    Ok(NoDs::NoName) => return Ok(()),
                    Err((code, e)) => {
                        return bogus(code, format!("DS denial for {a}: {e}"));
                    }
                },
                Some(_) => {
                    // Answered by the child zone: `a` is a cut; its keys decide.
                    self.keys(&a, 0)?;
                    zone = a;
                }
                None => {
                    return bogus(
                        ede::NSEC_MISSING,
                        format!("no DS for {a} in the secure zone {zone}, and no proof"),
                    );
                }
            }
        }
        Ok(())
    }

    /// Validates a positive RRset taken from `m`; `Ok` when secure.
    fn positive(&mut self, set: &RrSet, m: &Message) -> R<()> {
        let signer = sigs_of(set)
            .into_iter()
            .map(|s| s.signer)
            .filter(|s| set.owner.is_at_or_below(s))
            .max_by_key(Name::label_count);
        let Some(zone) = signer else {
            self.insecure_above(&set.owner)?;
            return bogus(
                ede::RRSIGS_MISSING,
                format!(
                    "no RRSIG over {} {}",
                    set.owner,
                    super::text::type_to_string(set.rtype)
                ),
            );
        };
        let keys = self.keys(&zone, 0)?;
        let labels = self.verify_set(set, &zone, &keys)?;
        if usize::from(labels) < set.owner.rrsig_labels() {
            // Wildcard expansion: the next closer name must be proven absent.
            let recs = match self.denial(m, &set.owner, 0)? {
                Some((z, recs)) if z == zone => recs,
                _ => {
                    return bogus(
                        ede::NSEC_MISSING,
                        format!("wildcard answer for {} without a denial proof", set.owner),
                    );
                }
            };
            match proof::wildcard(&set.owner, labels, &zone, &recs) {
                Ok(Proven::Secure) => {}
                Ok(Proven::Insecure(code, why)) => return Err(Stop::Insecure(code, why)),
                Err((code, e)) => return bogus(code, format!("wildcard proof: {e}")),
            }
        }
        Ok(())
    }

    /// Validates the denial of `name`/`qtype` in `m`.
    fn negative(&mut self, name: &Name, qtype: u16, m: &Message) -> R<()> {
        let Some((zone, recs)) = self.denial(m, name, 0)? else {
            self.insecure_above(name)?;
            return bogus(
                ede::NSEC_MISSING,
                format!("no NSEC/NSEC3 proof for the negative answer at {name}"),
            );
        };
        // The SOA of a negative answer must verify too (RFC 4035 §3.1.3: it comes signed).
        let soa = rr::rrsets(&m.authority)
            .into_iter()
            .find(|s| s.rtype == rtype::SOA && s.owner == zone);
        if let Some(soa) = soa {
            let keys = self.keys(&zone, 0)?;
            self.verify_set(&soa, &zone, &keys)?;
        }
        let proven = if m.rcode == NXDOMAIN {
            proof::nxdomain(name, &zone, &recs)
        } else {
            proof::nodata(name, qtype, &zone, &recs)
        };
        match proven {
            Ok(Proven::Secure) => Ok(()),
            Ok(Proven::Insecure(code, why)) => Err(Stop::Insecure(code, why)),
            Err((code, e)) => bogus(code, format!("denial of {name}: {e}")),
        }
    }

    fn evaluate(&mut self, i: usize) -> R<Validation> {
        let (qname, qtype) = (self.lookups[i].name.clone(), self.lookups[i].qtype);
        let mut chain = vec![qname.clone()];
        let mut cur = qname.clone();
        let mut asked = qname.clone();
        // The weakest non-bogus link so far.
        let mut weak: Option<Stop> = None;
        let note = |r: R<()>, weak: &mut Option<Stop>| -> R<()> {
            match r {
                Ok(()) => Ok(()),
                Err(s @ Stop::Insecure(..)) => {
                    if weak.is_none() {
                        *weak = Some(s);
                    }
                    Ok(())
                }
                Err(s @ Stop::Indeterminate(..)) => {
                    if !matches!(weak, Some(Stop::Indeterminate(..))) {
                        *weak = Some(s);
                    }
                    Ok(())
                }
                Err(s) => Err(s),
            }
        };
        for _ in 0..=self.limits.cname_chain + 1 {
            let Some(m) = self.resp(&asked, qtype)? else {
                return Err(Stop::Indeterminate(
                    ede::NO_REACHABLE_AUTHORITY,
                    format!("no usable answer for {asked}"),
                ));
            };
            let sets = rr::rrsets(&m.answer);
            let mut answered = None;
            loop {
                if let Some(set) = find(&sets, &cur, qtype) {
                    let r = self.positive(set, &m);
                    note(r, &mut weak)?;
                    answered = Some(set.clone());
                    break;
                }
                let dname = (qtype != rtype::DNAME)
                    .then(|| {
                        sets.iter().find(|s| {
                            s.rtype == rtype::DNAME
                                && cur.label_count() > s.owner.label_count()
                                && cur.is_at_or_below(&s.owner)
                        })
                    })
                    .flatten();
                let next = if let Some(d) = dname {
                    let r = self.positive(d, &m);
                    note(r, &mut weak)?;
                    let target = d
                        .rdatas
                        .first()
                        .and_then(|r| Name::from_wire(r).ok())
                        .ok_or_else(|| Stop::Bogus(ede::OTHER, "bad DNAME data".into()))?;
                    let keep = cur.label_count() - d.owner.label_count();
                    let mut n = target;
                    for l in (0..keep).rev() {
                        let label = cur.label(l).unwrap_or_default().to_vec();
                        n = n.prepend(&label).map_err(|e| {
                            Stop::Bogus(ede::OTHER, format!("DNAME substitution: {e}"))
                        })?;
                    }
                    // The CNAME synthesised beside it is unsigned: it must say what the
                    // validated DNAME says, or the answer is bogus (RFC 6672 §5.3.1).
                    if let Some(c) = find(&sets, &cur, rtype::CNAME)
                        && c.rdatas
                            .iter()
                            .any(|r| Name::from_wire(r).ok() != Some(n.clone()))
                    {
                        return bogus(
                            ede::DNSSEC_BOGUS,
                            format!(
                                "the CNAME at {cur} does not match the DNAME at {} (RFC 6672 §5.3.1)",
                                d.owner
                            ),
                        );
                    }
                    n
                } else if let Some(c) = (qtype != rtype::CNAME)
                    .then(|| find(&sets, &cur, rtype::CNAME))
                    .flatten()
                {
                    let r = self.positive(c, &m);
                    note(r, &mut weak)?;
                    c.rdatas
                        .first()
                        .and_then(|r| Name::from_wire(r).ok())
                        .ok_or_else(|| Stop::Bogus(ede::OTHER, "bad CNAME data".into()))?
                } else {
                    break;
                };
                if chain.contains(&next) {
                    return bogus(ede::OTHER, format!("CNAME loop at {next}"));
                }
                if chain.len() > self.limits.cname_chain {
                    return bogus(
                        ede::OTHER,
                        format!(
                            "CNAME chain longer than {lim}",
                            lim = self.limits.cname_chain
                        ),
                    );
                }
                chain.push(next.clone());
                cur = next;
            }
            if answered.is_none() && cur != asked {
                let has_proof = m
                    .authority
                    .iter()
                    .any(|r| matches!(r.rtype, rtype::SOA | rtype::NSEC | rtype::NSEC3));
                if !has_proof && m.rcode == NOERROR {
                    // The target's answer is not in this response: ask for it.
                    asked = cur.clone();
                    continue;
                }
            }
            if answered.is_none() {
                let r = self.negative(&cur, qtype, &m);
                note(r, &mut weak)?;
            }
            let mut v = match weak {
                None => Validation {
                    name: qname.clone(),
                    qtype,
                    status: Status::Secure,
                    ede: None,
                    reason: None,
                    rcode: None,
                    chain: Vec::new(),
                    answer: None,
                },
                Some(s) => self.finish(i, s, None, Vec::new()),
            };
            v.rcode = Some(m.rcode);
            v.chain = chain;
            v.answer = answered;
            return Ok(v);
        }
        bogus(
            ede::OTHER,
            format!(
                "CNAME chain longer than {lim}",
                lim = self.limits.cname_chain
            ),
        )
    }
}

#[cfg(test)]
#[path = "validator_tests.rs"]
pub(crate) mod tests;
