//! Issue 12, the DNS rows: hostile 64 KB answers replayed through the core, each with its typed
//! outcome, its diagnostics and a bound on the peak heap it costs (and, for plans, on the size
//! of the plan's JSON). No time is asserted: the costs per answer are in BENCHMARKS.md.
//!
//! The binary counts heap bytes per thread with its own global allocator, so that the tests,
//! which run in parallel, each measure only their own allocations.

#![allow(
    unsafe_code,
    reason = "a counting global allocator wraps the system allocator"
)]
#![allow(clippy::unwrap_used, reason = "a failing unwrap is a failing test")]

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use mailsrv::{
    DiagnosticCode, Discovery, DnssecStatus, MinimumSecurity, Options, Outcome, Plan, Question,
    Service, SrvRecord,
};

thread_local! {
    /// Heap bytes this thread holds now, and the most it has held since [`measure`] reset it.
    static HEAP: Cell<(usize, usize)> = const { Cell::new((0, 0)) };
}

fn account(grow: usize, shrink: usize) {
    // `try_with`: the thread-local may be gone while a thread is torn down.
    let _ = HEAP.try_with(|h| {
        let (now, peak) = h.get();
        let now = (now + grow).saturating_sub(shrink);
        h.set((now, peak.max(now)));
    });
}

/// The system allocator, counting what each thread holds.
struct Counting;

// SAFETY: every call goes to the system allocator unchanged; the counting touches only a
// `const`-initialised thread-local `Cell`, which never allocates.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        account(layout.size(), 0);
        // SAFETY: the caller's contract is passed on.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        account(layout.size(), 0);
        // SAFETY: the caller's contract is passed on.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        account(0, layout.size());
        // SAFETY: the caller's contract is passed on.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        account(new_size, layout.size());
        // SAFETY: the caller's contract is passed on.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Runs `f` and gives its result and the most heap it held at once beyond what the thread held
/// before (what `f` returns included).
fn measure<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let (out, peak, _) = measure_held(f);
    (out, peak)
}

/// [`measure`], and also the heap still held when `f` returns (what it returns).
fn measure_held<T>(f: impl FnOnce() -> T) -> (T, usize, usize) {
    let start = HEAP.with(|h| {
        let (now, _) = h.get();
        h.set((now, now));
        now
    });
    let out = f();
    let (now, peak) = HEAP.with(Cell::get);
    (out, peak - start, now.saturating_sub(start))
}

const MB: usize = 1 << 20;

/// Writes `name` (dotted, absolute, no escapes) as uncompressed labels.
fn labels(m: &mut Vec<u8>, name: &str) {
    for label in name.split('.').filter(|l| !l.is_empty()) {
        m.push(u8::try_from(label.len()).unwrap());
        m.extend_from_slice(label.as_bytes());
    }
    m.push(0);
}

/// A response header for `q` (QR, RD and RA set, NOERROR) and its question; `counts` are the
/// answer, authority and additional counts. The question name is at offset 12.
fn head(q: &Question, counts: [u16; 3]) -> Vec<u8> {
    let mut m = q.message_id.to_be_bytes().to_vec();
    m.extend_from_slice(&[0x81, 0x80, 0, 1]);
    for c in counts {
        m.extend_from_slice(&c.to_be_bytes());
    }
    labels(&mut m, &q.name);
    m.extend_from_slice(&[0, 33, 0, 1]);
    m
}

/// Sets the header's record counts.
fn set_counts(m: &mut [u8], counts: [u16; 3]) {
    for (i, c) in counts.iter().enumerate() {
        m[6 + 2 * i..8 + 2 * i].copy_from_slice(&c.to_be_bytes());
    }
}

/// A compression pointer to `offset`.
fn pointer(offset: usize) -> [u8; 2] {
    (0xC000 | u16::try_from(offset).unwrap()).to_be_bytes()
}

/// One record: `owner` (wire form), type, class IN, TTL 300, then `data`.
fn record(m: &mut Vec<u8>, owner: &[u8], rtype: u16, data: &[u8]) {
    m.extend_from_slice(owner);
    m.extend_from_slice(&rtype.to_be_bytes());
    m.extend_from_slice(&[0, 1, 0, 0, 1, 44]);
    m.extend_from_slice(&u16::try_from(data.len()).unwrap().to_be_bytes());
    m.extend_from_slice(data);
}

