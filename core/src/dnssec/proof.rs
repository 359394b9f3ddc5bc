//! The validator's view of denial-of-existence proofs: an adapter over `denial` (NSEC and NSEC3,
//! written separately), so that the engine depends on one small interface. The records given
//! here have had their signatures checked by the engine already.

use super::name::Name;

/// NSEC and NSEC3 records of one response, signatures already verified.
#[derive(Clone, Debug, Default)]
pub struct DenialRecords {
    /// NSEC records: owner and data.
    pub nsec: Vec<(Name, Vec<u8>)>,
    /// NSEC3 records: owner and data.
    pub nsec3: Vec<(Name, Vec<u8>)>,
}

impl DenialRecords {
    /// Whether there is no record.
    pub fn is_empty(&self) -> bool {
        self.nsec.is_empty() && self.nsec3.is_empty()
    }
}

/// What a proof establishes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Proven {
    /// Proven securely.
    Secure,
    /// Proven only as far as an opt-out span or NSEC3 parameters allow: insecure (RFC 5155
    /// §9.2, RFC 9276 §3.2).
    Insecure(String),
}

/// What the DS denial for a name shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NoDs {
    /// A delegation without DS: the child is insecure.
    InsecureDelegation,
    /// Not a zone cut (the name exists without NS, or is an empty non-terminal).
    NotACut,
    /// The name does not exist.
    NoName,
    /// Covered by an opt-out span (insecure).
    OptOut,
}

/// Proves that `qname` does not exist in `zone` (name and wildcard, RFC 4035 §5.4,
/// RFC 5155 §8.4).
pub fn nxdomain(qname: &Name, zone: &Name, records: &DenialRecords) -> Result<Proven, String> {
    let _ = (qname, zone, records);
    Err("denial proofs are not available yet".into())
}

/// Proves that `qname` has no `qtype` records (RFC 4035 §5.4, RFC 5155 §8.5–8.7).
pub fn nodata(
    qname: &Name,
    qtype: u16,
    zone: &Name,
    records: &DenialRecords,
) -> Result<Proven, String> {
    let _ = (qname, qtype, zone, records);
    Err("denial proofs are not available yet".into())
}

/// Proves that a wildcard expansion to `qname` from `*.<closest_encloser>` was right: no
/// closer name exists (RFC 4035 §5.3.4, RFC 5155 §8.8).
pub fn wildcard(
    qname: &Name,
    closest_encloser: &Name,
    zone: &Name,
    records: &DenialRecords,
) -> Result<Proven, String> {
    let _ = (qname, closest_encloser, zone, records);
    Err("denial proofs are not available yet".into())
}

/// What the denial records say about a DS at `name` (RFC 4035 §5.2, RFC 5155 §8.6, §8.9).
pub fn no_ds(name: &Name, zone: &Name, records: &DenialRecords) -> Result<NoDs, String> {
    let _ = (name, zone, records);
    Err("denial proofs are not available yet".into())
}
