//! DANE for SRV targets from a validated plan (issue 15, RFC 7673, RFC 7671): the signed zones
//! of testdata/dnssec/ (`dane.test.` email domains, their servers in `hosting.test.`), served
//! offline by the zone host with RRSIGs and denials, give each candidate its TLSA status, and
//! `verify_candidate` uses the candidate's records with certificates of the DANE test PKI
//! (testdata/certs/dane/, scripts/make-dane-pki.sh). The expected TLSA data is computed here,
//! independently of the core: the key cut out of the certificate with `der`, hashed with `ring`.

#![allow(clippy::unwrap_used, reason = "a failing unwrap is a failing test")]

mod common;

use mailsrv::negotiate::TlsOutcome;
use mailsrv::zone::ZoneHost;
use mailsrv::{
    AddressesSource, Candidate, DiagnosticCode, Discovery, DnssecSource, DnssecStatus,
    IdentityKind, Options, Plan, RejectReason, Subject, TlsaStatus, Trust, VerdictStatus,
    VerifyOptions, certificates_from_pem, verify_candidate, verify_chain,
};

/// Inside the signatures' window (2026-01-01 .. 2036-01-01) and the DANE PKI's validity.
const NOW: u64 = 1_811_808_000; // 2027-06-01

const ZONES: &[&str] = &[
    "root.zone",
    "test.zone",
    "dane.test.zone",
    "hosting.test.zone",
    "insecure.test.zone",
];

fn host() -> ZoneHost {
    common::signed_host(ZONES)
}

/// SRV only, validation on with the private root's anchor.
fn options() -> Options {
    common::validating_srv_options(NOW)
}

/// The final, validated plan for `email`.
fn plan(email: &str) -> Plan {
    let mut d = Discovery::new(email, options()).unwrap();
    host().resolve(&mut d).unwrap();
    assert!(d.pending_dnssec().is_empty());
    let p = d.plan(1);
    assert!(p.is_final, "{p:#?}");
    p
}

fn candidate<'p>(plan: &'p Plan, host: &str, port: u16) -> &'p Candidate {
    plan.incoming
        .candidates
        .iter()
        .chain(&plan.outgoing.candidates)
        .find(|c| c.host == host && c.port == port)
        .unwrap_or_else(|| panic!("no candidate {host}:{port} in {plan:#?}"))
}

fn pem(name: &str) -> Vec<Vec<u8>> {
    let path = common::testdata().join("certs/dane").join(name);
    certificates_from_pem(&std::fs::read(path).unwrap()).unwrap()
}

/// `U S 1 <SHA-256 of the certificate's key>`, as the plan spells a record.
fn spki_record(usage: u8, cert: &[u8]) -> String {
    let digest = ring::digest::digest(&ring::digest::SHA256, &common::spki(cert));
    let hex: String = digest.as_ref().iter().map(|b| format!("{b:02x}")).collect();
    format!("{usage} 1 1 {hex}")
}

/// Verifies `chain` for the candidate with no CA at all: only DANE can verify it.
fn verify(c: &Candidate, chain: &[Vec<u8>], anchors: &[Vec<u8>]) -> mailsrv::Verdict {
    let chain: Vec<&[u8]> = chain.iter().map(Vec::as_slice).collect();
    let anchors: Vec<&[u8]> = anchors.iter().map(Vec::as_slice).collect();
    verify_candidate(c, &chain, &anchors, NOW, VerifyOptions::default()).unwrap()
}

#[test]
fn s7673_3_3a_an_out_of_domain_target_gets_its_validated_addresses_and_tlsa() {
    let p = plan("alice@ee.dane.test");
    assert_eq!(p.lookups[0].dnssec, DnssecStatus::Secure);
    assert_eq!(p.lookups[0].dnssec_source, DnssecSource::Validated);
    let c = candidate(&p, "ee.hosting.test", 993);
    assert_eq!(c.trust, Trust::DnssecSecure);
    // Issue 14 §2: the addresses the plan uses are validated, with their status.
    assert_eq!(c.addresses_dnssec, Some(DnssecStatus::Secure));
    assert_eq!(c.addresses, vec![std::net::IpAddr::from([127, 0, 0, 1])]);
    let t = c.tlsa.as_ref().unwrap();
    assert_eq!(t.name, "_993._tcp.ee.hosting.test");
    assert_eq!(t.status, TlsaStatus::Secure);
    assert_eq!(t.records, vec![spki_record(3, &pem("ee.chain.pem")[0])]);
    // The trust explanation says it.
    let why = mailsrv::explain::whys(&p.incoming.candidates);
    assert!(why[0].contains("DANE"), "{why:?}");
}

