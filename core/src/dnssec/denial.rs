//! Authenticated denial of existence: NSEC (RFC 4035 §5.4, RFC 7129) and NSEC3 (RFC 5155 §8)
//! proofs of NXDOMAIN, NODATA, wildcard answers and unsigned delegations, as pure functions.
//!
//! The validator calls these only with records whose RRSIGs it has verified, all signed by
//! `zone` (the signer name). Records whose owner lies outside `zone` are ignored. Each proof
//! returns a [`Proof`] (what was shown, secure or insecure) or a [`DenialError`] with an
//! RFC 8914 extended error code and a reason naming the problem.

use super::Name;
use super::nsec::NsecRecord;
use super::nsec3::Nsec3Record;
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

/// The most NSEC or NSEC3 records one proof looks at; more is refused (EDE 6). A proof needs
/// at most 3 (NSEC3 name error: closest encloser, next closer, wildcard).
pub const MAX_DENIAL_RECORDS: usize = 16;

/// The most NSEC3 hashes one proof computes (CVE-2023-50868): one per ancestor of the name
/// from the name up to the closest encloser, plus the wildcard, per parameter set. More is
/// refused (EDE 6). With at most [`MAX_SECURE_NSEC3_ITERATIONS`] iterations each, a proof costs
/// at most 32 × 101 SHA-1 digests.
pub const MAX_NSEC3_HASHES: usize = 32;

/// NSEC3 iterations above this make a proof insecure, without hashing (RFC 9276 §3.2, the
/// issue's contract): [`Proof::status`] is [`DenialStatus::Insecure`] with EDE 27.
pub const MAX_SECURE_NSEC3_ITERATIONS: u16 = 100;

/// NSEC3 iterations above this make a proof bogus (RFC 9276 §3.2): a [`DenialError`] with
/// EDE 27.
pub const MAX_NSEC3_ITERATIONS: u16 = 500;

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

/// What a proof showed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProofKind {
    /// The name does not exist and no wildcard could have produced it (RFC 4035 §5.4,
    /// RFC 5155 §8.4).
    NxDomain,
    /// The name exists (possibly as an empty non-terminal) without the type or a CNAME
    /// (RFC 4035 §5.4, RFC 5155 §8.5, §8.6).
    NoData,
    /// The name does not exist and the wildcard at its closest encloser exists without the
    /// type or a CNAME (RFC 4035 §3.1.3.4, RFC 5155 §8.7).
    WildcardNoData,
    /// The name of a wildcard-expanded answer does not exist, nor any name between it and
    /// the wildcard's parent (RFC 4035 §5.3.4, RFC 5155 §8.8).
    WildcardAnswer,
    /// The delegation has no DS: the child zone is unsigned (RFC 4035 §5.2, RFC 5155 §8.9).
    NoDs,
}

/// Whether the denial is authenticated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DenialStatus {
    /// Proven by the signed records.
    Secure,
    /// Not proven securely: an Opt-Out span (the name may be an unsigned delegation, RFC 5155
    /// §9.2), NSEC3 iterations above [`MAX_SECURE_NSEC3_ITERATIONS`], or an unknown NSEC3 hash
    /// algorithm (RFC 5155 §8.1). The answer is to be treated as from an unsigned zone.
    Insecure,
}

/// The result of a successful proof.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Proof {
    /// What was asked for and shown. When `status` is insecure because the records could not
    /// be checked (iterations, hash algorithm), this is what was asked for and nothing was
    /// proven.
    pub kind: ProofKind,
    /// Secure, or insecure (see [`DenialStatus`]).
    pub status: DenialStatus,
    /// An RFC 8914 code to attach to an insecure result (27 for high NSEC3 iterations).
    pub ede: Option<u16>,
    /// What was proven or why it is insecure, naming the records used.
    pub reason: String,
    /// The closest (provable) encloser, for the proofs that establish one.
    pub closest_encloser: Option<Name>,
    /// For a NODATA proof: the name is a delegation point seen from the parent (NS without
    /// SOA in the matching record). For a DS query this tells the chain of trust that the
    /// name is an unsigned zone cut; without it the name is not a zone cut.
    pub delegation: bool,
}

/// The NSEC or NSEC3 records of one response, signed by one zone and already verified. NSEC
/// records are used when there are any, else NSEC3 records.
#[derive(Clone, Copy, Debug, Default)]
pub struct Evidence<'a> {
    /// Verified NSEC records.
    pub nsec: &'a [NsecRecord],
    /// Verified NSEC3 records.
    pub nsec3: &'a [Nsec3Record],
}

fn not_implemented() -> DenialError {
    DenialError::new(ede::OTHER, "denial proof not implemented yet")
}

/// Proves a name error: `qname` does not exist in `zone` and no wildcard at its closest
/// encloser exists (RFC 4035 §5.4, RFC 7129 §3, RFC 5155 §8.4). With NSEC3, a next closer
/// name covered by an Opt-Out record gives an insecure proof.
pub fn prove_nxdomain(
    zone: &Name,
    qname: &Name,
    evidence: Evidence<'_>,
) -> Result<Proof, DenialError> {
    let _ = (zone, qname, evidence);
    Err(not_implemented())
}

/// Proves that `qname` has no `qtype` records and no CNAME: a record matching `qname`
/// (an empty non-terminal included), or else a wildcard NODATA (RFC 4035 §5.4, RFC 5155 §8.5,
/// §8.7). For `qtype` DS (RFC 5155 §8.6, RFC 6840 §4.4) the record must come from the parent
/// side (no SOA bit), an Opt-Out span covering the next closer name gives an insecure proof,
/// and [`Proof::delegation`] says whether `qname` is a zone cut. For other types a parent-side
/// record at a delegation (NS without SOA) is refused.
pub fn prove_nodata(
    zone: &Name,
    qname: &Name,
    qtype: u16,
    evidence: Evidence<'_>,
) -> Result<Proof, DenialError> {
    let _ = (zone, qname, qtype, evidence);
    Err(not_implemented())
}

/// Proves that a positive answer owned by `qname`, signed with RRSIG Labels `rrsig_labels`
/// fewer than `qname`'s labels, was rightly expanded from the wildcard `*.<the rightmost
/// rrsig_labels labels of qname>`: the next closer name does not exist (RFC 4035 §5.3.4,
/// RFC 5155 §8.8). An Opt-Out span covering it gives an insecure proof.
pub fn prove_wildcard_answer(
    zone: &Name,
    qname: &Name,
    rrsig_labels: u8,
    evidence: Evidence<'_>,
) -> Result<Proof, DenialError> {
    let _ = (zone, qname, rrsig_labels, evidence);
    Err(not_implemented())
}

/// Proves that the delegation `child` (a name below `zone`) has no DS, so the child zone is
/// unsigned (RFC 4035 §5.2, RFC 5155 §8.9, RFC 6840 §4.4): a record matching `child` with
/// the NS bit, without DS and without SOA; or, with NSEC3, an Opt-Out record covering the next
/// closer name of a closest encloser proof (an insecure proof: the child may be any unsigned
/// delegation in the span). A secure proof here still means the child is insecure.
pub fn prove_no_ds(
    zone: &Name,
    child: &Name,
    evidence: Evidence<'_>,
) -> Result<Proof, DenialError> {
    let _ = (zone, child, evidence);
    Err(not_implemented())
}
