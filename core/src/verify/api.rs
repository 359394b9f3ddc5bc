//! The verification entry points: the host's trust anchors parsed, then ordinary path
//! validation and identity matching (`chain.rs`), or DANE when the subject carries usable TLSA
//! records (`dane.rs`).

use std::time::Duration;

use pki_types::{CertificateDer, TrustAnchor, UnixTime};

use super::certificate::Certificate;
use super::chain::{
    AnchorConstraints, PathInput, RejectReason, Subject, Verdict, VerifyOptions, match_identities,
    presented_identities, reject,
};
#[cfg(feature = "dane")]
use super::dane::DaneInput;
#[cfg(feature = "dane")]
use super::tlsa::{Tlsa, TlsaRecord};
use crate::error::{Error, ErrorCode};
use crate::limits::MAX_CHAIN;
use crate::plan::Candidate;

/// Verifies `chain` (DER, leaf first) for `subject` against `anchors` (DER certificates) at
/// `now_unix_secs`.
///
/// Hostile certificates are data: a chain that fails gives a `rejected` verdict. `Err` is only
/// for unusable host input: an empty or over-long chain, no or unparsable trust anchors, or an
/// invalid domain.
pub fn verify_chain(
    subject: &Subject,
    chain: &[&[u8]],
    anchors: &[&[u8]],
    now_unix_secs: u64,
    options: VerifyOptions,
) -> Result<Verdict, Error> {
    if chain.is_empty() {
        return Err(Error::new(
            ErrorCode::EmptyChain,
            "the certificate chain is empty",
        ));
    }
    // With usable TLSA records, DANE-EE and DANE-TA need no anchor of the host's.
    #[cfg(feature = "dane")]
    let dane_without_anchors = subject.tlsa_rrset().is_some_and(Tlsa::has_usable);
    #[cfg(not(feature = "dane"))]
    let dane_without_anchors = false;
    if anchors.is_empty() && !dane_without_anchors {
        return Err(Error::new(
            ErrorCode::InvalidTrustAnchor,
            "no trust anchor was given",
        ));
    }
    let anchor_ders: Vec<CertificateDer<'_>> =
        anchors.iter().map(|a| CertificateDer::from(*a)).collect();
    let mut trust: Vec<TrustAnchor<'_>> = Vec::with_capacity(anchors.len());
    for (i, der) in anchor_ders.iter().enumerate() {
        let anchor = webpki::anchor_from_trusted_cert(der).map_err(|e| {
            Error::new(
                ErrorCode::InvalidTrustAnchor,
                format!("trust anchor {i} does not parse: {e}"),
            )
        })?;
        trust.push(anchor);
    }
    verify_trusted(
        subject,
        chain,
        &trust,
        anchors,
        AnchorConstraints::FromCertificates,
        now_unix_secs,
        options,
    )
}

/// Verifies `chain` against the Mozilla root store bundled through the `webpki-roots` crate, for
/// hosts that have no trust store of their own.
#[cfg(feature = "webpki-roots")]
pub fn verify_chain_bundled(
    subject: &Subject,
    chain: &[&[u8]],
    now_unix_secs: u64,
    options: VerifyOptions,
) -> Result<Verdict, Error> {
    verify_trusted(
        subject,
        chain,
        webpki_roots::TLS_SERVER_ROOTS,
        &[],
        AnchorConstraints::Imposed,
        now_unix_secs,
        options,
    )
}

