//! DNSSEC validation in the core (issue 14): names in canonical form, and (to come) RRSIG, DS
//! and DNSKEY checks, denial-of-existence proofs and the chain of trust.

pub mod name;

pub use name::Name;
