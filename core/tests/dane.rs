//! DANE TLSA verification (RFC 6698, RFC 7671, RFC 7673 §4) against the test PKI in
//! testdata/certs. The TLSA data is computed here, independently of the core: digests with
//! `ring`, the SubjectPublicKeyInfo cut out of the certificate with `der`.

#![allow(clippy::unwrap_used, reason = "a failing unwrap is a failing test")]

mod common;

use mailsrv::{
    ErrorCode, IdentityKind, MAX_TLSA_DATA, MAX_TLSA_RECORDS, RejectReason, Service, Subject,
    TlsaOutcome, TlsaRecord, Verdict, VerdictStatus, VerifyOptions, certificates_from_pem,
    verify_chain,
};

/// Inside the validity window of the committed PKI (see testdata/certs/validity.txt).
const NOW: u64 = 1_811_808_000; // 2027-06-01
/// After every certificate of the PKI expired.
const LATER: u64 = 2_208_988_800; // 2040-01-01

fn pem(name: &str) -> Vec<Vec<u8>> {
    let path = common::testdata().join("certs").join(name);
    certificates_from_pem(&std::fs::read(path).unwrap()).unwrap()
}

fn sha256(data: &[u8]) -> Vec<u8> {
    ring::digest::digest(&ring::digest::SHA256, data)
        .as_ref()
        .to_vec()
}

fn sha512(data: &[u8]) -> Vec<u8> {
    ring::digest::digest(&ring::digest::SHA512, data)
        .as_ref()
        .to_vec()
}

fn record(usage: u8, selector: u8, matching_type: u8, data: Vec<u8>) -> TlsaRecord {
    TlsaRecord::new(usage, selector, matching_type, data).unwrap()
}

/// The TLSA data for `cert` under `selector` and `matching_type`.
fn data(cert: &[u8], selector: u8, matching_type: u8) -> Vec<u8> {
    let selected = if selector == 0 {
        cert.to_vec()
    } else {
        common::spki(cert)
    };
    match matching_type {
        0 => selected,
        1 => sha256(&selected),
        _ => sha512(&selected),
    }
}

/// A subject for `alice@example.net` reached at `host:993`, the SRV answer insecure unless
/// `secure`, with `records` as its TLSA RRset.
fn subject(host: &str, records: Vec<TlsaRecord>) -> Subject {
    Subject::new("example.net", Service::Imaps, host, false)
        .unwrap()
        .with_tlsa(993, records)
        .unwrap()
}

fn verify(subject: &Subject, chain: &[Vec<u8>], anchors: &[Vec<u8>], now: u64) -> Verdict {
    let chain: Vec<&[u8]> = chain.iter().map(Vec::as_slice).collect();
    let anchors: Vec<&[u8]> = anchors.iter().map(Vec::as_slice).collect();
    verify_chain(subject, &chain, &anchors, now, VerifyOptions::default()).unwrap()
}

fn rejected(v: &Verdict, reason: RejectReason) {
    assert_eq!(v.status, VerdictStatus::Rejected, "{v:#?}");
    assert_eq!(v.reason, Some(reason), "{v:#?}");
    assert!(v.matched.is_none(), "{v:#?}");
}

fn matched_kind(v: &Verdict) -> IdentityKind {
    assert_eq!(v.status, VerdictStatus::Verified, "{v:#?}");
    v.matched.as_ref().unwrap().kind
}

fn matched_depth(v: &Verdict) -> Option<u32> {
    v.dane
        .as_ref()
        .unwrap()
        .records
        .iter()
        .find(|c| c.outcome == TlsaOutcome::Matched)
        .and_then(|c| c.depth)
}

