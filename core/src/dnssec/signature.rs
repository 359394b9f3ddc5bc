//! RRSIG records (RFC 4034 §3) and their verification with `ring` (RFC 4035 §5.3): the checks
//! on the signature's fields, the signed data over the canonical RRset (RFC 4034 §3.1.8.1,
//! §6), and the algorithms 8 and 10 (RSA, RFC 5702), 13 and 14 (ECDSA, RFC 6605) and 15
//! (Ed25519, RFC 8080).

use ring::signature::{self, UnparsedPublicKey};

use super::key::Dnskey;
use super::name::Name;
use super::rr::RrSet;

/// Smallest RSA modulus accepted, in bits.
pub const MIN_RSA_BITS: usize = 1024;
/// Largest RSA modulus accepted, in bits (larger keys cost verification time for no gain;
/// KeyTrap-style floods use big keys).
pub const MAX_RSA_BITS: usize = 4096;

/// Whether the validator verifies signatures of this algorithm (RFC 8624 / RFC 9904 "MUST"
/// and "RECOMMENDED" validation algorithms that `ring` provides).
pub fn algorithm_supported(algorithm: u8) -> bool {
    matches!(algorithm, 8 | 10 | 13 | 14 | 15)
}

/// An RRSIG record's data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rrsig {
    /// Type covered.
    pub type_covered: u16,
    /// Algorithm.
    pub algorithm: u8,
    /// Labels of the owner name, without a leading wildcard.
    pub labels: u8,
    /// Original TTL.
    pub original_ttl: u32,
    /// Expiration (seconds, modulo 2³²).
    pub expiration: u32,
    /// Inception (seconds, modulo 2³²).
    pub inception: u32,
    /// Key tag of the signing key.
    pub key_tag: u16,
    /// Signer's name (the zone).
    pub signer: Name,
    /// Signature.
    pub signature: Vec<u8>,
    /// The data without the signature, canonical, as it starts the signed data.
    pub prefix: Vec<u8>,
}

impl Rrsig {
    /// Reads RRSIG data (canonical: the signer name uncompressed).
    pub fn from_rdata(rdata: &[u8]) -> Result<Self, String> {
        if rdata.len() < 19 {
            return Err("RRSIG data shorter than 19 bytes".into());
        }
        let u32at =
            |i: usize| u32::from_be_bytes([rdata[i], rdata[i + 1], rdata[i + 2], rdata[i + 3]]);
        let (signer, used) = Name::read_wire(&rdata[18..])?;
        Ok(Self {
            type_covered: u16::from_be_bytes([rdata[0], rdata[1]]),
            algorithm: rdata[2],
            labels: rdata[3],
            original_ttl: u32at(4),
            expiration: u32at(8),
            inception: u32at(12),
            key_tag: u16::from_be_bytes([rdata[16], rdata[17]]),
            signer,
            signature: rdata[18 + used..].to_vec(),
            prefix: rdata[..18 + used].to_vec(),
        })
    }
}

/// `a` < `b` in serial-number arithmetic on 32 bits (RFC 1982, RFC 4034 §3.1.5).
pub fn serial_lt(a: u32, b: u32) -> bool {
    a != b && (b.wrapping_sub(a) as i32) > 0
}

/// Why a signature does not verify.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SigError {
    /// `now` is after the expiration.
    Expired,
    /// `now` is before the inception.
    NotYetValid,
    /// The algorithm is not one the validator verifies.
    UnsupportedAlgorithm(u8),
    /// A field of the RRSIG does not fit the RRset (type, labels, signer) or the key
    /// (tag, algorithm, owner, flags).
    Mismatch(&'static str),
    /// The public key is unusable (format, RSA size).
    BadKey(String),
    /// The cryptographic check failed.
    BadSignature,
}

impl SigError {
    /// RFC 8914 extended DNS error code for this failure.
    pub fn ede(&self) -> u16 {
        match self {
            Self::Expired => 7,
            Self::NotYetValid => 8,
            Self::UnsupportedAlgorithm(_) => 1,
            _ => 6,
        }
    }
}

