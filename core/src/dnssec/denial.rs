//! Authenticated denial of existence: NSEC (RFC 4035 §5.4, RFC 7129) and NSEC3 (RFC 5155 §8)
//! proofs of NXDOMAIN, NODATA, wildcard answers and unsigned delegations, as pure functions.
//!
//! The validator calls these only with records whose RRSIGs it has verified, all signed by
//! `zone` (the signer name). Records whose owner lies outside `zone` are ignored. Each proof
//! returns a [`Proof`] (what was shown, secure or insecure) or a [`DenialError`] with an
//! RFC 8914 extended error code and a reason naming the problem.

use super::Name;
use super::bitmap::{TypeBitmap, rtype};
pub use super::denial_error::{DenialError, ede};
use super::nsec::NsecRecord;
use super::nsec3::{NSEC3_SHA1, Nsec3Record, SHA1_LEN, base32hex_encode, nsec3_hash};

/// The most NSEC or NSEC3 records one proof looks at; more is refused (EDE 6). A proof needs
/// at most 3 (NSEC3 name error: closest encloser, next closer, wildcard).
pub const MAX_DENIAL_RECORDS: usize = 16;

/// The most NSEC3 hashes one proof computes (CVE-2023-50868): one per name from the name asked
/// about up to its closest encloser, plus the wildcard, and again for each further parameter
/// set (salt, iterations) among the records. More is refused (EDE 6): a name more than 30
/// labels below its zone gets no NSEC3 name error proof. With at most [`MAX_SECURE_NSEC3_ITERATIONS`] iterations each, a proof costs
/// at most 32 × 101 SHA-1 digests.
pub const MAX_NSEC3_HASHES: usize = 32;

/// NSEC3 iterations above this make a proof insecure, without hashing (RFC 9276 §3.2, the
/// issue's contract): [`Proof::status`] is [`DenialStatus::Insecure`] with EDE 27.
pub const MAX_SECURE_NSEC3_ITERATIONS: u16 = 100;

/// NSEC3 iterations above this make a proof bogus (RFC 9276 §3.2): a [`DenialError`] with
/// EDE 27.
pub const MAX_NSEC3_ITERATIONS: u16 = 500;

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

/// Proves a name error: `qname` does not exist in `zone` and no wildcard at its closest
/// encloser exists (RFC 4035 §5.4, RFC 7129 §3, RFC 5155 §8.4). With NSEC3, a next closer
/// name covered by an Opt-Out record gives an insecure proof (RFC 5155 §9.2).
pub fn prove_nxdomain(
    zone: &Name,
    qname: &Name,
    evidence: Evidence<'_>,
) -> Result<Proof, DenialError> {
    dispatch(
        zone,
        qname,
        ProofKind::NxDomain,
        evidence,
        |n| n.nxdomain(qname),
        |n| n.nxdomain(qname),
    )
}

/// Proves that `qname` has no `qtype` records and no CNAME: a record matching `qname`
/// (an empty non-terminal included), or else a wildcard NODATA (RFC 4035 §5.4, RFC 5155 §8.5,
/// §8.7). For `qtype` DS (RFC 5155 §8.6, RFC 6840 §4.4) the record must come from the parent
/// side (no SOA bit; the root, which has no parent, is denied by its apex record), an Opt-Out span covering the next closer name gives an insecure proof
/// (treat what lies below as unsigned), and [`Proof::delegation`] says whether `qname` is a
/// zone cut. For other types a parent-side record at a delegation (NS without SOA) is refused.
/// With NSEC3, a name in an Opt-Out span with neither a matching record nor a wildcard gives
/// an insecure proof (it may be an empty non-terminal above opted-out delegations).
pub fn prove_nodata(
    zone: &Name,
    qname: &Name,
    qtype: u16,
    evidence: Evidence<'_>,
) -> Result<Proof, DenialError> {
    dispatch(
        zone,
        qname,
        ProofKind::NoData,
        evidence,
        |n| n.nodata(qname, qtype),
        |n| n.nodata(qname, qtype),
    )
}

/// Proves that a positive answer owned by `qname`, signed with RRSIG Labels `rrsig_labels`
/// fewer than [`Name::rrsig_labels`] of `qname` (else there is no expansion: an error), was rightly expanded from the wildcard `*.<the rightmost
/// rrsig_labels labels of qname>`: the next closer name does not exist (RFC 4035 §5.3.4,
/// RFC 5155 §8.8). An Opt-Out span covering it gives an insecure proof.
pub fn prove_wildcard_answer(
    zone: &Name,
    qname: &Name,
    rrsig_labels: u8,
    evidence: Evidence<'_>,
) -> Result<Proof, DenialError> {
    let labels = usize::from(rrsig_labels);
    if labels >= qname.rrsig_labels() {
        return Err(DenialError::new(
            ede::DNSSEC_BOGUS,
            format!(
                "RRSIG labels {labels} not fewer than the {} labels of {qname} (a leading * not counted): no wildcard expansion to prove",
                qname.rrsig_labels()
            ),
        ));
    }
    if labels < zone.label_count() {
        return Err(DenialError::new(
            ede::DNSSEC_BOGUS,
            format!("RRSIG labels {labels} name a wildcard above the zone {zone}"),
        ));
    }
    dispatch(
        zone,
        qname,
        ProofKind::WildcardAnswer,
        evidence,
        |n| n.wildcard_answer(qname, labels),
        |n| n.wildcard_answer(qname, labels),
    )
}

/// Proves that the delegation `child` (a name below `zone`) has no DS, so the child zone is
/// unsigned (RFC 4035 §5.2, RFC 5155 §8.9, RFC 6840 §4.4): a record matching `child` with
/// the NS bit, without DS and without SOA; or, with NSEC3, an Opt-Out record covering the next
/// closer name of a closest provable encloser proof (an insecure proof: the child may be any
/// unsigned delegation in the span). Either way the child zone is insecure; a secure proof
/// means that this is authenticated.
pub fn prove_no_ds(
    zone: &Name,
    child: &Name,
    evidence: Evidence<'_>,
) -> Result<Proof, DenialError> {
    if child == zone {
        return Err(DenialError::new(
            ede::DNSSEC_BOGUS,
            format!(
                "{child} is the apex of the zone whose records deny its DS, not a delegation in it"
            ),
        ));
    }
    dispatch(
        zone,
        child,
        ProofKind::NoDs,
        evidence,
        |n| n.no_ds(child),
        |n| n.no_ds(child),
    )
}

fn bogus(reason: String) -> DenialError {
    DenialError::new(ede::DNSSEC_BOGUS, reason)
}

fn missing(reason: String) -> DenialError {
    DenialError::new(ede::NSEC_MISSING, reason)
}

fn secure(kind: ProofKind, reason: String) -> Proof {
    Proof {
        kind,
        status: DenialStatus::Secure,
        ede: None,
        reason,
        closest_encloser: None,
        delegation: false,
    }
}

