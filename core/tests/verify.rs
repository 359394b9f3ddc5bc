//! Certificate verification against the test PKI in testdata/certs (made by
//! scripts/make-test-pki.sh). Covers security scenarios 58–70 of the security notes.

#![allow(clippy::unwrap_used, reason = "a failing unwrap is a failing test")]

mod common;

use mailsrv::PresentedKind;
use mailsrv::{
    ErrorCode, IdentityKind, RejectReason, Service, Subject, Verdict, VerdictStatus, VerifyOptions,
    certificates_from_pem, verify_chain,
};

/// Inside the validity window of the committed PKI (see testdata/certs/validity.txt).
const NOW: u64 = 1_811_808_000; // 2027-06-01
const LATER: u64 = 2_208_988_800; // 2040-01-01
const EARLIER: u64 = 1_577_836_800; // 2020-01-01

fn pem(name: &str) -> Vec<Vec<u8>> {
    let path = common::testdata().join("certs").join(name);
    certificates_from_pem(&std::fs::read(path).unwrap()).unwrap()
}

fn subject(service: Service, host: &str, dnssec_secure: bool) -> Subject {
    Subject::new("example.net", service, host, dnssec_secure).unwrap()
}

fn check_with(
    chain: &str,
    anchor: &str,
    subject: &Subject,
    now: u64,
    options: VerifyOptions,
) -> Verdict {
    let chain = pem(chain);
    let anchors = pem(anchor);
    let chain: Vec<&[u8]> = chain.iter().map(Vec::as_slice).collect();
    let anchors: Vec<&[u8]> = anchors.iter().map(Vec::as_slice).collect();
    verify_chain(subject, &chain, &anchors, now, options).unwrap()
}

fn check(chain: &str, subject: &Subject) -> Verdict {
    check_with(chain, "ca.pem", subject, NOW, VerifyOptions::default())
}

fn rejected(v: &Verdict, reason: RejectReason) {
    assert_eq!(v.status, VerdictStatus::Rejected, "{v:?}");
    assert_eq!(v.reason, Some(reason), "{v:?}");
}

// Requirements: S6186-4f, S7817-3d, S8314-3b, S6125-6.6a, S4985-2d.
#[test]
fn security_scenario_61_srv_id_verifies_the_matching_service_only() {
    let v = check(
        "srv-id.chain.pem",
        &subject(Service::Imaps, "mail.provider.net", false),
    );
    assert_eq!(v.status, VerdictStatus::Verified, "{v:?}");
    let m = v.matched.unwrap();
    assert_eq!(
        (m.kind, m.value.as_str()),
        (IdentityKind::SrvId, "_imaps.example.net")
    );
    // A certificate carrying only SRV-IDs: `_imap` is not `_imaps`, `_submission` not `_submissions`.
    rejected(
        &check(
            "srv-id.chain.pem",
            &subject(Service::Imap, "mail.provider.net", false),
        ),
        RejectReason::NameMismatch,
    );
    rejected(
        &check(
            "srv-id.chain.pem",
            &subject(Service::Submission, "mail.provider.net", false),
        ),
        RejectReason::NameMismatch,
    );
    assert_eq!(
        check(
            "srv-id.chain.pem",
            &subject(Service::Submissions, "x.example.net", false)
        )
        .status,
        VerdictStatus::Verified
    );
}

// Requirements: D12, D11, S9525-6.3a.
#[test]
fn security_scenario_61_62_wrong_or_malformed_srv_ids_are_listed_but_never_match() {
    let v = check(
        "srv-wrong.chain.pem",
        &subject(Service::Imaps, "mail.example.net", false),
    );
    rejected(&v, RejectReason::NameMismatch);
    let srv: Vec<&str> = v
        .presented
        .iter()
        .filter(|p| p.kind == PresentedKind::SrvId)
        .map(|p| p.value.as_str())
        .collect();
    assert_eq!(
        srv,
        [
            "_xmpp.example.net",
            "_imaps.example.org",
            "_imaps.*.example.net",
            "imaps.example.net"
        ]
    );
    assert!(
        v.presented
            .iter()
            .any(|p| p.value == "_imaps.*.example.net" && p.invalid.is_some())
    );
    assert!(
        v.notes.iter().any(|n| n.contains("IA5String")),
        "{:?}",
        v.notes
    );
}

