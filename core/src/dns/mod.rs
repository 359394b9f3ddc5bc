//! DNS: queries written and responses read on the wire (hickory-proto record by record), SRV
//! records, names in presentation form, and what became of each question. Depends on the error
//! table and the service vocabulary only.

mod names;
mod outcome;
mod query;
mod response;
mod scan;
mod srv;
mod wire;
#[cfg(test)]
mod wire_reference;

#[cfg(any(feature = "verify", feature = "autoconfig"))]
pub(crate) use names::canonical_host;
#[cfg(feature = "autoconfig")]
pub(crate) use names::host_problem;
pub(crate) use names::{is_within, target_problem};
pub use outcome::{DnssecSource, DnssecStatus, Lookup, Outcome};
#[cfg(feature = "autoconfig")]
pub(crate) use query::build_mx_query;
pub(crate) use query::build_query;
pub use query::{Question, address_queries};
#[cfg(feature = "dnssec")]
pub(crate) use response::MAX_ADDRESSES_PER_HOST;
pub use response::addresses_in_response;
#[cfg(feature = "autoconfig")]
pub(crate) use response::parse_mx_response;
pub(crate) use response::{Answer, MAX_RECORDS, parse_response};
pub use srv::SrvRecord;