/// Checks what every proof shares, then runs the NSEC proof when there are NSEC records and
/// the NSEC3 proof otherwise (or when the NSEC proof fails and NSEC3 records came too).
fn dispatch(
    zone: &Name,
    qname: &Name,
    kind: ProofKind,
    evidence: Evidence<'_>,
    nsec: impl FnOnce(&NsecProver<'_>) -> Result<Proof, DenialError>,
    nsec3: impl FnOnce(&mut Nsec3Prover<'_>) -> Result<Proof, DenialError>,
) -> Result<Proof, DenialError> {
    for (count, what) in [
        (evidence.nsec.len(), "NSEC"),
        (evidence.nsec3.len(), "NSEC3"),
    ] {
        if count > MAX_DENIAL_RECORDS {
            return Err(bogus(format!(
                "{count} {what} records in one proof, more than {MAX_DENIAL_RECORDS}"
            )));
        }
    }
    if !qname.is_at_or_below(zone) {
        return Err(bogus(format!(
            "{qname} is outside the zone {zone} whose records were given"
        )));
    }
    let run_nsec3 = |first: Option<DenialError>| match Nsec3Prover::new(zone, kind, evidence.nsec3)
    {
        Ok(Ok(mut prover)) => nsec3(&mut prover).map_err(|e| first.clone().unwrap_or(e)),
        Ok(Err(shortcut)) => Ok(shortcut),
        Err(e) => Err(first.clone().unwrap_or(e)),
    };
    if evidence.nsec.is_empty() {
        return run_nsec3(None);
    }
    let prover = NsecProver::new(zone, evidence.nsec);
    match nsec(&prover) {
        Ok(proof) => Ok(proof),
        Err(e) if evidence.nsec3.is_empty() => Err(e),
        Err(e) => run_nsec3(Some(e)),
    }
}

/// NSEC proofs over the records of one zone.
struct NsecProver<'a> {
    records: Vec<&'a NsecRecord>,
}

impl<'a> NsecProver<'a> {
    fn new(zone: &Name, records: &'a [NsecRecord]) -> Self {
        // A record of another zone, or pointing out of this one, proves nothing here.
        // The last record wraps to the apex; one wrapping elsewhere is malformed.
        let records = records
            .iter()
            .filter(|r| r.owner.is_at_or_below(zone) && r.next.is_at_or_below(zone))
            .filter(|r| !r.is_last() || r.next == *zone)
            .collect();
        Self { records }
    }

    fn matching(&self, name: &Name) -> Option<&'a NsecRecord> {
        self.records.iter().copied().find(|r| r.owner == *name)
    }

    /// A record that proves `name` absent: `name` sorts inside its span and is not below a
    /// zone cut or DNAME at its owner (RFC 6840 §4.1).
    fn covering(&self, name: &Name) -> Option<&'a NsecRecord> {
        self.records
            .iter()
            .copied()
            .find(|r| r.covers(name) && !r.is_cut_above(name))
    }

    /// A covering record whose next name lies below `name`: `name` exists as an empty
    /// non-terminal.
    fn showing_empty_non_terminal(&self, name: &Name) -> Option<&'a NsecRecord> {
        self.records
            .iter()
            .copied()
            .find(|r| r.covers(name) && !r.is_cut_above(name) && is_below(&r.next, name))
    }

    /// A covering record that proves `name` does not exist at all (not even as an empty
    /// non-terminal).
    fn denying(&self, name: &Name) -> Option<&'a NsecRecord> {
        self.records
            .iter()
            .copied()
            .find(|r| r.covers(name) && !r.is_cut_above(name) && !is_below(&r.next, name))
    }

    /// The closest encloser of `qname` that a covering record shows: its owner and next name
    /// exist, and every longer ancestor of `qname` sorts inside the span, so does not exist.
    /// `qname` itself when the next name lies below it (an empty non-terminal).
    fn closest_encloser(record: &NsecRecord, qname: &Name) -> Name {
        let labels = qname
            .common_labels(&record.owner)
            .max(qname.common_labels(&record.next));
        qname.suffix(labels)
    }

    fn nxdomain(&self, qname: &Name) -> Result<Proof, DenialError> {
        if let Some(m) = self.matching(qname) {
            return Err(bogus(format!(
                "NSEC {} proves that {qname} exists",
                show_nsec(m)
            )));
        }
        if let Some(e) = self.showing_empty_non_terminal(qname) {
            return Err(bogus(format!(
                "NSEC {} shows that {qname} exists as an empty non-terminal",
                show_nsec(e)
            )));
        }
        let cover = self
            .denying(qname)
            .ok_or_else(|| missing(format!("no NSEC covers {qname}")))?;
        let ce = Self::closest_encloser(cover, qname);
        let wildcard = wildcard_at(&ce)?;
        if let Some(w) = self
            .matching(&wildcard)
            .or_else(|| self.showing_empty_non_terminal(&wildcard))
        {
            return Err(bogus(format!(
                "NSEC {} shows that the wildcard {wildcard} exists: {qname} would have matched it",
                show_nsec(w)
            )));
        }
        let wcover = self.denying(&wildcard).ok_or_else(|| {
            missing(format!(
                "no NSEC denies the wildcard {wildcard} at the closest encloser of {qname}"
            ))
        })?;
        Ok(Proof {
            closest_encloser: Some(ce),
            ..secure(
                ProofKind::NxDomain,
                format!(
                    "NSEC {} covers {qname}; NSEC {} covers {wildcard}",
                    show_nsec(cover),
                    show_nsec(wcover)
                ),
            )
        })
    }

    fn nodata(&self, qname: &Name, qtype: u16) -> Result<Proof, DenialError> {
        if let Some(m) = self.matching(qname) {
            let what = format!("NSEC {}", show_nsec(m));
            let delegation = check_nodata_types(&m.types, qname, qtype, &what)?;
            return Ok(Proof {
                delegation,
                ..secure(
                    ProofKind::NoData,
                    format!("{what} matches {qname} without type {qtype}"),
                )
            });
        }
        if let Some(e) = self.showing_empty_non_terminal(qname) {
            return Ok(secure(
                ProofKind::NoData,
                format!(
                    "NSEC {} shows that {qname} is an empty non-terminal",
                    show_nsec(e)
                ),
            ));
        }
        let cover = self
            .denying(qname)
            .ok_or_else(|| missing(format!("no NSEC matches or covers {qname}")))?;
        let ce = Self::closest_encloser(cover, qname);
        let wildcard = wildcard_at(&ce)?;
        let what = if let Some(w) = self.matching(&wildcard) {
            let what = format!("NSEC {}", show_nsec(w));
            check_nodata_types(&w.types, &wildcard, qtype, &what)?;
            what
        } else if let Some(e) = self.showing_empty_non_terminal(&wildcard) {
            // A wildcard that is an empty non-terminal still matches, with no data
            // (RFC 4592 §3.3.1: the source of synthesis exists).
            format!(
                "NSEC {} (the wildcard is an empty non-terminal)",
                show_nsec(e)
            )
        } else {
            return Err(match self.denying(&wildcard) {
                Some(_) => bogus(format!(
                    "the NSEC records prove that neither {qname} nor {wildcard} exists: a name error, not NODATA"
                )),
                None => missing(format!(
                    "{qname} does not exist and no NSEC matches the wildcard {wildcard}"
                )),
            });
        };
        Ok(Proof {
            closest_encloser: Some(ce),
            ..secure(
                ProofKind::WildcardNoData,
                format!(
                    "NSEC {} covers {qname}; {what} matches the wildcard without type {qtype}",
                    show_nsec(cover)
                ),
            )
        })
    }

    fn wildcard_answer(&self, qname: &Name, labels: usize) -> Result<Proof, DenialError> {
        if let Some(m) = self.matching(qname) {
            return Err(bogus(format!(
                "NSEC {} proves that {qname} exists: its answer cannot come from a wildcard",
                show_nsec(m)
            )));
        }
        let cover = self.covering(qname).ok_or_else(|| {
            missing(format!(
                "no NSEC covers {qname}: nothing proves that no closer name than the wildcard exists"
            ))
        })?;
        let proven = Self::closest_encloser(cover, qname);
        if proven.label_count() > labels {
            return Err(bogus(format!(
                "NSEC {} shows that {proven} exists, closer to {qname} than the wildcard's parent {}",
                show_nsec(cover),
                qname.suffix(labels)
            )));
        }
        Ok(Proof {
            closest_encloser: Some(qname.suffix(labels)),
            ..secure(
                ProofKind::WildcardAnswer,
                format!(
                    "NSEC {} covers {qname} and every name between it and {}",
                    show_nsec(cover),
                    qname.suffix(labels)
                ),
            )
        })
    }

    fn no_ds(&self, child: &Name) -> Result<Proof, DenialError> {
        let Some(m) = self.matching(child) else {
            return Err(match self.covering(child) {
                Some(c) => bogus(format!(
                    "NSEC {} proves that the delegation {child} does not exist",
                    show_nsec(c)
                )),
                None => missing(format!("no NSEC matches the delegation {child}")),
            });
        };
        let what = format!("NSEC {}", show_nsec(m));
        check_no_ds_types(&m.types, child, &what)?;
        Ok(Proof {
            delegation: true,
            ..secure(
                ProofKind::NoDs,
                format!("{what} shows the delegation {child} without DS"),
            )
        })
    }
}

/// The checks of a record matching the name of a NODATA answer; returns whether the record
/// shows a delegation seen from the parent (NS without SOA).
fn check_nodata_types(
    types: &TypeBitmap,
    name: &Name,
    qtype: u16,
    what: &str,
) -> Result<bool, DenialError> {
    if types.contains(qtype) {
        return Err(bogus(format!("{what} lists type {qtype} at {name}")));
    }
    if qtype != rtype::CNAME && types.contains(rtype::CNAME) {
        return Err(bogus(format!(
            "{what} shows a CNAME at {name}: the answer should have followed it"
        )));
    }
    let cut = types.contains(rtype::NS) && !types.contains(rtype::SOA);
    // The root has no parent side: its apex record is the only possible denial of its DS.
    if qtype == rtype::DS && types.contains(rtype::SOA) && name.label_count() > 0 {
        return Err(bogus(format!(
            "{what} has the SOA bit: it is the child zone's apex record and cannot deny DS at {name} (RFC 6840 §4.4)"
        )));
    }
    if qtype != rtype::DS && cut {
        return Err(bogus(format!(
            "{what} is the parent side of the delegation {name} (NS without SOA): it proves only the absence of DS"
        )));
    }
    Ok(cut)
}

/// The checks of a record matching a delegation without DS (RFC 5155 §8.9, RFC 6840 §4.4).
fn check_no_ds_types(types: &TypeBitmap, child: &Name, what: &str) -> Result<(), DenialError> {
    if types.contains(rtype::DS) {
        return Err(bogus(format!(
            "{what} lists DS: the delegation {child} is signed"
        )));
    }
    if types.contains(rtype::SOA) {
        return Err(bogus(format!(
            "{what} has the SOA bit: it is the child zone's apex record, not the parent's delegation (RFC 6840 §4.4)"
        )));
    }
    if !types.contains(rtype::NS) {
        return Err(bogus(format!(
            "{what} has no NS bit: {child} is not a delegation"
        )));
    }
    Ok(())
}

/// Whether `name` lies strictly below `ancestor`.
fn is_below(name: &Name, ancestor: &Name) -> bool {
    name.label_count() > ancestor.label_count() && name.is_at_or_below(ancestor)
}

fn wildcard_at(ce: &Name) -> Result<Name, DenialError> {
    ce.prepend(b"*")
        .map_err(|e| bogus(format!("wildcard at {ce}: {e}")))
}

fn show_nsec(r: &NsecRecord) -> String {
    format!("{} -> {}", r.owner, r.next)
}

fn show_nsec3(r: &Nsec3Record) -> String {
    format!("{} -> {}", r.owner, base32hex_encode(&r.next_hashed))
}

/// A closest encloser proof (RFC 5155 §8.3).
struct Encloser<'a> {
    /// The closest (provable) encloser.
    name: Name,
    /// The name one label longer, toward the name asked about.
    next_closer: Name,
    /// The record covering `next_closer`.
    cover: &'a Nsec3Record,
}

/// NSEC3 proofs over the usable records of one zone, with the hash budget of one proof.
struct Nsec3Prover<'a> {
    zone: &'a Name,
    records: Vec<&'a Nsec3Record>,
    /// (name, salt, iterations) → hash, so each name is hashed once per parameter set.
    cache: Vec<(Name, &'a [u8], u16, [u8; SHA1_LEN])>,
    computed: usize,
}

impl<'a> Nsec3Prover<'a> {
    /// Keeps the records usable for `zone` (RFC 5155 §8.1, §8.2) and applies the iteration
    /// limits (RFC 9276): `Ok(Err(proof))` when the answer is insecure without hashing.
    fn new(
        zone: &'a Name,
        kind: ProofKind,
        records: &'a [Nsec3Record],
    ) -> Result<Result<Self, Proof>, DenialError> {
        let in_zone: Vec<&Nsec3Record> = records
            .iter()
            .filter(|r| r.owner.parent().as_ref() == Some(zone) && r.flags <= 1)
            .collect();
        if in_zone.is_empty() {
            return Err(missing(format!(
                "no NSEC or NSEC3 record of the zone {zone} (of {} NSEC3 given)",
                records.len()
            )));
        }
        let known: Vec<&Nsec3Record> = in_zone
            .iter()
            .copied()
            .filter(|r| r.hash_algorithm == NSEC3_SHA1)
            .collect();
        if known.is_empty() {
            return Ok(Err(Proof {
                status: DenialStatus::Insecure,
                ..secure(
                    kind,
                    format!(
                        "NSEC3 hash algorithm {} is unknown (RFC 5155 §8.1): the denial cannot be checked",
                        in_zone[0].hash_algorithm
                    ),
                )
            }));
        }
        let most = known.iter().map(|r| r.iterations).max().unwrap_or(0);
        if most > MAX_NSEC3_ITERATIONS {
            return Err(DenialError::new(
                ede::UNSUPPORTED_NSEC3_ITERATIONS,
                format!("NSEC3 iterations {most} above {MAX_NSEC3_ITERATIONS} (RFC 9276 §3.2)"),
            ));
        }
        if most > MAX_SECURE_NSEC3_ITERATIONS {
            return Ok(Err(Proof {
                status: DenialStatus::Insecure,
                ede: Some(ede::UNSUPPORTED_NSEC3_ITERATIONS),
                ..secure(
                    kind,
                    format!(
                        "NSEC3 iterations {most} above {MAX_SECURE_NSEC3_ITERATIONS}: treated as insecure without hashing (RFC 9276 §3.2)"
                    ),
                )
            }));
        }
        Ok(Ok(Self {
            zone,
            records: known,
            cache: Vec::new(),
            computed: 0,
        }))
    }

