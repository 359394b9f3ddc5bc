//! The differential test of decision D57: the in-place reader ([`super::wire`]) against the
//! reader it replaced, which decoded every name and record with hickory-proto's decoder (kept
//! here, as it was, for this comparison only). Both read thousands of generated messages —
//! valid ones, compressed ones, and ones with bad pointers, reserved label types, long names,
//! wrong lengths, flipped bytes and cut ends — and must say the same: the same error text, or
//! the same header, questions and records, label by label with case kept.

use std::net::{Ipv4Addr, Ipv6Addr};

use hickory_proto::op::{Header, Metadata, Query, ResponseCode};
use hickory_proto::rr::rdata::{A, AAAA, MX, SOA, SRV};
use hickory_proto::rr::{DNSClass, Name, RecordType};
use hickory_proto::serialize::binary::{BinDecodable, BinDecoder, DecodeError};

use super::scan::Scan;
use super::wire::{self, WireName};

/// The reader before D57, as it was (types renamed).
mod reference {
    use super::*;

    const CLASS_IN: u16 = 1;

    #[derive(Clone, Debug)]
    pub(super) enum Data {
        Srv(SRV),
        Mx(u16, Name),
        A(Ipv4Addr),
        Aaaa(Ipv6Addr),
        Cname(Name),
        Dname(Name),
        Soa { minimum: u32 },
        Other(RecordType),
    }

    #[derive(Clone, Debug)]
    pub(super) struct Record {
        pub name: Name,
        pub class_in: bool,
        pub ttl: u32,
        pub data: Data,
    }

    pub(super) struct Response {
        pub metadata: Metadata,
        pub queries: Vec<Query>,
        pub sections: [Vec<Record>; 3],
    }

    fn decode_error(e: DecodeError) -> String {
        e.to_string()
    }

