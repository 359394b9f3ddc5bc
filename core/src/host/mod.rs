//! For host programs: the exit-status policy of command-line hosts, the bulk-run summary, the
//! rules hosts apply around the core (`rules`), the rules of hosts that perform HTTP requests
//! (`web`, feature `autoconfig`: sources, redirects, the body cap, offline fixtures), the
//! numbering of the core's enums for the C ABI, and (feature `zone`) an
//! authoritative answerer from zone files for tests and demos. The top layer: it may use every
//! other layer, and none uses it.

pub mod bulk;
pub mod exit;
pub mod numbering;
pub mod rules;
#[cfg(feature = "autoconfig")]
pub mod web;
#[cfg(feature = "zone")]
pub mod zone;