    fn hash(
        &mut self,
        name: &Name,
        record: &'a Nsec3Record,
    ) -> Result<[u8; SHA1_LEN], DenialError> {
        let (salt, iterations) = (record.salt.as_slice(), record.iterations);
        if let Some((.., hash)) = self
            .cache
            .iter()
            .find(|(n, s, i, _)| n == name && *s == salt && *i == iterations)
        {
            return Ok(*hash);
        }
        if self.computed >= MAX_NSEC3_HASHES {
            return Err(bogus(format!(
                "more than {MAX_NSEC3_HASHES} NSEC3 hashes needed for one proof (at {name})"
            )));
        }
        self.computed += 1;
        let hash = nsec3_hash(name, salt, iterations);
        self.cache.push((name.clone(), salt, iterations, hash));
        Ok(hash)
    }

    fn find(
        &mut self,
        name: &Name,
        test: fn(&Nsec3Record, &[u8]) -> bool,
    ) -> Result<Option<&'a Nsec3Record>, DenialError> {
        for i in 0..self.records.len() {
            let record = self.records[i];
            let hash = self.hash(name, record)?;
            if test(record, &hash) {
                return Ok(Some(record));
            }
        }
        Ok(None)
    }

    fn matching(&mut self, name: &Name) -> Result<Option<&'a Nsec3Record>, DenialError> {
        self.find(name, Nsec3Record::matches)
    }

    fn covering(&mut self, name: &Name) -> Result<Option<&'a Nsec3Record>, DenialError> {
        self.find(name, Nsec3Record::covers)
    }

    /// The closest encloser proof of RFC 5155 §8.3 for `qname`.
    fn closest_encloser(&mut self, qname: &Name) -> Result<Encloser<'a>, DenialError> {
        let mut covered: Option<(Name, &'a Nsec3Record)> = None;
        let mut sname = qname.clone();
        loop {
            if let Some(m) = self.matching(&sname)? {
                let Some((next_closer, cover)) = covered else {
                    return Err(bogus(if sname == *qname {
                        format!("NSEC3 {} matches {qname}: the name exists", show_nsec3(m))
                    } else {
                        format!(
                            "NSEC3 {} matches {sname} but no NSEC3 covers the next closer name",
                            show_nsec3(m)
                        )
                    }));
                };
                if m.types.contains(rtype::DNAME)
                    || (m.types.contains(rtype::NS) && !m.types.contains(rtype::SOA))
                {
                    return Err(bogus(format!(
                        "NSEC3 {} shows a delegation or DNAME at the closest encloser {sname}: the zone is not authoritative below it (RFC 5155 §8.3)",
                        show_nsec3(m)
                    )));
                }
                return Ok(Encloser {
                    name: sname,
                    next_closer,
                    cover,
                });
            }
            covered = self.covering(&sname)?.map(|c| (sname.clone(), c));
            if sname == *self.zone {
                break;
            }
            let Some(parent) = sname.parent() else { break };
            sname = parent;
        }
        Err(missing(format!(
            "no closest encloser proof for {qname}: no NSEC3 matches an ancestor whose next closer name is covered"
        )))
    }

    fn status(cover: &Nsec3Record) -> DenialStatus {
        if cover.opt_out() {
            DenialStatus::Insecure
        } else {
            DenialStatus::Secure
        }
    }

    fn nxdomain(&mut self, qname: &Name) -> Result<Proof, DenialError> {
        let ce = self.closest_encloser(qname)?;
        let wildcard = wildcard_at(&ce.name)?;
        if let Some(w) = self.matching(&wildcard)? {
            return Err(bogus(format!(
                "NSEC3 {} shows that the wildcard {wildcard} exists: {qname} would have matched it",
                show_nsec3(w)
            )));
        }
        let wcover = self.covering(&wildcard)?.ok_or_else(|| {
            missing(format!(
                "no NSEC3 covers the wildcard {wildcard} at the closest encloser of {qname}"
            ))
        })?;
        let status = Self::status(ce.cover);
        Ok(Proof {
            status,
            closest_encloser: Some(ce.name.clone()),
            ..secure(
                ProofKind::NxDomain,
                format!(
                    "closest encloser {}; NSEC3 {} covers the next closer {}{}; NSEC3 {} covers {wildcard}",
                    ce.name,
                    show_nsec3(ce.cover),
                    ce.next_closer,
                    opt_out_note(status),
                    show_nsec3(wcover)
                ),
            )
        })
    }

    fn nodata(&mut self, qname: &Name, qtype: u16) -> Result<Proof, DenialError> {
        if let Some(m) = self.matching(qname)? {
            let what = format!("NSEC3 {}", show_nsec3(m));
            let delegation = check_nodata_types(&m.types, qname, qtype, &what)?;
            return Ok(Proof {
                delegation,
                ..secure(
                    ProofKind::NoData,
                    format!("{what} matches {qname} without type {qtype}"),
                )
            });
        }
        let ce = self.closest_encloser(qname)?;
        if qtype == rtype::DS {
            if !ce.cover.opt_out() {
                return Err(bogus(format!(
                    "no NSEC3 matches {qname} and NSEC3 {} covering {} is not Opt-Out: no DS denial (RFC 5155 §8.6)",
                    show_nsec3(ce.cover),
                    ce.next_closer
                )));
            }
            return Ok(Proof {
                status: DenialStatus::Insecure,
                closest_encloser: Some(ce.name.clone()),
                ..secure(
                    ProofKind::NoData,
                    format!(
                        "Opt-Out NSEC3 {} covers {}: {qname} may be an unsigned delegation (RFC 5155 §8.6)",
                        show_nsec3(ce.cover),
                        ce.next_closer
                    ),
                )
            });
        }
        let wildcard = wildcard_at(&ce.name)?;
        if let Some(w) = self.matching(&wildcard)? {
            let what = format!("NSEC3 {}", show_nsec3(w));
            check_nodata_types(&w.types, &wildcard, qtype, &what)?;
            let status = Self::status(ce.cover);
            return Ok(Proof {
                status,
                closest_encloser: Some(ce.name.clone()),
                ..secure(
                    ProofKind::WildcardNoData,
                    format!(
                        "closest encloser {}; NSEC3 {} covers the next closer {}{}; {what} matches {wildcard} without type {qtype}",
                        ce.name,
                        show_nsec3(ce.cover),
                        ce.next_closer,
                        opt_out_note(status)
                    ),
                )
            });
        }
        if ce.cover.opt_out() {
            return Ok(Proof {
                status: DenialStatus::Insecure,
                closest_encloser: Some(ce.name.clone()),
                ..secure(
                    ProofKind::NoData,
                    format!(
                        "Opt-Out NSEC3 {} covers {}: {qname} may lie in an unsigned delegation or be an empty non-terminal above one",
                        show_nsec3(ce.cover),
                        ce.next_closer
                    ),
                )
            });
        }
        Err(match self.covering(&wildcard)? {
            Some(_) => bogus(format!(
                "the NSEC3 records prove that neither {qname} nor {wildcard} exists: a name error, not NODATA"
            )),
            None => missing(format!(
                "no NSEC3 matches {qname} or the wildcard {wildcard}"
            )),
        })
    }

    fn wildcard_answer(&mut self, qname: &Name, labels: usize) -> Result<Proof, DenialError> {
        let next_closer = qname.suffix(labels + 1);
        let Some(cover) = self.covering(&next_closer)? else {
            return Err(match self.matching(&next_closer)? {
                Some(m) => bogus(format!(
                    "NSEC3 {} shows that {next_closer} exists: {qname} cannot come from the wildcard at {}",
                    show_nsec3(m),
                    qname.suffix(labels)
                )),
                None => missing(format!(
                    "no NSEC3 covers the next closer name {next_closer} of the wildcard answer {qname}"
                )),
            });
        };
        let status = Self::status(cover);
        Ok(Proof {
            status,
            closest_encloser: Some(qname.suffix(labels)),
            ..secure(
                ProofKind::WildcardAnswer,
                format!(
                    "NSEC3 {} covers the next closer {next_closer}{}",
                    show_nsec3(cover),
                    opt_out_note(status)
                ),
            )
        })
    }

    fn no_ds(&mut self, child: &Name) -> Result<Proof, DenialError> {
        if let Some(m) = self.matching(child)? {
            let what = format!("NSEC3 {}", show_nsec3(m));
            check_no_ds_types(&m.types, child, &what)?;
            return Ok(Proof {
                delegation: true,
                ..secure(
                    ProofKind::NoDs,
                    format!("{what} shows the delegation {child} without DS"),
                )
            });
        }
        let ce = self.closest_encloser(child)?;
        if !ce.cover.opt_out() {
            return Err(bogus(format!(
                "no NSEC3 matches the delegation {child} and NSEC3 {} covering {} is not Opt-Out (RFC 5155 §8.9)",
                show_nsec3(ce.cover),
                ce.next_closer
            )));
        }
        Ok(Proof {
            status: DenialStatus::Insecure,
            closest_encloser: Some(ce.name.clone()),
            ..secure(
                ProofKind::NoDs,
                format!(
                    "Opt-Out NSEC3 {} covers {}: the delegation {child} is unsigned (RFC 5155 §8.9)",
                    show_nsec3(ce.cover),
                    ce.next_closer
                ),
            )
        })
    }
}

fn opt_out_note(status: DenialStatus) -> &'static str {
    match status {
        DenialStatus::Secure => "",
        DenialStatus::Insecure => " (Opt-Out: insecure, RFC 5155 §9.2)",
    }
}

#[cfg(test)]
mod tests {
    use super::rtype::*;
    use super::*;
    use crate::dnssec::nsec3::base32hex_decode;

    const HINFO: u16 = 13;

    fn n(s: &str) -> Name {
        Name::from_ascii(s).unwrap()
    }

    fn nsec(owner: &str, next: &str, types: &[u16]) -> NsecRecord {
        let mut rdata = n(next).wire().to_vec();
        rdata.extend_from_slice(TypeBitmap::from_types(types).wire());
        NsecRecord::from_rdata(n(owner), &rdata).unwrap()
    }

    /// An NSEC3 record of `zone` built from its wire RDATA.
    fn nsec3_in(
        zone: &str,
        owner: &str,
        next: &str,
        types: &[u16],
        flags: u8,
        iterations: u16,
    ) -> Nsec3Record {
        let salt = [0xaa, 0xbb, 0xcc, 0xdd];
        let next = base32hex_decode(next.as_bytes()).unwrap();
        let mut rdata = vec![NSEC3_SHA1, flags];
        rdata.extend_from_slice(&iterations.to_be_bytes());
        rdata.push(salt.len() as u8);
        rdata.extend_from_slice(&salt);
        rdata.push(next.len() as u8);
        rdata.extend_from_slice(&next);
        rdata.extend_from_slice(TypeBitmap::from_types(types).wire());
        Nsec3Record::from_rdata(n(&format!("{owner}.{zone}")), &rdata).unwrap()
    }

