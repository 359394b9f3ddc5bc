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
    let qname = Name::from_ascii(format!("{name}.")).map_err(|_| invalid())?;
    write_query(qname, rtype, message_id, EDNS_PAYLOAD, dnssec_ok).ok_or_else(invalid)
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
