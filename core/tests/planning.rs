//! Behaviour tests for the planner. Names cite requirement IDs from the standards digest
//! (S6186-*, S8314-*, S2782-*, S7817-*) and decisions D1–D23.

#![allow(clippy::unwrap_used, reason = "a failing unwrap is a failing test")]

mod common;

use common::{a, question, response, run_named, srv};
use mailsrv::{
    DiagnosticCode, Discovery, DnssecStatus, ErrorCode, Failure, IdentityKind, MinimumSecurity,
    Options, Outcome, Plan, Protocol, Security, Service, SrvRecord, Status, TlsOrder, Trust,
};

fn has(plan: &Plan, code: DiagnosticCode) -> bool {
    plan.diagnostics.iter().any(|d| d.code == code)
}

fn hosts(list: &[mailsrv::Candidate]) -> Vec<String> {
    list.iter()
        .map(|c| format!("{}:{}", c.host, c.port))
        .collect()
}

fn rec(priority: u16, weight: u16, port: u16, target: &str) -> SrvRecord {
    SrvRecord {
        priority,
        weight,
        port,
        target: target.into(),
        ttl: Some(600),
    }
}

/// A discovery where `answers` gives parsed records per service and everything else is NXDOMAIN.
fn with_records(options: Options, answers: &[(Service, Vec<SrvRecord>)]) -> Discovery {
    let mut d = Discovery::new("user@example.net", options).unwrap();
    for q in d.questions().to_vec() {
        match answers.iter().find(|(s, _)| *s == q.service) {
            Some((_, records)) => d
                .receive_records(q.id, records.clone(), DnssecStatus::Insecure)
                .unwrap(),
            None => d.fail(q.id, Failure::NxDomain).unwrap(),
        }
    }
    d
}

// ---- Questions -------------------------------------------------------------------------------

// Requirements: S6186-4a, S8314-5a, S8314-3c, D23.
#[test]
fn s8314_5_1a_all_six_labels_are_asked_at_once_including_submissions() {
    let d = Discovery::new("alice@Example.NET", Options::default()).unwrap();
    let names: Vec<&str> = d.questions().iter().map(|q| q.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "_submissions._tcp.example.net",
            "_submission._tcp.example.net",
            "_imaps._tcp.example.net",
            "_imap._tcp.example.net",
            "_pop3s._tcp.example.net",
            "_pop3._tcp.example.net",
        ]
    );
    assert!(d.questions().iter().all(|q| !q.wire.is_empty()));
}

#[test]
fn questions_follow_the_options_and_the_message_id_base() {
    let options = Options {
        pop3: false,
        message_id_base: 0xFFFF,
        ..Options::default()
    };
    let d = Discovery::new("alice@example.net", options).unwrap();
    let ids: Vec<u16> = d.questions().iter().map(|q| q.message_id).collect();
    assert_eq!(ids, [0xFFFF, 0, 1, 2]);
    assert!(
        d.questions()
            .iter()
            .all(|q| q.service.protocol() != Protocol::Pop3)
    );
    for q in d.questions() {
        assert_eq!(u16::from_be_bytes([q.wire[0], q.wire[1]]), q.message_id);
    }
    let none = Options {
        imap: false,
        pop3: false,
        submission: false,
        ..Options::default()
    };
    assert_eq!(
        Discovery::new("a@example.net", none).unwrap_err().code(),
        ErrorCode::InvalidOption
    );
}

#[test]
fn d21_idn_address_asks_in_a_labels() {
    let plan = run_named("idn");
    assert_eq!(plan.domain, "xn--bcher-kva.example");
    assert_eq!(plan.domain_unicode, "bücher.example");
    assert_eq!(
        plan.lookups[0].name,
        "_submissions._tcp.xn--bcher-kva.example"
    );
    assert_eq!(
        plan.incoming.candidates[0].sni.as_deref(),
        Some("xn--bcher-kva.example")
    );
}

// ---- Null targets and protocol choice ------------------------------------------------------

// Requirements: S2782-tgt2, S2782-use1.
#[test]
fn s6186_3_4f_null_target_alone_means_not_offered() {
    let plan = run_named("implicit-only");
    let codes: Vec<_> = plan
        .diagnostics
        .iter()
        .filter(|d| d.code == DiagnosticCode::ServiceNotOffered)
        .map(|d| d.service.unwrap())
        .collect();
    assert_eq!(codes, [Service::Submission, Service::Imap, Service::Pop3]);
    assert!(
        plan.incoming
            .candidates
            .iter()
            .all(|c| c.security == Security::ImplicitTls)
    );
    assert!(
        plan.outgoing
            .candidates
            .iter()
            .all(|c| c.service == Service::Submissions)
    );

    let d = with_records(
        Options::default(),
        &[(Service::Imaps, vec![rec(0, 0, 0, ".")])],
    );
    let plan = d.plan(1);
    assert_eq!(plan.incoming.status, Status::NotOffered);
    assert!(plan.incoming.candidates.is_empty());
    assert_eq!(plan.outgoing.status, Status::NotPublished);
}

