//! DNS messages on the wire, through hickory-proto's encoder and decoder, limited to what the
//! planner reads and sends.
//!
//! Responses are read record by record: SRV, A, AAAA, CNAME, DNAME and SOA data are decoded,
//! the OPT record gives the upper bits of the response code, and every other record is checked
//! for length and skipped. Queries are written as header, question and OPT record. Going through
//! hickory's `Message` instead would link the decoder and encoder of every record type it knows
//! (SVCB, TSIG, CAA, ...), which the WebAssembly module does not need.

use std::net::{Ipv4Addr, Ipv6Addr};

use hickory_proto::op::{Header, HeaderCounts, MessageType, Metadata, OpCode, Query, ResponseCode};
use hickory_proto::rr::rdata::{A, AAAA, MX, SOA, SRV};
use hickory_proto::rr::{Name, RecordType};
use hickory_proto::serialize::binary::{
    BinDecodable, BinDecoder, BinEncodable, BinEncoder, DecodeError,
};

use super::scan::Scan;

/// DNS class IN.
const CLASS_IN: u16 = 1;
/// The DO bit in the OPT record's TTL field (RFC 3225).
pub(crate) const EDNS_DO: u32 = 0x8000;

/// The data of one record, for the types the planner uses.
#[derive(Clone, Debug)]
pub(crate) enum Data {
    Srv(SRV),
    /// MX (RFC 1035 §3.3.9): preference and exchange.
    Mx(u16, Name),
    A(Ipv4Addr),
    Aaaa(Ipv6Addr),
    Cname(Name),
    /// DNAME (RFC 6672); its target is never compressed.
    Dname(Name),
    Soa {
        minimum: u32,
    },
    /// Any other type (RRSIG, NSEC, OPT, ...): length-checked and skipped.
    Other(RecordType),
}

/// One resource record.
#[derive(Clone, Debug)]
pub(crate) struct Record {
    pub name: Name,
    pub class_in: bool,
    pub ttl: u32,
    pub data: Data,
}

impl Record {
    pub(crate) fn record_type(&self) -> RecordType {
        match &self.data {
            Data::Srv(_) => RecordType::SRV,
            Data::Mx(..) => RecordType::MX,
            Data::A(_) => RecordType::A,
            Data::Aaaa(_) => RecordType::AAAA,
            Data::Cname(_) => RecordType::CNAME,
            Data::Dname(_) => RecordType::DNAME,
            Data::Soa { .. } => RecordType::SOA,
            Data::Other(t) => *t,
        }
    }
}

/// A response, as far as the planner reads it.
#[derive(Debug)]
pub(crate) struct Response {
    pub metadata: Metadata,
    pub queries: Vec<Query>,
    pub answers: Vec<Record>,
    pub authorities: Vec<Record>,
    pub additionals: Vec<Record>,
}

/// Why a message does not parse.
fn decode_error(e: DecodeError) -> String {
    e.to_string()
}

/// The header and question section of a response, read before anything else so that a
/// response to another question costs no more than its question (issue 12).
pub(crate) struct Head<'a> {
    pub metadata: Metadata,
    pub queries: Vec<Query>,
    counts: [u16; 3],
    decoder: BinDecoder<'a>,
    /// The pre-pass, with what is left of the message's pointer budget.
    scan: Scan<'a>,
    /// Where the question section ends.
    records_at: usize,
}

/// Reads the header and the question section of a DNS message (RFC 1035 §4.1.1, §4.1.2). The
/// question's names go through the pointer pre-pass ([`Scan`]) before hickory reads them.
pub(crate) fn read_head(bytes: &[u8]) -> Result<Head<'_>, String> {
    let mut decoder = BinDecoder::new(bytes);
    let Header { metadata, counts } = Header::read(&mut decoder).map_err(decode_error)?;
    let mut scan = Scan::new(bytes);
    let records_at = scan.questions(counts.queries)?;
    let mut queries = Vec::new();
    for _ in 0..counts.queries {
        queries.push(Query::read(&mut decoder).map_err(decode_error)?);
    }
    Ok(Head {
        metadata,
        queries,
        counts: [counts.answers, counts.authorities, counts.additionals],
        decoder,
        scan,
        records_at,
    })
}

