//! DNS messages on the wire, limited to what the planner reads and sends.
//!
//! Responses are read record by record, in place (decision D57): names are not copied out of
//! the message but read where they are written ([`WireName`]), once the pointer pre-pass
//! ([`Scan`]) has bounded and checked every name read. SRV, MX, A, AAAA, CNAME, DNAME and SOA
//! data are decoded, the OPT record gives the upper bits of the response code, and every other
//! record is checked for length and skipped.
//! The header is read, and queries are written (header, question and OPT record), by
//! hickory-proto. Going through hickory's `Message` instead would link the decoder and encoder
//! of every record type it knows (SVCB, TSIG, CAA, ...), which the WebAssembly module does not
//! need.

use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};

use hickory_proto::op::{Header, HeaderCounts, MessageType, Metadata, OpCode, Query, ResponseCode};
use hickory_proto::rr::{Name, RecordType};
use hickory_proto::serialize::binary::{
    BinDecodable, BinDecoder, BinEncodable, BinEncoder, DecodeError,
};

use super::names::presentation_name;
use super::scan::Scan;

/// DNS class IN.
const CLASS_IN: u16 = 1;
/// The DO bit in the OPT record's TTL field (RFC 3225).
pub(crate) const EDNS_DO: u32 = 0x8000;
/// Length of the fixed DNS header.
const HEADER_LEN: usize = 12;
/// What hickory-proto says when a read runs past the end of the message; the in-place reader
/// says the same where hickory's decoder did (D57).
const END_OF_INPUT: &str = "unexpected end of input reached";

/// A name inside a response, read where it is written: the message and the offset where the
/// name starts. Made only for names that [`Scan`] has checked, so every pointer on the way
/// points backwards; [`Labels`] stops at one that does not anyway, and at the end of the
/// message, so a walk always ends and never panics.
#[derive(Clone, Copy)]
pub(crate) struct WireName<'a> {
    message: &'a [u8],
    at: usize,
}

impl<'a> WireName<'a> {
    /// The labels, from the first (leftmost) to the last, without the root.
    pub(crate) fn labels(self) -> Labels<'a> {
        Labels {
            message: self.message,
            at: self.at,
        }
    }

    /// Whether this is the root name (no labels).
    pub(crate) fn is_root(self) -> bool {
        self.labels().next().is_none()
    }

    /// The name as it is written on the wire, a run of whole labels (length octets and bytes)
    /// between pointers at a time, without the root and the pointers: the same labels as
    /// [`WireName::labels`], in one or two slices for a compressed name.
    pub(crate) fn runs(self) -> Runs<'a> {
        Runs {
            message: self.message,
            at: self.at,
        }
    }

    /// Appends the labels to `out` as they are written on the wire, each length octet and its
    /// bytes ([`WireName::runs`], copied).
    pub(crate) fn append_labels(self, out: &mut Vec<u8>) {
        for run in self.runs() {
            out.extend_from_slice(run);
        }
    }

    /// Whether the labels, length octets included, are `labels` up to ASCII case: the same
    /// name when `labels` is a name's labels in wire form. Length octets are below 64, so
    /// ignoring case changes only the labels' letters.
    pub(crate) fn eq_labels_ignore_case(self, mut labels: &[u8]) -> bool {
        for run in self.runs() {
            match labels.split_at_checked(run.len()) {
                Some((head, rest)) if head.eq_ignore_ascii_case(run) => labels = rest,
                _ => return false,
            }
        }
        labels.is_empty()
    }

    /// The labels' lengths plus one each: the rendered length when nothing needs an escape,
    /// plus one.
    pub(crate) fn label_octets(self) -> usize {
        self.labels().map(|l| l.len() + 1).sum()
    }
}

