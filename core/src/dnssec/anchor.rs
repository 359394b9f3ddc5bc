//! Trust anchors: the IANA root anchors built in, and DS or DNSKEY records given by the host in
//! presentation format (the format of an `unbound` trust-anchor file: one record per line, or
//! spread over lines inside parentheses; `;` comments; other record types ignored).

use super::key::{Dnskey, Ds};
use super::name::Name;
use super::rr::rtype;
use super::text;

/// Most anchors held (a trust-anchor file is small; this bounds the work of a hostile one).
pub const MAX_ANCHORS: usize = 64;

/// Most bytes of trust-anchor text read.
pub const MAX_ANCHOR_TEXT: usize = 256 * 1024;

/// The IANA root zone's key-signing keys as DS records.
///
/// Source: <https://data.iana.org/root-anchors/root-anchors.xml> (IANA, "Trust Anchors and
/// Keys"), read 2026-12-01. KSK-2017: key tag 20326, valid from 2017-02-02. KSK-2024: key tag
/// 38696, valid from 2024-07-18. Both algorithm 8 (RSA/SHA-256), digest type 2 (SHA-256).
pub const IANA_ROOT_ANCHORS: [&str; 2] = [
    // KSK-2017
    ". IN DS 20326 8 2 E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D",
    // KSK-2024
    ". IN DS 38696 8 2 683D2D0ACB8C9B712A1948B27F741219298D0A450D612C483AF444A4C0FB2B16",
];

/// One anchor: a DS or a DNSKEY at a zone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Anchor {
    /// A DS record: the zone's DNSKEY RRset must hold a key it matches.
    Ds(Ds),
    /// A DNSKEY record: the zone's DNSKEY RRset must hold this key.
    Key(Dnskey),
}

/// A set of trust anchors, by zone.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TrustAnchors {
    anchors: Vec<(Name, Anchor)>,
}

impl TrustAnchors {
    /// No anchors (nothing validates: every answer is indeterminate).
    pub fn empty() -> Self {
        Self::default()
    }

    /// The IANA root anchors ([`IANA_ROOT_ANCHORS`]).
    pub fn iana_root() -> Self {
        let mut out = Self::default();
        for line in IANA_ROOT_ANCHORS {
            // The built-in text is fixed and parses; a failure would only drop an anchor.
            let _ = out.add_text(line);
        }
        out
    }

    /// Parses anchors from trust-anchor file text. Records of other types are ignored; a
    /// malformed DS or DNSKEY line is an error naming its line.
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut out = Self::default();
        out.add_text(text)?;
        Ok(out)
    }

    /// Adds the anchors in `text` (see [`TrustAnchors::parse`]).
    pub fn add_text(&mut self, text: &str) -> Result<(), String> {
        if text.len() > MAX_ANCHOR_TEXT {
            return Err(format!("trust-anchor text over {MAX_ANCHOR_TEXT} bytes"));
        }
        let mut pending = String::new();
        let mut depth = 0i32;
        let mut first_line = 0;
        for (no, line) in text.lines().enumerate() {
            let code = line.split(';').next().unwrap_or("");
            if pending.is_empty() {
                first_line = no + 1;
            }
            depth += code.matches('(').count() as i32 - code.matches(')').count() as i32;
            pending.push_str(code);
            pending.push(' ');
            if depth > 0 {
                continue;
            }
            depth = 0;
            let record = std::mem::take(&mut pending);
            let trimmed = record.trim();
            if trimmed.is_empty() || trimmed.starts_with('$') {
                continue;
            }
            let toks = text::tokens(trimmed);
            let is_anchor = toks
                .iter()
                .take(4)
                .any(|t| t.eq_ignore_ascii_case("DS") || t.eq_ignore_ascii_case("DNSKEY"));
            if !is_anchor {
                continue;
            }
            let rr = text::parse_rr(trimmed, None)
                .map_err(|e| format!("trust anchor at line {first_line}: {e}"))?;
            self.add_record(rr.owner, rr.rtype, &rr.rdata)
                .map_err(|e| format!("trust anchor at line {first_line}: {e}"))?;
        }
        Ok(())
    }

    /// Adds one DS or DNSKEY record (data in wire form).
    pub fn add_record(&mut self, owner: Name, rrtype: u16, rdata: &[u8]) -> Result<(), String> {
        if self.anchors.len() >= MAX_ANCHORS {
            return Err(format!("more than {MAX_ANCHORS} trust anchors"));
        }
        let anchor = match rrtype {
            rtype::DS => Anchor::Ds(Ds::from_rdata(rdata)?),
            rtype::DNSKEY => Anchor::Key(Dnskey::from_rdata(rdata)?),
            t => return Err(format!("type {t} is not a trust anchor")),
        };
        if !self
            .anchors
            .iter()
            .any(|(o, a)| *o == owner && *a == anchor)
        {
            self.anchors.push((owner, anchor));
        }
        Ok(())
    }

    /// Whether there are no anchors.
    pub fn is_empty(&self) -> bool {
        self.anchors.is_empty()
    }

    /// The zones with anchors.
    pub fn zones(&self) -> Vec<Name> {
        let mut z: Vec<Name> = self.anchors.iter().map(|(n, _)| n.clone()).collect();
        z.sort_by(Name::canonical_cmp);
        z.dedup();
        z
    }

    /// The closest anchored zone at or above `name`.
    pub fn closest(&self, name: &Name) -> Option<Name> {
        self.anchors
            .iter()
            .map(|(n, _)| n)
            .filter(|n| name.is_at_or_below(n))
            .max_by_key(|n| n.label_count())
            .cloned()
    }

    /// The anchors of `zone`.
    pub fn of(&self, zone: &Name) -> impl Iterator<Item = &Anchor> + '_ {
        let zone = zone.clone();
        self.anchors
            .iter()
            .filter(move |(n, _)| *n == zone)
            .map(|(_, a)| a)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iana_root_anchors_are_ksk_2017_and_ksk_2024() {
        let ta = TrustAnchors::iana_root();
        let tags: Vec<u16> = ta
            .of(&Name::root())
            .map(|a| match a {
                Anchor::Ds(d) => d.key_tag,
                Anchor::Key(k) => k.key_tag(),
            })
            .collect();
        assert_eq!(tags, vec![20326, 38696]);
    }

    #[test]
    fn unbound_style_file_with_comments_and_parentheses() {
        let text = "; autotrust\n. 172800 IN DNSKEY 257 3 8 (\n AwEAAag= ; KSK\n ) ;;state=2\n\
                    example. IN DS 1 13 2 00ff\nexample. IN NS ns.example.\n";
        let ta = TrustAnchors::parse(text).unwrap();
        assert_eq!(ta.zones().len(), 2);
        let ex = Name::from_ascii("a.b.example.").unwrap();
        assert_eq!(ta.closest(&ex), Name::from_ascii("example.").ok());
        let e = TrustAnchors::parse("x. DS 1 2").unwrap_err();
        assert!(e.contains("line 1"), "{e}");
    }

    #[test]
    fn anchor_count_is_capped() {
        let text: String = (0..=MAX_ANCHORS)
            .map(|i| format!("z{i}. DS 1 8 2 00\n"))
            .collect();
        assert!(
            TrustAnchors::parse(&text)
                .unwrap_err()
                .contains("more than")
        );
    }
}
