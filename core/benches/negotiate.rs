//! The negotiator's worst case per MB of server data (issue 12): floods a hostile server (or
//! anyone on the path before TLS) can send, 1 MiB each, fed in one read and in 64 KiB reads,
//! until the negotiator aborts (a host stops reading then) or the data ends. Results go to
//! BENCHMARKS.md.
#![allow(missing_docs, reason = "criterion generates the entry point")]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use mailsrv::negotiate::{Negotiator, Step, TlsOutcome};
use mailsrv::{Protocol, Security};

const MIB: usize = 1 << 20;

/// A flood: its name, protocol, whether it comes after TLS, the greeting, and 1 MiB of data.
type Case = (&'static str, Protocol, bool, &'static [u8], Vec<u8>);

/// `unit` repeated to 1 MiB (whole units).
fn flood(unit: &[u8]) -> Vec<u8> {
    unit.repeat(MIB / unit.len())
}

/// Greets, then feeds `data` in reads of `read` bytes, as a host does (send, then poll), until
/// an abort or the end of the data.
fn run(protocol: Protocol, after_tls: bool, greeting: &[u8], data: &[u8], read: usize) -> Step {
    let security = if after_tls {
        Security::ImplicitTls
    } else {
        Security::Starttls
    };
    let mut n = Negotiator::new(protocol, security, "client.example");
    if after_tls {
        let _ = n.tls_established(TlsOutcome::Verified);
    }
    let mut step = n.receive(greeting);
    for chunk in std::iter::once(&[][..]).chain(data.chunks(read)) {
        if !chunk.is_empty() {
            step = n.receive(chunk);
        }
        while matches!(step, Step::Send(_)) {
            step = n.poll();
        }
        if matches!(step, Step::Abort(_)) {
            break;
        }
    }
    step
}

fn bench(c: &mut Criterion) {
    let mut long = b"* OK ".to_vec();
    long.extend(std::iter::repeat_n(b'y', 8185));
    long.extend_from_slice(b"\r\n");
    let mut keywords = b"* CAPABILITY".to_vec();
    keywords.extend(b" x".repeat(3990));
    keywords.extend_from_slice(b"\r\n");
    let cases: [Case; 5] = [
        (
            "imap-untagged-lines",
            Protocol::Imap,
            false,
            b"* OK hi\r\n",
            flood(b"* x\r\n"),
        ),
        (
            "imap-capability-atoms",
            Protocol::Imap,
            false,
            b"* OK hi\r\n",
            flood(&keywords),
        ),
        (
            "pop3-capa-lines",
            Protocol::Pop3,
            false,
            b"+OK hi\r\n+OK\r\n",
            flood(b"x\r\n"),
        ),
        (
            "smtp-ehlo-continuations",
            Protocol::Submission,
            false,
            b"220 hi\r\n",
            flood(b"250-x\r\n"),
        ),
        // The costliest data that is read to the end: 8 KiB untagged lines after TLS, 128 per
        // MiB, under the response's line cap.
        (
            "imap-long-lines-after-tls",
            Protocol::Imap,
            true,
            b"* OK hi\r\n",
            flood(&long),
        ),
    ];
    let mut group = c.benchmark_group("negotiate-1MiB");
    group.sample_size(20);
    for (name, protocol, after_tls, greeting, data) in &cases {
        for (read, label) in [(MIB, "one-read"), (64 << 10, "64KiB-reads")] {
            group.bench_function(format!("{name}/{label}"), |b| {
                b.iter(|| black_box(run(*protocol, *after_tls, greeting, data, read)))
            });
        }
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
