//! The engine against a small signed hierarchy made here with Ed25519 keys from fixed seeds
//! (deterministic signatures, no randomness): a private root `.`, `example.` below it, and
//! records in `example.`.

use std::collections::HashMap;

use ring::signature::{Ed25519KeyPair, KeyPair};

use super::*;
use crate::dnssec::key::Dnskey;
use crate::dnssec::rr::{CLASS_IN, Record};
use crate::dnssec::signature::{Rrsig, signed_data};
use crate::dnssec::text::{parse_rr, parse_time, type_bitmap};

pub(crate) const NOW: &str = "20260101000000";
pub(crate) const INCEPTION: &str = "20251201000000";
pub(crate) const EXPIRATION: &str = "20260201000000";

pub(crate) fn n(s: &str) -> Name {
    Name::from_ascii(s).unwrap()
}

pub(crate) struct Zone {
    name: Name,
    key: Ed25519KeyPair,
    dnskey: Vec<u8>,
}

impl Zone {
    pub(crate) fn new(name: &str, seed: u8) -> Self {
        let key = Ed25519KeyPair::from_seed_unchecked(&[seed; 32]).unwrap();
        let mut dnskey = vec![1, 1, 3, 15];
        dnskey.extend_from_slice(key.public_key().as_ref());
        Self {
            name: n(name),
            key,
            dnskey,
        }
    }

    fn tag(&self) -> u16 {
        crate::dnssec::key::key_tag(&self.dnskey)
    }

    pub(crate) fn dnskey_record(&self) -> Record {
        Record {
            owner: self.name.clone(),
            rtype: rtype::DNSKEY,
            class: CLASS_IN,
            ttl: 3600,
            rdata: self.dnskey.clone(),
        }
    }

    /// DS data (SHA-256) for this zone's key.
    pub(crate) fn ds_rdata(&self) -> Vec<u8> {
        let mut ctx = ring::digest::Context::new(&ring::digest::SHA256);
        ctx.update(self.name.wire());
        ctx.update(&self.dnskey);
        let mut ds = self.tag().to_be_bytes().to_vec();
        ds.extend_from_slice(&[15, 2]);
        ds.extend_from_slice(ctx.finish().as_ref());
        ds
    }

    /// An RRSIG over `records` (one RRset) with this zone's key.
    fn sign(&self, records: &[Record], labels: Option<u8>) -> Record {
        let set = &rr::rrsets(records)[0];
        let mut rdata = set.rtype.to_be_bytes().to_vec();
        rdata.push(15);
        rdata.push(labels.unwrap_or(set.owner.rrsig_labels() as u8));
        rdata.extend_from_slice(&3600u32.to_be_bytes());
        rdata.extend_from_slice(&(parse_time(EXPIRATION).unwrap() as u32).to_be_bytes());
        rdata.extend_from_slice(&(parse_time(INCEPTION).unwrap() as u32).to_be_bytes());
        rdata.extend_from_slice(&self.tag().to_be_bytes());
        rdata.extend_from_slice(self.name.wire());
        let sig = Rrsig::from_rdata(&[rdata.clone(), vec![0]].concat()).unwrap();
        let data = signed_data(
            set,
            &Rrsig {
                prefix: rdata.clone(),
                ..sig
            },
        );
        rdata.extend_from_slice(self.key.sign(&data).as_ref());
        Record {
            owner: set.owner.clone(),
            rtype: rtype::RRSIG,
            class: CLASS_IN,
            ttl: 3600,
            rdata,
        }
    }

    /// `records` followed by their RRSIG.
    pub(crate) fn signed(&self, records: Vec<Record>) -> Vec<Record> {
        let sig = self.sign(&records, None);
        let mut out = records;
        out.push(sig);
        out
    }
}

pub(crate) fn rec(text: &str) -> Record {
    parse_rr(text, None).unwrap()
}

pub(crate) fn ds_record(owner: &str, rdata: Vec<u8>) -> Record {
    Record {
        owner: n(owner),
        rtype: rtype::DS,
        class: CLASS_IN,
        ttl: 3600,
        rdata,
    }
}

