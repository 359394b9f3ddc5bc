//! Domain names in DNSSEC's canonical form (RFC 4034 §6.1, §6.2): uncompressed wire format with
//! ASCII letters lowercased, ordered label by label from the rightmost.

use core::cmp::Ordering;
use core::fmt;

/// The longest name in wire format, root label included (RFC 1035 §2.3.4).
pub const MAX_NAME_BYTES: usize = 255;

/// The longest label (RFC 1035 §2.3.4).
pub const MAX_LABEL_BYTES: usize = 63;

/// A domain name in canonical wire format: length-prefixed labels, ASCII letters lowercased,
/// ending with the root label. Equality and [`Name::canonical_cmp`] follow RFC 4034 §6.1.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Name {
    wire: Vec<u8>,
    /// Offsets of each label's length byte, leftmost first, root excluded.
    starts: Vec<u8>,
}

impl Name {
    /// The root name `.`.
    pub fn root() -> Self {
        Self {
            wire: vec![0],
            starts: Vec::new(),
        }
    }

    /// Reads an uncompressed wire-format name that fills `bytes` exactly.
    pub fn from_wire(bytes: &[u8]) -> Result<Self, String> {
        match Self::read_wire(bytes)? {
            (name, used) if used == bytes.len() => Ok(name),
            (_, used) => Err(format!("{} bytes after the name", bytes.len() - used)),
        }
    }

    /// Reads an uncompressed wire-format name at the start of `bytes`; returns it and the number
    /// of bytes it took. A compression pointer is refused (RRSIG, NSEC and NSEC3 names are never
    /// compressed, RFC 4034 §3.1.7, §4.1.1).
    pub fn read_wire(bytes: &[u8]) -> Result<(Self, usize), String> {
        let mut at = 0usize;
        let mut starts = Vec::new();
        loop {
            let len = usize::from(*bytes.get(at).ok_or("name runs past the end of its data")?);
            if len == 0 {
                break;
            }
            if len > MAX_LABEL_BYTES {
                return Err(format!(
                    "label length byte {len:#04x} (compressed or reserved)"
                ));
            }
            if at + 1 + len > bytes.len() {
                return Err("label runs past the end of its data".into());
            }
            starts.push(u8::try_from(at).map_err(|_| "name longer than 255 bytes")?);
            at += 1 + len;
            if at + 1 > MAX_NAME_BYTES {
                return Err("name longer than 255 bytes".into());
            }
        }
        let mut wire = bytes[..=at].to_vec();
        wire.make_ascii_lowercase();
        // Length bytes are at most 63, below b'A': lowercasing never changes them.
        Ok((Self { wire, starts }, at + 1))
    }