    pub(super) fn read_response(bytes: &[u8]) -> Result<Response, String> {
        let mut decoder = BinDecoder::new(bytes);
        let Header {
            mut metadata,
            counts,
        } = Header::read(&mut decoder).map_err(decode_error)?;
        let mut scan = Scan::new(bytes);
        let records_at = scan.questions(counts.queries)?;
        let mut queries = Vec::new();
        for _ in 0..counts.queries {
            queries.push(Query::read(&mut decoder).map_err(decode_error)?);
        }
        let counts = [counts.answers, counts.authorities, counts.additionals];
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
        Ok(Response {
            metadata,
            queries,
            sections,
        })
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
}

/// Labels as byte strings, case kept.
type Labels = Vec<Vec<u8>>;

fn hickory_labels(name: &Name) -> Labels {
    name.iter().map(<[u8]>::to_vec).collect()
}

/// The labels of an in-place name; checks on the way that [`WireName::append_labels`] copies
/// the same labels, length-prefixed.
fn wire_labels(name: WireName<'_>) -> Labels {
    let labels: Labels = name.labels().map(<[u8]>::to_vec).collect();
    let mut prefixed = Vec::new();
    for label in &labels {
        prefixed.push(label.len() as u8);
        prefixed.extend_from_slice(label);
    }
    let mut appended = Vec::new();
    name.append_labels(&mut appended);
    assert_eq!(appended, prefixed, "append_labels of {name:?}");
    // The same labels in the other case are the same name; one byte more or less is not.
    let mut other_case = prefixed.clone();
    for b in &mut other_case {
        *b = if b.is_ascii_lowercase() {
            b.to_ascii_uppercase()
        } else {
            b.to_ascii_lowercase()
        };
    }
    assert!(name.eq_labels_ignore_case(&prefixed), "{name:?}");
    assert!(name.eq_labels_ignore_case(&other_case), "{name:?}");
    assert!(
        !name.eq_labels_ignore_case(&[&prefixed[..], b"\x01a"].concat()),
        "{name:?}"
    );
    if let Some((_, shorter)) = prefixed.split_last() {
        assert!(!name.eq_labels_ignore_case(shorter), "{name:?}");
    }
    labels
}

/// One record as both readers must give it.
#[derive(Debug, PartialEq, Eq)]
enum Seen {
    Srv(u16, u16, u16, Labels),
    Mx(u16, Labels),
    A(Ipv4Addr),
    Aaaa(Ipv6Addr),
    Cname(Labels),
    Dname(Labels),
    Soa(u32),
    Other(u16),
}

/// One record as both readers must give it: owner, class IN or not, TTL, data, type.
type SeenRecord = (Labels, bool, u32, Seen, u16);

/// A whole message as both readers must give it: header fields, questions, records by section.
#[derive(Debug, PartialEq, Eq)]
struct Message {
    header: String,
    questions: Vec<(Labels, u16, bool)>,
    sections: [Vec<SeenRecord>; 3],
}

fn from_reference(r: &reference::Response) -> Message {
    use reference::Data;
    let records = |section: &[reference::Record]| {
        section
            .iter()
            .map(|r| {
                let (seen, rtype) = match &r.data {
                    Data::Srv(s) => (
                        Seen::Srv(s.priority, s.weight, s.port, hickory_labels(&s.target)),
                        RecordType::SRV,
                    ),
                    Data::Mx(p, n) => (Seen::Mx(*p, hickory_labels(n)), RecordType::MX),
                    Data::A(a) => (Seen::A(*a), RecordType::A),
                    Data::Aaaa(a) => (Seen::Aaaa(*a), RecordType::AAAA),
                    Data::Cname(n) => (Seen::Cname(hickory_labels(n)), RecordType::CNAME),
                    Data::Dname(n) => (Seen::Dname(hickory_labels(n)), RecordType::DNAME),
                    Data::Soa { minimum } => (Seen::Soa(*minimum), RecordType::SOA),
                    Data::Other(t) => (Seen::Other(u16::from(*t)), *t),
                };
                (
                    hickory_labels(&r.name),
                    r.class_in,
                    r.ttl,
                    seen,
                    u16::from(rtype),
                )
            })
            .collect()
    };
    Message {
        header: format!("{:?}", r.metadata),
        questions: r
            .queries
            .iter()
            .map(|q| {
                (
                    hickory_labels(q.name()),
                    u16::from(q.query_type()),
                    q.query_class() == DNSClass::IN,
                )
            })
            .collect(),
        sections: [
            records(&r.sections[0]),
            records(&r.sections[1]),
            records(&r.sections[2]),
        ],
    }
}

fn from_wire(r: &wire::Response<'_>) -> Message {
    use wire::Data;
    let records = |section: &[wire::Record<'_>]| {
        section
            .iter()
            .map(|r| {
                let seen = match r.data {
                    Data::Srv(s) => Seen::Srv(s.priority, s.weight, s.port, wire_labels(s.target)),
                    Data::Mx(p, n) => Seen::Mx(p, wire_labels(n)),
                    Data::A(a) => Seen::A(a),
                    Data::Aaaa(a) => Seen::Aaaa(a),
                    Data::Cname(n) => Seen::Cname(wire_labels(n)),
                    Data::Dname(n) => Seen::Dname(wire_labels(n)),
                    Data::Soa { minimum } => Seen::Soa(minimum),
                    Data::Other(t) => Seen::Other(u16::from(t)),
                };
                (
                    wire_labels(r.name),
                    r.class_in,
                    r.ttl,
                    seen,
                    u16::from(r.record_type()),
                )
            })
            .collect()
    };
    Message {
        header: format!("{:?}", r.metadata),
        questions: r
            .queries
            .iter()
            .map(|q| (wire_labels(q.name), u16::from(q.qtype), q.class_in))
            .collect(),
        sections: [
            records(r.answers()),
            records(r.authorities()),
            records(r.additionals()),
        ],
    }
}

/// A small deterministic generator (xorshift64*), so that a failure can be replayed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number below `n` (n > 0).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn pick<T: Copy>(&mut self, from: &[T]) -> T {
        from[self.below(from.len())]
    }
}

/// Writes DNS messages, some of them wrong on purpose.
struct Writer<'r> {
    rng: &'r mut Rng,
    bytes: Vec<u8>,
    /// Offsets where a name or a name's suffix starts: targets for good pointers.
    suffixes: Vec<usize>,
}