pub(crate) fn nsec(owner: &str, next: &str, types: &[u16]) -> Record {
    let mut rdata = n(next).wire().to_vec();
    rdata.extend(type_bitmap(types));
    Record {
        owner: n(owner),
        rtype: rtype::NSEC,
        class: CLASS_IN,
        ttl: 3600,
        rdata,
    }
}

/// A response: rcode, answer, authority.
pub(crate) type Canned = (u16, Vec<Record>, Vec<Record>);

/// Responses by question.
#[derive(Default)]
pub(crate) struct World {
    answers: HashMap<(Name, u16), Canned>,
}

impl World {
    pub(crate) fn put(
        &mut self,
        name: &str,
        t: u16,
        rcode: u16,
        answer: Vec<Record>,
        auth: Vec<Record>,
    ) {
        self.answers.insert((n(name), t), (rcode, answer, auth));
    }

    /// Forgets the response to `name`/`t`: the question then gets none.
    pub(crate) fn remove(&mut self, name: &str, t: u16) {
        self.answers.remove(&(n(name), t));
    }

    /// `zone`'s DNSKEY RRset at its apex, signed by its own key.
    pub(crate) fn put_keys(&mut self, zone: &Zone) {
        let apex = zone.name.to_string();
        self.put(
            &apex,
            rtype::DNSKEY,
            0,
            zone.signed(vec![zone.dnskey_record()]),
            vec![],
        );
    }

    /// A secure delegation from `parent` to `child`: the child's DS signed by the parent, and
    /// the child's keys.
    pub(crate) fn delegate(&mut self, parent: &Zone, child: &Zone) {
        let apex = child.name.to_string();
        let ds = parent.signed(vec![ds_record(&apex, child.ds_rdata())]);
        self.put(&apex, rtype::DS, 0, ds, vec![]);
        self.put_keys(child);
    }

    pub(crate) fn wire(&self, q: &Query) -> Option<Vec<u8>> {
        let (rcode, an, ns) = self.answers.get(&(q.name.clone(), q.qtype))?;
        let mut w = q.message_id.to_be_bytes().to_vec();
        w.extend_from_slice(&(0x8000u16 | rcode).to_be_bytes());
        for c in [1, an.len(), ns.len(), 0] {
            w.extend_from_slice(&(c as u16).to_be_bytes());
        }
        w.extend_from_slice(q.name.wire());
        w.extend_from_slice(&q.qtype.to_be_bytes());
        w.extend_from_slice(&[0, 1]);
        for r in an.iter().chain(ns) {
            w.extend_from_slice(r.owner.wire());
            w.extend_from_slice(&r.rtype.to_be_bytes());
            w.extend_from_slice(&r.class.to_be_bytes());
            w.extend_from_slice(&r.ttl.to_be_bytes());
            w.extend_from_slice(&(r.rdata.len() as u16).to_be_bytes());
            w.extend_from_slice(&r.rdata);
        }
        Some(w)
    }
}

/// The standard world: root (seed 1) anchored by DS, `example.` (seed 2) delegated securely,
/// `_imaps._tcp.example. SRV` signed, `unsigned.example.` an insecure delegation.
fn world() -> (World, TrustAnchors, Zone, Zone) {
    let root = Zone::new(".", 1);
    let ex = Zone::new("example.", 2);
    let mut w = World::default();
    w.put_keys(&root);
    w.delegate(&root, &ex);
    w.put(
        "_imaps._tcp.example.",
        rtype::SRV,
        0,
        ex.signed(vec![rec(
            "_imaps._tcp.example. 3600 IN SRV 0 1 993 mail.example.",
        )]),
        vec![],
    );
    let mut anchors = TrustAnchors::empty();
    anchors
        .add_record(Name::root(), rtype::DS, &root.ds_rdata())
        .unwrap();
    (w, anchors, root, ex)
}

