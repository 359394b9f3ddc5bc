//! DNS questions: what the planner needs answered, with ready-to-send wire-format queries.

use hickory_proto::rr::{Name, RecordType};
use serde::Serialize;

use super::wire::write_query;
use crate::error::{Error, ErrorCode};
use crate::service::Service;

/// EDNS0 UDP payload size advertised in queries (the DNS Flag Day 2020 value).
pub(crate) const EDNS_PAYLOAD: u16 = 1232;

/// One DNS question of a discovery.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Question {
    /// The question id, used to feed its answer back.
    pub id: u16,
    /// The service label asked for.
    pub service: Service,
    /// The owner name, e.g. `_imaps._tcp.example.net` (no trailing dot).
    pub name: String,
    /// The DNS message ID the wire query carries.
    pub message_id: u16,
    /// The query in DNS wire format (RFC 1035 §4.1, no TCP length prefix): RD set, EDNS0 with a
    /// 1232-byte payload, DO set when the host trusts the AD bit.
    #[serde(skip)]
    pub wire: Vec<u8>,
}

/// Wire queries for the A and AAAA records of `host` (with message IDs `message_id` and
/// `message_id + 1`), for hosts whose plan has no addresses for a candidate (resolvers that send
/// minimal responses leave the additional section empty). Read the answers with
/// [`crate::addresses_in_response`].
pub fn address_queries(host: &str, message_id: u16) -> Result<[Vec<u8>; 2], Error> {
    let host = host.strip_suffix('.').unwrap_or(host);
    Ok([
        build_typed_query(host, RecordType::A, message_id, false)?,
        build_typed_query(host, RecordType::AAAA, message_id.wrapping_add(1), false)?,
    ])
}

/// Builds the wire query for `name` SRV IN.
pub(crate) fn build_query(name: &str, message_id: u16, dnssec_ok: bool) -> Result<Vec<u8>, Error> {
    build_typed_query(name, RecordType::SRV, message_id, dnssec_ok)
}

/// Builds the wire query for `name` MX IN.
#[cfg(feature = "autoconfig")]
pub(crate) fn build_mx_query(
    name: &str,
    message_id: u16,
    dnssec_ok: bool,
) -> Result<Vec<u8>, Error> {
    build_typed_query(name, RecordType::MX, message_id, dnssec_ok)
}

fn build_typed_query(
    name: &str,
    rtype: RecordType,
    message_id: u16,
    dnssec_ok: bool,
) -> Result<Vec<u8>, Error> {
    let invalid = || {
        Error::new(
            ErrorCode::InvalidQuery,
            format!("cannot encode `{name}` as a DNS name"),
        )
    };
    if let Some(wire) = plain_query(name, rtype, message_id, dnssec_ok) {
        return Ok(wire);
    }
    let qname = Name::from_ascii(format!("{name}.")).map_err(|_| invalid())?;
    write_query(qname, rtype, message_id, EDNS_PAYLOAD, dnssec_ok).ok_or_else(invalid)
}