impl Writer<'_> {
    fn u16(&mut self, v: u16) {
        self.bytes.extend_from_slice(&v.to_be_bytes());
    }

    fn label(&mut self) {
        let len = match self.rng.below(20) {
            0 => 63,
            1 => self.rng.below(64),
            _ => 1 + self.rng.below(8),
        };
        self.bytes.push(len as u8);
        for _ in 0..len {
            let b = match self.rng.below(10) {
                0 => self.rng.below(256) as u8,
                1 => self.rng.pick(b".\\\0 _-"),
                2..=4 => self.rng.pick(b"ABCXYZ"),
                _ => self.rng.pick(b"abcmailxyz0123"),
            };
            self.bytes.push(b);
        }
    }

    /// A name: some labels, then the root, a pointer to an earlier name or suffix, or (rarely)
    /// a bad pointer or a reserved label type.
    fn name(&mut self) {
        let labels = match self.rng.below(10) {
            0 => 0,
            1 => 5 + self.rng.below(6),
            _ => self.rng.below(4),
        };
        let mut starts = Vec::new();
        for _ in 0..labels {
            starts.push(self.bytes.len());
            self.label();
        }
        match self.rng.below(40) {
            0 => {
                // A pointer anywhere, often forward or into the middle of something.
                let target = self.rng.below(self.bytes.len() + 8);
                self.u16(0xC000 | (target as u16 & 0x3FFF));
            }
            1 => self.bytes.push(self.rng.pick(&[0x40u8, 0x80, 0x7F, 0xBF])),
            2 => {
                // A pointer to a pointer (a chain link), when there is one to point to.
                let target = self.bytes.len().saturating_sub(2);
                self.u16(0xC000 | (target as u16 & 0x3FFF));
            }
            n if n < 22 && !self.suffixes.is_empty() => {
                let target = self.rng.pick(&self.suffixes);
                self.u16(0xC000 | (target as u16 & 0x3FFF));
            }
            _ => self.bytes.push(0),
        }
        self.suffixes.extend(starts);
    }

    fn record(&mut self, section: usize) {
        self.name();
        let rtype: u16 = match self.rng.below(14) {
            0 | 1 => 33,
            2 => 15,
            3 | 4 => 1,
            5 => 28,
            6 | 7 => 5,
            8 => 39,
            9 => 6,
            10 if section == 2 || self.rng.chance(20) => 41,
            11 => 46,
            12 => self.rng.pick(&[16u16, 2, 47, 0, 0xFFFF, 255]),
            _ => 33,
        };
        self.u16(rtype);
        let class = match self.rng.below(10) {
            0 => self.rng.pick(&[3u16, 255, 254, 0x8001, 4096]),
            _ => 1,
        };
        self.u16(class);
        let ttl = self.rng.next() as u32;
        self.bytes.extend_from_slice(&ttl.to_be_bytes());
        let length_at = self.bytes.len();
        self.u16(0);
        let data = self.bytes.len();
        match rtype {
            33 => {
                for _ in 0..3 {
                    let v = self.rng.next() as u16;
                    self.u16(v);
                }
                self.name();
            }
            15 => {
                self.u16(10);
                self.name();
            }
            1 => self
                .bytes
                .extend_from_slice(&[192, 0, 2, self.rng.below(256) as u8]),
            28 => {
                self.bytes.extend_from_slice(&[0x20, 0x01, 0x0d, 0xb8]);
                self.bytes.extend_from_slice(&[0; 11]);
                self.bytes.push(self.rng.below(256) as u8);
            }
            5 | 39 => self.name(),
            6 => {
                self.name();
                self.name();
                for _ in 0..20 {
                    self.bytes.push(self.rng.below(256) as u8);
                }
            }
            41 if self.rng.chance(50) => {}
            _ => {
                for _ in 0..self.rng.below(12) {
                    self.bytes.push(self.rng.below(256) as u8);
                }
            }
        }
        let mut length = self.bytes.len() - data;
        if self.rng.chance(8) {
            // A wrong RDLENGTH: a little off, or past the end.
            length = match self.rng.below(3) {
                0 => length + 1 + self.rng.below(4),
                1 => length.saturating_sub(1 + self.rng.below(4)),
                _ => 0xFFFF,
            };
        }
        self.bytes[length_at..length_at + 2].copy_from_slice(&(length as u16).to_be_bytes());
    }
}

/// One generated message, `seed` picking everything.
fn message(seed: u64) -> Vec<u8> {
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let questions = match rng.below(10) {
        0 => 0,
        1 => 2,
        _ => 1,
    };
    let counts = [rng.below(8), rng.below(3), rng.below(4)];
    let mut flags = [0x81u8, 0x80];
    if rng.chance(15) {
        flags = [rng.below(256) as u8, rng.below(256) as u8];
    }
    let mut w = Writer {
        rng: &mut rng,
        bytes: vec![0x12, 0x34, flags[0], flags[1]],
        suffixes: Vec::new(),
    };
    w.u16(questions);
    for c in counts {
        w.u16(c as u16);
    }
    for _ in 0..questions {
        w.name();
        let qtype = w.rng.pick(&[33u16, 33, 15, 1, 28, 5]);
        w.u16(qtype);
        let class = w.rng.pick(&[1u16, 1, 1, 3, 255]);
        w.u16(class);
    }
    for (section, count) in counts.into_iter().enumerate() {
        for _ in 0..count {
            w.record(section);
        }
    }
    let mut bytes = w.bytes;
    // Some messages are damaged after the fact: a flipped byte, a cut end, a wrong count, junk.
    match rng.below(10) {
        0 if !bytes.is_empty() => {
            let at = rng.below(bytes.len());
            bytes[at] ^= 1 << rng.below(8);
        }
        1 => bytes.truncate(rng.below(bytes.len() + 1)),
        2 => {
            let at = 6 + 2 * rng.below(3);
            bytes[at + 1] = bytes[at + 1].wrapping_add(1);
        }
        3 => bytes.extend((0..rng.below(6)).map(|_| rng.below(256) as u8)),
        _ => {}
    }
    bytes
}

