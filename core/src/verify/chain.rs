//! Verifying a candidate's certificate chain: path validation with rustls-webpki, then identity
//! matching "with the SRV record as the starting point" (RFC 6186 §4, RFC 7817, RFC 6125 §6,
//! RFC 9525; decisions D7–D12).
//!
//! The host supplies the chain as TLS delivered it (leaf first), its trust anchors and `now`.

use super::certificate::{AltName, Certificate, DnsConstraints, dns_constraints};
use pki_types::{CertificateDer, SignatureVerificationAlgorithm, TrustAnchor, UnixTime};
use serde::Serialize;
use webpki::{EndEntityCert, KeyUsage};

use super::presented::{
    PresentedIdentity, PresentedKind, dns_id_matches, dns_id_problem, parse_srv_id, srv_id_matches,
    within_dns_constraint,
};
use crate::dns::canonical_host;
use crate::error::{Error, ErrorCode};
use crate::identity::{
    IdentityKind, ReferenceIdentity, normalize_domain, normalize_domain_with, reference_identities,
};
use crate::negotiate::TlsOutcome;
use crate::plan::Candidate;
use crate::service::Service;

#[cfg(feature = "dane")]
use super::tlsa::{DaneReport, Tlsa, TlsaRecord};

/// Signature algorithms accepted in chains (ring).
static ALGORITHMS: &[&dyn SignatureVerificationAlgorithm] = &[
    webpki::ring::ECDSA_P256_SHA256,
    webpki::ring::ECDSA_P256_SHA384,
    webpki::ring::ECDSA_P384_SHA256,
    webpki::ring::ECDSA_P384_SHA384,
    webpki::ring::ED25519,
    webpki::ring::RSA_PKCS1_2048_8192_SHA256,
    webpki::ring::RSA_PKCS1_2048_8192_SHA384,
    webpki::ring::RSA_PKCS1_2048_8192_SHA512,
    webpki::ring::RSA_PKCS1_3072_8192_SHA384,
    webpki::ring::RSA_PSS_2048_8192_SHA256_LEGACY_KEY,
    webpki::ring::RSA_PSS_2048_8192_SHA384_LEGACY_KEY,
    webpki::ring::RSA_PSS_2048_8192_SHA512_LEGACY_KEY,
];

/// What is being verified: the SRV label, the host connected to, and the reference identities
/// its certificate must present ([`reference_identities`], built once: by planning for a plan's
/// candidate, or here from an email domain).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Subject {
    service: Service,
    host: String,
    reference_identities: Vec<ReferenceIdentity>,
    #[cfg(feature = "dane")]
    tlsa: Option<Tlsa>,
}

impl Subject {
    /// The subject for a server of `domain` (an email domain in any form, normalised to A-labels
    /// with the built-in UTS #46; see [`Subject::new_with`] for builds without it), named by an
    /// SRV record of `service` whose answer was DNSSEC-secure or not.
    pub fn new(
        domain: &str,
        service: Service,
        host: &str,
        dnssec_secure: bool,
    ) -> Result<Self, Error> {
        Ok(Self::normalised(
            &normalize_domain(domain)?,
            service,
            host,
            dnssec_secure,
        ))
    }

    /// [`Subject::new`] with the UTS #46 ToASCII step supplied by the host (see
    /// [`normalize_domain_with`], which checks the host's answer).
    pub fn new_with(
        domain: &str,
        service: Service,
        host: &str,
        dnssec_secure: bool,
        to_ascii: impl FnOnce(&str) -> Option<String>,
    ) -> Result<Self, Error> {
        Ok(Self::normalised(
            &normalize_domain_with(domain, to_ascii)?,
            service,
            host,
            dnssec_secure,
        ))
    }

