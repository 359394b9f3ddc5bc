//! Verification (feature `verify`): a server's certificate chain validated with rustls-webpki
//! and its identity matched "with the SRV record as the starting point" (RFC 6186 §4,
//! RFC 7817, RFC 6125 §6, RFC 9525). Depends on `identity`, `dns` (name comparison), `plan`
//! (a candidate) and `negotiate` (the outcome reported to the negotiator). DANE (TLSA records,
//! `dane.rs` and `tlsa.rs`) is the feature `dane`.

mod api;
mod certificate;
mod chain;
#[cfg(feature = "dane")]
mod dane;
mod presented;
#[cfg(feature = "dane")]
mod tlsa;

#[cfg(feature = "dane")]
pub use api::verify_candidate_with_tlsa;
#[cfg(feature = "webpki-roots")]
pub use api::verify_chain_bundled;
pub use api::{verify_candidate, verify_chain};
pub use chain::{
    RejectReason, Subject, Verdict, VerdictStatus, VerifyOptions, certificates_from_pem,
};
pub use presented::{PresentedIdentity, PresentedKind};
#[cfg(feature = "dane")]
pub use tlsa::{DaneReport, MAX_TLSA_DATA, MAX_TLSA_RECORDS, TlsaCheck, TlsaOutcome, TlsaRecord};