// Requirements: S7817-3b.
#[test]
fn security_scenario_60_dns_id_of_the_user_domain_verifies_at_the_provider() {
    let v = check(
        "domain.chain.pem",
        &subject(Service::Imaps, "mail.provider.net", false),
    );
    assert_eq!(v.status, VerdictStatus::Verified);
    assert_eq!(v.matched.unwrap().value, "example.net");
}

// Requirements: D7, S6186-6e, S6764-8a.
#[test]
fn security_scenario_58_59_d9_target_only_certificate_needs_dnssec_or_confirmation() {
    let v = check(
        "target-only.chain.pem",
        &subject(Service::Imaps, "mail.provider.net", false),
    );
    assert_eq!(v.status, VerdictStatus::NeedsConfirmation, "{v:?}");
    assert_eq!(v.matched.unwrap().value, "mail.provider.net");
    assert!(
        !v.reference_identities
            .iter()
            .any(|r| r.value == "mail.provider.net")
    );
    let v = check(
        "target-only.chain.pem",
        &subject(Service::Imaps, "mail.provider.net", true),
    );
    assert_eq!(v.status, VerdictStatus::Verified);
    assert_eq!(v.matched.unwrap().value, "mail.provider.net");
    // Connected to another host: nothing matches.
    rejected(
        &check(
            "target-only.chain.pem",
            &subject(Service::Imaps, "other.provider.net", false),
        ),
        RejectReason::NameMismatch,
    );
}

// Requirements: S7817-3g, S9525-6.3a, D11.
#[test]
fn security_scenario_65_wildcards_in_certificates() {
    let v = check(
        "wildcard.chain.pem",
        &subject(Service::Imaps, "imap.example.net", false),
    );
    // `*.example.net` does not cover `example.net` itself, only the in-domain target.
    assert_eq!(v.status, VerdictStatus::NeedsConfirmation, "{v:?}");
    assert_eq!(
        check(
            "wildcard.chain.pem",
            &subject(Service::Imaps, "imap.example.net", true)
        )
        .status,
        VerdictStatus::Verified
    );
    let v = check(
        "bad-wildcards.chain.pem",
        &Subject::new("example.co.uk", Service::Imaps, "foo.example.net", true).unwrap(),
    );
    rejected(&v, RejectReason::NameMismatch);
    assert_eq!(
        v.presented
            .iter()
            .filter(|p| p.kind == PresentedKind::DnsId && p.invalid.is_some())
            .count(),
        5,
        "{:?}",
        v.presented
    );
}

// Requirements: S4985-3a.
#[test]
fn security_scenario_63_idn_srv_id_and_dns_id_match_in_a_label_form() {
    let s = Subject::new("Bücher.example", Service::Imaps, "mail.provider.net", false).unwrap();
    let v = check("idn.chain.pem", &s);
    assert_eq!(v.status, VerdictStatus::Verified);
    assert_eq!(v.matched.unwrap().value, "_imaps.xn--bcher-kva.example");
}

#[test]
fn security_scenario_68_underscore_and_ip_literal_dns_names_never_match() {
    let err = Subject::new(
        "foo_bar.example.net",
        Service::Imaps,
        "foo_bar.example.net",
        true,
    )
    .unwrap_err();
    assert_eq!(
        err.code(),
        ErrorCode::InvalidDomain,
        "the email domain itself must be a host name"
    );
    let v = check(
        "underscore.chain.pem",
        &subject(Service::Imaps, "foo_bar.example.net", true),
    );
    rejected(&v, RejectReason::NameMismatch);
    assert!(
        v.presented
            .iter()
            .all(|p| p.kind != PresentedKind::DnsId || p.invalid.is_some())
    );
}

// Requirements: S7817-3f, S6125-6.3a, S6125-6.4c, S9525-A.
#[test]
fn security_scenario_64_d10_cn_only_in_legacy_mode_and_never_beside_sans() {
    let s = subject(Service::Imaps, "mail.provider.net", false);
    rejected(&check("cn-only.chain.pem", &s), RejectReason::NameMismatch);
    let legacy = VerifyOptions { legacy_cn: true };
    let v = check_with("cn-only.chain.pem", "ca.pem", &s, NOW, legacy);
    assert_eq!(v.status, VerdictStatus::Verified, "{v:?}");
    let v = check_with("cn-and-san.chain.pem", "ca.pem", &s, NOW, legacy);
    rejected(&v, RejectReason::NameMismatch);
    assert!(
        v.presented
            .iter()
            .any(|p| p.kind == PresentedKind::CnId && p.value == "example.net")
    );
}