impl fmt::Debug for WireName<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}`",
            presentation_name(self.labels(), self.label_octets())
        )
    }
}

/// The labels of a [`WireName`], following compression pointers.
pub(crate) struct Labels<'a> {
    message: &'a [u8],
    at: usize,
}

impl<'a> Iterator for Labels<'a> {
    type Item = &'a [u8];

    fn next(&mut self) -> Option<&'a [u8]> {
        loop {
            let byte = *self.message.get(self.at)?;
            match byte & 0xC0 {
                0x00 if byte != 0 => {
                    let start = self.at + 1;
                    let end = start + usize::from(byte);
                    let label = self.message.get(start..end);
                    // A label cut short by the end of the message ends the walk.
                    self.at = if label.is_some() { end } else { usize::MAX };
                    return label;
                }
                0xC0 => {
                    let low = *self.message.get(self.at + 1)?;
                    let target = usize::from(u16::from_be_bytes([byte & 0x3F, low]));
                    if target >= self.at {
                        self.at = usize::MAX;
                        return None;
                    }
                    self.at = target;
                }
                // The root label, or a reserved label type.
                _ => {
                    self.at = usize::MAX;
                    return None;
                }
            }
        }
    }
}

/// The runs of whole labels of a [`WireName`] ([`WireName::runs`]). A walk ends, as
/// [`Labels`]' does, at the root, at a label cut by the end of the message, at a reserved label
/// type and at a pointer that does not point backwards.
pub(crate) struct Runs<'a> {
    message: &'a [u8],
    at: usize,
}

impl<'a> Iterator for Runs<'a> {
    type Item = &'a [u8];

    fn next(&mut self) -> Option<&'a [u8]> {
        let message = self.message;
        let mut run = self.at;
        let mut at = self.at;
        // Where the walk goes on after this run; `usize::MAX` when it ends with it.
        let mut then = usize::MAX;
        while let Some(&byte) = message.get(at) {
            match byte & 0xC0 {
                0x00 if byte != 0 => {
                    let end = at + 1 + usize::from(byte);
                    if end > message.len() {
                        break;
                    }
                    at = end;
                }
                0xC0 => {
                    let Some(&low) = message.get(at + 1) else {
                        break;
                    };
                    let target = usize::from(u16::from_be_bytes([byte & 0x3F, low]));
                    if target >= at {
                        break;
                    }
                    if at > run {
                        then = target;
                        break;
                    }
                    // A pointer right at the start of a run: follow it.
                    run = target;
                    at = target;
                }
                _ => break,
            }
        }
        self.at = then;
        message.get(run..at).filter(|r| !r.is_empty())
    }
}

/// Where the name written at `at` ends in place: after its root label or its first pointer.
fn name_end(message: &[u8], mut at: usize) -> Result<usize, String> {
    loop {
        let byte = *message.get(at).ok_or(END_OF_INPUT)?;
        match byte & 0xC0 {
            0x00 if byte == 0 => return Ok(at + 1),
            0x00 => at += 1 + usize::from(byte),
            0xC0 => return Ok(at + 2),
            _ => return Err(format!("unrecognized label code: {byte:b}")),
        }
    }
}

fn u16_at(message: &[u8], at: usize) -> Result<u16, String> {
    match message.get(at..at + 2) {
        Some(&[a, b]) => Ok(u16::from_be_bytes([a, b])),
        _ => Err(END_OF_INPUT.into()),
    }
}

fn u32_at(message: &[u8], at: usize) -> Result<u32, String> {
    match message.get(at..at + 4) {
        Some(&[a, b, c, d]) => Ok(u32::from_be_bytes([a, b, c, d])),
        _ => Err(END_OF_INPUT.into()),
    }
}

/// The `N` bytes at `at`.
fn bytes_at<const N: usize>(message: &[u8], at: usize) -> Result<[u8; N], String> {
    message
        .get(at..at + N)
        .and_then(|s| <[u8; N]>::try_from(s).ok())
        .ok_or_else(|| END_OF_INPUT.into())
}

/// SRV data (RFC 2782).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Srv<'a> {
    pub priority: u16,
    pub weight: u16,
    pub port: u16,
    pub target: WireName<'a>,
}

/// The data of one record, for the types the planner uses.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Data<'a> {
    Srv(Srv<'a>),
    /// MX (RFC 1035 §3.3.9): preference and exchange.
    Mx(u16, WireName<'a>),
    A(Ipv4Addr),
    Aaaa(Ipv6Addr),
    Cname(WireName<'a>),
    /// DNAME (RFC 6672); its target is never compressed.
    Dname(WireName<'a>),
    Soa {
        minimum: u32,
    },
    /// Any other type (RRSIG, NSEC, OPT, ...): length-checked and skipped.
    Other(RecordType),
}

/// One resource record.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Record<'a> {
    pub name: WireName<'a>,
    pub class_in: bool,
    pub ttl: u32,
    pub data: Data<'a>,
}

impl Record<'_> {
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

/// One entry of the question section.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Question<'a> {
    pub name: WireName<'a>,
    pub qtype: RecordType,
    pub class_in: bool,
}

/// A response, as far as the planner reads it.
#[derive(Debug)]
pub(crate) struct Response<'a> {
    pub metadata: Metadata,
    pub queries: Vec<Question<'a>>,
    /// The records of the three sections, in order, in one vector (one allocation).
    records: Vec<Record<'a>>,
    /// Where the authority and the additional sections start in `records`.
    starts: [usize; 2],
}

impl<'a> Response<'a> {
    /// The answer section.
    pub(crate) fn answers(&self) -> &[Record<'a>] {
        self.records.get(..self.starts[0]).unwrap_or_default()
    }

    /// The authority section.
    pub(crate) fn authorities(&self) -> &[Record<'a>] {
        self.records
            .get(self.starts[0]..self.starts[1])
            .unwrap_or_default()
    }

    /// The additional section.
    pub(crate) fn additionals(&self) -> &[Record<'a>] {
        self.records.get(self.starts[1]..).unwrap_or_default()
    }
}

/// Why a message does not parse.
fn decode_error(e: DecodeError) -> String {
    e.to_string()
}

/// The header and question section of a response, read before anything else so that a
/// response to another question costs no more than its question (issue 12).
pub(crate) struct Head<'a> {
    pub metadata: Metadata,
    pub queries: Vec<Question<'a>>,
    counts: [u16; 3],
    message: &'a [u8],
    /// The pre-pass, with what is left of the message's pointer budget.
    scan: Scan<'a>,
    /// Where the question section ends.
    records_at: usize,
}

/// Reads the header (hickory-proto) and the question section (in place) of a DNS message
/// (RFC 1035 §4.1.1, §4.1.2). The question's names go through the pointer pre-pass ([`Scan`])
/// first.
pub(crate) fn read_head(bytes: &[u8]) -> Result<Head<'_>, String> {
    let mut decoder = BinDecoder::new(bytes);
    let Header { metadata, counts } = Header::read(&mut decoder).map_err(decode_error)?;
    let mut scan = Scan::new(bytes);
    let records_at = scan.questions(counts.queries)?;
    // The pre-pass found every question (at least five bytes each) in the message.
    let mut queries = Vec::with_capacity(usize::from(counts.queries));
    let mut at = HEADER_LEN;
    for _ in 0..counts.queries {
        let name = WireName { message: bytes, at };
        at = name_end(bytes, at)?;
        queries.push(Question {
            name,
            qtype: RecordType::from(u16_at(bytes, at)?),
            class_in: u16_at(bytes, at + 2)? == CLASS_IN,
        });
        at += 4;
    }
    Ok(Head {
        metadata,
        queries,
        counts: [counts.answers, counts.authorities, counts.additionals],
        message: bytes,
        scan,
        records_at,
    })
}

impl<'a> Head<'a> {
    /// Reads the record sections, after the pointer pre-pass has checked all of them. The
    /// response code includes the upper bits from the OPT record (RFC 6891 §6.1.3). Like
    /// hickory's own reader it refuses an empty non-OPT record, OPT outside the additional
    /// section, a second OPT and an OPT not owned by the root.
    pub(crate) fn read_rest(self) -> Result<Response<'a>, String> {
        let Head {
            mut metadata,
            queries,
            counts,
            message,
            mut scan,
            records_at,
        } = self;
        scan.records(records_at, counts.iter().map(|&c| usize::from(c)).sum())?;
        // Every record was found by the pre-pass, so the counts are met.
        let mut records = Vec::with_capacity(counts.iter().map(|&c| usize::from(c)).sum());
        let mut starts = [0; 2];
        let mut rcode_high = None;
        let mut at = records_at;
        for (section, count) in counts.into_iter().enumerate() {
            if let Some(start) = section.checked_sub(1).and_then(|i| starts.get_mut(i)) {
                *start = records.len();
            }
            for _ in 0..count {
                let (record, opt_ttl) = read_record(message, &mut at)?;
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
        Ok(Response {
            metadata,
            queries,
            records,
            starts,
        })
    }
}

/// Reads a whole DNS message: [`read_head`], then the record sections.
pub(crate) fn read_response(bytes: &[u8]) -> Result<Response<'_>, String> {
    read_head(bytes)?.read_rest()
}

/// Reads the record at `*at` and moves `*at` past it. The checks and messages are those of
/// hickory's decoder as the reader used it before D57; the pre-pass has already checked the
/// names, the fixed fields, RDLENGTH against the message, and the length of SRV, MX, CNAME,
/// DNAME and SOA data against RDLENGTH.
fn read_record<'a>(message: &'a [u8], at: &mut usize) -> Result<(Record<'a>, Option<u32>), String> {
    let name = WireName { message, at: *at };
    let fixed = name_end(message, *at)?;
    let rtype = RecordType::from(u16_at(message, fixed)?);
    let class = u16_at(message, fixed + 2)?;
    let ttl = u32_at(message, fixed + 4)?;
    let length = u16_at(message, fixed + 8)?;
    let start = fixed + 10;
    let left = message.len().saturating_sub(start);
    if usize::from(length) > left {
        return Err(format!(
            "RDLENGTH {length} is longer than the {left} bytes left"
        ));
    }
    if rtype == RecordType::OPT && !name.is_root() {
        return Err("an OPT record is not owned by the root".into());
    }
    if length == 0 && rtype != RecordType::OPT {
        return Err(format!("a {rtype} record has no data"));
    }
    let in_place = |at: usize| WireName { message, at };
    let (data, end) = match rtype {
        RecordType::SRV => {
            let target = start + 6;
            let srv = Srv {
                priority: u16_at(message, start)?,
                weight: u16_at(message, start + 2)?,
                port: u16_at(message, start + 4)?,
                target: in_place(target),
            };
            (Data::Srv(srv), name_end(message, target)?)
        }
        RecordType::MX => {
            let exchange = start + 2;
            (
                Data::Mx(u16_at(message, start)?, in_place(exchange)),
                name_end(message, exchange)?,
            )
        }
        RecordType::A => (
            Data::A(Ipv4Addr::from(bytes_at::<4>(message, start)?)),
            start + 4,
        ),
        RecordType::AAAA => (
            Data::Aaaa(Ipv6Addr::from(bytes_at::<16>(message, start)?)),
            start + 16,
        ),
        RecordType::CNAME => (Data::Cname(in_place(start)), name_end(message, start)?),
        RecordType::DNAME => (Data::Dname(in_place(start)), name_end(message, start)?),
        RecordType::SOA => {
            // MNAME, RNAME, then serial, refresh, retry, expire and minimum.
            let serial = name_end(message, name_end(message, start)?)?;
            let minimum = u32_at(message, serial + 16)?;
            (Data::Soa { minimum }, serial + 20)
        }
        other => (Data::Other(other), start + usize::from(length)),
    };
    let read = end - start;
    if read != usize::from(length) {
        return Err(format!(
            "a {rtype} record's data is {read} bytes long, its RDLENGTH says {length}"
        ));
    }
    *at = end;
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

    /// A name as text with its case and its trailing dot, as hickory's `Name::to_ascii` shows
    /// plain names.
    fn ascii(name: WireName<'_>) -> String {
        let mut text: String = name
            .labels()
            .map(|l| format!("{}.", String::from_utf8_lossy(l)))
            .collect();
        if text.is_empty() {
            text.push('.');
        }
        text
    }

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
        let m = compressed_response();
        let r = read_response(&m).expect("parses");
        assert_eq!(r.metadata.id, 0x1234);
        assert_eq!(r.metadata.response_code, ResponseCode::NoError);
        assert_eq!(ascii(r.queries[0].name), "_imaps._tcp.example.net.");
        let [cname, srv] = r.answers() else {
            panic!("two answers: {:?}", r.answers())
        };
        assert_eq!(ascii(cname.name), "_imaps._tcp.example.net.");
        match &cname.data {
            Data::Cname(target) => assert_eq!(ascii(*target), "alias.example.net."),
            other => panic!("{other:?}"),
        }
        match &srv.data {
            Data::Srv(s) => {
                assert_eq!((s.priority, s.weight, s.port), (0, 5, 993));
                assert_eq!(ascii(s.target), "mail.example.net.");
            }
            other => panic!("{other:?}"),
        }
        assert!(srv.class_in);
        assert_eq!(r.additionals()[0].record_type(), RecordType::OPT);
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
