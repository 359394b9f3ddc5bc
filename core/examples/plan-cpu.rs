//! CPU time per plan, native: what BENCHMARKS.md compares the WebAssembly builds with, measured
//! the way the JS bench measures them (CPU seconds of the process, not wall time, as the
//! machine is shared).
//!
//! ```text
//! cargo run --release -p mailsrv --example plan-cpu -- [CORPUS [PASSES]] [--json]
//! ```
//! CORPUS is the JS bench's corpus as `node bindings/js/bench/plans.js --write-corpus FILE`
//! writes it (per domain: u16 length + email, u8 count, then per answer u16 id, u16 length,
//! the wire response; big-endian); without it, the typical plan (demo.zone, six answers).
//! Each plan: `Discovery::new` (SRV only, as the WebAssembly builds), the six `receive` calls
//! and `plan`, as in the JS API. Linux only (reads /proc/self/stat). PASSES (default 20 over a
//! corpus) is the number of passes per round: 1 keeps a run short enough for
//! `valgrind --tool=callgrind`. With `--json`, each plan is also serialised as JSON text
//! (serde_json), as the Node build's `planText` does: the work `plans.js` times as "planning in
//! wasm without the hand-over".
#![allow(clippy::print_stdout, reason = "a benchmark host prints its result")]

use std::hint::black_box;

use mailsrv::zone::{Transport, ZoneHost};
use mailsrv::{Discovery, Options, Source};

type Domain = (String, Vec<(u16, Vec<u8>)>);

/// User + system CPU seconds of this process (clock ticks of 1/100 s).
fn cpu_secs() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").expect("/proc/self/stat");
    let after = &stat[stat.rfind(')').expect("comm") + 2..];
    let fields: Vec<&str> = after.split(' ').collect();
    let ticks: u64 =
        fields[11].parse::<u64>().expect("utime") + fields[12].parse::<u64>().expect("stime");
    ticks as f64 / 100.0
}

fn options() -> Options {
    Options {
        sources: vec![Source::Srv],
        ..Options::default()
    }
}

/// A cursor over the corpus file.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> &'a [u8] {
        let s = &self.bytes[self.at..self.at + n];
        self.at += n;
        s
    }

    fn u16(&mut self) -> u16 {
        let s = self.take(2);
        u16::from_be_bytes([s[0], s[1]])
    }
}

fn read_corpus(path: &str) -> Vec<Domain> {
    let bytes = std::fs::read(path).expect("corpus file");
    let mut r = Reader {
        bytes: &bytes,
        at: 0,
    };
    let mut out = Vec::new();
    while r.at < bytes.len() {
        let len = usize::from(r.u16());
        let email = String::from_utf8(r.take(len).to_vec()).expect("UTF-8 email");
        let count = r.take(1)[0];
        let mut answers = Vec::new();
        for _ in 0..count {
            let id = r.u16();
            let len = usize::from(r.u16());
            answers.push((id, r.take(len).to_vec()));
        }
        out.push((email, answers));
    }
    out
}

fn typical() -> Vec<Domain> {
    let path = format!("{}/../testdata/zones/demo.zone", env!("CARGO_MANIFEST_DIR"));
    let mut host = ZoneHost::new();
    host.add_zone(
        &std::fs::read_to_string(path).expect("zone file"),
        None,
        false,
    )
    .expect("zone parses");
    let email = "alice@example.net";
    let d = Discovery::new(email, options()).expect("valid address");
    let answers = d
        .questions()
        .iter()
        .map(|q| (q.id, host.answer(&q.wire, Transport::Tcp).expect("answer")))
        .collect();
    vec![(email.to_owned(), answers)]
}

fn pass(domains: &[Domain], seed: u64, json: bool) -> usize {
    let mut n = 0;
    for (email, answers) in domains {
        let mut d = Discovery::new(email, options()).expect("valid address");
        for (id, bytes) in answers {
            d.receive(*id, bytes, None)
                .expect("the answer to its question");
        }
        let plan = d.plan(seed);
        n += plan.lookups.len();
        if json {
            let mut text = Vec::with_capacity(8192);
            serde_json::to_writer(&mut text, &plan).expect("a plan serialises");
            n += black_box(text).len();
        }
        black_box(plan);
    }
    n
}

fn main() {
    let json = std::env::args().any(|a| a == "--json");
    let args: Vec<String> = std::env::args().skip(1).filter(|a| a != "--json").collect();
    let corpus = args.first().cloned();
    let domains = corpus.as_deref().map_or_else(typical, read_corpus);
    // About 2 s of CPU per round, 7 rounds, the median.
    let per_round = match args.get(1) {
        Some(n) => n.parse().expect("PASSES: a number"),
        None if corpus.is_some() => 20,
        None => 100_000,
    };
    let mut sink = pass(&domains, 0, json);
    let mut rounds = Vec::new();
    for r in 0..7 {
        let start = cpu_secs();
        for i in 0..per_round {
            sink += pass(&domains, r * 1000 + i, json);
        }
        let plans = (per_round as usize * domains.len()) as f64;
        rounds.push((cpu_secs() - start) / plans * 1e6);
    }
    rounds.sort_by(f64::total_cmp);
    let mut what = corpus.map_or("typical plan (demo.zone)".to_owned(), |c| {
        format!("{} domains of {c}", domains.len())
    });
    if json {
        what.push_str(", with its JSON text");
    }
    println!(
        "native, {what}: {:.2} µs CPU per plan (median of 7 rounds; {sink} lookups)",
        rounds[3]
    );
}
