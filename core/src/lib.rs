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
//!
//! ## Layers
//!
//! Each folder is a layer; a layer uses only the layers above it in this list, never one below:
//!
//! | module | layer |
//! |---|---|
//! | `error`, `service`, `diagnostic`, `limits`, `shared` | the error table, the service vocabulary, diagnostics, shared caps, the plan's shared strings |
//! | `identity` | the email address, the user's domain, reference identities |
//! | `dns` | DNS wire format, SRV records, names, lookup outcomes |
//! | `dnssec` | DNSSEC validation: canonical names, signatures, denial proofs, the chain of trust |
//! | `autoconfig` | provider autoconfig and ISPDB documents, read safely for one address (feature `autoconfig`) |
//! | `plan` | discovery, RFC 2782 order, options, the plan and its explanations |
//! | `negotiate` | the IMAP/POP3/SMTP negotiator up to TLS and the login |
//! | `verify` | certificate chains and server identity (feature `verify`); DANE with TLSA records (feature `dane`) |
//! | `host` | what command-line hosts share: exit statuses, the zone-file answerer |
//!
//! Everything public is re-exported here; `autoconfig`, `negotiate`, `exit`, `explain` and `zone` are also
//! public modules, for their own vocabularies.

#[cfg(feature = "autoconfig")]
pub mod autoconfig;
mod diagnostic;
mod dns;
pub mod dnssec;
mod error;
mod host;
mod identity;
mod limits;
pub mod negotiate;
mod plan;
mod service;
mod shared;
#[cfg(feature = "verify")]
mod verify;

#[cfg(feature = "autoconfig")]
pub use autoconfig::Autoconfig;
pub use diagnostic::{Diagnostic, DiagnosticCode};
pub use dns::{
    DnssecSource, DnssecStatus, Lookup, Outcome, Question, SrvRecord, address_queries,
    addresses_in_response,
};
pub use error::{Error, ErrorCode};
#[cfg(feature = "autoconfig")]
pub use host::web as host_web;
#[cfg(feature = "zone")]
pub use host::zone;
pub use host::{bulk, exit, numbering, rules as host_rules};
pub use identity::{
    EmailAddress, IdentityKind, ReferenceIdentity, domain_to_unicode, normalize_domain,
    normalize_domain_with, reference_identities, registrable_domain,
};
pub use limits::{MAX_HTTP_REQUESTS, MAX_MX_RECORDS, MAX_TLSA_LOOKUPS};
pub use plan::explain;
#[cfg(feature = "dnssec")]
pub use plan::{AddressesSource, DnssecValidation};
pub use plan::{
    Alternative, Candidate, Confirmation, DEFAULT_ISPDB_URL, Discovery, DnssecQuestion, Failure,
    Incoming, IncomingPreference, MAX_PLAN_TLSA_RECORDS, MinimumSecurity, MxReport, OAuth2Info,
    Options, Outgoing, Plan, Provenance, RequestOutcome, RequestReport, SeededRng, Source, Status,
    TlsOrder, Tlsa, TlsaStatus, Trust, alpn_acceptable, plan_from_responses,
};
#[cfg(feature = "autoconfig")]
pub use plan::{HttpFailure, HttpRequest, MxQuestion, MxRecord};
pub use service::{Protocol, Security, Service};
pub use shared::SharedStr;
#[cfg(feature = "webpki-roots")]
pub use verify::verify_chain_bundled;
#[cfg(feature = "dane")]
pub use verify::{
    DaneReport, MAX_TLSA_DATA, MAX_TLSA_RECORDS, TlsaCheck, TlsaOutcome, TlsaRecord,
    verify_candidate_with_tlsa,
};
#[cfg(feature = "verify")]
pub use verify::{
    PresentedIdentity, PresentedKind, RejectReason, Subject, Verdict, VerdictStatus, VerifyOptions,
    certificates_from_pem, verify_candidate, verify_chain,
};

/// The crate version.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The README's Rust code samples (none at present: the examples live in docs/), compiled and
/// run as doctests, so that one added to the README is run too.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;

/// The Rust reference's code samples (docs/rust.md), compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../docs/rust.md")]
pub struct DocsRustDoctests;
