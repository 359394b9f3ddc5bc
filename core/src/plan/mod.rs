//! Planning: the sans-IO discovery (questions out, answers in), the RFC 2782 order, the
//! options, and the plan built from the answers. Depends on `identity` and `dns`.

mod build;
mod discovery;
pub mod explain;
mod lookups;
mod model;
mod options;
mod order;
#[cfg(feature = "dnssec")]
mod validating;
#[cfg(feature = "autoconfig")]
mod web;

pub use discovery::{Discovery, Failure, plan_from_responses};
pub use lookups::DnssecQuestion;
#[cfg(feature = "dnssec")]
pub use model::AddressesSource;
pub use model::{
    Alternative, Candidate, Confirmation, Incoming, MAX_PLAN_TLSA_RECORDS, MxReport, OAuth2Info,
    Outgoing, Plan, Provenance, RequestOutcome, RequestReport, Source, Status, Tlsa, TlsaStatus,
    Trust, alpn_acceptable,
};
pub use options::DEFAULT_ISPDB_URL;
#[cfg(feature = "dnssec")]
pub use options::DnssecValidation;
pub use options::{IncomingPreference, MinimumSecurity, Options, TlsOrder};
pub use order::SeededRng;
#[cfg(feature = "autoconfig")]
pub use web::{HttpFailure, HttpRequest, MxQuestion, MxRecord};