#[test]
fn d1_null_target_mixed_with_real_targets_is_dropped_with_a_diagnostic() {
    let plan = run_named("mixed-null");
    assert!(has(&plan, DiagnosticCode::MixedNullTarget));
    assert_eq!(hosts(&plan.incoming.candidates), ["mail.mixed.example:993"]);
}

#[test]
fn s6186_3_4f_null_records_take_no_part_in_the_protocol_choice() {
    // _pop3s "." at priority 0 would win if it counted; _imaps 10 beats _pop3 20.
    let plan = run_named("mixed-null");
    assert_eq!(plan.incoming.protocol, Some(Protocol::Imap));
    assert_eq!(plan.incoming_alternatives[0].protocol, Protocol::Pop3);
}

// Requirements: S6186-3.4a.
#[test]
fn s6186_3_4c_protocol_with_the_lowest_priority_is_chosen() {
    let plan = run_named("prefers-pop3");
    assert_eq!(plan.incoming.protocol, Some(Protocol::Pop3));
    assert!(
        plan.incoming
            .candidates
            .iter()
            .all(|c| c.protocol == Protocol::Pop3)
    );
}

#[test]
fn s6186_4j_the_other_protocol_is_only_an_alternative() {
    let plan = run_named("prefers-pop3");
    assert_eq!(plan.incoming_alternatives.len(), 1);
    let alt = &plan.incoming_alternatives[0];
    assert_eq!(alt.protocol, Protocol::Imap);
    assert!(alt.candidates.iter().all(|c| c.protocol == Protocol::Imap));
    assert!(has(&plan, DiagnosticCode::AlternativeProtocol));
}

#[test]
fn s6186_4i_d16_a_new_lookup_for_the_account_protocol_stays_with_it() {
    // The account uses IMAP. A lookup after a failure, now with POP3 at a better priority: with
    // the options of a first setup the planner would move to POP3; asked for IMAP alone it does
    // not ask for POP3 at all and keeps IMAP.
    let answers = [
        (Service::Imaps, vec![rec(10, 1, 993, "imap.example.net")]),
        (Service::Pop3s, vec![rec(0, 1, 995, "pop.example.net")]),
    ];
    let setup = with_records(Options::default(), &answers).plan(1);
    assert_eq!(setup.incoming.protocol, Some(Protocol::Pop3));
    let imap_only = Options {
        pop3: false,
        submission: false,
        ..Options::default()
    };
    let d = with_records(imap_only, &answers);
    assert!(
        d.questions()
            .iter()
            .all(|q| q.service.protocol() == Protocol::Imap)
    );
    let plan = d.plan(1);
    assert_eq!(plan.incoming.protocol, Some(Protocol::Imap));
    assert_eq!(hosts(&plan.incoming.candidates), ["imap.example.net:993"]);
    assert!(plan.incoming_alternatives.is_empty());
}

// Requirements: S6186-3.4d.
#[test]
fn d2_equal_priority_uses_the_configured_preference() {
    assert_eq!(
        run_named("odd-records").incoming.protocol,
        Some(Protocol::Imap)
    );
    assert_eq!(
        run_named("pop3-preferred-on-tie").incoming.protocol,
        Some(Protocol::Pop3)
    );
}

#[test]
fn s6186_3_4e_protocol_is_chosen_before_any_weighted_draw() {
    // Same priority, POP3 with a much larger weight: IMAP (the preference) still wins, and no
    // POP3 record is ever mixed into the IMAP list, whatever the seed.
    let d = with_records(
        Options::default(),
        &[
            (Service::Imaps, vec![rec(0, 1, 993, "imap.example.net")]),
            (Service::Pop3s, vec![rec(0, 1000, 995, "pop.example.net")]),
        ],
    );
    for seed in 0..200 {
        let plan = d.plan(seed);
        assert_eq!(plan.incoming.protocol, Some(Protocol::Imap));
        assert_eq!(hosts(&plan.incoming.candidates), ["imap.example.net:993"]);
    }
}

// ---- TLS order and minimum security ---------------------------------------------------------

// Requirements: S8314-note.
#[test]
fn d4_d3_implicit_tls_first_and_never_one_draw_across_imap_and_imaps() {
    let d = with_records(
        Options::default(),
        &[
            (
                Service::Imaps,
                vec![
                    rec(10, 1, 993, "a.example.net"),
                    rec(10, 1, 993, "b.example.net"),
                ],
            ),
            (
                Service::Imap,
                vec![
                    rec(0, 1000, 143, "c.example.net"),
                    rec(0, 1000, 143, "d.example.net"),
                ],
            ),
        ],
    );
    for seed in 0..200 {
        let plan = d.plan(seed);
        let sec: Vec<Security> = plan
            .incoming
            .candidates
            .iter()
            .map(|c| c.security)
            .collect();
        assert_eq!(
            sec,
            [
                Security::ImplicitTls,
                Security::ImplicitTls,
                Security::Starttls,
                Security::Starttls
            ]
        );
    }
}

