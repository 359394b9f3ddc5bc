//! Transcript tests for sections A–D of the security notes (scenarios 1–47). Every transcript
//! is also replayed with each server message split at every byte, and byte by byte: the final
//! step must not change (scenario 30).

use super::*;
use crate::service::{Protocol, Security};

#[derive(Clone, Copy, Debug)]
enum Ev<'a> {
    S(&'a [u8]),
    Tls(TlsOutcome),
    Login(&'a str, &'a str),
}
use Ev::{Login, S, Tls};

const OK: Ev<'static> = Tls(TlsOutcome::Verified);

fn run_once(protocol: Protocol, security: Security, events: &[Ev<'_>]) -> (Step, Vec<String>) {
    let mut n = Negotiator::new(protocol, security, "client.example");
    let mut sent = Vec::new();
    let mut step = n.start();
    for ev in events {
        step = match ev {
            S(b) => n.receive(b),
            Tls(o) => n.tls_established(*o),
            Login(u, p) => n.login(u, &Secret::new(*p)),
        };
        // A host writes what it is told to send, then polls before reading again.
        loop {
            match &step {
                Step::Send(b) => sent.push(String::from_utf8_lossy(b).into_owned()),
                Step::SendSecret(b) => {
                    sent.push(String::from_utf8_lossy(b.as_bytes()).into_owned())
                }
                _ => break,
            }
            step = n.poll();
        }
    }
    (step, sent)
}

/// Runs the transcript as given, with every split of every server message, and byte by byte;
/// asserts that all give the same result, and returns it.
fn run(protocol: Protocol, security: Security, events: &[Ev<'_>]) -> (Step, Vec<String>) {
    let whole = run_once(protocol, security, events);
    for (i, ev) in events.iter().enumerate() {
        let S(bytes) = ev else { continue };
        for k in 1..bytes.len() {
            let mut split = events[..i].to_vec();
            split.push(S(&bytes[..k]));
            split.push(S(&bytes[k..]));
            split.extend_from_slice(&events[i + 1..]);
            assert_eq!(
                run_once(protocol, security, &split).0,
                whole.0,
                "split message {i} at {k}"
            );
        }
    }
    let mut bytewise: Vec<Ev<'_>> = Vec::new();
    for ev in events {
        match ev {
            S(bytes) => bytewise.extend(bytes.chunks(1).map(S)),
            other => bytewise.push(*other),
        }
    }
    assert_eq!(
        run_once(protocol, security, &bytewise).0,
        whole.0,
        "byte by byte"
    );
    whole
}

fn imap(events: &[Ev<'_>]) -> (Step, Vec<String>) {
    run(Protocol::Imap, Security::Starttls, events)
}
fn pop3(events: &[Ev<'_>]) -> (Step, Vec<String>) {
    run(Protocol::Pop3, Security::Starttls, events)
}
fn smtp(events: &[Ev<'_>]) -> (Step, Vec<String>) {
    run(Protocol::Submission, Security::Starttls, events)
}

fn aborted(step: &Step) -> &Abort {
    match step {
        Step::Abort(a) => a,
        other => panic!("expected an abort, got {other:?}"),
    }
}

fn done(step: &Step) -> &Capabilities {
    match step {
        Step::Done(c) => c,
        other => panic!("expected done, got {other:?}"),
    }
}

fn violation(step: &Step) -> bool {
    matches!(step, Step::Abort(Abort::ProtocolViolation(_)))
}

const IMAP_GREET: &[u8] = b"* OK IMAP ready\r\n";
const IMAP_CAPS: &[u8] = b"* CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED\r\nA1 OK done\r\n";
const IMAP_POST: &[u8] = b"* CAPABILITY IMAP4rev1 AUTH=PLAIN AUTH=SCRAM-SHA-256\r\nA3 OK done\r\n";

// ---- The good paths ----------------------------------------------------------------------------

// Requirements: S2595-3.1a, S8314-5.2b, S6186-6b.
#[test]
fn imap_starttls_happy_path_sends_starttls_alone_and_recapabilities_after_tls() {
    let (step, sent) = imap(&[
        S(IMAP_GREET),
        S(IMAP_CAPS),
        S(b"A2 OK Begin TLS\r\n"),
        OK,
        S(IMAP_POST),
    ]);
    let caps = done(&step);
    assert!(caps.tls);
    assert_eq!(caps.auth_mechanisms, ["PLAIN", "SCRAM-SHA-256"]);
    assert!(
        !caps.login_disabled,
        "LOGINDISABLED from before TLS is forgotten"
    );
    assert_eq!(
        sent,
        ["A1 CAPABILITY\r\n", "A2 STARTTLS\r\n", "A3 CAPABILITY\r\n"]
    );
    assert_eq!(caps.greeting, Untrusted("IMAP ready".into()));
}

// Requirements: S9051-11.2a, S6186-6b.
#[test]
fn implicit_tls_starts_after_the_handshake() {
    let (step, sent) = run(
        Protocol::Imap,
        Security::ImplicitTls,
        &[
            OK,
            S(IMAP_GREET),
            S(b"* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\nA1 OK x\r\n"),
        ],
    );
    assert_eq!(done(&step).auth_mechanisms, ["PLAIN"]);
    assert_eq!(sent, ["A1 CAPABILITY\r\n"]);
    let n = Negotiator::new(Protocol::Pop3, Security::ImplicitTls, "c");
    assert_eq!(n.start(), Step::AwaitTls);
    let (step, _) = run(Protocol::Pop3, Security::ImplicitTls, &[S(b"+OK hi\r\n")]);
    assert_eq!(
        aborted(&step),
        &Abort::InjectedAfterUpgrade,
        "no plaintext before an implicit handshake"
    );
}

// Requirements: S8314-5c.
#[test]
fn a_certificate_that_is_not_verified_stops_everything() {
    let (step, sent) = imap(&[
        S(IMAP_GREET),
        S(IMAP_CAPS),
        S(b"A2 OK Begin TLS\r\n"),
        Tls(TlsOutcome::NotVerified),
        S(IMAP_POST),
    ]);
    assert_eq!(aborted(&step), &Abort::CertificateNotVerified);
    assert_eq!(
        sent.len(),
        2,
        "nothing is sent after a rejected certificate"
    );
    let (step, _) = imap(&[
        S(IMAP_GREET),
        S(IMAP_CAPS),
        S(b"A2 OK Begin TLS\r\n"),
        Tls(TlsOutcome::UserConfirmed),
        S(IMAP_POST),
    ]);
    assert!(done(&step).tls);
}

// ---- A. Buffering / response injection -----------------------------------------------------------

// Requirements: INJ-1.
#[test]
fn security_scenarios_1_to_4_bytes_after_the_upgrade_reply_abort() {
    for tail in [
        &b"A2 OK LOGIN done\r\n"[..],
        b"* OK [ALERT] suffix\r\n",
        b"* BYE close\r\n",
        b"* CAPAB",
    ] {
        let mut reply = b"A2 OK Begin TLS\r\n".to_vec();
        reply.extend_from_slice(tail);
        let (step, _) = imap(&[S(IMAP_GREET), S(IMAP_CAPS), S(&reply), OK, S(IMAP_POST)]);
        assert_eq!(
            aborted(&step),
            &Abort::InjectedAfterUpgrade,
            "{}",
            String::from_utf8_lossy(tail)
        );
    }
}

// Requirements: INJ-1.
#[test]
fn security_scenario_5_bytes_in_a_later_read_before_the_handshake_abort() {
    let (step, _) = imap(&[
        S(IMAP_GREET),
        S(IMAP_CAPS),
        S(b"A2 OK Begin TLS\r\n"),
        S(b"* OK x\r\n"),
        OK,
        S(IMAP_POST),
    ]);
    assert_eq!(aborted(&step), &Abort::InjectedAfterUpgrade);
}

// Requirements: INJ-1.
#[test]
fn security_scenarios_6_7_pop3_injection_aborts() {
    let greet = S(b"+OK POP3 ready\r\n");
    let capa = S(b"+OK\r\nUSER\r\nSTLS\r\n.\r\n");
    for reply in [
        &b"+OK Begin TLS\r\n+OK\r\nPLAIN\r\nLOGIN\r\n.\r\n"[..],
        b"+OK Begin TLS\r\n\x16\x03\x01\x00\xff",
    ] {
        let (step, _) = pop3(&[greet, capa, S(reply), OK]);
        assert_eq!(aborted(&step), &Abort::InjectedAfterUpgrade);
    }
}

// Requirements: INJ-1.
#[test]
fn security_scenarios_8_9_smtp_injection_and_multi_line_greeting() {
    let greet = S(b"220 mail.example.net ESMTP\r\n");
    let ehlo = S(b"250-mail.example.net\r\n250-STARTTLS\r\n250 8BITMIME\r\n");
    let (step, _) = smtp(&[
        greet,
        ehlo,
        S(b"220 Ready to start TLS\r\n250-example.org\r\n250 AUTH LOGIN\r\n"),
        OK,
    ]);
    assert_eq!(aborted(&step), &Abort::InjectedAfterUpgrade);
    let (step, sent) = smtp(&[S(b"220-go\r\n220 ahead\r\n")]);
    assert_eq!(step, Step::NeedMore);
    assert_eq!(sent, ["EHLO client.example\r\n"]);
    // Whatever follows is read as the reply to EHLO, however it is fragmented.
    let (step, _) = smtp(&[S(b"220-go\r\n220 ahead\r\nX\r\n")]);
    assert!(violation(&step), "{step:?}");
}

#[test]
fn security_scenario_10_text_before_the_upgrade_is_untrusted_and_changes_nothing() {
    let (step, _) = imap(&[
        S(IMAP_GREET),
        S(IMAP_CAPS),
        S(b"* OK [ALERT] prefix\r\nA2 OK Begin TLS\r\n"),
        OK,
        S(IMAP_POST),
    ]);
    let caps = done(&step);
    assert!(!caps.keywords.iter().any(|k| k.contains("ALERT")));
    assert_eq!(caps.greeting, Untrusted("IMAP ready".into()));
}

// ---- B. IMAP negotiation, stripping and tampering ---------------------------------------------------

// Requirements: D19.
#[test]
fn security_scenarios_11_12_hidden_or_missing_starttls_aborts_before_login() {
    let (step, sent) = imap(&[S(b"* OK ready\r\n"), S(b"A1 BAD unknown command\r\n")]);
    assert!(matches!(aborted(&step), Abort::ServerRefused(_)));
    assert_eq!(sent, ["A1 CAPABILITY\r\n"]);
    let (step, sent) = imap(&[
        S(b"* OK ready\r\n"),
        S(b"* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\nA1 OK done\r\n"),
    ]);
    assert_eq!(aborted(&step), &Abort::StarttlsNotOffered);
    assert!(
        sent.iter()
            .all(|s| !s.contains("LOGIN") && !s.contains("AUTHENTICATE"))
    );
}

// Requirements: D19.
#[test]
fn security_scenarios_13_to_16_refusals_continuations_and_wrong_tags_abort() {
    for (reply, expect_refused) in [
        (&b"A2 NO do not begin TLS now\r\n"[..], true),
        (b"A2 BAD syntax\r\n", true),
        (b"+ continue\r\n", false),
        (b"A3 OK Begin TLS\r\n", false),
        (b"A1 OK Begin TLS\r\n", false),
    ] {
        let (step, _) = imap(&[S(IMAP_GREET), S(IMAP_CAPS), S(reply), OK]);
        if expect_refused {
            assert!(
                matches!(aborted(&step), Abort::StarttlsRefused(_)),
                "{step:?}"
            );
        } else {
            assert!(
                violation(&step),
                "{}: {step:?}",
                String::from_utf8_lossy(reply)
            );
        }
    }
}

#[test]
fn security_scenario_17_a_tagged_reply_with_the_greeting_aborts() {
    // Read as the reply to `A1 CAPABILITY`, which then offers no STARTTLS: abort, with nothing
    // sent but CAPABILITY, however the bytes are fragmented.
    let (step, sent) = imap(&[S(b"* OK ready\r\nA1 OK Begin TLS\r\n")]);
    assert_eq!(aborted(&step), &Abort::StarttlsNotOffered);
    assert_eq!(sent, ["A1 CAPABILITY\r\n"]);
}

#[test]
fn security_scenario_18_starttls_is_compared_as_an_exact_atom() {
    let (step, _) = imap(&[
        S(b"* OK [CAPABILITY IMAP4rev1 STARTTLS] STARTTLS\r\n"),
        S(b"* CAPABILITY IMAP4rev1 XSTARTTLS STARTTLSX\r\nA1 OK done\r\n"),
    ]);
    assert_eq!(aborted(&step), &Abort::StarttlsNotOffered);
    let (step, _) = imap(&[
        S(IMAP_GREET),
        S(b"* CAPABILITY imap4rev1 starttls\r\nA1 OK done\r\n"),
        S(b"A2 OK go\r\n"),
        OK,
        S(IMAP_POST),
    ]);
    assert!(done(&step).tls, "atoms compare case-insensitively");
}

// Requirements: S9051-7.1.4a, D19.
#[test]
fn security_scenario_19_preauth_over_plaintext_aborts() {
    let (step, sent) = imap(&[S(b"* PREAUTH [CAPABILITY IMAP4rev1 STARTTLS] welcome\r\n")]);
    assert_eq!(aborted(&step), &Abort::PreauthWithoutTls);
    assert!(sent.is_empty());
}

#[test]
fn security_scenarios_20_21_refusing_or_malformed_greetings_abort() {
    for g in [&b"* BYE go away\r\n"[..], b"* NO [ALERT] down\r\n"] {
        let (step, _) = imap(&[S(g)]);
        assert!(matches!(aborted(&step), Abort::ServerRefused(_)));
    }
    for g in [
        &b"XYZ OK hello\r\n"[..],
        b"garbage\r\n* OK ready\r\n",
        b"* FOO bar\r\n",
    ] {
        let (step, _) = imap(&[S(g)]);
        assert!(violation(&step), "{}", String::from_utf8_lossy(g));
    }
}

// Requirements: S9051-11.3a, S8314-5.2b.
#[test]
fn security_scenarios_22_23_25_referrals_and_pre_tls_data_are_never_acted_on() {
    let (step, _) = imap(&[
        S(b"* OK [REFERRAL imaps://attacker:993] hi\r\n"),
        S(b"* CAPABILITY IMAP4rev1 STARTTLS IDLE\r\n* LIST () \"/\" x\r\n* 23 EXISTS\r\nA1 OK done\r\n"),
        S(b"* 3 EXPUNGE\r\nA2 OK Begin TLS\r\n"),
        OK,
        S(IMAP_POST),
    ]);
    let caps = done(&step);
    assert!(
        !caps.keywords.iter().any(|k| k == "IDLE"),
        "capabilities from before TLS are dropped"
    );
    assert_eq!(
        caps.keywords,
        ["IMAP4rev1", "AUTH=PLAIN", "AUTH=SCRAM-SHA-256"]
    );
}

// Requirements: S2595-2.3.
#[test]
fn security_scenario_24_auth_before_tls_is_never_used() {
    let (step, sent) = imap(&[
        S(IMAP_GREET),
        S(b"* CAPABILITY IMAP4rev1 STARTTLS AUTH=PLAIN\r\nA1 OK done\r\n"),
        S(b"A2 OK go\r\n"),
        OK,
        S(IMAP_POST),
    ]);
    assert!(done(&step).tls);
    assert_eq!(
        sent,
        ["A1 CAPABILITY\r\n", "A2 STARTTLS\r\n", "A3 CAPABILITY\r\n"]
    );
}

#[test]
fn security_scenario_26_literals_before_tls_abort() {
    let (step, _) = imap(&[
        S(IMAP_GREET),
        S(IMAP_CAPS),
        S(b"* LIST () \"/\" {19}\r\nA2 OK Begin TLS\r\n\r\n"),
        OK,
    ]);
    assert!(violation(&step), "{step:?}");
}

// Requirements: S2595-3.2a.
#[test]
fn security_scenario_28_no_way_to_authenticate_after_tls_aborts() {
    let (step, _) = imap(&[
        S(IMAP_GREET),
        S(IMAP_CAPS),
        S(b"A2 OK go\r\n"),
        OK,
        S(b"* CAPABILITY IMAP4rev1 LOGINDISABLED\r\nA3 OK done\r\n"),
    ]);
    assert_eq!(aborted(&step), &Abort::NoAuthentication);
}

#[test]
fn security_scenario_29_overlong_lines_are_bounded() {
    let long = vec![b'a'; 64 * 1024];
    let (step, _) = run_once(Protocol::Imap, Security::Starttls, &[S(&long)]);
    assert_eq!(aborted(&step), &Abort::LineTooLong);
    let mut n = Negotiator::new(Protocol::Submission, Security::Starttls, "c");
    let mut step = Step::NeedMore;
    for _ in 0..100 {
        step = n.receive(&[b'2'; 1000]);
    }
    assert_eq!(aborted(&step), &Abort::LineTooLong);
}

// ---- C. POP3 -------------------------------------------------------------------------------------------

const POP_GREET: &[u8] = b"+OK POP3 ready\r\n";
const POP_CAPA: &[u8] = b"+OK Capability list follows\r\nUSER\r\nSTLS\r\nSASL PLAIN\r\n.\r\n";

// Requirements: S2595-4a, S6186-6b.
#[test]
fn pop3_stls_happy_path_and_scenario_38_capa_again_after_tls() {
    let (step, sent) = pop3(&[
        S(POP_GREET),
        S(POP_CAPA),
        S(b"+OK Begin TLS\r\n"),
        OK,
        S(b"+OK\r\nUSER\r\nSASL SCRAM-SHA-256 PLAIN\r\n.\r\n"),
    ]);
    let caps = done(&step);
    assert_eq!(caps.auth_mechanisms, ["SCRAM-SHA-256", "PLAIN"]);
    assert_eq!(sent, ["CAPA\r\n", "STLS\r\n", "CAPA\r\n"]);
}

// Requirements: D19.
#[test]
fn security_scenarios_31_to_33_pop3_refusals_abort_once() {
    let (step, _) = pop3(&[S(b"-ERR [SYS/TEMP] go away\r\n")]);
    assert!(matches!(aborted(&step), Abort::ServerRefused(_)));
    let (step, _) = pop3(&[S(POP_GREET), S(b"-ERR no CAPA\r\n")]);
    assert_eq!(aborted(&step), &Abort::StarttlsNotOffered);
    let (step, sent) = pop3(&[S(POP_GREET), S(b"+OK\r\nUSER\r\nSASL PLAIN LOGIN\r\n.\r\n")]);
    assert_eq!(aborted(&step), &Abort::StarttlsNotOffered);
    assert!(
        sent.iter()
            .all(|s| !s.starts_with("USER") && !s.starts_with("PASS"))
    );
    let (step, sent) = pop3(&[
        S(POP_GREET),
        S(POP_CAPA),
        S(b"-ERR STARTTLS not supported\r\n"),
        S(b"+OK\r\n"),
    ]);
    assert!(matches!(aborted(&step), Abort::StarttlsRefused(_)));
    assert_eq!(sent, ["CAPA\r\n", "STLS\r\n"], "no retry loop");
}

#[test]
fn security_scenarios_34_35_only_exact_status_tokens_count() {
    let (step, _) = pop3(&[
        S(POP_GREET),
        S(POP_CAPA),
        S(b"+OK [sys/perm] alert\r\n"),
        OK,
        S(b"+OK\r\nUSER\r\n.\r\n"),
    ]);
    assert!(
        done(&step).tls,
        "+OK with any text is success, and its text is not shown"
    );
    for bad in [&b"+Okay, do your thing.\r\n"[..], b"+Do you even care?\r\n"] {
        let (step, _) = pop3(&[S(bad)]);
        assert!(violation(&step));
        let (step, _) = pop3(&[S(POP_GREET), S(POP_CAPA), S(bad), OK]);
        assert!(violation(&step));
    }
}

// Requirements: S9051-11.3a.
#[test]
fn security_scenarios_36_37_unsolicited_data_and_look_alike_keywords() {
    let (step, _) = pop3(&[S(b"+OK 2 messages\r\n1 120\r\n2 200\r\n.\r\n")]);
    assert!(violation(&step));
    let (step, _) = pop3(&[
        S(POP_GREET),
        S(b"+OK\r\nX-STLS\r\nIMPLEMENTATION STLS-ready\r\n.\r\n"),
    ]);
    assert_eq!(aborted(&step), &Abort::StarttlsNotOffered);
}

// ---- D. SMTP submission ---------------------------------------------------------------------------------

const SMTP_GREET: &[u8] = b"220 mail.example.net ESMTP\r\n";
const SMTP_EHLO: &[u8] =
    b"250-mail.example.net\r\n250-PIPELINING\r\n250-AUTH PLAIN LOGIN\r\n250 STARTTLS\r\n";
const SMTP_POST: &[u8] =
    b"250-mail.example.net\r\n250-AUTH SCRAM-SHA-256 PLAIN\r\n250 SIZE 1000000\r\n";

// Requirements: S3207-4.2a.
#[test]
fn smtp_starttls_happy_path_and_scenario_47_auth_only_from_the_ehlo_after_tls() {
    let (step, sent) = smtp(&[
        S(SMTP_GREET),
        S(SMTP_EHLO),
        S(b"220 go ahead\r\n"),
        OK,
        S(SMTP_POST),
    ]);
    let caps = done(&step);
    assert_eq!(caps.auth_mechanisms, ["SCRAM-SHA-256", "PLAIN"]);
    assert_eq!(
        sent,
        [
            "EHLO client.example\r\n",
            "STARTTLS\r\n",
            "EHLO client.example\r\n"
        ]
    );
}

#[test]
fn security_scenario_39_refusing_greetings_abort() {
    for code in ["554", "421", "500", "530", "221", "354"] {
        let g = format!("{code} no\r\n");
        let (step, sent) = smtp(&[S(g.as_bytes())]);
        assert!(matches!(aborted(&step), Abort::ServerRefused(_)), "{code}");
        assert!(sent.is_empty());
    }
}

#[test]
fn security_scenarios_40_41_43_ehlo_failures_never_fall_back() {
    let (step, sent) = smtp(&[S(SMTP_GREET), S(b"500 what\r\n"), S(b"250 ok\r\n")]);
    assert!(matches!(aborted(&step), Abort::ServerRefused(_)));
    assert!(sent.iter().all(|s| !s.starts_with("HELO")));
    let (step, _) = smtp(&[S(SMTP_GREET), S(b"250-mail\r\n250 AUTH PLAIN LOGIN\r\n")]);
    assert_eq!(aborted(&step), &Abort::StarttlsNotOffered);
    let (step, _) = smtp(&[S(SMTP_GREET), S(b"250 mail\r\n")]);
    assert_eq!(aborted(&step), &Abort::StarttlsNotOffered);
    let (step, _) = smtp(&[S(SMTP_GREET), S(b"220 hello again\r\n")]);
    assert!(violation(&step));
}

// Requirements: S3207-4a, D19.
#[test]
fn security_scenario_42_starttls_refusals_abort_without_fallback() {
    for code in ["454", "502", "500", "501", "530", "421", "221", "354"] {
        let r = format!("{code} no\r\n");
        let (step, sent) = smtp(&[
            S(SMTP_GREET),
            S(SMTP_EHLO),
            S(r.as_bytes()),
            S(b"250 ok\r\n"),
        ]);
        assert!(
            matches!(aborted(&step), Abort::StarttlsRefused(_)),
            "{code}"
        );
        assert_eq!(sent.len(), 2);
    }
}

#[test]
fn security_scenarios_44_45_mixed_codes_and_look_alike_keywords() {
    let (step, _) = smtp(&[S(SMTP_GREET), S(b"250-x\r\n220 y\r\n")]);
    assert!(violation(&step));
    let (step, _) = smtp(&[
        S(SMTP_GREET),
        S(b"250-mail\r\n250-XSTARTTLS\r\n250 AUTH STARTTLS\r\n"),
    ]);
    assert_eq!(aborted(&step), &Abort::StarttlsNotOffered);
}

// Requirements: S3207-4a.
#[test]
fn security_scenario_46_starttls_is_sent_alone() {
    let (_, sent) = smtp(&[S(SMTP_GREET), S(SMTP_EHLO)]);
    assert_eq!(sent.last().map(String::as_str), Some("STARTTLS\r\n"));
}

// ---- Cleartext (host opted in) and misuse ---------------------------------------------------------

// Requirements: S8314-5f.
#[test]
fn cleartext_candidates_upgrade_when_offered_and_report_no_tls_otherwise() {
    let (step, _) = run(
        Protocol::Submission,
        Security::Cleartext,
        &[S(SMTP_GREET), S(b"250-mail\r\n250 AUTH PLAIN\r\n")],
    );
    assert!(!done(&step).tls);
    let (step, _) = run(
        Protocol::Submission,
        Security::Cleartext,
        &[
            S(SMTP_GREET),
            S(SMTP_EHLO),
            S(b"220 go\r\n"),
            OK,
            S(SMTP_POST),
        ],
    );
    assert!(done(&step).tls);
}

#[test]
fn calls_out_of_order_are_reported_and_final_steps_stick() {
    let mut n = Negotiator::new(Protocol::Imap, Security::Starttls, "c");
    assert!(matches!(
        n.tls_established(TlsOutcome::Verified),
        Step::Abort(Abort::Misuse(_))
    ));
    assert!(
        matches!(n.receive(IMAP_GREET), Step::Abort(Abort::Misuse(_))),
        "aborted stays aborted"
    );
    let bad = Negotiator::new(Protocol::Submission, Security::Starttls, "bad name\r\nRCPT");
    let mut bad = bad;
    assert_eq!(
        bad.receive(SMTP_GREET),
        Step::Send(b"EHLO [127.0.0.1]\r\n".to_vec()),
        "no CRLF injection via the EHLO name"
    );
    assert_eq!(bad.poll(), Step::NeedMore);
}

// ---- The credential step (issue: optional login, only after TLS and a verified certificate) --------

const B64_ALICE: &str = "AGFsaWNlQGV4YW1wbGUubmV0AHMzY3JldA=="; // "\0alice@example.net\0s3cret"

// Requirements: S6186-6a, S8314-5.1d, S2595-2.3, D20.
#[test]
fn login_is_refused_before_done_over_tls_with_a_verified_certificate() {
    // Before anything, during negotiation, and on a cleartext session: refused, nothing sent.
    let (step, sent) = imap(&[Login("alice@example.net", "s3cret")]);
    assert!(matches!(aborted(&step), Abort::Misuse(_)));
    assert!(sent.is_empty());
    let (step, sent) = imap(&[
        S(IMAP_GREET),
        S(IMAP_CAPS),
        Login("alice@example.net", "s3cret"),
    ]);
    assert!(matches!(aborted(&step), Abort::Misuse(_)));
    assert!(
        sent.iter()
            .all(|s| !s.contains("s3cret") && !s.contains(B64_ALICE))
    );
    let (step, sent) = run(
        Protocol::Submission,
        Security::Cleartext,
        &[
            S(SMTP_GREET),
            S(b"250-mail\r\n250 AUTH PLAIN\r\n"),
            Login("alice@example.net", "s3cret"),
        ],
    );
    assert!(
        matches!(aborted(&step), Abort::Misuse(_)),
        "no credentials without TLS (RFC 8314 §5.1)"
    );
    assert!(sent.iter().all(|s| !s.contains("AUTH")));
    let (step, _) = imap(&[
        S(IMAP_GREET),
        S(IMAP_CAPS),
        S(b"A2 OK go\r\n"),
        OK,
        S(IMAP_POST),
        Login("alice", "bad\r\nA9 LOGOUT"),
    ]);
    assert!(
        matches!(aborted(&step), Abort::Misuse(_)),
        "no command injection through a password"
    );
}

// Requirements: S6186-4g, D20.
#[test]
fn imap_login_with_sasl_plain_continuation_and_fallback_to_the_local_part() {
    let (step, sent) = imap(&[
        S(IMAP_GREET),
        S(IMAP_CAPS),
        S(b"A2 OK go\r\n"),
        OK,
        S(IMAP_POST),
        Login("alice@example.net", "s3cret"),
        S(b"+ \r\n"),
        S(b"A4 NO [AUTHENTICATIONFAILED] no\r\n"),
        Login("alice", "s3cret"),
        S(b"+ \r\n"),
        S(b"* CAPABILITY IMAP4rev1\r\nA5 OK logged in\r\n"),
    ]);
    assert_eq!(step, Step::LoggedIn);
    assert_eq!(
        sent[3..],
        [
            "A4 AUTHENTICATE PLAIN\r\n".to_owned(),
            format!("{B64_ALICE}\r\n"),
            "A5 AUTHENTICATE PLAIN\r\n".to_owned(),
            "AGFsaWNlAHMzY3JldA==\r\n".to_owned()
        ]
    );
}

#[test]
fn imap_login_with_sasl_ir_and_with_login_command() {
    let post = b"* CAPABILITY IMAP4rev1 SASL-IR AUTH=PLAIN\r\nA3 OK done\r\n";
    let (step, sent) = imap(&[
        S(IMAP_GREET),
        S(IMAP_CAPS),
        S(b"A2 OK go\r\n"),
        OK,
        S(post),
        Login("alice@example.net", "s3cret"),
        S(b"A4 OK welcome\r\n"),
    ]);
    assert_eq!(step, Step::LoggedIn);
    assert_eq!(
        sent.last().unwrap(),
        &format!("A4 AUTHENTICATE PLAIN {B64_ALICE}\r\n")
    );
    let post = b"* CAPABILITY IMAP4rev1\r\nA3 OK done\r\n";
    let (step, sent) = imap(&[
        S(IMAP_GREET),
        S(IMAP_CAPS),
        S(b"A2 OK go\r\n"),
        OK,
        S(post),
        Login("al\"ice", "s3\\cret"),
        S(b"A4 NO nope\r\n"),
    ]);
    assert!(matches!(step, Step::LoginFailed(_)));
    assert_eq!(
        sent.last().unwrap(),
        "A4 LOGIN \"al\\\"ice\" \"s3\\\\cret\"\r\n"
    );
}

#[test]
fn pop3_and_smtp_logins() {
    let (step, sent) = pop3(&[
        S(POP_GREET),
        S(POP_CAPA),
        S(b"+OK go\r\n"),
        OK,
        S(b"+OK\r\nUSER\r\n.\r\n"),
        Login("alice", "s3cret"),
        S(b"+OK\r\n"),
        S(b"+OK maildrop ready\r\n"),
    ]);
    assert_eq!(step, Step::LoggedIn);
    assert_eq!(sent[3..], ["USER alice\r\n", "PASS s3cret\r\n"]);
    let (step, _) = pop3(&[
        S(POP_GREET),
        S(POP_CAPA),
        S(b"+OK go\r\n"),
        OK,
        S(b"+OK\r\nSASL PLAIN\r\n.\r\n"),
        Login("alice@example.net", "s3cret"),
        S(b"-ERR [AUTH] no\r\n"),
    ]);
    assert!(matches!(step, Step::LoginFailed(_)));
    let (step, sent) = smtp(&[
        S(SMTP_GREET),
        S(SMTP_EHLO),
        S(b"220 go\r\n"),
        OK,
        S(SMTP_POST),
        Login("alice@example.net", "s3cret"),
        S(b"235 2.7.0 ok\r\n"),
    ]);
    assert_eq!(step, Step::LoggedIn);
    assert_eq!(sent.last().unwrap(), &format!("AUTH PLAIN {B64_ALICE}\r\n"));
    let post = b"250-mail\r\n250 AUTH LOGIN\r\n";
    let (step, sent) = smtp(&[
        S(SMTP_GREET),
        S(SMTP_EHLO),
        S(b"220 go\r\n"),
        OK,
        S(post),
        Login("alice", "s3cret"),
        S(b"334 VXNlcm5hbWU6\r\n"),
        S(b"334 UGFzc3dvcmQ6\r\n"),
        S(b"535 5.7.8 no\r\n"),
    ]);
    assert!(matches!(step, Step::LoginFailed(_)));
    assert_eq!(
        sent[3..],
        ["AUTH LOGIN\r\n", "YWxpY2U=\r\n", "czNjcmV0\r\n"]
    );
}

#[test]
fn passwords_never_appear_in_debug_output_while_a_login_is_in_progress() {
    for (protocol, post) in [
        (
            Protocol::Imap,
            &b"* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\nA1 OK x\r\n"[..],
        ),
        (Protocol::Pop3, b"+OK\r\nUSER\r\n.\r\n"),
        (Protocol::Submission, b"250-m\r\n250 AUTH LOGIN\r\n"),
    ] {
        let mut n = Negotiator::new(protocol, Security::ImplicitTls, "c");
        n.tls_established(TlsOutcome::Verified);
        let greet: &[u8] = match protocol {
            Protocol::Imap => IMAP_GREET,
            Protocol::Pop3 => POP_GREET,
            _ => SMTP_GREET,
        };
        n.receive(greet);
        let _ = n.poll();
        let done = n.receive(post);
        assert!(matches!(done, Step::Done(_)), "{done:?}");
        let step = n.login("alice@example.net", &Secret::new("s3cret"));
        let shown = format!("{step:?} {n:?}");
        assert!(
            !shown.contains("s3cret") && !shown.contains("czNjcmV0") && !shown.contains(B64_ALICE),
            "{shown}"
        );
    }
}

#[test]
fn passwords_never_appear_in_debug_output() {
    let mut n = Negotiator::new(Protocol::Submission, Security::ImplicitTls, "c");
    n.tls_established(TlsOutcome::Verified);
    n.receive(SMTP_GREET);
    let _ = n.poll();
    n.receive(SMTP_POST);
    let step = n.login("alice@example.net", &Secret::new("s3cret"));
    let shown = format!("{step:?} {:?} {n:?}", Secret::new("s3cret"));
    assert!(matches!(step, Step::SendSecret(_)));
    assert!(
        !shown.contains("s3cret") && !shown.contains(B64_ALICE),
        "{shown}"
    );
}

// ---- Budgets: what a server may send is capped (issue 12) ----------------------------------------
// Security scenario 29 asks for a bounded error and no unbounded buffering; these extend it from
// one line to whole floods: each cap aborts with its own reason, before and after TLS, with the
// same verdict however the flood is chunked.

/// `unit` repeated `n` times.
fn repeat(unit: &[u8], n: usize) -> Vec<u8> {
    unit.repeat(n)
}

/// Runs `events`, then `flood` cut into chunks of several sizes (whole, 16 KiB + 1, 4096, 7 and
/// 1 byte); asserts that every chunking ends in the same step, and returns it.
fn flooded(protocol: Protocol, security: Security, events: &[Ev<'_>], flood: &[u8]) -> Step {
    let mut outcome = None;
    for size in [flood.len().max(1), 16 * 1024 + 1, 4096, 7, 1] {
        let mut all = events.to_vec();
        all.extend(flood.chunks(size).map(S));
        let (step, _) = run_once(protocol, security, &all);
        match &outcome {
            None => outcome = Some(step),
            Some(first) => assert_eq!(&step, first, "chunks of {size} bytes"),
        }
    }
    outcome.unwrap_or(Step::NeedMore)
}

const IMAP_AFTER_TLS: &[Ev<'static>] = &[S(IMAP_GREET), S(IMAP_CAPS), S(b"A2 OK go\r\n"), OK];
const POP_AFTER_TLS: &[Ev<'static>] = &[S(POP_GREET), S(POP_CAPA), S(b"+OK go\r\n"), OK];
const SMTP_AFTER_TLS: &[Ev<'static>] = &[S(SMTP_GREET), S(SMTP_EHLO), S(b"220 go\r\n"), OK];

/// An IMAP CAPABILITY line with `first` and then `n - 1` more atoms.
fn capability_line(first: &str, n: usize) -> Vec<u8> {
    let mut line = format!("* CAPABILITY {first}").into_bytes();
    line.extend(repeat(b" x", n - 1));
    line.extend_from_slice(b"\r\n");
    line
}

#[test]
fn security_scenario_29_imap_capability_flood_on_one_line_aborts_past_the_cap() {
    // Exactly the cap is accepted (STARTTLS among the atoms)...
    let mut reply = capability_line("STARTTLS", MAX_CAPABILITIES);
    reply.extend_from_slice(b"A1 OK done\r\n");
    let (step, sent) = imap(&[S(IMAP_GREET), S(&reply)]);
    assert_eq!(step, Step::NeedMore);
    assert_eq!(sent.last().map(String::as_str), Some("A2 STARTTLS\r\n"));
    // ...one more atom is not, and neither is a line full of them.
    let over = capability_line("STARTTLS", MAX_CAPABILITIES + 1);
    let step = flooded(Protocol::Imap, Security::Starttls, &[S(IMAP_GREET)], &over);
    assert_eq!(aborted(&step), &Abort::TooManyCapabilities);
    let full = capability_line("x", (MAX_LINE - 20) / 2);
    let step = flooded(Protocol::Imap, Security::Starttls, &[S(IMAP_GREET)], &full);
    assert_eq!(aborted(&step), &Abort::TooManyCapabilities);
    // After TLS too.
    let step = flooded(Protocol::Imap, Security::Starttls, IMAP_AFTER_TLS, &full);
    assert_eq!(aborted(&step), &Abort::TooManyCapabilities);
}

#[test]
fn security_scenario_29_imap_capability_flood_over_many_lines_aborts_past_the_cap() {
    let flood = repeat(b"* CAPABILITY a b c d\r\n", MAX_CAPABILITIES / 4 + 1);
    let step = flooded(Protocol::Imap, Security::Starttls, &[S(IMAP_GREET)], &flood);
    assert_eq!(aborted(&step), &Abort::TooManyCapabilities);
    let step = flooded(Protocol::Imap, Security::Starttls, IMAP_AFTER_TLS, &flood);
    assert_eq!(aborted(&step), &Abort::TooManyCapabilities);
}

#[test]
fn security_scenario_29_untagged_line_floods_abort_with_too_many_lines() {
    // Before TLS: the lines-before-TLS cap (the greeting counts).
    let flood = repeat(b"* x\r\n", MAX_LINES_BEFORE_TLS);
    let step = flooded(Protocol::Imap, Security::Starttls, &[S(IMAP_GREET)], &flood);
    assert_eq!(aborted(&step), &Abort::TooManyLines);
    // After TLS: the lines of one response; exactly the cap (the completion included) is fine.
    let mut reply = repeat(b"* x\r\n", MAX_RESPONSE_LINES - 2);
    reply.extend_from_slice(b"* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\nA3 OK done\r\n");
    let (step, _) = run_once(
        Protocol::Imap,
        Security::Starttls,
        &[IMAP_AFTER_TLS, &[S(&reply)]].concat(),
    );
    assert_eq!(done(&step).auth_mechanisms, ["PLAIN"]);
    let flood = repeat(b"* x\r\n", MAX_RESPONSE_LINES + 1);
    let step = flooded(Protocol::Imap, Security::Starttls, IMAP_AFTER_TLS, &flood);
    assert_eq!(aborted(&step), &Abort::TooManyLines);
    // While a login is outstanding, too.
    let mut login = IMAP_AFTER_TLS.to_vec();
    login.extend([
        S(b"* CAPABILITY IMAP4rev1 SASL-IR AUTH=PLAIN\r\nA3 OK done\r\n"),
        Login("alice", "s3cret"),
    ]);
    let step = flooded(Protocol::Imap, Security::Starttls, &login, &flood);
    assert_eq!(aborted(&step), &Abort::TooManyLines);
}

/// Lines `prefix` + filler + CRLF totalling exactly `total` bytes, each at most [`MAX_LINE`].
fn long_lines(prefix: &[u8], total: usize) -> Vec<u8> {
    let mut out = Vec::new();
    while out.len() < total {
        let left = total - out.len();
        let len = if left < MAX_LINE {
            left
        } else if left > 2 * MAX_LINE {
            MAX_LINE - 1
        } else {
            left / 2
        };
        out.extend_from_slice(prefix);
        out.extend(repeat(b"y", len - prefix.len() - 2));
        out.extend_from_slice(b"\r\n");
    }
    assert_eq!(out.len(), total);
    out
}

#[test]
fn security_scenario_29_bytes_before_tls_are_capped_as_they_arrive() {
    // Up to the cap, the negotiator waits for the completion; the byte after it aborts.
    let exact = long_lines(b"* OK ", MAX_BYTES_BEFORE_TLS - IMAP_GREET.len());
    let step = flooded(Protocol::Imap, Security::Starttls, &[S(IMAP_GREET)], &exact);
    assert_eq!(step, Step::NeedMore);
    let mut past = exact.clone();
    past.push(b'A');
    let step = flooded(Protocol::Imap, Security::Starttls, &[S(IMAP_GREET)], &past);
    assert_eq!(aborted(&step), &Abort::TooMuchBeforeTls);
    // Whatever the protocol: long lines stay under the line caps but not under the byte cap.
    for (protocol, events, prefix) in [
        (Protocol::Imap, &[S(IMAP_GREET)][..], &b"* OK "[..]),
        (Protocol::Pop3, &[S(POP_GREET), S(b"+OK\r\n")][..], b""),
        (Protocol::Submission, &[S(SMTP_GREET)][..], b"250-"),
    ] {
        let flood = long_lines(prefix, 4 * MAX_BYTES_BEFORE_TLS);
        let step = flooded(protocol, Security::Starttls, events, &flood);
        assert_eq!(aborted(&step), &Abort::TooMuchBeforeTls, "{protocol:?}");
    }
    // The cap counts what arrives: bytes past it after the upgrade reply are an injection, as
    // they would be one by one.
    let mut reply = b"* CAPABILITY IMAP4rev1 STARTTLS\r\nA1 OK done\r\n".to_vec();
    reply.extend(long_lines(
        b"* OK ",
        MAX_BYTES_BEFORE_TLS - IMAP_GREET.len() - reply.len() - 17,
    ));
    let mut upgrade = b"A2 OK Begin TLS\r\n".to_vec();
    upgrade.extend_from_slice(b"* OK injected\r\n");
    let step = flooded(
        Protocol::Imap,
        Security::Starttls,
        &[S(IMAP_GREET), S(&reply)],
        &upgrade,
    );
    assert_eq!(aborted(&step), &Abort::InjectedAfterUpgrade);
}

#[test]
fn security_scenario_29_pop3_capa_floods_abort_with_too_many_capabilities() {
    let mut list = b"+OK\r\nSTLS\r\n".to_vec();
    list.extend(repeat(b"x\r\n", MAX_CAPABILITIES - 1));
    list.extend_from_slice(b".\r\n");
    let (_, sent) = run_once(
        Protocol::Pop3,
        Security::Starttls,
        &[S(POP_GREET), S(&list)],
    );
    assert_eq!(sent.last().map(String::as_str), Some("STLS\r\n"));
    let flood = [
        b"+OK\r\n".as_slice(),
        &repeat(b"x\r\n", MAX_CAPABILITIES + 1),
    ]
    .concat();
    let step = flooded(Protocol::Pop3, Security::Starttls, &[S(POP_GREET)], &flood);
    assert_eq!(aborted(&step), &Abort::TooManyCapabilities);
    let step = flooded(Protocol::Pop3, Security::Starttls, POP_AFTER_TLS, &flood);
    assert_eq!(aborted(&step), &Abort::TooManyCapabilities);
    // SASL mechanisms are a list of their own.
    let mut sasl = b"+OK\r\nSASL".to_vec();
    sasl.extend(repeat(b" M", MAX_CAPABILITIES + 1));
    sasl.extend_from_slice(b"\r\n.\r\n");
    let step = flooded(Protocol::Pop3, Security::Starttls, POP_AFTER_TLS, &sasl);
    assert_eq!(aborted(&step), &Abort::TooManyCapabilities);
}

#[test]
fn security_scenario_29_smtp_continuation_floods_abort_with_reply_too_long() {
    // Exactly the cap is one reply...
    let mut ehlo = repeat(b"250-x\r\n", MAX_REPLY_LINES - 2);
    ehlo.extend_from_slice(b"250-STARTTLS\r\n250 SIZE 1\r\n");
    let (_, sent) = run_once(
        Protocol::Submission,
        Security::Starttls,
        &[S(SMTP_GREET), S(&ehlo)],
    );
    assert_eq!(sent.last().map(String::as_str), Some("STARTTLS\r\n"));
    // ...one more line is not: EHLO replies and greetings, before and after TLS.
    let flood = repeat(b"250-x\r\n", MAX_REPLY_LINES + 1);
    let step = flooded(
        Protocol::Submission,
        Security::Starttls,
        &[S(SMTP_GREET)],
        &flood,
    );
    assert_eq!(aborted(&step), &Abort::ReplyTooLong);
    let step = flooded(
        Protocol::Submission,
        Security::Starttls,
        SMTP_AFTER_TLS,
        &flood,
    );
    assert_eq!(aborted(&step), &Abort::ReplyTooLong);
    let greeting = repeat(b"220-x\r\n", MAX_REPLY_LINES + 1);
    let step = flooded(Protocol::Submission, Security::Starttls, &[], &greeting);
    assert_eq!(aborted(&step), &Abort::ReplyTooLong);
    let step = flooded(
        Protocol::Submission,
        Security::ImplicitTls,
        &[OK],
        &greeting,
    );
    assert_eq!(aborted(&step), &Abort::ReplyTooLong);
    // AUTH mechanisms on one line are a capability list.
    let mut auth = b"250-mail\r\n250 AUTH".to_vec();
    for i in 0..=MAX_CAPABILITIES {
        auth.extend(format!(" M{i}").into_bytes());
    }
    auth.extend_from_slice(b"\r\n");
    let step = flooded(
        Protocol::Submission,
        Security::Starttls,
        SMTP_AFTER_TLS,
        &auth,
    );
    assert_eq!(aborted(&step), &Abort::TooManyCapabilities);
    // Repeats count as listed (the scan for repeats stays bounded).
    let repeats = [
        b"250-mail\r\n250 AUTH".as_slice(),
        &repeat(b" PLAIN", MAX_CAPABILITIES + 1),
        b"\r\n",
    ]
    .concat();
    let step = flooded(
        Protocol::Submission,
        Security::Starttls,
        SMTP_AFTER_TLS,
        &repeats,
    );
    assert_eq!(aborted(&step), &Abort::TooManyCapabilities);
}

#[test]
fn security_scenario_29_oversized_sasl_challenges_abort() {
    let b64 = |n: usize| repeat(b"A", n);
    // IMAP `+ <challenge>` to AUTHENTICATE PLAIN.
    let mut login = IMAP_AFTER_TLS.to_vec();
    login.extend([
        S(b"* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\nA3 OK done\r\n"),
        Login("alice", "s3cret"),
    ]);
    let challenge = |n: usize| [b"+ ".as_slice(), &b64(n), b"\r\n"].concat();
    let (step, sent) = run_once(
        Protocol::Imap,
        Security::Starttls,
        &[login.as_slice(), &[S(&challenge(MAX_CHALLENGE))]].concat(),
    );
    assert_eq!(step, Step::NeedMore);
    assert_eq!(
        sent.last().map(String::as_str),
        Some("AGFsaWNlAHMzY3JldA==\r\n")
    );
    let over = challenge(MAX_CHALLENGE + 1);
    let step = flooded(Protocol::Imap, Security::Starttls, &login, &over);
    assert_eq!(aborted(&step), &Abort::ChallengeTooLarge);
    // SMTP `334 <challenge>` to AUTH LOGIN, on one line or over several.
    let mut login = SMTP_AFTER_TLS.to_vec();
    login.extend([
        S(b"250-mail\r\n250 AUTH LOGIN\r\n"),
        Login("alice", "s3cret"),
    ]);
    let one = [b"334 ".as_slice(), &b64(MAX_CHALLENGE + 1), b"\r\n"].concat();
    let step = flooded(Protocol::Submission, Security::Starttls, &login, &one);
    assert_eq!(aborted(&step), &Abort::ChallengeTooLarge);
    let mut several = repeat(&[b"334-".as_slice(), &b64(500), b"\r\n"].concat(), 4);
    several.extend_from_slice(b"334 AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\r\n");
    let step = flooded(Protocol::Submission, Security::Starttls, &login, &several);
    assert_eq!(aborted(&step), &Abort::ChallengeTooLarge);
    let fits = [b"334 ".as_slice(), &b64(MAX_CHALLENGE), b"\r\n"].concat();
    let (_, sent) = run_once(
        Protocol::Submission,
        Security::Starttls,
        &[login.as_slice(), &[S(&fits)]].concat(),
    );
    assert_eq!(sent.last().map(String::as_str), Some("YWxpY2U=\r\n"));
}

#[test]
fn security_scenario_29_the_line_reader_is_linear_whatever_the_chunking() {
    let data = repeat(b"* x\r\n", (1 << 20) / 5);
    for size in [data.len(), 64 * 1024, 4096, 7, 1] {
        let mut reader = lines::LineReader::default();
        let mut lines = 0;
        for chunk in data.chunks(size) {
            reader.push(chunk);
            while let Some(line) = reader.next_line().unwrap_or(None) {
                assert_eq!(line, "* x");
                lines += 1;
            }
        }
        assert_eq!(lines, data.len() / 5, "chunks of {size}");
        assert!(reader.is_empty());
        // Each byte is scanned once and moved at most about once.
        assert!(
            reader.work() <= 2 * data.len(),
            "chunks of {size}: {} byte operations for {} bytes",
            reader.work(),
            data.len()
        );
    }
}
