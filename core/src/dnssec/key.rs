//! DNSKEY and DS records (RFC 4034 §2, §5): key tags (Appendix B) and DS digests.

use ring::digest;

use super::name::Name;

/// DNSKEY flag: zone key (RFC 4034 §2.1.1).
pub const FLAG_ZONE: u16 = 0x0100;
/// DNSKEY flag: revoked (RFC 5011 §3).
pub const FLAG_REVOKE: u16 = 0x0080;
/// DNSKEY flag: secure entry point (RFC 4034 §2.1.1).
pub const FLAG_SEP: u16 = 0x0001;

/// A DNSKEY record's data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dnskey {
    /// Flags.
    pub flags: u16,
    /// Protocol (must be 3).
    pub protocol: u8,
    /// Algorithm number.
    pub algorithm: u8,
    /// Public key, in the algorithm's format.
    pub public_key: Vec<u8>,
    /// The whole record data, as hashed for DS and the key tag.
    pub rdata: Vec<u8>,
}

impl Dnskey {
    /// Reads DNSKEY data.
    pub fn from_rdata(rdata: &[u8]) -> Result<Self, String> {
        if rdata.len() < 4 {
            return Err("DNSKEY data shorter than 4 bytes".into());
        }
        Ok(Self {
            flags: u16::from_be_bytes([rdata[0], rdata[1]]),
            protocol: rdata[2],
            algorithm: rdata[3],
            public_key: rdata[4..].to_vec(),
            rdata: rdata.to_vec(),
        })
    }

    /// The key tag (RFC 4034 Appendix B).
    pub fn key_tag(&self) -> u16 {
        key_tag(&self.rdata)
    }

    /// Whether the key may sign zone data: zone bit set, REVOKE clear, protocol 3
    /// (RFC 4034 §2.1.1, §2.1.2, RFC 5011 §3).
    pub fn usable_for_zone(&self) -> bool {
        self.flags & FLAG_ZONE != 0 && self.flags & FLAG_REVOKE == 0 && self.protocol == 3
    }
}

/// The key tag of DNSKEY data (RFC 4034 Appendix B; algorithm 1's special case is not used,
/// RSA/MD5 being unsupported).
pub fn key_tag(rdata: &[u8]) -> u16 {
    let mut acc: u32 = 0;
    for (i, &b) in rdata.iter().enumerate() {
        acc += if i & 1 == 0 {
            u32::from(b) << 8
        } else {
            u32::from(b)
        };
    }
    acc += (acc >> 16) & 0xffff;
    (acc & 0xffff) as u16
}

/// A DS record's data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ds {
    /// Key tag of the key it refers to.
    pub key_tag: u16,
    /// That key's algorithm.
    pub algorithm: u8,
    /// Digest type (1 SHA-1, 2 SHA-256, 4 SHA-384).
    pub digest_type: u8,
    /// Digest.
    pub digest: Vec<u8>,
}

impl Ds {
    /// Reads DS data.
    pub fn from_rdata(rdata: &[u8]) -> Result<Self, String> {
        if rdata.len() < 5 {
            return Err("DS data shorter than 5 bytes".into());
        }
        Ok(Self {
            key_tag: u16::from_be_bytes([rdata[0], rdata[1]]),
            algorithm: rdata[2],
            digest_type: rdata[3],
            digest: rdata[4..].to_vec(),
        })
    }

    /// Whether this DS's digest type is one the validator computes.
    pub fn digest_supported(&self) -> bool {
        digest_algorithm(self.digest_type).is_some()
    }

    /// Whether this DS refers to `key` at `owner`: tag, algorithm and digest
    /// (RFC 4034 §5.1.4). `None` when the digest type is unsupported.
    pub fn matches(&self, owner: &Name, key: &Dnskey) -> Option<bool> {
        let alg = digest_algorithm(self.digest_type)?;
        if self.key_tag != key.key_tag() || self.algorithm != key.algorithm {
            return Some(false);
        }
        let mut ctx = digest::Context::new(alg);
        ctx.update(owner.wire());
        ctx.update(&key.rdata);
        Some(ctx.finish().as_ref() == self.digest.as_slice())
    }
}

fn digest_algorithm(digest_type: u8) -> Option<&'static digest::Algorithm> {
    match digest_type {
        1 => Some(&digest::SHA1_FOR_LEGACY_USE_ONLY),
        2 => Some(&digest::SHA256),
        4 => Some(&digest::SHA384),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dnssec::text;

    fn key(line: &str) -> (Name, Dnskey) {
        let rr = text::parse_rr(line, None).unwrap();
        (rr.owner, Dnskey::from_rdata(&rr.rdata).unwrap())
    }

    // RFC 4034 §5.4: the DS example for the dskey.example.com. key, tag 60485.
    const RFC4034_KEY: &str = "dskey.example.com. 86400 IN DNSKEY 256 3 5 ( AQOeiiR0GOMYkDshWoSKz9Xz\
        fwJr1AYtsmx3TGkJaNXVbfi/ 2pHm822aJ5iI9BMzNXxeYCmZDRD99WYwYqUSdjMmmAphXdvxegXd/ M5+X7OrzKBaMbCVdFLU\
        Uh6DhweJBjEVv5f2wwjM9Xzc nOf+EPbtG9DMBmADjFDc2w/rljwvFw== )";

    #[test]
    fn rfc4034_appendix_b_key_tag_of_the_section_5_4_example() {
        let (_, k) = key(RFC4034_KEY);
        assert_eq!(k.key_tag(), 60485);
    }

    #[test]
    fn rfc4034_5_4_ds_sha1_digest_of_the_example_key() {
        let (owner, k) = key(RFC4034_KEY);
        let ds = text::parse_rr(
            "dskey.example.com. 86400 IN DS 60485 5 1 2BB183AF5F22588179A53B0A98631FAD1A292118",
            None,
        )
        .unwrap();
        let ds = Ds::from_rdata(&ds.rdata).unwrap();
        assert_eq!(ds.matches(&owner, &k), Some(true));
        let mut wrong = ds.clone();
        wrong.digest[0] ^= 1;
        assert_eq!(wrong.matches(&owner, &k), Some(false));
        wrong.digest_type = 3; // GOST: not computed
        assert_eq!(wrong.matches(&owner, &k), None);
    }

    #[test]
    fn rfc4034_2_1_zone_bit_revoke_and_protocol() {
        let (_, mut k) = key(RFC4034_KEY);
        assert!(k.usable_for_zone());
        k.flags |= FLAG_REVOKE;
        assert!(!k.usable_for_zone());
        k.flags = 0;
        assert!(!k.usable_for_zone());
        k.flags = FLAG_ZONE;
        k.protocol = 2;
        assert!(!k.usable_for_zone());
    }
}