    /// The NSEC3 chain of RFC 5155 Appendix A (all records Opt-Out, 12 iterations, salt
    /// aabbccdd), with the flags replaced by `flags`. The comment names the original owner.
    fn rfc5155_chain(flags: u8) -> Vec<Nsec3Record> {
        const MAIN: [u16; 6] = [MX, DNSKEY, NS, SOA, NSEC3PARAM, RRSIG];
        let rows: [(&str, &str, &[u16]); 12] = [
            // example
            (
                "0p9mhaveqvm6t7vbl5lop2u3t2rp3tom",
                "2t7b4g4vsa5smi47k61mv5bv1a22bojr",
                &MAIN,
            ),
            // ns1.example
            (
                "2t7b4g4vsa5smi47k61mv5bv1a22bojr",
                "2vptu5timamqttgl4luu9kg21e0aor3s",
                &[A, RRSIG],
            ),
            // x.y.w.example
            (
                "2vptu5timamqttgl4luu9kg21e0aor3s",
                "35mthgpgcu1qg68fab165klnsnk3dpvl",
                &[MX, RRSIG],
            ),
            // a.example (a signed delegation)
            (
                "35mthgpgcu1qg68fab165klnsnk3dpvl",
                "b4um86eghhds6nea196smvmlo4ors995",
                &[NS, DS, RRSIG],
            ),
            // x.w.example
            (
                "b4um86eghhds6nea196smvmlo4ors995",
                "gjeqe526plbf1g8mklp59enfd789njgi",
                &[MX, RRSIG],
            ),
            // ai.example
            (
                "gjeqe526plbf1g8mklp59enfd789njgi",
                "ji6neoaepv8b5o6k4ev33abha8ht9fgc",
                &[HINFO, A, AAAA, RRSIG],
            ),
            // y.w.example (an empty non-terminal)
            (
                "ji6neoaepv8b5o6k4ev33abha8ht9fgc",
                "k8udemvp1j2f7eg6jebps17vp3n8i58h",
                &[],
            ),
            // w.example (an empty non-terminal)
            (
                "k8udemvp1j2f7eg6jebps17vp3n8i58h",
                "kohar7mbb8dc2ce8a9qvl8hon4k53uhi",
                &[],
            ),
            // 2t7b4g4vsa5smi47k61mv5bv1a22bojr.example
            (
                "kohar7mbb8dc2ce8a9qvl8hon4k53uhi",
                "q04jkcevqvmu85r014c7dkba38o0ji5r",
                &[A, RRSIG],
            ),
            // ns2.example
            (
                "q04jkcevqvmu85r014c7dkba38o0ji5r",
                "r53bq7cc2uvmubfu5ocmm6pers9tk9en",
                &[A, RRSIG],
            ),
            // *.w.example
            (
                "r53bq7cc2uvmubfu5ocmm6pers9tk9en",
                "t644ebqk9bibcna874givr6joj62mlhv",
                &[MX, RRSIG],
            ),
            // xx.example
            (
                "t644ebqk9bibcna874givr6joj62mlhv",
                "0p9mhaveqvm6t7vbl5lop2u3t2rp3tom",
                &[HINFO, A, AAAA, RRSIG],
            ),
        ];
        rows.iter()
            .map(|(owner, next, types)| nsec3_in("example", owner, next, types, flags, 12))
            .collect()
    }

    /// The records of `chain` whose owner label starts with one of `prefixes`.
    fn pick(chain: &[Nsec3Record], prefixes: &[&str]) -> Vec<Nsec3Record> {
        chain
            .iter()
            .filter(|r| {
                let label = r.owner.label(0).unwrap();
                prefixes.iter().any(|p| label.starts_with(p.as_bytes()))
            })
            .cloned()
            .collect()
    }

