//! The zone host serving the signed hierarchy of testdata/dnssec/ (issue 14): answers with DO
//! (RRSIGs; NSEC3 proofs, whose hashes cost `iterations + 1` SHA-1 digests per name) and the
//! loading of a signed zone file; and whole validated plans from it, offline (the zone host
//! answering every round, the core's validator deciding), which since issue 15 include the
//! targets' A, AAAA and TLSA lookups. Results go to BENCHMARKS.md.
#![allow(missing_docs, reason = "criterion generates the entry point")]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use hickory_proto::op::{Edns, Message, MessageType, OpCode, Query};
use hickory_proto::rr::{Name, RecordType};
use mailsrv::zone::{Transport, ZoneHost};

fn text(file: &str) -> String {
    let path = format!("{}/../testdata/dnssec/{file}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(path).expect("zone file")
}

fn query(name: &str, rtype: RecordType) -> Vec<u8> {
    let mut m = Message::new(1, MessageType::Query, OpCode::Query);
    m.add_query(Query::query(Name::from_ascii(name).expect("name"), rtype));
    let mut edns = Edns::new();
    edns.set_max_payload(1232);
    edns.set_dnssec_ok(true);
    m.set_edns(edns);
    m.to_vec().expect("query")
}

fn bench(c: &mut Criterion) {
    let mut host = ZoneHost::new();
    for f in [
        "test.zone",
        "example.test.zone",
        "nsec3.test.zone",
        "iter150.test.zone",
    ] {
        host.add_zone(&text(f), None, false).expect("zone parses");
    }
    for (id, name, rtype) in [
        (
            "zone/do-srv-nsec",
            "_imaps._tcp.example.test.",
            RecordType::SRV,
        ),
        ("zone/do-nxdomain-nsec", "nope.example.test.", RecordType::A),
        (
            "zone/do-nxdomain-nsec3-0",
            "nope.nsec3.test.",
            RecordType::A,
        ),
        (
            "zone/do-nxdomain-nsec3-150",
            "nope.iter150.test.",
            RecordType::A,
        ),
    ] {
        let q = query(name, rtype);
        c.bench_function(id, |b| {
            b.iter(|| black_box(host.answer(&q, Transport::Udp).expect("answer")))
        });
    }
    // Whole validated plans (issue 14, 15): SRV only, at a fixed `now`.
    let mut hierarchy = ZoneHost::new();
    for f in [
        "root.zone",
        "test.zone",
        "example.test.zone",
        "dane.test.zone",
        "hosting.test.zone",
    ] {
        hierarchy
            .add_zone(&text(f), None, false)
            .expect("zone parses");
    }
    let options = mailsrv::Options {
        sources: vec![mailsrv::Source::Srv],
        ..mailsrv::Options::default()
    }
    .validate_dnssec(Some(text("root.anchor")), 1_811_808_000);
    for (id, email) in [
        // In-zone targets (mail.example.test.): two labels with records.
        ("zone/validated-plan-in-zone", "alice@example.test"),
        // An out-of-domain target in another signed zone, with a DANE-EE record.
        ("zone/validated-plan-dane-ee", "alice@ee.dane.test"),
    ] {
        c.bench_function(id, |b| {
            b.iter(|| {
                let mut d = mailsrv::Discovery::new(email, options.clone()).expect("discovery");
                hierarchy.resolve(&mut d).expect("resolved");
                black_box(d.plan(1))
            })
        });
    }
    let tld = text("test.zone");
    c.bench_function("zone/load-test-zone", |b| {
        b.iter(|| {
            let mut h = ZoneHost::new();
            h.add_zone(&tld, None, false).expect("zone parses");
            black_box(h)
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