/// Runs lookups to the end; returns the results and the number of rounds.
fn run(w: &World, v: &mut Validator, lookups: &[(&str, u16)]) -> (Vec<Validation>, usize) {
    for (name, t) in lookups {
        v.lookup(&n(name), *t).unwrap();
    }
    let mut rounds = 0;
    loop {
        let qs = v.queries();
        if qs.is_empty() {
            break;
        }
        rounds += 1;
        assert!(rounds < 20, "no end");
        for q in qs {
            match w.wire(&q) {
                Some(wire) => v.answer(q.message_id, &wire),
                None => v.fail(q.message_id),
            }
        }
    }
    assert!(v.is_done());
    (
        v.results().into_iter().map(Option::unwrap).collect(),
        rounds,
    )
}

fn validator(anchors: TrustAnchors) -> Validator {
    Validator::new(anchors, parse_time(NOW).unwrap())
}

// The chain of trust is asked in the first round.
#[test]
fn d33_in_zone_srv_validates_in_one_round_trip() {
    let (w, anchors, _, _) = world();
    let mut v = validator(anchors);
    let (res, rounds) = run(&w, &mut v, &[("_imaps._tcp.example.", rtype::SRV)]);
    assert_eq!(res[0].status, Status::Secure, "{:?}", res[0].reason);
    assert_eq!(rounds, 1);
    // SRV, DNSKEY ., DS example., DNSKEY example.: the underscore labels are not asked.
    assert_eq!(v.questions_asked(), 4);
    assert!(res[0].answer.is_some());
}

#[test]
fn rfc4035_4_6_queries_carry_rd_cd_and_do() {
    let w = query_wire(&n("example."), rtype::DS, 0x1234);
    let m = rr::parse_message(&w).unwrap();
    assert_eq!(m.id, 0x1234);
    assert_eq!(m.flags & 0x0110, 0x0110, "RD and CD");
    assert_eq!(m.question, Some((n("example."), rtype::DS)));
    // The OPT record's TTL field carries DO (RFC 3225).
    assert_eq!(&w[w.len() - 6..w.len() - 2], &[0, 0, 0x80, 0]);
}

// D34: a bogus status carries its RFC 8914 code and a reason.
#[test]
fn rfc4035_5_3_tampered_answer_is_bogus_with_ede_6() {
    let (mut w, anchors, _, ex) = world();
    let mut recs = ex.signed(vec![rec(
        "_imaps._tcp.example. 3600 IN SRV 0 1 993 mail.example.",
    )]);
    recs[0] = rec("_imaps._tcp.example. 3600 IN SRV 0 1 993 evil.example.");
    w.put("_imaps._tcp.example.", rtype::SRV, 0, recs, vec![]);
    let (res, _) = run(
        &w,
        &mut validator(anchors),
        &[("_imaps._tcp.example.", rtype::SRV)],
    );
    assert_eq!(res[0].status, Status::Bogus);
    assert_eq!(res[0].ede, Some(ede::DNSSEC_BOGUS));
}

#[test]
fn rfc4035_5_3_1_expired_signatures_at_hosts_now() {
    let (w, anchors, _, _) = world();
    let mut v = Validator::new(anchors, parse_time("20260301000000").unwrap());
    let (res, _) = run(&w, &mut v, &[("_imaps._tcp.example.", rtype::SRV)]);
    assert_eq!(res[0].status, Status::Bogus);
    assert_eq!(res[0].ede, Some(ede::SIGNATURE_EXPIRED));
}

#[test]
fn rfc4035_5_unsigned_answer_in_secure_zone_is_bogus() {
    let (mut w, anchors, _, ex) = world();
    w.put(
        "mail.example.",
        rtype::A,
        0,
        vec![rec("mail.example. 3600 IN A 192.0.2.1")],
        vec![],
    );
    // DS mail.example.: NODATA proven by example.'s NSEC (no NS bit: not a cut).
    w.put(
        "mail.example.",
        rtype::DS,
        0,
        vec![],
        ex.signed(vec![nsec(
            "mail.example.",
            "z.example.",
            &[rtype::A, rtype::RRSIG, rtype::NSEC],
        )]),
    );
    let (res, _) = run(&w, &mut validator(anchors), &[("mail.example.", rtype::A)]);
    assert_eq!(res[0].status, Status::Bogus);
    assert_eq!(res[0].ede, Some(ede::RRSIGS_MISSING));
}