// Requirements: S7817-3a, S8314-5.3a.
#[test]
fn security_scenario_69_self_signed_unknown_issuer_expired_not_yet_valid() {
    let s = subject(Service::Imaps, "mail.example.net", false);
    rejected(
        &check("self-signed.chain.pem", &s),
        RejectReason::UnknownIssuer,
    );
    rejected(
        &check("unknown-issuer.chain.pem", &s),
        RejectReason::UnknownIssuer,
    );
    let v = check_with(
        "domain.chain.pem",
        "ca.pem",
        &s,
        LATER,
        VerifyOptions::default(),
    );
    rejected(&v, RejectReason::Expired);
    assert!(
        v.presented.iter().any(|p| p.value == "example.net"),
        "a rejected verdict still lists the identities"
    );
    rejected(
        &check_with(
            "domain.chain.pem",
            "ca.pem",
            &s,
            EARLIER,
            VerifyOptions::default(),
        ),
        RejectReason::NotYetValid,
    );
    // The right anchor for the unknown-issuer chain makes it valid: the rejection was the anchor.
    assert_eq!(
        check_with(
            "unknown-issuer.chain.pem",
            "other-ca.pem",
            &s,
            NOW,
            VerifyOptions::default()
        )
        .status,
        VerdictStatus::Verified
    );
}

#[test]
fn wrong_extended_key_usage_is_rejected() {
    rejected(
        &check(
            "wrong-eku.chain.pem",
            &subject(Service::Imaps, "mail.example.net", false),
        ),
        RejectReason::WrongKeyUsage,
    );
}

// Requirements: S9525-7.6a, S4985-4a.
#[test]
fn security_scenario_67_dns_name_constraints_do_not_vouch_for_srv_ids() {
    // The leaf presents `_imaps.example.net` under a CA constrained to dNSName example.net: the
    // SRV-ID is not used; the in-domain target `mail.example.net` matches only with DNSSEC.
    let v = check(
        "nc-srv.chain.pem",
        &subject(Service::Imaps, "mail.example.net", false),
    );
    assert_eq!(v.status, VerdictStatus::NeedsConfirmation, "{v:?}");
    assert!(v.notes.iter().any(|n| n.contains("name constraints")));
    let v = check(
        "nc-srv.chain.pem",
        &subject(Service::Imaps, "mail.example.net", true),
    );
    assert_eq!(v.status, VerdictStatus::Verified);
    assert_eq!(v.matched.unwrap().kind, IdentityKind::DnsId);
}

#[test]
fn security_scenario_66_excluded_subtree_beats_a_wildcard() {
    let s = Subject::new("example.com", Service::Imaps, "bar.example.com", true).unwrap();
    // webpki refuses the whole chain: a wildcard that could name an excluded host violates the
    // constraint, for every reference identity.
    rejected(
        &check("nc-wild.chain.pem", &s),
        RejectReason::NameConstraints,
    );
    let s = Subject::new("example.com", Service::Imaps, "foo.example.com", true).unwrap();
    rejected(
        &check("nc-wild.chain.pem", &s),
        RejectReason::NameConstraints,
    );
}

#[test]
fn chains_eight_deep_validate() {
    let v = check(
        "deep.chain.pem",
        &subject(Service::Imaps, "mail.example.net", false),
    );
    assert_eq!(v.status, VerdictStatus::Verified, "{v:?}");
}

