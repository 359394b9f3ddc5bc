//! The DNSSEC records of a signed master file, which hickory-proto's zone parser refuses (it
//! builds them only from keys): DNSKEY, CDNSKEY, DS, CDS, RRSIG, NSEC, NSEC3 and NSEC3PARAM are
//! taken out of the text here — and DNAME (RFC 6672), which that parser does not read either — turned into wire-format RDATA (kept as opaque records), and the
//! rest of the text goes to hickory-proto unchanged (line numbers kept). Also the NSEC3 owner
//! hash (RFC 5155 §5, SHA-1 from `ring`).
//!
//! The reader understands the master-file syntax these records use (RFC 1035 §5.1): comments,
//! parentheses over several lines, blank owners (the previous owner), `@`, relative names,
//! `$ORIGIN`, `$TTL`, optional TTL and class in either order, and the generic `\# LEN HEX` form
//! (RFC 3597). A DNSSEC record without a TTL takes the last TTL given, else `$TTL`.

use hickory_proto::rr::rdata::NULL;
use hickory_proto::rr::{DNSClass, Name, RData, Record, RecordType};

use crate::error::{Error, ErrorCode};

/// Most NSEC3 iterations a zone may use (RFC 5155 §10.3's largest, for 4096-bit keys): the
/// host computes up to `iterations + 1` SHA-1 digests per name it proves something about.
pub(crate) const MAX_NSEC3_ITERATIONS: u16 = 2500;

/// The record types this reader takes over from hickory-proto: the DNSSEC types and DNAME.
fn is_dnssec_type(t: RecordType) -> bool {
    matches!(
        t,
        RecordType::DNAME
            | RecordType::DNSKEY
            | RecordType::CDNSKEY
            | RecordType::DS
            | RecordType::CDS
            | RecordType::RRSIG
            | RecordType::NSEC
            | RecordType::NSEC3
            | RecordType::NSEC3PARAM
    )
}

fn parse_error(line: usize, msg: impl core::fmt::Display) -> Error {
    Error::new(
        ErrorCode::ZoneParse,
        format!("zone file line {line}: {msg}"),
    )
}

/// One entry of a master file: a directive or a record, with its tokens.
struct Entry {
    /// Byte range of the entry in the text (comments included).
    start: usize,
    end: usize,
    /// Line of the entry's first character (1-based).
    line: usize,
    /// The entry started with white space: its owner is the previous one.
    blank_owner: bool,
    tokens: Vec<String>,
}

/// Splits `text` into entries: a newline ends an entry unless it is inside parentheses.
fn entries(text: &str) -> Result<Vec<Entry>, Error> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let mut line = 1;
    while i < bytes.len() {
        let start = i;
        let start_line = line;
        let blank_owner = matches!(bytes[i], b' ' | b'\t');
        let mut tokens = Vec::new();
        let mut depth = 0usize;
        let mut token: Option<Vec<u8>> = None;
        while i < bytes.len() {
            let b = bytes[i];
            match b {
                b'\n' => {
                    line += 1;
                    if let Some(t) = token.take() {
                        tokens.push(String::from_utf8_lossy(&t).into_owned());
                    }
                    i += 1;
                    if depth == 0 {
                        break;
                    }
                }
                b' ' | b'\t' | b'\r' => {
                    if let Some(t) = token.take() {
                        tokens.push(String::from_utf8_lossy(&t).into_owned());
                    }
                    i += 1;
                }
                b';' => {
                    while i < bytes.len() && bytes[i] != b'\n' {
                        i += 1;
                    }
                }
                b'(' => {
                    if let Some(t) = token.take() {
                        tokens.push(String::from_utf8_lossy(&t).into_owned());
                    }
                    depth += 1;
                    i += 1;
                }
                b')' => {
                    if let Some(t) = token.take() {
                        tokens.push(String::from_utf8_lossy(&t).into_owned());
                    }
                    depth = depth
                        .checked_sub(1)
                        .ok_or_else(|| parse_error(line, "`)` without `(`"))?;
                    i += 1;
                }
                b'"' => {
                    let t = token.get_or_insert_with(Vec::new);
                    t.push(b);
                    i += 1;
                    while i < bytes.len() && bytes[i] != b'"' {
                        if bytes[i] == b'\\' && i + 1 < bytes.len() {
                            t.push(bytes[i]);
                            i += 1;
                        }
                        if bytes[i] == b'\n' {
                            line += 1;
                        }
                        t.push(bytes[i]);
                        i += 1;
                    }
                    if i < bytes.len() {
                        t.push(b'"');
                        i += 1;
                    }
                }
                b'\\' => {
                    let t = token.get_or_insert_with(Vec::new);
                    t.push(b);
                    if i + 1 < bytes.len() && bytes[i + 1] != b'\n' {
                        t.push(bytes[i + 1]);
                        i += 1;
                    }
                    i += 1;
                }
                _ => {
                    token.get_or_insert_with(Vec::new).push(b);
                    i += 1;
                }
            }
        }
        if depth > 0 {
            return Err(parse_error(start_line, "`(` is never closed"));
        }
        if let Some(t) = token.take() {
            tokens.push(String::from_utf8_lossy(&t).into_owned());
        }
        if !tokens.is_empty() {
            out.push(Entry {
                start,
                end: i,
                line: start_line,
                blank_owner,
                tokens,
            });
        }
    }
    Ok(out)
}

