//! Resource records and RRsets read from DNS wire messages, with their data in canonical form
//! (RFC 4034 §6.2, RFC 6840 §5.1): names inside the data of the types that carry them are
//! decompressed and lowercased; RRsets are sorted by their canonical data and duplicates removed
//! (RFC 4034 §6.3).

use super::name::Name;

/// Record type numbers the validator uses.
pub mod rtype {
    /// IPv4 address.
    pub const A: u16 = 1;
    /// Name server.
    pub const NS: u16 = 2;
    /// Canonical name.
    pub const CNAME: u16 = 5;
    /// Start of authority.
    pub const SOA: u16 = 6;
    /// Domain name pointer.
    pub const PTR: u16 = 12;
    /// Mail exchange.
    pub const MX: u16 = 15;
    /// Text.
    pub const TXT: u16 = 16;
    /// IPv6 address.
    pub const AAAA: u16 = 28;
    /// Service location.
    pub const SRV: u16 = 33;
    /// Delegation name (RFC 6672).
    pub const DNAME: u16 = 39;
    /// EDNS0 pseudo-record.
    pub const OPT: u16 = 41;
    /// Delegation signer.
    pub const DS: u16 = 43;
    /// Signature.
    pub const RRSIG: u16 = 46;
    /// Next secure.
    pub const NSEC: u16 = 47;
    /// Zone key.
    pub const DNSKEY: u16 = 48;
    /// TLS certificate association (RFC 6698).
    pub const TLSA: u16 = 52;
    /// Hashed next secure.
    pub const NSEC3: u16 = 50;
    /// NSEC3 parameters.
    pub const NSEC3PARAM: u16 = 51;
}

/// Class IN.
pub const CLASS_IN: u16 = 1;

/// Most compression pointers followed while reading one name (RFC 9267 §2).
pub const MAX_POINTER_HOPS: usize = 64;

/// Most records read from one message. A 65,535-byte message holds at most about 5,900
/// records; the cap keeps the work per message small whatever the counts in its header say.
pub const MAX_RECORDS_PER_MESSAGE: usize = 1024;

/// One resource record, data in canonical form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record {
    /// Owner name (lowercased).
    pub owner: Name,
    /// Record type.
    pub rtype: u16,
    /// Class.
    pub class: u16,
    /// Time to live as received.
    pub ttl: u32,
    /// Record data, canonical (RFC 4034 §6.2).
    pub rdata: Vec<u8>,
}

impl Record {
    /// For an RRSIG record, the type it covers.
    pub fn covered_type(&self) -> Option<u16> {
        (self.rtype == rtype::RRSIG && self.rdata.len() >= 2)
            .then(|| u16::from_be_bytes([self.rdata[0], self.rdata[1]]))
    }
}

/// A DNS message as the validator reads it.
#[derive(Clone, Debug)]
pub struct Message {
    /// Message ID.
    pub id: u16,
    /// The header's flag bits (QR, opcode, AA, TC, RD, RA, Z, AD, CD).
    pub flags: u16,
    /// Response code, with the OPT record's upper bits (RFC 6891 §6.1.3).
    pub rcode: u16,
    /// The (first) question.
    pub question: Option<(Name, u16)>,
    /// Answer section.
    pub answer: Vec<Record>,
    /// Authority section.
    pub authority: Vec<Record>,
    /// Additional section, OPT excluded.
    pub additional: Vec<Record>,
}

/// Response code NOERROR.
pub const NOERROR: u16 = 0;
/// Response code SERVFAIL.
pub const SERVFAIL: u16 = 2;
/// Response code NXDOMAIN.
pub const NXDOMAIN: u16 = 3;

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        let end = self.at.checked_add(n).filter(|&e| e <= self.bytes.len());
        let end = end.ok_or("message ends inside a record")?;
        let out = &self.bytes[self.at..end];
        self.at = end;
        Ok(out)
    }

    fn u16(&mut self) -> Result<u16, String> {
        let b = self.take(2)?;
        Ok(u16::from_be_bytes([b[0], b[1]]))
    }

    fn u32(&mut self) -> Result<u32, String> {
        let b = self.take(4)?;
        Ok(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    }

    fn name(&mut self) -> Result<Name, String> {
        let (name, next) = read_name(self.bytes, self.at)?;
        self.at = next;
        Ok(name)
    }
}