#[test]
fn garbage_der_and_bad_host_input() {
    let s = subject(Service::Imaps, "mail.example.net", false);
    let anchors = pem("ca.pem");
    let a: Vec<&[u8]> = anchors.iter().map(Vec::as_slice).collect();
    for garbage in [
        &b""[..],
        b"\x30\x03\x02\x01",
        b"not a certificate",
        &[0x30, 0x82, 0xFF, 0xFF],
    ] {
        let v = verify_chain(&s, &[garbage], &a, NOW, VerifyOptions::default()).unwrap();
        rejected(&v, RejectReason::MalformedCertificate);
    }
    let leaf = pem("domain.chain.pem");
    let mut truncated = leaf[0].clone();
    truncated.truncate(truncated.len() / 2);
    rejected(
        &verify_chain(&s, &[&truncated], &a, NOW, VerifyOptions::default()).unwrap(),
        RejectReason::MalformedCertificate,
    );
    let mut flipped = leaf[0].clone();
    let n = flipped.len();
    flipped[n - 5] ^= 0x01; // inside the signature
    let v = verify_chain(&s, &[&flipped, &leaf[1]], &a, NOW, VerifyOptions::default()).unwrap();
    rejected(&v, RejectReason::BadSignature);
    assert_eq!(
        verify_chain(&s, &[], &a, NOW, VerifyOptions::default())
            .unwrap_err()
            .code(),
        ErrorCode::EmptyChain
    );
    assert_eq!(
        verify_chain(&s, &[&leaf[0]], &[], NOW, VerifyOptions::default())
            .unwrap_err()
            .code(),
        ErrorCode::InvalidTrustAnchor
    );
    assert_eq!(
        verify_chain(&s, &[&leaf[0]], &[b"junk"], NOW, VerifyOptions::default())
            .unwrap_err()
            .code(),
        ErrorCode::InvalidTrustAnchor
    );
    // The host rule's limit: MAX_CHAIN certificates pass the length check, one more does not.
    let longest: Vec<&[u8]> = (0..mailsrv::host_rules::MAX_CHAIN)
        .map(|_| leaf[0].as_slice())
        .collect();
    assert!(verify_chain(&s, &longest, &a, NOW, VerifyOptions::default()).is_ok());
    let long: Vec<&[u8]> = (0..=mailsrv::host_rules::MAX_CHAIN)
        .map(|_| leaf[0].as_slice())
        .collect();
    assert_eq!(
        verify_chain(&s, &long, &a, NOW, VerifyOptions::default())
            .unwrap_err()
            .code(),
        ErrorCode::ChainTooLong
    );
    assert_eq!(
        certificates_from_pem(b"hello").unwrap_err().code(),
        ErrorCode::InvalidCertificateEncoding
    );
}

#[test]
fn verdicts_serialise_as_camel_case_json() {
    let v = check(
        "target-only.chain.pem",
        &subject(Service::Imaps, "mail.provider.net", false),
    );
    let json = serde_json::to_value(&v).unwrap();
    assert_eq!(json["status"], "needs-confirmation");
    assert_eq!(json["matched"]["type"], "dns-id");
    assert_eq!(
        json["referenceIdentities"][0]["value"],
        "_imaps.example.net"
    );
    assert_eq!(json["presented"][0]["type"], "dns-id");
}

#[test]
fn security_scenario_67_constraints_in_the_trust_anchor_count_too() {
    let s = subject(Service::Imaps, "mail.example.net", false);
    let v = check_with(
        "nc-root-leaf.chain.pem",
        "nc-root.pem",
        &s,
        NOW,
        VerifyOptions::default(),
    );
    assert_eq!(v.status, VerdictStatus::NeedsConfirmation, "{v:?}");
    assert!(v.notes.iter().any(|n| n.contains("name constraints")));
}

#[cfg(feature = "webpki-roots")]
#[test]
fn bundled_roots_do_not_trust_the_test_pki() {
    let chain = pem("domain.chain.pem");
    let chain: Vec<&[u8]> = chain.iter().map(Vec::as_slice).collect();
    let s = subject(Service::Imaps, "mail.example.net", false);
    let v = mailsrv::verify_chain_bundled(&s, &chain, NOW, VerifyOptions::default()).unwrap();
    rejected(&v, RejectReason::UnknownIssuer);
}

