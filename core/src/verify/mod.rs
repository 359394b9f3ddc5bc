//! Verification (feature `verify`): a server's certificate chain validated with rustls-webpki
//! and its identity matched "with the SRV record as the starting point" (RFC 6186 §4,
//! RFC 7817, RFC 6125 §6, RFC 9525). Depends on `identity`, `dns` (name comparison), `plan`
//! (a candidate) and `negotiate` (the outcome reported to the negotiator).

mod api;
mod certificate;
mod chain;
mod dane;
mod presented;
mod tlsa;

#[cfg(feature = "webpki-roots")]
pub use api::verify_chain_bundled;
pub use api::{verify_candidate, verify_candidate_with_tlsa, verify_chain};
pub use chain::{
    RejectReason, Subject, Verdict, VerdictStatus, VerifyOptions, certificates_from_pem,
};
pub use presented::{PresentedIdentity, PresentedKind};
pub use tlsa::{DaneReport, MAX_TLSA_DATA, MAX_TLSA_RECORDS, TlsaCheck, TlsaOutcome, TlsaRecord};