    /// The subject of a plan's candidate: its own reference identities, as planning built them.
    /// A cleartext candidate has none, so no certificate can verify for it.
    ///
    /// With the features `dane` and `dnssec`, a candidate whose TLSA lookup is `secure` (the core validated
    /// it, issue 15) brings its records, as [`Subject::with_tlsa`] would: the host passes
    /// nothing. A plan's records always parse and are at most
    /// [`MAX_PLAN_TLSA_RECORDS`](crate::MAX_PLAN_TLSA_RECORDS); in a candidate built by other
    /// code, one that does not parse is left out and only the first ones are kept.
    pub fn of(candidate: &Candidate) -> Self {
        #[cfg_attr(not(all(feature = "dane", feature = "dnssec")), allow(unused_mut))]
        let mut subject = Self::with_references(
            candidate.service,
            &candidate.host,
            candidate.reference_identities.clone(),
        );
        #[cfg(all(feature = "dane", feature = "dnssec"))]
        if let Some(t) = candidate.tlsa.as_ref() {
            subject = subject.with_plan_tlsa(candidate.port, t);
        }
        subject
    }

    /// This subject with a plan candidate's TLSA lookup (`port` and `tlsa` as the candidate
    /// carries them, e.g. from a plan's JSON held by a host): its records when the status is
    /// `secure` and there are some (the rule of [`Subject::of`]); otherwise the subject is
    /// unchanged. A record that does not parse is left out and only the first
    /// [`MAX_TLSA_RECORDS`](crate::MAX_TLSA_RECORDS) are kept. Features `dane` and `dnssec`.
    #[cfg(all(feature = "dane", feature = "dnssec"))]
    pub fn with_plan_tlsa(mut self, port: u16, tlsa: &crate::plan::Tlsa) -> Self {
        if tlsa.status == crate::plan::TlsaStatus::Secure && !tlsa.records.is_empty() {
            let records: Vec<TlsaRecord> = tlsa
                .records
                .iter()
                .filter_map(|r| TlsaRecord::parse(r).ok())
                .take(super::tlsa::MAX_TLSA_RECORDS)
                .collect();
            self.tlsa = Tlsa::new(port, records).ok();
        }
        self
    }

    /// A subject from a candidate's parts as a host holds them (a plan's JSON, say): the
    /// reference identities are used as given.
    pub fn with_references(
        service: Service,
        host: &str,
        reference_identities: Vec<ReferenceIdentity>,
    ) -> Self {
        Self {
            service,
            host: canonical_host(host),
            reference_identities,
            #[cfg(feature = "dane")]
            tlsa: None,
        }
    }

    fn normalised(domain: &str, service: Service, host: &str, dnssec_secure: bool) -> Self {
        let host = canonical_host(host);
        Self {
            service,
            reference_identities: reference_identities(domain, service, &host, dnssec_secure),
            host,
            #[cfg(feature = "dane")]
            tlsa: None,
        }
    }

    /// This subject with the TLSA RRset of `_<port>._tcp.<host>` (RFC 7673 §3.3), which the
    /// caller validated with DNSSEC (a "secure" answer). Giving records also says that the SRV
    /// answer was secure (RFC 7673 §3.1: only then is TLSA asked), so for DANE-TA and PKIX
    /// records the target host is a reference identity too (RFC 7673 §4.1). An empty list, or
    /// one without a usable record, verifies as without TLSA (RFC 7671 §4.1).
    ///
    /// `Err(TOO_MANY_TLSA_RECORDS)` for more than [`MAX_TLSA_RECORDS`](crate::MAX_TLSA_RECORDS) records.
    #[cfg(feature = "dane")]
    pub fn with_tlsa(mut self, port: u16, records: Vec<TlsaRecord>) -> Result<Self, Error> {
        self.tlsa = Some(Tlsa::new(port, records)?);
        Ok(self)
    }

    /// The TLSA RRset given with [`Subject::with_tlsa`], if any.
    #[cfg(feature = "dane")]
    pub(super) fn tlsa_rrset(&self) -> Option<&Tlsa> {
        self.tlsa.as_ref()
    }

    /// The TLSA records given with [`Subject::with_tlsa`], if any.
    #[cfg(feature = "dane")]
    pub fn tlsa(&self) -> Option<&[TlsaRecord]> {
        self.tlsa.as_ref().map(|t| t.records())
    }

    /// The SRV label the server was found under.
    pub fn service(&self) -> Service {
        self.service
    }

    /// The host connected to (lower case, no trailing dot).
    pub fn host(&self) -> &str {
        &self.host
    }

