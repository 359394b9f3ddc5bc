//! A linear pre-pass over a DNS message that bounds compression-pointer hops before the
//! response reader (`wire.rs`, which reads names in place, D57) reads a single name (issue 12).
//!
//! hickory-proto, which read responses before D57, refuses pointer loops (a pointer must point
//! before the name part it ends), but follows pointer-to-pointer chains without a bound: 8,000
//! hops per name, repeated by every record of a 64 KB answer, cost hundreds of milliseconds.
//! This pass walks every name the reader will read — the question, each record's owner, and
//! the names inside the data of SRV, MX (since D57: before, hickory read MX names unbounded),
//! CNAME, DNAME and SOA records — with the same direction rule, at most [`MAX_POINTER_HOPS`] pointers
//! per name and at most [`POINTER_HOPS_PER_BYTE`] pointers per byte of the whole message. Each
//! name then costs at most 127 labels and [`MAX_POINTER_HOPS`] hops, and the message as a whole
//! a number of steps proportional to its length, whatever its content.

/// Most compression pointers followed while reading one name. A name has at most 127 labels
/// (255 octets), and an encoder that compresses writes a label before every pointer but the
/// first, so no real name needs more; only a crafted pointer-to-pointer chain does.
pub(crate) const MAX_POINTER_HOPS: usize = 127;

/// Most compression pointers followed in a whole message, per byte of the message. A real
/// encoder points a name at the longest suffix already written, so a name costs one or two
/// pointers and a record (at least 11 bytes) two names; hostile chains reused by every record
/// hit this budget even when each stays below [`MAX_POINTER_HOPS`].
pub(crate) const POINTER_HOPS_PER_BYTE: usize = 1;

/// Longest name on the wire, root label included (RFC 1035 §2.3.4).
const MAX_NAME_OCTETS: usize = 255;
/// Length of the fixed DNS header.
const HEADER_LEN: usize = 12;
/// Type, class, TTL and RDLENGTH after a record's owner.
const FIXED_RR_LEN: usize = 10;

/// The record types whose data hold names that the reader decodes: SRV, MX, CNAME, SOA, DNAME.
const TYPE_CNAME: u16 = 5;
const TYPE_SOA: u16 = 6;
const TYPE_MX: u16 = 15;
const TYPE_SRV: u16 = 33;
const TYPE_DNAME: u16 = 39;

/// The pre-pass over one message; the pointer budget spans the question and the records.
pub(crate) struct Scan<'a> {
    bytes: &'a [u8],
    hops_left: usize,
}

impl<'a> Scan<'a> {
    /// A pass over `bytes` with a budget of [`POINTER_HOPS_PER_BYTE`] per byte.
    pub(crate) fn new(bytes: &'a [u8]) -> Self {
        Self {
            bytes,
            hops_left: bytes.len().saturating_mul(POINTER_HOPS_PER_BYTE),
        }
    }

    /// Checks the question section (`count` entries after the header); gives the offset after it.
    pub(crate) fn questions(&mut self, count: u16) -> Result<usize, String> {
        let mut at = HEADER_LEN;
        for _ in 0..count {
            at = self.name(at)?;
            at = self.skip(at, 4, "a question")?;
        }
        Ok(at)
    }

    /// Checks `count` records from offset `at`: each owner, the RDLENGTH against the message,
    /// and the names the reader reads in SRV, MX, CNAME, DNAME and SOA data.
    pub(crate) fn records(&mut self, mut at: usize, count: usize) -> Result<(), String> {
        for _ in 0..count {
            at = self.name(at)?;
            let fixed = at;
            at = self.skip(at, FIXED_RR_LEN, "a record")?;
            let word = |i: usize| u16::from_be_bytes([self.bytes[i], self.bytes[i + 1]]);
            let rtype = word(fixed);
            let rdlength = usize::from(word(fixed + 8));
            let data = at;
            // The decoder reads these names whatever RDLENGTH says, so each is checked, and so
            // is the length they take against RDLENGTH (before the next record is looked for).
            let (name, read) = match rtype {
                TYPE_SRV => ("SRV", self.name(self.skip(data, 6, "SRV data")?)? - data),
                TYPE_MX => ("MX", self.name(self.skip(data, 2, "MX data")?)? - data),
                TYPE_CNAME => ("CNAME", self.name(data)? - data),
                TYPE_DNAME => ("DNAME", self.name(data)? - data),
                TYPE_SOA => {
                    let rname = self.name(data)?;
                    ("SOA", self.name(rname)? + 20 - data)
                }
                _ => ("", rdlength),
            };
            if read != rdlength {
                return Err(format!(
                    "a {name} record's data is {read} bytes long, its RDLENGTH says {rdlength}"
                ));
            }
            at = self.skip(data, rdlength, "a record's data")?;
        }
        Ok(())
    }

