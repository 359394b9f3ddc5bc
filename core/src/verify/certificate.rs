//! The few X.509 fields that the identity checks read — the subjectAltName entries, the subject's
//! common names, the dNSName bases of nameConstraints and which extensions are critical — walked
//! TLV by TLV with `der`'s reader.
//!
//! rustls-webpki validates the whole certificate; this module only finds these fields, so it
//! does not decode the rest (validity dates, keys, other extensions). That keeps the
//! WebAssembly module about 30 KB gzipped smaller than decoding every field with `x509-cert`.
//! Structure it does walk is checked strictly: a wrong tag, a bad length or trailing bytes is an
//! error, as is an extension that occurs twice.

use der::asn1::{AnyRef, Ia5StringRef, PrintableStringRef, Utf8StringRef};
use der::{Decode, Error, ErrorKind, Reader, SliceReader, Tag, TagNumber, Tagged};

/// 2.5.29.17, subjectAltName (RFC 5280 §4.2.1.6).
const OID_SUBJECT_ALT_NAME: &[u8] = &[0x55, 0x1d, 0x11];
/// 2.5.29.30, nameConstraints (RFC 5280 §4.2.1.10).
const OID_NAME_CONSTRAINTS: &[u8] = &[0x55, 0x1d, 0x1e];
/// 2.5.4.3, commonName.
const OID_COMMON_NAME: &[u8] = &[0x55, 0x04, 0x03];
/// 1.3.6.1.5.5.7.8.7, id-on-dnsSRV (RFC 4985 §2).
const OID_ON_DNS_SRV: &[u8] = &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x08, 0x07];

/// One subjectAltName entry.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum AltName<'a> {
    /// dNSName.
    Dns(&'a str),
    /// otherName SRVName; `None` when its value is not an IA5String.
    Srv(Option<&'a str>),
    /// uniformResourceIdentifier.
    Uri(&'a str),
    /// Any other form (not used for mail server identity).
    Other,
}

/// The dNSName bases of one nameConstraints extension (other name forms are only counted).
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct DnsConstraints {
    /// permittedSubtrees with a dNSName base.
    pub(crate) permitted: Vec<String>,
    /// excludedSubtrees with a dNSName base.
    pub(crate) excluded: Vec<String>,
    /// Subtrees of every name form, permitted and excluded; 0 for an empty NameConstraints.
    pub(crate) subtrees: usize,
}

/// One Extension (RFC 5280 §4.1): its OID, criticality and the contents of its OCTET STRING.
struct Extension<'a> {
    oid: &'a [u8],
    critical: bool,
    value: &'a [u8],
}

/// A certificate split into the parts read here.
pub(crate) struct Certificate<'a> {
    // The issuer and the key are read by DANE only (feature `dane`).
    #[cfg_attr(not(feature = "dane"), allow(dead_code))]
    issuer: AnyRef<'a>,
    subject: AnyRef<'a>,
    #[cfg_attr(not(feature = "dane"), allow(dead_code))]
    key_der: &'a [u8],
    extensions: Vec<Extension<'a>>,
}

#[cfg(test)]
impl<'a> Certificate<'a> {
    /// A certificate with an empty subject and the given subjectAltName extension value.
    pub(crate) fn for_tests(san: &'a [u8]) -> Self {
        Self {
            issuer: AnyRef::new(Tag::Sequence, &[]).expect("empty name"),
            subject: AnyRef::new(Tag::Sequence, &[]).expect("empty name"),
            key_der: &[],
            extensions: vec![Extension {
                oid: OID_SUBJECT_ALT_NAME,
                critical: false,
                value: san,
            }],
        }
    }
}

fn context(number: u32, constructed: bool) -> Tag {
    Tag::ContextSpecific {
        constructed,
        number: TagNumber(number),
    }
}

fn expect(any: AnyRef<'_>, tag: Tag) -> Result<AnyRef<'_>, Error> {
    if any.tag() == tag {
        Ok(any)
    } else {
        Err(any.tag().unexpected_error(Some(tag)).into())
    }
}

/// The TLVs that make up `contents`, in order.
fn children(contents: &[u8]) -> Result<Vec<AnyRef<'_>>, Error> {
    let mut reader = SliceReader::new(contents)?;
    let mut out = Vec::new();
    while !reader.is_finished() {
        out.push(AnyRef::decode(&mut reader)?);
    }
    Ok(out)
}

/// The TLVs that make up `contents`, each with its whole encoding.
fn children_raw(contents: &[u8]) -> Result<Vec<(AnyRef<'_>, &[u8])>, Error> {
    let mut reader = SliceReader::new(contents)?;
    let mut out = Vec::new();
    while !reader.is_finished() {
        let tlv = reader.tlv_bytes()?;
        out.push((AnyRef::from_der(tlv)?, tlv));
    }
    Ok(out)
}

