//! Hostile and broken DNS messages (security scenarios 72–84): each gives an error outcome or a
//! typed error in bounded time, never a panic. The floods of issue 12 (64 KB answers, pointer
//! chains, 65,535 parsed records) are in `hostile_answers.rs`, which measures their heap.

#![allow(clippy::unwrap_used, reason = "a failing unwrap is a failing test")]

mod common;

use common::{question, response, srv};
use mailsrv::{Discovery, ErrorCode, Options, Outcome, Service};

fn fresh() -> (Discovery, mailsrv::Question) {
    let d = Discovery::new("u@example.net", Options::default()).unwrap();
    let q = question(&d, Service::Imaps);
    (d, q)
}

/// A response header for `q` (QR set, one question) followed by `rest`.
fn raw(q: &mailsrv::Question, counts: [u16; 4], rest: &[u8]) -> Vec<u8> {
    let mut m = Vec::new();
    m.extend_from_slice(&q.message_id.to_be_bytes());
    m.extend_from_slice(&[0x81, 0x80]);
    for c in counts {
        m.extend_from_slice(&c.to_be_bytes());
    }
    m.extend_from_slice(rest);
    m
}

fn outcome(bytes: &[u8]) -> Result<Outcome, ErrorCode> {
    let (mut d, q) = fresh();
    d.receive(q.id, bytes, None).map_err(|e| e.code())
}

fn valid() -> Vec<u8> {
    let (_, q) = fresh();
    response(&q, |m| {
        m.add_answer(srv(
            "_imaps._tcp.example.net.",
            0,
            1,
            993,
            "mail.example.net.",
        ));
        m.add_answer(srv(
            "_imaps._tcp.example.net.",
            1,
            1,
            993,
            "mail2.example.net.",
        ));
        m.add_additional(common::a("mail.example.net.", [192, 0, 2, 1]));
    })
}

#[test]
fn security_scenario_72_73_compression_pointer_loops_are_malformed() {
    let (_, q) = fresh();
    for name in [
        &[0xC0, 0x0C][..],
        &[0xC0, 0x02, 0xC0, 0x00],
        &[0xC0, 0x00],
        &[0x01, 0x41, 0xC0, 0x0C],
        &[0xC0, 0x01],
    ] {
        let mut rest = name.to_vec();
        rest.extend_from_slice(&[0x00, 0x21, 0x00, 0x01]);
        let got = outcome(&raw(&q, [1, 0, 0, 0], &rest));
        // `C0 00` points at the header; with message ID 0 that byte reads as the root name, a
        // well-formed but foreign question.
        assert!(
            got == Ok(Outcome::Malformed) || got == Err(ErrorCode::QuestionMismatch),
            "{name:02x?}: {got:?}"
        );
    }
    assert_eq!(
        outcome(&raw(&q, [1, 0, 0, 0], &[0xC0, 0x0C, 0, 0x21, 0, 1])),
        Ok(Outcome::Malformed)
    );
}

#[test]
fn security_scenario_74_75_forward_pointers_and_reserved_label_types_are_malformed() {
    let (_, q) = fresh();
    for name in [
        &[3, b'f', b'o', b'o', 0xC0, 0x10][..],
        &[3, b'f', b'o', b'o', 0xC0, 0x11],
        &[0xBF, b'f', b'o', b'o', 0],
        &[0x7F, b'x', 0],
    ] {
        let mut rest = name.to_vec();
        rest.extend_from_slice(&[0x00, 0x21, 0x00, 0x01]);
        assert_eq!(
            outcome(&raw(&q, [1, 0, 0, 0], &rest)),
            Ok(Outcome::Malformed),
            "{name:02x?}"
        );
    }
}

#[test]
fn security_scenario_76_names_over_255_octets_are_malformed() {
    let (_, q) = fresh();
    let mut rest = Vec::new();
    for _ in 0..128 {
        rest.extend_from_slice(&[1, b'a']);
    }
    rest.push(0);
    rest.extend_from_slice(&[0x00, 0x21, 0x00, 0x01]);
    assert_eq!(
        outcome(&raw(&q, [1, 0, 0, 0], &rest)),
        Ok(Outcome::Malformed)
    );
}