/// Reads a possibly compressed name at `at` of `msg`; returns it and the offset after it.
/// Pointers must point backwards, at most [`MAX_POINTER_HOPS`] of them.
pub fn read_name(msg: &[u8], at: usize) -> Result<(Name, usize), String> {
    let mut wire = Vec::with_capacity(32);
    let mut pos = at;
    let mut end = None;
    let mut hops = 0;
    let mut lowest = at;
    loop {
        let len = *msg
            .get(pos)
            .ok_or("name runs past the end of the message")?;
        match len {
            0 => {
                wire.push(0);
                end.get_or_insert(pos + 1);
                break;
            }
            1..=63 => {
                let label = msg
                    .get(pos..pos + 1 + usize::from(len))
                    .ok_or("label runs past the end of the message")?;
                wire.extend_from_slice(label);
                if wire.len() > 254 {
                    return Err("name longer than 255 bytes".into());
                }
                pos += 1 + usize::from(len);
            }
            0xc0..=0xff => {
                let low = *msg.get(pos + 1).ok_or("pointer runs past the end")?;
                let target = usize::from(len & 0x3f) << 8 | usize::from(low);
                end.get_or_insert(pos + 2);
                hops += 1;
                if hops > MAX_POINTER_HOPS || target >= lowest {
                    return Err("compression pointer not strictly backwards or too many".into());
                }
                lowest = target;
                pos = target;
            }
            _ => return Err(format!("reserved label type {len:#04x}")),
        }
    }
    let name = Name::from_wire(&wire)?;
    Ok((name, end.unwrap_or(pos + 1)))
}

/// The layout of the names in a type's data, for decompression and lowercasing.
enum Layout {
    /// Fixed bytes, then names, then the rest verbatim.
    Names { skip: usize, names: usize },
    /// NAPTR: two u16, three character-strings, one name.
    Naptr,
    /// No names to touch.
    Opaque,
}

fn layout(t: u16) -> Layout {
    match t {
        // NS MD MF CNAME MB MG MR PTR DNAME
        2 | 3 | 4 | 5 | 7 | 8 | 9 | 12 | 39 => Layout::Names { skip: 0, names: 1 },
        // SOA MINFO RP
        6 | 14 | 17 => Layout::Names { skip: 0, names: 2 },
        // MX AFSDB RT KX
        15 | 18 | 21 | 36 => Layout::Names { skip: 2, names: 1 },
        // PX
        26 => Layout::Names { skip: 2, names: 2 },
        // SRV
        33 => Layout::Names { skip: 6, names: 1 },
        // SIG RRSIG: signer name (not compressed in practice; lowercased)
        24 | 46 => Layout::Names { skip: 18, names: 1 },
        35 => Layout::Naptr,
        _ => Layout::Opaque,
    }
}

/// Canonical data of a record of type `t` whose data is `msg[start..start + len]`.
fn canonical_rdata(msg: &[u8], t: u16, start: usize, len: usize) -> Result<Vec<u8>, String> {
    let end = start + len;
    let (skip, names) = match layout(t) {
        Layout::Opaque => return Ok(msg[start..end].to_vec()),
        Layout::Names { skip, names } => (skip, names),
        Layout::Naptr => {
            let mut at = start + 4;
            for _ in 0..3 {
                let l = usize::from(*msg.get(at).filter(|_| at < end).ok_or("short NAPTR")?);
                at += 1 + l;
            }
            (at - start, 1)
        }
    };
    if skip > len {
        return Err(format!("type {t} data of {len} bytes is too short"));
    }
    let mut out = msg[start..start + skip].to_vec();
    let mut at = start + skip;
    for _ in 0..names {
        let (name, next) = read_name(&msg[..end], at)?;
        out.extend_from_slice(name.wire());
        at = next;
    }
    out.extend_from_slice(&msg[at..end]);
    Ok(out)
}

/// Reads a DNS message. Errors name the problem; nothing here panics on any input.
pub fn parse_message(bytes: &[u8]) -> Result<Message, String> {
    let mut r = Reader { bytes, at: 0 };
    let id = r.u16().map_err(|_| "message shorter than its header")?;
    let flags = r.u16()?;
    let counts = [r.u16()?, r.u16()?, r.u16()?, r.u16()?];
    let total: usize = counts[1..].iter().map(|&c| usize::from(c)).sum();
    if total > MAX_RECORDS_PER_MESSAGE {
        return Err(format!(
            "{total} records (at most {MAX_RECORDS_PER_MESSAGE} are read)"
        ));
    }
    let mut question = None;
    for _ in 0..counts[0] {
        let name = r.name()?;
        let qtype = r.u16()?;
        let _class = r.u16()?;
        question.get_or_insert((name, qtype));
    }
    let mut rcode = flags & 0x000f;
    let mut sections: [Vec<Record>; 3] = Default::default();
    for (i, section) in sections.iter_mut().enumerate() {
        for _ in 0..counts[i + 1] {
            let owner = r.name()?;
            let t = r.u16()?;
            let class = r.u16()?;
            let ttl = r.u32()?;
            let len = usize::from(r.u16()?);
            let start = r.at;
            r.take(len)?;
            if t == rtype::OPT {
                rcode |= u16::from((ttl >> 24) as u8) << 4;
                continue;
            }
            let rdata = canonical_rdata(bytes, t, start, len)?;
            section.push(Record {
                owner,
                rtype: t,
                class,
                ttl,
                rdata,
            });
        }
    }
    let [answer, authority, additional] = sections;
    Ok(Message {
        id,
        flags,
        rcode,
        question,
        answer,
        authority,
        additional,
    })
}

