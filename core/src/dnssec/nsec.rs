//! The NSEC record (RFC 4034 §4): the next owner name in canonical order and the types at
//! this one.

use super::Name;
use super::bitmap::{TypeBitmap, rtype};
use super::denial_error::{DenialError, ede};
use core::cmp::Ordering;

/// An NSEC record: `owner` exists with `types`; no name lies strictly between `owner` and
/// `next` in canonical order (RFC 4034 §4.1, §6.1). The last record of a zone points back to
/// the apex.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NsecRecord {
    /// The owner name.
    pub owner: Name,
    /// The Next Domain Name field.
    pub next: Name,
    /// The types that exist at `owner`.
    pub types: TypeBitmap,
}

impl NsecRecord {
    /// Reads the RDATA of an NSEC record owned by `owner` (RFC 4034 §4.2): an uncompressed
    /// next name, then a type bit map filling the rest. Errors carry EDE 6 (DNSSEC Bogus).
    pub fn from_rdata(owner: Name, rdata: &[u8]) -> Result<Self, DenialError> {
        let (next, used) = Name::read_wire(rdata).map_err(|e| {
            DenialError::new(
                ede::DNSSEC_BOGUS,
                format!("NSEC at {owner}: next name: {e}"),
            )
        })?;
        let types = TypeBitmap::from_wire(&rdata[used..])
            .map_err(|e| DenialError::new(ede::DNSSEC_BOGUS, format!("NSEC at {owner}: {e}")))?;
        Ok(Self { owner, next, types })
    }

    /// Whether this record is the last of its chain (its next name does not sort after its
    /// owner: it wraps to the apex).
    pub fn is_last(&self) -> bool {
        self.next.canonical_cmp(&self.owner) != Ordering::Greater
    }

    /// Whether `name` sorts strictly between the owner and the next name (wrapping after the
    /// last record), so that this record proves `name` does not exist — unless [`Self::is_cut_above`]
    /// says `name` lies below a zone cut or a DNAME at the owner (RFC 6840 §4.1).
    pub fn covers(&self, name: &Name) -> bool {
        let after_owner = self.owner.canonical_cmp(name) == Ordering::Less;
        let before_next = name.canonical_cmp(&self.next) == Ordering::Less;
        if self.is_last() {
            after_owner || before_next
        } else {
            after_owner && before_next
        }
    }

    /// Whether the owner is a proper ancestor of `name` and a delegation (NS without SOA) or a
    /// DNAME: then the records of `name` are not in this zone and this NSEC says nothing about
    /// them (RFC 6840 §4.1).
    pub fn is_cut_above(&self, name: &Name) -> bool {
        name.label_count() > self.owner.label_count()
            && name.is_at_or_below(&self.owner)
            && (self.types.contains(rtype::DNAME)
                || (self.types.contains(rtype::NS) && !self.types.contains(rtype::SOA)))
    }
}