    /// The reference identities, in the order they are tried.
    pub fn reference_identities(&self) -> &[ReferenceIdentity] {
        &self.reference_identities
    }
}

/// Verification options.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct VerifyOptions {
    /// Accept the subject CN as a DNS-ID when the certificate has no SAN identity at all
    /// (RFC 7817 §3 allows it; RFC 9525 forbids it; D10). Off by default.
    pub legacy_cn: bool,
}

/// The outcome of a verification.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Verdict {
    /// `verified`, `needs-confirmation` or `rejected`.
    pub status: VerdictStatus,
    /// The reference identity that matched (for `verified`), or the target host that matched
    /// (for `needs-confirmation`).
    pub matched: Option<ReferenceIdentity>,
    /// Why the chain was rejected.
    pub reason: Option<RejectReason>,
    /// A readable summary naming the problem.
    pub message: String,
    /// The reference identities that were checked, in order.
    pub reference_identities: Vec<ReferenceIdentity>,
    /// Every identity the certificate presented, for display.
    pub presented: Vec<PresentedIdentity>,
    /// Notes, e.g. skipped malformed identifiers or SRV-IDs not used under name constraints.
    pub notes: Vec<String>,
    /// With TLSA records ([`Subject::with_tlsa`]): what became of each record. Absent without.
    #[cfg(feature = "dane")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dane: Option<DaneReport>,
}

/// Verdict status.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum VerdictStatus {
    /// The chain is valid and matches the user's domain or its SRV-ID (or a DNSSEC-secure target).
    Verified,
    /// The chain is valid, but only the SRV target host matched and the SRV answer was not
    /// DNSSEC-secure: ask the user before sending anything (RFC 6186 §6, RFC 7817 §8).
    NeedsConfirmation,
    /// Do not use this server.
    Rejected,
}

impl VerdictStatus {
    /// What the host reports to the negotiator after the handshake (the one rule, RFC 6186 §6,
    /// RFC 8314 §5.1): `verified` stays verified; `needs-confirmation` counts only when the
    /// user confirmed this server; anything else is not verified, so no credential is sent.
    pub fn tls_outcome(self, user_confirmed: bool) -> TlsOutcome {
        match self {
            Self::Verified => TlsOutcome::Verified,
            Self::NeedsConfirmation if user_confirmed => TlsOutcome::UserConfirmed,
            Self::NeedsConfirmation | Self::Rejected => TlsOutcome::NotVerified,
        }
    }
}

/// Why a chain was rejected.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RejectReason {
    /// No path to a trust anchor (includes self-signed certificates).
    UnknownIssuer,
    /// A certificate in the path has expired at `now`.
    Expired,
    /// A certificate in the path is not yet valid at `now`.
    NotYetValid,
    /// A signature does not verify, or uses an unsupported algorithm.
    BadSignature,
    /// The leaf is not for TLS server authentication (EKU), or a CA is used as a leaf.
    WrongKeyUsage,
    /// A name constraint of the path forbids the certificate's names, or a nameConstraints
    /// extension breaks RFC 5280 §4.2.1.10 itself: one in the server certificate, one without
    /// any subtree, or a dNSName constraint with a leading period.
    NameConstraints,
    /// No reference identity matches.
    NameMismatch,
    /// A certificate could not be parsed, or breaks a MUST of the RFC 5280 profile that the
    /// message names (e.g. an empty subject without a critical subjectAltName, §4.2.1.6).
    MalformedCertificate,
    /// Another path-validation failure (see the message).
    Other,
    /// The TLSA RRset has usable records and none of them matched the chain (RFC 7671 §4.1,
    /// RFC 7673 §4): the server must not be used, whatever PKIX says. Only with the feature
    /// `dane`; the variant stays in every build, so that the vocabulary is the same everywhere.
    TlsaMismatch,
}

pub(super) fn reject(
    reason: RejectReason,
    message: String,
    reference_identities: Vec<ReferenceIdentity>,
    presented: Vec<PresentedIdentity>,
) -> Verdict {
    Verdict {
        status: VerdictStatus::Rejected,
        matched: None,
        reason: Some(reason),
        message,
        reference_identities,
        presented,
        notes: Vec::new(),
        #[cfg(feature = "dane")]
        dane: None,
    }
}

