//! The planner with the core's validator, against a private signed hierarchy built in-test
//! (the validator tests' machinery): root `.`, `test.`, `example.test.`, with Ed25519 keys from
//! fixed seeds.

use crate::diagnostic::DiagnosticCode;
use crate::dns::{DnssecSource, DnssecStatus, Outcome};
use crate::dnssec::rr::rtype;
use crate::dnssec::text::parse_time;
use crate::dnssec::validator::Query;
use crate::dnssec::validator::tests::{NOW, World, Zone, n, nsec, rec};
use crate::plan::{Discovery, Options, Plan, Source, TlsaStatus, Trust};

const EMAIL: &str = "user@example.test";

/// Trust-anchor file text for `zone`'s key, as a DS record.
fn anchor_text(zone: &Zone) -> String {
    let ds = zone.ds_rdata();
    let hex: String = ds[4..].iter().map(|b| format!("{b:02X}")).collect();
    let tag = u16::from_be_bytes([ds[0], ds[1]]);
    format!(". 3600 IN DS {tag} {} {} {hex}\n", ds[2], ds[3])
}

/// The signed hierarchy: `_imaps._tcp.example.test.` points at a host of another domain
/// (`mail.provider.test.`), `_imap._tcp.example.test.` says "not offered". Returns the world,
/// the anchor text and the `example.test.` zone (to sign or tamper with more records).
fn world() -> (World, String, Zone) {
    let root = Zone::new(".", 1);
    let tld = Zone::new("test.", 2);
    let ex = Zone::new("example.test.", 3);
    let mut w = World::default();
    w.put_keys(&root);
    w.delegate(&root, &tld);
    w.delegate(&tld, &ex);
    w.put(
        "_imaps._tcp.example.test.",
        rtype::SRV,
        0,
        ex.signed(vec![rec(
            "_imaps._tcp.example.test. 3600 IN SRV 0 1 993 mail.provider.test.",
        )]),
        vec![],
    );
    w.put(
        "_imap._tcp.example.test.",
        rtype::SRV,
        0,
        ex.signed(vec![rec("_imap._tcp.example.test. 3600 IN SRV 0 0 0 .")]),
        vec![],
    );
    let provider = Zone::new("provider.test.", 4);
    w.delegate(&tld, &provider);
    put_target(&mut w, &provider, "mail.provider.test.", 993);
    (w, anchor_text(&root), ex)
}

/// TLSA data of the in-test world's targets: a SHA-256 digest's worth of 0xab.
const TLSA_HEX: &str = "abababababababababababababababababababababababababababababababab";

/// The target `host` in `zone`: a signed A record, AAAA proven absent (NODATA, NSEC) and a
/// signed DANE-EE TLSA record at `_<port>._tcp.<host>` (issue 15).
fn put_target(w: &mut World, zone: &Zone, host: &str, port: u16) {
    w.put(
        host,
        rtype::A,
        0,
        zone.signed(vec![rec(&format!("{host} 3600 IN A 192.0.2.1"))]),
        vec![],
    );
    let next = format!("\\000.{host}");
    w.put(
        host,
        rtype::AAAA,
        0,
        vec![],
        zone.signed(vec![nsec(
            host,
            &next,
            &[rtype::A, rtype::RRSIG, rtype::NSEC],
        )]),
    );
    let owner = format!("_{port}._tcp.{host}");
    w.put(
        &owner,
        rtype::TLSA,
        0,
        zone.signed(vec![rec(&format!(
            "{owner} 3600 IN TLSA \\# 35 030101{TLSA_HEX}"
        ))]),
        vec![],
    );
}

/// IMAP only, SRV only, validation on at the world's `now`.
fn options(anchors: &str) -> Options {
    Options {
        pop3: false,
        submission: false,
        sources: vec![Source::Srv],
        ..Options::default()
    }
    .validate_dnssec(Some(anchors.to_owned()), parse_time(NOW).unwrap())
}

