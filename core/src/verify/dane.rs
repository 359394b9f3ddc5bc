//! DANE for SRV targets (RFC 6698, RFC 7671, RFC 7673 §4): TLSA records that the host validated
//! with DNSSEC, matched against the server's chain (decision D32 (DANE) in docs/decisions.md).
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
//! Digests are computed with `ring`; certificates are read with the core's DER reader and
//! validated with rustls-webpki.

use core::fmt;

use pki_types::{CertificateDer, Der, TrustAnchor, UnixTime};
use serde::Serialize;

use super::certificate::Certificate;
use super::chain::{
    AnchorConstraints, PathInput, RejectReason, Subject, Validated, Verdict, VerdictStatus,
    VerifyOptions, match_identities, presented_identities, reject,
};
use super::presented::PresentedIdentity;
use crate::error::{Error, ErrorCode};
use crate::identity::{IdentityKind, ReferenceIdentity};

/// The most TLSA records accepted for one server (`_<port>._tcp.<host>`). Published RRsets
/// hold one to four (a current and a next key or issuer, RFC 7671 §8); 32 leaves room for
/// rollovers of several usages while bounding the work per handshake (each record may mean a
/// path validation). More is refused (`TOO_MANY_TLSA_RECORDS`).
pub const MAX_TLSA_RECORDS: usize = 32;

/// The longest certificate association data accepted in one TLSA record, in bytes (16 KiB). A
/// digest is 32 or 64 bytes; a Full(0) record holds a whole certificate or key, a few kilobytes
/// even for RSA-8192 with long name lists. Longer data is refused (`INVALID_TLSA_RECORD`).
pub const MAX_TLSA_DATA: usize = 16 * 1024;

/// How many hex digits of a record's data a verdict shows before eliding the rest.
const SHOWN_HEX: usize = 64;

/// One TLSA record (RFC 6698 §2.1): certificate usage, selector, matching type and the
/// certificate association data. Any values are accepted (RFC 7671 §4.1: unknown ones make the
/// record unusable, not the RRset invalid); only the data length is capped ([`MAX_TLSA_DATA`]).
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct TlsaRecord {
    usage: u8,
    selector: u8,
    matching_type: u8,
    data: Vec<u8>,
}

/// The certificate usages this module knows (RFC 6698 §2.1.1, RFC 7218 names).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Usage {
    PkixTa,
    PkixEe,
    DaneTa,
    DaneEe,
}

impl Usage {
    fn kind(self) -> IdentityKind {
        match self {
            Self::PkixTa => IdentityKind::PkixTa,
            Self::PkixEe => IdentityKind::PkixEe,
            Self::DaneTa => IdentityKind::DaneTa,
            Self::DaneEe => IdentityKind::DaneEe,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Self::PkixTa => "PKIX-TA",
            Self::PkixEe => "PKIX-EE",
            Self::DaneTa => "DANE-TA",
            Self::DaneEe => "DANE-EE",
        }
    }
}

impl TlsaRecord {
    /// A record from its four fields. `Err(INVALID_TLSA_RECORD)` when `data` is empty or longer
    /// than [`MAX_TLSA_DATA`].
    pub fn new(usage: u8, selector: u8, matching_type: u8, data: Vec<u8>) -> Result<Self, Error> {
        if data.is_empty() {
            return Err(Error::new(
                ErrorCode::InvalidTlsaRecord,
                "the TLSA record has no certificate association data",
            ));
        }
        if data.len() > MAX_TLSA_DATA {
            return Err(too_long(data.len()));
        }
        Ok(Self {
            usage,
            selector,
            matching_type,
            data,
        })
    }

