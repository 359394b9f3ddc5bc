//! Drives each protocol's negotiator with arbitrary server bytes in arbitrary chunks, through
//! TLS and the login, as a host would: never a panic, and a final step sticks. `make fuzz`'s
//! `-timeout` and `-rss_limit_mb` catch an input that is slow or makes it grow.
//!
//! Input layout: byte 0 picks the protocol (bits 0–1), the security (bits 2–3), the TLS outcome
//! (bits 4–5) and whether to log in (bit 6); then chunks of `len bytes...` (`len` one byte), each
//! fed when the negotiator asks for more.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mailsrv::negotiate::{Negotiator, Secret, Step, TlsOutcome};
use mailsrv::{Protocol, Security};

fuzz_target!(|data: &[u8]| {
    let Some((&flags, mut rest)) = data.split_first() else {
        return;
    };
    let protocol = [
        Protocol::Imap,
        Protocol::Pop3,
        Protocol::Submission,
        Protocol::Imap,
    ][usize::from(flags & 3)];
    let security = [
        Security::ImplicitTls,
        Security::Starttls,
        Security::Cleartext,
        Security::Starttls,
    ][usize::from((flags >> 2) & 3)];
    let outcome = [
        TlsOutcome::Verified,
        TlsOutcome::UserConfirmed,
        TlsOutcome::NotVerified,
        TlsOutcome::Verified,
    ][usize::from((flags >> 4) & 3)];
    let login = flags & 0x40 != 0;
    let mut n = Negotiator::new(protocol, security, "client.example");
    let mut step = n.start();
    let mut logins = 0;
    // Each turn consumes a chunk or ends; sends and TLS are bounded by the steps they answer.
    for _ in 0..data.len() * 4 + 16 {
        step = match step {
            Step::Send(_) | Step::SendSecret(_) => n.poll(),
            Step::StartTls | Step::AwaitTls => n.tls_established(outcome),
            Step::Done(_) | Step::LoginFailed(_) if login && logins < 2 => {
                logins += 1;
                let user = if logins == 1 {
                    "alice@example.net"
                } else {
                    "alice"
                };
                n.login(user, &Secret::new("s3cret"))
            }
            Step::NeedMore => {
                let Some((&len, after)) = rest.split_first() else {
                    break;
                };
                let len = usize::from(len).min(after.len());
                let (chunk, after) = after.split_at(len);
                rest = after;
                n.receive(chunk)
            }
            Step::Abort(ref a) => {
                // A final step sticks, whatever comes next.
                assert_eq!(n.receive(rest), Step::Abort(a.clone()));
                break;
            }
            Step::Done(_) | Step::LoginFailed(_) | Step::LoggedIn => break,
        };
    }
    let _ = format!("{step:?} {n:?}");
});
