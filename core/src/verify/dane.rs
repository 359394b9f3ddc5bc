//! DANE for SRV targets (RFC 6698, RFC 7671, RFC 7673 §4): TLSA records that the host validated
//! with DNSSEC, matched against the server's chain (decision D37 in docs/decisions.md).
//!
//! - DANE-EE(3): the leaf certificate (selector 0) or its SubjectPublicKeyInfo (1) matches by
//!   exact bytes (0), SHA-256 (1) or SHA-512 (2); names and dates are not checked (RFC 7671 §5.1).
//! - DANE-TA(2): the matched certificate, or a bare key, is the only trust anchor of path
//!   validation, and the leaf must name a reference identity, the SRV target host included
//!   (RFC 7673 §4.1). A Full(0) record can carry an anchor the server did not send (RFC 7671
//!   §5.2.2): a certificate, or a bare key that signed one of the chain's certificates.
//! - PKIX-TA(0) / PKIX-EE(1): ordinary path validation with the host's anchors, and the record
//!   must match a CA of the validated path or the leaf (RFC 6698 §2.1.1).
//! - Records with an unknown usage, selector or matching type, or a digest of the wrong length,
//!   are unusable and ignored; an RRset without a usable record is as if absent (RFC 7671 §4.1).
//!
//! The records themselves are in `tlsa.rs`; certificates are read with the core's DER reader
//! and validated with rustls-webpki.

use pki_types::{CertificateDer, Der, TrustAnchor, UnixTime};

use super::certificate::Certificate;
use super::chain::{
    AnchorConstraints, PathInput, RejectReason, Subject, Validated, Verdict, VerdictStatus,
    VerifyOptions, match_identities, presented_identities, reject,
};
use super::presented::PresentedIdentity;
use super::tlsa::{DaneReport, Tlsa, TlsaCheck, TlsaOutcome, TlsaRecord, Usage};
use crate::identity::{IdentityKind, ReferenceIdentity};

/// Everything a DANE verification reads.
pub(super) struct DaneInput<'a> {
    pub(super) subject: &'a Subject,
    pub(super) tlsa: &'a Tlsa,
    pub(super) chain: &'a [&'a [u8]],
    pub(super) trust: &'a [TrustAnchor<'a>],
    pub(super) anchor_certs: &'a [&'a [u8]],
    pub(super) anchor_constraints: AnchorConstraints,
    pub(super) time: UnixTime,
    pub(super) options: VerifyOptions,
}

/// How the first record that matched decided: the verdict, and for a DANE-TA or PKIX match
/// the reference identity the certificate presented.
type Decision = (Verdict, Option<ReferenceIdentity>);

