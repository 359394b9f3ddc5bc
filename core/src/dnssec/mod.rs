//! DNSSEC validation in the core (issue 14): names in canonical form, and (to come) RRSIG, DS
//! and DNSKEY checks, denial-of-existence proofs and the chain of trust.

pub mod bitmap;
#[cfg(feature = "dnssec")]
pub mod denial;
pub mod name;
#[cfg(feature = "dnssec")]
pub mod nsec;
#[cfg(feature = "dnssec")]
pub mod nsec3;

pub use bitmap::TypeBitmap;
#[cfg(feature = "dnssec")]
pub use denial::{
    DenialError, DenialStatus, Evidence, Proof, ProofKind, prove_no_ds, prove_nodata,
    prove_nxdomain, prove_wildcard_answer,
};
pub use name::Name;
#[cfg(feature = "dnssec")]
pub use nsec::NsecRecord;
#[cfg(feature = "dnssec")]
pub use nsec3::{Nsec3Record, nsec3_hash};