/// Verifies with the host's trust anchors (`trust`, and the certificates they came from when
/// the host gave certificates), and with the subject's TLSA records if it has usable ones.
fn verify_trusted(
    subject: &Subject,
    chain: &[&[u8]],
    trust: &[TrustAnchor<'_>],
    anchor_certs: &[&[u8]],
    anchor_constraints: AnchorConstraints,
    now_unix_secs: u64,
    options: VerifyOptions,
) -> Result<Verdict, Error> {
    if chain.is_empty() {
        return Err(Error::new(
            ErrorCode::EmptyChain,
            "the certificate chain is empty",
        ));
    }
    if chain.len() > MAX_CHAIN {
        return Err(Error::new(
            ErrorCode::ChainTooLong,
            format!(
                "the chain has {} certificates; at most {MAX_CHAIN} are accepted",
                chain.len()
            ),
        ));
    }
    let time = UnixTime::since_unix_epoch(Duration::from_secs(now_unix_secs));
    // The anchor certificates are read by DANE only (a Full(0) TA record may name one).
    #[cfg(not(feature = "dane"))]
    let _ = anchor_certs;
    #[cfg(feature = "dane")]
    if let Some(tlsa) = subject.tlsa_rrset() {
        let input = DaneInput {
            subject,
            tlsa,
            chain,
            trust,
            anchor_certs,
            anchor_constraints,
            time,
            options,
        };
        if tlsa.has_usable() {
            return Ok(input.verify());
        }
        let mut verdict = verify_pkix(subject, chain, trust, anchor_constraints, time, options)?;
        input.add_unusable_report(&mut verdict);
        return Ok(verdict);
    }
    verify_pkix(subject, chain, trust, anchor_constraints, time, options)
}

/// Ordinary path validation with the host's anchors, then the identity check.
fn verify_pkix(
    subject: &Subject,
    chain: &[&[u8]],
    trust: &[TrustAnchor<'_>],
    anchor_constraints: AnchorConstraints,
    time: UnixTime,
    options: VerifyOptions,
) -> Result<Verdict, Error> {
    let Some((leaf_der, intermediates)) = chain.split_first() else {
        return Err(Error::new(
            ErrorCode::EmptyChain,
            "the certificate chain is empty",
        ));
    };
    let refs = subject.reference_identities().to_vec();
    // Parse the leaf ourselves first, so that even a rejected verdict lists what it presents.
    let leaf = match Certificate::parse(leaf_der) {
        Ok(cert) => cert,
        Err(e) => {
            return Ok(reject(
                RejectReason::MalformedCertificate,
                format!("the server certificate does not parse: {e}"),
                refs,
                Vec::new(),
            ));
        }
    };
    let (presented, notes) = presented_identities(&leaf);
    let path = PathInput {
        leaf_der,
        leaf: &leaf,
        intermediates,
        trust,
        anchor_constraints,
        time,
    };
    match path.validated() {
        Ok(valid) => Ok(match_identities(
            subject,
            presented,
            notes,
            &valid.constraints,
            options,
        )),
        Err((reason, message)) => Ok(reject(reason, message, refs, presented)),
    }
}

/// Verifies the chain of a plan's `candidate` against the reference identities planning gave it
/// (see [`verify_chain`]). With the feature `dane`, a candidate whose TLSA lookup the core
/// validated as `secure` is verified by its records (DANE, issue 15): the host passes none, and
/// DANE-EE or DANE-TA records need no `anchors`.
pub fn verify_candidate(
    candidate: &Candidate,
    chain: &[&[u8]],
    anchors: &[&[u8]],
    now_unix_secs: u64,
    options: VerifyOptions,
) -> Result<Verdict, Error> {
    verify_chain(
        &Subject::of(candidate),
        chain,
        anchors,
        now_unix_secs,
        options,
    )
}

/// [`verify_candidate`] with the TLSA RRset of the candidate's `_<port>._tcp.<host>`, which the
/// host validated with DNSSEC (see [`Subject::with_tlsa`]); these records replace any the plan
/// carries. `Err(TOO_MANY_TLSA_RECORDS)` beyond
/// [`MAX_TLSA_RECORDS`](crate::MAX_TLSA_RECORDS); with no usable record, the same as [`verify_candidate`].
#[cfg(feature = "dane")]
pub fn verify_candidate_with_tlsa(
    candidate: &Candidate,
    tlsa: Vec<TlsaRecord>,
    chain: &[&[u8]],
    anchors: &[&[u8]],
    now_unix_secs: u64,
    options: VerifyOptions,
) -> Result<Verdict, Error> {
    verify_chain(
        &Subject::of(candidate).with_tlsa(candidate.port, tlsa)?,
        chain,
        anchors,
        now_unix_secs,
        options,
    )
}

#[cfg(all(test, feature = "webpki-roots"))]
mod bundled_tests {
    use super::*;
    use crate::service::Service;
    use crate::verify::chain::{VerdictStatus, certificates_from_pem};

    #[test]
    fn rfc5280_4_2_1_10_leading_period_is_refused_in_certificates_not_in_imposed_constraints() {
        // webpki-roots imposes `.tr` on one root (NSS convention); the same constraint in an
        // anchor certificate given by the host is refused.
        let pem = |text: &[u8]| certificates_from_pem(text).expect("pem");
        let chain = pem(include_bytes!(
            "../../../testdata/certs/nc-dot-root-leaf.chain.pem"
        ));
        let root = pem(include_bytes!("../../../testdata/certs/nc-dot-root.pem"));
        let root = CertificateDer::from(root[0].as_slice());
        let anchor = webpki::anchor_from_trusted_cert(&root).expect("anchor");
        let chain: Vec<&[u8]> = chain.iter().map(Vec::as_slice).collect();
        let subject =
            Subject::new("example.net", Service::Imaps, "mail.example.net", true).expect("subject");
        let verify = |source| {
            let trust = [anchor.clone()];
            verify_trusted(
                &subject,
                &chain,
                &trust,
                &[],
                source,
                1_811_808_000,
                VerifyOptions::default(),
            )
            .expect("verdict")
        };
        let v = verify(AnchorConstraints::FromCertificates);
        assert_eq!(v.reason, Some(RejectReason::NameConstraints), "{v:?}");
        let v = verify(AnchorConstraints::Imposed);
        assert_eq!(v.status, VerdictStatus::Verified, "{v:?}");
    }
}