impl DaneInput<'_> {
    fn name(&self) -> String {
        format!("_{}._tcp.{}", self.tlsa.port, self.subject.host())
    }

    fn initial_checks(&self) -> Vec<TlsaCheck> {
        self.tlsa
            .records()
            .iter()
            .map(|r| match r.usable() {
                Ok(_) => TlsaCheck {
                    record: r.short(),
                    outcome: TlsaOutcome::NotTried,
                    depth: None,
                    why: "not tried: another record decided first".into(),
                },
                Err(why) => TlsaCheck {
                    record: r.short(),
                    outcome: TlsaOutcome::Unusable,
                    depth: None,
                    why,
                },
            })
            .collect()
    }

    /// Adds the report of an RRset without a usable record to an ordinary verdict.
    pub(super) fn add_unusable_report(&self, verdict: &mut Verdict) {
        verdict.notes.push(format!(
            "the TLSA RRset at {} has no usable record, so it was treated as absent (RFC 7671 §4.1)",
            self.name()
        ));
        verdict.dane = Some(DaneReport {
            name: self.name(),
            usable: false,
            identity: None,
            records: self.initial_checks(),
        });
    }

    /// The subject of DANE-TA and PKIX matches: its reference identities and the target host
    /// (RFC 7673 §4.1: TLSA was asked, so the SRV answer was secure).
    fn subject_with_host(&self) -> Subject {
        let host = self.subject.host();
        let mut refs = self.subject.reference_identities().to_vec();
        if !refs
            .iter()
            .any(|r| r.kind == IdentityKind::DnsId && r.value == host)
        {
            refs.push(ReferenceIdentity {
                kind: IdentityKind::DnsId,
                value: host.into(),
            });
        }
        Subject::with_references(self.subject.service(), host, refs)
    }

    /// Verifies with the usable records: DANE-EE, then DANE-TA, then PKIX-EE and PKIX-TA.
    pub(super) fn verify(&self) -> Verdict {
        let mut checks = self.initial_checks();
        let leaf_der = self.chain[0];
        let leaf = Certificate::parse(leaf_der);
        let (presented, notes) = match &leaf {
            Ok(cert) => presented_identities(cert),
            Err(e) => (
                Vec::new(),
                vec![format!("the server certificate does not parse: {e}")],
            ),
        };
        let leaf_spki = leaf.as_ref().ok().map(|c| c.spki_der());
        let records = self.tlsa.records();
        let usable: Vec<(usize, Usage)> = records
            .iter()
            .enumerate()
            .filter_map(|(i, r)| r.usable().ok().map(|u| (i, u)))
            .collect();
        let with = |usage: Usage| {
            usable
                .iter()
                .filter(move |(_, u)| *u == usage)
                .map(|(i, _)| *i)
        };
        let mut first_failure: Option<Verdict> = None;
        let decision = 'decide: {
            // DANE-EE(3): the key or certificate itself; no name, date or path check.
            for i in with(Usage::DaneEe) {
                let r = &records[i];
                if r.matches(leaf_der, leaf_spki) {
                    mark_matched(
                        &mut checks[i],
                        0,
                        format!("matches the server's {}", r.selects()),
                    );
                    let message = format!(
                        "DANE-EE: the TLSA record `{}` at {} matches the server's {} \
                         (RFC 7671 §5.1: names and validity dates are not checked)",
                        r.short(),
                        self.name(),
                        r.selects()
                    );
                    break 'decide Some((
                        Verdict {
                            status: VerdictStatus::Verified,
                            matched: Some(usage_identity(Usage::DaneEe, r)),
                            reason: None,
                            message,
                            reference_identities: self.subject.reference_identities().to_vec(),
                            presented: presented.clone(),
                            notes: notes.clone(),
                            dane: None,
                        },
                        None,
                    ));
                }
                mark_no_match(
                    &mut checks[i],
                    if r.selector == 1 && leaf_spki.is_none() {
                        "the server certificate's public key could not be read".into()
                    } else {
                        format!("the server's {} does not match", r.selects())
                    },
                );
            }
            let Ok(leaf) = &leaf else {
                for (i, _) in usable.iter().filter(|(_, u)| *u != Usage::DaneEe) {
                    mark_no_match(
                        &mut checks[*i],
                        "the server certificate does not parse".into(),
                    );
                }
                break 'decide None;
            };
            // DANE-TA(2): the matched certificate or key is the one trust anchor.
            for i in with(Usage::DaneTa) {
                let r = &records[i];
                match self.dane_ta(r, leaf_der, leaf) {
                    TaResult::NoMatch(why) => mark_no_match(&mut checks[i], why),
                    TaResult::Path(depth, what, Err((reason, message))) => {
                        mark_matched(
                            &mut checks[i],
                            depth,
                            format!("names {what}, but the path does not validate: {message}"),
                        );
                        first_failure.get_or_insert_with(|| {
                            reject(
                                reason,
                                format!(
                                    "DANE-TA: the TLSA record `{}` names {what}, but the chain \
                                     does not validate to it: {message}",
                                    r.short()
                                ),
                                self.subject.reference_identities().to_vec(),
                                presented.clone(),
                            )
                        });
                    }
                    TaResult::Path(depth, what, Ok(valid)) => {
                        mark_matched(
                            &mut checks[i],
                            depth,
                            format!("names {what} as the trust anchor"),
                        );
                        break 'decide Some(self.identity_decision(
                            Usage::DaneTa,
                            r,
                            format!("names {what} as the trust anchor"),
                            &valid,
                            (&presented, &notes),
                        ));
                    }
                }
            }
            // PKIX-EE(1) / PKIX-TA(0): only on top of ordinary path validation.
            let pkix: Vec<usize> = usable
                .iter()
                .filter(|(_, u)| matches!(u, Usage::PkixEe | Usage::PkixTa))
                .map(|(i, _)| *i)
                .collect();
            if pkix.is_empty() {
                break 'decide None;
            }
            let valid = if self.trust.is_empty() {
                Err((
                    RejectReason::UnknownIssuer,
                    "no trust anchor was given for PKIX validation".to_owned(),
                ))
            } else {
                self.pkix_path(leaf_der, leaf)
            };
            let valid = match valid {
                Ok(valid) => valid,
                Err((reason, message)) => {
                    for &i in &pkix {
                        let r = &records[i];
                        let why = format!("PKIX validation, which it needs, failed: {message}");
                        // A PKIX-EE record can still be seen to match the leaf; say so.
                        if r.usage == 1 && r.matches(leaf_der, leaf_spki) {
                            mark_matched(
                                &mut checks[i],
                                0,
                                format!("matches the server's {}, but {why}", r.selects()),
                            );
                        } else {
                            mark_no_match(&mut checks[i], why);
                        }
                    }
                    first_failure.get_or_insert_with(|| {
                        reject(
                            reason,
                            format!(
                                "PKIX-TA/PKIX-EE TLSA records need PKIX validation, which failed: \
                                 {message}"
                            ),
                            self.subject.reference_identities().to_vec(),
                            presented.clone(),
                        )
                    });
                    break 'decide None;
                }
            };
            for &i in &pkix {
                let r = &records[i];
                match self.pkix_match(r, leaf_der, leaf_spki, &valid) {
                    Some((depth, what)) => {
                        let usage = if r.usage == 1 {
                            Usage::PkixEe
                        } else {
                            Usage::PkixTa
                        };
                        mark_matched(&mut checks[i], depth, format!("matches {what}"));
                        break 'decide Some(self.identity_decision(
                            usage,
                            r,
                            format!("matches {what} of the PKIX-validated path"),
                            &valid,
                            (&presented, &notes),
                        ));
                    }
                    None => {
                        mark_no_match(
                            &mut checks[i],
                            if r.usage == 1 {
                                format!("the server's {} does not match", r.selects())
                            } else {
                                format!("matches no CA {} of the PKIX-validated path", r.selects())
                            },
                        );
                    }
                }
            }
            None
        };
        let (mut verdict, identity) = match decision {
            Some(decision) => decision,
            None => (
                first_failure.unwrap_or_else(|| {
                    let mut v = reject(
                        RejectReason::TlsaMismatch,
                        format!(
                            "no usable TLSA record at {} matches the certificate chain ({} \
                             usable of {}): the server must not be used (RFC 7671 §4.1)",
                            self.name(),
                            usable.len(),
                            records.len()
                        ),
                        self.subject.reference_identities().to_vec(),
                        presented,
                    );
                    v.notes = notes;
                    v
                }),
                None,
            ),
        };
        verdict.dane = Some(DaneReport {
            name: self.name(),
            usable: true,
            identity,
            records: checks,
        });
        verdict
    }

    /// The identity check after a DANE-TA or PKIX match, with the target host as a reference
    /// identity; a verified verdict names the record in `matched`.
    fn identity_decision(
        &self,
        usage: Usage,
        r: &TlsaRecord,
        what: String,
        valid: &Validated,
        (presented, notes): (&[PresentedIdentity], &[String]),
    ) -> Decision {
        let subject = self.subject_with_host();
        let mut v = match_identities(
            &subject,
            presented.to_vec(),
            notes.to_vec(),
            &valid.constraints,
            self.options,
        );
        if v.status == VerdictStatus::Verified {
            let identity = v.matched.take();
            v.message = format!(
                "{}: the TLSA record `{}` at {} {what}, and {}",
                usage.name(),
                r.short(),
                self.name(),
                v.message
            );
            v.matched = Some(usage_identity(usage, r));
            (v, identity)
        } else {
            // With TLSA, the target host is a reference identity: no confirmation to ask for.
            v.status = VerdictStatus::Rejected;
            v.reason = Some(RejectReason::NameMismatch);
            v.matched = None;
            v.message = format!(
                "{}: the TLSA record `{}` at {} {what}, but {}",
                usage.name(),
                r.short(),
                self.name(),
                v.message
            );
            (v, None)
        }
    }

    fn path(
        &self,
        leaf_der: &[u8],
        leaf: &Certificate<'_>,
        intermediates: &[&[u8]],
        trust: &[TrustAnchor<'_>],
        anchor_constraints: AnchorConstraints,
    ) -> Result<Validated, (RejectReason, String)> {
        PathInput {
            leaf_der,
            leaf,
            intermediates,
            trust,
            anchor_constraints,
            time: self.time,
        }
        .validated()
    }

    /// A DANE-TA record: a certificate of the chain it matches (the lowest first), else a
    /// certificate or bare key it carries in full (RFC 7671 §5.2.2).
    fn dane_ta(&self, r: &TlsaRecord, leaf_der: &[u8], leaf: &Certificate<'_>) -> TaResult {
        let chain = self.chain;
        for depth in 1..chain.len() {
            let der = chain[depth];
            let spki = Certificate::parse(der).ok().map(|c| c.spki_der());
            if !r.matches(der, spki) {
                continue;
            }
            let what = format!("the certificate at depth {depth}");
            let cert = CertificateDer::from(der);
            let result = match webpki::anchor_from_trusted_cert(&cert) {
                Ok(anchor) => self.path(
                    leaf_der,
                    leaf,
                    &chain[1..depth],
                    &[anchor],
                    AnchorConstraints::FromCertificates,
                ),
                Err(e) => Err((
                    RejectReason::MalformedCertificate,
                    format!("the certificate is no usable trust anchor: {e}"),
                )),
            };
            return TaResult::Path(depth_u32(depth), what, result);
        }
        if r.matching_type != 0 {
            return TaResult::NoMatch(format!(
                "matches no CA {} of the chain the server sent",
                r.selects()
            ));
        }
        if r.selector == 0 {
            // A whole certificate the server did not send.
            let cert = CertificateDer::from(r.data.as_slice());
            let anchor = match webpki::anchor_from_trusted_cert(&cert) {
                Ok(anchor) => anchor,
                Err(e) => {
                    return TaResult::NoMatch(format!(
                        "its data is no certificate of the chain and does not parse as one: {e}"
                    ));
                }
            };
            let result = self.path(
                leaf_der,
                leaf,
                &chain[1..],
                &[anchor],
                AnchorConstraints::FromCertificates,
            );
            let depth = match &result {
                Ok(valid) => valid.intermediates.len() + 1,
                Err(_) => chain.len(),
            };
            return TaResult::Path(
                depth_u32(depth),
                "a certificate the server did not send".into(),
                result,
            );
        }
        // A bare key (RFC 7671 §5.2.2): the anchor of whichever chain certificate it signed.
        let Some(key) = spki_contents(&r.data) else {
            return TaResult::NoMatch(
                "its data is no public key of the chain and does not parse as a SubjectPublicKeyInfo"
                    .into(),
            );
        };
        let mut last = None;
        for depth in 0..chain.len() {
            let Ok(cert) = Certificate::parse(chain[depth]) else {
                break;
            };
            let anchor = TrustAnchor {
                subject: Der::from(cert.issuer_contents()),
                subject_public_key_info: Der::from(key),
                name_constraints: None,
            };
            match self.path(
                leaf_der,
                leaf,
                &chain[1..=depth],
                &[anchor],
                AnchorConstraints::FromCertificates,
            ) {
                Ok(valid) => {
                    return TaResult::Path(
                        depth_u32(depth),
                        format!("a key that signed the certificate at depth {depth}"),
                        Ok(valid),
                    );
                }
                Err((_, message)) => last = Some(message),
            }
        }
        TaResult::NoMatch(format!(
            "its key signed no certificate of the chain ({})",
            last.unwrap_or_else(|| "the chain does not parse".into())
        ))
    }

    /// Ordinary path validation with the host's anchors, the chain's certificates and, as
    /// further intermediates, the certificates of Cert(0) Full(0) TA records (OpenSSL does the
    /// same: a record can supply an intermediate the server left out).
    fn pkix_path(
        &self,
        leaf_der: &[u8],
        leaf: &Certificate<'_>,
    ) -> Result<Validated, (RejectReason, String)> {
        let mut intermediates: Vec<&[u8]> = self.chain[1..].to_vec();
        for r in self.tlsa.records() {
            if matches!(r.usable(), Ok(Usage::PkixTa | Usage::DaneTa))
                && r.selector == 0
                && r.matching_type == 0
                && intermediates.len() < crate::limits::MAX_CHAIN
            {
                intermediates.push(&r.data);
            }
        }
        self.path(
            leaf_der,
            leaf,
            &intermediates,
            self.trust,
            self.anchor_constraints,
        )
    }

    /// Where a PKIX record matches the validated path: its depth and what it is.
    fn pkix_match(
        &self,
        r: &TlsaRecord,
        leaf_der: &[u8],
        leaf_spki: Option<&[u8]>,
        valid: &Validated,
    ) -> Option<(u32, String)> {
        if r.usage == 1 {
            return r
                .matches(leaf_der, leaf_spki)
                .then(|| (0, format!("the server's {}", r.selects())));
        }
        for (i, der) in valid.intermediates.iter().enumerate() {
            let spki = Certificate::parse(der).ok().map(|c| c.spki_der());
            if r.matches(der, spki) {
                let depth = i + 1;
                return Some((
                    depth_u32(depth),
                    format!("the CA {} at depth {depth}", r.selects()),
                ));
            }
        }
        // The trust anchor: its key, or the certificate it came from (when the host gave one).
        let depth = depth_u32(valid.intermediates.len() + 1);
        let anchor_spki = webpki::spki_for_anchor(&TrustAnchor {
            subject: Der::from(&[][..]),
            subject_public_key_info: Der::from(valid.anchor_key.as_slice()),
            name_constraints: None,
        });
        let anchor_spki = anchor_spki.as_ref();
        let anchor_cert = self.anchor_certs.iter().find(|der| {
            Certificate::parse(der)
                .ok()
                .map(|c| c.spki_der())
                .is_some_and(|spki| spki == anchor_spki)
        });
        let hit = match r.selector {
            1 => r.matches(&[], Some(anchor_spki)),
            _ => anchor_cert.is_some_and(|der| r.matches(der, None)),
        };
        hit.then(|| {
            (
                depth,
                format!("the trust anchor's {} at depth {depth}", r.selects()),
            )
        })
    }
}

