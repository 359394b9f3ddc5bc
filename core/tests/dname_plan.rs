//! Validated plans through a DNAME (RFC 6672; issue 14 §1, §6): the signed zones of
//! testdata/dnssec/ served offline by the zone host, which answers a name below a DNAME owner
//! with the signed DNAME, the synthesised (unsigned) CNAME and the answer at the target.
//! `_imaps._tcp.old.dname.test.` leads to `_imaps._tcp.example.test.`; `bad.dname.test.`'s
//! DNAME was changed after signing.

#![allow(clippy::unwrap_used, reason = "a failing unwrap is a failing test")]

mod common;

use hickory_proto::op::Message;
use hickory_proto::rr::rdata::{CNAME, SRV};
use hickory_proto::rr::{Name, RData, Record};
use mailsrv::zone::{Transport, ZoneHost};
use mailsrv::{
    DiagnosticCode, Discovery, DnssecSource, DnssecStatus, Options, Outcome, Plan, Trust,
};

/// Inside the signatures' window (2026-01-01 .. 2036-01-01).
const NOW: u64 = 1_811_808_000; // 2027-06-01

const ZONES: &[&str] = &[
    "root.zone",
    "test.zone",
    "dname.test.zone",
    "example.test.zone",
    "nsec3.test.zone",
];

fn host() -> ZoneHost {
    common::signed_host(ZONES)
}

fn options() -> Options {
    common::validating_srv_options(NOW)
}

/// Runs the discovery against the zone host (over TCP, so nothing truncates); `rewrite` may
/// change the response to an SRV question before the core sees it.
fn plan_with(email: &str, rewrite: impl Fn(&str, Vec<u8>) -> Vec<u8>) -> Plan {
    let h = host();
    let mut d = Discovery::new(email, options()).unwrap();
    for q in d.questions().to_vec() {
        let wire = rewrite(&q.name, h.answer(&q.wire, Transport::Tcp).unwrap());
        d.receive(q.id, &wire, None).unwrap();
    }
    loop {
        let pending = d.pending_dnssec();
        if pending.is_empty() {
            break;
        }
        for q in pending {
            let wire = h.answer(&q.wire, Transport::Tcp).unwrap();
            if d.receive_dnssec(q.message_id, &wire).unwrap() != Outcome::Records {
                d.fail_dnssec(q.message_id).unwrap();
            }
        }
    }
    let p = d.plan(1);
    assert!(p.is_final, "{p:#?}");
    p
}

fn plan(email: &str) -> Plan {
    plan_with(email, |_, wire| wire)
}

fn bogus_notes(p: &Plan) -> Vec<&str> {
    p.diagnostics
        .iter()
        .filter(|d| d.code == DiagnosticCode::DnssecBogus)
        .map(|d| d.message.as_str())
        .collect()
}

#[test]
fn d52_rfc6672_5_3_1_a_validated_plan_through_a_dname_is_dnssec_secure() {
    let p = plan("user@old.dname.test");
    let imaps = p
        .incoming
        .candidates
        .iter()
        .find(|c| c.port == 993)
        .unwrap_or_else(|| panic!("{p:#?}"));
    assert_eq!(imaps.host, "mail.example.test");
    assert_eq!(imaps.trust, Trust::DnssecSecure, "{p:#?}");
    // D9: the target host becomes a reference identity.
    assert!(
        imaps
            .reference_identities
            .iter()
            .any(|r| r.value == "mail.example.test"),
        "{imaps:#?}"
    );
    // The target's addresses were validated (D46), as every secure SRV target's are.
    assert_eq!(imaps.addresses_dnssec, Some(DnssecStatus::Secure));
    let label = p
        .lookups
        .iter()
        .find(|l| l.name == "_imaps._tcp.old.dname.test")
        .unwrap();
    assert_eq!(label.dnssec, DnssecStatus::Secure);
    assert_eq!(label.dnssec_source, DnssecSource::Validated);
    assert!(bogus_notes(&p).is_empty(), "{:#?}", p.diagnostics);
}

#[test]
fn d52_rfc4035_5_3_a_tampered_dname_is_bogus() {
    let p = plan("user@bad.dname.test");
    assert!(p.incoming.candidates.is_empty(), "{p:#?}");
    assert!(p.outgoing.candidates.is_empty(), "{p:#?}");
    let notes = bogus_notes(&p);
    assert!(
        notes
            .iter()
            .any(|n| n.contains("_imaps._tcp.bad.dname.test")),
        "{:#?}",
        p.diagnostics
    );
}

#[test]
fn d52_rfc6672_5_3_1_a_synthesised_cname_that_does_not_match_the_dname_is_bogus() {
    // An attacker puts an unsigned CNAME to a name of its own first, with SRV records there,
    // ahead of the genuine signed DNAME and the genuine signed answer at its target. A reader
    // that takes the first alias would use the attacker's records; the validator must not call
    // that secure.
    let forge = |name: &str, wire: Vec<u8>| {
        if name != "_imaps._tcp.old.dname.test" {
            return wire;
        }
        let mut m = Message::from_vec(&wire).unwrap();
        let owner = Name::from_ascii("_imaps._tcp.old.dname.test.").unwrap();
        let evil = Name::from_ascii("_imaps._tcp.evil.test.").unwrap();
        let target = Name::from_ascii("mail.evil.test.").unwrap();
        let mut answers = vec![
            Record::from_rdata(owner, 3600, RData::CNAME(CNAME(evil.clone()))),
            Record::from_rdata(evil, 3600, RData::SRV(SRV::new(0, 1, 993, target))),
        ];
        // The genuine DNAME, its RRSIG and the answer at its target, without the genuine CNAME.
        answers.extend(
            m.answers
                .iter()
                .filter(|r| !matches!(r.data, RData::CNAME(_)))
                .cloned(),
        );
        m.answers = answers;
        m.to_vec().unwrap()
    };
    let p = plan_with("user@old.dname.test", forge);
    assert!(
        !p.incoming
            .candidates
            .iter()
            .any(|c| c.host == "mail.evil.test" && c.trust == Trust::DnssecSecure),
        "{p:#?}"
    );
    assert!(
        p.incoming.candidates.iter().all(|c| c.port != 993),
        "{p:#?}"
    );
    let notes = bogus_notes(&p);
    assert!(
        notes.iter().any(|n| n.contains("does not match the DNAME")),
        "{:#?}",
        p.diagnostics
    );
}