impl core::fmt::Display for SigError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Expired => f.write_str("signature expired"),
            Self::NotYetValid => f.write_str("signature not yet valid"),
            Self::UnsupportedAlgorithm(a) => write!(f, "unsupported algorithm {a}"),
            Self::Mismatch(what) => write!(f, "RRSIG does not match: {what}"),
            Self::BadKey(why) => write!(f, "unusable key: {why}"),
            Self::BadSignature => f.write_str("signature does not verify"),
        }
    }
}

/// Checks the RRSIG's fields against the RRset and `now` (RFC 4035 §5.3.1), without the key.
pub fn check_fields(set: &RrSet, sig: &Rrsig, now: u64) -> Result<(), SigError> {
    if sig.type_covered != set.rtype {
        return Err(SigError::Mismatch("type covered"));
    }
    if !set.owner.is_at_or_below(&sig.signer) {
        return Err(SigError::Mismatch("owner not below the signer"));
    }
    if usize::from(sig.labels) > set.owner.rrsig_labels() {
        return Err(SigError::Mismatch("labels above the owner's"));
    }
    let now = (now & 0xffff_ffff) as u32;
    if serial_lt(sig.expiration, now) {
        return Err(SigError::Expired);
    }
    if serial_lt(now, sig.inception) {
        return Err(SigError::NotYetValid);
    }
    if !algorithm_supported(sig.algorithm) {
        return Err(SigError::UnsupportedAlgorithm(sig.algorithm));
    }
    Ok(())
}

/// Whether `key` is the one the RRSIG names: signer's key, tag, algorithm, zone bit, not
/// revoked, protocol 3.
pub fn key_fits(sig: &Rrsig, key_owner: &Name, key: &Dnskey) -> bool {
    *key_owner == sig.signer
        && key.key_tag() == sig.key_tag
        && key.algorithm == sig.algorithm
        && key.usable_for_zone()
}

/// The signed data: RRSIG data without signature, then each record in canonical order
/// (RFC 4034 §3.1.8.1), the owner rebuilt as `*.` + the rightmost `labels` labels when the
/// RRSIG's label count is smaller than the owner's (wildcard expansion, RFC 4035 §5.3.2).
pub fn signed_data(set: &RrSet, sig: &Rrsig) -> Vec<u8> {
    let labels = usize::from(sig.labels);
    let owner = if labels < set.owner.label_count() {
        let base = set.owner.suffix(labels);
        base.prepend(b"*").unwrap_or(base)
    } else {
        set.owner.clone()
    };
    let mut out = sig.prefix.clone();
    for rdata in &set.rdatas {
        out.extend_from_slice(owner.wire());
        out.extend_from_slice(&set.rtype.to_be_bytes());
        out.extend_from_slice(&set.class.to_be_bytes());
        out.extend_from_slice(&sig.original_ttl.to_be_bytes());
        out.extend_from_slice(&(rdata.len() as u16).to_be_bytes());
        out.extend_from_slice(rdata);
    }
    out
}

fn strip_zeros(b: &[u8]) -> &[u8] {
    let n = b.iter().take_while(|&&x| x == 0).count();
    &b[n..]
}