#[test]
fn rfc4035_5_2_proven_unsigned_delegation_is_insecure() {
    let (mut w, anchors, _, ex) = world();
    w.put(
        "www.unsigned.example.",
        rtype::A,
        0,
        vec![rec("www.unsigned.example. 3600 IN A 192.0.2.1")],
        vec![],
    );
    w.put(
        "unsigned.example.",
        rtype::DS,
        0,
        vec![],
        ex.signed(vec![nsec(
            "unsigned.example.",
            "z.example.",
            &[rtype::NS, rtype::RRSIG, rtype::NSEC],
        )]),
    );
    let (res, rounds) = run(
        &w,
        &mut validator(anchors),
        &[("www.unsigned.example.", rtype::A)],
    );
    assert_eq!(res[0].status, Status::Insecure, "{:?}", res[0].reason);
    assert_eq!(
        rounds, 1,
        "the DS of unsigned.example. is asked in the first round"
    );
}

#[test]
fn rfc4035_5_2_unsupported_ds_algorithm_is_insecure() {
    let (mut w, anchors, root, ex) = world();
    let mut ds = ex.ds_rdata();
    ds[2] = 7; // RSASHA1-NSEC3-SHA1: not implemented here
    w.put(
        "example.",
        rtype::DS,
        0,
        root.signed(vec![ds_record("example.", ds)]),
        vec![],
    );
    let (res, _) = run(
        &w,
        &mut validator(anchors),
        &[("_imaps._tcp.example.", rtype::SRV)],
    );
    assert_eq!(res[0].status, Status::Insecure);
    assert_eq!(res[0].ede, Some(ede::UNSUPPORTED_DNSKEY_ALGORITHM));
}

#[test]
fn rfc4035_5_4_nxdomain_with_nsec_is_secure() {
    let (mut w, anchors, _, ex) = world();
    w.put(
        "_imap._tcp.example.",
        rtype::SRV,
        3,
        vec![],
        [
            ex.signed(vec![nsec(
                "example.",
                "_imaps._tcp.example.",
                &[
                    rtype::SOA,
                    rtype::NS,
                    rtype::DNSKEY,
                    rtype::RRSIG,
                    rtype::NSEC,
                ],
            )]),
            ex.signed(vec![nsec(
                "_imaps._tcp.example.",
                "example.",
                &[rtype::SRV, rtype::RRSIG, rtype::NSEC],
            )]),
        ]
        .concat(),
    );
    let (res, _) = run(
        &w,
        &mut validator(anchors),
        &[("_imap._tcp.example.", rtype::SRV)],
    );
    assert_eq!(res[0].status, Status::Secure, "{:?}", res[0].reason);
    assert_eq!(res[0].rcode, Some(3));
}

#[test]
fn no_anchor_is_indeterminate() {
    let (w, _, _, _) = world();
    let anchors = TrustAnchors::parse("other. DS 1 8 2 00").unwrap();
    let (res, _) = run(
        &w,
        &mut validator(anchors),
        &[("_imaps._tcp.example.", rtype::SRV)],
    );
    assert_eq!(res[0].status, Status::Indeterminate);
    assert_eq!(res[0].ede, Some(ede::DNSSEC_INDETERMINATE));
}

#[test]
fn cname_to_another_name_is_followed_and_validated() {
    let (mut w, anchors, _, ex) = world();
    w.put(
        "alias.example.",
        rtype::SRV,
        0,
        ex.signed(vec![rec(
            "alias.example. 3600 IN CNAME _imaps._tcp.example.",
        )]),
        vec![],
    );
    let (res, rounds) = run(
        &w,
        &mut validator(anchors),
        &[("alias.example.", rtype::SRV)],
    );
    assert_eq!(res[0].status, Status::Secure, "{:?}", res[0].reason);
    assert_eq!(res[0].chain.len(), 2);
    assert_eq!(
        rounds, 2,
        "the target's answer was not in the response: one more round"
    );
}