// Requirements: S7673-4a, S8314-5.3a.
#[test]
fn s7673_4a_dane_ee_verifies_a_self_signed_leaf_with_no_ca_by_every_selector_and_matching_type() {
    let chain = pem("self-signed.chain.pem");
    for selector in 0..=1 {
        for matching_type in 0..=2 {
            let r = record(
                3,
                selector,
                matching_type,
                data(&chain[0], selector, matching_type),
            );
            let v = verify(&subject("mail.example.net", vec![r]), &chain, &[], NOW);
            assert_eq!(
                matched_kind(&v),
                IdentityKind::DaneEe,
                "{selector} {matching_type}"
            );
            assert_eq!(matched_depth(&v), Some(0));
            assert!(v.message.starts_with("DANE-EE:"), "{}", v.message);
        }
    }
    // Without the record the same chain has no path to any anchor.
    let plain = Subject::new("example.net", Service::Imaps, "mail.example.net", false).unwrap();
    let v = verify(&plain, &chain, &pem("ca.pem"), NOW);
    rejected(&v, RejectReason::UnknownIssuer);
}

// Requirements: S7673-4a.
#[test]
fn s7673_4a_dane_ee_checks_neither_names_nor_dates() {
    // The self-signed leaf names example.net; the user's domain here is another, the target
    // too, and the time is after the certificate expired (RFC 7671 §5.1).
    let chain = pem("self-signed.chain.pem");
    let r = record(3, 1, 1, data(&chain[0], 1, 1));
    let s = Subject::new(
        "other.example",
        Service::Submissions,
        "smtp.elsewhere.example",
        false,
    )
    .unwrap()
    .with_tlsa(465, vec![r])
    .unwrap();
    let v = verify(&s, &chain, &[], LATER);
    assert_eq!(matched_kind(&v), IdentityKind::DaneEe);
}

// Requirements: S7673-4a.
// D37: usable TLSA records that do not match reject the chain; there is no PKIX fallback.
#[test]
fn s7673_4a_a_wrong_digest_rejects_even_a_pkix_valid_chain() {
    let chain = pem("domain.chain.pem");
    let mut digest = data(&chain[0], 1, 1);
    digest[31] ^= 1;
    let v = verify(
        &subject("mail.example.net", vec![record(3, 1, 1, digest)]),
        &chain,
        &pem("ca.pem"),
        NOW,
    );
    assert_eq!(v.status, VerdictStatus::Rejected, "{v:?}");
    rejected(&v, RejectReason::TlsaMismatch);
    assert!(v.matched.is_none());
    let report = v.dane.unwrap();
    assert_eq!(report.records[0].outcome, TlsaOutcome::NoMatch);
    assert!(
        report.records[0].why.contains("does not match"),
        "{report:?}"
    );
}

// Requirements: S7673-3.3a.
#[test]
fn s7673_3_3a_the_report_names_the_tlsa_owner_port_tcp_target() {
    let chain = pem("self-signed.chain.pem");
    let v = verify(
        &subject(
            "Mail.Example.NET.",
            vec![record(3, 0, 1, data(&chain[0], 0, 1))],
        ),
        &chain,
        &[],
        NOW,
    );
    assert_eq!(v.dane.unwrap().name, "_993._tcp.mail.example.net");
}

#[test]
fn an_rrset_of_unusable_records_only_is_as_if_absent() {
    let chain = pem("domain.chain.pem");
    let good = data(&chain[0], 1, 1);
    let unusable = vec![
        record(4, 1, 1, good.clone()),        // unknown usage
        record(3, 2, 1, good.clone()),        // unknown selector
        record(3, 1, 3, good.clone()),        // unknown matching type
        record(3, 1, 1, good[..31].to_vec()), // SHA-256 of the wrong length
        record(3, 1, 2, good.clone()),        // SHA-512 of the wrong length
    ];
    // PKIX decides: the domain chain verifies with the CA, by its DNS-ID.
    let v = verify(
        &subject("mail.example.net", unusable.clone()),
        &chain,
        &pem("ca.pem"),
        NOW,
    );
    assert_eq!(matched_kind(&v), IdentityKind::DnsId);
    let report = v.dane.unwrap();
    assert!(!report.usable);
    assert!(
        report
            .records
            .iter()
            .all(|c| c.outcome == TlsaOutcome::Unusable && c.why.starts_with("unusable")),
        "{report:?}"
    );
    // …and a self-signed leaf is not rescued by them.
    let own = pem("self-signed.chain.pem");
    let v = verify(
        &subject("mail.example.net", unusable.clone()),
        &own,
        &pem("ca.pem"),
        NOW,
    );
    rejected(&v, RejectReason::UnknownIssuer);
    // Without a usable record, the anchors are needed as without TLSA.
    let own: Vec<&[u8]> = own.iter().map(Vec::as_slice).collect();
    let e = verify_chain(
        &subject("mail.example.net", unusable),
        &own,
        &[],
        NOW,
        VerifyOptions::default(),
    )
    .unwrap_err();
    assert_eq!(e.code(), ErrorCode::InvalidTrustAnchor);
}