/// An RRset: records of one owner, class and type, data sorted canonically without duplicates,
/// with the RRSIGs that cover it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct RrSet {
    /// Owner name.
    pub owner: Name,
    /// Type.
    pub rtype: u16,
    /// Class.
    pub class: u16,
    /// The smallest TTL among the records.
    pub ttl: u32,
    /// Canonical data, sorted, no duplicates (RFC 4034 §6.3).
    pub rdatas: Vec<Vec<u8>>,
    /// The RRSIG records' data covering this set.
    pub sigs: Vec<Vec<u8>>,
}

/// Groups `records` into RRsets (RRSIGs attached to the set they cover, in order of first
/// appearance). RRSIGs without a covered set in `records` are left out.
pub fn rrsets(records: &[Record]) -> Vec<RrSet> {
    let mut sets: Vec<RrSet> = Vec::new();
    let find = |sets: &[RrSet], owner: &Name, t: u16, class: u16| {
        sets.iter()
            .position(|s| s.rtype == t && s.class == class && s.owner == *owner)
    };
    for r in records.iter().filter(|r| r.rtype != rtype::RRSIG) {
        match find(&sets, &r.owner, r.rtype, r.class) {
            Some(i) => {
                sets[i].ttl = sets[i].ttl.min(r.ttl);
                sets[i].rdatas.push(r.rdata.clone());
            }
            None => sets.push(RrSet {
                owner: r.owner.clone(),
                rtype: r.rtype,
                class: r.class,
                ttl: r.ttl,
                rdatas: vec![r.rdata.clone()],
                sigs: Vec::new(),
            }),
        }
    }
    for r in records.iter().filter(|r| r.rtype == rtype::RRSIG) {
        if let Some(i) = r
            .covered_type()
            .and_then(|c| find(&sets, &r.owner, c, r.class))
            && !sets[i].sigs.contains(&r.rdata)
        {
            sets[i].sigs.push(r.rdata.clone());
        }
    }
    for s in &mut sets {
        s.rdatas.sort();
        s.rdatas.dedup();
    }
    sets
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(an: u16, ns: u16) -> Vec<u8> {
        let mut m = vec![0, 1, 0x81, 0x80, 0, 1];
        m.extend_from_slice(&an.to_be_bytes());
        m.extend_from_slice(&ns.to_be_bytes());
        m.extend_from_slice(&[0, 0]);
        m.extend_from_slice(b"\x07Example\x03com\x00\x00\x0f\x00\x01");
        m
    }

    #[test]
    fn rfc4034_6_2_names_in_mx_data_are_decompressed_and_lowercased() {
        let mut m = header(2, 0);
        // owner pointer to the question name; MX 10 MAIL.<ptr>
        for pref in [20u16, 10] {
            m.extend_from_slice(&[0xc0, 12, 0, 15, 0, 1, 0, 0, 0, 60, 0, 9]);
            m.extend_from_slice(&pref.to_be_bytes());
            m.extend_from_slice(b"\x04MAIL\xc0\x0c");
        }
        let msg = parse_message(&m).unwrap();
        assert_eq!(msg.answer[0].owner.to_string(), "example.com.");
        assert_eq!(
            msg.answer[1].rdata,
            b"\x00\x0a\x04mail\x07example\x03com\x00".to_vec()
        );
        let sets = rrsets(&msg.answer);
        assert_eq!(sets.len(), 1);
        // RFC 4034 §6.3: sorted by canonical data.
        assert_eq!(sets[0].rdatas[0][..2], [0, 10]);
    }

    #[test]
    fn rfc4034_6_3_duplicates_are_removed() {
        let r = Record {
            owner: Name::from_ascii("a.").unwrap(),
            rtype: rtype::A,
            class: CLASS_IN,
            ttl: 5,
            rdata: vec![1, 2, 3, 4],
        };
        let sets = rrsets(&[r.clone(), r]);
        assert_eq!(sets[0].rdatas.len(), 1);
    }

    #[test]
    fn rfc9267_forward_and_looping_pointers_are_refused() {
        let mut m = header(1, 0);
        m.extend_from_slice(&[0xc0, 40, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 1, 2, 3, 4]);
        assert!(parse_message(&m).is_err());
        let mut m = header(1, 0);
        let at = m.len() as u8;
        m.extend_from_slice(&[0xc0, at]);
        assert!(parse_message(&m).is_err());
    }

    #[test]
    fn record_count_cap_refuses_a_flood_header() {
        let m = header(u16::MAX, u16::MAX);
        let e = parse_message(&m).unwrap_err();
        assert!(e.contains("at most 1024"), "{e}");
    }
}