impl Head<'_> {
    /// Reads the record sections, after the pointer pre-pass has checked all of them. The
    /// response code includes the upper bits from the OPT record (RFC 6891 §6.1.3). Like
    /// hickory's own reader it refuses an empty non-OPT record, OPT outside the additional
    /// section, a second OPT and an OPT not owned by the root.
    pub(crate) fn read_rest(self) -> Result<Response, String> {
        let Head {
            mut metadata,
            queries,
            counts,
            mut decoder,
            mut scan,
            records_at,
        } = self;
        scan.records(records_at, counts.iter().map(|&c| usize::from(c)).sum())?;
        let mut sections = [Vec::new(), Vec::new(), Vec::new()];
        let mut rcode_high = None;
        for (section, (records, count)) in sections.iter_mut().zip(counts).enumerate() {
            for _ in 0..count {
                let (record, opt_ttl) = read_record(&mut decoder)?;
                if let Some(ttl) = opt_ttl {
                    if section != 2 {
                        return Err("an OPT record is outside the additional section".into());
                    }
                    if rcode_high.replace((ttl >> 24) as u8).is_some() {
                        return Err("the message has more than one OPT record".into());
                    }
                }
                records.push(record);
            }
        }
        if let Some(high) = rcode_high {
            metadata.response_code = ResponseCode::from(high, metadata.response_code.low());
        }
        let [answers, authorities, additionals] = sections;
        Ok(Response {
            metadata,
            queries,
            answers,
            authorities,
            additionals,
        })
    }
}

/// Reads a whole DNS message: [`read_head`], then the record sections.
pub(crate) fn read_response(bytes: &[u8]) -> Result<Response, String> {
    read_head(bytes)?.read_rest()
}

fn read_record(decoder: &mut BinDecoder<'_>) -> Result<(Record, Option<u32>), String> {
    let name = Name::read(decoder).map_err(decode_error)?;
    let rtype = RecordType::from(decoder.read_u16().map_err(decode_error)?.unverified());
    let class = decoder.read_u16().map_err(decode_error)?.unverified();
    let ttl = decoder.read_u32().map_err(decode_error)?.unverified();
    let length = decoder.read_u16().map_err(decode_error)?.unverified();
    if usize::from(length) > decoder.len() {
        return Err(format!(
            "RDLENGTH {length} is longer than the {} bytes left",
            decoder.len()
        ));
    }
    if rtype == RecordType::OPT && !name.is_root() {
        return Err("an OPT record is not owned by the root".into());
    }
    if length == 0 && rtype != RecordType::OPT {
        return Err(format!("a {rtype} record has no data"));
    }
    let start = decoder.index();
    let data = match rtype {
        RecordType::SRV => Data::Srv(SRV::read(decoder).map_err(decode_error)?),
        RecordType::MX => {
            let mx = MX::read(decoder).map_err(decode_error)?;
            Data::Mx(mx.preference, mx.exchange)
        }
        RecordType::A => Data::A(A::read(decoder).map_err(decode_error)?.0),
        RecordType::AAAA => Data::Aaaa(AAAA::read(decoder).map_err(decode_error)?.0),
        RecordType::CNAME => Data::Cname(Name::read(decoder).map_err(decode_error)?),
        RecordType::DNAME => Data::Dname(Name::read(decoder).map_err(decode_error)?),
        RecordType::SOA => Data::Soa {
            minimum: SOA::read(decoder).map_err(decode_error)?.minimum,
        },
        other => {
            decoder
                .read_slice(usize::from(length))
                .map_err(decode_error)?;
            Data::Other(other)
        }
    };
    let read = decoder.index() - start;
    if read != usize::from(length) {
        return Err(format!(
            "a {rtype} record's data is {read} bytes long, its RDLENGTH says {length}"
        ));
    }
    let opt_ttl = (rtype == RecordType::OPT).then_some(ttl);
    let record = Record {
        name,
        class_in: class == CLASS_IN,
        ttl,
        data,
    };
    Ok((record, opt_ttl))
}