/// The contents of the SEQUENCE that `der` holds entirely.
fn sequence(der: &[u8]) -> Result<&[u8], Error> {
    Ok(expect(AnyRef::from_der(der)?, Tag::Sequence)?.value())
}

impl<'a> Certificate<'a> {
    /// Splits a DER certificate (RFC 5280 §4.1) into its subject and extensions.
    pub(crate) fn parse(der: &'a [u8]) -> Result<Self, Error> {
        let parts = children(sequence(der)?)?;
        let [tbs, algorithm, signature] = parts.as_slice() else {
            return Err(ErrorKind::Length { tag: Tag::Sequence }.into());
        };
        expect(*algorithm, Tag::Sequence)?;
        expect(*signature, Tag::BitString)?;
        let raw = children_raw(expect(*tbs, Tag::Sequence)?.value())?;
        let fields: Vec<AnyRef<'a>> = raw.iter().map(|(any, _)| *any).collect();
        let mut fields = fields.as_slice();
        if let [version, rest @ ..] = fields
            && version.tag() == context(0, true)
        {
            fields = rest;
        }
        let [serial, sig, issuer, validity, subject, key, rest @ ..] = fields else {
            return Err(ErrorKind::Length { tag: Tag::Sequence }.into());
        };
        // The whole TLV of the key: the field's position among the raw fields.
        let key_der = raw[raw.len() - rest.len() - 1].1;
        expect(*serial, Tag::Integer)?;
        for any in [sig, issuer, validity, subject, key] {
            expect(*any, Tag::Sequence)?;
        }
        let mut extensions = Vec::new();
        for any in rest {
            match any.tag() {
                t if t == context(1, false) || t == context(2, false) => {}
                t if t == context(3, true) => {
                    let [list] = children(any.value())?[..] else {
                        return Err(ErrorKind::Length { tag: t }.into());
                    };
                    for ext in children(expect(list, Tag::Sequence)?.value())? {
                        extensions.push(extension(ext)?);
                    }
                }
                t => return Err(t.unexpected_error(None).into()),
            }
        }
        Ok(Self {
            issuer: *issuer,
            subject: *subject,
            key_der,
            extensions,
        })
    }

    /// The extension `oid`, if present once.
    fn extension(&self, oid: &[u8]) -> Result<Option<&Extension<'a>>, Error> {
        let mut found = self.extensions.iter().filter(|e| e.oid == oid);
        match (found.next(), found.next()) {
            (None, _) => Ok(None),
            (Some(ext), None) => Ok(Some(ext)),
            (Some(_), Some(_)) => Err(ErrorKind::Failed.into()),
        }
    }

    /// The contents of the issuer Name (without its SEQUENCE header), as rustls-webpki compares
    /// it with a trust anchor's subject.
    #[cfg(feature = "dane")]
    pub(crate) fn issuer_contents(&self) -> &'a [u8] {
        self.issuer.value()
    }

    /// The whole DER encoding of the SubjectPublicKeyInfo (what a TLSA selector 1 names,
    /// RFC 6698 §2.1.2).
    #[cfg(feature = "dane")]
    pub(crate) fn spki_der(&self) -> &'a [u8] {
        self.key_der
    }

    /// Whether the subject is an empty name (an empty RDNSequence).
    pub(crate) fn subject_is_empty(&self) -> bool {
        self.subject.value().is_empty()
    }

    /// Whether the subjectAltName extension is critical, or `None` without it.
    pub(crate) fn alt_names_critical(&self) -> Result<Option<bool>, Error> {
        Ok(self.extension(OID_SUBJECT_ALT_NAME)?.map(|e| e.critical))
    }

    /// Whether the certificate carries a nameConstraints extension (parsable or not).
    pub(crate) fn has_name_constraints(&self) -> bool {
        self.extensions
            .iter()
            .any(|e| e.oid == OID_NAME_CONSTRAINTS)
    }

    /// The subjectAltName entries, or `None` without the extension.
    pub(crate) fn alt_names(&self) -> Result<Option<Vec<AltName<'a>>>, Error> {
        let Some(Extension { value, .. }) = self.extension(OID_SUBJECT_ALT_NAME)? else {
            return Ok(None);
        };
        let mut out = Vec::new();
        for name in children(sequence(value)?)? {
            out.push(match name.tag() {
                t if t == context(2, false) => {
                    AltName::Dns(Ia5StringRef::new(name.value())?.as_str())
                }
                t if t == context(6, false) => {
                    AltName::Uri(Ia5StringRef::new(name.value())?.as_str())
                }
                t if t == context(0, true) => other_name(name.value())?,
                _ => AltName::Other,
            });
        }
        Ok(Some(out))
    }

    /// The dNSName bases of the nameConstraints extension, or `None` without it.
    pub(crate) fn name_constraints(&self) -> Result<Option<DnsConstraints>, Error> {
        match self.extension(OID_NAME_CONSTRAINTS)? {
            Some(ext) => dns_constraints(sequence(ext.value)?).map(Some),
            None => Ok(None),
        }
    }

    /// The subject's commonName values that are UTF8String, PrintableString or IA5String.
    pub(crate) fn common_names(&self) -> Result<Vec<&'a str>, Error> {
        let mut out = Vec::new();
        for rdn in children(self.subject.value())? {
            for atv in children(expect(rdn, Tag::Set)?.value())? {
                let [oid, value] = children(expect(atv, Tag::Sequence)?.value())?[..] else {
                    return Err(ErrorKind::Length { tag: Tag::Sequence }.into());
                };
                if expect(oid, Tag::ObjectIdentifier)?.value() != OID_COMMON_NAME {
                    continue;
                }
                let text = match value.tag() {
                    Tag::Utf8String => value.decode_as::<Utf8StringRef<'a>>()?.as_str(),
                    Tag::PrintableString => value.decode_as::<PrintableStringRef<'a>>()?.as_str(),
                    Tag::Ia5String => value.decode_as::<Ia5StringRef<'a>>()?.as_str(),
                    _ => continue,
                };
                out.push(text);
            }
        }
        Ok(out)
    }
}