/// Issue 12, row 2: one answer per question, 1,600 SRV records (varied priority and weight, so
/// that none is a duplicate) all with the email domain as target, and 2,000 A records of that
/// target in the additional section. Every name is a pointer into the question.
fn srv_and_address_flood(q: &Question) -> Vec<u8> {
    let mut m = head(q, [0; 3]);
    // The email domain follows the two SRV labels of the question.
    let first = q.name.split('.').next().unwrap().len();
    let domain = 12 + 1 + first + 1 + 4;
    for i in 0..1_600u16 {
        let mut data = (i % 4).to_be_bytes().to_vec();
        data.extend_from_slice(&i.to_be_bytes());
        data.extend_from_slice(&[0x03, 0xE1]);
        data.extend_from_slice(&pointer(domain));
        record(&mut m, &pointer(12), 33, &data);
    }
    for i in 0..2_000u16 {
        let [hi, lo] = i.to_be_bytes();
        record(&mut m, &pointer(domain), 1, &[192, 0, hi, lo]);
    }
    set_counts(&mut m, [1_600, 0, 2_000]);
    assert!(m.len() <= 65_535, "one TCP message: {} bytes", m.len());
    m
}

fn notes(plan: &Plan, code: DiagnosticCode) -> Vec<&str> {
    plan.diagnostics
        .iter()
        .filter(|d| d.code == code)
        .map(|d| d.message.as_str())
        .collect()
}

/// Every candidate list of the plan.
fn lists(plan: &Plan) -> Vec<&Vec<mailsrv::Candidate>> {
    let mut all = vec![&plan.incoming.candidates, &plan.outgoing.candidates];
    all.extend(plan.incoming_alternatives.iter().map(|a| &a.candidates));
    all
}

/// Feeds the flood for all six questions with `options`, and plans; gives the plan, its JSON
/// size and the peak heap of the whole discovery.
fn flood_plan(options: Options) -> (Plan, usize, usize) {
    let d = Discovery::new("user@example.net", options.clone()).unwrap();
    let answers: Vec<(u16, Vec<u8>)> = d
        .questions()
        .iter()
        .map(|q| (q.id, srv_and_address_flood(q)))
        .collect();
    assert_eq!(answers.len(), 6);
    let ((plan, json), peak) = measure(|| {
        let mut d = Discovery::new("user@example.net", options).unwrap();
        for (id, bytes) in &answers {
            assert_eq!(d.receive(*id, bytes, None).unwrap(), Outcome::Records);
        }
        let plan = d.plan(7);
        let json = serde_json::to_vec(&plan).unwrap().len();
        (plan, json)
    });
    (plan, json, peak)
}

// Issue 12 row 2 (615 MB natively and 514 MB of JSON before the caps).
#[test]
fn srv_and_address_floods_for_all_six_questions_stay_within_the_caps() {
    let (plan, json, peak) = flood_plan(Options::default());
    for lookup in &plan.lookups {
        assert_eq!(lookup.outcome, Outcome::Records);
        assert_eq!(lookup.records, 128, "{}", lookup.name);
    }
    let ignored = notes(&plan, DiagnosticCode::IgnoredRecords);
    assert_eq!(
        ignored
            .iter()
            .filter(|m| m.contains("the 1472 after the first 128"))
            .count(),
        6,
        "{ignored:?}"
    );
    assert_eq!(
        ignored
            .iter()
            .filter(|m| m.contains("1984 address record(s) beyond 16 per host"))
            .count(),
        6,
        "{ignored:?}"
    );
    // Two labels of 128 records per list: each list is cut to 128, with a diagnostic.
    for list in lists(&plan) {
        assert_eq!(list.len(), 128);
    }
    assert_eq!(
        ignored
            .iter()
            .filter(|m| m.contains("the 128 after the first 128 were left out"))
            .count(),
        3,
        "{ignored:?}"
    );
    // 16 addresses per candidate until the plan's 512 are listed; the rest list none.
    let addresses: Vec<usize> = lists(&plan)
        .iter()
        .flat_map(|l| l.iter().map(|c| c.addresses.len()))
        .collect();
    assert_eq!(addresses.iter().sum::<usize>(), 512);
    assert!(addresses[..32].iter().all(|&n| n == 16), "{addresses:?}");
    assert!(addresses[32..].iter().all(|&n| n == 0));
    assert!(
        ignored.iter().any(|m| m.contains(
            "at most 512 addresses: 352 candidate(s) list none (5632 address(es) left out)"
        )),
        "{ignored:?}"
    );
    assert!(json < 256 * 1024, "plan JSON: {json} bytes");
    assert!(peak < 4 * MB, "peak heap: {peak} bytes");
}