/// Writes a query for `name` (absolute) and `rtype` IN: RD set, one OPT record advertising
/// `payload` bytes, DO set when `dnssec_ok` (RFC 1035 §4.1, RFC 6891 §6.1). `None` if it cannot
/// be encoded.
pub(crate) fn write_query(
    name: Name,
    rtype: RecordType,
    message_id: u16,
    payload: u16,
    dnssec_ok: bool,
) -> Option<Vec<u8>> {
    let mut metadata = Metadata::new(message_id, MessageType::Query, OpCode::Query);
    metadata.recursion_desired = true;
    let header = Header {
        metadata,
        counts: HeaderCounts {
            queries: 1,
            answers: 0,
            authorities: 0,
            additionals: 1,
        },
    };
    let mut bytes = Vec::with_capacity(64);
    let mut encoder = BinEncoder::new(&mut bytes);
    header.emit(&mut encoder).ok()?;
    Query::query(name, rtype).emit(&mut encoder).ok()?;
    Name::root().emit(&mut encoder).ok()?;
    encoder.emit_u16(u16::from(RecordType::OPT)).ok()?;
    encoder.emit_u16(payload).ok()?;
    encoder.emit_u32(if dnssec_ok { EDNS_DO } else { 0 }).ok()?;
    encoder.emit_u16(0).ok()?;
    Some(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A response to `_imaps._tcp.example.net SRV` whose answer owners and data use
    /// compression pointers (RFC 1035 §4.1.4), as real resolvers send them.
    fn compressed_response() -> Vec<u8> {
        let mut m = vec![0x12, 0x34, 0x81, 0x80, 0, 1, 0, 2, 0, 0, 0, 1];
        // Question at offset 12: _imaps._tcp.example.net SRV IN.
        for label in ["_imaps", "_tcp", "example", "net"] {
            m.push(label.len() as u8);
            m.extend_from_slice(label.as_bytes());
        }
        m.extend_from_slice(&[0, 0, 33, 0, 1]);
        // CNAME: owner = pointer to 12; target = "alias" + pointer to "example.net" (offset 24).
        m.extend_from_slice(&[0xc0, 12, 0, 5, 0, 1, 0, 0, 0, 60, 0, 8, 5]);
        m.extend_from_slice(b"alias");
        m.extend_from_slice(&[0xc0, 24]);
        // SRV: owner = pointer to 12; 0 5 993, target = "mail" + pointer to 24.
        m.extend_from_slice(&[
            0xc0, 12, 0, 33, 0, 1, 0, 0, 0, 60, 0, 13, 0, 0, 0, 5, 0x03, 0xe1, 4,
        ]);
        m.extend_from_slice(b"mail");
        m.extend_from_slice(&[0xc0, 24]);
        // OPT with extended RCODE bits 0 and the DO flag.
        m.extend_from_slice(&[0, 0, 41, 0x04, 0xd0, 0, 0, 0x80, 0, 0, 0]);
        m
    }

    // Requirements: S2782-fmt, S2782-tgt1, D18.
    #[test]
    fn rfc1035_4_1_4_compressed_owners_and_targets_are_read() {
        let r = read_response(&compressed_response()).expect("parses");
        assert_eq!(r.metadata.id, 0x1234);
        assert_eq!(r.metadata.response_code, ResponseCode::NoError);
        assert_eq!(r.queries[0].name().to_ascii(), "_imaps._tcp.example.net.");
        let [cname, srv] = &r.answers[..] else {
            panic!("two answers: {:?}", r.answers)
        };
        assert_eq!(cname.name.to_ascii(), "_imaps._tcp.example.net.");
        match &cname.data {
            Data::Cname(target) => assert_eq!(target.to_ascii(), "alias.example.net."),
            other => panic!("{other:?}"),
        }
        match &srv.data {
            Data::Srv(s) => {
                assert_eq!((s.priority, s.weight, s.port), (0, 5, 993));
                assert_eq!(s.target.to_ascii(), "mail.example.net.");
            }
            other => panic!("{other:?}"),
        }
        assert!(srv.class_in);
        assert_eq!(r.additionals[0].record_type(), RecordType::OPT);
    }

    #[test]
    fn rfc6891_6_1_3_extended_rcode_and_opt_rules() {
        // BADVERS: upper eight bits 1 in the OPT TTL, lower four 0 in the header.
        let mut m = compressed_response();
        let opt = m.len() - 11;
        m[opt + 5] = 1;
        let r = read_response(&m).expect("parses");
        // 16 is BADVERS (RFC 6891) and BADSIG (RFC 8945) alike.
        assert_eq!(u16::from(r.metadata.response_code), 16);
        // A second OPT, an OPT in the answer section, or one not owned by the root: malformed.
        let mut two = compressed_response();
        two[11] = 2;
        two.extend_from_slice(&[0, 0, 41, 0x04, 0xd0, 0, 0, 0, 0, 0, 0]);
        let why = |m: &[u8]| read_response(m).expect_err("malformed");
        assert!(why(&two).contains("more than one OPT"), "{}", why(&two));
        let mut answer_opt = compressed_response();
        answer_opt.truncate(answer_opt.len() - 11);
        answer_opt[7] = 3;
        answer_opt[11] = 0;
        answer_opt.extend_from_slice(&[0, 0, 41, 0x04, 0xd0, 0, 0, 0, 0, 0, 0]);
        assert!(why(&answer_opt).contains("outside the additional section"));
        let mut owned = compressed_response();
        owned.truncate(owned.len() - 11);
        owned.extend_from_slice(&[0xc0, 24, 0, 41, 0x04, 0xd0, 0, 0, 0, 0, 0, 0]);
        assert!(why(&owned).contains("not owned by the root"));
        // A record whose data is longer than its RDLENGTH says.
        let mut long = compressed_response();
        let rdlength = 12 + 29 + 10;
        long[rdlength + 1] = 7;
        assert!(why(&long).contains("RDLENGTH says 7"), "{}", why(&long));
    }
}