/// One Extension (RFC 5280 §4.1); `critical` is a DER BOOLEAN (FF or 00).
fn extension(ext: AnyRef<'_>) -> Result<Extension<'_>, Error> {
    let parts = children(expect(ext, Tag::Sequence)?.value())?;
    let (oid, critical, value) = match parts.as_slice() {
        [oid, value] => (oid, false, value),
        [oid, critical, value] => (oid, critical.decode_as::<bool>()?, value),
        _ => return Err(ErrorKind::Length { tag: Tag::Sequence }.into()),
    };
    Ok(Extension {
        oid: expect(*oid, Tag::ObjectIdentifier)?.value(),
        critical,
        value: expect(*value, Tag::OctetString)?.value(),
    })
}

/// An otherName (`type-id`, `[0] EXPLICIT value`); only SRVName is read.
fn other_name(contents: &[u8]) -> Result<AltName<'_>, Error> {
    let [type_id, value] = children(contents)?[..] else {
        return Err(ErrorKind::Length {
            tag: context(0, true),
        }
        .into());
    };
    if expect(type_id, Tag::ObjectIdentifier)?.value() != OID_ON_DNS_SRV {
        return Ok(AltName::Other);
    }
    let [inner] = children(expect(value, context(0, true))?.value())?[..] else {
        return Err(ErrorKind::Length {
            tag: context(0, true),
        }
        .into());
    };
    Ok(AltName::Srv(
        inner
            .decode_as::<Ia5StringRef<'_>>()
            .ok()
            .map(|s| s.as_str()),
    ))
}

