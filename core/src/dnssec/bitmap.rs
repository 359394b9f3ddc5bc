//! The type bit maps of NSEC and NSEC3 records (RFC 4034 §4.1.2, RFC 5155 §3.2.1): which RR
//! types exist at a name.

use core::fmt;

/// RR type numbers the denial proofs look at (IANA "Resource Record (RR) TYPEs").
pub mod rtype {
    /// A host address (RFC 1035).
    pub const A: u16 = 1;
    /// An authoritative name server (RFC 1035).
    pub const NS: u16 = 2;
    /// A canonical name (RFC 1035).
    pub const CNAME: u16 = 5;
    /// The start of a zone of authority (RFC 1035).
    pub const SOA: u16 = 6;
    /// Mail exchange (RFC 1035).
    pub const MX: u16 = 15;
    /// Text strings (RFC 1035).
    pub const TXT: u16 = 16;
    /// An IPv6 address (RFC 3596).
    pub const AAAA: u16 = 28;
    /// A service location (RFC 2782).
    pub const SRV: u16 = 33;
    /// Delegation of a subtree (RFC 6672).
    pub const DNAME: u16 = 39;
    /// Delegation signer (RFC 4034).
    pub const DS: u16 = 43;
    /// A signature (RFC 4034).
    pub const RRSIG: u16 = 46;
    /// Next secure (RFC 4034).
    pub const NSEC: u16 = 47;
    /// A zone key (RFC 4034).
    pub const DNSKEY: u16 = 48;
    /// Hashed next secure (RFC 5155).
    pub const NSEC3: u16 = 50;
    /// NSEC3 parameters (RFC 5155).
    pub const NSEC3PARAM: u16 = 51;
}

/// The most bytes a type bit map can take: 256 windows of 2 + 32 bytes.
pub const MAX_BITMAP_BYTES: usize = 256 * (2 + 32);

/// A type bit map in wire format, checked strictly when read: windows in strictly ascending
/// order, each 1 to 32 bytes long, nothing after the last window (RFC 4034 §4.1.2). An empty
/// map (an empty non-terminal's NSEC3, RFC 5155 §3.2.1) is allowed.
#[derive(Clone, PartialEq, Eq, Hash, Default)]
pub struct TypeBitmap {
    wire: Vec<u8>,
}

impl TypeBitmap {
    /// Reads a type bit map that fills `bytes` exactly; an error names the bad window.
    pub fn from_wire(bytes: &[u8]) -> Result<Self, String> {
        let mut at = 0usize;
        let mut previous: Option<u8> = None;
        while at < bytes.len() {
            let [window, len] = match bytes.get(at..at + 2) {
                Some(&[w, l]) => [w, l],
                _ => {
                    return Err(format!(
                        "type bit map: window header cut short at byte {at}"
                    ));
                }
            };
            if previous.is_some_and(|p| window <= p) {
                return Err(format!(
                    "type bit map: window {window} after window {} (not ascending)",
                    previous.unwrap_or_default()
                ));
            }
            if !(1..=32).contains(&len) {
                return Err(format!(
                    "type bit map: window {window} has length {len} (must be 1 to 32)"
                ));
            }
            let end = at + 2 + usize::from(len);
            if end > bytes.len() {
                return Err(format!(
                    "type bit map: window {window} runs past the end of its data"
                ));
            }
            previous = Some(window);
            at = end;
        }
        Ok(Self {
            wire: bytes.to_vec(),
        })
    }

    /// Builds the map of `types` (any order, duplicates allowed), in the shortest encoding.
    pub fn from_types(types: &[u16]) -> Self {
        let mut sorted = types.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        let mut wire = Vec::new();
        let mut i = 0;
        while i < sorted.len() {
            let window = (sorted[i] >> 8) as u8;
            let mut bits = [0u8; 32];
            let mut used = 0usize;
            while i < sorted.len() && (sorted[i] >> 8) as u8 == window {
                let low = usize::from(sorted[i] as u8);
                bits[low / 8] |= 0x80 >> (low % 8);
                used = low / 8 + 1;
                i += 1;
            }
            wire.push(window);
            wire.push(used as u8);
            wire.extend_from_slice(&bits[..used]);
        }
        Self { wire }
    }

