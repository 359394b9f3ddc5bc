//! TLSA records (RFC 6698 §2): the record type with its presentation form and caps, which
//! records are usable (RFC 7671 §4.1), how one matches a certificate or key (digests with
//! `ring`), and the report a verdict carries. The verification itself is in `dane.rs`.

use core::fmt;

use serde::Serialize;

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
    pub(super) usage: u8,
    pub(super) selector: u8,
    pub(super) matching_type: u8,
    pub(super) data: Vec<u8>,
}

/// The certificate usages this module knows (RFC 6698 §2.1.1, RFC 7218 names).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Usage {
    PkixTa,
    PkixEe,
    DaneTa,
    DaneEe,
}

impl Usage {
    pub(super) fn kind(self) -> IdentityKind {
        match self {
            Self::PkixTa => IdentityKind::PkixTa,
            Self::PkixEe => IdentityKind::PkixEe,
            Self::DaneTa => IdentityKind::DaneTa,
            Self::DaneEe => IdentityKind::DaneEe,
        }
    }

    pub(super) fn name(self) -> &'static str {
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
    pub(super) fn usable(&self) -> Result<Usage, String> {
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
    pub(super) fn matches(&self, cert: &[u8], spki: Option<&[u8]>) -> bool {
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
    pub(super) fn selects(&self) -> &'static str {
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
    pub(super) port: u16,
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
