//! An offline host: answers the planner's questions from RFC 1035 master files, as an
//! authoritative server would, producing wire responses that take the normal parsing path.
//!
//! Enabled by the `zone` cargo feature (it uses hickory-proto's zone parser, which needs `std`).
//! Used by the example host, the tests, the C library and the CLI for offline planning.

use std::collections::BTreeMap;

use hickory_proto::op::{Edns, Message, MessageType, OpCode, ResponseCode};
use hickory_proto::rr::{Name, RData, Record, RecordType};
use hickory_proto::serialize::txt::Parser;

use crate::dns::Outcome;
use crate::dns::{is_within, presentation_name};
use crate::error::{Error, ErrorCode};
use crate::plan::Discovery;

/// Largest UDP response without EDNS (RFC 1035 §4.2.1).
const UDP_LIMIT: usize = 512;
/// Largest UDP response this host sends with EDNS, whatever the client advertises.
const EDNS_LIMIT: u16 = 1232;
/// Longest CNAME chain followed.
const MAX_CHAIN: usize = 8;

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

struct Zone {
    origin: String,
    secure: bool,
    /// Records by lower-case owner name (no trailing dot).
    names: BTreeMap<String, Vec<Record>>,
}

/// A set of zones answering queries authoritatively.
#[derive(Default)]
pub struct ZoneHost {
    zones: Vec<Zone>,
}

fn key(name: &Name) -> String {
    presentation_name(name.iter())
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
        let (origin, sets) = Parser::new(text, None, origin)
            .parse()
            .map_err(|e| Error::new(ErrorCode::ZoneParse, format!("zone file: {e}")))?;
        let mut names: BTreeMap<String, Vec<Record>> = BTreeMap::new();
        for set in sets.into_values() {
            for record in set.records_without_rrsigs() {
                names
                    .entry(key(&record.name))
                    .or_default()
                    .push(record.clone());
            }
        }
        let origin = key(&origin);
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
        self.zones.push(Zone {
            origin,
            secure,
            names,
        });
        Ok(())
    }

    fn zone_for(&self, name: &str) -> Option<&Zone> {
        self.zones
            .iter()
            .filter(|z| is_within(name, &z.origin))
            .max_by_key(|z| z.origin.len())
    }

    fn records(&self, name: &str, rtype: RecordType) -> Vec<Record> {
        self.zone_for(name)
            .and_then(|z| z.names.get(name))
            .map(|rs| {
                rs.iter()
                    .filter(|r| r.record_type() == rtype)
                    .cloned()
                    .collect()
            })
            .unwrap_or_default()
    }

    fn exists(zone: &Zone, name: &str) -> bool {
        // A name exists if it owns records or has descendants (an empty non-terminal).
        zone.names.contains_key(name) || zone.names.keys().any(|k| k.ends_with(&format!(".{name}")))
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
        r.add_query(question.clone());
        if let Some(edns) = &q.edns {
            let mut out = Edns::new();
            out.set_max_payload(EDNS_LIMIT);
            out.set_dnssec_ok(edns.flags().dnssec_ok);
            r.set_edns(out);
        }
        let payload = q.edns.as_ref().map(|e| e.max_payload());
        let qname = key(question.name());
        let Some(zone) = self.zone_for(&qname) else {
            r.metadata.response_code = ResponseCode::Refused;
            return encode(&r, payload, transport);
        };
        r.metadata.authoritative = true;
        let wants_ad =
            q.metadata.authentic_data || q.edns.as_ref().is_some_and(|e| e.flags().dnssec_ok);
        r.metadata.authentic_data = zone.secure && wants_ad;
        let (rcode, answered) = self.answer_section(&mut r, qname, question.query_type());
        r.metadata.response_code = rcode;
        if !answered {
            r.add_authorities(self.records(&zone.origin, RecordType::SOA));
        }
        self.additional_section(&mut r);
        encode(&r, payload, transport)
    }

    /// The answer section for `qname`/`qtype`, following CNAMEs within the zones (at most
    /// [`MAX_CHAIN`]); gives the response code and whether records of `qtype` were found.
    fn answer_section(
        &self,
        r: &mut Message,
        qname: String,
        qtype: RecordType,
    ) -> (ResponseCode, bool) {
        let mut name = qname;
        for _ in 0..MAX_CHAIN {
            let Some(zone) = self.zone_for(&name) else {
                break;
            };
            let direct = self.records(&name, qtype);
            if !direct.is_empty() {
                r.add_answers(direct);
                return (ResponseCode::NoError, true);
            }
            let Some(cname) = self.records(&name, RecordType::CNAME).into_iter().next() else {
                let rcode = if Self::exists(zone, &name) {
                    ResponseCode::NoError
                } else {
                    ResponseCode::NXDomain
                };
                return (rcode, false);
            };
            let RData::CNAME(c) = &cname.data else {
                break;
            };
            name = key(&c.0);
            r.add_answer(cname);
        }
        (ResponseCode::NoError, false)
    }

    /// The additional section: addresses (and aliases) of the in-zone SRV targets.
    fn additional_section(&self, r: &mut Message) {
        let targets: Vec<String> = r
            .answers
            .iter()
            .filter_map(|rec| match &rec.data {
                RData::SRV(s) if !s.target.is_root() => Some(key(&s.target)),
                _ => None,
            })
            .collect();
        let mut seen = std::collections::BTreeSet::new();
        for target in targets {
            let mut host = target;
            for _ in 0..MAX_CHAIN {
                if !seen.insert(host.clone()) {
                    break;
                }
                let Some(alias) = self.records(&host, RecordType::CNAME).into_iter().next() else {
                    r.add_additionals(self.records(&host, RecordType::A));
                    r.add_additionals(self.records(&host, RecordType::AAAA));
                    break;
                };
                let RData::CNAME(c) = &alias.data else {
                    break;
                };
                host = key(&c.0);
                r.add_additional(alias);
            }
        }
    }

    /// Answers every question of `discovery` over UDP, retrying over TCP after truncation, and
    /// feeds the responses in: a complete offline host in one call. With DNSSEC validation on
    /// it also answers the validator's questions, round after round, until none is pending
    /// (a question this host cannot answer is reported failed).
    pub fn resolve(&self, discovery: &mut Discovery) -> Result<(), Error> {
        for question in discovery.questions().to_vec() {
            let udp = self.answer(&question.wire, Transport::Udp)?;
            if discovery.receive(question.id, &udp, None)? == Outcome::Truncated {
                let tcp = self.answer(&question.wire, Transport::Tcp)?;
                discovery.receive(question.id, &tcp, None)?;
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

fn encode(r: &Message, edns_payload: Option<u16>, transport: Transport) -> Result<Vec<u8>, Error> {
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
    let mut truncated = Message::new(r.metadata.id, MessageType::Response, OpCode::Query);
    truncated.metadata = r.metadata;
    truncated.metadata.truncation = true;
    truncated.add_queries(r.queries.clone());
    if let Some(edns) = &r.edns {
        truncated.set_edns(edns.clone());
    }
    truncated.to_vec().map_err(internal)
}
