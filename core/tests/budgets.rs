//! Negotiator floods (issue 12 §1; security scenario 29: a bounded error, no unbounded
//! buffering): 100 MB of hostile server data in 64 KiB reads, and in one read, must end in the
//! cap's typed abort after a bounded number of bytes, with peak heap under [`HEAP_BOUND`]. A
//! counting global allocator measures the heap, so this file is its own test binary and runs its
//! floods one after another in one test.

#![allow(clippy::unwrap_used, reason = "a failing unwrap is a failing test")]
#![allow(
    unsafe_code,
    reason = "a counting global allocator wraps the system allocator"
)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use mailsrv::negotiate::{
    AbortReason, MAX_BYTES_BEFORE_TLS, MAX_LINE, MAX_RESPONSE_LINES, Negotiator, Step, TlsOutcome,
};
use mailsrv::{Protocol, Security};

/// Counts the bytes allocated now and the most allocated at once since the last reset.
struct Counting;

static NOW: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(by: usize) {
    let now = NOW.fetch_add(by, Ordering::SeqCst) + by;
    PEAK.fetch_max(now, Ordering::SeqCst);
}

// SAFETY: every call is forwarded to the system allocator with the same arguments.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract is passed on.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: the caller's contract is passed on.
        unsafe { System.dealloc(ptr, layout) };
        NOW.fetch_sub(layout.size(), Ordering::SeqCst);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the caller's contract is passed on.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            if new_size > layout.size() {
                grew(new_size - layout.size());
            } else {
                NOW.fetch_sub(layout.size() - new_size, Ordering::SeqCst);
            }
        }
        p
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// The most heap a flood may add, whatever its size: 256 KiB (measured: 16 to 82 KiB — one
/// 16 KiB piece of the read, lines of up to 8 KiB, 256 short capabilities, a 128-line reply).
const HEAP_BOUND: usize = 256 << 10;

/// Server data fed per flood.
const FLOOD: usize = 100 << 20;

/// The size of one read.
const READ: usize = 64 << 10;

/// Where the flood starts.
#[derive(Clone, Copy, Debug)]
enum Phase {
    /// Before TLS, after the greeting (STARTTLS).
    BeforeTls,
    /// Before TLS, from the first byte (the greeting is the flood).
    Greeting,
    /// After TLS, after the greeting (implicit TLS).
    AfterTls,
    /// After TLS, after a login started (implicit TLS, SASL PLAIN without SASL-IR, or AUTH LOGIN).
    Login,
}

/// Acts on sends (as a host would: write, then poll) until the negotiator waits or ends.
fn settle(n: &mut Negotiator, mut step: Step) -> Step {
    while matches!(step, Step::Send(_) | Step::SendSecret(_)) {
        step = n.poll();
    }
    step
}

/// A negotiator brought to where the flood starts.
fn prepared(protocol: Protocol, phase: Phase) -> Negotiator {
    let greeting: &[u8] = match protocol {
        Protocol::Imap => b"* OK hi\r\n",
        Protocol::Pop3 => b"+OK hi\r\n",
        Protocol::Submission => b"220 hi\r\n",
    };
    let security = match phase {
        Phase::BeforeTls | Phase::Greeting => Security::Starttls,
        Phase::AfterTls | Phase::Login => Security::ImplicitTls,
    };
    let mut n = Negotiator::new(protocol, security, "client.example");
    if matches!(phase, Phase::AfterTls | Phase::Login) {
        assert_eq!(n.tls_established(TlsOutcome::Verified), Step::NeedMore);
    }
    if !matches!(phase, Phase::Greeting) {
        let step = n.receive(greeting);
        assert_eq!(settle(&mut n, step), Step::NeedMore);
    }
    if protocol == Protocol::Pop3 && matches!(phase, Phase::BeforeTls | Phase::AfterTls) {
        // The CAPA list starts; the flood is its lines.
        assert_eq!(n.receive(b"+OK\r\n"), Step::NeedMore);
    }
    if matches!(phase, Phase::Login) {
        let caps: &[u8] = match protocol {
            Protocol::Imap => b"* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\nA1 OK done\r\n",
            Protocol::Pop3 => b"+OK\r\nUSER\r\n.\r\n",
            Protocol::Submission => b"250-mail\r\n250 AUTH LOGIN\r\n",
        };
        assert!(matches!(n.receive(caps), Step::Done(_)));
        let step = n.login("alice", &mailsrv::negotiate::Secret::new("s3cret"));
        assert_eq!(settle(&mut n, step), Step::NeedMore);
    }
    n
}

/// `unit` repeated to fill about one read (whole units, so that reads join into one stream).
fn read_of(unit: &[u8]) -> Vec<u8> {
    unit.repeat((READ / unit.len()).max(1))
}

/// Feeds [`FLOOD`] bytes of `unit` in reads of about [`READ`] bytes, stopping at the abort;
/// returns the abort, the bytes fed, and the peak heap the negotiation added.
fn flood(protocol: Protocol, phase: Phase, unit: &[u8]) -> (Option<AbortReason>, usize, usize) {
    let read = read_of(unit);
    let mut n = prepared(protocol, phase);
    let base = NOW.load(Ordering::SeqCst);
    PEAK.store(base, Ordering::SeqCst);
    let mut fed = 0;
    let mut reason = None;
    while fed < FLOOD {
        let step = n.receive(&read);
        fed += read.len();
        if let Step::Abort(a) = settle(&mut n, step) {
            reason = Some(a.reason());
            break;
        }
    }
    drop(n);
    (reason, fed, PEAK.load(Ordering::SeqCst) - base)
}