pub(super) fn classify(e: &webpki::Error) -> RejectReason {
    use webpki::Error as E;
    match e {
        E::UnknownIssuer | E::CertDistrusted => RejectReason::UnknownIssuer,
        E::CertExpired { .. } => RejectReason::Expired,
        E::CertNotValidYet { .. } => RejectReason::NotYetValid,
        E::InvalidSignatureForPublicKey
        | E::UnsupportedSignatureAlgorithmContext(_)
        | E::UnsupportedSignatureAlgorithmForPublicKeyContext(_)
        | E::SignatureAlgorithmMismatch => RejectReason::BadSignature,
        E::RequiredEkuNotFoundContext(_)
        | E::EmptyEkuExtension
        | E::CaUsedAsEndEntity
        | E::EndEntityUsedAsCa => RejectReason::WrongKeyUsage,
        E::NameConstraintViolation | E::MalformedNameConstraint => RejectReason::NameConstraints,
        E::BadDer
        | E::BadDerTime
        | E::TrailingData(_)
        | E::MalformedExtensions
        | E::ExtensionValueInvalid
        | E::UnsupportedCertVersion
        | E::InvalidCertValidity
        | E::InvalidSerialNumber => RejectReason::MalformedCertificate,
        _ => RejectReason::Other,
    }
}

/// Where the trust anchors' name constraints come from.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum AnchorConstraints {
    /// The nameConstraints extensions of the host's anchor certificates: RFC 5280 applies.
    FromCertificates,
    /// Constraints a root program imposes (webpki-roots, from the CCADB). They follow NSS
    /// conventions, e.g. `.tr` for TUBITAK, so the RFC 5280 syntax checks are not applied.
    #[cfg(feature = "webpki-roots")]
    Imposed,
}

/// What path validation needs: the server certificate (raw and parsed), the intermediates as
/// TLS delivered them, the trust anchors and the time.
pub(super) struct PathInput<'a> {
    pub(super) leaf_der: &'a [u8],
    pub(super) leaf: &'a Certificate<'a>,
    pub(super) intermediates: &'a [&'a [u8]],
    pub(super) trust: &'a [TrustAnchor<'a>],
    pub(super) anchor_constraints: AnchorConstraints,
    pub(super) time: UnixTime,
}

impl PathInput<'_> {
    /// Validates the path with rustls-webpki, then applies the RFC 5280 rules it does not check;
    /// gives the DNS name constraints and the certificates of the validated path, or why it is
    /// rejected.
    pub(super) fn validated(&self) -> Result<Validated, (RejectReason, String)> {
        let leaf_cert = CertificateDer::from(self.leaf_der);
        let intermediate_ders: Vec<CertificateDer<'_>> = self
            .intermediates
            .iter()
            .map(|c| CertificateDer::from(*c))
            .collect();
        let ee = EndEntityCert::try_from(&leaf_cert).map_err(|e| {
            (
                classify(&e),
                format!("the server certificate is not usable: {e}"),
            )
        })?;
        // Known deviation (docs/security.md, "Known deviation: self-issued intermediates"):
        // rustls-webpki 0.103 applies every name constraint to all certificates below it,
        // self-issued intermediates included, although RFC 5280 §4.2.1.10 exempts a self-issued
        // certificate that is not the last in the path. The check runs inside
        // `verify_for_usage` (its verify_cert.rs, `check_signed_chain_name_constraints` calling
        // `subject_name::check_name_constraints`) with no option to skip it; avoiding it from
        // here would mean stripping the constraints and evaluating every name form ourselves.
        // Such a chain is rejected (fail closed), and the reason may read `bad-signature`:
        // rustls-webpki reports the error it ranks highest among the paths it tried.
        let path = ee
            .verify_for_usage(
                ALGORITHMS,
                self.trust,
                &intermediate_ders,
                self.time,
                KeyUsage::server_auth(),
                None,
                None,
            )
            .map_err(|e| {
                (
                    classify(&e),
                    format!("the certificate chain does not validate: {e}"),
                )
            })?;
        // RFC 5280 MUSTs for the server certificate that rustls-webpki does not check.
        if let Some((reason, problem)) = leaf_profile_problem(self.leaf) {
            return Err((reason, format!("the server certificate {problem}")));
        }
        // Name constraints anywhere in the validated path (intermediates and the anchor).
        let found = path
            .intermediate_certificates()
            .enumerate()
            .map(|(i, c)| {
                let place = format!("intermediate certificate {}", i + 1);
                (place, name_constraints_of(c.der().as_ref()), true)
            })
            .chain(std::iter::once((
                "the trust anchor".to_owned(),
                anchor_name_constraints(path.anchor()),
                self.anchor_constraints == AnchorConstraints::FromCertificates,
            )));
        let mut constraints = Vec::new();
        for (place, found, from_certificate) in found {
            let nc = found.map_err(|e| {
                (
                    RejectReason::NameConstraints,
                    format!("the nameConstraints of {place} do not parse: {e}"),
                )
            })?;
            let Some(nc) = nc else { continue };
            if let Some(problem) = constraint_problem(&nc).filter(|_| from_certificate) {
                return Err((
                    RejectReason::NameConstraints,
                    format!("the nameConstraints of {place} {problem}"),
                ));
            }
            constraints.push(nc);
        }
        Ok(Validated {
            constraints,
            #[cfg(feature = "dane")]
            intermediates: path
                .intermediate_certificates()
                .map(|c| c.der().as_ref().to_vec())
                .collect(),
            #[cfg(feature = "dane")]
            anchor_key: path.anchor().subject_public_key_info.as_ref().to_vec(),
        })
    }
}