/// The result of one DANE-TA record.
enum TaResult {
    /// Nothing matched: why.
    NoMatch(String),
    /// A certificate or key matched at a depth (described): the path validation's result.
    Path(u32, String, Result<Validated, (RejectReason, String)>),
}

fn mark_matched(check: &mut TlsaCheck, depth: u32, why: String) {
    check.outcome = TlsaOutcome::Matched;
    check.depth = Some(depth);
    check.why = why;
}

fn mark_no_match(check: &mut TlsaCheck, why: String) {
    check.outcome = TlsaOutcome::NoMatch;
    check.why = why;
}

fn usage_identity(usage: Usage, r: &TlsaRecord) -> ReferenceIdentity {
    ReferenceIdentity {
        kind: usage.kind(),
        value: r.short().into(),
    }
}

fn depth_u32(depth: usize) -> u32 {
    u32::try_from(depth).unwrap_or(u32::MAX)
}

/// The contents of a DER SubjectPublicKeyInfo SEQUENCE (as rustls-webpki keeps an anchor's key),
/// or `None` when `der` is not one SEQUENCE.
fn spki_contents(der: &[u8]) -> Option<&[u8]> {
    use der::{Decode, Tag, Tagged, asn1::AnyRef};
    let any = AnyRef::from_der(der).ok()?;
    (any.tag() == Tag::Sequence).then(|| any.value())
}
