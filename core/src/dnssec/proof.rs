//! The validator's view of the denial-of-existence proofs: a small adapter over
//! [`super::denial`], so that the engine depends on one interface (what a DS denial means for
//! the chain of trust, and statuses with their RFC 8914 codes). The records given here have had
//! their signatures checked by the engine already.

use super::denial::{self, DenialError, DenialStatus, Evidence, Proof};
use super::name::Name;
use super::nsec::NsecRecord;
use super::nsec3::Nsec3Record;

/// NSEC and NSEC3 records of one response, signatures already verified.
#[derive(Clone, Debug, Default)]
pub struct DenialRecords {
    /// NSEC records.
    pub nsec: Vec<NsecRecord>,
    /// NSEC3 records.
    pub nsec3: Vec<Nsec3Record>,
}

impl DenialRecords {
    fn evidence(&self) -> Evidence<'_> {
        Evidence {
            nsec: &self.nsec,
            nsec3: &self.nsec3,
        }
    }
}

/// What a proof establishes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Proven {
    /// Proven securely.
    Secure,
    /// Proven only as far as an opt-out span or NSEC3 parameters allow: insecure (RFC 5155
    /// §9.2, RFC 9276 §3.2), with an RFC 8914 code when there is one.
    Insecure(Option<u16>, String),
}

/// A failed proof: RFC 8914 code and reason.
pub type Failed = (u16, String);

fn proven(r: Result<Proof, DenialError>) -> Result<Proven, Failed> {
    match r {
        Ok(p) if p.status == DenialStatus::Secure => Ok(Proven::Secure),
        Ok(p) => Ok(Proven::Insecure(p.ede, p.reason)),
        Err(e) => Err((e.code, e.reason)),
    }
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
    /// Only insecurely proven (opt-out, NSEC3 parameters): treated as unsigned.
    Insecure(Option<u16>, String),
}

/// Proves that `qname` does not exist in `zone` (name and wildcard).
pub fn nxdomain(qname: &Name, zone: &Name, records: &DenialRecords) -> Result<Proven, Failed> {
    proven(denial::prove_nxdomain(zone, qname, records.evidence()))
}

/// Proves that `qname` has no `qtype` records.
pub fn nodata(
    qname: &Name,
    qtype: u16,
    zone: &Name,
    records: &DenialRecords,
) -> Result<Proven, Failed> {
    proven(denial::prove_nodata(zone, qname, qtype, records.evidence()))
}

/// Proves a wildcard expansion to `qname` signed with RRSIG labels `labels`.
pub fn wildcard(
    qname: &Name,
    labels: u8,
    zone: &Name,
    records: &DenialRecords,
) -> Result<Proven, Failed> {
    proven(denial::prove_wildcard_answer(
        zone,
        qname,
        labels,
        records.evidence(),
    ))
}

/// What the denial records of a DS answer say about `name` (a name below `zone`): an unsigned
/// delegation, no cut, or no name at all.
pub fn no_ds(name: &Name, zone: &Name, records: &DenialRecords) -> Result<NoDs, Failed> {
    let ev = records.evidence();
    match denial::prove_nodata(zone, name, super::rr::rtype::DS, ev) {
        Ok(p) if p.status == DenialStatus::Insecure => Ok(NoDs::Insecure(p.ede, p.reason)),
        Ok(p) if p.delegation => Ok(NoDs::InsecureDelegation),
        Ok(_) => Ok(NoDs::NotACut),
        Err(e) => match denial::prove_nxdomain(zone, name, ev) {
            Ok(p) if p.status == DenialStatus::Secure => Ok(NoDs::NoName),
            Ok(p) => Ok(NoDs::Insecure(p.ede, p.reason)),
            Err(_) => Err((e.code, e.reason)),
        },
    }
}