// Issue 12 row 2, with `--allow-cleartext` (JS failed with "Invalid string length").
#[test]
fn srv_and_address_floods_with_cleartext_allowed_stay_within_the_caps() {
    let options = Options {
        minimum_security: MinimumSecurity::Cleartext,
        ..Options::default()
    };
    let (plan, json, peak) = flood_plan(options);
    // Three lists of at most 128 candidates, whatever the cleartext fallbacks add.
    for list in lists(&plan) {
        assert_eq!(list.len(), 128);
    }
    let ignored = notes(&plan, DiagnosticCode::IgnoredRecords);
    assert_eq!(
        ignored
            .iter()
            .filter(|m| m.contains("has 384 candidates; the 256 after the first 128"))
            .count(),
        3,
        "{ignored:?}"
    );
    let total: usize = lists(&plan)
        .iter()
        .flat_map(|l| l.iter().map(|c| c.addresses.len()))
        .sum();
    assert_eq!(total, 512);
    assert!(json < 256 * 1024, "plan JSON: {json} bytes");
    assert!(peak < 4 * MB, "peak heap: {peak} bytes");
}

/// The worst plan the caps allow that we could construct: every record a distinct 252-character
/// target outside the domain, IPv6 addresses, DNSSEC-secure answers (so the target is a
/// reference identity too), cleartext allowed. Its JSON stays bounded (the case for keeping
/// the addresses in each candidate; see BENCHMARKS.md).
#[test]
fn the_largest_plan_the_caps_allow_is_bounded() {
    let options = Options {
        minimum_security: MinimumSecurity::Cleartext,
        ..Options::default()
    };
    let d = Discovery::new("user@example.net", options.clone()).unwrap();
    let answers: Vec<(u16, Vec<u8>)> = d
        .questions()
        .iter()
        .map(|q| {
            let mut m = head(q, [0; 3]);
            // A 242-octet target written once, then each other target as an 11-byte label
            // and a pointer to it (252 characters in presentation form).
            let suffix = m.len() + 2 + 10 + 6;
            let mut first = vec![0, 1, 0, 1, 0x03, 0xE1];
            labels(
                &mut first,
                &format!("{}.{}", "a".repeat(60), vec!["b".repeat(59); 3].join(".")),
            );
            record(&mut m, &pointer(12), 33, &first);
            let mut count = 1u16;
            let mut targets = Vec::new();
            for i in 0..127u16 {
                let at = m.len() + 2 + 10 + 6;
                let mut data = 0u16.to_be_bytes().to_vec();
                data.extend_from_slice(&(i + 2).to_be_bytes());
                data.extend_from_slice(&[0x03, 0xE1, 11]);
                data.extend_from_slice(format!("t{i:010}").as_bytes());
                data.extend_from_slice(&pointer(suffix));
                record(&mut m, &pointer(12), 33, &data);
                targets.push(at);
                count += 1;
            }
            let mut additional = 0u16;
            for at in targets {
                for j in 0..16u8 {
                    let mut v6 = [0xFFu8; 16];
                    v6[15] = j;
                    record(&mut m, &pointer(at), 28, &v6);
                    additional += 1;
                }
            }
            set_counts(&mut m, [count, 0, additional]);
            assert!(m.len() <= 65_535, "{} bytes", m.len());
            (q.id, m)
        })
        .collect();
    let ((plan, json), peak) = measure(|| {
        let mut d = Discovery::new("user@example.net", options).unwrap();
        for (id, bytes) in &answers {
            let outcome = d.receive(*id, bytes, Some(DnssecStatus::Secure)).unwrap();
            assert_eq!(outcome, Outcome::Records);
        }
        let plan = d.plan(7);
        let json = serde_json::to_vec(&plan).unwrap().len();
        (plan, json)
    });
    for list in lists(&plan) {
        assert_eq!(list.len(), 128);
        assert!(list.iter().all(|c| c.host.len() >= 240), "long targets");
    }
    assert!(json < MB, "plan JSON: {json} bytes");
    assert!(peak < 8 * MB, "peak heap: {peak} bytes");
}