fn answer(w: &World, name: &str, qtype: u16, message_id: u16) -> Option<Vec<u8>> {
    let q = Query {
        message_id,
        name: n(name),
        qtype,
        wire: Vec::new(),
    };
    w.wire(&q)
}

/// Answers everything pending, round after round, as a host loops; returns the plan and the
/// number of rounds.
fn run(w: &World, d: &mut Discovery) -> (Plan, usize) {
    let mut rounds = 0;
    loop {
        let srv: Vec<_> = d
            .pending()
            .into_iter()
            .map(|id| d.questions()[usize::from(id)].clone())
            .collect();
        let extra = d.pending_dnssec();
        if srv.is_empty() && extra.is_empty() {
            break;
        }
        rounds += 1;
        assert!(rounds < 10, "no end");
        for q in srv {
            let name = format!("{}.", q.name);
            match answer(w, &name, rtype::SRV, q.message_id) {
                Some(wire) => {
                    d.receive(q.id, &wire, None).unwrap();
                }
                None => d.fail(q.id, crate::plan::Failure::ServFail).unwrap(),
            }
        }
        for q in extra {
            match answer(w, &q.name, q.record_type, q.message_id) {
                Some(wire) => {
                    d.receive_dnssec(q.message_id, &wire).unwrap();
                }
                None => d.fail_dnssec(q.message_id).unwrap(),
            }
        }
    }
    (d.plan(7), rounds)
}

#[test]
fn s6186_6d_d9_validated_secure_srv_gives_dnssec_secure_candidates_without_confirmation() {
    let (w, anchors, _) = world();
    let mut d = Discovery::new(EMAIL, options(&anchors)).unwrap();
    assert!(d.validates_dnssec());
    let (plan, _) = run(&w, &mut d);
    assert!(plan.is_final);
    let c = plan.incoming.candidates.first().expect("a candidate");
    assert_eq!(c.host, "mail.provider.test");
    assert_eq!(c.trust, Trust::DnssecSecure);
    assert_eq!(c.confirm, None);
    assert!(plan.confirm.is_empty());
    // D9: the secure SRV target is a reference identity.
    assert!(
        c.reference_identities
            .iter()
            .any(|r| r.value == "mail.provider.test"),
        "{:?}",
        c.reference_identities
    );
    let imaps = &plan.lookups[0];
    assert_eq!(imaps.dnssec, DnssecStatus::Secure);
    assert_eq!(imaps.dnssec_source, DnssecSource::Validated);
}

#[test]
fn s6186_6d_without_validation_the_same_answer_needs_confirmation() {
    let (w, anchors, _) = world();
    let mut opts = options(&anchors);
    opts.dnssec = None;
    let mut d = Discovery::new(EMAIL, opts).unwrap();
    assert!(d.dnssec_questions().is_empty());
    let (plan, _) = run(&w, &mut d);
    let c = plan.incoming.candidates.first().expect("a candidate");
    assert_eq!(c.trust, Trust::NeedsConfirmation);
    assert_eq!(plan.lookups[0].dnssec_source, DnssecSource::None);
}

#[test]
fn rfc4035_5_3_bogus_srv_gives_no_candidates_and_a_dnssec_bogus_diagnostic() {
    let (mut w, anchors, ex) = world();
    let mut recs = ex.signed(vec![rec(
        "_imaps._tcp.example.test. 3600 IN SRV 0 1 993 mail.provider.test.",
    )]);
    recs[0] = rec("_imaps._tcp.example.test. 3600 IN SRV 0 1 993 evil.attacker.test.");
    w.put("_imaps._tcp.example.test.", rtype::SRV, 0, recs, vec![]);
    let mut d = Discovery::new(EMAIL, options(&anchors)).unwrap();
    let (plan, _) = run(&w, &mut d);
    assert!(plan.is_final);
    assert!(plan.incoming.candidates.is_empty(), "{:?}", plan.incoming);
    assert_eq!(plan.lookups[0].dnssec, DnssecStatus::Bogus);
    let diag = plan
        .diagnostics
        .iter()
        .find(|d| d.code == DiagnosticCode::DnssecBogus)
        .expect("a dnssec-bogus diagnostic");
    assert!(diag.message.contains("EDE 6"), "{}", diag.message);
}