#[test]
fn s7673_4a_d45_dane_ee_from_the_plan_verifies_a_self_signed_server_without_any_ca() {
    let p = plan("alice@ee.dane.test");
    let c = candidate(&p, "ee.hosting.test", 993);
    let v = verify(c, &pem("ee.chain.pem"), &[]);
    assert_eq!(v.status, VerdictStatus::Verified, "{v:#?}");
    assert_eq!(v.matched.as_ref().unwrap().kind, IdentityKind::DaneEe);
    // Issue 15 §3: DANE-verified is `verified` for the negotiator and the credential step.
    assert_eq!(v.status.tls_outcome(false), TlsOutcome::Verified);
}

/// A host holding the plan as JSON (the Node module's `verifyChain`) reads the candidate's `tlsa`
/// back and gives it to `Subject::with_plan_tlsa`: the same rule as `Subject::of`, so the same
/// verdict; a status other than `secure` brings no records.
#[test]
fn s7673_4a_d45_a_candidates_tlsa_read_back_from_json_verifies_as_the_plan_does() {
    let p = plan("alice@ee.dane.test");
    let c = candidate(&p, "ee.hosting.test", 993);
    let json = serde_json::to_string(c.tlsa.as_ref().unwrap()).unwrap();
    let mut t: mailsrv::Tlsa = serde_json::from_str(&json).unwrap();
    assert_eq!(&t, c.tlsa.as_ref().unwrap());
    let chain = pem("ee.chain.pem");
    let chain: Vec<&[u8]> = chain.iter().map(Vec::as_slice).collect();
    let check = |t: &mailsrv::Tlsa| {
        let subject = Subject::with_references(c.service, &c.host, c.reference_identities.clone())
            .with_plan_tlsa(c.port, t);
        verify_chain(&subject, &chain, &[], NOW, VerifyOptions::default())
    };
    let v = check(&t).unwrap();
    assert_eq!(v, verify(c, &pem("ee.chain.pem"), &[]));
    assert_eq!(v.matched.as_ref().unwrap().kind, IdentityKind::DaneEe);
    // Not secure: no records, so without anchors there is nothing to verify with.
    t.status = TlsaStatus::Insecure;
    let e = check(&t).unwrap_err();
    assert_eq!(e.code(), mailsrv::ErrorCode::InvalidTrustAnchor, "{e:?}");
}

#[test]
fn s7673_3_4a_a_proven_absent_tlsa_is_none_and_pkix_decides() {
    let p = plan("alice@ee.dane.test");
    let c = candidate(&p, "ee.hosting.test", 465);
    let t = c.tlsa.as_ref().unwrap();
    assert_eq!(t.name, "_465._tcp.ee.hosting.test");
    assert_eq!(t.status, TlsaStatus::Absent);
    assert!(t.records.is_empty());
    // No DANE: the self-signed certificate has no path to the (unrelated) CA.
    let ca =
        certificates_from_pem(&std::fs::read(common::testdata().join("certs/ca.pem")).unwrap())
            .unwrap();
    let v = verify(c, &pem("ee.chain.pem"), &ca);
    assert_eq!(v.status, VerdictStatus::Rejected);
    assert_eq!(v.reason, Some(RejectReason::UnknownIssuer), "{v:#?}");
}

#[test]
fn s7673_4_1a_dane_ta_from_the_plan_a_private_ca_verifies_a_leaf_that_names_the_target() {
    let p = plan("alice@ta.dane.test");
    let c = candidate(&p, "ta.hosting.test", 993);
    let t = c.tlsa.as_ref().unwrap();
    assert_eq!(t.status, TlsaStatus::Secure);
    assert_eq!(t.records, vec![spki_record(2, &pem("ta-ca.pem")[0])]);
    let v = verify(c, &pem("ta.chain.pem"), &[]);
    assert_eq!(v.status, VerdictStatus::Verified, "{v:#?}");
    assert_eq!(v.matched.as_ref().unwrap().kind, IdentityKind::DaneTa);
    assert_eq!(v.status.tls_outcome(false), TlsOutcome::Verified);
}

#[test]
fn s7673_4_1a_dane_ta_rejects_a_leaf_of_the_same_ca_for_another_name() {
    let p = plan("alice@ta.dane.test");
    let c = candidate(&p, "ta.hosting.test", 993);
    let v = verify(c, &pem("ta-other.chain.pem"), &[]);
    assert_eq!(v.status, VerdictStatus::Rejected, "{v:#?}");
    assert_eq!(v.status.tls_outcome(true), TlsOutcome::NotVerified);
}

