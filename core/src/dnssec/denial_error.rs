//! Why a denial proof failed: an RFC 8914 extended error code and a reason. Its own module so
//! that the NSEC and NSEC3 readers and the proofs share it without importing each other.

use core::fmt;

/// RFC 8914 extended DNS error codes used by the proofs.
pub mod ede {
    /// 0 Other.
    pub const OTHER: u16 = 0;
    /// 6 DNSSEC Bogus: the records contradict the claim or are malformed.
    pub const DNSSEC_BOGUS: u16 = 6;
    /// 12 NSEC Missing: no record proves the claim.
    pub const NSEC_MISSING: u16 = 12;
    /// 27 Unsupported NSEC3 Iterations Value (RFC 9276 §3.2).
    pub const UNSUPPORTED_NSEC3_ITERATIONS: u16 = 27;
}

/// Why a proof failed: the RFC 8914 extended error code ([`ede`]) and a reason naming the
/// problem. The answer it was meant to prove is bogus.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DenialError {
    /// The RFC 8914 INFO-CODE.
    pub code: u16,
    /// What is wrong, naming the names and records involved.
    pub reason: String,
}

impl DenialError {
    /// An error with `code` and `reason`.
    pub fn new(code: u16, reason: impl Into<String>) -> Self {
        Self {
            code,
            reason: reason.into(),
        }
    }
}

impl fmt::Display for DenialError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (EDE {})", self.reason, self.code)
    }
}

impl std::error::Error for DenialError {}