    /// Whether the map lists `rtype`.
    pub fn contains(&self, rtype: u16) -> bool {
        let (window, low) = ((rtype >> 8) as u8, usize::from(rtype as u8));
        self.windows()
            .find(|(w, _)| *w == window)
            .and_then(|(_, bits)| bits.get(low / 8))
            .is_some_and(|byte| byte & (0x80 >> (low % 8)) != 0)
    }

    /// The listed types, ascending.
    pub fn types(&self) -> impl Iterator<Item = u16> + '_ {
        self.windows().flat_map(|(window, bits)| {
            bits.iter().enumerate().flat_map(move |(i, byte)| {
                (0..8u16)
                    .filter(move |bit| byte & (0x80 >> bit) != 0)
                    .map(move |bit| u16::from(window) << 8 | (i as u16 * 8 + bit))
            })
        })
    }

    /// Whether no type is listed (an empty non-terminal).
    pub fn is_empty(&self) -> bool {
        self.types().next().is_none()
    }

    /// The wire format.
    pub fn wire(&self) -> &[u8] {
        &self.wire
    }

    fn windows(&self) -> impl Iterator<Item = (u8, &[u8])> + '_ {
        let mut at = 0usize;
        core::iter::from_fn(move || {
            // `from_wire` checked the layout; `get` keeps this total all the same.
            let window = *self.wire.get(at)?;
            let len = usize::from(*self.wire.get(at + 1)?);
            let bits = self.wire.get(at + 2..at + 2 + len)?;
            at += 2 + len;
            Some((window, bits))
        })
    }
}

impl fmt::Debug for TypeBitmap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.types()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::rtype::*;
    use super::*;

    #[test]
    fn rfc4034_4_3_example_bitmap() {
        // RFC 4034 §4.3: "host.example.com. NSEC ... A MX RRSIG NSEC TYPE1234" encodes as
        // window 0 (6 bytes) and window 4 (27 bytes), 1234 = 4 * 256 + 210.
        let mut wire = vec![0x00, 0x06, 0x40, 0x01, 0x00, 0x00, 0x00, 0x03, 0x04, 0x1b];
        wire.extend_from_slice(&[0; 26]);
        wire.push(0x20);
        let map = TypeBitmap::from_wire(&wire).unwrap();
        assert_eq!(
            map.types().collect::<Vec<_>>(),
            vec![A, MX, RRSIG, NSEC, 1234]
        );
        assert!(map.contains(1234) && map.contains(MX) && !map.contains(NS));
        assert!(!map.contains(DS) && !map.contains(1235) && !map.contains(0xff00));
        assert_eq!(TypeBitmap::from_types(&[NSEC, 1234, A, RRSIG, MX, A]), map);
    }

    #[test]
    fn rfc4034_4_1_2_bad_windows_are_refused() {
        let bad: [(&[u8], &str); 6] = [
            (&[0x00, 0x00], "length 0"),
            (&[0x00, 0x21], "length 33"),
            (&[0x01, 0x01, 0x40, 0x00, 0x01, 0x40], "not ascending"),
            (&[0x01, 0x01, 0x40, 0x01, 0x01, 0x40], "not ascending"),
            (&[0x00, 0x02, 0x40], "past the end"),
            (&[0x00, 0x01, 0x40, 0x05], "cut short"),
        ];
        for (wire, why) in bad {
            let err = TypeBitmap::from_wire(wire).unwrap_err();
            assert!(err.contains(why), "{wire:?}: {err}");
        }
        let map = TypeBitmap::from_wire(&[]).unwrap();
        assert!(map.is_empty() && !map.contains(A));
    }

    #[test]
    fn every_window_round_trips() {
        let types = [0u16, 1, 255, 256, 0x7fff, 0xfffe, 0xffff];
        let map = TypeBitmap::from_types(&types);
        assert_eq!(map.types().collect::<Vec<_>>(), types);
        assert_eq!(TypeBitmap::from_wire(map.wire()).unwrap(), map);
        assert!(map.wire().len() <= MAX_BITMAP_BYTES);
    }
}
