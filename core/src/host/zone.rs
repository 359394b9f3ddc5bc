//! An offline host: answers the planner's questions from RFC 1035 master files, as an
//! authoritative server would, producing wire responses that take the normal parsing path.
//!
//! Enabled by the `zone` cargo feature (it uses hickory-proto's zone parser, which needs `std`).
//! Used by the example host, the tests, the C library and the CLI for offline planning.
//!
//! Several zones make a hierarchy: each question is answered from the closest enclosing zone
//! loaded (a referral with NS, and DS or the proof of its absence, when the name is below a cut
//! whose child is not loaded; DS from the parent side). Signed zones are served with DNSSEC
//! records to queries that set DO (RFC 4035 §3.1, RFC 5155 §7.2); without DO the answers hold
//! no DNSSEC records unless asked for by type. A name below a DNAME owner gets the DNAME RRset
//! (signed with DO) and the CNAME synthesised from it, unsigned (RFC 6672 §3.2, §3.4; RFC 4035
//! §3.1.3); a substitution longer than 255 octets is YXDOMAIN (RFC 6672 §2.2).
//!
//! Bounds: CNAME/DNAME chains of at most [`MAX_CHAIN`] links; responses of at most 65535 bytes (TCP)
//! or the UDP limit (512, or the EDNS size up to 1232; with DO the additional section is
//! dropped before the answer is truncated); NSEC3 zones of at most 2500 iterations, so a
//! query costs at most (iterations + 1) × (3 × 127 + 2) SHA-1 digests; every lookup in a zone
//! is a logarithmic map search (no scan of the zone).

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Bound::{Excluded, Unbounded};

use hickory_proto::op::{Edns, Message, MessageType, OpCode, ResponseCode};
use hickory_proto::rr::rdata::CNAME;
use hickory_proto::rr::{Name, RData, Record, RecordType};
use hickory_proto::serialize::txt::Parser;

use crate::dns::Outcome;
use crate::error::{Error, ErrorCode};
use crate::plan::Discovery;

/// Largest UDP response without EDNS (RFC 1035 §4.2.1).
const UDP_LIMIT: usize = 512;
/// Largest UDP response this host sends with EDNS, whatever the client advertises.
const EDNS_LIMIT: u16 = 1232;
mod signed;

/// Longest CNAME chain followed.
pub const MAX_CHAIN: usize = 8;

/// Which transport a query came over: UDP responses are truncated to the size the query allows.
/// Parsed from `"udp"` or `"tcp"`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Transport {
    /// UDP: 512 bytes without EDNS, else the EDNS payload size (at most 1232).
    Udp,
    /// TCP: no size limit below 65535.
    Tcp,
}

impl core::str::FromStr for Transport {
    type Err = Error;
    /// `udp` or `tcp`; anything else is `INVALID_OPTION`.
    fn from_str(s: &str) -> Result<Self, Error> {
        match s {
            "udp" => Ok(Self::Udp),
            "tcp" => Ok(Self::Tcp),
            _ => Err(Error::new(
                ErrorCode::InvalidOption,
                format!("`{s}` is not a transport: use udp or tcp"),
            )),
        }
    }
}

/// One loaded zone. Names are lower case and fully qualified; maps are in canonical DNS order
/// (RFC 4034 §6.1, hickory-proto's `Name` order), so that a name's descendants follow it.
struct Zone {
    origin: Name,
    secure: bool,
    /// Every record but the RRSIGs, by owner.
    names: BTreeMap<Name, Vec<Record>>,
    /// RRSIG records by owner, with the type each covers.
    sigs: BTreeMap<Name, Vec<(RecordType, Record)>>,
    /// Owners of NSEC records.
    nsec: BTreeSet<Name>,
    /// The NSEC3 chain, when the apex has an NSEC3PARAM with SHA-1.
    nsec3: Option<Nsec3Chain>,
}

struct Nsec3Chain {
    iterations: u16,
    salt: Vec<u8>,
    /// NSEC3 owners by their hash (the first label, base32hex-decoded).
    hashes: BTreeMap<Vec<u8>, Name>,
}