fn parse_ttl(s: &str) -> Option<u32> {
    // Plain seconds, or BIND's units (1h30m, 2D).
    if let Ok(n) = s.parse::<u32>() {
        return Some(n);
    }
    let mut total: u64 = 0;
    let mut n: u64 = 0;
    let mut digits = false;
    for c in s.chars() {
        if let Some(d) = c.to_digit(10) {
            n = n.checked_mul(10)?.checked_add(u64::from(d))?;
            digits = true;
            continue;
        }
        let unit = match c.to_ascii_lowercase() {
            's' => 1,
            'm' => 60,
            'h' => 3600,
            'd' => 86400,
            'w' => 604_800,
            _ => return None,
        };
        if !digits {
            return None;
        }
        total = total.checked_add(n.checked_mul(unit)?)?;
        n = 0;
        digits = false;
    }
    if digits {
        return None;
    }
    u32::try_from(total).ok()
}

fn is_class(s: &str) -> bool {
    let u = s.to_ascii_uppercase();
    matches!(u.as_str(), "IN" | "CH" | "CS" | "HS")
        || u.strip_prefix("CLASS")
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// A record type from its mnemonic or `TYPEnnn` (RFC 3597 §5).
pub(crate) fn record_type(s: &str) -> Option<RecordType> {
    let u = s.to_ascii_uppercase();
    if let Some(n) = u.strip_prefix("TYPE")
        && !n.is_empty()
        && n.bytes().all(|b| b.is_ascii_digit())
    {
        return n.parse::<u16>().ok().map(RecordType::from);
    }
    u.parse::<RecordType>()
        .ok()
        .filter(|t| !matches!(t, RecordType::Unknown(_)))
}

fn name(s: &str, origin: Option<&Name>, line: usize) -> Result<Name, Error> {
    let parsed = if s == "@" {
        origin
            .cloned()
            .ok_or_else(|| parse_error(line, "`@` without an origin"))
    } else {
        Name::parse(s, origin).map_err(|e| parse_error(line, format!("`{s}` is not a name: {e}")))
    }?;
    if parsed.is_fqdn() {
        Ok(parsed)
    } else {
        Err(parse_error(
            line,
            format!("`{s}` is relative and there is no origin"),
        ))
    }
}

/// What [`split`] gives: the text without the DNSSEC records (for hickory-proto's parser), those
/// records (opaque RDATA), and the zone's origin when the file has no `$ORIGIN` but an SOA with
/// an absolute owner (as ldns-signzone writes).
pub(crate) struct Split {
    pub(crate) rest: String,
    pub(crate) records: Vec<Record>,
    pub(crate) soa_owner: Option<Name>,
}

/// Takes the DNSSEC records out of `text` (see [`Split`]).
pub(crate) fn split(text: &str, origin: Option<&Name>) -> Result<Split, Error> {
    let mut soa_owner = None;
    let mut origin = origin.cloned();
    let mut default_ttl: Option<u32> = None;
    let mut last_ttl: Option<u32> = None;
    let mut owner: Option<Name> = None;
    let mut removed_since_owner = false;
    let mut kept = String::with_capacity(text.len());
    let mut records = Vec::new();
    let mut copied = 0;
    for e in entries(text)? {
        let first = e.tokens[0].as_str();
        if !e.blank_owner && first.starts_with('$') {
            match first.to_ascii_uppercase().as_str() {
                "$ORIGIN" => {
                    let o = e
                        .tokens
                        .get(1)
                        .ok_or_else(|| parse_error(e.line, "$ORIGIN needs a name"))?;
                    origin = Some(name(o, origin.as_ref(), e.line)?);
                }
                "$TTL" => {
                    default_ttl = e.tokens.get(1).and_then(|t| parse_ttl(t));
                }
                _ => {}
            }
            continue;
        }
        let mut rest = e.tokens.iter().map(String::as_str).peekable();
        let explicit_owner = if e.blank_owner {
            None
        } else {
            let o = rest.next().unwrap_or_default();
            Some(name(o, origin.as_ref(), e.line)?)
        };
        let mut ttl = None;
        let mut rtype = None;
        for t in rest.by_ref() {
            if is_class(t) {
                continue;
            }
            if ttl.is_none()
                && t.starts_with(|c: char| c.is_ascii_digit())
                && let Some(v) = parse_ttl(t)
            {
                ttl = Some(v);
                continue;
            }
            rtype = Some(t);
            break;
        }
        if ttl.is_some() {
            last_ttl = ttl;
        }
        if let Some(o) = explicit_owner {
            owner = Some(o);
            removed_since_owner = false;
        }
        let rtype = rtype.and_then(record_type);
        if rtype == Some(RecordType::SOA) && soa_owner.is_none() {
            soa_owner.clone_from(&owner);
        }
        let Some(t) = rtype.filter(|t| is_dnssec_type(*t)) else {
            // Kept for hickory-proto; a blank owner after a removed entry gets its owner back.
            kept.push_str(&text[copied..e.start]);
            if e.blank_owner
                && removed_since_owner
                && let Some(o) = &owner
            {
                kept.push_str(&o.to_string());
            }
            kept.push_str(&text[e.start..e.end]);
            copied = e.end;
            continue;
        };
        let o = owner
            .clone()
            .ok_or_else(|| parse_error(e.line, "a record without an owner"))?;
        let ttl = ttl
            .or(last_ttl)
            .or(default_ttl)
            .ok_or_else(|| parse_error(e.line, "a DNSSEC record without a TTL"))?;
        let rdata: Vec<&str> = rest.collect();
        let wire = rdata_wire(t, &rdata, origin.as_ref()).map_err(|m| parse_error(e.line, m))?;
        let mut record = Record::from_rdata(
            o.to_lowercase(),
            ttl,
            RData::Unknown {
                code: t,
                rdata: NULL::with(wire),
            },
        );
        record.dns_class = DNSClass::IN;
        records.push(record);
        // The removed entry's lines stay, empty, so that hickory-proto's line numbers hold.
        kept.push_str(&text[copied..e.start]);
        let lines = text[e.start..e.end].matches('\n').count();
        kept.extend(std::iter::repeat_n('\n', lines));
        copied = e.end;
        removed_since_owner = true;
    }
    kept.push_str(&text[copied..]);
    Ok(Split {
        rest: kept,
        records,
        soa_owner,
    })
}

fn num<T: core::str::FromStr>(s: Option<&&str>, what: &str) -> Result<T, String> {
    let s = s.ok_or_else(|| format!("missing {what}"))?;
    s.parse::<T>()
        .map_err(|_| format!("`{s}` is not a valid {what}"))
}

fn algorithm(s: Option<&&str>) -> Result<u8, String> {
    let s = s.ok_or("missing algorithm")?;
    if let Ok(n) = s.parse::<u8>() {
        return Ok(n);
    }
    // The mnemonics of RFC 8624's table that zone tools print.
    Ok(match s.to_ascii_uppercase().as_str() {
        "RSASHA1" => 5,
        "RSASHA1-NSEC3-SHA1" => 7,
        "RSASHA256" => 8,
        "RSASHA512" => 10,
        "ECDSAP256SHA256" => 13,
        "ECDSAP384SHA384" => 14,
        "ED25519" => 15,
        "ED448" => 16,
        _ => return Err(format!("`{s}` is not an algorithm")),
    })
}

fn hex(s: &str) -> Result<Vec<u8>, String> {
    if !s.len().is_multiple_of(2) {
        return Err(format!("`{s}` is not hexadecimal"));
    }
    (0..s.len())
        .step_by(2)
        .map(|i| {
            s.get(i..i + 2)
                .and_then(|p| u8::from_str_radix(p, 16).ok())
                .ok_or_else(|| format!("`{s}` is not hexadecimal"))
        })
        .collect()
}

fn base64(s: &str) -> Result<Vec<u8>, String> {
    use base64ct::{Base64, Encoding};
    Base64::decode_vec(s).map_err(|_| "the key or signature is not base64".to_owned())
}

/// Base32 with the extended hex alphabet, no padding (RFC 4648 §7), as NSEC3 uses.
pub(crate) fn base32hex(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len() * 5 / 8);
    let mut acc: u32 = 0;
    let mut bits = 0;
    for c in s.bytes() {
        let v = match c.to_ascii_lowercase() {
            b'0'..=b'9' => c - b'0',
            c @ b'a'..=b'v' => c - b'a' + 10,
            _ => return None,
        };
        acc = (acc << 5) | u32::from(v);
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    (acc == 0).then_some(out)
}

fn push_name(out: &mut Vec<u8>, n: &Name) {
    for label in n.iter() {
        out.push(label.len() as u8);
        out.extend_from_slice(label);
    }
    out.push(0);
}

/// The type bit maps of NSEC and NSEC3 (RFC 4034 §4.1.2).
fn type_bitmap(out: &mut Vec<u8>, types: &[&str]) -> Result<(), String> {
    let mut codes = types
        .iter()
        .map(|t| {
            record_type(t)
                .map(u16::from)
                .ok_or(format!("`{t}` is not a type"))
        })
        .collect::<Result<Vec<u16>, String>>()?;
    codes.sort_unstable();
    codes.dedup();
    let mut i = 0;
    while i < codes.len() {
        let window = (codes[i] >> 8) as u8;
        let mut map = [0u8; 32];
        let mut len = 0;
        while i < codes.len() && (codes[i] >> 8) as u8 == window {
            let low = (codes[i] & 0xff) as usize;
            map[low / 8] |= 0x80 >> (low % 8);
            len = low / 8 + 1;
            i += 1;
        }
        out.push(window);
        out.push(len as u8);
        out.extend_from_slice(&map[..len]);
    }
    Ok(())
}

/// An RRSIG time: `YYYYMMDDHHmmSS` (UTC) or seconds since 1970 (RFC 4034 §3.2), as the 32-bit
/// serial number the wire holds.
fn sig_time(s: Option<&&str>) -> Result<u32, String> {
    let s = s.ok_or("missing signature time")?;
    if s.len() != 14 {
        return s
            .parse::<u32>()
            .map_err(|_| format!("`{s}` is not a signature time"));
    }
    let d = |r: core::ops::Range<usize>| {
        s.get(r)
            .and_then(|p| p.parse::<i64>().ok())
            .ok_or_else(|| format!("`{s}` is not a signature time"))
    };
    let (y, mo, day, h, mi, se) = (
        d(0..4)?,
        d(4..6)?,
        d(6..8)?,
        d(8..10)?,
        d(10..12)?,
        d(12..14)?,
    );
    if !(1..=12).contains(&mo) || !(1..=31).contains(&day) || h > 23 || mi > 59 || se > 60 {
        return Err(format!("`{s}` is not a signature time"));
    }
    // Days from 1970-01-01 to the civil date (proleptic Gregorian calendar).
    let (y, m) = if mo <= 2 {
        (y - 1, mo + 9)
    } else {
        (y, mo - 3)
    };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * m + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    let secs = days * 86400 + h * 3600 + mi * 60 + se;
    // Serial number arithmetic (RFC 4034 §3.1.5): the value modulo 2^32.
    Ok(secs.rem_euclid(1 << 32) as u32)
}

/// Presentation RDATA of a DNSSEC type to wire format.
fn rdata_wire(t: RecordType, f: &[&str], origin: Option<&Name>) -> Result<Vec<u8>, String> {
    if f.first() == Some(&"\\#") {
        let len: usize = num(f.get(1), "RDATA length")?;
        let data = hex(&f[2..].concat())?;
        if data.len() != len {
            return Err(format!("RDATA length {len} but {} bytes", data.len()));
        }
        return Ok(data);
    }
    let mut out = Vec::new();
    let rel_name = |s: Option<&&str>| -> Result<Name, String> {
        let s = s.ok_or("missing name")?;
        name(s, origin, 0).map_err(|e| e.message().to_owned())
    };
    match t {
        RecordType::DNSKEY | RecordType::CDNSKEY => {
            out.extend(num::<u16>(f.first(), "flags")?.to_be_bytes());
            out.push(num::<u8>(f.get(1), "protocol")?);
            out.push(algorithm(f.get(2))?);
            out.extend(base64(&f.get(3..).unwrap_or_default().concat())?);
        }
        RecordType::DS | RecordType::CDS => {
            out.extend(num::<u16>(f.first(), "key tag")?.to_be_bytes());
            out.push(algorithm(f.get(1))?);
            out.push(num::<u8>(f.get(2), "digest type")?);
            out.extend(hex(&f.get(3..).unwrap_or_default().concat())?);
        }
        RecordType::RRSIG => {
            let covered = f
                .first()
                .and_then(|s| record_type(s))
                .ok_or("missing or unknown type covered")?;
            out.extend(u16::from(covered).to_be_bytes());
            out.push(algorithm(f.get(1))?);
            out.push(num::<u8>(f.get(2), "label count")?);
            out.extend(num::<u32>(f.get(3), "original TTL")?.to_be_bytes());
            out.extend(sig_time(f.get(4))?.to_be_bytes());
            out.extend(sig_time(f.get(5))?.to_be_bytes());
            out.extend(num::<u16>(f.get(6), "key tag")?.to_be_bytes());
            push_name(&mut out, &rel_name(f.get(7))?);
            out.extend(base64(&f.get(8..).unwrap_or_default().concat())?);
        }
        RecordType::DNAME => {
            if f.len() != 1 {
                return Err("DNAME takes one target name".into());
            }
            push_name(&mut out, &rel_name(f.first())?);
        }
        RecordType::NSEC => {
            push_name(&mut out, &rel_name(f.first())?);
            type_bitmap(&mut out, f.get(1..).unwrap_or_default())?;
        }
        RecordType::NSEC3 | RecordType::NSEC3PARAM => {
            out.push(num::<u8>(f.first(), "hash algorithm")?);
            out.push(num::<u8>(f.get(1), "flags")?);
            out.extend(num::<u16>(f.get(2), "iterations")?.to_be_bytes());
            let salt = match f.get(3) {
                Some(&"-") => Vec::new(),
                Some(s) => hex(s)?,
                None => return Err("missing salt".into()),
            };
            out.push(u8::try_from(salt.len()).map_err(|_| "salt too long")?);
            out.extend(salt);
            if t == RecordType::NSEC3 {
                let next = f.get(4).ok_or("missing next hashed owner")?;
                let hash = base32hex(next)
                    .filter(|h| !h.is_empty() && h.len() <= 255)
                    .ok_or(format!("`{next}` is not base32hex"))?;
                out.push(hash.len() as u8);
                out.extend(hash);
                type_bitmap(&mut out, f.get(5..).unwrap_or_default())?;
            }
        }
        _ => return Err(format!("{t} is not a DNSSEC type or DNAME")),
    }
    if out.len() > usize::from(u16::MAX) {
        return Err("RDATA longer than 65535 bytes".into());
    }
    Ok(out)
}

/// The RDATA bytes of an opaque record ([`split`]'s records).
pub(crate) fn raw(record: &Record) -> &[u8] {
    match &record.data {
        RData::Unknown { rdata, .. } => &rdata.anything,
        _ => &[],
    }
}

/// The target of a DNAME record ([`split`]'s opaque records), lower case and fully qualified.
pub(crate) fn dname_target(record: &Record) -> Option<Name> {
    use hickory_proto::serialize::binary::{BinDecodable, BinDecoder};
    let raw = raw(record);
    let mut decoder = BinDecoder::new(raw);
    let name = Name::read(&mut decoder).ok()?;
    (decoder.index() == raw.len()).then(|| name.to_lowercase())
}

/// The type an RRSIG covers.
pub(crate) fn covered(record: &Record) -> Option<RecordType> {
    match raw(record) {
        [a, b, ..] => Some(RecordType::from(u16::from_be_bytes([*a, *b]))),
        _ => None,
    }
}

/// NSEC3 parameters: (iterations, salt) of an NSEC3PARAM record with SHA-1 (RFC 5155 §4).
pub(crate) fn nsec3_params(record: &Record) -> Option<(u16, Vec<u8>)> {
    let r = raw(record);
    let (&alg, rest) = r.split_first()?;
    let [_, i0, i1, len, salt @ ..] = rest else {
        return None;
    };
    (alg == 1 && salt.len() == usize::from(*len))
        .then(|| (u16::from_be_bytes([*i0, *i1]), salt.to_vec()))
}

/// The NSEC3 hash of `name` (RFC 5155 §5): SHA-1 iterated `iterations` more times with `salt`.
pub(crate) fn nsec3_hash(name: &Name, iterations: u16, salt: &[u8]) -> Vec<u8> {
    use ring::digest::{SHA1_FOR_LEGACY_USE_ONLY, digest};
    let mut x = Vec::with_capacity(256);
    push_name(&mut x, &name.to_lowercase());
    x.extend_from_slice(salt);
    let mut h = digest(&SHA1_FOR_LEGACY_USE_ONLY, &x);
    for _ in 0..iterations {
        x.clear();
        x.extend_from_slice(h.as_ref());
        x.extend_from_slice(salt);
        h = digest(&SHA1_FOR_LEGACY_USE_ONLY, &x);
    }
    h.as_ref().to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nsec3_hash_matches_rfc5155_appendix_a() {
        // RFC 5155 Appendix A: example, salt aabbccdd, 12 iterations.
        let h = nsec3_hash(
            &Name::from_ascii("example.").unwrap(),
            12,
            &[0xaa, 0xbb, 0xcc, 0xdd],
        );
        assert_eq!(h, base32hex("0p9mhaveqvm6t7vbl5lop2u3t2rp3tom").unwrap());
    }

    #[test]
    fn sig_time_is_utc_seconds() {
        assert_eq!(sig_time(Some(&"20260101000000")), Ok(1_767_225_600));
        assert_eq!(sig_time(Some(&"1767225600")), Ok(1_767_225_600));
        assert!(sig_time(Some(&"20261301000000")).is_err());
    }

    #[test]
    fn blank_owner_after_a_removed_record_keeps_its_owner() {
        let text = "$ORIGIN a.\n$TTL 60\n@ IN SOA ns. h. 1 2 3 4 5\n  IN RRSIG SOA 13 1 60 20260101000000 20250101000000 1 a. AAAA\n  IN NS ns.\n";
        let Split {
            rest: kept,
            records: recs,
            soa_owner,
        } = split(text, None).unwrap();
        assert_eq!(soa_owner, Some(Name::from_ascii("a.").unwrap()));
        assert_eq!(recs.len(), 1);
        assert_eq!(covered(&recs[0]), Some(RecordType::SOA));
        assert!(kept.contains("a. "), "{kept}");
        assert_eq!(kept.matches('\n').count(), text.matches('\n').count());
    }
}