#[test]
fn rfc4035_5_2_insecure_delegation_gives_insecure_status() {
    // `example.test.` unsigned: `test.` proves there is no DS (NSEC without DS bit).
    let (mut w, anchors, _) = world();
    let tld = Zone::new("test.", 2);
    w.put(
        "example.test.",
        rtype::DS,
        0,
        vec![],
        tld.signed(vec![nsec(
            "example.test.",
            "zzz.test.",
            &[rtype::NS, rtype::RRSIG, rtype::NSEC],
        )]),
    );
    w.put("example.test.", rtype::DNSKEY, 0, vec![], vec![]);
    w.put(
        "_imaps._tcp.example.test.",
        rtype::SRV,
        0,
        vec![rec(
            "_imaps._tcp.example.test. 3600 IN SRV 0 1 993 mail.provider.test.",
        )],
        vec![],
    );
    w.put(
        "_imap._tcp.example.test.",
        rtype::SRV,
        0,
        vec![rec("_imap._tcp.example.test. 3600 IN SRV 0 0 0 .")],
        vec![],
    );
    let mut d = Discovery::new(EMAIL, options(&anchors)).unwrap();
    let (plan, _) = run(&w, &mut d);
    assert!(plan.is_final);
    assert_eq!(plan.lookups[0].dnssec, DnssecStatus::Insecure);
    assert_eq!(plan.lookups[0].dnssec_source, DnssecSource::Validated);
    let c = plan.incoming.candidates.first().expect("a candidate");
    assert_eq!(c.trust, Trust::NeedsConfirmation);
}

#[test]
fn issue14_validated_plan_costs_one_round_trip_for_an_in_zone_answer() {
    let (w, anchors, _) = world();
    let mut d = Discovery::new(EMAIL, options(&anchors)).unwrap();
    // First round: 2 SRV + DNSKEY . + DS/DNSKEY test. + DS/DNSKEY example.test.
    assert_eq!(d.questions().len() + d.pending_dnssec().len(), 7);
    for q in d.questions() {
        assert_ne!(q.wire[3] & 0x10, 0, "CD set on `{}`", q.name);
    }
    let (plan, rounds) = run(&w, &mut d);
    // The SRV answers validate in that one round; the secure one's target then costs one more
    // round for its addresses and TLSA (issue 15), which the SRV answer alone reveals.
    assert_eq!(rounds, 2);
    assert_eq!(plan.lookups[0].dnssec, DnssecStatus::Secure);
    assert!(plan.is_final);
    assert!(d.is_complete());
}