#[test]
fn security_scenario_49_implicit_tls_preferred_even_when_imap_has_better_priority() {
    let plan = run_named("priority-implicit-first");
    assert_eq!(
        hosts(&plan.incoming.candidates),
        [
            "imaps0.prio.example:993",
            "imaps.prio.example:993",
            "imap.prio.example:143"
        ]
    );
    assert_eq!(plan.outgoing.candidates[0].service, Service::Submissions);
}

#[test]
fn d3_domain_priority_merges_by_priority_with_implicit_tls_on_ties() {
    let plan = run_named("priority-domain-order");
    assert_eq!(
        hosts(&plan.incoming.candidates),
        [
            "imaps0.prio.example:993",
            "imap.prio.example:143",
            "imaps.prio.example:993"
        ]
    );
    assert_eq!(plan.outgoing.candidates[0].service, Service::Submission);
    let d = with_records(
        Options {
            tls_order: TlsOrder::DomainPriority,
            ..Options::default()
        },
        &[
            (Service::Imap, vec![rec(5, 1, 143, "s.example.net")]),
            (Service::Imaps, vec![rec(5, 1, 993, "i.example.net")]),
        ],
    );
    assert_eq!(
        hosts(&d.plan(3).incoming.candidates),
        ["i.example.net:993", "s.example.net:143"]
    );
}

// Requirements: S8314-5b.
#[test]
fn s8314_5_1b_records_below_the_minimum_are_dropped_whatever_their_priority() {
    let d = with_records(
        Options {
            minimum_security: MinimumSecurity::ImplicitTls,
            ..Options::default()
        },
        &[
            (Service::Imap, vec![rec(0, 1, 143, "s.example.net")]),
            (Service::Imaps, vec![rec(50, 1, 993, "i.example.net")]),
        ],
    );
    let plan = d.plan(1);
    assert_eq!(hosts(&plan.incoming.candidates), ["i.example.net:993"]);
    assert!(has(&plan, DiagnosticCode::BelowMinimumSecurity));
    let plan = run_named("starttls-only-implicit-required");
    assert_eq!(plan.incoming.status, Status::NoUsableRecords);
    assert_eq!(plan.outgoing.status, Status::NoUsableRecords);
}

// Requirements: D19.
#[test]
fn security_scenario_48_imap_only_gives_starttls_never_cleartext() {
    let plan = run_named("starttls-only");
    assert!(!plan.incoming.candidates.is_empty());
    assert!(
        plan.incoming
            .candidates
            .iter()
            .chain(&plan.outgoing.candidates)
            .all(|c| c.security == Security::Starttls)
    );
}

// Requirements: S8314-5.1c, S8314-5.2c, S3207-6a, D19.
#[test]
fn s8314_5_2a_cleartext_candidates_only_when_the_host_opts_in_and_last() {
    let plan = run_named("starttls-only-cleartext-allowed");
    let sec: Vec<Security> = plan
        .incoming
        .candidates
        .iter()
        .map(|c| c.security)
        .collect();
    assert_eq!(sec, [Security::Starttls, Security::Cleartext]);
    let clear = &plan.incoming.candidates[1];
    assert!(clear.reference_identities.is_empty() && clear.sni.is_none());
    assert!(has(&plan, DiagnosticCode::CleartextAllowed));
}

// ---- Trust, identities, usernames -----------------------------------------------------------

#[test]
fn s6186_6c_d6_in_domain_is_decided_label_by_label() {
    let plan = run_named("odd-records");
    let pop = &plan.incoming_alternatives[0].candidates[0];
    assert_eq!(pop.host, "pop.evil-odd.example");
    assert_eq!(pop.trust, Trust::NeedsConfirmation);
    assert!(
        plan.incoming
            .candidates
            .iter()
            .all(|c| c.trust == Trust::InDomain)
    );
}

#[test]
fn s6186_6d_s8314_5_1e_out_of_domain_targets_need_confirmation() {
    let plan = run_named("custom-domain");
    assert!(
        plan.incoming
            .candidates
            .iter()
            .all(|c| c.trust == Trust::NeedsConfirmation)
    );
    assert!(has(&plan, DiagnosticCode::OutOfDomainTarget));
}