    /// Parses the presentation form `usage selector matching-type hex` (RFC 6698 §2.2), e.g.
    /// `3 1 1 0b9fa5…`: three decimal numbers 0–255, then the data in hex, which may be split by
    /// whitespace. `Err(INVALID_TLSA_RECORD)` names the field at fault.
    pub fn parse(text: &str) -> Result<Self, Error> {
        let bad = |what: String| {
            Error::new(
                ErrorCode::InvalidTlsaRecord,
                format!("TLSA record: {what} (expected `usage selector matching-type hex`)"),
            )
        };
        let mut fields = text.split_ascii_whitespace();
        let mut number = |name: &str| -> Result<u8, Error> {
            let field = fields.next().ok_or_else(|| bad(format!("no {name}")))?;
            if field.is_empty() || field.len() > 3 || !field.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad(format!(
                    "the {name} `{}` is not a number from 0 to 255",
                    shown(field)
                )));
            }
            field.parse::<u8>().map_err(|_| {
                bad(format!(
                    "the {name} `{field}` is not a number from 0 to 255"
                ))
            })
        };
        let usage = number("certificate usage")?;
        let selector = number("selector")?;
        let matching_type = number("matching type")?;
        // The rest is hex; count the digits first so that an over-long record is refused
        // before anything is allocated for it.
        let mut digits = 0usize;
        for field in fields.clone() {
            if let Some(b) = field.bytes().find(|b| !b.is_ascii_hexdigit()) {
                return Err(bad(format!(
                    "the data has `{}`, which is not a hex digit",
                    char::from(b).escape_default()
                )));
            }
            digits += field.len();
        }
        if digits == 0 {
            return Err(bad("no certificate association data".into()));
        }
        if !digits.is_multiple_of(2) {
            return Err(bad(format!(
                "the data has an odd number ({digits}) of hex digits"
            )));
        }
        if digits / 2 > MAX_TLSA_DATA {
            return Err(too_long(digits / 2));
        }
        let mut data = Vec::with_capacity(digits / 2);
        let mut high = None;
        for b in fields.flat_map(str::bytes) {
            let nibble = hex_value(b);
            match high.take() {
                None => high = Some(nibble),
                Some(h) => data.push(h << 4 | nibble),
            }
        }
        Self::new(usage, selector, matching_type, data)
    }

    /// The certificate usage (0 PKIX-TA, 1 PKIX-EE, 2 DANE-TA, 3 DANE-EE).
    pub fn usage(&self) -> u8 {
        self.usage
    }

    /// The selector (0 the whole certificate, 1 its SubjectPublicKeyInfo).
    pub fn selector(&self) -> u8 {
        self.selector
    }

    /// The matching type (0 exact bytes, 1 SHA-256, 2 SHA-512).
    pub fn matching_type(&self) -> u8 {
        self.matching_type
    }

    /// The certificate association data.
    pub fn data(&self) -> &[u8] {
        &self.data
    }

    /// The presentation form with the data shortened to its first 64 hex digits, for messages.
    pub fn short(&self) -> String {
        let hex = hex(&self.data);
        if hex.len() > SHOWN_HEX {
            format!(
                "{} {} {} {}… ({} bytes)",
                self.usage,
                self.selector,
                self.matching_type,
                &hex[..SHOWN_HEX],
                self.data.len()
            )
        } else {
            format!(
                "{} {} {} {hex}",
                self.usage, self.selector, self.matching_type
            )
        }
    }

    /// The usage if the record is usable, or why it is not (RFC 7671 §4.1).
    fn usable(&self) -> Result<Usage, String> {
        let usage = match self.usage {
            0 => Usage::PkixTa,
            1 => Usage::PkixEe,
            2 => Usage::DaneTa,
            3 => Usage::DaneEe,
            n => {
                return Err(format!(
                    "unusable: certificate usage {n} is unknown (RFC 6698 §2.1.1 defines 0–3)"
                ));
            }
        };
        if self.selector > 1 {
            return Err(format!(
                "unusable: selector {} is unknown (0 certificate, 1 public key)",
                self.selector
            ));
        }
        let want = match self.matching_type {
            0 => None,
            1 => Some((32, "SHA-256")),
            2 => Some((64, "SHA-512")),
            n => {
                return Err(format!(
                    "unusable: matching type {n} is unknown (0 exact, 1 SHA-256, 2 SHA-512)"
                ));
            }
        };
        if let Some((len, name)) = want.filter(|(len, _)| *len != self.data.len()) {
            return Err(format!(
                "unusable: a {name} digest has {len} bytes, this record's data has {}",
                self.data.len()
            ));
        }
        Ok(usage)
    }

    /// Whether the record matches a certificate (`cert`, DER) or its public key (`spki`, the
    /// whole SubjectPublicKeyInfo DER, `None` when it could not be read).
    fn matches(&self, cert: &[u8], spki: Option<&[u8]>) -> bool {
        let selected = match self.selector {
            0 => cert,
            1 => match spki {
                Some(spki) => spki,
                None => return false,
            },
            _ => return false,
        };
        match self.matching_type {
            0 => selected == self.data.as_slice(),
            1 => ring::digest::digest(&ring::digest::SHA256, selected).as_ref() == self.data,
            2 => ring::digest::digest(&ring::digest::SHA512, selected).as_ref() == self.data,
            _ => false,
        }
    }

    /// What the record selects, for messages.
    fn selects(&self) -> &'static str {
        if self.selector == 0 {
            "certificate"
        } else {
            "public key"
        }
    }
}