    /// Parses a name in presentation format (`example.com.`, `example.com`, `.`, with `\X` and
    /// `\DDD` escapes); the name is taken as absolute.
    pub fn from_ascii(text: &str) -> Result<Self, String> {
        if text == "." || text.is_empty() {
            return Ok(Self::root());
        }
        let mut labels: Vec<Vec<u8>> = vec![Vec::new()];
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            match b {
                b'.' => {
                    if labels.last().is_some_and(Vec::is_empty) {
                        return Err(format!("empty label in `{text}`"));
                    }
                    labels.push(Vec::new());
                    i += 1;
                }
                b'\\' => {
                    let rest = &bytes[i + 1..];
                    let (value, used) = match rest {
                        [a, b, c, ..] if [a, b, c].iter().all(|d| d.is_ascii_digit()) => {
                            let v = u16::from(a - b'0') * 100
                                + u16::from(b - b'0') * 10
                                + u16::from(c - b'0');
                            let v = u8::try_from(v)
                                .map_err(|_| format!("escape above 255 in `{text}`"))?;
                            (v, 3)
                        }
                        [x, ..] => (*x, 1),
                        [] => return Err(format!("dangling escape in `{text}`")),
                    };
                    if let Some(l) = labels.last_mut() {
                        l.push(value);
                    }
                    i += 1 + used;
                }
                _ => {
                    if let Some(l) = labels.last_mut() {
                        l.push(b);
                    }
                    i += 1;
                }
            }
        }
        if labels.last().is_some_and(Vec::is_empty) {
            labels.pop();
        }
        let mut wire = Vec::new();
        for label in &labels {
            if label.len() > MAX_LABEL_BYTES {
                return Err(format!("label longer than 63 bytes in `{text}`"));
            }
            wire.push(label.len() as u8);
            wire.extend_from_slice(label);
        }
        wire.push(0);
        Self::from_wire(&wire)
    }

    /// The canonical wire format.
    pub fn wire(&self) -> &[u8] {
        &self.wire
    }

    /// The number of labels, root excluded (`example.com.` has 2, `.` has 0).
    pub fn label_count(&self) -> usize {
        self.starts.len()
    }

    /// The RRSIG Labels value of this owner name: the label count without a leading `*`
    /// (RFC 4034 §3.1.3).
    pub fn rrsig_labels(&self) -> usize {
        self.label_count() - usize::from(self.is_wildcard())
    }

    /// Whether the leftmost label is `*`.
    pub fn is_wildcard(&self) -> bool {
        self.label(0) == Some(b"*".as_slice())
    }

    /// The `index`th label from the left, without its length byte.
    pub fn label(&self, index: usize) -> Option<&[u8]> {
        let start = usize::from(*self.starts.get(index)?);
        let len = usize::from(self.wire[start]);
        Some(&self.wire[start + 1..start + 1 + len])
    }

    /// The labels from the left, without length bytes.
    pub fn labels(&self) -> impl DoubleEndedIterator<Item = &[u8]> + '_ {
        (0..self.label_count()).filter_map(|i| self.label(i))
    }

    /// The name made of the rightmost `count` labels (`count` ≥ the label count gives a copy).
    pub fn suffix(&self, count: usize) -> Self {
        let total = self.label_count();
        if count >= total {
            return self.clone();
        }
        let cut = match count {
            0 => self.wire.len() - 1,
            _ => usize::from(self.starts[total - count]),
        };
        let wire = self.wire[cut..].to_vec();
        let starts = self.starts[total - count..]
            .iter()
            .map(|s| s - cut as u8)
            .collect();
        Self { wire, starts }
    }

    /// The parent name (the root's parent is `None`).
    pub fn parent(&self) -> Option<Self> {
        (self.label_count() > 0).then(|| self.suffix(self.label_count() - 1))
    }

    /// This name with `label` prepended (`*` gives the wildcard at this name), or an error when
    /// the result would be too long.
    pub fn prepend(&self, label: &[u8]) -> Result<Self, String> {
        if label.is_empty() || label.len() > MAX_LABEL_BYTES {
            return Err(format!("label of {} bytes", label.len()));
        }
        let mut wire = Vec::with_capacity(1 + label.len() + self.wire.len());
        wire.push(label.len() as u8);
        wire.extend_from_slice(label);
        wire.extend_from_slice(&self.wire);
        Self::from_wire(&wire)
    }

    /// Whether this name equals `ancestor` or lies below it.
    pub fn is_at_or_below(&self, ancestor: &Self) -> bool {
        self.label_count() >= ancestor.label_count()
            && self.suffix(ancestor.label_count()) == *ancestor
    }

    /// The number of rightmost labels this name shares with `other`.
    pub fn common_labels(&self, other: &Self) -> usize {
        self.labels()
            .rev()
            .zip(other.labels().rev())
            .take_while(|(a, b)| a == b)
            .count()
    }

    /// RFC 4034 §6.1 canonical order: labels compared from the rightmost, each as an unsigned
    /// octet string (already lowercase), a shorter name sorting first when it is a suffix.
    pub fn canonical_cmp(&self, other: &Self) -> Ordering {
        self.labels()
            .rev()
            .zip(other.labels().rev())
            .map(|(a, b)| a.cmp(b))
            .find(|o| o.is_ne())
            .unwrap_or_else(|| self.label_count().cmp(&other.label_count()))
    }
}

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.label_count() == 0 {
            return f.write_str(".");
        }
        for label in self.labels() {
            for &b in label {
                match b {
                    b'.' | b'\\' | b'(' | b')' | b';' | b'"' | b'$' | b'@' => {
                        write!(f, "\\{}", b as char)?
                    }
                    0x21..=0x7e => write!(f, "{}", b as char)?,
                    _ => write!(f, "\\{b:03}")?,
                }
            }
            f.write_str(".")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Name({self})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> Name {
        Name::from_ascii(s).unwrap()
    }

    #[test]
    fn parses_and_prints_lowercase() {
        assert_eq!(n("WWW.Example.COM").to_string(), "www.example.com.");
        assert_eq!(n(".").to_string(), ".");
        assert_eq!(n("a\\.b.c.").label_count(), 2);
        assert_eq!(n("\\065.x").to_string(), "a.x.");
        assert!(Name::from_ascii("a..b").is_err());
        assert!(Name::from_ascii(&"a".repeat(64)).is_err());
        assert!(Name::from_ascii(&"abcdefg.".repeat(40)).is_err());
    }

    #[test]
    fn wire_refuses_pointers_and_trailing_bytes() {
        assert!(Name::from_wire(&[0xc0, 12]).is_err());
        assert!(Name::from_wire(&[1, b'a', 0, 0]).is_err());
        assert!(Name::from_wire(&[3, b'a']).is_err());
        assert_eq!(Name::read_wire(&[1, b'A', 0, 9]).unwrap().1, 3);
    }

    #[test]
    fn rfc4034_6_1_canonical_order() {
        // The example list of RFC 4034 §6.1, in its order.
        let sorted = [
            "example.",
            "a.example.",
            "yljkjljk.a.example.",
            "Z.a.example.",
            "zABC.a.EXAMPLE.",
            "z.example.",
            "\\001.z.example.",
            "*.z.example.",
            "\\200.z.example.",
        ];
        for pair in sorted.windows(2) {
            assert_eq!(
                n(pair[0]).canonical_cmp(&n(pair[1])),
                Ordering::Less,
                "{pair:?}"
            );
            assert_eq!(
                n(pair[1]).canonical_cmp(&n(pair[0])),
                Ordering::Greater,
                "{pair:?}"
            );
        }
    }

    #[test]
    fn suffixes_parents_and_wildcards() {
        let name = n("*.b.example.com.");
        assert!(name.is_wildcard());
        assert_eq!(name.rrsig_labels(), 3);
        assert_eq!(name.suffix(2), n("example.com"));
        assert_eq!(name.suffix(0), Name::root());
        assert_eq!(n("com").parent(), Some(Name::root()));
        assert_eq!(Name::root().parent(), None);
        assert!(n("a.b.c").is_at_or_below(&n("b.c")));
        assert!(!n("ab.c").is_at_or_below(&n("b.c")));
        assert!(n("x").is_at_or_below(&Name::root()));
        assert_eq!(n("a.b.c").common_labels(&n("x.b.c")), 2);
        assert_eq!(n("b.c").prepend(b"*").unwrap(), n("*.b.c"));
        assert_eq!(n("b.c").suffix(1).label(0), Some(b"c".as_slice()));
    }
}
