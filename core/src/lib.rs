//! # mailsrv
//!
//! A sans-IO implementation of mail server discovery with DNS SRV records
//! (RFC 6186, RFC 8314 §5.1): from an email address to a ranked, verifiable connection plan.
//!
//! The crate never opens a socket, reads a clock or draws OS randomness. The host sends the
//! DNS questions, feeds back what it received, and supplies the random seed:
//!
//! ```
//! use mailsrv::{Discovery, Options, SrvRecord, DnssecStatus, Failure};
//!
//! let mut discovery = Discovery::new("alice@example.net", Options::default())?;
//! for question in discovery.questions().to_vec() {
//!     // A real host sends `question.wire` to its resolver, all questions at once.
//!     match question.name.as_str() {
//!         "_imaps._tcp.example.net" => discovery.receive_records(
//!             question.id,
//!             vec![SrvRecord { priority: 0, weight: 1, port: 993,
//!                              target: "mail.example.net".into(), ttl: Some(3600) }],
//!             DnssecStatus::Insecure,
//!         )?,
//!         _ => discovery.fail(question.id, Failure::NxDomain)?,
//!     }
//! }
//! let plan = discovery.plan(1);
//! assert_eq!(plan.incoming.candidates[0].host, "mail.example.net");
//! assert_eq!(plan.incoming.candidates[0].reference_identities[0].value, "_imaps.example.net");
//! # Ok::<(), mailsrv::Error>(())
//! ```
#![forbid(unsafe_code)]

pub mod address;
#[cfg(feature = "verify")]
mod certificate;
mod discovery;
pub mod error;
pub mod exit;
pub mod explain;
pub mod host_rules;
#[cfg(feature = "verify")]
pub mod identity;
pub mod model;
pub mod name;
pub mod negotiate;
pub mod options;
pub mod order;
mod plan;
pub mod query;
mod response;
pub mod service;
pub mod srv;
#[cfg(feature = "verify")]
pub mod verify;
mod wire;
#[cfg(feature = "zone")]
pub mod zone;

pub use address::EmailAddress;
pub use discovery::{Discovery, Failure, plan_from_responses};
pub use error::{Error, ErrorCode};
pub use model::{
    Alternative, Candidate, Diagnostic, DiagnosticCode, DnssecStatus, IdentityKind, Incoming,
    Lookup, Outcome, Outgoing, Plan, ReferenceIdentity, Status, Trust, alpn_acceptable,
};
pub use options::{IncomingPreference, MinimumSecurity, Options, TlsOrder};
pub use query::{Question, address_queries};
pub use response::addresses_in_response;
pub use service::{Protocol, Security, Service};
pub use srv::SrvRecord;
#[cfg(feature = "webpki-roots")]
pub use verify::verify_chain_bundled;
#[cfg(feature = "verify")]
pub use verify::{
    RejectReason, Subject, Verdict, VerdictStatus, VerifyOptions, certificates_from_pem,
    verify_candidate, verify_chain,
};

/// The crate version.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The README's code samples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