// Requirements: S7817-6a, S6125-6.2.1a, S6125-6.2.1c, D13, S6186-4e.
#[test]
fn s7817_3c_d8_reference_identities_are_the_srv_id_and_the_email_domain() {
    let plan = run_named("custom-domain");
    let c = &plan.incoming.candidates[0];
    let ids: Vec<(IdentityKind, &str)> = c
        .reference_identities
        .iter()
        .map(|r| (r.kind, r.value.as_str()))
        .collect();
    assert_eq!(
        ids,
        [
            (IdentityKind::SrvId, "_imaps.custom.example"),
            (IdentityKind::DnsId, "custom.example")
        ]
    );
    let starttls = &plan.incoming.candidates[1];
    assert_eq!(
        starttls.reference_identities[0].value,
        "_imap.custom.example"
    );
    // D13: SNI is the email domain; the target is offered as the retry name.
    assert_eq!(c.sni.as_deref(), Some("custom.example"));
    assert_eq!(c.sni_alternative.as_deref(), Some("imap.provider.example"));
}

// Requirements: S7817-8a, S6125-6.2.1b, S9525-6.1.1a, S7673-3.1b.
#[test]
fn d9_s7673_4_1a_target_host_is_an_identity_only_when_dnssec_secure() {
    let secure = run_named("signed-trusted");
    let c = &secure.incoming.candidates[0];
    assert_eq!(c.trust, Trust::DnssecSecure);
    assert!(
        c.reference_identities
            .iter()
            .any(|r| r.kind == IdentityKind::DnsId && r.value == "imap.provider.example")
    );
    let insecure = run_named("signed-untrusted");
    let c = &insecure.incoming.candidates[0];
    assert_eq!(c.trust, Trust::NeedsConfirmation);
    assert!(
        !c.reference_identities
            .iter()
            .any(|r| r.value == "imap.provider.example")
    );
}

// Requirements: S8484-9a, S4035-4.9.3.
#[test]
fn security_scenario_53_ad_bit_counts_only_from_a_trusted_resolver() {
    for trust_ad in [false, true] {
        let mut d = Discovery::new(
            "u@example.net",
            Options {
                trust_ad,
                ..Options::default()
            },
        )
        .unwrap();
        let q = question(&d, Service::Imaps);
        let wire = response(&q, |m| {
            m.metadata.authentic_data = true;
            m.add_answer(srv(
                "_imaps._tcp.example.net.",
                0,
                1,
                993,
                "mail.provider.example.",
            ));
        });
        d.receive(q.id, &wire, None).unwrap();
        let plan = d.plan(1);
        let c = &plan.incoming.candidates[0];
        if trust_ad {
            assert_eq!(c.trust, Trust::DnssecSecure);
        } else {
            assert_eq!(c.trust, Trust::NeedsConfirmation);
            assert!(has(&plan, DiagnosticCode::AdBitIgnored));
        }
    }
}

#[test]
fn d15_host_asserted_status_wins_and_bogus_answers_are_not_used() {
    let mut d = Discovery::new("u@example.net", Options::default()).unwrap();
    let q = question(&d, Service::Imaps);
    let wire = response(&q, |m| {
        m.add_answer(srv(
            "_imaps._tcp.example.net.",
            0,
            1,
            993,
            "mail.example.net.",
        ));
    });
    d.receive(q.id, &wire, Some(DnssecStatus::Bogus)).unwrap();
    for other in d.pending() {
        d.fail(other, Failure::NxDomain).unwrap();
    }
    let plan = d.plan(1);
    assert!(plan.incoming.candidates.is_empty());
    assert_eq!(plan.incoming.status, Status::NoUsableRecords);
    assert!(has(&plan, DiagnosticCode::DnssecBogus));
    assert_eq!(plan.lookups[q.id as usize].dnssec, DnssecStatus::Bogus);
}

#[test]
fn s6186_4g_usernames_are_the_full_address_then_the_local_part() {
    let plan = run_named("demo");
    assert_eq!(
        plan.incoming.candidates[0].usernames,
        ["alice@example.net", "alice"]
    );
}

#[test]
fn s6186_4h_d16_plan_expiry_is_the_smallest_ttl_seen() {
    let mut d = Discovery::new("u@example.net", Options::default()).unwrap();
    for q in d.questions().to_vec() {
        let ttl = 1000 + u32::from(q.id);
        let records = vec![SrvRecord {
            ttl: Some(ttl),
            ..rec(0, 1, 993, "m.example.net")
        }];
        d.receive_records(q.id, records, DnssecStatus::Insecure)
            .unwrap();
    }
    assert_eq!(d.plan(1).expires_in_secs, Some(1000));
    // Negative answers count with their SOA minimum (RFC 2308): demo.zone's is 300.
    assert_eq!(run_named("demo").expires_in_secs, Some(300));
    assert_eq!(run_named("refused").expires_in_secs, None);
}

// ---- Randomness -------------------------------------------------------------------------------