#[test]
fn security_scenario_77_srv_rdlength_too_short_or_past_the_end_is_malformed() {
    let good = valid();
    // The first answer's RDLENGTH sits right after the question and the answer's fixed fields.
    let (_, q) = fresh();
    let question_len = q.name.len() + 2 + 4;
    let rdlength_at = 12 + question_len + 2 + 8;
    for bad in [4u16, 0xFFFF, 500] {
        let mut m = good.clone();
        m[rdlength_at..rdlength_at + 2].copy_from_slice(&bad.to_be_bytes());
        assert_eq!(outcome(&m), Ok(Outcome::Malformed), "RDLENGTH {bad}");
    }
}

#[test]
fn security_scenario_78_counts_of_0xffff_are_malformed() {
    let good = valid();
    for field in 0..4 {
        let mut m = good.clone();
        m[4 + 2 * field..6 + 2 * field].copy_from_slice(&[0xFF, 0xFF]);
        let got = outcome(&m);
        assert!(
            got == Ok(Outcome::Malformed) || got == Err(ErrorCode::QuestionMismatch),
            "count {field}: {got:?}"
        );
    }
}

#[test]
fn security_scenario_79_every_truncation_of_a_valid_message_is_malformed() {
    let good = valid();
    assert_eq!(outcome(&good), Ok(Outcome::Records));
    for len in 0..good.len() {
        let got = outcome(&good[..len]);
        assert!(
            got == Ok(Outcome::Malformed)
                || got == Err(ErrorCode::NotAResponse)
                || got == Err(ErrorCode::MessageIdMismatch),
            "prefix {len}: {got:?}"
        );
        if len >= 12 {
            assert_eq!(got, Ok(Outcome::Malformed), "prefix {len}");
        }
    }
}

#[test]
fn security_scenario_83_trailing_junk_is_ignored_deterministically() {
    // Policy: bytes after the last record counted in the header are ignored (hickory's decoder
    // stops at the counts); the same input always gives the same plan.
    let mut m = valid();
    m.extend_from_slice(b"junk after the message");
    let (mut d, q) = fresh();
    assert_eq!(d.receive(q.id, &m, None).unwrap(), Outcome::Records);
    assert_eq!(d.plan(1).incoming.candidates.len(), 2);
}

#[test]
fn arbitrary_mutations_never_panic() {
    let good = valid();
    let mut rng = mailsrv::SeededRng::new(0x5eed);
    let mut outcomes = std::collections::BTreeSet::new();
    for _ in 0..20_000 {
        let mut m = good.clone();
        let edits = 1 + rng.uniform_inclusive(4);
        for _ in 0..edits {
            let i = rng.uniform_inclusive((m.len() - 1) as u64) as usize;
            m[i] = rng.next_u64() as u8;
        }
        if rng.uniform_inclusive(3) == 0 {
            let cut = rng.uniform_inclusive(m.len() as u64) as usize;
            m.truncate(cut);
        }
        let (mut d, q) = fresh();
        outcomes.insert(format!(
            "{:?}",
            d.receive(q.id, &m, None).map_err(|e| e.code())
        ));
        let _ = serde_json::to_string(&d.plan(1)).unwrap();
    }
    // The mutations reach past the header checks into every class of result.
    assert!(outcomes.contains("Ok(Malformed)"), "{outcomes:?}");
    assert!(outcomes.contains("Ok(Records)"), "{outcomes:?}");
}

/// Issue 12: the truncation diagnostic says what happened — no TCP answer, or a TCP answer that
/// was truncated too.
#[test]
fn the_truncation_diagnostic_tells_a_missing_tcp_answer_from_a_truncated_one() {
    let truncated_note = |times: usize| {
        let (mut d, q) = fresh();
        let bytes = response(&q, |m| m.metadata.truncation = true);
        for _ in 0..times {
            assert_eq!(d.receive(q.id, &bytes, None).unwrap(), Outcome::Truncated);
        }
        let plan = d.plan(1);
        plan.diagnostics
            .iter()
            .find(|d| d.code == mailsrv::DiagnosticCode::Truncated)
            .map(|d| d.message.clone())
            .unwrap()
    };
    assert!(truncated_note(1).ends_with("and no TCP answer was fed"));
    assert!(
        truncated_note(2).ends_with("was truncated too"),
        "{}",
        truncated_note(2)
    );
}