/// Verifies the signature bytes over `data` with `key` (no field checks).
pub fn verify_raw(key: &Dnskey, data: &[u8], sig: &[u8]) -> Result<(), SigError> {
    let pk = &key.public_key;
    let ok = match key.algorithm {
        8 | 10 => {
            // RFC 3110 §2: exponent length (1 byte, or 0 then 2 bytes), exponent, modulus.
            let (elen, rest) = match pk.split_first() {
                Some((0, rest)) if rest.len() >= 2 => (
                    usize::from(u16::from_be_bytes([rest[0], rest[1]])),
                    &rest[2..],
                ),
                Some((&n, rest)) => (usize::from(n), rest),
                None => return Err(SigError::BadKey("empty RSA key".into())),
            };
            if elen == 0 || elen >= rest.len() {
                return Err(SigError::BadKey("RSA exponent length".into()));
            }
            let (e, n) = rest.split_at(elen);
            let n = strip_zeros(n);
            let bits = n.len() * 8 - n.first().map_or(8, |b| b.leading_zeros() as usize);
            if !(MIN_RSA_BITS..=MAX_RSA_BITS).contains(&bits) {
                return Err(SigError::BadKey(format!("RSA modulus of {bits} bits")));
            }
            let alg = if key.algorithm == 8 {
                &signature::RSA_PKCS1_1024_8192_SHA256_FOR_LEGACY_USE_ONLY
            } else {
                &signature::RSA_PKCS1_1024_8192_SHA512_FOR_LEGACY_USE_ONLY
            };
            let comps = signature::RsaPublicKeyComponents {
                n,
                e: strip_zeros(e),
            };
            comps.verify(alg, data, sig).is_ok()
        }
        13 | 14 => {
            let (alg, len): (&signature::EcdsaVerificationAlgorithm, usize) = if key.algorithm == 13
            {
                (&signature::ECDSA_P256_SHA256_FIXED, 64)
            } else {
                (&signature::ECDSA_P384_SHA384_FIXED, 96)
            };
            if pk.len() != len {
                return Err(SigError::BadKey(format!("ECDSA key of {} bytes", pk.len())));
            }
            let mut point = Vec::with_capacity(len + 1);
            point.push(4);
            point.extend_from_slice(pk);
            UnparsedPublicKey::new(alg, point).verify(data, sig).is_ok()
        }
        15 => {
            if pk.len() != 32 {
                return Err(SigError::BadKey(format!(
                    "Ed25519 key of {} bytes",
                    pk.len()
                )));
            }
            UnparsedPublicKey::new(&signature::ED25519, pk)
                .verify(data, sig)
                .is_ok()
        }
        a => return Err(SigError::UnsupportedAlgorithm(a)),
    };
    if ok {
        Ok(())
    } else {
        Err(SigError::BadSignature)
    }
}

/// Verifies one RRSIG over `set` with the key `key` owned by `key_owner`, at `now`: the field
/// checks, then the signature. The caller counts the call against its budget.
pub fn verify(
    set: &RrSet,
    sig: &Rrsig,
    key_owner: &Name,
    key: &Dnskey,
    now: u64,
) -> Result<(), SigError> {
    check_fields(set, sig, now)?;
    if !key_fits(sig, key_owner, key) {
        return Err(SigError::Mismatch("key tag, algorithm, owner or flags"));
    }
    verify_raw(key, &signed_data(set, sig), &sig.signature)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dnssec::rr::rrsets;
    use crate::dnssec::text::{parse_rr, parse_time};

    /// Parses `records` (the RRset then its RRSIG) and `key`, verifies at `now`.
    fn check(key: &str, records: &[&str], now: &str) -> Result<(), SigError> {
        let key = parse_rr(key, None).unwrap();
        let dnskey = Dnskey::from_rdata(&key.rdata).unwrap();
        let recs: Vec<_> = records.iter().map(|r| parse_rr(r, None).unwrap()).collect();
        let set = &rrsets(&recs)[0];
        let sig = Rrsig::from_rdata(&set.sigs[0]).unwrap();
        verify(set, &sig, &key.owner, &dnskey, parse_time(now).unwrap())
    }

    #[test]
    fn rfc4034_3_1_5_serial_arithmetic_wraps() {
        assert!(serial_lt(1, 2));
        assert!(!serial_lt(2, 1));
        assert!(serial_lt(u32::MAX - 5, 10));
        assert!(!serial_lt(10, u32::MAX - 5));
        assert!(!serial_lt(7, 7));
    }

    include!("signature_vectors.rs");
}