/// The `imapN` numbers of the incoming candidates, in plan order.
fn imap_numbers(plan: &Plan) -> Vec<u32> {
    plan.incoming
        .candidates
        .iter()
        .map(|c| {
            let n = c.host.strip_prefix("imap").unwrap();
            n.strip_suffix(".many.example").unwrap().parse().unwrap()
        })
        .collect()
}

// Requirements: S2782-use3.
#[test]
fn d5_s2782_wt2_a_seed_fixes_the_plan() {
    // many.zone: 64 `_imaps` records imapN with weight N and priority N mod 4, and one
    // `_submissions` record. SplitMix64 from seed 99 is used in question order: one draw for the
    // single `_submissions` record, then, per `_imaps` priority level from the records sorted by
    // (priority, weight), 15 Fisher-Yates draws and 16 weighted draws. This expected order was
    // computed with a separate model of that procedure and agrees with the planner.
    let d = common::discover(&common::case("many-records"));
    let expected: Vec<u32> = vec![
        44, 36, 28, 24, 32, 52, 48, 20, 64, 60, 4, 40, 8, 56, 16, 12, // priority 0
        61, 49, 33, 53, 57, 21, 41, 17, 37, 25, 29, 45, 9, 13, 5, 1, // priority 1
        62, 54, 26, 34, 46, 30, 42, 50, 38, 58, 22, 18, 6, 14, 10, 2, // priority 2
        27, 63, 23, 19, 31, 51, 35, 55, 47, 39, 15, 7, 43, 11, 59, 3, // priority 3
    ];
    let plan = d.plan(99);
    assert_eq!(imap_numbers(&plan), expected);
    assert_eq!(hosts(&plan.outgoing.candidates), ["smtp.many.example:465"]);
    // Another seed gives another order, so the expected order above depends on the seed.
    assert_ne!(imap_numbers(&d.plan(98)), expected);
    assert_eq!(&imap_numbers(&d.plan(98))[..4], [4, 56, 28, 48]);
    assert_ne!(
        hosts(&d.plan(1).incoming.candidates),
        hosts(&d.plan(2).incoming.candidates)
    );
}

// Requirements: S6186-4c.
#[test]
fn s2782_wt1_seeded_first_pick_share_matches_weights() {
    let d = common::discover(&common::case("weights"));
    let n = 4000;
    let mut firsts = std::collections::HashMap::new();
    for seed in 0..n {
        let plan = d.plan(seed);
        let list = &plan.incoming.candidates;
        assert_eq!(list.last().unwrap().host, "backup.weights.example");
        *firsts.entry(list[0].host.clone()).or_insert(0u32) += 1;
    }
    for (host, weight) in [
        ("a.weights.example", 60.0),
        ("b.weights.example", 30.0),
        ("c.weights.example", 10.0),
    ] {
        let share = f64::from(firsts[host]) / n as f64;
        // RFC 2782's literal draw in [0, sum] gives the first-listed record (w+1)/(S+1): still
        // within 2 % of w/S at S = 100.
        assert!((share - weight / 100.0).abs() < 0.03, "{host}: {share}");
    }
}

#[test]
fn d5_all_zero_weights_yield_every_order() {
    let d = common::discover(&common::case("zero-weights"));
    let orders: std::collections::HashSet<Vec<String>> = (0..300)
        .map(|s| hosts(&d.plan(s).incoming.candidates))
        .collect();
    assert_eq!(orders.len(), 6);
}

// ---- Answers ---------------------------------------------------------------------------------

// Requirements: S6186-4b.
#[test]
fn d17_every_outcome_class_is_reported() {
    let plan = run_named("failures");
    let outcomes: Vec<Outcome> = plan.lookups.iter().map(|l| l.outcome).collect();
    assert_eq!(
        outcomes,
        [
            Outcome::NetworkError,
            Outcome::OtherError,
            Outcome::ServFail,
            Outcome::Timeout,
            Outcome::Malformed,
            Outcome::NxDomain
        ]
    );
    assert_eq!(plan.incoming.status, Status::LookupFailed);
    let nothing = run_named("nothing-published");
    assert_eq!(nothing.lookups[2].outcome, Outcome::NoData);
    assert_eq!(nothing.lookups[0].outcome, Outcome::NxDomain);
    assert_eq!(nothing.incoming.status, Status::NotPublished);
    let refused = run_named("refused");
    assert!(
        refused
            .lookups
            .iter()
            .all(|l| l.outcome == Outcome::Refused)
    );
    assert_eq!(refused.outgoing.status, Status::LookupFailed);
}

#[test]
fn d17_truncated_answer_asks_for_tcp_and_accepts_the_tcp_answer() {
    let no_tcp = run_named("many-records-no-tcp");
    assert_eq!(no_tcp.lookups[2].outcome, Outcome::Truncated);
    assert!(has(&no_tcp, DiagnosticCode::Truncated));
    let full = run_named("many-records");
    assert_eq!(full.lookups[2].outcome, Outcome::Records);
    assert_eq!(full.incoming.candidates.len(), 64);
}