/// A set of zones answering queries authoritatively.
#[derive(Default)]
pub struct ZoneHost {
    zones: Vec<Zone>,
}

fn lower(name: &Name) -> Name {
    let mut n = name.to_lowercase();
    n.set_fqdn(true);
    n
}

/// What a zone holds for a name and type (RFC 1034 §4.3.2, with wildcards per RFC 4592).
enum Found {
    /// The name is at or below the delegation point `cut`: a referral.
    Referral(Name),
    /// Records of the type; `Some(wildcard)` when synthesised from that wildcard owner.
    Answer(Vec<Record>, Option<Name>),
    /// A CNAME (synthesised from the wildcard when `Some`).
    Cname(Box<Record>, Option<Name>),
    /// The name is strictly below the owner of this DNAME (RFC 6672 §2.3).
    Dname(Box<Record>),
    /// The name exists (or matches the wildcard) without records of the type.
    NoData(Option<Name>),
    /// The name does not exist; its closest encloser.
    NxDomain(Name),
}

/// The response being built.
struct Reply {
    dnssec_ok: bool,
    answers: Vec<Record>,
    authorities: Vec<Record>,
    additionals: Vec<Record>,
}

impl Reply {
    fn push_unique(list: &mut Vec<Record>, records: Vec<Record>) {
        for r in records {
            if !list.contains(&r) {
                list.push(r);
            }
        }
    }
}