#[test]
fn unusable_records_beside_a_usable_one_are_ignored() {
    let chain = pem("self-signed.chain.pem");
    let v = verify(
        &subject(
            "mail.example.net",
            vec![
                record(7, 1, 1, vec![0; 32]),
                record(3, 1, 1, data(&chain[0], 1, 1)),
            ],
        ),
        &chain,
        &[],
        NOW,
    );
    assert_eq!(matched_kind(&v), IdentityKind::DaneEe);
    let checks = v.dane.unwrap().records;
    assert_eq!(checks[0].outcome, TlsaOutcome::Unusable);
    assert_eq!(checks[1].outcome, TlsaOutcome::Matched);
}

// Requirements: S7673-4.1a, S7673-4a.
#[test]
fn s7673_4_1a_dane_ta_makes_the_chain_cert_the_anchor_and_the_target_a_reference_identity() {
    // target-only names only mail.provider.net; the SRV answer is "insecure" in the subject,
    // so without TLSA the chain only needs confirmation.
    let chain = pem("target-only.chain.pem");
    let plain = Subject::new("example.net", Service::Imaps, "mail.provider.net", false).unwrap();
    let v = verify(&plain, &chain, &pem("ca.pem"), NOW);
    assert_eq!(v.status, VerdictStatus::NeedsConfirmation, "{v:?}");
    // With a DANE-TA record for the intermediate (and no anchor of the host's at all).
    for (selector, matching_type) in [(0, 1), (1, 1), (0, 2), (1, 2), (0, 0), (1, 0)] {
        let r = record(
            2,
            selector,
            matching_type,
            data(&chain[1], selector, matching_type),
        );
        let v = verify(&subject("mail.provider.net", vec![r]), &chain, &[], NOW);
        assert_eq!(matched_kind(&v), IdentityKind::DaneTa, "{v:?}");
        assert_eq!(matched_depth(&v), Some(1));
        let identity = v.dane.as_ref().unwrap().identity.clone().unwrap();
        assert_eq!(identity.value, "mail.provider.net");
        assert!(v.message.starts_with("DANE-TA:"), "{}", v.message);
    }
}

#[test]
fn dane_ta_still_needs_a_name_match_and_valid_dates() {
    let chain = pem("target-only.chain.pem");
    let r = record(2, 0, 1, data(&chain[1], 0, 1));
    // The leaf names mail.provider.net, not this target nor example.net.
    let v = verify(
        &subject("imap.other.net", vec![r.clone()]),
        &chain,
        &[],
        NOW,
    );
    rejected(&v, RejectReason::NameMismatch);
    assert_eq!(
        matched_depth(&v),
        Some(1),
        "the record matched; the names did not"
    );
    // After the leaf expired.
    let v = verify(&subject("mail.provider.net", vec![r]), &chain, &[], LATER);
    rejected(&v, RejectReason::Expired);
}

#[test]
fn dane_ta_never_takes_the_leaf_itself_as_its_anchor() {
    // A DANE-TA record for the self-signed leaf: a TA record names an issuer, not the server.
    let chain = pem("self-signed.chain.pem");
    let v = verify(
        &subject("example.net", vec![record(2, 0, 1, data(&chain[0], 0, 1))]),
        &chain,
        &[],
        NOW,
    );
    rejected(&v, RejectReason::TlsaMismatch);
}