    /// `len` bytes from `at`, which must be in the message; gives the offset after them.
    fn skip(&self, at: usize, len: usize, what: &str) -> Result<usize, String> {
        match at.checked_add(len) {
            Some(end) if end <= self.bytes.len() => Ok(end),
            _ => Err(format!(
                "{what} at offset {at} needs {len} bytes; the message ends at {}",
                self.bytes.len()
            )),
        }
    }

    /// Walks the name at `at`; gives the offset after the name where it was written.
    ///
    /// A pointer must point before the start of the name part that it ends, and a part reached
    /// through a pointer must end before the part that pointed to it (hickory's rules); a name
    /// is at most 255 octets, follows at most [`MAX_POINTER_HOPS`] pointers, and every pointer
    /// comes out of the message's budget.
    fn name(&mut self, at: usize) -> Result<usize, String> {
        let bytes = self.bytes;
        let mut pos = at;
        let mut part_start = at;
        let mut limit = bytes.len();
        let mut end = None;
        let mut octets = 1usize;
        let mut hops = 0usize;
        loop {
            if pos >= limit {
                return Err(if limit == bytes.len() {
                    format!("the name at offset {at} runs past the end of the message")
                } else {
                    format!("the name at offset {at} runs into the name part that points to it")
                });
            }
            let byte = bytes[pos];
            match byte & 0xC0 {
                0x00 if byte == 0 => return Ok(end.unwrap_or(pos + 1)),
                0x00 => {
                    let len = usize::from(byte);
                    octets += len + 1;
                    if octets > MAX_NAME_OCTETS {
                        return Err(format!(
                            "the name at offset {at} is longer than {MAX_NAME_OCTETS} octets"
                        ));
                    }
                    pos += len + 1;
                }
                0xC0 => {
                    let Some(&low) = bytes.get(pos + 1).filter(|_| pos + 1 < limit) else {
                        return Err(format!(
                            "the compression pointer at offset {pos} is cut short"
                        ));
                    };
                    let target = usize::from(u16::from_be_bytes([byte & 0x3F, low]));
                    if target >= part_start {
                        return Err(format!(
                            "the compression pointer at offset {pos} points to {target}, not \
                             before the name part at {part_start}"
                        ));
                    }
                    hops += 1;
                    if hops > MAX_POINTER_HOPS {
                        return Err(format!(
                            "the name at offset {at} follows more than {MAX_POINTER_HOPS} \
                             compression pointers"
                        ));
                    }
                    if self.hops_left == 0 {
                        return Err(format!(
                            "the message follows more than {} compression pointers, {} per \
                             byte of its length",
                            bytes.len() * POINTER_HOPS_PER_BYTE,
                            POINTER_HOPS_PER_BYTE
                        ));
                    }
                    self.hops_left -= 1;
                    end.get_or_insert(pos + 2);
                    limit = part_start;
                    part_start = target;
                    pos = target;
                }
                _ => {
                    return Err(format!(
                        "the name at offset {at} has the reserved label type {byte:#04x} at \
                         offset {pos}"
                    ));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A header with one question (`_imaps._tcp.example.net SRV IN`, at offset 12) and the given
    /// answer count, then `rest`.
    fn message(answers: u16, rest: &[u8]) -> Vec<u8> {
        let mut m = vec![0, 1, 0x81, 0x80, 0, 1];
        m.extend_from_slice(&answers.to_be_bytes());
        m.extend_from_slice(&[0, 0, 0, 0]);
        for label in ["_imaps", "_tcp", "example", "net"] {
            m.push(label.len() as u8);
            m.extend_from_slice(label.as_bytes());
        }
        m.extend_from_slice(&[0, 0, 33, 0, 1]);
        m.extend_from_slice(rest);
        m
    }

    /// Where the question of [`message`] ends and the first record starts.
    const QUESTION_END: usize = 12 + 25 + 4;

    /// `hops` pointers, each to the one before, the first to the question name (offset 12),
    /// hidden in the data of an unknown-type record; then one SRV record owned by the last.
    fn chain(hops: usize) -> Vec<u8> {
        let start = QUESTION_END + 2 + 10;
        let mut rest = vec![0xC0, 12, 0xFF, 0, 0, 1, 0, 0, 0, 60];
        rest.extend_from_slice(&u16::try_from(2 * hops).unwrap().to_be_bytes());
        let mut previous = 12u16;
        for i in 0..hops {
            rest.extend_from_slice(&(0xC000 | previous).to_be_bytes());
            previous = u16::try_from(start + 2 * i).unwrap();
        }
        rest.extend_from_slice(&(0xC000 | previous).to_be_bytes());
        rest.extend_from_slice(&[0, 33, 0, 1, 0, 0, 0, 60, 0, 7, 0, 0, 0, 0, 3, 0xe1, 0]);
        message(2, &rest)
    }

    fn scan(m: &[u8]) -> Result<(), String> {
        let mut s = Scan::new(m);
        let at = s.questions(1)?;
        s.records(at, usize::from(u16::from_be_bytes([m[6], m[7]])))
    }

    #[test]
    fn rfc1035_4_1_4_pointer_hops_per_name_are_bounded() {
        // The owner of the SRV record follows the whole chain plus one pointer.
        assert_eq!(scan(&chain(MAX_POINTER_HOPS - 1)), Ok(()));
        let err = scan(&chain(MAX_POINTER_HOPS)).unwrap_err();
        assert!(err.contains("more than 127 compression pointers"), "{err}");
        let err = scan(&chain(8_000)).unwrap_err();
        assert!(err.contains("more than 127 compression pointers"), "{err}");
    }

    #[test]
    fn rfc1035_4_1_4_pointer_hops_per_message_are_bounded() {
        // 120 hops reused by 600 records: each name is within its bound, the message is not.
        let mut m = chain(119);
        let last_owner = m.len() - 19;
        let owner = [m[last_owner], m[last_owner + 1]];
        let srv = [0, 33, 0, 1, 0, 0, 0, 60, 0, 7, 0, 0, 0, 0, 3, 0xe1, 0];
        for _ in 0..600 {
            m.extend_from_slice(&owner);
            m.extend_from_slice(&srv);
        }
        m[6..8].copy_from_slice(&602u16.to_be_bytes());
        let err = scan(&m).unwrap_err();
        assert!(err.contains("per byte of its length"), "{err}");
        // The same records owned by the question name itself cost one pointer each.
        let mut fine = chain(119);
        for _ in 0..600 {
            fine.extend_from_slice(&[0xC0, 12]);
            fine.extend_from_slice(&srv);
        }
        fine[6..8].copy_from_slice(&602u16.to_be_bytes());
        assert_eq!(scan(&fine), Ok(()));
    }

    #[test]
    fn rfc1035_4_1_4_forward_and_overlapping_pointers_are_refused() {
        // An owner pointing at itself, and one pointing forward.
        let here = QUESTION_END;
        let at_itself = message(1, &[0xC0, here as u8, 0, 33, 0, 1, 0, 0, 0, 0, 0, 0]);
        assert!(scan(&at_itself).unwrap_err().contains("not before"));
        let forward = message(1, &[0xC0, here as u8 + 4, 0, 33, 0, 1, 0, 0, 0, 0, 0, 0]);
        assert!(scan(&forward).unwrap_err().contains("not before"));
        // A label "a" without an end as the data of a first record, and a second record owned
        // by a pointer to it: reading the label runs into the owner that pointed to it.
        let data = QUESTION_END + 12;
        let mut rest = vec![0xC0, 12, 0xFF, 0, 0, 1, 0, 0, 0, 60, 0, 2, 1, b'a'];
        rest.extend_from_slice(&[0xC0, data as u8, 0, 33, 0, 1, 0, 0, 0, 60, 0, 7]);
        rest.extend_from_slice(&[0, 0, 0, 0, 3, 0xe1, 0]);
        let err = scan(&message(2, &rest)).unwrap_err();
        assert!(err.contains("runs into the name part"), "{err}");
        // Reserved label types and names running off the end.
        let reserved = message(1, &[0x80, 0, 0, 33, 0, 1, 0, 0, 0, 0, 0, 0]);
        assert!(scan(&reserved).unwrap_err().contains("reserved label type"));
        let cut = message(1, &[3, b'a', b'b']);
        assert!(scan(&cut).unwrap_err().contains("past the end"));
    }

    #[test]
    fn names_in_srv_mx_cname_dname_and_soa_data_are_checked() {
        for rtype in [33u8, 15, 5, 39, 6] {
            let offset = match rtype {
                33 => 6,
                15 => 2,
                _ => 0,
            };
            let mut rest = vec![0xC0, 12, 0, rtype, 0, 1, 0, 0, 0, 60, 0, offset + 2];
            rest.extend(std::iter::repeat_n(0, usize::from(offset)));
            // A pointer to itself inside the data.
            let at = QUESTION_END + 12 + usize::from(offset);
            rest.extend_from_slice(&[0xC0, at as u8]);
            let err = scan(&message(1, &rest)).unwrap_err();
            assert!(err.contains("not before"), "type {rtype}: {err}");
        }
    }
}