/// The query for a plain name — labels of 1–63 letters, digits, `-` and `_`, 255 octets in
/// wire form, no trailing dot: what the planner asks (a service label and a normalised domain)
/// — written directly, the same bytes as hickory's encoder (a test checks it) without its name
/// parser. `None` for any other name, which takes hickory's path (escapes, checks, errors).
fn plain_query(name: &str, rtype: RecordType, message_id: u16, dnssec_ok: bool) -> Option<Vec<u8>> {
    const MAX_WIRE_NAME: usize = 255;
    if name.len() + 2 > MAX_WIRE_NAME {
        return None;
    }
    let mut wire = Vec::with_capacity(12 + name.len() + 2 + 4 + 11);
    wire.extend_from_slice(&message_id.to_be_bytes());
    // RD; one question, one additional record (the OPT pseudo-record).
    wire.extend_from_slice(&[0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 1]);
    // Split as bytes: labels are a few characters, shorter than a search for the dot pays for.
    for label in name.as_bytes().split(|&b| b == b'.') {
        let plain = label
            .iter()
            .all(|&b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if label.is_empty() || label.len() > 63 || !plain {
            return None;
        }
        wire.push(u8::try_from(label.len()).ok()?);
        wire.extend_from_slice(label);
    }
    wire.push(0);
    wire.extend_from_slice(&u16::from(rtype).to_be_bytes());
    wire.extend_from_slice(&1u16.to_be_bytes()); // IN
    // OPT (RFC 6891 §6.1.2): root owner, payload size as the class, DO in the flags, no data.
    wire.push(0);
    wire.extend_from_slice(&u16::from(RecordType::OPT).to_be_bytes());
    wire.extend_from_slice(&EDNS_PAYLOAD.to_be_bytes());
    let flags: u32 = if dnssec_ok { super::wire::EDNS_DO } else { 0 };
    wire.extend_from_slice(&flags.to_be_bytes());
    wire.extend_from_slice(&0u16.to_be_bytes());
    Some(wire)
}

#[cfg(test)]
mod tests {
    use super::*;
    use hickory_proto::op::{Edns, Message, MessageType, OpCode, Query};

    #[test]
    fn s8484_4_1b_query_is_rd_edns_with_given_id() {
        let wire = build_query("_imaps._tcp.example.net", 0x1234, true).unwrap();
        assert_eq!(&wire[..2], &[0x12, 0x34]);
        let m = Message::from_vec(&wire).unwrap();
        assert!(m.metadata.recursion_desired);
        assert_eq!(m.metadata.message_type, MessageType::Query);
        assert_eq!(m.queries[0].query_type(), RecordType::SRV);
        assert_eq!(m.queries[0].name().to_ascii(), "_imaps._tcp.example.net.");
        let edns = m.edns.as_ref().unwrap();
        assert!(edns.flags().dnssec_ok);
        assert_eq!(edns.max_payload(), EDNS_PAYLOAD);
        let plain =
            Message::from_vec(&build_query("_imap._tcp.example.net", 0, false).unwrap()).unwrap();
        assert!(!plain.edns.unwrap().flags().dnssec_ok);
    }

    #[test]
    fn rfc1035_4_1_plain_queries_equal_the_hickory_path_and_others_take_it() {
        let long = format!("{}.example", "a".repeat(63));
        let too_long_label = format!("{}.example", "a".repeat(64));
        // Wire length = text length + 2: 253 characters make the longest name (255 octets).
        let name_255 = format!("{}.{}", vec!["a".repeat(63); 3].join("."), "a".repeat(61));
        let name_over = vec!["a".repeat(63); 4].join("."); // 255 characters: 257 octets
        for name in [
            "_imaps._tcp.example.net",
            "_Submission._tcp.MiXeD-case.example",
            "a.b",
            "xn--bcher-kva.example",
            long.as_str(),
            name_255.as_str(),
        ] {
            for (rtype, dnssec_ok) in [(RecordType::SRV, true), (RecordType::A, false)] {
                let plain = plain_query(name, rtype, 0xbeef, dnssec_ok).expect("a plain name");
                let qname = Name::from_ascii(format!("{name}.")).unwrap();
                let hickory = write_query(qname, rtype, 0xbeef, EDNS_PAYLOAD, dnssec_ok).unwrap();
                assert_eq!(plain, hickory, "{name}");
            }
        }
        // Not plain: hickory's parser decides (escapes, empty labels, lengths, other bytes).
        for name in [
            "a\\.b.example",
            "a..example",
            "trailing.dot.",
            "",
            "sp ace.example",
            too_long_label.as_str(),
            name_over.as_str(),
        ] {
            assert_eq!(plain_query(name, RecordType::SRV, 1, false), None, "{name}");
        }
        assert_eq!(name_255.len(), 253);
        assert!(build_query(&too_long_label, 1, false).is_err());
        assert!(build_query(&name_over, 1, false).is_err());
    }

    #[test]
    fn rfc6891_query_bytes_equal_hickorys_message_encoder() {
        for (rtype, id, dnssec_ok) in [(RecordType::SRV, 7, true), (RecordType::AAAA, 65535, false)]
        {
            let mut m = Message::new(id, MessageType::Query, OpCode::Query);
            m.metadata.recursion_desired = true;
            m.add_query(Query::query(
                Name::from_ascii("_imaps._tcp.example.net.").unwrap(),
                rtype,
            ));
            let mut edns = Edns::new();
            edns.set_max_payload(EDNS_PAYLOAD);
            edns.set_dnssec_ok(dnssec_ok);
            m.set_edns(edns);
            let ours = build_typed_query("_imaps._tcp.example.net", rtype, id, dnssec_ok).unwrap();
            assert_eq!(ours, m.to_vec().unwrap());
        }
    }
}