#[test]
fn s7673_3_2a_3_3a_d46_target_addresses_and_tlsa_are_asked_in_one_round_after_a_secure_srv() {
    let (w, anchors, _) = world();
    let mut d = Discovery::new(EMAIL, options(&anchors)).unwrap();
    let first: Vec<u16> = d.pending_dnssec().iter().map(|q| q.message_id).collect();
    for q in d.questions().to_vec() {
        let wire = answer(&w, &format!("{}.", q.name), rtype::SRV, q.message_id).unwrap();
        d.receive(q.id, &wire, None).unwrap();
    }
    for q in d.pending_dnssec() {
        match answer(&w, &q.name, q.record_type, q.message_id) {
            Some(wire) => d.receive_dnssec(q.message_id, &wire).map(|_| ()).unwrap(),
            None => d.fail_dnssec(q.message_id).unwrap(),
        }
    }
    // Round two: every question is new, and A, AAAA and TLSA of the target are all there.
    let second = d.pending_dnssec();
    assert!(second.iter().all(|q| !first.contains(&q.message_id)));
    let asked = |name: &str, t: u16| second.iter().any(|q| q.name == name && q.record_type == t);
    assert!(asked("mail.provider.test.", rtype::A), "{second:?}");
    assert!(asked("mail.provider.test.", rtype::AAAA), "{second:?}");
    assert!(
        asked("_993._tcp.mail.provider.test.", rtype::TLSA),
        "{second:?}"
    );
    // With the chain of trust to the target's zone in the same round (S7673-3.3a: the name).
    assert!(asked("provider.test.", rtype::DS), "{second:?}");
    assert!(asked("provider.test.", rtype::DNSKEY), "{second:?}");
    let (plan, rounds) = run(&w, &mut d);
    assert_eq!(rounds, 1, "the second round was the last");
    let c = plan.incoming.candidates.first().expect("a candidate");
    assert_eq!(c.addresses_dnssec, Some(DnssecStatus::Secure));
    assert_eq!(c.addresses, vec![std::net::IpAddr::from([192, 0, 2, 1])]);
    let t = c.tlsa.as_ref().expect("tlsa");
    assert_eq!(t.name, "_993._tcp.mail.provider.test");
    assert_eq!(t.status, TlsaStatus::Secure);
    assert_eq!(t.records, vec![format!("3 1 1 {TLSA_HEX}")]);
}

#[test]
fn d15_trust_ad_is_ignored_when_the_validator_decides() {
    let (mut w, anchors, _) = world();
    // An unsigned answer in a signed zone, AD or not, is bogus for the validator.
    w.put(
        "_imaps._tcp.example.test.",
        rtype::SRV,
        0,
        vec![rec(
            "_imaps._tcp.example.test. 3600 IN SRV 0 1 993 mail.provider.test.",
        )],
        vec![],
    );
    let mut opts = options(&anchors);
    opts.trust_ad = true;
    let mut d = Discovery::new(EMAIL, opts).unwrap();
    let q = d.questions()[0].clone();
    let mut wire = answer(&w, "_imaps._tcp.example.test.", rtype::SRV, q.message_id).unwrap();
    wire[3] |= 0x20; // AD
    d.receive(q.id, &wire, Some(DnssecStatus::Secure)).unwrap();
    let (plan, _) = run(&w, &mut d);
    assert_eq!(plan.lookups[0].dnssec, DnssecStatus::Bogus);
    assert_eq!(plan.lookups[0].dnssec_source, DnssecSource::Validated);
    assert!(plan.incoming.candidates.is_empty());
}

#[test]
fn d41_an_answer_is_not_used_before_its_validation_ends() {
    let (w, anchors, _) = world();
    let mut d = Discovery::new(EMAIL, options(&anchors)).unwrap();
    for q in d.questions().to_vec() {
        let name = format!("{}.", q.name);
        let wire = answer(&w, &name, rtype::SRV, q.message_id).unwrap();
        assert_eq!(d.receive(q.id, &wire, None).unwrap(), Outcome::Records);
    }
    let plan = d.plan(7);
    assert!(!plan.is_final);
    assert!(plan.incoming.candidates.is_empty());
    assert!(!d.is_complete());
    assert!(!d.pending_dnssec().is_empty());
}

#[test]
fn d41_foreign_and_unknown_dnssec_responses_change_nothing() {
    let (w, anchors, _) = world();
    let mut d = Discovery::new(EMAIL, options(&anchors)).unwrap();
    let q = d.pending_dnssec()[0].clone();
    let wire = answer(&w, &q.name, q.record_type, q.message_id.wrapping_add(100)).unwrap();
    let e = d.receive_dnssec(q.message_id, &wire).unwrap_err();
    assert!(e.code().is_foreign_response(), "{e:?}");
    let e = d
        .receive_dnssec(q.message_id.wrapping_add(1000), &wire)
        .unwrap_err();
    assert_eq!(e.code(), crate::error::ErrorCode::UnknownQuestion);
    assert!(d.pending_dnssec().contains(&q));
}

