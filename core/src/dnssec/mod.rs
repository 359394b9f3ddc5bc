//! DNSSEC validation in the core (issue 14): names in canonical form, records and RRsets from
//! wire messages, DNSKEY/DS, RRSIG verification, trust anchors, and the sans-IO validator
//! ([`validator::Validator`]). Everything but [`name`] needs the `dnssec` feature (ring).

#[cfg(feature = "dnssec")]
pub mod anchor;
#[cfg(feature = "dnssec")]
pub mod key;
pub mod name;
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

pub use name::Name;