#[test]
fn security_scenario_82_foreign_responses_are_errors_and_change_nothing() {
    let mut d = Discovery::new("u@example.net", Options::default()).unwrap();
    let q = question(&d, Service::Imaps);
    let good = response(&q, |m| {
        m.add_answer(srv(
            "_imaps._tcp.example.net.",
            0,
            1,
            993,
            "mail.example.net.",
        ));
    });
    let mut wrong_id = good.clone();
    wrong_id[1] ^= 0x55;
    assert_eq!(
        d.receive(q.id, &wrong_id, None).unwrap_err().code(),
        ErrorCode::MessageIdMismatch
    );
    let mut query = good.clone();
    query[2] &= 0x7F;
    assert_eq!(
        d.receive(q.id, &query, None).unwrap_err().code(),
        ErrorCode::NotAResponse
    );
    let other = question(&d, Service::Imap);
    let other_question = response(&other, |_| {});
    let mut patched = other_question.clone();
    patched[..2].copy_from_slice(&q.message_id.to_be_bytes());
    assert_eq!(
        d.receive(q.id, &patched, None).unwrap_err().code(),
        ErrorCode::QuestionMismatch
    );
    assert!(d.pending().contains(&q.id));
    assert_eq!(d.receive(q.id, &good, None).unwrap(), Outcome::Records);
    assert!(!d.pending().contains(&q.id));
}

#[test]
fn misuse_unknown_ids_and_second_answers_are_typed_errors() {
    let mut d = Discovery::new("u@example.net", Options::default()).unwrap();
    assert_eq!(
        d.fail(99, Failure::Timeout).unwrap_err().code(),
        ErrorCode::UnknownQuestion
    );
    d.receive_records(
        0,
        vec![rec(0, 1, 465, "m.example.net")],
        DnssecStatus::Insecure,
    )
    .unwrap();
    assert_eq!(
        d.receive_records(0, vec![], DnssecStatus::Insecure)
            .unwrap_err()
            .code(),
        ErrorCode::AlreadyAnswered
    );
    // A failure may be replaced by a later answer (a retry).
    d.fail(1, Failure::Timeout).unwrap();
    d.receive_records(1, vec![], DnssecStatus::Insecure)
        .unwrap();
    assert_eq!(d.plan(1).lookups[1].outcome, Outcome::NoData);
    // A plan before all answers lists the rest as pending.
    let fresh = Discovery::new("u@example.net", Options::default()).unwrap();
    let plan = fresh.plan(1);
    assert!(plan.lookups.iter().all(|l| l.outcome == Outcome::Pending));
    assert_eq!(plan.incoming.status, Status::LookupFailed);
    assert!(!fresh.is_complete());
}

#[test]
fn security_scenario_80_targets_with_special_bytes_are_dropped() {
    use hickory_proto::rr::{Name, RData, Record, rdata::SRV};
    let mut d = Discovery::new("u@example.net", Options::default()).unwrap();
    let q = question(&d, Service::Imaps);
    let wire = response(&q, |m| {
        for bad in [&b"a b"[..], b"a.b", b"a\0", b"a/b", b"<x>"] {
            let target = Name::from_labels(vec![bad, b"example", b"net"]).unwrap();
            m.add_answer(Record::from_rdata(
                Name::from_ascii("_imaps._tcp.example.net.").unwrap(),
                60,
                RData::SRV(SRV::new(0, 1, 993, target)),
            ));
        }
        m.add_answer(srv(
            "_imaps._tcp.example.net.",
            1,
            1,
            993,
            "_good.example.net.",
        ));
    });
    d.receive(q.id, &wire, None).unwrap();
    let plan = d.plan(1);
    assert_eq!(hosts(&plan.incoming.candidates), ["_good.example.net:993"]);
    let invalid = plan
        .diagnostics
        .iter()
        .filter(|d| d.code == DiagnosticCode::InvalidTarget)
        .count();
    assert_eq!(invalid, 5);
}

// Requirements: S2782-fmt.
#[test]
fn security_scenario_81_records_of_other_owners_are_ignored() {
    let mut d = Discovery::new("u@example.net", Options::default()).unwrap();
    let q = question(&d, Service::Imaps);
    let wire = response(&q, |m| {
        m.add_answer(srv("_imaps._tcp.evil.example.", 0, 1, 993, "evil.example."));
        m.add_answer(srv(
            "_imap._tcp.example.net.",
            0,
            1,
            143,
            "other.example.net.",
        ));
        m.add_answer(srv(
            "_imaps._tcp.example.net.",
            0,
            1,
            993,
            "mail.example.net.",
        ));
    });
    d.receive(q.id, &wire, None).unwrap();
    let plan = d.plan(1);
    assert_eq!(hosts(&plan.incoming.candidates), ["mail.example.net:993"]);
    assert!(has(&plan, DiagnosticCode::IgnoredRecords));
}