#[test]
fn dane_ta_with_a_trust_anchor_not_in_the_chain_rfc7671_5_2_2() {
    let full = pem("domain.chain.pem");
    let leaf_only = vec![full[0].clone()];
    let root = pem("ca.pem");
    // The intermediate's certificate in full, the server sending the leaf alone.
    let v = verify(
        &subject("mail.example.net", vec![record(2, 0, 0, full[1].clone())]),
        &leaf_only,
        &[],
        NOW,
    );
    assert_eq!(matched_kind(&v), IdentityKind::DaneTa);
    assert_eq!(matched_depth(&v), Some(1));
    // The intermediate's bare key: it signed the leaf (depth 0).
    let v = verify(
        &subject(
            "mail.example.net",
            vec![record(2, 1, 0, common::spki(&full[1]))],
        ),
        &leaf_only,
        &[],
        NOW,
    );
    assert_eq!(matched_kind(&v), IdentityKind::DaneTa);
    assert_eq!(matched_depth(&v), Some(0));
    // The root's bare key: it signed the intermediate (depth 1).
    let v = verify(
        &subject(
            "mail.example.net",
            vec![record(2, 1, 0, common::spki(&root[0]))],
        ),
        &full,
        &[],
        NOW,
    );
    assert_eq!(matched_kind(&v), IdentityKind::DaneTa);
    assert_eq!(matched_depth(&v), Some(1));
    // A key that signed nothing here (another root's) matches nothing.
    let v = verify(
        &subject(
            "mail.example.net",
            vec![record(2, 1, 0, common::spki(&pem("other-ca.pem")[0]))],
        ),
        &full,
        &[],
        NOW,
    );
    rejected(&v, RejectReason::TlsaMismatch);
    // A digest of a certificate the server did not send cannot be used.
    let v = verify(
        &subject(
            "mail.example.net",
            vec![record(2, 0, 1, data(&full[1], 0, 1))],
        ),
        &leaf_only,
        &[],
        NOW,
    );
    rejected(&v, RejectReason::TlsaMismatch);
}

#[test]
fn pkix_ee_and_pkix_ta_only_on_top_of_pkix_validation() {
    let chain = pem("domain.chain.pem");
    let ca = pem("ca.pem");
    let s = |r| subject("mail.example.net", vec![r]);
    // PKIX-EE: the leaf, PKIX-valid.
    let v = verify(&s(record(1, 1, 1, data(&chain[0], 1, 1))), &chain, &ca, NOW);
    assert_eq!(matched_kind(&v), IdentityKind::PkixEe);
    assert_eq!(matched_depth(&v), Some(0));
    // PKIX-TA: the intermediate (depth 1) and the root the host trusts (depth 2).
    let v = verify(&s(record(0, 0, 1, data(&chain[1], 0, 1))), &chain, &ca, NOW);
    assert_eq!(matched_kind(&v), IdentityKind::PkixTa);
    assert_eq!(matched_depth(&v), Some(1));
    for selector in 0..=1 {
        let v = verify(
            &s(record(0, selector, 1, data(&ca[0], selector, 1))),
            &chain,
            &ca,
            NOW,
        );
        assert_eq!(matched_kind(&v), IdentityKind::PkixTa, "{v:?}");
        assert_eq!(matched_depth(&v), Some(2));
    }
    // PKIX-EE on a self-signed leaf: the record matches, PKIX does not validate.
    let own = pem("self-signed.chain.pem");
    let v = verify(&s(record(1, 1, 1, data(&own[0], 1, 1))), &own, &ca, NOW);
    rejected(&v, RejectReason::UnknownIssuer);
    // PKIX-TA naming a CA outside the validated path.
    let v = verify(
        &s(record(0, 0, 1, data(&pem("other-ca.pem")[0], 0, 1))),
        &chain,
        &ca,
        NOW,
    );
    rejected(&v, RejectReason::TlsaMismatch);
}

#[test]
fn dane_ee_is_tried_before_the_other_usages() {
    let chain = pem("domain.chain.pem");
    let v = verify(
        &subject(
            "mail.example.net",
            vec![
                record(2, 0, 1, data(&chain[1], 0, 1)),
                record(3, 1, 1, data(&chain[0], 1, 1)),
            ],
        ),
        &chain,
        &[],
        NOW,
    );
    assert_eq!(matched_kind(&v), IdentityKind::DaneEe);
    let checks = v.dane.unwrap().records;
    assert_eq!(checks[0].outcome, TlsaOutcome::NotTried);
}