#[test]
fn d41_bad_trust_anchor_text_is_an_invalid_option() {
    let opts = options("example. IN DS not a ds record\n");
    let e = Discovery::new(EMAIL, opts).unwrap_err();
    assert_eq!(e.code(), crate::error::ErrorCode::InvalidOption);
}

#[test]
fn d41_a_retried_srv_question_is_still_validated() {
    let (w, anchors, _) = world();
    let mut d = Discovery::new(EMAIL, options(&anchors)).unwrap();
    let q = d.questions()[0].clone();
    // A timeout, then a SERVFAIL response: both worth retrying, neither the validator's.
    d.fail(q.id, crate::plan::Failure::Timeout).unwrap();
    let mut servfail = answer(&w, "_imaps._tcp.example.test.", rtype::SRV, q.message_id).unwrap();
    servfail[3] = (servfail[3] & 0xf0) | 2;
    assert_eq!(d.receive(q.id, &servfail, None).unwrap(), Outcome::ServFail);
    assert!(d.pending().contains(&q.id));
    let (plan, _) = run(&w, &mut d);
    assert_eq!(plan.lookups[0].dnssec, DnssecStatus::Secure);
    assert_eq!(plan.lookups[0].outcome, Outcome::Records);
    assert!(plan.is_final);
}

#[cfg(feature = "autoconfig")]
/// The MX-derived autoconfig document of `mx.provider.test.`: IMAP at `imap.provider.test`.
const MX_DOC: &str = r#"<clientConfig version="1.1"><emailProvider id="p"><domain>example.test</domain><incomingServer type="imap"><hostname>imap.provider.test</hostname><port>993</port><socketType>SSL</socketType><username>%EMAILADDRESS%</username><authentication>password-cleartext</authentication></incomingServer></emailProvider></clientConfig>"#;

#[cfg(feature = "autoconfig")]
/// Runs a discovery with SRV and MX-derived autoconfig: DNS as [`run`] does (plus the MX
/// question), then the MX-derived request served with [`MX_DOC`], the others 404.
fn run_with_mx(w: &World, anchors: &str) -> Plan {
    let opts = Options {
        sources: vec![Source::Srv, Source::MxAutoconfig],
        ..options(anchors)
    };
    let mut d = Discovery::new(EMAIL, opts).unwrap();
    let mx = d.mx_question().expect("an MX question").clone();
    assert_ne!(
        mx.wire[3] & 0x10,
        0,
        "the MX query is the validator's (CD set)"
    );
    let wire = answer(w, "example.test.", rtype::MX, mx.message_id).unwrap();
    d.receive_mx_response(&wire, Some(DnssecStatus::Secure))
        .unwrap();
    let _ = run(w, &mut d);
    for r in d.pending_requests() {
        if r.url == "https://autoconfig.provider.test/mail/config-v1.1.xml" {
            d.receive_http(r.id, 200, Some("text/xml"), MX_DOC.as_bytes())
                .unwrap();
        } else {
            d.receive_http(r.id, 404, Some("text/html"), b"").unwrap();
        }
    }
    d.plan(7)
}

#[cfg(feature = "autoconfig")]
fn mx_candidate(plan: &Plan) -> Option<&crate::plan::Candidate> {
    plan.incoming
        .candidates
        .iter()
        .chain(
            plan.incoming_alternatives
                .iter()
                .flat_map(|a| &a.candidates),
        )
        .find(|c| c.source == Source::MxAutoconfig)
}