// Requirements: S2782-port.
#[test]
fn duplicates_port_zero_and_wrong_submission_ports_get_diagnostics() {
    let plan = run_named("odd-records");
    assert!(has(&plan, DiagnosticCode::PortZero));
    assert!(has(&plan, DiagnosticCode::SubmissionOnImplicitTlsPort));
    assert!(has(&plan, DiagnosticCode::SubmissionsOnStarttlsPort));
    // Security scenario 50: deterministic and never cleartext.
    let sec: Vec<Security> = plan
        .outgoing
        .candidates
        .iter()
        .map(|c| c.security)
        .collect();
    assert_eq!(sec, [Security::ImplicitTls, Security::Starttls]);

    let d = with_records(
        Options::default(),
        &[(
            Service::Imaps,
            vec![
                rec(0, 1, 993, "m.example.net"),
                rec(0, 1, 993, "M.Example.NET."),
            ],
        )],
    );
    let plan = d.plan(1);
    assert_eq!(plan.incoming.candidates.len(), 1);
    assert!(has(&plan, DiagnosticCode::DuplicateRecord));
}

// Requirements: S2782-tgt1, S9525-6.1.1a.
#[test]
fn d18_alias_targets_and_owner_aliases_are_followed_with_diagnostics() {
    let plan = run_named("alias");
    assert!(has(&plan, DiagnosticCode::TargetIsAlias));
    assert!(has(&plan, DiagnosticCode::OwnerAlias));
    let c = &plan.incoming.candidates[0];
    assert_eq!(
        c.host, "mail.alias.example",
        "the SRV target, not the canonical name, is kept"
    );
    assert_eq!(
        c.addresses,
        ["192.0.2.40".parse::<std::net::IpAddr>().unwrap()]
    );
    assert_eq!(plan.outgoing.candidates[0].host, "real.alias.example");
}

#[test]
fn s7673_3_1a_dname_at_the_owner_is_followed() {
    use hickory_proto::rr::{Name, RData, Record, RecordType, rdata::NULL};
    use hickory_proto::serialize::binary::BinEncodable;
    let mut d = Discovery::new("u@example.net", Options::default()).unwrap();
    let q = question(&d, Service::Imaps);
    let target = Name::from_ascii("_tcp.moved.example.")
        .unwrap()
        .to_bytes()
        .unwrap();
    let wire = response(&q, |m| {
        m.add_answer(Record::from_rdata(
            Name::from_ascii("_tcp.example.net.").unwrap(),
            60,
            RData::Unknown {
                code: RecordType::DNAME,
                rdata: NULL::with(target),
            },
        ));
        m.add_answer(srv(
            "_imaps._tcp.moved.example.",
            0,
            1,
            993,
            "mail.moved.example.",
        ));
    });
    d.receive(q.id, &wire, None).unwrap();
    let plan = d.plan(1);
    assert_eq!(hosts(&plan.incoming.candidates), ["mail.moved.example:993"]);
    assert!(has(&plan, DiagnosticCode::OwnerAlias));
    assert_eq!(plan.expires_in_secs, Some(60));
}

#[test]
fn s2782_use2_addresses_come_from_the_additional_section() {
    let mut d = Discovery::new("u@example.net", Options::default()).unwrap();
    let q = question(&d, Service::Imaps);
    let wire = response(&q, |m| {
        m.add_answer(srv(
            "_imaps._tcp.example.net.",
            0,
            1,
            993,
            "mail.example.net.",
        ));
        m.add_additional(a("mail.example.net.", [192, 0, 2, 7]));
        m.add_additional(a("other.example.net.", [192, 0, 2, 8]));
    });
    d.receive(q.id, &wire, None).unwrap();
    let c = &d.plan(1).incoming.candidates[0];
    assert_eq!(
        c.addresses,
        ["192.0.2.7".parse::<std::net::IpAddr>().unwrap()]
    );
}

#[test]
fn parsed_records_from_resolver_apis_are_normalised() {
    let d = with_records(
        Options::default(),
        &[(
            Service::Submissions,
            vec![rec(0, 1, 465, "SMTP.Example.NET.")],
        )],
    );
    let plan = d.plan(1);
    assert_eq!(plan.outgoing.candidates[0].host, "smtp.example.net");
    assert_eq!(plan.outgoing.candidates[0].trust, Trust::InDomain);
}

#[test]
fn one_shot_plan_from_responses_skips_foreign_messages() {
    let d = Discovery::new("u@example.net", Options::default()).unwrap();
    let q = question(&d, Service::Imaps);
    let good = response(&q, |m| {
        m.add_answer(srv(
            "_imaps._tcp.example.net.",
            0,
            1,
            993,
            "mail.example.net.",
        ));
    });
    let mut foreign = good.clone();
    foreign[0] ^= 0xFF;
    let plan = mailsrv::plan_from_responses(
        "u@example.net",
        Options::default(),
        &[(q.id, &foreign), (q.id, &good)],
        5,
    )
    .unwrap();
    assert_eq!(hosts(&plan.incoming.candidates), ["mail.example.net:993"]);
}