#[test]
fn cap_max_tlsa_records_per_server() {
    let r = record(3, 1, 1, vec![0; 32]);
    let base = || Subject::new("example.net", Service::Imaps, "mail.example.net", false).unwrap();
    assert!(
        base()
            .with_tlsa(993, vec![r.clone(); MAX_TLSA_RECORDS])
            .is_ok()
    );
    let e = base()
        .with_tlsa(993, vec![r; MAX_TLSA_RECORDS + 1])
        .unwrap_err();
    assert_eq!(e.code(), ErrorCode::TooManyTlsaRecords);
    assert!(e.to_string().contains("at most 32"), "{e}");
}

#[test]
fn cap_max_tlsa_data_in_new_and_in_parse() {
    assert!(TlsaRecord::new(2, 0, 0, vec![1; MAX_TLSA_DATA]).is_ok());
    let e = TlsaRecord::new(2, 0, 0, vec![1; MAX_TLSA_DATA + 1]).unwrap_err();
    assert_eq!(e.code(), ErrorCode::InvalidTlsaRecord);
    // A flood of hex (1 MiB of digits) is refused by its length, without decoding it.
    let flood = format!("2 0 0 {}", "ab".repeat(512 * 1024));
    let e = TlsaRecord::parse(&flood).unwrap_err();
    assert_eq!(e.code(), ErrorCode::InvalidTlsaRecord);
    assert!(e.to_string().contains("at most 16384"), "{e}");
}

#[test]
fn tlsa_presentation_form_parses_and_bad_ones_name_the_problem() {
    let r = TlsaRecord::parse("3 1 1 0A0b 0c\t0D").unwrap();
    assert_eq!(
        (r.usage(), r.selector(), r.matching_type(), r.data()),
        (3, 1, 1, &[0x0a, 0x0b, 0x0c, 0x0d][..])
    );
    assert_eq!(r.to_string(), "3 1 1 0a0b0c0d");
    // Unknown values parse (they make the record unusable, not the input invalid).
    assert_eq!(TlsaRecord::parse("255 9 9 00").unwrap().usage(), 255);
    for (text, problem) in [
        ("", "no certificate usage"),
        ("3 1", "no matching type"),
        ("3 1 1", "no certificate association data"),
        ("256 1 1 00", "certificate usage `256`"),
        ("3 -1 1 00", "selector `-1`"),
        ("3 1 x 00", "matching type `x`"),
        ("3 1 1 abc", "odd number"),
        ("3 1 1 zz", "not a hex digit"),
    ] {
        let e = TlsaRecord::parse(text).unwrap_err();
        assert_eq!(e.code(), ErrorCode::InvalidTlsaRecord, "{text}");
        assert!(e.to_string().contains(problem), "{text}: {e}");
    }
    assert_eq!(
        TlsaRecord::new(3, 1, 1, Vec::new()).unwrap_err().code(),
        ErrorCode::InvalidTlsaRecord
    );
}

#[test]
fn dane_verdicts_conform_to_the_json_schema() {
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(common::testdata().join("../schema/verdict.schema.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let chain = pem("domain.chain.pem");
    let ca = pem("ca.pem");
    let cases = [
        vec![record(3, 1, 1, data(&chain[0], 1, 1))],
        vec![record(2, 0, 1, data(&chain[1], 0, 1))],
        vec![record(1, 0, 2, data(&chain[0], 0, 2))],
        vec![record(3, 1, 1, vec![0; 32])],
        vec![record(9, 1, 1, vec![0; 32])],
        vec![record(2, 0, 0, vec![0; 300]), record(0, 1, 1, vec![1; 32])],
    ];
    for records in cases {
        for host in ["mail.example.net", "imap.other.net"] {
            let v = verify(&subject(host, records.clone()), &chain, &ca, NOW);
            let json = serde_json::to_value(&v).unwrap();
            let errors: Vec<String> = validator
                .iter_errors(&json)
                .map(|e| e.to_string())
                .collect();
            assert!(errors.is_empty(), "{errors:?}\n{json}");
        }
    }
}