/// A world where `x0.example.` CNAMEs to `x1` … `x{len}`, the last holding an A record, all
/// in one response.
fn cname_chain(len: usize) -> (World, TrustAnchors) {
    let (mut w, anchors, _, ex) = world();
    let mut answer = Vec::new();
    for i in 0..len {
        answer.extend(ex.signed(vec![rec(&format!(
            "x{i}.example. 3600 IN CNAME x{}.example.",
            i + 1
        ))]));
    }
    answer.extend(ex.signed(vec![rec(&format!("x{len}.example. 3600 IN A 192.0.2.1"))]));
    w.put("x0.example.", rtype::A, 0, answer, vec![]);
    (w, anchors)
}

#[test]
fn limit_cname_chain_is_bounded() {
    let (w, anchors) = cname_chain(MAX_CNAME_CHAIN);
    let (res, _) = run(&w, &mut validator(anchors), &[("x0.example.", rtype::A)]);
    assert_eq!(res[0].status, Status::Secure, "{:?}", res[0].reason);
    let (w, anchors) = cname_chain(MAX_CNAME_CHAIN + 1);
    let (res, _) = run(&w, &mut validator(anchors), &[("x0.example.", rtype::A)]);
    assert_eq!(res[0].status, Status::Bogus);
    assert!(
        res[0]
            .reason
            .as_deref()
            .unwrap_or("")
            .contains("CNAME chain"),
        "{:?}",
        res[0].reason
    );
}

#[test]
fn cname_loop_is_bogus() {
    let (mut w, anchors, _, ex) = world();
    let answer = [
        ex.signed(vec![rec("a.example. 3600 IN CNAME b.example.")]),
        ex.signed(vec![rec("b.example. 3600 IN CNAME a.example.")]),
    ]
    .concat();
    w.put("a.example.", rtype::A, 0, answer, vec![]);
    let (res, _) = run(&w, &mut validator(anchors), &[("a.example.", rtype::A)]);
    assert_eq!(res[0].status, Status::Bogus);
    assert!(res[0].reason.as_deref().unwrap_or("").contains("loop"));
}

/// `count` RRSIGs over the SRV RRset, each naming example.'s key, all with wrong signatures.
fn keytrap_world(count: usize) -> (World, TrustAnchors) {
    let (mut w, anchors, _, ex) = world();
    let srv = rec("_imaps._tcp.example. 3600 IN SRV 0 1 993 mail.example.");
    let good = ex.sign(std::slice::from_ref(&srv), None);
    let mut recs = vec![srv];
    for i in 0..count {
        let mut bad = good.clone();
        let last = bad.rdata.len() - 1 - i;
        bad.rdata[last] ^= 0x55;
        recs.push(bad);
    }
    w.put("_imaps._tcp.example.", rtype::SRV, 0, recs, vec![]);
    (w, anchors)
}

// D35: the validator limits are part of the contract.
#[test]
fn limit_keytrap_verifications_per_rrset() {
    // 3 verifications for the chain (DNSKEY ., DS example., DNSKEY example.), then at most
    // MAX_VERIFICATIONS_PER_RRSET for the SRV set with 10 bad signatures.
    let (w, anchors) = keytrap_world(10);
    let limits = Limits {
        failed_verifications: 100,
        ..Limits::default()
    };
    let mut v = Validator::with_limits(anchors, parse_time(NOW).unwrap(), limits);
    let (res, _) = run(&w, &mut v, &[("_imaps._tcp.example.", rtype::SRV)]);
    assert_eq!(res[0].status, Status::Bogus);
    assert_eq!(v.verifications(), 3 + MAX_VERIFICATIONS_PER_RRSET);
}