#[test]
fn security_scenario_71_alpn_ids_are_offered_and_other_protocols_refused() {
    let plan = run_named("demo");
    let imaps = &plan.incoming.candidates[0];
    assert_eq!(imaps.alpn, ["imap"]);
    assert!(imaps.accepts_alpn(None), "servers without ALPN are fine");
    assert!(imaps.accepts_alpn(Some(b"imap")));
    assert!(
        !imaps.accepts_alpn(Some(b"http/1.1")),
        "another protocol behind the certificate"
    );
    assert!(!imaps.accepts_alpn(Some(b"pop3")));
    assert_eq!(plan.incoming_alternatives[0].candidates[0].alpn, ["pop3"]);
    // Submission has no registered ALPN ID: nothing is offered, and any selection is refused.
    let smtp = &plan.outgoing.candidates[0];
    assert!(smtp.alpn.is_empty());
    assert!(!smtp.accepts_alpn(Some(b"smtp")));
    let clear = &run_named("starttls-only-cleartext-allowed")
        .incoming
        .candidates[1];
    assert!(clear.alpn.is_empty());
}

#[test]
fn d5_the_plan_does_not_depend_on_the_order_of_records_in_the_answer() {
    // Resolvers rotate RRsets (Unbound's rrset-roundrobin): the same records in another order
    // with the same seed must give the same plan.
    let records = vec![
        rec(0, 60, 993, "imap1.example.net"),
        rec(0, 40, 993, "imap2.example.net"),
        rec(0, 0, 993, "imap3.example.net"),
        rec(5, 1, 993, "backup.example.net"),
    ];
    let mut reversed = records.clone();
    reversed.reverse();
    for seed in 0..50 {
        let a = with_records(Options::default(), &[(Service::Imaps, records.clone())]).plan(seed);
        let b = with_records(Options::default(), &[(Service::Imaps, reversed.clone())]).plan(seed);
        assert_eq!(a, b, "seed {seed}");
    }
}

// A host's reason for a failed lookup reaches the plan's lookup-failed diagnostic, one short
// line; a negative answer's "reason" and an empty one add nothing.
#[test]
fn a_failed_lookup_shows_the_hosts_reason_cut_to_one_short_line() {
    let mut d = Discovery::new("alice@example.net", Options::default()).unwrap();
    let qs = d.questions().to_vec();
    let hostile = format!("DoH server answered HTTP 500\n\x1b[2J{}", "x".repeat(5000));
    d.fail_because(qs[0].id, Failure::NetworkError, &hostile)
        .unwrap();
    d.fail_because(qs[1].id, Failure::Timeout, "  ").unwrap();
    d.fail_because(qs[2].id, Failure::NxDomain, "the name does not exist")
        .unwrap();
    for q in &qs[3..] {
        d.fail(q.id, Failure::Timeout).unwrap();
    }
    let plan = d.plan(1);
    let failed: Vec<&str> = plan
        .diagnostics
        .iter()
        .filter(|x| x.code == DiagnosticCode::LookupFailed)
        .map(|x| x.message.as_str())
        .collect();
    let with_reason: Vec<&&str> = failed.iter().filter(|m| m.contains("HTTP 500")).collect();
    assert_eq!(with_reason.len(), 1, "{failed:?}");
    let m = with_reason[0];
    assert!(
        m.starts_with(&format!(
            "`{}`: the lookup failed (network-error: DoH server answered HTTP 500\u{fffd}\u{fffd}[2J",
            qs[0].name
        )),
        "{m}"
    );
    assert!(m.ends_with("); the service may exist"), "{m}");
    assert!(!m.contains('\n') && m.chars().count() < 200 + 120, "{m}");
    // One diagnostic for the question: the reason's, not a second one without it.
    assert_eq!(
        failed
            .iter()
            .filter(|m| m.contains(&format!("`{}`", qs[0].name)))
            .count(),
        1
    );
    // An empty reason: the plain message; a negative answer: no lookup-failed at all.
    assert!(
        failed.contains(
            &format!(
                "`{}`: the lookup failed (timeout); the service may exist",
                qs[1].name
            )
            .as_str()
        )
    );
    assert!(
        !failed
            .iter()
            .any(|m| m.contains(&format!("`{}`", qs[2].name)))
    );
    // The same error codes as fail(): an unknown question, an answered one.
    assert_eq!(
        d.fail_because(999, Failure::Timeout, "x")
            .unwrap_err()
            .code(),
        ErrorCode::UnknownQuestion
    );
}