/// Compares both readers on one message; gives whether it was read (`true`) or refused.
fn compare(bytes: &[u8]) -> Result<bool, String> {
    let old = reference::read_response(bytes);
    let new = wire::read_response(bytes);
    match (old, new) {
        (Ok(old), Ok(new)) => {
            let (old, new) = (from_reference(&old), from_wire(&new));
            if old == new {
                Ok(true)
            } else {
                Err(format!("read differently:\n{old:?}\n{new:?}"))
            }
        }
        (Err(old), Err(new)) if old == new => Ok(false),
        (old, new) => Err(format!(
            "hickory: {:?}\nin place: {:?}",
            old.map(|r| from_reference(&r)),
            new.map(|r| from_wire(&r))
        )),
    }
}

// Requirements: D57.
#[test]
fn d57_in_place_reader_equals_hickory_reader_on_generated_messages() {
    let mut read = 0usize;
    let mut refused = 0usize;
    let mut kinds = std::collections::BTreeSet::new();
    for seed in 0..40_000u64 {
        let bytes = message(seed);
        match compare(&bytes) {
            Ok(true) => {
                read += 1;
                if let Ok(r) = wire::read_response(&bytes) {
                    for rec in r
                        .answers()
                        .iter()
                        .chain(r.authorities())
                        .chain(r.additionals())
                    {
                        kinds.insert(u16::from(rec.record_type()));
                    }
                }
            }
            Ok(false) => refused += 1,
            Err(why) => panic!("seed {seed}, message {bytes:02x?}:\n{why}"),
        }
    }
    // Both kinds of outcome, and every record type the reader decodes, were exercised.
    assert!(
        read > 5_000 && refused > 5_000,
        "{read} read, {refused} refused"
    );
    for t in [1u16, 5, 6, 15, 28, 33, 39, 41, 46] {
        assert!(
            kinds.contains(&t),
            "no readable record of type {t}: {kinds:?}"
        );
    }
}

// Requirements: D57.
#[test]
fn d57_in_place_reader_equals_hickory_reader_on_every_cut_and_flip() {
    // One rich, valid, compressed message; then every prefix of it, and every single-bit flip.
    let mut m = vec![0x12, 0x34, 0x81, 0x80, 0, 1, 0, 5, 0, 1, 0, 1];
    for label in ["_imaps", "_tcp", "Example", "net"] {
        m.push(label.len() as u8);
        m.extend_from_slice(label.as_bytes());
    }
    m.extend_from_slice(&[0, 0, 33, 0, 1]);
    m.extend_from_slice(&[0xc0, 12, 0, 5, 0, 1, 0, 0, 0, 60, 0, 8, 5]);
    m.extend_from_slice(b"a.i\\s");
    m.extend_from_slice(&[0xc0, 24]);
    m.extend_from_slice(&[
        0xc0, 12, 0, 33, 0, 1, 0, 0, 0, 60, 0, 13, 0, 0, 0, 5, 3, 0xe1, 4,
    ]);
    m.extend_from_slice(b"MAIL");
    m.extend_from_slice(&[0xc0, 24]);
    m.extend_from_slice(&[0xc0, 12, 0, 15, 0, 1, 0, 0, 0, 60, 0, 4, 0, 10, 0xc0, 24]);
    m.extend_from_slice(&[0xc0, 24, 0, 39, 0, 1, 0, 0, 0, 60, 0, 4, 1, b'x', 0xc0, 32]);
    m.extend_from_slice(&[0xc0, 24, 0, 1, 0, 1, 0, 0, 1, 0, 0, 4, 192, 0, 2, 1]);
    m.extend_from_slice(&[0xc0, 32, 0, 6, 0, 1, 0, 0, 0, 60, 0, 22, 0, 0]);
    m.extend_from_slice(&[0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4, 0, 0, 0, 5]);
    m.extend_from_slice(&[0, 0, 41, 0x04, 0xd0, 0, 0, 0x80, 0, 0, 0]);
    assert_eq!(compare(&m), Ok(true));
    let mut cases = 0;
    for cut in 0..m.len() {
        compare(&m[..cut]).unwrap_or_else(|why| panic!("cut at {cut}: {why}"));
        cases += 1;
    }
    for at in 0..m.len() {
        for bit in 0..8 {
            let mut flipped = m.clone();
            flipped[at] ^= 1 << bit;
            compare(&flipped).unwrap_or_else(|why| panic!("bit {bit} of byte {at}: {why}"));
            cases += 1;
        }
    }
    assert!(cases > 1_000, "{cases}");
}