#[cfg(feature = "autoconfig")]
#[test]
fn d27_validated_secure_mx_makes_mx_derived_candidates_authenticated() {
    let (mut w, anchors, ex) = world();
    w.put(
        "example.test.",
        rtype::MX,
        0,
        ex.signed(vec![rec("example.test. 3600 IN MX 10 mx.provider.test.")]),
        vec![],
    );
    let plan = run_with_mx(&w, &anchors);
    let mx = plan.mx.as_ref().unwrap();
    assert_eq!(mx.dnssec, DnssecStatus::Secure);
    assert_eq!(mx.dnssec_source, DnssecSource::Validated);
    assert!(plan.is_final);
    let c = mx_candidate(&plan).expect("an MX-derived candidate");
    assert_eq!(c.trust, Trust::Authenticated);
}

#[cfg(feature = "autoconfig")]
#[test]
fn d15_validated_bogus_mx_gives_no_mx_derived_candidates() {
    let (mut w, anchors, ex) = world();
    let mut recs = ex.signed(vec![rec("example.test. 3600 IN MX 10 mx.provider.test.")]);
    // Same target, forged preference: the signature no longer matches.
    recs[0] = rec("example.test. 3600 IN MX 20 mx.provider.test.");
    w.put("example.test.", rtype::MX, 0, recs, vec![]);
    let plan = run_with_mx(&w, &anchors);
    let mx = plan.mx.as_ref().unwrap();
    assert_eq!(mx.dnssec, DnssecStatus::Bogus);
    assert!(plan.is_final);
    assert!(mx_candidate(&plan).is_none(), "{:?}", plan.incoming);
    assert!(
        plan.diagnostics
            .iter()
            .any(|d| d.code == DiagnosticCode::DnssecBogus && d.message.contains("MX")),
        "{:?}",
        plan.diagnostics
    );
}

/// The plan for `world` with options changed by `change`, after every round.
fn plan_with(w: &World, anchors: &str, change: impl FnOnce(&mut Options)) -> (Plan, Discovery) {
    let mut opts = options(anchors);
    change(&mut opts);
    let mut d = Discovery::new(EMAIL, opts).unwrap();
    let (plan, _) = run(w, &mut d);
    (plan, d)
}

#[test]
fn d47_tlsa_lookups_are_capped_per_plan_flood() {
    let (mut w, anchors, ex) = world();
    let provider = Zone::new("provider.test.", 4);
    let targets = 40;
    let mut srv = Vec::new();
    for i in 0..targets {
        let host = format!("t{i:02}.provider.test.");
        put_target(&mut w, &provider, &host, 993);
        srv.push(rec(&format!(
            "_imaps._tcp.example.test. 3600 IN SRV 0 1 993 {host}"
        )));
    }
    w.put(
        "_imaps._tcp.example.test.",
        rtype::SRV,
        0,
        ex.signed(srv),
        vec![],
    );
    let (plan, d) = plan_with(&w, &anchors, |_| {});
    assert!(plan.is_final);
    let tlsa_questions = d
        .dnssec_questions()
        .iter()
        .filter(|q| q.record_type == rtype::TLSA)
        .count();
    assert_eq!(tlsa_questions, crate::limits::MAX_TLSA_LOOKUPS);
    let address_questions = d
        .dnssec_questions()
        .iter()
        .filter(|q| q.record_type == rtype::A || q.record_type == rtype::AAAA)
        .count();
    assert_eq!(address_questions, 2 * crate::limits::MAX_TLSA_LOOKUPS);
    // The targets beyond the cap are left out (their TLSA was not asked), with a diagnostic;
    // the kept ones are the first in (priority, weight, port, target) order.
    let c = &plan.incoming.candidates;
    assert_eq!(c.len(), crate::limits::MAX_TLSA_LOOKUPS, "{c:#?}");
    assert!(
        c.iter()
            .all(|c| c.tlsa.as_ref().map(|t| t.status) == Some(TlsaStatus::Secure))
    );
    assert!(c.iter().all(|c| c.host.as_str() < "t16.provider.test"));
    let left_out = plan
        .diagnostics
        .iter()
        .filter(|d| d.code == DiagnosticCode::IgnoredRecords && d.message.contains("TLSA"))
        .count();
    assert_eq!(left_out, targets - crate::limits::MAX_TLSA_LOOKUPS);
}