/// Feeds all [`FLOOD`] bytes of `unit` in one read.
fn one_read(protocol: Protocol, phase: Phase, unit: &[u8]) -> (Option<AbortReason>, usize) {
    let data = unit.repeat(FLOOD / unit.len());
    let mut n = prepared(protocol, phase);
    let base = NOW.load(Ordering::SeqCst);
    PEAK.store(base, Ordering::SeqCst);
    let step = n.receive(&data);
    let reason = match settle(&mut n, step) {
        Step::Abort(a) => Some(a.reason()),
        _ => None,
    };
    drop(n);
    (reason, PEAK.load(Ordering::SeqCst) - base)
}

#[test]
fn security_scenario_29_floods_abort_with_their_cap_and_bounded_heap() {
    let keywords_line = [b"* CAPABILITY".as_slice(), &b" x".repeat(4000), b"\r\n"].concat();
    let long_untagged = [b"* OK ".as_slice(), &b"y".repeat(MAX_LINE - 7), b"\r\n"].concat();
    let long_ehlo = [b"250-".as_slice(), &b"y".repeat(MAX_LINE - 6), b"\r\n"].concat();
    let long_challenge = [b"+ ".as_slice(), &b"A".repeat(4000), b"\r\n"].concat();
    let smtp_challenge = [b"334-".as_slice(), &b"A".repeat(500), b"\r\n"].concat();
    let before = MAX_BYTES_BEFORE_TLS + READ;
    // (protocol, phase, unit, reason, aborted within this many bytes)
    let cases: &[(Protocol, Phase, &[u8], AbortReason, usize)] = &[
        (
            Protocol::Imap,
            Phase::BeforeTls,
            &keywords_line,
            AbortReason::TooManyCapabilities,
            READ,
        ),
        (
            Protocol::Imap,
            Phase::AfterTls,
            &keywords_line,
            AbortReason::TooManyCapabilities,
            READ,
        ),
        (
            Protocol::Imap,
            Phase::BeforeTls,
            b"* CAPABILITY a b c d\r\n",
            AbortReason::TooManyCapabilities,
            READ,
        ),
        (
            Protocol::Imap,
            Phase::AfterTls,
            b"* CAPABILITY a b c d\r\n",
            AbortReason::TooManyCapabilities,
            READ,
        ),
        (
            Protocol::Imap,
            Phase::BeforeTls,
            b"* x\r\n",
            AbortReason::TooManyLines,
            READ,
        ),
        (
            Protocol::Imap,
            Phase::AfterTls,
            b"* x\r\n",
            AbortReason::TooManyLines,
            READ,
        ),
        (
            Protocol::Imap,
            Phase::BeforeTls,
            &long_untagged,
            AbortReason::TooMuchBeforeTls,
            before,
        ),
        (
            Protocol::Imap,
            Phase::AfterTls,
            &long_untagged,
            AbortReason::TooManyLines,
            (MAX_RESPONSE_LINES + 1) * MAX_LINE + READ,
        ),
        (
            Protocol::Imap,
            Phase::Login,
            &long_challenge,
            AbortReason::ChallengeTooLarge,
            READ,
        ),
        (
            Protocol::Imap,
            Phase::Login,
            b"* x\r\n",
            AbortReason::TooManyLines,
            READ,
        ),
        (
            Protocol::Imap,
            Phase::BeforeTls,
            b"y",
            AbortReason::LineTooLong,
            READ,
        ),
        (
            Protocol::Pop3,
            Phase::BeforeTls,
            b"x\r\n",
            AbortReason::TooManyCapabilities,
            READ,
        ),
        (
            Protocol::Pop3,
            Phase::AfterTls,
            b"x\r\n",
            AbortReason::TooManyCapabilities,
            READ,
        ),
        (
            Protocol::Pop3,
            Phase::AfterTls,
            b"SASL M M M M M M M M\r\n",
            AbortReason::TooManyCapabilities,
            READ,
        ),
        (
            Protocol::Submission,
            Phase::Greeting,
            b"220-x\r\n",
            AbortReason::ReplyTooLong,
            READ,
        ),
        (
            Protocol::Submission,
            Phase::BeforeTls,
            b"250-x\r\n",
            AbortReason::ReplyTooLong,
            READ,
        ),
        (
            Protocol::Submission,
            Phase::AfterTls,
            b"250-x\r\n",
            AbortReason::ReplyTooLong,
            READ,
        ),
        (
            Protocol::Submission,
            Phase::BeforeTls,
            &long_ehlo,
            AbortReason::TooMuchBeforeTls,
            before,
        ),
        (
            Protocol::Submission,
            Phase::Login,
            &smtp_challenge,
            AbortReason::ChallengeTooLarge,
            READ,
        ),
    ];
    for &(protocol, phase, unit, want, within) in cases {
        let head = String::from_utf8_lossy(&unit[..unit.len().min(16)]).into_owned();
        let (reason, fed, heap) = flood(protocol, phase, unit);
        assert_eq!(reason, Some(want), "{protocol:?} {phase:?} {head:?}");
        assert!(
            fed <= within,
            "{protocol:?} {phase:?} {head:?}: {fed} bytes fed"
        );
        assert!(
            heap < HEAP_BOUND,
            "{protocol:?} {phase:?} {head:?}: {heap} bytes of heap"
        );
        let (reason, heap) = one_read(protocol, phase, unit);
        assert_eq!(
            reason,
            Some(want),
            "one read: {protocol:?} {phase:?} {head:?}"
        );
        assert!(
            heap < HEAP_BOUND,
            "one read: {protocol:?} {phase:?} {head:?}: {heap} bytes"
        );
    }
}