impl fmt::Display for TlsaRecord {
    /// The presentation form, `usage selector matching-type hex` (lower-case hex).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} {} {}",
            self.usage,
            self.selector,
            self.matching_type,
            hex(&self.data)
        )
    }
}

impl fmt::Debug for TlsaRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TlsaRecord({})", self.short())
    }
}

fn too_long(len: usize) -> Error {
    Error::new(
        ErrorCode::InvalidTlsaRecord,
        format!("the TLSA record's data has {len} bytes; at most {MAX_TLSA_DATA} are accepted"),
    )
}

fn hex_value(b: u8) -> u8 {
    match b {
        b'0'..=b'9' => b - b'0',
        b'a'..=b'f' => b - b'a' + 10,
        b'A'..=b'F' => b - b'A' + 10,
        _ => 0,
    }
}

fn hex(data: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(data.len() * 2);
    for b in data {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 15)]));
    }
    out
}

/// A field of host input shown in an error: at most 16 characters, escaped.
fn shown(field: &str) -> String {
    field
        .chars()
        .take(16)
        .flat_map(char::escape_default)
        .collect()
}

/// The TLSA RRset of a subject: its port and records.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Tlsa {
    port: u16,
    records: Vec<TlsaRecord>,
}

impl Tlsa {
    pub(super) fn new(port: u16, records: Vec<TlsaRecord>) -> Result<Self, Error> {
        if records.len() > MAX_TLSA_RECORDS {
            return Err(Error::new(
                ErrorCode::TooManyTlsaRecords,
                format!(
                    "{} TLSA records were given; at most {MAX_TLSA_RECORDS} are accepted for one server",
                    records.len()
                ),
            ));
        }
        Ok(Self { port, records })
    }

    pub(super) fn records(&self) -> &[TlsaRecord] {
        &self.records
    }

    /// Whether any record is usable (else DANE does not apply, RFC 7671 §4.1).
    pub(super) fn has_usable(&self) -> bool {
        self.records.iter().any(|r| r.usable().is_ok())
    }
}

/// What became of the TLSA records in a verification.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DaneReport {
    /// The TLSA owner name, `_<port>._tcp.<host>` (RFC 7673 §3.3).
    pub name: String,
    /// Whether a record was usable. When none is, DANE did not apply and the chain was verified
    /// as without TLSA records (RFC 7671 §4.1).
    pub usable: bool,
    /// For a DANE-TA or PKIX match: the reference identity the server certificate presented.
    pub identity: Option<ReferenceIdentity>,
    /// Each record, in the order given, and what became of it.
    pub records: Vec<TlsaCheck>,
}

/// One TLSA record's part in a verification.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TlsaCheck {
    /// The record, `usage selector matching-type hex` (long data shortened).
    pub record: String,
    /// What became of it.
    pub outcome: TlsaOutcome,
    /// For a matched record: the depth of what it matched in the validated chain (0 the server
    /// certificate, n the certificate n above it; a DANE-TA certificate the server did not send
    /// is at the depth it would have had, a bare key at the depth of the certificate it signed).
    pub depth: Option<u32>,
    /// Why, in words.
    pub why: String,
}

/// What became of one TLSA record.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TlsaOutcome {
    /// The record matched (the verdict says whether the chain then verified).
    Matched,
    /// The record is usable and did not match.
    NoMatch,
    /// The record is unusable and was ignored (RFC 7671 §4.1).
    Unusable,
    /// Not tried: another record decided first.
    NotTried,
}

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
                value: host.to_owned(),
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
        value: r.short(),
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