#[test]
fn every_verdict_conforms_to_the_json_schema() {
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(common::testdata().join("../schema/verdict.schema.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let mut statuses = std::collections::BTreeSet::new();
    for entry in std::fs::read_dir(common::testdata().join("certs")).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if !name.ends_with(".chain.pem") {
            continue;
        }
        for (secure, now) in [(false, NOW), (true, NOW), (false, LATER)] {
            let s = subject(Service::Imaps, "mail.provider.net", secure);
            let v = check_with(&name, "ca.pem", &s, now, VerifyOptions::default());
            let json = serde_json::to_value(&v).unwrap();
            let errors: Vec<String> = validator
                .iter_errors(&json)
                .map(|e| e.to_string())
                .collect();
            assert!(errors.is_empty(), "{name}: {errors:?}\n{json}");
            statuses.insert(json["status"].as_str().unwrap().to_owned());
        }
    }
    assert_eq!(statuses.len(), 3, "{statuses:?}");
    let mut bad = serde_json::to_value(check(
        "domain.chain.pem",
        &subject(Service::Imaps, "x.example.net", false),
    ))
    .unwrap();
    bad["reason"] = "name-mismatch".into();
    assert!(
        !validator.is_valid(&bad),
        "a verified verdict with a reason is invalid"
    );
}

#[test]
fn security_scenario_70_a_nul_inside_a_dns_name_never_matches() {
    // The SAN is `www.example.net\0.evil.com`: a C-string comparison would accept it.
    let s = subject(Service::Imaps, "www.example.net", true);
    let v = check("nul-san.chain.pem", &s);
    rejected(&v, RejectReason::NameMismatch);
    let p = v
        .presented
        .iter()
        .find(|p| p.kind == PresentedKind::DnsId)
        .unwrap();
    assert_eq!(p.value, "www.example.net\\000.evil.com");
    assert!(
        p.invalid.as_deref().unwrap_or_default().contains("0x00"),
        "{p:?}"
    );
}

/// One rule for reference identities (S6186-4f, D9): the list planning gives a candidate is the
/// list verification checks, and `verify_candidate` checks the candidate's own list.
#[test]
fn s6186_4f_d9_verification_checks_the_reference_identities_planning_gave_the_candidate() {
    use mailsrv::{Discovery, DnssecStatus, Failure, Options, SrvRecord, verify_candidate};
    let mut d = Discovery::new("alice@example.net", Options::default()).unwrap();
    for q in d.questions().to_vec() {
        if q.name == "_imaps._tcp.example.net" {
            let record = SrvRecord {
                priority: 0,
                weight: 1,
                port: 993,
                target: "mail.provider.net".into(),
                ttl: Some(60),
            };
            d.receive_records(q.id, vec![record], DnssecStatus::Insecure)
                .unwrap();
        } else {
            d.fail(q.id, Failure::NxDomain).unwrap();
        }
    }
    let plan = d.plan(1);
    let mut candidate = plan.incoming.candidates[0].clone();
    let planned = Subject::new("example.net", Service::Imaps, "mail.provider.net", false).unwrap();
    assert_eq!(
        candidate.reference_identities,
        planned.reference_identities(),
        "planning and verification build the same list"
    );
    let chain = pem("srv-id.chain.pem");
    let chain: Vec<&[u8]> = chain.iter().map(Vec::as_slice).collect();
    let anchors = pem("ca.pem");
    let verify = |c: &mailsrv::Candidate| {
        verify_candidate(c, &chain, &[&anchors[0]], NOW, VerifyOptions::default()).unwrap()
    };
    assert_eq!(verify(&candidate).status, VerdictStatus::Verified);
    // A candidate whose list names another domain is checked against that list, not a list
    // rebuilt from elsewhere.
    candidate.reference_identities = Subject::new("other.example", Service::Imaps, "x", false)
        .unwrap()
        .reference_identities()
        .to_vec();
    rejected(&verify(&candidate), RejectReason::NameMismatch);
    // A cleartext candidate has no reference identity: nothing can verify for it.
    candidate.reference_identities.clear();
    rejected(&verify(&candidate), RejectReason::NameMismatch);
}

/// S6186-6a, S8314-5.1d: the verdict → negotiator rule. Only a verified chain, or a
/// needs-confirmation one that the user confirmed, lets credentials follow.
#[test]
fn s6186_6a_s8314_5_1d_only_verified_or_user_confirmed_verdicts_count_as_verified_tls() {
    use mailsrv::negotiate::TlsOutcome;
    let table = [
        (VerdictStatus::Verified, false, TlsOutcome::Verified),
        (VerdictStatus::Verified, true, TlsOutcome::Verified),
        (
            VerdictStatus::NeedsConfirmation,
            false,
            TlsOutcome::NotVerified,
        ),
        (
            VerdictStatus::NeedsConfirmation,
            true,
            TlsOutcome::UserConfirmed,
        ),
        (VerdictStatus::Rejected, false, TlsOutcome::NotVerified),
        (VerdictStatus::Rejected, true, TlsOutcome::NotVerified),
    ];
    for (status, confirmed, outcome) in table {
        assert_eq!(
            status.tls_outcome(confirmed),
            outcome,
            "{status:?}, {confirmed}"
        );
    }
}

// RFC 5280 rules that rustls-webpki does not enforce and mailsrv checks on the validated path
// (issue 11 §7), and the one rule rustls-webpki gets wrong the other way (the known deviation).

fn rejected_for(v: &Verdict, reason: RejectReason, words: &str) {
    rejected(v, reason);
    assert!(v.message.contains(words), "{:?}", v.message);
}

#[test]
fn rfc5280_4_2_1_10_a_dns_name_constraint_with_a_leading_period_is_malformed() {
    // `.example.net` is not a host name; the leading-period form exists for URI and rfc822Name
    // constraints only. Refused in an intermediate and in a trust anchor given as a certificate,
    // although the leaf's `mail.example.net` would satisfy either reading of the constraint.
    let s = subject(Service::Imaps, "mail.example.net", true);
    let v = check("nc-dot.chain.pem", &s);
    rejected_for(&v, RejectReason::NameConstraints, "`.example.net`");
    assert!(v.message.contains("intermediate certificate 1"), "{v:?}");
    let v = check_with(
        "nc-dot-root-leaf.chain.pem",
        "nc-dot-root.pem",
        &s,
        NOW,
        VerifyOptions::default(),
    );
    rejected_for(&v, RejectReason::NameConstraints, "`.example.net`");
    assert!(v.message.contains("trust anchor"), "{v:?}");
}

#[test]
fn rfc5280_4_2_1_10_name_constraints_in_an_end_entity_certificate_are_refused() {
    let s = subject(Service::Imaps, "mail.provider.net", false);
    for chain in ["ee-nc-critical.chain.pem", "ee-nc-noncritical.chain.pem"] {
        let v = check(chain, &s);
        rejected_for(&v, RejectReason::NameConstraints, "only in CA certificates");
        assert!(
            v.presented.iter().any(|p| p.value == "example.net"),
            "a rejected verdict still lists the identities"
        );
    }
}

#[test]
fn rfc5280_4_2_1_10_name_constraints_without_any_subtree_are_refused() {
    let v = check(
        "nc-empty.chain.pem",
        &subject(Service::Imaps, "mail.provider.net", false),
    );
    rejected_for(
        &v,
        RejectReason::NameConstraints,
        "neither permittedSubtrees nor excludedSubtrees",
    );
}

#[test]
fn rfc5280_4_2_1_6_an_empty_subject_needs_a_critical_subject_alt_name() {
    let s = subject(Service::Imaps, "mail.provider.net", false);
    let v = check("empty-subject.chain.pem", &s);
    rejected_for(&v, RejectReason::MalformedCertificate, "not critical");
    let v = check("empty-subject-critical.chain.pem", &s);
    assert_eq!(v.status, VerdictStatus::Verified, "{v:?}");
    assert_eq!(v.matched.unwrap().value, "example.net");
}

#[test]
fn rfc5280_4_2_1_10_known_deviation_a_self_issued_intermediate_is_not_exempt_in_rustls_webpki() {
    // root (permitted dNSName example.net) -> self-issued intermediate naming
    // rollover.example.org -> leaf mail.example.net. RFC 5280 §4.2.1.10 does not apply name
    // constraints to a self-issued certificate that is not the last in the path, so the chain
    // MUST verify. rustls-webpki 0.103 applies the root's constraint to the intermediate's SAN
    // and refuses every path; it then reports the error it ranks highest, the bad signature of
    // the alternative path that tries the same-named root as the leaf's issuer. This records the
    // deviation (docs/security.md, "Known deviation"): once rustls-webpki implements the
    // exemption, this assertion fails and must become `Verified`.
    let s = subject(Service::Imaps, "mail.example.net", true);
    let v = check_with(
        "rollover.chain.pem",
        "rollover-root.pem",
        &s,
        NOW,
        VerifyOptions::default(),
    );
    rejected(&v, RejectReason::BadSignature);
    // The same root (key and name) without the constraint: the same chain verifies, so the
    // constraint alone is what refuses it.
    let v = check_with(
        "rollover.chain.pem",
        "rollover-open-root.pem",
        &s,
        NOW,
        VerifyOptions::default(),
    );
    assert_eq!(v.status, VerdictStatus::Verified, "{v:?}");
}

#[test]
fn cabf_only_rules_are_not_enforced_critical_san_with_a_subject_and_a_cn_outside_the_sans() {
    // RFC 5280 §4.2.1.6 only says SHOULD be non-critical when the subject is not empty.
    let v = check(
        "san-critical.chain.pem",
        &subject(Service::Imaps, "mail.provider.net", false),
    );
    assert_eq!(v.status, VerdictStatus::Verified, "{v:?}");
    // CN `example.net`, SAN `other.example.org`: the CN is ignored, never a reason to refuse.
    let s = Subject::new(
        "other.example.org",
        Service::Imaps,
        "mail.provider.net",
        false,
    )
    .unwrap();
    let v = check("cn-and-san.chain.pem", &s);
    assert_eq!(v.status, VerdictStatus::Verified, "{v:?}");
    assert_eq!(v.matched.unwrap().value, "other.example.org");
}