/// A name of 254 octets whose every byte needs a `\DDD` escape: labels of 63, 63, 63 and 61
/// bytes of `.`.
fn escaped_name(m: &mut Vec<u8>) {
    for len in [63u8, 63, 63, 61] {
        m.push(len);
        m.extend(std::iter::repeat_n(b'.', usize::from(len)));
    }
    m.push(0);
}

// Issue 12 row 3 (~1 s of CPU per answer before owner names were rendered once).
#[test]
fn thousands_of_escaped_owner_names_and_an_alias_chain_cost_bounded_heap() {
    let d = Discovery::new("user@example.net", Options::default()).unwrap();
    let q = d.questions()[2].clone();
    assert_eq!(q.service, Service::Imaps);
    let mut m = head(&q, [0; 3]);
    // The chain: the question name → a1 → a2 → ... → a9, each "aN" + pointer to the question.
    let mut previous = 12;
    let mut count = 0u16;
    for n in 1..=9 {
        let owner = pointer(previous);
        let at = m.len() + 2 + 10;
        let mut data = vec![2, b'a', b'0' + n];
        data.extend_from_slice(&pointer(12));
        record(&mut m, &owner, 5, &data);
        previous = at;
        count += 1;
    }
    // The long name once, as the data of a TXT-typed record, then ~5,000 records owned by it.
    let long = m.len() + 2 + 10;
    let mut data = Vec::new();
    escaped_name(&mut data);
    record(&mut m, &pointer(12), 0xFF00, &data);
    count += 1;
    while m.len() + 13 <= 65_535 {
        record(&mut m, &pointer(long), 16, &[0]);
        count += 1;
    }
    set_counts(&mut m, [count, 0, 0]);
    assert!(count > 4_900, "{count} records");
    let ((outcome, plan), peak) = measure(|| {
        let mut d = d.clone();
        let outcome = d.receive(q.id, &m, None).unwrap();
        (outcome, d.plan(1))
    });
    // The chain is followed for 8 links, and the SRV records are looked for at its end.
    assert_eq!(outcome, Outcome::NoData);
    assert_eq!(notes(&plan, DiagnosticCode::OwnerAlias).len(), 8);
    let ignored = notes(&plan, DiagnosticCode::IgnoredRecords);
    assert!(
        ignored
            .iter()
            .any(|m| m.contains(&format!("{} answer record(s)", count - 8))),
        "{ignored:?}"
    );
    assert!(peak < 6 * MB, "peak heap: {peak} bytes");
}