#[test]
fn s7673_4a_a_wrong_digest_from_the_plan_rejects_the_server_with_tlsa_mismatch() {
    let p = plan("alice@wrong.dane.test");
    let c = candidate(&p, "wrong.hosting.test", 993);
    assert_eq!(c.tlsa.as_ref().unwrap().status, TlsaStatus::Secure);
    // The record pins another key (the ta leaf's): the self-signed server does not match, and
    // a usable record that does not match rejects, with or without a CA of the host's.
    for anchors in [Vec::new(), pem("ta-ca.pem")] {
        let v = verify(c, &pem("ee.chain.pem"), &anchors);
        assert_eq!(v.status, VerdictStatus::Rejected);
        assert_eq!(v.reason, Some(RejectReason::TlsaMismatch), "{v:#?}");
        assert_eq!(v.status.tls_outcome(true), TlsOutcome::NotVerified);
    }
}

#[test]
fn s7673_3_4a_d45_security_a_bogus_tlsa_rrset_leaves_its_target_out_of_the_plan() {
    let p = plan("alice@bogus.dane.test");
    let all: Vec<&Candidate> = p
        .incoming
        .candidates
        .iter()
        .chain(p.incoming_alternatives.iter().flat_map(|a| &a.candidates))
        .chain(&p.outgoing.candidates)
        .collect();
    assert!(
        all.iter().all(|c| c.host != "bogus.hosting.test"),
        "the target of a bogus TLSA RRset is in the plan: {all:#?}"
    );
    let d = p
        .diagnostics
        .iter()
        .find(|d| d.code == DiagnosticCode::DnssecBogus)
        .unwrap_or_else(|| panic!("no dnssec-bogus diagnostic: {:#?}", p.diagnostics));
    assert!(
        d.message.contains("_993._tcp.bogus.hosting.test"),
        "{}",
        d.message
    );
    // The domain's other (good) target stays, with its own secure TLSA.
    let c = candidate(&p, "ee.hosting.test", 993);
    assert_eq!(c.tlsa.as_ref().unwrap().status, TlsaStatus::Secure);
}

#[test]
fn s7673_3_2a_d46_a_target_with_insecure_addresses_gets_no_dane() {
    let p = plan("alice@insecure.dane.test");
    let c = candidate(&p, "mail.insecure.test", 993);
    // The SRV answer is secure, the target's zone is not.
    assert_eq!(c.trust, Trust::DnssecSecure);
    assert_eq!(c.addresses_dnssec, Some(DnssecStatus::Insecure));
    let t = c.tlsa.as_ref().unwrap();
    // The zone publishes a TLSA record, unsigned: never used.
    assert_eq!(t.status, TlsaStatus::Insecure);
    assert!(t.records.is_empty());
    let v = verify(c, &pem("ee.chain.pem"), &pem("ta-ca.pem"));
    assert_eq!(v.status, VerdictStatus::Rejected, "{v:#?}");
    assert!(v.dane.is_none());
}

#[test]
fn without_validation_candidates_carry_no_tlsa_and_keep_the_additional_section() {
    let mut opts = options();
    opts.dnssec = None;
    let mut d = Discovery::new("alice@ee.dane.test", opts).unwrap();
    host().resolve(&mut d).unwrap();
    let p = d.plan(1);
    let c = candidate(&p, "ee.hosting.test", 993);
    assert_eq!(c.tlsa, None);
    assert_eq!(c.addresses_dnssec, None);
    assert_eq!(c.addresses_source, None);
    let json = serde_json::to_value(c).unwrap();
    assert!(json.get("tlsa").is_none() && json.get("addressesDnssec").is_none());
    assert!(json.get("addressesSource").is_none());
}