/// What a validated path is made of, beyond the leaf.
pub(super) struct Validated {
    /// The DNS name constraints of the path.
    pub(super) constraints: Vec<DnsConstraints>,
    /// The intermediate certificates (DER), from the one that issued the leaf upwards (DANE).
    #[cfg(feature = "dane")]
    pub(super) intermediates: Vec<Vec<u8>>,
    /// The contents of the trust anchor's SubjectPublicKeyInfo (without its SEQUENCE header,
    /// as rustls-webpki keeps it; DANE).
    #[cfg(feature = "dane")]
    pub(super) anchor_key: Vec<u8>,
}

/// Matches the presented identities of a validated chain against the subject's reference
/// identities, in order (RFC 6125 §6, RFC 7817, D7–D12).
pub(super) fn match_identities(
    subject: &Subject,
    presented: Vec<PresentedIdentity>,
    mut notes: Vec<String>,
    constraints: &[DnsConstraints],
    options: VerifyOptions,
) -> Verdict {
    // Security scenario 67 and RFC 9525 §7.6: a CA's dNSName constraints do not limit SRVNames,
    // and SRVName constraints are not evaluated here, so under any constraint SRV-IDs are not used.
    let srv_ids_usable = constraints.is_empty();
    if !srv_ids_usable && presented.iter().any(|p| p.kind == PresentedKind::SrvId) {
        notes.push("SRV-IDs were not used: the issuing CA has name constraints, which do not vouch for SRVNames".into());
    }
    let has_san = presented.iter().any(|p| p.kind != PresentedKind::CnId);
    let use_cn = options.legacy_cn && !has_san;
    if options.legacy_cn && has_san && presented.iter().any(|p| p.kind == PresentedKind::CnId) {
        notes.push(
            "the CN was ignored because the certificate has subjectAltName identities".into(),
        );
    }
    let presents_dns = |reference: &str| {
        presented.iter().any(|p| {
            (p.kind == PresentedKind::DnsId || (use_cn && p.kind == PresentedKind::CnId))
                && p.invalid.is_none()
                && dns_id_matches(&p.value, reference)
        }) && dns_name_allowed(reference, constraints)
    };
    let presents_srv = |reference: &str| {
        srv_ids_usable
            && presented.iter().any(|p| {
                p.kind == PresentedKind::SrvId
                    && p.invalid.is_none()
                    && parse_srv_id(reference)
                        .is_ok_and(|(label, domain)| srv_id_matches(&p.value, label, domain))
            })
    };
    let refs = subject.reference_identities.clone();
    let matched = refs
        .iter()
        .find(|r| match r.kind {
            IdentityKind::SrvId => presents_srv(&r.value),
            IdentityKind::DnsId => presents_dns(&r.value),
            // TLSA usages are never reference identities.
            _ => false,
        })
        .cloned();
    let host = subject.host.as_str();
    let host_is_a_reference = refs
        .iter()
        .any(|r| r.kind == IdentityKind::DnsId && r.value == host);
    let (status, message, matched, reason) = match matched {
        Some(m) => (
            VerdictStatus::Verified,
            format!(
                "the certificate is valid for {} `{}`",
                kind_name(m.kind),
                m.value
            ),
            Some(m),
            None,
        ),
        None if !refs.is_empty() && !host_is_a_reference && presents_dns(host) => (
            VerdictStatus::NeedsConfirmation,
            format!(
                "the certificate is valid only for the server `{host}`, not for `{}`, and the SRV \
                 answer was not DNSSEC-secure: ask the user to confirm `{host}` before sending \
                 anything",
                dns_ids(&refs).join("`, `")
            ),
            Some(ReferenceIdentity {
                kind: IdentityKind::DnsId,
                value: host.into(),
            }),
            None,
        ),
        None => (
            VerdictStatus::Rejected,
            format!(
                "the certificate names [{}], none of [{}]",
                presented
                    .iter()
                    .map(|p| p.value.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
                refs.iter()
                    .map(|r| r.value.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            None,
            Some(RejectReason::NameMismatch),
        ),
    };
    Verdict {
        status,
        matched,
        reason,
        message,
        reference_identities: refs,
        presented,
        notes,
        #[cfg(feature = "dane")]
        dane: None,
    }
}

/// The DNS-ID values among reference identities.
fn dns_ids(refs: &[ReferenceIdentity]) -> Vec<&str> {
    refs.iter()
        .filter(|r| r.kind == IdentityKind::DnsId)
        .map(|r| r.value.as_str())
        .collect()
}

pub(super) fn kind_name(kind: IdentityKind) -> &'static str {
    match kind {
        IdentityKind::SrvId => "SRV-ID",
        IdentityKind::DnsId => "DNS-ID",
        IdentityKind::DaneEe => "DANE-EE",
        IdentityKind::DaneTa => "DANE-TA",
        IdentityKind::PkixTa => "PKIX-TA",
        IdentityKind::PkixEe => "PKIX-EE",
    }
}

/// What makes the server certificate break RFC 5280 where rustls-webpki accepts it, if anything.
///
/// Decided on purpose not to refuse (RFC 5280 allows them; only the CA/Browser Forum's Baseline
/// Requirements forbid them, and mail servers often use CAs outside those rules): a critical
/// subjectAltName beside a non-empty subject (§4.2.1.6 says SHOULD be non-critical), and a CN
/// that is not among the SANs (the CN is never matched beside SANs, D10).
fn leaf_profile_problem(leaf: &Certificate<'_>) -> Option<(RejectReason, String)> {
    // §4.2.1.10: "The name constraints extension, which MUST be used only in a CA certificate".
    if leaf.has_name_constraints() {
        return Some((
            RejectReason::NameConstraints,
            "carries a nameConstraints extension, which RFC 5280 §4.2.1.10 allows only in CA \
             certificates"
                .into(),
        ));
    }
    // §4.2.1.6: with an empty subject, the identity is in a subjectAltName that MUST be critical.
    // (A CA's subject must not be empty at all, §4.1.2.6, so only the leaf is checked.)
    if leaf.subject_is_empty() {
        let problem = match leaf.alt_names_critical() {
            Ok(Some(true)) => return None,
            Ok(Some(false)) => "its subjectAltName extension is not critical",
            Ok(None) => "no subjectAltName extension",
            Err(_) => "more than one subjectAltName extension",
        };
        return Some((
            RejectReason::MalformedCertificate,
            format!(
                "has an empty subject and {problem}: RFC 5280 §4.2.1.6 requires a critical \
                 subjectAltName then"
            ),
        ));
    }
    None
}

/// What makes a nameConstraints extension of a CA certificate break RFC 5280 §4.2.1.10, if
/// anything (rustls-webpki accepts both cases).
fn constraint_problem(nc: &DnsConstraints) -> Option<String> {
    // "Conforming CAs MUST NOT issue certificates where name constraints is an empty sequence."
    if nc.subtrees == 0 {
        return Some(
            "have neither permittedSubtrees nor excludedSubtrees (RFC 5280 §4.2.1.10: one of \
             them MUST be present)"
                .into(),
        );
    }
    // A dNSName constraint is a host name ("host.example.com"): it covers that name and the
    // names below it. The leading-period form belongs to URI and rfc822Name constraints; for
    // dNSName, RFC 5280 gives it no meaning (NSS and rustls-webpki read it as "subdomains
    // only"), so a certificate carrying one is refused rather than guessed at.
    let dotted = nc
        .permitted
        .iter()
        .chain(&nc.excluded)
        .find(|b| b.starts_with('.'))?;
    Some(format!(
        "have the dNSName constraint `{}`, which starts with a period: RFC 5280 §4.2.1.10 \
         dNSName constraints are host names (the leading period is only for URI and rfc822Name \
         constraints)",
        escape(dotted.as_bytes())
    ))
}

/// The nameConstraints extension of a certificate, if any.
fn name_constraints_of(der: &[u8]) -> Result<Option<DnsConstraints>, der::Error> {
    Certificate::parse(der)?.name_constraints()
}

/// The name constraints of a trust anchor (webpki keeps the contents of the SEQUENCE).
fn anchor_name_constraints(anchor: &TrustAnchor<'_>) -> Result<Option<DnsConstraints>, der::Error> {
    match &anchor.name_constraints {
        Some(inner) => dns_constraints(inner.as_ref()).map(Some),
        None => Ok(None),
    }
}

/// Whether dNSName constraints of the path allow `name` (RFC 5280 §4.2.1.10).
fn dns_name_allowed(name: &str, constraints: &[DnsConstraints]) -> bool {
    constraints.iter().all(|nc| {
        !nc.excluded.iter().any(|b| within_dns_constraint(name, b))
            && (nc.permitted.is_empty()
                || nc.permitted.iter().any(|b| within_dns_constraint(name, b)))
    })
}

/// Shows a presented value safely: printable ASCII stays, other bytes (NUL, controls, spaces,
/// non-ASCII) become `\DDD`, so a value can never pass for another when displayed.
pub(super) fn escape(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for &b in bytes {
        if b.is_ascii_graphic() && b != b'\\' {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("\\{b:03}"));
        }
    }
    out
}

/// Reads the presented identities of a leaf certificate (D11, D12).
pub(super) fn presented_identities(
    cert: &Certificate<'_>,
) -> (Vec<PresentedIdentity>, Vec<String>) {
    let mut out = Vec::new();
    let mut notes = Vec::new();
    match cert.alt_names() {
        Ok(Some(names)) => {
            for name in names {
                match name {
                    AltName::Dns(value) => out.push(PresentedIdentity {
                        kind: PresentedKind::DnsId,
                        value: escape(value.as_bytes()),
                        invalid: dns_id_problem(value),
                    }),
                    AltName::Srv(Some(value)) => out.push(PresentedIdentity {
                        kind: PresentedKind::SrvId,
                        value: escape(value.as_bytes()),
                        invalid: parse_srv_id(value).err(),
                    }),
                    AltName::Srv(None) => notes
                        .push("an SRVName that is not an IA5String was ignored (RFC 4985)".into()),
                    AltName::Uri(value) => out.push(PresentedIdentity {
                        kind: PresentedKind::UriId,
                        value: escape(value.as_bytes()),
                        invalid: Some("URI-IDs are not used for mail (RFC 7817 §3)".into()),
                    }),
                    AltName::Other => {}
                }
            }
        }
        Ok(None) => {}
        Err(e) => notes.push(format!(
            "the subjectAltName extension does not parse and was ignored: {e}"
        )),
    }
    match cert.common_names() {
        Ok(names) => out.extend(names.into_iter().map(|value| PresentedIdentity {
            kind: PresentedKind::CnId,
            value: escape(value.as_bytes()),
            invalid: dns_id_problem(value),
        })),
        Err(e) => notes.push(format!(
            "the subject name does not parse and was ignored: {e}"
        )),
    }
    (out, notes)
}

/// Decodes every `CERTIFICATE` block of a PEM text into DER, in order. Other PEM blocks are
/// skipped; text outside blocks is ignored. A block whose bytes are not one DER SEQUENCE (what
/// every certificate is) is refused here, not later at verification.
pub fn certificates_from_pem(pem: &[u8]) -> Result<Vec<Vec<u8>>, Error> {
    use pki_types::pem::PemObject;
    let mut out = Vec::new();
    for cert in CertificateDer::pem_slice_iter(pem) {
        let cert = cert.map_err(|e| {
            Error::new(
                ErrorCode::InvalidCertificateEncoding,
                format!("PEM certificate does not decode: {e}"),
            )
        })?;
        if !is_one_der_sequence(cert.as_ref()) {
            return Err(Error::new(
                ErrorCode::InvalidCertificateEncoding,
                format!(
                    "CERTIFICATE block {} is not a DER certificate (not one DER SEQUENCE)",
                    out.len() + 1
                ),
            ));
        }
        out.push(cert.as_ref().to_vec());
    }
    if out.is_empty() {
        return Err(Error::new(
            ErrorCode::InvalidCertificateEncoding,
            "no CERTIFICATE block in the PEM text",
        ));
    }
    Ok(out)
}

/// Whether `der` is exactly one DER SEQUENCE (`der`'s strict reading: definite, minimal length,
/// no trailing bytes), the outer shape of every certificate.
fn is_one_der_sequence(der: &[u8]) -> bool {
    use der::{Decode, Tagged, asn1::AnyRef};
    AnyRef::from_der(der).is_ok_and(|any| any.tag() == der::Tag::Sequence)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pem_block_that_is_not_one_der_sequence_is_refused() {
        let block =
            |b64: &str| format!("-----BEGIN CERTIFICATE-----\n{b64}\n-----END CERTIFICATE-----\n");
        // "AAAA": three zero bytes; "MAA=": an empty SEQUENCE, 30 00; "MAAA": 30 00 00, a byte
        // after it; "MIEAAAA=": 30 81 00 00 00, a long-form length that leaves two bytes over;
        // "MIEA": 30 81 00, a length in long form that fits the short one (not DER).
        for (b64, ok) in [
            ("AAAA", false),
            ("MAA=", true),
            ("MAAA", false),
            ("MIEAAAA=", false),
            ("MIEA", false),
        ] {
            let got = certificates_from_pem(block(b64).as_bytes());
            assert_eq!(got.is_ok(), ok, "{b64}: {got:?}");
            if let Err(e) = got {
                assert_eq!(e.code(), ErrorCode::InvalidCertificateEncoding);
                assert!(
                    e.message().contains("block 1 is not a DER certificate"),
                    "{}",
                    e.message()
                );
            }
        }
        // A real chain still decodes, every certificate of it.
        let chain = include_str!("../../../testdata/certs/srv-id.chain.pem");
        assert_eq!(
            certificates_from_pem(chain.as_bytes())
                .map(|c| c.len())
                .ok(),
            Some(2)
        );
    }

    // Requirements: S7817-3e.
    #[test]
    fn uri_ids_are_listed_as_unusable_and_never_matched() {
        // subjectAltName: URI "imaps://example.net", dNSName "example.net".
        let mut names = vec![0x86, 19];
        names.extend_from_slice(b"imaps://example.net");
        names.extend_from_slice(&[0x82, 11]);
        names.extend_from_slice(b"example.net");
        let mut san = vec![0x30, names.len() as u8];
        san.extend_from_slice(&names);
        let cert = Certificate::for_tests(&san);
        let (presented, notes) = presented_identities(&cert);
        assert!(notes.is_empty(), "{notes:?}");
        assert_eq!(presented.len(), 2, "{presented:?}");
        assert_eq!(presented[0].kind, PresentedKind::UriId);
        assert_eq!(presented[0].value, "imaps://example.net");
        assert!(
            presented[0].invalid.is_some(),
            "a URI-ID is never usable for mail"
        );
        assert_eq!(presented[1].kind, PresentedKind::DnsId);
        assert!(presented[1].invalid.is_none());
    }
}
