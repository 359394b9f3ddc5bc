//! Planning speed: a typical six-answer domain and a 64-record domain (answers pre-built, so
//! only parsing and planning are measured). Results go to BENCHMARKS.md.
#![allow(missing_docs, reason = "criterion generates the entry point")]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use mailsrv::zone::{Transport, ZoneHost};
use mailsrv::{Discovery, Options};

fn responses(zone: &str, email: &str) -> Vec<(u16, Vec<u8>)> {
    let path = format!("{}/../testdata/zones/{zone}", env!("CARGO_MANIFEST_DIR"));
    let mut host = ZoneHost::new();
    host.add_zone(
        &std::fs::read_to_string(path).expect("zone file"),
        None,
        false,
    )
    .expect("zone parses");
    let d = Discovery::new(email, Options::default()).expect("valid address");
    d.questions()
        .iter()
        .map(|q| (q.id, host.answer(&q.wire, Transport::Tcp).expect("answer")))
        .collect()
}

fn plan(email: &str, answers: &[(u16, Vec<u8>)], seed: u64) -> mailsrv::Plan {
    let mut d = Discovery::new(email, Options::default()).expect("valid address");
    for (id, bytes) in answers {
        d.receive(*id, bytes, None)
            .expect("answer belongs to the question");
    }
    d.plan(seed)
}

fn bench(c: &mut Criterion) {
    let typical = responses("demo.zone", "alice@example.net");
    let many = responses("many.zone", "gina@many.example");
    let mut seed = 0u64;
    c.bench_function("plan/typical-6-answers", |b| {
        b.iter(|| {
            seed += 1;
            black_box(plan("alice@example.net", &typical, seed))
        })
    });
    c.bench_function("plan/64-records", |b| {
        b.iter(|| {
            seed += 1;
            black_box(plan("gina@many.example", &many, seed))
        })
    });
    let planned = plan("alice@example.net", &typical, 1);
    c.bench_function("plan/to-json", |b| {
        b.iter(|| black_box(serde_json::to_string(&planned)))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