#[test]
fn d51_every_srv_candidate_of_a_validated_plan_says_its_addresses_status_and_source() {
    // An insecure SRV answer (insecure.test. is unsigned, proven by the TLD's NSEC3 opt-out):
    // the addresses are the SRV response's, which nothing validated.
    let p = plan("alice@insecure.test");
    let c = candidate(&p, "mail.insecure.test", 993);
    assert_eq!(c.trust, Trust::InDomain);
    assert_eq!(c.addresses_dnssec, Some(DnssecStatus::Insecure));
    assert_eq!(c.addresses_source, Some(AddressesSource::SrvResponse));
    assert_eq!(
        c.addresses,
        ["192.0.2.60".parse::<std::net::IpAddr>().unwrap()]
    );
    assert_eq!(c.tlsa, None);
    let json = serde_json::to_value(c).unwrap();
    assert_eq!(json["addressesDnssec"], "insecure");
    assert_eq!(json["addressesSource"], "srv-response");
    let text = std::fs::read_to_string(common::testdata().join("../schema/plan.schema.json"));
    let schema: serde_json::Value = serde_json::from_str(&text.unwrap()).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let mut plan_json = serde_json::to_value(&p).unwrap();
    assert!(validator.is_valid(&plan_json));
    plan_json["incoming"]["candidates"][0]["addressesSource"] = serde_json::json!("resolver");
    assert!(!validator.is_valid(&plan_json));
    // A secure SRV answer: the target's own validated lookups (D46).
    let p = plan("alice@ee.dane.test");
    let c = candidate(&p, "ee.hosting.test", 993);
    assert_eq!(c.addresses_dnssec, Some(DnssecStatus::Secure));
    assert_eq!(c.addresses_source, Some(AddressesSource::Validated));
    assert_eq!(
        serde_json::to_value(c).unwrap()["addressesSource"],
        "validated"
    );
    // Every SRV candidate of every validated plan has both.
    for email in [
        "alice@insecure.test",
        "alice@ee.dane.test",
        "alice@ta.dane.test",
        "alice@insecure.dane.test",
    ] {
        let p = plan(email);
        for c in p.incoming.candidates.iter().chain(&p.outgoing.candidates) {
            assert!(
                c.addresses_dnssec.is_some() && c.addresses_source.is_some(),
                "{email}: {c:#?}"
            );
        }
    }
}

#[test]
fn every_dane_plan_conforms_to_the_json_schema() {
    let text = std::fs::read_to_string(common::testdata().join("../schema/plan.schema.json"));
    let schema: serde_json::Value = serde_json::from_str(&text.unwrap()).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    for domain in ["ee", "ta", "wrong", "bogus", "insecure"] {
        let mut plan = serde_json::to_value(plan(&format!("alice@{domain}.dane.test"))).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&plan)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{domain}: {}", errors.join("; "));
        // The schema knows the TLSA object: a record that is not presentation text is refused.
        plan["incoming"]["candidates"][0]["tlsa"]["records"] = serde_json::json!(["3 1 1 XYZ"]);
        assert!(!validator.is_valid(&plan), "{domain}");
    }
}

#[test]
fn d45_a_plan_keeps_as_many_tlsa_records_as_the_verifier_accepts() {
    assert_eq!(mailsrv::MAX_PLAN_TLSA_RECORDS, mailsrv::MAX_TLSA_RECORDS);
}

/// An IMAP negotiation over implicit TLS with the verdict's outcome: the abort if the
/// negotiator stops before the login, else the step that `login` gives.
fn login_after(verdict: &mailsrv::Verdict) -> mailsrv::negotiate::Step {
    use mailsrv::negotiate::{Negotiator, Secret, Step};
    let settle = |n: &mut Negotiator, mut step: Step| {
        while matches!(step, Step::Send(_)) {
            step = n.poll();
        }
        step
    };
    let mut n = Negotiator::new(
        mailsrv::Protocol::Imap,
        mailsrv::Security::ImplicitTls,
        "client.example",
    );
    let step = n.tls_established(verdict.status.tls_outcome(false));
    if matches!(step, Step::Abort(_)) {
        return step;
    }
    let step = n.receive(b"* OK hi\r\n");
    let step = settle(&mut n, step);
    if step != Step::NeedMore {
        return step;
    }
    let caps = n.receive(b"* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\nA1 OK done\r\n");
    assert!(matches!(caps, Step::Done(_)), "{caps:?}");
    n.login("alice@ee.dane.test", &Secret::new("s3cret"))
}

#[test]
fn s7673_4a_a_dane_verified_server_gets_the_credentials_a_mismatch_does_not() {
    use mailsrv::negotiate::Step;
    let p = plan("alice@ee.dane.test");
    let verified = verify(
        candidate(&p, "ee.hosting.test", 993),
        &pem("ee.chain.pem"),
        &[],
    );
    // The login starts (SASL PLAIN: the command, then the credentials on the continuation).
    let step = login_after(&verified);
    assert!(
        matches!(&step, Step::Send(b) if b.starts_with(b"A2 AUTHENTICATE PLAIN")),
        "{step:?}"
    );
    let p = plan("alice@wrong.dane.test");
    let mismatch = verify(
        candidate(&p, "wrong.hosting.test", 993),
        &pem("ee.chain.pem"),
        &[],
    );
    let step = login_after(&mismatch);
    assert!(
        matches!(
            step,
            Step::Abort(mailsrv::negotiate::Abort::CertificateNotVerified)
        ),
        "{step:?}"
    );
}