    fn with3(records: &[Nsec3Record]) -> Evidence<'_> {
        Evidence {
            nsec: &[],
            nsec3: records,
        }
    }

    fn with(records: &[NsecRecord]) -> Evidence<'_> {
        Evidence {
            nsec: records,
            nsec3: &[],
        }
    }

    /// The NSEC chain of RFC 4035 Appendix A.
    fn rfc4035_chain() -> Vec<NsecRecord> {
        vec![
            nsec("example", "a.example", &[NS, SOA, MX, RRSIG, NSEC, DNSKEY]),
            nsec("a.example", "ai.example", &[NS, DS, RRSIG, NSEC]),
            nsec("ai.example", "b.example", &[A, HINFO, AAAA, RRSIG, NSEC]),
            nsec("b.example", "ns1.example", &[NS, RRSIG, NSEC]),
            nsec("ns1.example", "ns2.example", &[A, RRSIG, NSEC]),
            nsec("ns2.example", "*.w.example", &[A, RRSIG, NSEC]),
            nsec("*.w.example", "x.w.example", &[MX, RRSIG, NSEC]),
            nsec("x.w.example", "x.y.w.example", &[MX, RRSIG, NSEC]),
            nsec("x.y.w.example", "xx.example", &[MX, RRSIG, NSEC]),
            nsec("xx.example", "example", &[A, HINFO, AAAA, RRSIG, NSEC]),
        ]
    }

    fn pick_nsec(owners: &[&str]) -> Vec<NsecRecord> {
        rfc4035_chain()
            .into_iter()
            .filter(|r| owners.iter().any(|o| r.owner == n(o)))
            .collect()
    }

    fn err_code(result: Result<Proof, DenialError>) -> (u16, String) {
        let e = result.expect_err("the proof should fail");
        (e.code, e.reason)
    }

    // ---- NSEC3 hash and record format -------------------------------------------------

    #[test]
    fn rfc5155_appendix_a_hashes() {
        // The hashes listed in RFC 5155 Appendix A and B (salt aabbccdd, 12 iterations).
        let known = [
            ("example", "0p9mhaveqvm6t7vbl5lop2u3t2rp3tom"),
            ("a.example", "35mthgpgcu1qg68fab165klnsnk3dpvl"),
            ("ai.example", "gjeqe526plbf1g8mklp59enfd789njgi"),
            ("ns1.example", "2t7b4g4vsa5smi47k61mv5bv1a22bojr"),
            ("ns2.example", "q04jkcevqvmu85r014c7dkba38o0ji5r"),
            ("w.example", "k8udemvp1j2f7eg6jebps17vp3n8i58h"),
            ("*.w.example", "r53bq7cc2uvmubfu5ocmm6pers9tk9en"),
            ("x.w.example", "b4um86eghhds6nea196smvmlo4ors995"),
            ("y.w.example", "ji6neoaepv8b5o6k4ev33abha8ht9fgc"),
            ("x.y.w.example", "2vptu5timamqttgl4luu9kg21e0aor3s"),
            ("xx.example", "t644ebqk9bibcna874givr6joj62mlhv"),
            (
                "2t7b4g4vsa5smi47k61mv5bv1a22bojr.example",
                "kohar7mbb8dc2ce8a9qvl8hon4k53uhi",
            ),
            ("c.x.w.example", "0va5bpr2ou0vk0lbqeeljri88laipsfh"),
            ("*.x.w.example", "92pqneegtaue7pjatc3l3qnk738c6v5m"),
            ("c.example", "4g6p9u5gvfshp30pqecj98b3maqbn1ck"),
            ("z.w.example", "qlu7gtfaeh0ek0c05ksfhdpbcgglbe03"),
        ];
        for (name, hash) in known {
            let h = nsec3_hash(&n(name), &[0xaa, 0xbb, 0xcc, 0xdd], 12);
            assert_eq!(base32hex_encode(&h), hash, "H({name})");
            assert_eq!(base32hex_decode(hash.as_bytes()).unwrap(), h.to_vec());
        }
        // Case does not matter: names are canonical (lowercase) before hashing.
        assert_eq!(
            nsec3_hash(&n("NS1.Example"), &[0xaa, 0xbb, 0xcc, 0xdd], 12),
            nsec3_hash(&n("ns1.example"), &[0xaa, 0xbb, 0xcc, 0xdd], 12)
        );
    }

    #[test]
    fn base32hex_refuses_what_no_encoder_writes() {
        assert_eq!(base32hex_encode(b"f"), "co");
        assert_eq!(base32hex_encode(b"foobar"), "cpnmuoj1e8");
        assert_eq!(base32hex_decode(b"CPNMUOJ1E8").unwrap(), b"foobar");
        assert!(
            base32hex_decode(b"w0").is_none(),
            "w is outside the alphabet"
        );
        assert!(base32hex_decode(b"cp").is_none(), "nonzero trailing bits");
        assert!(base32hex_decode(b"c").is_none(), "a lone character");
        assert!(base32hex_decode(b"co=").is_none(), "padding");
    }

    #[test]
    fn rfc5155_3_2_nsec3_rdata_is_read_strictly() {
        let good = &rfc5155_chain(1)[0];
        assert!(good.opt_out() && good.iterations == 12 && good.salt == [0xaa, 0xbb, 0xcc, 0xdd]);
        assert!(good.types.contains(SOA) && !good.types.contains(DS));
        let owner = good.owner.clone();
        let mut rdata = vec![1, 0, 0, 12, 4, 0xaa, 0xbb, 0xcc, 0xdd, 20];
        rdata.extend_from_slice(&good.next_hashed);
        rdata.extend_from_slice(&[0x00, 0x01, 0x40]);
        assert!(Nsec3Record::from_rdata(owner.clone(), &rdata).is_ok());
        let cases: [(Vec<u8>, &str); 5] = [
            (rdata[..4].to_vec(), "shorter than its fixed fields"),
            (rdata[..25].to_vec(), "next hashed owner runs past the end"),
            ([&rdata[..], &[0x00]].concat(), "window header cut short"),
            ([&rdata[..], &[0x00, 0x01, 0x40]].concat(), "not ascending"),
            (
                [&[1, 0, 0, 12, 4, 0xaa, 0xbb, 0xcc, 0xdd, 19][..], &[0; 19]].concat(),
                "SHA-1 next hashed owner of 19 bytes",
            ),
        ];
        for (wire, why) in cases {
            let e = Nsec3Record::from_rdata(owner.clone(), &wire).unwrap_err();
            assert_eq!(e.code, ede::DNSSEC_BOGUS);
            assert!(e.reason.contains(why), "{why}: {}", e.reason);
        }
        let e = Nsec3Record::from_rdata(n("not-base32.example"), &rdata).unwrap_err();
        assert!(e.reason.contains("base32hex"), "{}", e.reason);
    }

    #[test]
    fn rfc4034_4_2_nsec_rdata_is_read_strictly() {
        let record = nsec("b.example", "ns1.example", &[NS, RRSIG, NSEC]);
        assert_eq!(record.next, n("ns1.example"));
        let mut rdata = n("ns1.example").wire().to_vec();
        rdata.extend_from_slice(&[0x00, 0x00]);
        let e = NsecRecord::from_rdata(n("b.example"), &rdata).unwrap_err();
        assert!(
            e.code == ede::DNSSEC_BOGUS && e.reason.contains("length 0"),
            "{e}"
        );
        let e = NsecRecord::from_rdata(n("b.example"), &[3, b'n', b's']).unwrap_err();
        assert!(e.reason.contains("next name"), "{e}");
    }

    // ---- RFC 5155 Appendix B, with the zone's Opt-Out flag (1) and without it (0) --------

    #[test]
    fn rfc5155_b1_name_error() {
        let qname = n("a.c.x.w.example");
        // The three records of B.1: covers c.x.w.example, matches x.w.example, covers
        // *.x.w.example. The next closer's record is Opt-Out: no AD (RFC 5155 §9.2).
        for (flags, status) in [(1, DenialStatus::Insecure), (0, DenialStatus::Secure)] {
            let records = pick(&rfc5155_chain(flags), &["0p9m", "b4um", "35mt"]);
            let proof = prove_nxdomain(&n("example"), &qname, with3(&records)).unwrap();
            assert_eq!(proof.kind, ProofKind::NxDomain);
            assert_eq!(proof.status, status, "{}", proof.reason);
            assert_eq!(proof.closest_encloser, Some(n("x.w.example")));
        }
    }

    #[test]
    fn rfc5155_8_4_name_error_without_each_record_fails() {
        // val_nsec3_b1_nameerror_{noce,nonc,nowc}: leave out each of B.1's records.
        let chain = rfc5155_chain(0);
        let qname = n("a.c.x.w.example");
        for (kept, why) in [
            (["0p9m", "35mt"], "matches example. but no NSEC3 covers"),
            (["b4um", "35mt"], "matches x.w.example. but no NSEC3 covers"),
            (
                ["0p9m", "b4um"],
                "no NSEC3 covers the wildcard *.x.w.example.",
            ),
        ] {
            let records = pick(&chain, &kept);
            let (code, reason) = err_code(prove_nxdomain(&n("example"), &qname, with3(&records)));
            assert!(reason.contains(why), "{kept:?}: {reason}");
            assert!(code == ede::NSEC_MISSING || code == ede::DNSSEC_BOGUS);
        }
    }

    #[test]
    fn rfc5155_8_4_name_error_for_an_existing_name_is_bogus() {
        let chain = rfc5155_chain(0);
        let (code, reason) = err_code(prove_nxdomain(
            &n("example"),
            &n("ns1.example"),
            with3(&chain),
        ));
        assert_eq!(code, ede::DNSSEC_BOGUS);
        assert!(reason.contains("the name exists"), "{reason}");
        // z.w.example does not exist, but the wildcard *.w.example at its closest encloser
        // does: a name error there is wrong.
        let (code, reason) = err_code(prove_nxdomain(
            &n("example"),
            &n("z.w.example"),
            with3(&chain),
        ));
        assert_eq!(code, ede::DNSSEC_BOGUS);
        assert!(reason.contains("wildcard *.w.example. exists"), "{reason}");
    }

    #[test]
    fn rfc5155_b2_no_data() {
        let records = pick(&rfc5155_chain(1), &["2t7b"]);
        let proof = prove_nodata(&n("example"), &n("ns1.example"), MX, with3(&records)).unwrap();
        assert_eq!(
            (proof.kind, proof.status),
            (ProofKind::NoData, DenialStatus::Secure)
        );
        assert!(!proof.delegation);
        // The same record cannot deny A, which it lists.
        let (code, reason) = err_code(prove_nodata(
            &n("example"),
            &n("ns1.example"),
            A,
            with3(&records),
        ));
        assert_eq!(code, ede::DNSSEC_BOGUS);
        assert!(reason.contains("lists type 1"), "{reason}");
        // val_nsec3_b2_nodata_nons: no NSEC3 at all.
        let (code, _) = err_code(prove_nodata(
            &n("example"),
            &n("ns1.example"),
            MX,
            with3(&[]),
        ));
        assert_eq!(code, ede::NSEC_MISSING);
    }

    #[test]
    fn rfc5155_b2_1_no_data_empty_non_terminal() {
        let chain = rfc5155_chain(1);
        let records = pick(&chain, &["ji6n"]);
        let proof = prove_nodata(&n("example"), &n("y.w.example"), A, with3(&records)).unwrap();
        assert_eq!(
            (proof.kind, proof.status),
            (ProofKind::NoData, DenialStatus::Secure)
        );
        // val_nsec3_b21_nodataent_wr: the record of w.example instead proves nothing for y.
        let wrong = pick(&chain, &["k8ud"]);
        assert!(prove_nodata(&n("example"), &n("y.w.example"), A, with3(&wrong)).is_err());
    }

    #[test]
    fn rfc5155_b3_referral_to_an_opt_out_unsigned_zone() {
        let records = pick(&rfc5155_chain(1), &["35mt", "0p9m"]);
        let proof = prove_no_ds(&n("example"), &n("c.example"), with3(&records)).unwrap();
        assert_eq!(
            (proof.kind, proof.status),
            (ProofKind::NoDs, DenialStatus::Insecure)
        );
        assert_eq!(proof.closest_encloser, Some(n("example")));
        // A DS query at c.example gets the same insecure NODATA (RFC 5155 §8.6).
        let proof = prove_nodata(&n("example"), &n("c.example"), DS, with3(&records)).unwrap();
        assert_eq!(proof.status, DenialStatus::Insecure);
        // Without Opt-Out the same records do not deny the DS (§8.9).
        let strict = pick(&rfc5155_chain(0), &["35mt", "0p9m"]);
        let (code, reason) = err_code(prove_no_ds(&n("example"), &n("c.example"), with3(&strict)));
        assert_eq!(code, ede::DNSSEC_BOGUS);
        assert!(reason.contains("not Opt-Out"), "{reason}");
        assert!(prove_nodata(&n("example"), &n("c.example"), DS, with3(&strict)).is_err());
        // val_nsec3_b3_optout_{noce,nonc}.
        for kept in ["35mt", "0p9m"] {
            let records = pick(&rfc5155_chain(1), &[kept]);
            assert!(
                prove_no_ds(&n("example"), &n("c.example"), with3(&records)).is_err(),
                "{kept}"
            );
        }
    }

    #[test]
    fn rfc5155_8_9_signed_delegation_has_no_insecure_proof() {
        // a.example's record lists DS.
        let records = pick(&rfc5155_chain(1), &["35mt"]);
        let (code, reason) = err_code(prove_no_ds(&n("example"), &n("a.example"), with3(&records)));
        assert_eq!(code, ede::DNSSEC_BOGUS);
        assert!(reason.contains("lists DS"), "{reason}");
    }

    #[test]
    fn rfc5155_b4_wildcard_expansion() {
        for (flags, status) in [(1, DenialStatus::Insecure), (0, DenialStatus::Secure)] {
            let records = pick(&rfc5155_chain(flags), &["q04j"]);
            let proof =
                prove_wildcard_answer(&n("example"), &n("a.z.w.example"), 2, with3(&records))
                    .unwrap();
            assert_eq!(
                (proof.kind, proof.status),
                (ProofKind::WildcardAnswer, status)
            );
            assert_eq!(proof.closest_encloser, Some(n("w.example")));
        }
        // The same records do not show that x.w.example, which exists, came from *.w.example.
        let chain = rfc5155_chain(0);
        let (code, reason) = err_code(prove_wildcard_answer(
            &n("example"),
            &n("a.x.w.example"),
            2,
            with3(&chain),
        ));
        assert_eq!(code, ede::DNSSEC_BOGUS);
        assert!(reason.contains("x.w.example. exists"), "{reason}");
        let (code, _) = err_code(prove_wildcard_answer(
            &n("example"),
            &n("a.z.w.example"),
            2,
            with3(&[]),
        ));
        assert_eq!(code, ede::NSEC_MISSING);
        // RRSIG labels not below the owner's label count: nothing to prove.
        assert!(
            prove_wildcard_answer(&n("example"), &n("a.z.w.example"), 4, with3(&chain)).is_err()
        );
    }

    #[test]
    fn rfc5155_b5_wildcard_no_data() {
        for (flags, status) in [(1, DenialStatus::Insecure), (0, DenialStatus::Secure)] {
            let records = pick(&rfc5155_chain(flags), &["k8ud", "q04j", "r53b"]);
            let proof =
                prove_nodata(&n("example"), &n("a.z.w.example"), AAAA, with3(&records)).unwrap();
            assert_eq!(
                (proof.kind, proof.status),
                (ProofKind::WildcardNoData, status)
            );
            assert_eq!(proof.closest_encloser, Some(n("w.example")));
            // The wildcard has MX.
            let (code, _) = err_code(prove_nodata(
                &n("example"),
                &n("a.z.w.example"),
                MX,
                with3(&records),
            ));
            assert_eq!(code, ede::DNSSEC_BOGUS);
        }
        // val_nsec3_b5_wcnodata_nowc: without the wildcard's record, Opt-Out makes it
        // insecure, not bogus; without Opt-Out it fails.
        let records = pick(&rfc5155_chain(1), &["k8ud", "q04j"]);
        let proof =
            prove_nodata(&n("example"), &n("a.z.w.example"), AAAA, with3(&records)).unwrap();
        assert_eq!(
            (proof.kind, proof.status),
            (ProofKind::NoData, DenialStatus::Insecure)
        );
        let records = pick(&rfc5155_chain(0), &["k8ud", "q04j"]);
        assert!(prove_nodata(&n("example"), &n("a.z.w.example"), AAAA, with3(&records)).is_err());
        // val_nsec3_b5_wcnodata_{noce,nonc}.
        for kept in [["q04j", "r53b"], ["k8ud", "r53b"]] {
            let records = pick(&rfc5155_chain(1), &kept);
            assert!(
                prove_nodata(&n("example"), &n("a.z.w.example"), AAAA, with3(&records)).is_err(),
                "{kept:?}"
            );
        }
    }

    #[test]
    fn rfc5155_b6_ds_from_the_child_apex_is_bogus() {
        // RFC 5155 B.6 / RFC 6840 §4.4: the apex record (SOA bit) cannot deny the DS.
        let records = pick(&rfc5155_chain(0), &["0p9m"]);
        let (code, reason) = err_code(prove_nodata(
            &n("example"),
            &n("example"),
            DS,
            with3(&records),
        ));
        assert_eq!(code, ede::DNSSEC_BOGUS);
        assert!(reason.contains("SOA bit"), "{reason}");
        // val_nsec3_nods_soa: nor can it pose as the parent's delegation.
        let (_, reason) = err_code(prove_no_ds(&n("."), &n("example"), with3(&records)));
        assert!(
            reason.contains("outside") || reason.contains("no NSEC"),
            "{reason}"
        );
    }

    #[test]
    fn rfc5155_8_3_closest_encloser_at_a_delegation_is_bogus() {
        // a.example is a delegation (NS without SOA): its record cannot be the closest
        // encloser of a name below it. Build a chain where x.a.example hashes into a span.
        let chain = rfc5155_chain(0);
        let qname = n("x.a.example");
        let (code, reason) = err_code(prove_nxdomain(&n("example"), &qname, with3(&chain)));
        assert_eq!(code, ede::DNSSEC_BOGUS);
        assert!(reason.contains("delegation or DNAME"), "{reason}");
    }

    // ---- NSEC3 limits and parameters ---------------------------------------------------

    /// A one-record chain of `zone` (owner H(zone) pointing to itself: covers every other
    /// hash) with `iterations`.
    fn single(zone: &str, iterations: u16, flags: u8) -> Nsec3Record {
        let h = base32hex_encode(&nsec3_hash(&n(zone), &[0xaa, 0xbb, 0xcc, 0xdd], iterations));
        nsec3_in(
            zone,
            &h,
            &h,
            &[NS, SOA, RRSIG, DNSKEY, NSEC3PARAM],
            flags,
            iterations,
        )
    }

    // D32: NSEC3 iterations above 100 are insecure, above 500 bogus.
    #[test]
    fn rfc9276_3_2_iterations_above_100_are_insecure_and_above_500_bogus() {
        let qname = n("nope.example");
        let proof =
            prove_nxdomain(&n("example"), &qname, with3(&[single("example", 100, 0)])).unwrap();
        assert_eq!(proof.status, DenialStatus::Secure, "{}", proof.reason);
        let proof =
            prove_nxdomain(&n("example"), &qname, with3(&[single("example", 150, 0)])).unwrap();
        assert_eq!(proof.status, DenialStatus::Insecure);
        assert_eq!(proof.ede, Some(ede::UNSUPPORTED_NSEC3_ITERATIONS));
        assert_eq!(proof.closest_encloser, None, "nothing was hashed or proven");
        let (code, reason) = err_code(prove_nxdomain(
            &n("example"),
            &qname,
            with3(&[single("example", 600, 0)]),
        ));
        assert_eq!(code, ede::UNSUPPORTED_NSEC3_ITERATIONS);
        assert!(reason.contains("600"), "{reason}");
        // The limits are the documented ones.
        assert_eq!(
            (MAX_SECURE_NSEC3_ITERATIONS, MAX_NSEC3_ITERATIONS),
            (100, 500)
        );
    }

    #[test]
    fn cve_2023_50868_hash_computations_are_capped() {
        // Every ancestor of qname down to the zone is hashed, plus the wildcard: a name 30
        // labels below the zone needs 32 hashes, one 31 labels below needs 33.
        let record = single("example", 0, 0);
        let deep = |labels: usize| n(&format!("{}example", "a.".repeat(labels)));
        let proof = prove_nxdomain(
            &n("example"),
            &deep(30),
            with3(std::slice::from_ref(&record)),
        )
        .unwrap();
        assert_eq!(proof.closest_encloser, Some(n("example")));
        let (code, reason) = err_code(prove_nxdomain(
            &n("example"),
            &deep(31),
            with3(std::slice::from_ref(&record)),
        ));
        assert_eq!(code, ede::DNSSEC_BOGUS);
        assert!(
            reason.contains(&format!("more than {MAX_NSEC3_HASHES} NSEC3 hashes")),
            "{reason}"
        );
    }

    #[test]
    fn too_many_records_are_refused() {
        let many: Vec<Nsec3Record> = (0..=MAX_DENIAL_RECORDS)
            .map(|_| single("example", 0, 0))
            .collect();
        let (code, reason) = err_code(prove_nxdomain(&n("example"), &n("x.example"), with3(&many)));
        assert_eq!(code, ede::DNSSEC_BOGUS);
        assert!(reason.contains("17 NSEC3 records"), "{reason}");
        assert!(prove_nxdomain(&n("example"), &n("x.example"), with3(&many[1..])).is_ok());
        let nsecs: Vec<NsecRecord> = (0..=MAX_DENIAL_RECORDS)
            .map(|_| nsec("example", "example", &[SOA]))
            .collect();
        let (_, reason) = err_code(prove_nxdomain(&n("example"), &n("x.example"), with(&nsecs)));
        assert!(reason.contains("17 NSEC records"), "{reason}");
    }

    #[test]
    fn rfc5155_8_1_unknown_hash_algorithm_is_insecure_and_bad_flags_ignored() {
        let mut record = single("example", 0, 0);
        record.hash_algorithm = 2;
        let proof = prove_nxdomain(
            &n("example"),
            &n("x.example"),
            with3(std::slice::from_ref(&record)),
        )
        .unwrap();
        assert_eq!(proof.status, DenialStatus::Insecure);
        assert!(proof.reason.contains("algorithm 2"), "{}", proof.reason);
        // §8.2: flags other than 0 and 1 make the record unusable.
        let mut record = single("example", 0, 0);
        record.flags = 2;
        let (code, _) = err_code(prove_nxdomain(
            &n("example"),
            &n("x.example"),
            with3(&[record]),
        ));
        assert_eq!(code, ede::NSEC_MISSING);
    }

    #[test]
    fn nsec3_of_another_zone_proves_nothing() {
        // The records of example.org cannot deny names in example, nor can a record of
        // example deny a name of example.org.
        let other = single("example.org", 0, 0);
        let (code, _) = err_code(prove_nxdomain(
            &n("example"),
            &n("x.example"),
            with3(std::slice::from_ref(&other)),
        ));
        assert_eq!(code, ede::NSEC_MISSING);
        // Even one that would prove the name error if it were of example: its owner is
        // H(example) and it covers every other hash, but it lies in example.org.
        let h = base32hex_encode(&nsec3_hash(&n("example"), &[0xaa, 0xbb, 0xcc, 0xdd], 0));
        let misplaced = nsec3_in("example.org", &h, &h, &[NS, SOA], 0, 0);
        let (code, _) = err_code(prove_nxdomain(
            &n("example"),
            &n("x.example"),
            with3(std::slice::from_ref(&misplaced)),
        ));
        assert_eq!(code, ede::NSEC_MISSING);
        let placed = nsec3_in("example", &h, &h, &[NS, SOA], 0, 0);
        assert!(prove_nxdomain(&n("example"), &n("x.example"), with3(&[placed])).is_ok());
        let (code, reason) = err_code(prove_nxdomain(
            &n("example"),
            &n("x.example.org"),
            with3(&[other]),
        ));
        assert_eq!(code, ede::DNSSEC_BOGUS);
        assert!(reason.contains("outside the zone"), "{reason}");
    }

    // ---- NSEC: RFC 4035 Appendix B -----------------------------------------------------

    #[test]
    fn rfc4035_b2_name_error() {
        let records = pick_nsec(&["b.example", "example"]);
        let proof = prove_nxdomain(&n("example"), &n("ml.example"), with(&records)).unwrap();
        assert_eq!(
            (proof.kind, proof.status),
            (ProofKind::NxDomain, DenialStatus::Secure)
        );
        assert_eq!(proof.closest_encloser, Some(n("example")));
    }

    #[test]
    fn rfc4035_5_4_name_error_without_wildcard_denial_fails() {
        // val_nx_nowc: the record covering ml.example alone leaves *.example open.
        let records = pick_nsec(&["b.example"]);
        let (code, reason) = err_code(prove_nxdomain(
            &n("example"),
            &n("ml.example"),
            with(&records),
        ));
        assert_eq!(code, ede::NSEC_MISSING);
        assert!(reason.contains("*.example."), "{reason}");
        // val_nx_nodeny: nothing covers the name.
        let records = pick_nsec(&["example"]);
        assert!(prove_nxdomain(&n("example"), &n("ml.example"), with(&records)).is_err());
    }

    #[test]
    fn rfc4035_5_4_nsec_that_proves_the_name_exists() {
        let records = pick_nsec(&["ns1.example", "example"]);
        let (code, reason) = err_code(prove_nxdomain(
            &n("example"),
            &n("ns1.example"),
            with(&records),
        ));
        assert_eq!(code, ede::DNSSEC_BOGUS);
        assert!(reason.contains("exists"), "{reason}");
        // y.w.example owns nothing but x.y.w.example lies below it: an empty non-terminal,
        // so a name error is bogus and NODATA is proven.
        let records = pick_nsec(&["x.w.example", "example"]);
        let (_, reason) = err_code(prove_nxdomain(
            &n("example"),
            &n("y.w.example"),
            with(&records),
        ));
        assert!(reason.contains("empty non-terminal"), "{reason}");
        let proof = prove_nodata(&n("example"), &n("y.w.example"), A, with(&records)).unwrap();
        assert_eq!(
            (proof.kind, proof.status),
            (ProofKind::NoData, DenialStatus::Secure)
        );
        // A name under *.w.example's parent: the wildcard exists, so no name error.
        let records = pick_nsec(&["x.y.w.example", "*.w.example"]);
        let (_, reason) = err_code(prove_nxdomain(
            &n("example"),
            &n("a.z.w.example"),
            with(&records),
        ));
        assert!(reason.contains("wildcard *.w.example. exists"), "{reason}");
    }

    #[test]
    fn rfc4035_b2_wrapping_last_record() {
        // zz.example sorts after xx.example, the last name: the record wrapping to the apex
        // covers it; *.example sorts between example and a.example.
        let records = pick_nsec(&["xx.example", "example"]);
        let proof = prove_nxdomain(&n("example"), &n("zz.example"), with(&records)).unwrap();
        assert_eq!(proof.status, DenialStatus::Secure);
    }

    #[test]
    fn rfc4035_b3_no_data() {
        let records = pick_nsec(&["ns1.example"]);
        let proof = prove_nodata(&n("example"), &n("ns1.example"), MX, with(&records)).unwrap();
        assert_eq!(
            (proof.kind, proof.status),
            (ProofKind::NoData, DenialStatus::Secure)
        );
        let (code, reason) = err_code(prove_nodata(
            &n("example"),
            &n("ns1.example"),
            A,
            with(&records),
        ));
        assert_eq!(code, ede::DNSSEC_BOGUS);
        assert!(reason.contains("lists type 1"), "{reason}");
        // A CNAME at the name means the answer should have followed it.
        let cname = [nsec("c.example", "d.example", &[CNAME, RRSIG, NSEC])];
        let (_, reason) = err_code(prove_nodata(
            &n("example"),
            &n("c.example"),
            A,
            with(&cname),
        ));
        assert!(reason.contains("CNAME"), "{reason}");
        // Names that do not exist get no NODATA: the records prove a name error.
        let records = pick_nsec(&["b.example", "example"]);
        let (code, _) = err_code(prove_nodata(
            &n("example"),
            &n("ml.example"),
            A,
            with(&records),
        ));
        assert_eq!(code, ede::DNSSEC_BOGUS);
    }

    #[test]
    fn rfc4035_b5_referral_to_unsigned_zone() {
        let records = pick_nsec(&["b.example"]);
        let proof = prove_no_ds(&n("example"), &n("b.example"), with(&records)).unwrap();
        assert_eq!(
            (proof.kind, proof.status),
            (ProofKind::NoDs, DenialStatus::Secure)
        );
        assert!(proof.delegation);
        // The DS NODATA at the same name says it is a zone cut.
        let proof = prove_nodata(&n("example"), &n("b.example"), DS, with(&records)).unwrap();
        assert!(proof.delegation && proof.status == DenialStatus::Secure);
        // A signed delegation lists DS; a name without NS is no delegation.
        let (_, reason) = err_code(prove_no_ds(
            &n("example"),
            &n("a.example"),
            with(&pick_nsec(&["a.example"])),
        ));
        assert!(reason.contains("lists DS"), "{reason}");
        let (_, reason) = err_code(prove_no_ds(
            &n("example"),
            &n("ns1.example"),
            with(&pick_nsec(&["ns1.example"])),
        ));
        assert!(reason.contains("no NS bit"), "{reason}");
        let proof = prove_nodata(
            &n("example"),
            &n("ns1.example"),
            DS,
            with(&pick_nsec(&["ns1.example"])),
        )
        .unwrap();
        assert!(!proof.delegation);
    }

    #[test]
    fn rfc6840_4_4_parent_nsec_cannot_deny_child_apex_data() {
        // val_nodata_zonecut: b.example's parent-side record (NS, no SOA) used to deny
        // b.example A, which only the child zone can say.
        let records = pick_nsec(&["b.example"]);
        let (code, reason) = err_code(prove_nodata(
            &n("example"),
            &n("b.example"),
            A,
            with(&records),
        ));
        assert_eq!(code, ede::DNSSEC_BOGUS);
        assert!(reason.contains("parent side"), "{reason}");
        // RFC 4035 B.8: the child's apex record (SOA) used to deny DS.
        let records = pick_nsec(&["example"]);
        let (_, reason) = err_code(prove_nodata(
            &n("example"),
            &n("example"),
            DS,
            with(&records),
        ));
        assert!(reason.contains("SOA bit"), "{reason}");
        let (_, reason) = err_code(prove_no_ds(&n("."), &n("example"), with(&records)));
        assert!(reason.contains("SOA bit"), "{reason}");
        // The root has no parent: its apex record denies its DS.
        let root = [nsec(".", "example", &[NS, SOA, RRSIG, NSEC, DNSKEY])];
        let proof = prove_nodata(&n("."), &n("."), DS, with(&root)).unwrap();
        assert_eq!(
            (proof.status, proof.delegation),
            (DenialStatus::Secure, false)
        );
    }

    #[test]
    fn rfc6840_4_1_nsec_at_a_delegation_says_nothing_below_it() {
        // b.example -> ns1.example spans www.b.example in canonical order, but b.example is a
        // zone cut: names below it are the child's.
        let records = pick_nsec(&["b.example", "example"]);
        let (code, _) = err_code(prove_nxdomain(
            &n("example"),
            &n("www.b.example"),
            with(&records),
        ));
        assert_eq!(code, ede::NSEC_MISSING);
        // The same with a DNAME owner.
        let dname = [
            nsec("d.example", "e.example", &[DNAME, RRSIG, NSEC]),
            nsec("example", "a.example", &[SOA]),
        ];
        assert!(prove_nxdomain(&n("example"), &n("x.d.example"), with(&dname)).is_err());
    }

    #[test]
    fn rfc4035_b6_wildcard_expansion() {
        let records = pick_nsec(&["x.y.w.example"]);
        let proof =
            prove_wildcard_answer(&n("example"), &n("a.z.w.example"), 2, with(&records)).unwrap();
        assert_eq!(
            (proof.kind, proof.status),
            (ProofKind::WildcardAnswer, DenialStatus::Secure)
        );
        assert_eq!(proof.closest_encloser, Some(n("w.example")));
        // Claiming *.example as the source (labels 1) is wrong: the record shows w.example.
        let (code, reason) = err_code(prove_wildcard_answer(
            &n("example"),
            &n("a.z.w.example"),
            1,
            with(&records),
        ));
        assert_eq!(code, ede::DNSSEC_BOGUS);
        assert!(reason.contains("w.example. exists"), "{reason}");
        // An existing name cannot be a wildcard expansion.
        let records = pick_nsec(&["x.w.example"]);
        assert!(
            prove_wildcard_answer(&n("example"), &n("x.w.example"), 2, with(&records)).is_err()
        );
        // The literal wildcard owner (RRSIG labels 2 for *.w.example) is no expansion.
        let records = pick_nsec(&["*.w.example"]);
        let (_, reason) = err_code(prove_wildcard_answer(
            &n("example"),
            &n("*.w.example"),
            2,
            with(&records),
        ));
        assert!(reason.contains("no wildcard expansion"), "{reason}");
        // A wildcard above the zone.
        assert!(
            prove_wildcard_answer(&n("w.example"), &n("a.z.w.example"), 1, with(&records)).is_err()
        );
    }

    #[test]
    fn rfc4035_b7_wildcard_no_data() {
        let records = pick_nsec(&["x.y.w.example", "*.w.example"]);
        let proof = prove_nodata(&n("example"), &n("a.z.w.example"), AAAA, with(&records)).unwrap();
        assert_eq!(
            (proof.kind, proof.status),
            (ProofKind::WildcardNoData, DenialStatus::Secure)
        );
        assert_eq!(proof.closest_encloser, Some(n("w.example")));
        let (code, _) = err_code(prove_nodata(
            &n("example"),
            &n("a.z.w.example"),
            MX,
            with(&records),
        ));
        assert_eq!(code, ede::DNSSEC_BOGUS);
        // Without the wildcard's record nothing shows the wildcard lacks AAAA.
        let records = pick_nsec(&["x.y.w.example"]);
        let (code, _) = err_code(prove_nodata(
            &n("example"),
            &n("a.z.w.example"),
            AAAA,
            with(&records),
        ));
        assert_eq!(code, ede::NSEC_MISSING);
    }

    #[test]
    fn nsec_of_another_zone_proves_nothing() {
        // Covering records of example.org (a zone that is not the signer) are ignored.
        let records = [
            nsec("b.example.org", "ns1.example.org", &[NS, RRSIG, NSEC]),
            nsec("example.org", "a.example.org", &[SOA, NS]),
        ];
        let (code, _) = err_code(prove_nxdomain(
            &n("example"),
            &n("ml.example"),
            with(&records),
        ));
        assert_eq!(code, ede::NSEC_MISSING);
        // A record whose next name leaves the zone is not used either.
        let records = [
            nsec("b.example", "zzz.other", &[NS]),
            nsec("example", "a.example", &[SOA]),
        ];
        assert!(prove_nxdomain(&n("example"), &n("ml.example"), with(&records)).is_err());
        // A record wrapping to a name other than the apex is malformed.
        let records = [
            nsec("b.example", "a.example", &[NS]),
            nsec("example", "a.example", &[SOA]),
        ];
        assert!(prove_nxdomain(&n("example"), &n("ml.example"), with(&records)).is_err());
        // The right zone's records work.
        let records = pick_nsec(&["b.example", "example"]);
        assert!(prove_nxdomain(&n("example"), &n("ml.example"), with(&records)).is_ok());
        assert!(prove_nxdomain(&n("org"), &n("ml.example"), with(&records)).is_err());
    }

    #[test]
    fn rfc4592_3_3_1_an_empty_non_terminal_wildcard_still_matches() {
        // *.example owns nothing but b.b.*.example lies below it: the wildcard exists, so
        // b.example gets NODATA from it, and a name error for b.example is bogus.
        let records = [
            nsec("example", "b.b.*.example", &[NS, SOA, RRSIG, NSEC]),
            nsec("b.b.*.example", "example", &[A, RRSIG, NSEC]),
        ];
        let (code, reason) = err_code(prove_nxdomain(
            &n("example"),
            &n("b.example"),
            with(&records),
        ));
        assert_eq!(code, ede::DNSSEC_BOGUS);
        assert!(reason.contains("wildcard *.example. exists"), "{reason}");
        let proof = prove_nodata(&n("example"), &n("b.example"), A, with(&records)).unwrap();
        assert_eq!(proof.kind, ProofKind::WildcardNoData);
        // NSEC3 says the same with an empty bit map at H(*.example).
        let hashes: Vec<String> = ["example", "*.example", "b.*.example", "b.b.*.example"]
            .iter()
            .map(|name| base32hex_encode(&nsec3_hash(&n(name), &[0xaa, 0xbb, 0xcc, 0xdd], 1)))
            .collect();
        let mut order: Vec<usize> = (0..4).collect();
        order.sort_by_key(|&i| hashes[i].clone());
        let types: [&[u16]; 4] = [&[NS, SOA], &[], &[], &[A]];
        let chain: Vec<Nsec3Record> = (0..4)
            .map(|k| {
                let (i, j) = (order[k], order[(k + 1) % 4]);
                nsec3_in("example", &hashes[i], &hashes[j], types[i], 0, 1)
            })
            .collect();
        let (code, _) = err_code(prove_nxdomain(
            &n("example"),
            &n("b.example"),
            with3(&chain),
        ));
        assert_eq!(code, ede::DNSSEC_BOGUS);
        let proof = prove_nodata(&n("example"), &n("b.example"), A, with3(&chain)).unwrap();
        assert_eq!(proof.kind, ProofKind::WildcardNoData);
    }

    // ---- A model of random small zones -------------------------------------------------

    /// A deterministic xorshift generator for the model tests.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }

        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
    }

    fn random_name(rng: &mut Rng, zone: &Name, max_depth: usize) -> Name {
        let mut name = zone.clone();
        for _ in 0..=rng.below(max_depth) {
            let label: &[u8] = [b"a".as_slice(), b"b", b"c", b"*"][rng.below(4)];
            name = name.prepend(label).unwrap();
        }
        name
    }

    /// A small zone without delegations: its names with their types, and every name that
    /// exists (empty non-terminals included).
    struct Zone {
        apex: Name,
        owners: Vec<(Name, Vec<u16>)>,
        existing: Vec<Name>,
    }

    impl Zone {
        fn random(rng: &mut Rng) -> Self {
            let apex = n("example");
            let mut owners = vec![(apex.clone(), vec![NS, SOA, MX])];
            for _ in 0..1 + rng.below(7) {
                let name = random_name(rng, &apex, 3);
                if owners.iter().any(|(o, _)| *o == name) {
                    continue;
                }
                let types = if rng.below(6) == 0 {
                    vec![CNAME]
                } else if rng.below(5) == 0 && !name.is_wildcard() {
                    // A delegation, signed (DS) or not.
                    if rng.below(2) == 0 {
                        vec![NS]
                    } else {
                        vec![NS, DS]
                    }
                } else {
                    let mut t: Vec<u16> = [A, MX, TXT]
                        .into_iter()
                        .filter(|_| rng.below(2) == 0)
                        .collect();
                    if t.is_empty() {
                        t.push(A);
                    }
                    t
                };
                owners.push((name, types));
            }
            // Names below a delegation are the child's: occluded, not in this zone.
            let cuts: Vec<Name> = owners
                .iter()
                .filter(|(_, t)| t.contains(&NS) && !t.contains(&SOA))
                .map(|(o, _)| o.clone())
                .collect();
            owners.retain(|(o, _)| !cuts.iter().any(|c| is_below(o, c)));
            let mut existing: Vec<Name> = Vec::new();
            for (name, _) in &owners {
                let mut at = Some(name.clone());
                while let Some(a) = at.filter(|a| a.is_at_or_below(&apex)) {
                    if !existing.contains(&a) {
                        existing.push(a.clone());
                    }
                    at = a.parent();
                }
            }
            Self {
                apex,
                owners,
                existing,
            }
        }

        fn types(&self, name: &Name) -> Option<&[u16]> {
            self.owners
                .iter()
                .find(|(o, _)| o == name)
                .map(|(_, t)| t.as_slice())
        }

        fn is_delegation(&self, name: &Name) -> bool {
            self.types(name)
                .is_some_and(|t| t.contains(&NS) && !t.contains(&SOA))
        }

        fn below_cut(&self, name: &Name) -> bool {
            self.owners
                .iter()
                .any(|(o, _)| self.is_delegation(o) && is_below(name, o))
        }

        fn closest_encloser(&self, name: &Name) -> Name {
            let mut at = name.clone();
            while !self.existing.contains(&at) {
                at = at.parent().unwrap();
            }
            at
        }

        fn nsec_chain(&self) -> Vec<NsecRecord> {
            let mut names: Vec<&Name> = self.owners.iter().map(|(o, _)| o).collect();
            names.sort_by(|a, b| a.canonical_cmp(b));
            (0..names.len())
                .map(|i| {
                    let next = names.get(i + 1).copied().unwrap_or(&self.apex);
                    let mut types = self.types(names[i]).unwrap().to_vec();
                    if !self.is_delegation(names[i]) || types.contains(&DS) {
                        types.push(RRSIG);
                    }
                    types.push(NSEC);
                    nsec(&names[i].to_string(), &next.to_string(), &types)
                })
                .collect()
        }

        fn nsec3_chain(&self) -> Vec<Nsec3Record> {
            let salt = [0xaa, 0xbb, 0xcc, 0xdd];
            let mut hashed: Vec<([u8; SHA1_LEN], Vec<u16>)> = self
                .existing
                .iter()
                .map(|e| {
                    let mut types = self.types(e).map(<[u16]>::to_vec).unwrap_or_default();
                    if !types.is_empty() {
                        types.push(RRSIG);
                    }
                    (nsec3_hash(e, &salt, 1), types)
                })
                .collect();
            hashed.sort();
            (0..hashed.len())
                .map(|i| {
                    let next = &hashed[(i + 1) % hashed.len()].0;
                    nsec3_in(
                        "example",
                        &base32hex_encode(&hashed[i].0),
                        &base32hex_encode(next),
                        &hashed[i].1,
                        0,
                        1,
                    )
                })
                .collect()
        }
    }

    /// Compares every proof with what a random zone says, for NSEC and NSEC3 chains given
    /// whole: each proof holds exactly when the zone makes its claim true.
    #[test]
    fn proofs_agree_with_a_model_of_random_zones() {
        let mut rng = Rng(0x5eed_d0c5_2026_1201);
        let (mut checked, mut held, mut cuts) = (0usize, 0usize, [0usize; 2]);
        for _ in 0..150 {
            let zone = Zone::random(&mut rng);
            if zone.existing.len() > MAX_DENIAL_RECORDS {
                continue;
            }
            let (nsecs, nsec3s) = (zone.nsec_chain(), zone.nsec3_chain());
            for _ in 0..20 {
                let qname = if rng.below(3) == 0 {
                    zone.existing[rng.below(zone.existing.len())].clone()
                } else {
                    random_name(&mut rng, &zone.apex, 4)
                };
                let qtype = [A, MX, TXT, CNAME, DS][rng.below(5)];
                let exists = zone.existing.contains(&qname);
                let below_cut = zone.below_cut(&qname);
                let delegation = zone.is_delegation(&qname);
                let ce = zone.closest_encloser(&qname);
                let wildcard = ce.prepend(b"*").unwrap();
                // A wildcard that is an empty non-terminal still matches (RFC 4592 §3.3.1).
                let wildcard_types = zone
                    .existing
                    .contains(&wildcard)
                    .then(|| zone.types(&wildcard).unwrap_or(&[]));
                let lacks = |types: &[u16]| !types.contains(&qtype) && !types.contains(&CNAME);
                let nxdomain = !below_cut && !exists && wildcard_types.is_none();
                let nodata = !below_cut
                    && if exists {
                        // Only DS may be denied at a delegation, and never at the apex.
                        lacks(zone.types(&qname).unwrap_or(&[]))
                            && (qtype == DS || !delegation)
                            && !(qtype == DS && qname == zone.apex)
                    } else {
                        wildcard_types.is_some_and(lacks)
                    };
                let no_ds = delegation && !zone.types(&qname).unwrap_or(&[]).contains(&DS);
                for (what, evidence) in [("NSEC", with(&nsecs)), ("NSEC3", with3(&nsec3s))] {
                    let context = format!("{what} {qname} {qtype} in {:?}", zone.owners);
                    let proof = prove_nxdomain(&zone.apex, &qname, evidence);
                    assert_eq!(proof.is_ok(), nxdomain, "nxdomain {context}: {proof:?}");
                    if let Ok(p) = proof {
                        assert_eq!(p.closest_encloser.as_ref(), Some(&ce), "{context}");
                        assert_eq!(p.status, DenialStatus::Secure, "{context}");
                    }
                    // DS for a missing name: NSEC3 wants Opt-Out (RFC 5155 §8.6), so the model
                    // leaves that case out.
                    if exists || qtype != DS {
                        let proof = prove_nodata(&zone.apex, &qname, qtype, evidence);
                        assert_eq!(proof.is_ok(), nodata, "nodata {context}: {proof:?}");
                        if let Ok(p) = proof {
                            assert_eq!(p.delegation, delegation, "{context}");
                        }
                    }
                    // An expansion below a zone cut would need a signature the zone cannot make.
                    for labels in zone.apex.label_count()..qname.rrsig_labels() {
                        if below_cut {
                            break;
                        }
                        let proof =
                            prove_wildcard_answer(&zone.apex, &qname, labels as u8, evidence);
                        let holds = !exists && labels >= ce.label_count();
                        assert_eq!(
                            proof.is_ok(),
                            holds,
                            "wildcard {labels} {context}: {proof:?}"
                        );
                    }
                    if qname != zone.apex {
                        let proof = prove_no_ds(&zone.apex, &qname, evidence);
                        assert_eq!(proof.is_ok(), no_ds, "no DS {context}: {proof:?}");
                    }
                    checked += 1;
                    cuts[0] += usize::from(no_ds);
                    cuts[1] += usize::from(below_cut);
                    held += usize::from(nxdomain) + usize::from(nodata);
                }
            }
        }
        // The model exercised both outcomes often.
        assert!(checked > 2000 && held > checked / 4, "{checked} {held}");
        assert!(cuts[0] > 20 && cuts[1] > 100, "{cuts:?}");
    }

    /// Arbitrary RDATA and arbitrary record sets never panic: each reader and proof answers.
    #[test]
    fn arbitrary_records_never_panic() {
        let mut rng = Rng(0x0bad_f00d_1234_5678);
        let zone = n("example");
        let owner3 = n("0p9mhaveqvm6t7vbl5lop2u3t2rp3tom.example");
        for _ in 0..3000 {
            let len = rng.below(48);
            let bytes: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
            let _ = TypeBitmap::from_wire(&bytes);
            let _ = NsecRecord::from_rdata(n("a.example"), &bytes);
            let _ = Nsec3Record::from_rdata(owner3.clone(), &bytes);
        }
        for _ in 0..300 {
            let nsecs: Vec<NsecRecord> = (0..rng.below(5))
                .map(|_| {
                    let types: Vec<u16> = (0..rng.below(4))
                        .map(|_| [A, NS, SOA, DS, CNAME, DNAME][rng.below(6)])
                        .collect();
                    let (o, x) = (
                        random_name(&mut rng, &zone, 3),
                        random_name(&mut rng, &zone, 3),
                    );
                    nsec(&o.to_string(), &x.to_string(), &types)
                })
                .collect();
            let nsec3s: Vec<Nsec3Record> = (0..rng.below(4))
                .map(|_| {
                    let (o, x) = (
                        random_name(&mut rng, &zone, 3),
                        random_name(&mut rng, &zone, 3),
                    );
                    let types: Vec<u16> = (0..rng.below(4))
                        .map(|_| [A, NS, SOA, DS, CNAME, DNAME][rng.below(6)])
                        .collect();
                    nsec3_in(
                        "example",
                        &base32hex_encode(&nsec3_hash(&o, &[0xaa, 0xbb, 0xcc, 0xdd], 1)),
                        &base32hex_encode(&nsec3_hash(&x, &[0xaa, 0xbb, 0xcc, 0xdd], 1)),
                        &types,
                        rng.below(2) as u8,
                        1,
                    )
                })
                .collect();
            let qname = random_name(&mut rng, &zone, 4);
            for evidence in [
                with(&nsecs),
                with3(&nsec3s),
                Evidence {
                    nsec: &nsecs,
                    nsec3: &nsec3s,
                },
            ] {
                let _ = prove_nxdomain(&zone, &qname, evidence);
                let _ = prove_nodata(&zone, &qname, [A, DS, CNAME][rng.below(3)], evidence);
                let _ = prove_wildcard_answer(&zone, &qname, rng.below(4) as u8, evidence);
                let _ = prove_no_ds(&zone, &qname, evidence);
            }
        }
    }
}
