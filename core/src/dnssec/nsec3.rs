//! The NSEC3 record (RFC 5155 §3): hashed owner names in hash order, the hash of RFC 5155 §5
//! (iterated SHA-1 with ring) and base32hex (RFC 4648 §7) for hashed owner labels.

use super::Name;
use super::bitmap::TypeBitmap;
use super::denial_error::{DenialError, ede};
use core::cmp::Ordering;

/// NSEC3 hash algorithm 1, SHA-1 (RFC 5155 §11), the only one defined.
pub const NSEC3_SHA1: u8 = 1;

/// The Opt-Out flag (RFC 5155 §3.1.2.1).
pub const NSEC3_FLAG_OPT_OUT: u8 = 0x01;

/// The length of a SHA-1 hash, and of a hashed owner name under algorithm 1.
pub const SHA1_LEN: usize = 20;

/// An NSEC3 record (RFC 5155 §3.2).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Nsec3Record {
    /// The owner name: the base32hex hash as its first label, then the zone.
    pub owner: Name,
    /// The owner's first label decoded from base32hex: the hashed owner name.
    pub owner_hash: Vec<u8>,
    /// The Hash Algorithm field (1 = SHA-1).
    pub hash_algorithm: u8,
    /// The Flags field (bit 0x01 = Opt-Out).
    pub flags: u8,
    /// The Iterations field: extra hash rounds.
    pub iterations: u16,
    /// The Salt field.
    pub salt: Vec<u8>,
    /// The Next Hashed Owner Name field (raw hash, not base32).
    pub next_hashed: Vec<u8>,
    /// The types that exist at the original owner name.
    pub types: TypeBitmap,
}

impl Nsec3Record {
    /// Reads the RDATA of an NSEC3 record owned by `owner` (RFC 5155 §3.2): algorithm, flags,
    /// iterations, salt, next hashed owner and type bit map, nothing after. The owner's first
    /// label must be base32hex of a hash as long as the next hashed owner name (20 bytes for
    /// SHA-1). Errors carry EDE 6 (DNSSEC Bogus).
    pub fn from_rdata(owner: Name, rdata: &[u8]) -> Result<Self, DenialError> {
        let bad =
            |what: String| DenialError::new(ede::DNSSEC_BOGUS, format!("NSEC3 at {owner}: {what}"));
        let [hash_algorithm, flags, i0, i1, salt_len, rest @ ..] = rdata else {
            return Err(bad("RDATA shorter than its fixed fields".into()));
        };
        let salt_len = usize::from(*salt_len);
        let salt = rest
            .get(..salt_len)
            .ok_or_else(|| bad("salt runs past the end".into()))?;
        let rest = &rest[salt_len..];
        let (&hash_len, rest) = rest
            .split_first()
            .ok_or_else(|| bad("no hash length".into()))?;
        let hash_len = usize::from(hash_len);
        if hash_len == 0 {
            return Err(bad("hash length 0".into()));
        }
        if *hash_algorithm == NSEC3_SHA1 && hash_len != SHA1_LEN {
            return Err(bad(format!("SHA-1 next hashed owner of {hash_len} bytes")));
        }
        let next_hashed = rest
            .get(..hash_len)
            .ok_or_else(|| bad("next hashed owner runs past the end".into()))?;
        let types = TypeBitmap::from_wire(&rest[hash_len..]).map_err(bad)?;
        let label = owner
            .label(0)
            .ok_or_else(|| bad("owner is the root".into()))?;
        let owner_hash = base32hex_decode(label)
            .ok_or_else(|| bad("owner's first label is not base32hex".into()))?;
        if owner_hash.len() != hash_len {
            return Err(bad(format!(
                "owner hash of {} bytes, next hashed owner of {hash_len}",
                owner_hash.len()
            )));
        }
        Ok(Self {
            owner_hash,
            hash_algorithm: *hash_algorithm,
            flags: *flags,
            iterations: u16::from_be_bytes([*i0, *i1]),
            salt: salt.to_vec(),
            next_hashed: next_hashed.to_vec(),
            types,
            owner,
        })
    }

    /// Whether the Opt-Out flag is set: the span this record covers may hide unsigned
    /// delegations (RFC 5155 §6).
    pub fn opt_out(&self) -> bool {
        self.flags & NSEC3_FLAG_OPT_OUT != 0
    }

    /// Whether this record's hashed owner is `hash` ("matches", RFC 5155 §1.3).
    pub fn matches(&self, hash: &[u8]) -> bool {
        self.owner_hash == hash
    }

    /// Whether `hash` falls strictly between the hashed owner and the next hashed owner in
    /// hash order, wrapping after the last record of the chain ("covers", RFC 5155 §1.3).
    pub fn covers(&self, hash: &[u8]) -> bool {
        if hash.len() != self.owner_hash.len() {
            return false;
        }
        let after_owner = self.owner_hash.as_slice().cmp(hash) == Ordering::Less;
        let before_next = hash.cmp(self.next_hashed.as_slice()) == Ordering::Less;
        if self.next_hashed.as_slice() <= self.owner_hash.as_slice() {
            after_owner || before_next
        } else {
            after_owner && before_next
        }
    }
}

/// The NSEC3 hash of `name` (RFC 5155 §5): SHA-1 over the canonical wire name and the salt,
/// then `iterations` more times over the previous digest and the salt. Costs `iterations + 1`
/// digests: callers bound `iterations` (the proofs hash only at 100 or fewer, RFC 9276).
pub fn nsec3_hash(name: &Name, salt: &[u8], iterations: u16) -> [u8; SHA1_LEN] {
    let digest = |parts: &[&[u8]]| {
        let mut ctx = ring::digest::Context::new(&ring::digest::SHA1_FOR_LEGACY_USE_ONLY);
        for part in parts {
            ctx.update(part);
        }
        let mut out = [0u8; SHA1_LEN];
        out.copy_from_slice(ctx.finish().as_ref());
        out
    };
    let mut hash = digest(&[name.wire(), salt]);
    for _ in 0..iterations {
        hash = digest(&[&hash, salt]);
    }
    hash
}

const BASE32HEX: &[u8; 32] = b"0123456789abcdefghijklmnopqrstuv";

/// Base32hex without padding, lowercase (RFC 4648 §7), as NSEC3 owner labels are written.
pub fn base32hex_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(5) * 8);
    let (mut acc, mut bits) = (0u32, 0u32);
    for &b in bytes {
        acc = (acc << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(char::from(BASE32HEX[((acc >> bits) & 31) as usize]));
        }
    }
    if bits > 0 {
        out.push(char::from(BASE32HEX[((acc << (5 - bits)) & 31) as usize]));
    }
    out
}

/// Decodes unpadded base32hex, either case; `None` for a character outside the alphabet or a
/// length or trailing bits no encoder produces.
pub fn base32hex_decode(text: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 5 / 8);
    let (mut acc, mut bits) = (0u32, 0u32);
    for &c in text {
        let v = match c.to_ascii_lowercase() {
            d @ b'0'..=b'9' => d - b'0',
            l @ b'a'..=b'v' => l - b'a' + 10,
            _ => return None,
        };
        acc = ((acc << 5) | u32::from(v)) & 0xffff;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    // Leftover bits must be fewer than 5 (a whole character never pads) and zero.
    (bits < 5 && acc & ((1 << bits) - 1) == 0).then_some(out)
}