#[test]
fn s7673_3_4a_a_secure_tlsa_rrset_removes_the_cleartext_fallback() {
    let (mut w, anchors, ex) = world();
    let provider = Zone::new("provider.test.", 4);
    put_target(&mut w, &provider, "mail.provider.test.", 143);
    w.put(
        "_imap._tcp.example.test.",
        rtype::SRV,
        0,
        ex.signed(vec![rec(
            "_imap._tcp.example.test. 3600 IN SRV 0 1 143 mail.provider.test.",
        )]),
        vec![],
    );
    let (plan, _) = plan_with(&w, &anchors, |o| {
        o.minimum_security = crate::plan::MinimumSecurity::Cleartext;
    });
    let all = &plan.incoming.candidates;
    let starttls = all
        .iter()
        .find(|c| c.port == 143 && c.security == crate::service::Security::Starttls)
        .expect("the STARTTLS candidate");
    assert_eq!(starttls.tlsa.as_ref().unwrap().status, TlsaStatus::Secure);
    assert!(
        all.iter()
            .all(|c| c.security != crate::service::Security::Cleartext),
        "{all:#?}"
    );
    assert!(plan.diagnostics.iter().any(|d| {
        d.code == DiagnosticCode::BelowMinimumSecurity && d.message.contains("TLS is mandatory")
    }));
}

#[test]
fn s7673_3_2a_security_bogus_target_addresses_leave_the_target_out() {
    let (mut w, anchors, _) = world();
    // The A record of the target loses its signature: bogus.
    w.put(
        "mail.provider.test.",
        rtype::A,
        0,
        vec![rec("mail.provider.test. 3600 IN A 192.0.2.66")],
        vec![],
    );
    let (plan, _) = plan_with(&w, &anchors, |_| {});
    assert!(plan.is_final);
    assert!(
        plan.incoming
            .candidates
            .iter()
            .all(|c| c.host != "mail.provider.test"),
        "{:#?}",
        plan.incoming.candidates
    );
    assert_eq!(plan.incoming.status, crate::plan::Status::NoUsableRecords);
    assert!(plan.diagnostics.iter().any(|d| {
        d.code == DiagnosticCode::DnssecBogus && d.message.contains("addresses of target")
    }));
}

#[test]
fn s7673_3_4a_an_unanswered_tlsa_lookup_leaves_the_target_out_as_a_failure() {
    let (mut w, anchors, _) = world();
    // No answer at all for the TLSA question: indeterminate, not "absent".
    w.remove("_993._tcp.mail.provider.test.", rtype::TLSA);
    let (plan, _) = plan_with(&w, &anchors, |_| {});
    assert!(plan.incoming.candidates.is_empty());
    assert_eq!(plan.incoming.status, crate::plan::Status::LookupFailed);
}

#[test]
fn d45_a_candidate_keeps_at_most_32_tlsa_records_flood() {
    let (mut w, anchors, _) = world();
    let provider = Zone::new("provider.test.", 4);
    let owner = "_993._tcp.mail.provider.test.";
    let records = (0..40u8)
        .map(|i| {
            rec(&format!(
                "{owner} 3600 IN TLSA \\# 35 030101{}{i:02x}",
                &TLSA_HEX[2..]
            ))
        })
        .collect();
    w.put(owner, rtype::TLSA, 0, provider.signed(records), vec![]);
    let (plan, _) = plan_with(&w, &anchors, |_| {});
    let t = plan.incoming.candidates[0].tlsa.as_ref().unwrap();
    assert_eq!(t.status, TlsaStatus::Secure);
    assert_eq!(t.records.len(), crate::plan::MAX_PLAN_TLSA_RECORDS);
    assert!(
        t.reason.as_deref().unwrap().contains("40 TLSA records"),
        "{t:?}"
    );
}