#[test]
fn limit_keytrap_stop_after_failures() {
    // Ten lookups, each answered with a bad signature: verification stops after
    // MAX_FAILED_VERIFICATIONS failures in all.
    let (mut w, anchors, _, ex) = world();
    let mut lookups = Vec::new();
    let names: Vec<String> = (0..10).map(|i| format!("h{i}.example.")).collect();
    for name in &names {
        let a = rec(&format!("{name} 3600 IN A 192.0.2.1"));
        let mut sig = ex.sign(std::slice::from_ref(&a), None);
        let last = sig.rdata.len() - 1;
        sig.rdata[last] ^= 1;
        w.put(name, rtype::A, 0, vec![a, sig], vec![]);
        lookups.push((name.as_str(), rtype::A));
    }
    let limits = Limits {
        verifications_per_rrset: 100,
        ..Limits::default()
    };
    let mut v = Validator::with_limits(anchors, parse_time(NOW).unwrap(), limits);
    let (res, _) = run(&w, &mut v, &lookups);
    assert!(res.iter().all(|r| r.status == Status::Bogus));
    assert_eq!(v.verifications(), 3 + MAX_FAILED_VERIFICATIONS);
    assert!(
        res[9].reason.as_deref().unwrap_or("").contains("stopped"),
        "{:?}",
        res[9].reason
    );
}

#[test]
fn limit_verifications_per_validator() {
    let (w, anchors, _, _) = world();
    let limits = Limits {
        verifications: 2,
        ..Limits::default()
    };
    let mut v = Validator::with_limits(anchors, parse_time(NOW).unwrap(), limits);
    let (res, _) = run(&w, &mut v, &[("_imaps._tcp.example.", rtype::SRV)]);
    assert_eq!(res[0].status, Status::Bogus);
    assert!(res[0].reason.as_deref().unwrap_or("").contains("budget"));
    assert_eq!(v.verifications(), 2);
}

#[test]
fn limit_rrsigs_per_rrset() {
    let (w, anchors) = keytrap_world(MAX_RRSIGS_PER_RRSET + 1);
    let (res, _) = run(
        &w,
        &mut validator(anchors),
        &[("_imaps._tcp.example.", rtype::SRV)],
    );
    assert!(
        res[0]
            .reason
            .as_deref()
            .unwrap_or("")
            .contains("RRSIGs over"),
        "{:?}",
        res[0].reason
    );
}

#[test]
fn limit_ds_records() {
    let (mut w, anchors, root, ex) = world();
    let mut ds: Vec<Record> = (0..MAX_DS_RECORDS)
        .map(|i| {
            let mut d = ex.ds_rdata();
            d[5] ^= i as u8 + 1;
            ds_record("example.", d)
        })
        .collect();
    ds.push(ds_record("example.", ex.ds_rdata()));
    w.put("example.", rtype::DS, 0, root.signed(ds), vec![]);
    let (res, _) = run(
        &w,
        &mut validator(anchors),
        &[("_imaps._tcp.example.", rtype::SRV)],
    );
    assert_eq!(res[0].status, Status::Bogus);
    assert!(
        res[0].reason.as_deref().unwrap_or("").contains("DS at"),
        "{:?}",
        res[0].reason
    );
}

#[test]
fn limit_dnskey_records() {
    let (mut w, anchors, _, ex) = world();
    let mut keys = vec![ex.dnskey_record()];
    for i in 0..MAX_DNSKEY_RECORDS {
        let mut k = ex.dnskey_record();
        k.rdata[5] ^= i as u8 + 1;
        keys.push(k);
    }
    w.put("example.", rtype::DNSKEY, 0, ex.signed(keys), vec![]);
    let (res, _) = run(
        &w,
        &mut validator(anchors),
        &[("_imaps._tcp.example.", rtype::SRV)],
    );
    assert_eq!(res[0].status, Status::Bogus);
    assert!(
        res[0]
            .reason
            .as_deref()
            .unwrap_or("")
            .contains("DNSKEYs at"),
        "{:?}",
        res[0].reason
    );
}