// Issue 12 row 2, varied: addresses of thousands of names that no SRV record points to.
#[test]
fn addresses_of_names_no_candidate_uses_are_not_kept() {
    let d = Discovery::new("user@example.net", Options::default()).unwrap();
    let q = d.questions()[2].clone();
    let mut m = head(&q, [0; 3]);
    let first = q.name.split('.').next().unwrap().len();
    let domain = 12 + 1 + first + 1 + 4;
    let mut data = vec![0, 1, 0, 1, 0x03, 0xE1];
    data.extend_from_slice(&pointer(domain));
    record(&mut m, &pointer(12), 33, &data);
    // A 251-octet name of escaped bytes, then A records owned by distinct 254-octet names
    // below it (a two-byte label and a pointer), and 16 addresses of the target itself.
    let long = m.len() + 2 + 10;
    let mut data = Vec::new();
    for len in [63u8, 63, 63, 57] {
        data.push(len);
        data.extend(std::iter::repeat_n(b'.', usize::from(len)));
    }
    data.push(0);
    record(&mut m, &pointer(12), 0xFF00, &data);
    let mut additional = 0u16;
    for j in 0..16u8 {
        record(&mut m, &pointer(domain), 1, &[192, 0, 2, j]);
        additional += 1;
    }
    while m.len() + 19 <= 65_535 {
        let mut owner = vec![2];
        owner.extend_from_slice(&additional.to_be_bytes());
        owner.extend_from_slice(&pointer(long));
        record(&mut m, &owner, 1, &[198, 51, 100, 1]);
        additional += 1;
    }
    set_counts(&mut m, [2, 0, additional]);
    assert!(additional > 3_000, "{additional} address records");
    let (d, peak, held) = measure_held(|| {
        let mut d = d.clone();
        assert_eq!(d.receive(q.id, &m, None).unwrap(), Outcome::Records);
        d
    });
    let plan = d.plan(1);
    assert_eq!(plan.incoming.candidates.len(), 1);
    assert_eq!(plan.incoming.candidates[0].addresses.len(), 16);
    // What the discovery keeps is the record and its target's addresses, not 3,000 names of
    // about 1,000 characters each (their `\DDD` form).
    assert!(held < 64 * 1024, "held: {held} bytes");
    assert!(peak < 8 * MB, "peak heap: {peak} bytes");
}

// Issue 12 row 2, varied: thousands of CNAMEs in the additional section, all owned by the
// target, each to a distinct long name with an address: one alias per name is followed.
#[test]
fn cname_floods_at_a_target_keep_one_alias_per_name() {
    let d = Discovery::new("user@example.net", Options::default()).unwrap();
    let q = d.questions()[2].clone();
    let mut m = head(&q, [0; 3]);
    let first = q.name.split('.').next().unwrap().len();
    let domain = 12 + 1 + first + 1 + 4;
    let mut data = vec![0, 1, 0, 1, 0x03, 0xE1];
    data.extend_from_slice(&pointer(domain));
    record(&mut m, &pointer(12), 33, &data);
    let long = m.len() + 2 + 10;
    let mut data = Vec::new();
    for len in [63u8, 63, 63, 57] {
        data.push(len);
        data.extend(std::iter::repeat_n(b'.', usize::from(len)));
    }
    data.push(0);
    record(&mut m, &pointer(12), 0xFF00, &data);
    // The first alias has an address; thousands more follow (a pointer reaches only the first
    // 16 KB, so the others have none).
    let mut additional = 0u16;
    while m.len() + 17 <= 65_535 {
        let mut alias = vec![2];
        alias.extend_from_slice(&additional.to_be_bytes());
        alias.extend_from_slice(&pointer(long));
        let at = m.len() + 2 + 10;
        record(&mut m, &pointer(domain), 5, &alias);
        if additional == 0 {
            record(&mut m, &pointer(at), 1, &[198, 51, 100, 1]);
            additional += 1;
        }
        additional += 1;
    }
    set_counts(&mut m, [2, 0, additional]);
    assert!(additional > 3_000, "{additional} records");
    let (d, peak, held) = measure_held(|| {
        let mut d = d.clone();
        assert_eq!(d.receive(q.id, &m, None).unwrap(), Outcome::Records);
        d
    });
    let plan = d.plan(1);
    let candidate = &plan.incoming.candidates[0];
    assert_eq!(candidate.addresses.len(), 1, "the first alias's address");
    assert!(
        notes(&plan, DiagnosticCode::TargetIsAlias).len() == 1,
        "{:?}",
        plan.diagnostics
    );
    // One alias (two names of about 1,000 characters) is kept, not 1,500.
    assert!(held < 64 * 1024, "held: {held} bytes");
    assert!(peak < 8 * MB, "peak heap: {peak} bytes");
}

