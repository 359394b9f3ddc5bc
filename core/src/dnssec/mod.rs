//! DNSSEC validation in the core (issue 14): names in canonical form, records and RRsets from
//! wire messages, DNSKEY/DS, RRSIG verification, trust anchors, NSEC/NSEC3 denial proofs, and
//! the sans-IO validator ([`validator::Validator`]). Everything but [`name`] and [`bitmap`]
//! needs the `dnssec` feature (ring).

#[cfg(feature = "dnssec")]
pub mod anchor;
pub mod bitmap;
#[cfg(feature = "dnssec")]
pub mod denial;
#[cfg(feature = "dnssec")]
pub mod denial_error;
#[cfg(feature = "dnssec")]
pub mod key;
pub mod name;
#[cfg(feature = "dnssec")]
pub mod nsec;
#[cfg(feature = "dnssec")]
pub mod nsec3;
#[cfg(feature = "dnssec")]
pub mod proof;
#[cfg(feature = "dnssec")]
pub mod rr;
#[cfg(feature = "dnssec")]
pub mod signature;
#[cfg(feature = "dnssec")]
pub mod text;
#[cfg(feature = "dnssec")]
pub mod validator;

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
#[cfg(feature = "dnssec")]
pub use validator::{Status, Validation, Validator};