#[test]
fn limit_chain_length() {
    let (w, anchors, _, _) = world();
    let limits = Limits {
        chain_length: 0,
        ..Limits::default()
    };
    let mut v = Validator::with_limits(anchors, parse_time(NOW).unwrap(), limits);
    let (res, _) = run(&w, &mut v, &[("_imaps._tcp.example.", rtype::SRV)]);
    assert_eq!(res[0].status, Status::Bogus);
    assert!(
        res[0]
            .reason
            .as_deref()
            .unwrap_or("")
            .contains("longer than"),
        "{:?}",
        res[0].reason
    );
}

#[test]
fn limit_questions() {
    let (w, anchors, _, _) = world();
    let limits = Limits {
        questions: 2,
        ..Limits::default()
    };
    let mut v = Validator::with_limits(anchors, parse_time(NOW).unwrap(), limits);
    let (res, _) = run(&w, &mut v, &[("_imaps._tcp.example.", rtype::SRV)]);
    assert_eq!(v.questions_asked(), 2);
    assert_ne!(res[0].status, Status::Secure);
}

#[test]
fn limit_lookups() {
    let (_, anchors, _, _) = world();
    let mut v = validator(anchors);
    for _ in 0..MAX_LOOKUPS {
        v.lookup(&n("a.example."), rtype::A).unwrap();
    }
    assert!(v.lookup(&n("a.example."), rtype::A).is_err());
}

#[test]
fn responses_to_other_questions_or_ids_count_as_failed() {
    let (w, anchors, _, _) = world();
    let mut v = validator(anchors);
    v.lookup(&n("_imaps._tcp.example."), rtype::SRV).unwrap();
    loop {
        let qs = v.queries();
        if qs.is_empty() {
            break;
        }
        for q in qs {
            let wire = w.wire(&q);
            match (q.qtype, wire) {
                // The SRV answer comes back under another question: refused.
                (rtype::SRV, Some(_)) => {
                    let other = Query {
                        name: n("_pop3s._tcp.example."),
                        ..q.clone()
                    };
                    let mut w2 = World::default();
                    w2.put("_pop3s._tcp.example.", rtype::SRV, 0, vec![], vec![]);
                    v.answer(q.message_id, &w2.wire(&other).unwrap());
                }
                (_, Some(wire)) => v.answer(q.message_id, &wire),
                (_, None) => v.fail(q.message_id),
            }
        }
    }
    let r = v.results()[0].clone().unwrap();
    assert_eq!(r.status, Status::Indeterminate);
    assert_eq!(r.ede, Some(ede::NO_REACHABLE_AUTHORITY));
}

#[test]
fn dnskey_anchor_in_presentation_format() {
    let (w, _, root, _) = world();
    use base64ct::{Base64, Encoding};
    let text = format!(
        ". IN DNSKEY 257 3 15 {}",
        Base64::encode_string(&root.dnskey[4..])
    );
    let anchors = TrustAnchors::parse(&text).unwrap();
    let (res, _) = run(
        &w,
        &mut validator(anchors),
        &[("_imaps._tcp.example.", rtype::SRV)],
    );
    assert_eq!(res[0].status, Status::Secure, "{:?}", res[0].reason);
    let _ = Dnskey::from_rdata(&root.dnskey).unwrap();
}

#[test]
fn truncated_responses_count_as_failed() {
    let (w, anchors, _, _) = world();
    let mut v = validator(anchors);
    v.lookup(&n("_imaps._tcp.example."), rtype::SRV).unwrap();
    loop {
        let qs = v.queries();
        if qs.is_empty() {
            break;
        }
        for q in qs {
            match w.wire(&q) {
                Some(mut wire) => {
                    if q.qtype == rtype::SRV {
                        wire[2] |= 0x02; // TC
                    }
                    v.answer(q.message_id, &wire);
                }
                None => v.fail(q.message_id),
            }
        }
    }
    let r = v.results()[0].clone().unwrap();
    assert_eq!(r.status, Status::Indeterminate);
    assert_eq!(r.ede, Some(ede::NO_REACHABLE_AUTHORITY));
}