impl Zone {
    fn rrset(&self, owner: &Name, rtype: RecordType) -> Vec<Record> {
        self.names
            .get(owner)
            .map(|rs| {
                rs.iter()
                    .filter(|r| r.record_type() == rtype)
                    .cloned()
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The RRSIGs at `owner` over its `rtype` RRset.
    fn rrsigs(&self, owner: &Name, rtype: RecordType) -> Vec<Record> {
        self.sigs
            .get(owner)
            .map(|rs| {
                rs.iter()
                    .filter(|(t, _)| rtype == RecordType::RRSIG || *t == rtype)
                    .map(|(_, r)| r.clone())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// An RRset and, with DO, its signatures.
    fn signed_rrset(&self, owner: &Name, rtype: RecordType, dnssec_ok: bool) -> Vec<Record> {
        let mut out = self.rrset(owner, rtype);
        if dnssec_ok && !out.is_empty() {
            out.extend(self.rrsigs(owner, rtype));
        }
        out
    }

    /// Whether `name` owns records or has descendants (an empty non-terminal).
    fn exists(&self, name: &Name) -> bool {
        self.names.contains_key(name)
            || self
                .names
                .range((Excluded(name.clone()), Unbounded))
                .next()
                .is_some_and(|(k, _)| name.zone_of(k))
    }

    fn is_cut(&self, name: &Name) -> bool {
        *name != self.origin
            && self
                .names
                .get(name)
                .is_some_and(|rs| rs.iter().any(|r| r.record_type() == RecordType::NS))
    }

    fn find(&self, name: &Name, qtype: RecordType) -> Found {
        // Down from the apex (RFC 1034 §4.3.2, RFC 6672 §3.2): a delegation at or above the
        // name (the parent side answers DS at the cut itself), or a DNAME strictly above it.
        let labels = usize::from(name.num_labels());
        for n in usize::from(self.origin.num_labels())..=labels {
            let above = name.trim_to(n);
            if self.is_cut(&above) && !(above == *name && qtype == RecordType::DS) {
                return Found::Referral(above);
            }
            if n < labels
                && let Some(d) = self.rrset(&above, RecordType::DNAME).into_iter().next()
            {
                return Found::Dname(Box::new(d));
            }
        }
        if self.names.contains_key(name) {
            return self.at(name, name, qtype, None);
        }
        if self.exists(name) {
            return Found::NoData(None);
        }
        let mut encloser = name.base_name();
        while !self.exists(&encloser) && encloser.num_labels() > self.origin.num_labels() {
            encloser = encloser.base_name();
        }
        let Ok(wildcard) = encloser.prepend_label("*") else {
            return Found::NxDomain(encloser);
        };
        if self.names.contains_key(&wildcard) {
            return self.at(&wildcard, name, qtype, Some(wildcard.clone()));
        }
        Found::NxDomain(encloser)
    }

    /// The records at `owner` (the name itself or its wildcard) for `qtype`, owned by `name`.
    fn at(&self, owner: &Name, name: &Name, qtype: RecordType, wild: Option<Name>) -> Found {
        let rename = |mut r: Record| {
            r.name = name.clone();
            r
        };
        let direct = if qtype == RecordType::RRSIG {
            self.rrsigs(owner, qtype)
        } else {
            self.rrset(owner, qtype)
        };
        if !direct.is_empty() {
            return Found::Answer(direct.into_iter().map(rename).collect(), wild);
        }
        if let Some(c) = self.rrset(owner, RecordType::CNAME).into_iter().next() {
            return Found::Cname(Box::new(rename(c)), wild);
        }
        Found::NoData(wild)
    }

    /// The NSEC RRset (with its RRSIGs) that matches or covers `name`.
    fn nsec_for(&self, name: &Name) -> Vec<Record> {
        let owner = self
            .nsec
            .range(..=name.clone())
            .next_back()
            .or_else(|| self.nsec.last());
        owner
            .map(|o| self.signed_rrset(o, RecordType::NSEC, true))
            .unwrap_or_default()
    }

    fn nsec3_record(&self, owner: &Name) -> Vec<Record> {
        self.signed_rrset(owner, RecordType::NSEC3, true)
    }

    /// The NSEC3 RRset whose hash equals `name`'s, if any.
    fn nsec3_match(&self, chain: &Nsec3Chain, name: &Name) -> Option<Vec<Record>> {
        let h = signed::nsec3_hash(name, chain.iterations, &chain.salt);
        chain.hashes.get(&h).map(|o| self.nsec3_record(o))
    }

    /// The NSEC3 RRset whose span covers `name`'s hash.
    fn nsec3_cover(&self, chain: &Nsec3Chain, name: &Name) -> Vec<Record> {
        let h = signed::nsec3_hash(name, chain.iterations, &chain.salt);
        chain
            .hashes
            .range(..h)
            .next_back()
            .or_else(|| chain.hashes.last_key_value())
            .map(|(_, o)| self.nsec3_record(o))
            .unwrap_or_default()
    }

    /// The closest (provable) encloser proof for `name` (RFC 5155 §7.2.1): the NSEC3 matching
    /// the closest ancestor that has one and the NSEC3 covering the next closer name. Gives the
    /// records and the encloser.
    fn closest_encloser_proof(&self, chain: &Nsec3Chain, name: &Name) -> (Vec<Record>, Name) {
        let mut next_closer = name.clone();
        let mut encloser = name.base_name();
        loop {
            if let Some(m) = self.nsec3_match(chain, &encloser) {
                let mut out = m;
                out.extend(self.nsec3_cover(chain, &next_closer));
                return (out, encloser);
            }
            if encloser.num_labels() <= self.origin.num_labels() {
                return (Vec::new(), encloser);
            }
            next_closer = encloser.clone();
            encloser = encloser.base_name();
        }
    }

    /// The denial records (RFC 4035 §3.1.3, RFC 5155 §7.2) for `found` at `name`.
    fn proof(&self, name: &Name, found: &Found) -> Vec<Record> {
        if let Some(chain) = &self.nsec3 {
            return match found {
                Found::Referral(cut) => self
                    .nsec3_match(chain, cut)
                    .unwrap_or_else(|| self.closest_encloser_proof(chain, cut).0),
                Found::Answer(_, Some(w)) | Found::Cname(_, Some(w)) => {
                    // The next closer name does not exist (§7.2.6).
                    let encloser = w.base_name();
                    let next_closer = name.trim_to(usize::from(encloser.num_labels()) + 1);
                    self.nsec3_cover(chain, &next_closer)
                }
                Found::Answer(..) | Found::Cname(..) | Found::Dname(_) => Vec::new(),
                Found::NoData(None) => self
                    .nsec3_match(chain, name)
                    .unwrap_or_else(|| self.closest_encloser_proof(chain, name).0),
                Found::NoData(Some(w)) => {
                    let (mut out, _) = self.closest_encloser_proof(chain, name);
                    out.extend(self.nsec3_match(chain, w).unwrap_or_default());
                    out
                }
                Found::NxDomain(_) => {
                    let (mut out, encloser) = self.closest_encloser_proof(chain, name);
                    if let Ok(w) = encloser.prepend_label("*") {
                        out.extend(self.nsec3_cover(chain, &w));
                    }
                    out
                }
            };
        }
        if self.nsec.is_empty() {
            return Vec::new();
        }
        match found {
            Found::Referral(cut) => self.signed_rrset(cut, RecordType::NSEC, true),
            Found::Answer(_, Some(_)) | Found::Cname(_, Some(_)) => self.nsec_for(name),
            Found::Answer(..) | Found::Cname(..) | Found::Dname(_) => Vec::new(),
            Found::NoData(None) => self.nsec_for(name),
            Found::NoData(Some(w)) => {
                let mut out = self.nsec_for(name);
                out.extend(self.signed_rrset(w, RecordType::NSEC, true));
                out
            }
            Found::NxDomain(encloser) => {
                let mut out = self.nsec_for(name);
                if let Ok(w) = encloser.prepend_label("*") {
                    out.extend(self.nsec_for(&w));
                }
                out
            }
        }
    }
}

impl ZoneHost {
    /// An empty host; every query is REFUSED until a zone is added.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds the zone in master-file `text` (RFC 1035 §5). `origin` is needed when the file has
    /// no `$ORIGIN`. With `secure`, answers from this zone carry the AD bit when the query set
    /// DO or AD, as a validating resolver would for a signed zone. `$INCLUDE` is refused (the
    /// core reads no files).
    ///
    /// A signed zone (DNSKEY, RRSIG, NSEC or NSEC3 and NSEC3PARAM records, as ldns-signzone or
    /// dnssec-signzone write them) is served as an authoritative server would: to queries with
    /// the DO bit, RRSIGs with every RRset and the NSEC/NSEC3 records that prove a denial or a
    /// wildcard expansion. Signatures are served as they are, never checked or made here. A
    /// zone whose NSEC3PARAM asks for more than 2500 iterations is refused (the host hashes
    /// names with them).
    pub fn add_zone(
        &mut self,
        text: &str,
        origin: Option<&str>,
        secure: bool,
    ) -> Result<(), Error> {
        if text
            .lines()
            .any(|l| l.trim_start().to_ascii_uppercase().starts_with("$INCLUDE"))
        {
            return Err(Error::new(
                ErrorCode::ZoneParse,
                "$INCLUDE is not supported; add each zone file separately",
            ));
        }
        let origin = origin
            .map(|o| {
                Name::from_ascii(o).map_err(|e| {
                    Error::new(
                        ErrorCode::ZoneParse,
                        format!("origin `{o}` is not a name: {e}"),
                    )
                })
            })
            .transpose()?;
        let split = signed::split(text, origin.as_ref())?;
        let origin = origin.or(split.soa_owner);
        let (origin, sets) = Parser::new(&split.rest, None, origin)
            .parse()
            .map_err(|e| Error::new(ErrorCode::ZoneParse, format!("zone file: {e}")))?;
        let origin = lower(&origin);
        let mut names: BTreeMap<Name, Vec<Record>> = BTreeMap::new();
        let mut sigs: BTreeMap<Name, Vec<(RecordType, Record)>> = BTreeMap::new();
        let all = sets
            .into_values()
            .flat_map(|set| set.records_without_rrsigs().cloned().collect::<Vec<_>>())
            .chain(split.records);
        for record in all {
            let owner = lower(&record.name);
            if !origin.zone_of(&owner) {
                return Err(Error::new(
                    ErrorCode::ZoneParse,
                    format!("`{owner}` is outside the zone `{origin}`"),
                ));
            }
            if record.record_type() == RecordType::RRSIG {
                let covered = signed::covered(&record).unwrap_or(RecordType::RRSIG);
                sigs.entry(owner).or_default().push((covered, record));
            } else {
                names.entry(owner).or_default().push(record);
            }
        }
        if self.zones.iter().any(|z| z.origin == origin) {
            return Err(Error::new(
                ErrorCode::ZoneParse,
                format!("zone `{origin}` is already loaded"),
            ));
        }
        if !names
            .get(&origin)
            .is_some_and(|rs| rs.iter().any(|r| r.record_type() == RecordType::SOA))
        {
            return Err(Error::new(
                ErrorCode::ZoneParse,
                format!("zone `{origin}` has no SOA record at its origin"),
            ));
        }
        let mut nsec = BTreeSet::new();
        let mut nsec3_owners = Vec::new();
        for (owner, rs) in &names {
            for r in rs {
                match r.record_type() {
                    RecordType::NSEC => {
                        nsec.insert(owner.clone());
                    }
                    RecordType::NSEC3 => nsec3_owners.push(owner.clone()),
                    _ => {}
                }
            }
        }
        let params = names
            .get(&origin)
            .and_then(|rs| {
                rs.iter()
                    .find(|r| r.record_type() == RecordType::NSEC3PARAM)
            })
            .and_then(signed::nsec3_params);
        let nsec3 = match params {
            Some((iterations, _)) if iterations > signed::MAX_NSEC3_ITERATIONS => {
                return Err(Error::new(
                    ErrorCode::ZoneParse,
                    format!(
                        "zone `{origin}` uses {iterations} NSEC3 iterations; at most {} are served",
                        signed::MAX_NSEC3_ITERATIONS
                    ),
                ));
            }
            Some((iterations, salt)) => {
                let mut hashes = BTreeMap::new();
                for owner in nsec3_owners {
                    let label = owner.iter().next().unwrap_or_default();
                    let hash = core::str::from_utf8(label)
                        .ok()
                        .and_then(signed::base32hex)
                        .ok_or_else(|| {
                            Error::new(
                                ErrorCode::ZoneParse,
                                format!("NSEC3 owner `{owner}` is not a base32hex hash"),
                            )
                        })?;
                    hashes.insert(hash, owner);
                }
                Some(Nsec3Chain {
                    iterations,
                    salt,
                    hashes,
                })
            }
            None => None,
        };
        self.zones.push(Zone {
            origin,
            secure,
            names,
            sigs,
            nsec,
            nsec3,
        });
        Ok(())
    }

    /// The closest enclosing zone of `name`; for DS at a zone's apex, the parent's zone when it
    /// is loaded (DS lives on the parent side of a cut, RFC 4035 §3.1.4.1).
    fn zone_for(&self, name: &Name, qtype: RecordType) -> Option<&Zone> {
        let closest = self
            .zones
            .iter()
            .filter(|z| z.origin.zone_of(name))
            .max_by_key(|z| z.origin.num_labels())?;
        if qtype == RecordType::DS && closest.origin == *name && !name.is_root() {
            let parent = self
                .zones
                .iter()
                .filter(|z| z.origin.zone_of(name) && z.origin != *name)
                .max_by_key(|z| z.origin.num_labels());
            if let Some(p) = parent {
                return Some(p);
            }
        }
        Some(closest)
    }

    fn records(&self, name: &Name, rtype: RecordType, dnssec_ok: bool) -> Vec<Record> {
        self.zone_for(name, rtype)
            .map(|z| z.signed_rrset(name, rtype, dnssec_ok))
            .unwrap_or_default()
    }

    /// Answers one wire-format `query` received over `transport`.
    pub fn answer(&self, query: &[u8], transport: Transport) -> Result<Vec<u8>, Error> {
        let q = Message::from_vec(query).map_err(|e| {
            Error::new(
                ErrorCode::InvalidQuery,
                format!("query does not parse: {e}"),
            )
        })?;
        let [question] = q.queries.as_slice() else {
            return Err(Error::new(
                ErrorCode::InvalidQuery,
                "the query must hold one question",
            ));
        };
        let mut r = Message::new(q.metadata.id, MessageType::Response, OpCode::Query);
        r.metadata.recursion_desired = q.metadata.recursion_desired;
        // Copied from the query (RFC 4035 §3.1.6).
        r.metadata.checking_disabled = q.metadata.checking_disabled;
        r.add_query(question.clone());
        let dnssec_ok = q.edns.as_ref().is_some_and(|e| e.flags().dnssec_ok);
        if q.edns.is_some() {
            let mut out = Edns::new();
            out.set_max_payload(EDNS_LIMIT);
            out.set_dnssec_ok(dnssec_ok);
            r.set_edns(out);
        }
        let payload = q.edns.as_ref().map(|e| e.max_payload());
        let qname = lower(question.name());
        let qtype = question.query_type();
        let Some(zone) = self.zone_for(&qname, qtype) else {
            r.metadata.response_code = ResponseCode::Refused;
            return encode(&r, payload, transport, false);
        };
        r.metadata.authoritative = true;
        let wants_ad = q.metadata.authentic_data || dnssec_ok;
        r.metadata.authentic_data = zone.secure && wants_ad;
        let mut reply = Reply {
            dnssec_ok,
            answers: Vec::new(),
            authorities: Vec::new(),
            additionals: Vec::new(),
        };
        let (rcode, authoritative) = self.answer_section(&mut reply, qname, qtype);
        r.metadata.response_code = rcode;
        r.metadata.authoritative = authoritative;
        self.additional_section(&mut reply);
        r.add_answers(reply.answers);
        r.add_authorities(reply.authorities);
        r.add_additionals(reply.additionals);
        encode(&r, payload, transport, dnssec_ok)
    }

    /// The answer and authority sections for `qname`/`qtype`, following CNAMEs and DNAMEs
    /// within the zones (at most [`MAX_CHAIN`] links); gives the response code and whether the answer is
    /// authoritative (not a referral).
    fn answer_section(
        &self,
        reply: &mut Reply,
        qname: Name,
        qtype: RecordType,
    ) -> (ResponseCode, bool) {
        let mut name = qname;
        for step in 0..MAX_CHAIN {
            let Some(zone) = self.zone_for(&name, qtype) else {
                break;
            };
            let dnssec = reply.dnssec_ok;
            let found = zone.find(&name, qtype);
            let proof = || {
                if dnssec {
                    zone.proof(&name, &found)
                } else {
                    Vec::new()
                }
            };
            let soa = || zone.signed_rrset(&zone.origin, RecordType::SOA, dnssec);
            // RRSIGs of a (possibly wildcard-synthesised) RRset, owned by the name asked.
            let sigs = |wild: &Option<Name>, rtype: RecordType| -> Vec<Record> {
                if !dnssec {
                    return Vec::new();
                }
                let owner = wild.as_ref().unwrap_or(&name);
                zone.rrsigs(owner, rtype)
                    .into_iter()
                    .map(|mut r| {
                        r.name = name.clone();
                        r
                    })
                    .collect()
            };
            match &found {
                Found::Referral(cut) => {
                    if step > 0 {
                        // An alias into a zone this host does not serve: the chain ends here.
                        return (ResponseCode::NoError, true);
                    }
                    reply.authorities.extend(zone.rrset(cut, RecordType::NS));
                    // DS (or the proof of its absence) only for DO (RFC 4035 §3.1.4).
                    let ds = if dnssec {
                        zone.signed_rrset(cut, RecordType::DS, true)
                    } else {
                        Vec::new()
                    };
                    if ds.is_empty() {
                        reply.authorities.extend(proof());
                    } else {
                        reply.authorities.extend(ds);
                    }
                    // Glue: addresses of name servers at or below the cut.
                    for ns in zone.rrset(cut, RecordType::NS) {
                        if let RData::NS(target) = &ns.data {
                            let target = lower(&target.0);
                            if cut.zone_of(&target) {
                                reply.additionals.extend(zone.rrset(&target, RecordType::A));
                                reply
                                    .additionals
                                    .extend(zone.rrset(&target, RecordType::AAAA));
                            }
                        }
                    }
                    return (ResponseCode::NoError, false);
                }
                Found::Answer(records, wild) => {
                    let rtype = records.first().map_or(qtype, Record::record_type);
                    reply.answers.extend(records.iter().cloned());
                    if qtype != RecordType::RRSIG {
                        reply.answers.extend(sigs(wild, rtype));
                    }
                    Reply::push_unique(&mut reply.authorities, proof());
                    return (ResponseCode::NoError, true);
                }
                Found::Cname(cname, wild) => {
                    reply.answers.push((**cname).clone());
                    reply.answers.extend(sigs(wild, RecordType::CNAME));
                    Reply::push_unique(&mut reply.authorities, proof());
                    let RData::CNAME(c) = &cname.data else {
                        break;
                    };
                    name = lower(&c.0);
                }
                Found::Dname(dname) => {
                    // The signed DNAME, then the CNAME synthesised from it: unsigned, with
                    // the DNAME's TTL (RFC 6672 §3.4, §5.3.1; RFC 4035 §3.1.3).
                    let owner = lower(&dname.name);
                    reply.answers.push((**dname).clone());
                    if dnssec {
                        reply.answers.extend(zone.rrsigs(&owner, RecordType::DNAME));
                    }
                    let Some(target) =
                        signed::dname_target(dname).and_then(|t| substitute(&name, &owner, &t))
                    else {
                        return (ResponseCode::YXDomain, true);
                    };
                    let mut cname = Record::from_rdata(
                        name.clone(),
                        dname.ttl,
                        RData::CNAME(CNAME(target.clone())),
                    );
                    cname.dns_class = dname.dns_class;
                    reply.answers.push(cname);
                    name = target;
                }
                Found::NoData(_) => {
                    Reply::push_unique(&mut reply.authorities, soa());
                    Reply::push_unique(&mut reply.authorities, proof());
                    return (ResponseCode::NoError, true);
                }
                Found::NxDomain(_) => {
                    Reply::push_unique(&mut reply.authorities, soa());
                    Reply::push_unique(&mut reply.authorities, proof());
                    return (ResponseCode::NXDomain, true);
                }
            }
        }
        (ResponseCode::NoError, true)
    }

    /// The additional section: addresses (and aliases) of the in-zone SRV targets, with their
    /// signatures when the query set DO.
    fn additional_section(&self, reply: &mut Reply) {
        let targets: Vec<Name> = reply
            .answers
            .iter()
            .filter_map(|rec| match &rec.data {
                RData::SRV(s) if !s.target.is_root() => Some(lower(&s.target)),
                _ => None,
            })
            .collect();
        let dnssec = reply.dnssec_ok;
        let mut seen = BTreeSet::new();
        for target in targets {
            let mut host = target;
            for _ in 0..MAX_CHAIN {
                if !seen.insert(host.clone()) {
                    break;
                }
                let alias = self.records(&host, RecordType::CNAME, dnssec);
                let Some(RData::CNAME(c)) = alias.first().map(|a| &a.data) else {
                    reply
                        .additionals
                        .extend(self.records(&host, RecordType::A, dnssec));
                    reply
                        .additionals
                        .extend(self.records(&host, RecordType::AAAA, dnssec));
                    break;
                };
                let next = lower(&c.0);
                reply.additionals.extend(alias);
                host = next;
            }
        }
    }

    /// Answers every question of `discovery` over UDP, retrying over TCP after truncation, and
    /// feeds the responses in: a complete offline host in one call. With the `autoconfig`
    /// feature the MX question is answered the same way (the HTTP requests are the host's).
    /// With DNSSEC validation on it also answers the validator's questions, round after round,
    /// until none is pending (a question this host cannot answer is reported failed).
    pub fn resolve(&self, discovery: &mut Discovery) -> Result<(), Error> {
        for question in discovery.questions().to_vec() {
            let udp = self.answer(&question.wire, Transport::Udp)?;
            if discovery.receive(question.id, &udp, None)? == Outcome::Truncated {
                let tcp = self.answer(&question.wire, Transport::Tcp)?;
                discovery.receive(question.id, &tcp, None)?;
            }
        }
        #[cfg(feature = "autoconfig")]
        if let Some(wire) = discovery.mx_question().map(|q| q.wire.clone()) {
            let udp = self.answer(&wire, Transport::Udp)?;
            if discovery.receive_mx_response(&udp, None)? == Outcome::Truncated {
                let tcp = self.answer(&wire, Transport::Tcp)?;
                discovery.receive_mx_response(&tcp, None)?;
            }
        }
        // Each round answers every pending question, so it ends: the validator's questions
        // are bounded (`dnssec::validator::MAX_QUESTIONS`) and never asked twice.
        loop {
            let pending = discovery.pending_dnssec();
            if pending.is_empty() {
                return Ok(());
            }
            for q in pending {
                let answered = self
                    .answer(&q.wire, Transport::Udp)
                    .and_then(|udp| match discovery.receive_dnssec(q.message_id, &udp)? {
                        Outcome::Truncated => {
                            let tcp = self.answer(&q.wire, Transport::Tcp)?;
                            discovery.receive_dnssec(q.message_id, &tcp)
                        }
                        other => Ok(other),
                    });
                if !matches!(answered, Ok(Outcome::Records)) {
                    discovery.fail_dnssec(q.message_id)?;
                }
            }
        }
    }
}

/// `name` with its suffix `owner` replaced by `target` (RFC 6672 §2.2); `None` when the result
/// would be longer than 255 octets (hickory-proto's `Name` refuses to grow past that).
fn substitute(name: &Name, owner: &Name, target: &Name) -> Option<Name> {
    let keep = usize::from(name.num_labels().checked_sub(owner.num_labels())?);
    let prefix: Vec<&[u8]> = name.iter().take(keep).collect();
    let mut out = Name::from_labels(prefix).ok()?.append_name(target).ok()?;
    out.set_fqdn(true);
    Some(out)
}

fn encode(
    r: &Message,
    edns_payload: Option<u16>,
    transport: Transport,
    dnssec_ok: bool,
) -> Result<Vec<u8>, Error> {
    let internal = |e: hickory_proto::ProtoError| {
        Error::new(ErrorCode::Internal, format!("encoding a response: {e}"))
    };
    let wire = r.to_vec().map_err(internal)?;
    let limit = match (transport, edns_payload) {
        (Transport::Tcp, _) => usize::from(u16::MAX),
        (Transport::Udp, None) => UDP_LIMIT,
        (Transport::Udp, Some(p)) => usize::from(p.clamp(512, EDNS_LIMIT)),
    };
    if wire.len() <= limit {
        return Ok(wire);
    }
    if dnssec_ok && !r.additionals.is_empty() {
        // Signatures make answers large: the additional section is optional (RFC 2181 §9).
        let mut smaller = r.clone();
        smaller.additionals.clear();
        let wire = smaller.to_vec().map_err(internal)?;
        if wire.len() <= limit {
            return Ok(wire);
        }
    }
    let mut truncated = Message::new(r.metadata.id, MessageType::Response, OpCode::Query);
    truncated.metadata = r.metadata;
    truncated.metadata.truncation = true;
    truncated.add_queries(r.queries.clone());
    if let Some(edns) = &r.edns {
        truncated.set_edns(edns.clone());
    }
    truncated.to_vec().map_err(internal)
}