/// A response for `q` whose answer hides a chain of `hops` pointers (each to the one before,
/// the first to the question name) in an unknown-type record, followed by as many SRV records
/// owned by the chain's end as fit in 64 KB.
fn pointer_chain(q: &Question, hops: usize) -> Vec<u8> {
    let mut m = head(q, [0; 3]);
    let start = m.len() + 2 + 10;
    let mut data = Vec::new();
    let mut previous = 12;
    for i in 0..hops {
        data.extend_from_slice(&pointer(previous));
        previous = start + 2 * i;
    }
    record(&mut m, &pointer(12), 0xFF00, &data);
    let mut count = 1u16;
    while m.len() + 19 <= 65_535 {
        record(&mut m, &pointer(previous), 33, &[0, 0, 0, 0, 0x03, 0xE1, 0]);
        count += 1;
    }
    set_counts(&mut m, [count, 0, 0]);
    m
}

// Issue 12 row 4 (230 ms per answer in hickory-proto before the pre-pass).
#[test]
fn pointer_chains_of_8000_hops_are_malformed_before_any_name_is_decoded() {
    let (mut d, q) = {
        let d = Discovery::new("user@example.net", Options::default()).unwrap();
        let q = d.questions()[2].clone();
        (d, q)
    };
    let chain = pointer_chain(&q, 8_000);
    let (outcome, peak) = measure(|| d.receive(q.id, &chain, None).unwrap());
    assert_eq!(outcome, Outcome::Malformed);
    let plan = d.plan(1);
    let failed = notes(&plan, DiagnosticCode::LookupFailed);
    assert!(
        failed
            .iter()
            .any(|m| m.contains("follows more than 127 compression pointers")),
        "{failed:?}"
    );
    assert!(peak < 16 * 1024, "peak heap: {peak} bytes");
    // The same chain in an address answer gives no addresses.
    assert!(mailsrv::addresses_in_response(&chain, &q.name).is_empty());
}

// Issue 12 row 4, varied: chains short enough for each name, reused by thousands of records.
#[test]
fn pointer_chains_within_the_per_name_bound_hit_the_message_budget() {
    let d = Discovery::new("user@example.net", Options::default()).unwrap();
    let q = d.questions()[2].clone();
    for hops in [20, 126] {
        let mut d = d.clone();
        let chain = pointer_chain(&q, hops);
        let (outcome, peak) = measure(|| d.receive(q.id, &chain, None).unwrap());
        assert_eq!(outcome, Outcome::Malformed, "{hops} hops");
        let plan = d.plan(1);
        let failed = notes(&plan, DiagnosticCode::LookupFailed);
        assert!(
            failed.iter().any(|m| m.contains("per byte of its length")),
            "{hops} hops: {failed:?}"
        );
        assert!(peak < 16 * 1024, "peak heap: {peak} bytes");
    }
    // Two hops per record (one through the chain) stay within the budget: a real answer.
    let mut d = d.clone();
    let fine = pointer_chain(&q, 1);
    assert_eq!(d.receive(q.id, &fine, None).unwrap(), Outcome::Records);
}

// Issue 12 row 7 (2.35 s release, 37 s debug: the quadratic RFC 2782 order).
#[test]
fn parsed_record_floods_are_capped_before_ordering() {
    let d = Discovery::new("user@example.net", Options::default()).unwrap();
    let q = d.questions()[2].clone();
    let records: Vec<SrvRecord> = (0..=u16::MAX)
        .map(|i| SrvRecord {
            priority: i % 7,
            weight: i,
            port: 993,
            target: format!("m{i}.example.net").into(),
            ttl: Some(60),
        })
        .collect();
    let (plan, peak) = measure(|| {
        let mut d = d.clone();
        d.receive_records(q.id, records, DnssecStatus::Insecure)
            .unwrap();
        d.plan(3)
    });
    assert_eq!(plan.incoming.candidates.len(), 128);
    assert_eq!(plan.lookups[2].records, 128);
    assert!(
        notes(&plan, DiagnosticCode::IgnoredRecords)
            .iter()
            .any(|m| m.contains("the 65408 after the first 128")),
        "{:?}",
        plan.diagnostics
    );
    // The records handed over (about 5 MB) are freed as they are read; what is kept is small.
    assert!(peak < 64 * 1024, "peak heap: {peak} bytes");
}