/// The dNSName bases in the contents of a NameConstraints SEQUENCE (webpki hands trust anchor
/// constraints over in this form). A present but empty subtree list breaks `SIZE (1..MAX)` and is
/// an error; both lists absent is not (the caller decides, see `DnsConstraints::subtrees`).
pub(crate) fn dns_constraints(contents: &[u8]) -> Result<DnsConstraints, Error> {
    let mut out = DnsConstraints::default();
    for subtrees in children(contents)? {
        let list = match subtrees.tag() {
            t if t == context(0, true) => &mut out.permitted,
            t if t == context(1, true) => &mut out.excluded,
            t => return Err(t.unexpected_error(None).into()),
        };
        let entries = children(subtrees.value())?;
        if entries.is_empty() {
            return Err(ErrorKind::Length {
                tag: subtrees.tag(),
            }
            .into());
        }
        out.subtrees += entries.len();
        for subtree in entries {
            let parts = children(expect(subtree, Tag::Sequence)?.value())?;
            let Some(base) = parts.first() else {
                return Err(ErrorKind::Length { tag: Tag::Sequence }.into());
            };
            if base.tag() == context(2, false) {
                list.push(Ia5StringRef::new(base.value())?.as_str().to_owned());
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn s4985_2a_s4985_enc_srvname_and_dnsname_are_read_and_others_skipped() {
        // GeneralNames: dNSName "a.example", otherName SRVName "_imaps.example.net",
        // otherName of another type, URI "imap://x".
        let mut names = vec![0x82, 9];
        names.extend_from_slice(b"a.example");
        let srv = b"_imaps.example.net";
        let mut other = vec![0x06, 8];
        other.extend_from_slice(OID_ON_DNS_SRV);
        other.extend_from_slice(&[0xa0, srv.len() as u8 + 2, 0x16, srv.len() as u8]);
        other.extend_from_slice(srv);
        names.extend_from_slice(&[0xa0, other.len() as u8]);
        names.extend_from_slice(&other);
        names.extend_from_slice(&[0xa0, 0x07, 0x06, 0x01, 0x2a, 0xa0, 0x02, 0x05, 0x00]);
        names.extend_from_slice(&[0x86, 8]);
        names.extend_from_slice(b"imap://x");
        let mut san = vec![0x30, names.len() as u8];
        san.extend_from_slice(&names);
        let san_ext = || Extension {
            oid: OID_SUBJECT_ALT_NAME,
            critical: false,
            value: &san,
        };
        let cert = Certificate {
            issuer: AnyRef::new(Tag::Sequence, &[]).expect("empty name"),
            subject: AnyRef::new(Tag::Sequence, &[]).expect("empty name"),
            key_der: &[],
            extensions: vec![san_ext()],
        };
        assert_eq!(
            cert.alt_names().expect("parses"),
            Some(vec![
                AltName::Dns("a.example"),
                AltName::Srv(Some("_imaps.example.net")),
                AltName::Other,
                AltName::Uri("imap://x"),
            ])
        );
        let twice = Certificate {
            issuer: cert.issuer,
            subject: cert.subject,
            key_der: cert.key_der,
            extensions: vec![san_ext(), san_ext()],
        };
        assert!(twice.alt_names().is_err());
        assert!(twice.alt_names_critical().is_err());
    }

    #[test]
    fn rfc5280_name_constraints_keep_dns_bases_only() {
        // permitted: dNSName "example.net", iPAddress; excluded: dNSName "bad.example.net".
        let permitted = [
            0xa0, 0x1b, 0x30, 0x0d, 0x82, 0x0b, b'e', b'x', b'a', b'm', b'p', b'l', b'e', b'.',
            b'n', b'e', b't', 0x30, 0x0a, 0x87, 0x08, 192, 0, 2, 0, 255, 255, 255, 0,
        ];
        let mut contents = permitted.to_vec();
        contents.extend_from_slice(&[0xa1, 0x13, 0x30, 0x11, 0x82, 0x0f]);
        contents.extend_from_slice(b"bad.example.net");
        let nc = dns_constraints(&contents).expect("parses");
        assert_eq!(nc.permitted, ["example.net"]);
        assert_eq!(nc.excluded, ["bad.example.net"]);
        assert_eq!(nc.subtrees, 3);
        assert_eq!(dns_constraints(&[]).expect("parses").subtrees, 0);
        assert!(
            dns_constraints(&[0xa0, 0x00]).is_err(),
            "GeneralSubtrees SIZE (1..MAX)"
        );
        assert!(dns_constraints(&[0xa2, 0x00]).is_err());
        assert!(dns_constraints(&[0xa0, 0x03, 0x30]).is_err());
    }

    #[test]
    fn rfc5280_4_1_extension_criticality_is_read() {
        // Extension { subjectAltName, critical TRUE, OCTET STRING { SEQUENCE {} } }
        let critical = [
            0x30, 0x0c, 0x06, 0x03, 0x55, 0x1d, 0x11, 0x01, 0x01, 0xff, 0x04, 0x02, 0x30, 0x00,
        ];
        let ext = extension(AnyRef::from_der(&critical).expect("tlv")).expect("parses");
        assert!(ext.critical && ext.oid == OID_SUBJECT_ALT_NAME && ext.value == [0x30, 0x00]);
        let plain = [0x30, 0x08, 0x06, 0x03, 0x55, 0x1d, 0x11, 0x04, 0x01, 0x00];
        assert!(
            !extension(AnyRef::from_der(&plain).expect("tlv"))
                .expect("parses")
                .critical
        );
        // BOOLEAN 0x01 is BER, not DER.
        let ber = [
            0x30, 0x0c, 0x06, 0x03, 0x55, 0x1d, 0x11, 0x01, 0x01, 0x01, 0x04, 0x02, 0x30, 0x00,
        ];
        assert!(extension(AnyRef::from_der(&ber).expect("tlv")).is_err());
    }

    #[test]
    fn garbage_and_trailing_bytes_are_errors() {
        assert!(Certificate::parse(b"").is_err());
        assert!(Certificate::parse(&[0x30, 0x00]).is_err());
        assert!(Certificate::parse(&[0x30, 0x00, 0x00]).is_err());
        assert!(Certificate::parse(&[0x04, 0x00]).is_err());
    }
}
