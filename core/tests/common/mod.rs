//! The corpus replay harness shared by the integration tests (rules in testdata/README.md).
#![allow(
    dead_code,
    unreachable_pub,
    reason = "each test binary uses a different part of the harness"
)]

use std::path::PathBuf;

use mailsrv::zone::{Transport, ZoneHost};
use mailsrv::{Discovery, Failure, Options, Outcome, Plan};
use serde::Deserialize;

#[derive(Deserialize, Clone, Debug)]
#[serde(rename_all = "camelCase")]
pub struct Case {
    pub name: String,
    pub email: String,
    pub zones: Vec<String>,
    #[serde(default)]
    pub secure_zones: Vec<String>,
    #[serde(default)]
    pub options: Option<Options>,
    #[serde(default)]
    pub inject: std::collections::BTreeMap<String, String>,
    pub seed: u64,
}

#[derive(Deserialize)]
struct Manifest {
    cases: Vec<Case>,
}

pub fn testdata() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../testdata")
}

pub fn cases() -> Vec<Case> {
    let text = std::fs::read_to_string(testdata().join("cases.json")).unwrap();
    serde_json::from_str::<Manifest>(&text).unwrap().cases
}

pub fn case(name: &str) -> Case {
    cases()
        .into_iter()
        .find(|c| c.name == name)
        .unwrap_or_else(|| panic!("no case {name}"))
}

pub fn zone_host(zones: &[&str], secure: &[&str]) -> ZoneHost {
    let mut host = ZoneHost::new();
    for z in zones {
        let text = std::fs::read_to_string(testdata().join("zones").join(z)).unwrap();
        host.add_zone(&text, None, secure.contains(z)).unwrap();
    }
    host
}

/// Runs a case up to the point of planning.
pub fn discover(case: &Case) -> Discovery {
    let zones: Vec<&str> = case.zones.iter().map(String::as_str).collect();
    let secure: Vec<&str> = case.secure_zones.iter().map(String::as_str).collect();
    let host = zone_host(&zones, &secure);
    // The corpus cases are DNS-only (so that the C and JS replays, which ask DNS only, give the
    // same bytes); the multi-source fixtures have their own replay (tests/multisource.rs).
    let options = Options {
        sources: vec![mailsrv::Source::Srv],
        ..case.options.clone().unwrap_or_default()
    };
    let mut d = Discovery::new(&case.email, options).unwrap();
    for q in d.questions().to_vec() {
        let inject = case.inject.get(q.service.label()).map(String::as_str);
        let rcode_reply = |rcode: u8| {
            let mut w = q.wire.clone();
            w[2] |= 0x80;
            w[3] = (w[3] & 0xF0) | rcode;
            w
        };
        match inject {
            None | Some("no-tcp") => {
                let udp = host.answer(&q.wire, Transport::Udp).unwrap();
                let outcome = d.receive(q.id, &udp, None).unwrap();
                if outcome == Outcome::Truncated && inject.is_none() {
                    let tcp = host.answer(&q.wire, Transport::Tcp).unwrap();
                    d.receive(q.id, &tcp, None).unwrap();
                }
            }
            Some("servfail") => {
                d.receive(q.id, &rcode_reply(2), None).unwrap();
            }
            Some("formerr") => {
                d.receive(q.id, &rcode_reply(1), None).unwrap();
            }
            Some("malformed") => {
                let udp = host.answer(&q.wire, Transport::Udp).unwrap();
                d.receive(q.id, &udp[..20.min(udp.len())], None).unwrap();
            }
            Some("timeout") => d.fail(q.id, Failure::Timeout).unwrap(),
            Some("network-error") => d.fail(q.id, Failure::NetworkError).unwrap(),
            Some(other) => panic!("unknown injection {other}"),
        }
    }
    d
}

pub fn run(case: &Case) -> Plan {
    discover(case).plan(case.seed)
}

pub fn run_named(name: &str) -> Plan {
    run(&case(name))
}

/// Builds a wire response to `q` (ID, question, QR and RD set), letting `edit` add records.
pub fn response(
    q: &mailsrv::Question,
    edit: impl FnOnce(&mut hickory_proto::op::Message),
) -> Vec<u8> {
    use hickory_proto::op::{Message, MessageType, OpCode};
    let query = Message::from_vec(&q.wire).unwrap();
    let mut m = Message::new(q.message_id, MessageType::Response, OpCode::Query);
    m.metadata.recursion_desired = true;
    m.metadata.recursion_available = true;
    m.add_queries(query.queries.clone());
    edit(&mut m);
    m.to_vec().unwrap()
}

/// An SRV record owned by `owner`.
pub fn srv(
    owner: &str,
    priority: u16,
    weight: u16,
    port: u16,
    target: &str,
) -> hickory_proto::rr::Record {
    use hickory_proto::rr::{Name, RData, Record, rdata::SRV};
    Record::from_rdata(
        Name::from_ascii(owner).unwrap(),
        3600,
        RData::SRV(SRV::new(
            priority,
            weight,
            port,
            Name::from_ascii(target).unwrap(),
        )),
    )
}

/// An A record.
pub fn a(owner: &str, ip: [u8; 4]) -> hickory_proto::rr::Record {
    use hickory_proto::rr::{Name, RData, Record, rdata::A};
    Record::from_rdata(
        Name::from_ascii(owner).unwrap(),
        3600,
        RData::A(A::new(ip[0], ip[1], ip[2], ip[3])),
    )
}

/// The question for `service` in `d`.
pub fn question(d: &Discovery, service: mailsrv::Service) -> mailsrv::Question {
    d.questions()
        .iter()
        .find(|q| q.service == service)
        .unwrap()
        .clone()
}

/// The SubjectPublicKeyInfo (whole DER) of a certificate: the 6th field of the TBSCertificate
/// after the optional version.
pub fn spki(cert: &[u8]) -> Vec<u8> {
    use der::asn1::AnyRef;
    use der::{Decode, Encode, Reader, SliceReader, Tag, Tagged};
    let outer = AnyRef::from_der(cert).unwrap();
    let mut r = SliceReader::new(outer.value()).unwrap();
    let tbs = AnyRef::decode(&mut r).unwrap();
    let mut r = SliceReader::new(tbs.value()).unwrap();
    let mut fields = Vec::new();
    while !r.is_finished() {
        fields.push(AnyRef::decode(&mut r).unwrap());
    }
    let skip = usize::from(fields[0].tag() != Tag::Integer);
    fields[skip + 5].to_der().unwrap()
}

/// A file of `testdata/dnssec` (the signed hierarchy under the private root).
pub fn dnssec_file(name: &str) -> String {
    std::fs::read_to_string(testdata().join("dnssec").join(name)).unwrap()
}

/// A zone host serving the named signed zones of `testdata/dnssec` as they are.
pub fn signed_host(zones: &[&str]) -> ZoneHost {
    let mut h = ZoneHost::new();
    for z in zones {
        h.add_zone(&dnssec_file(z), None, false).unwrap();
    }
    h
}

/// SRV only, validation on with the private root's anchor at `now`.
pub fn validating_srv_options(now: u64) -> Options {
    Options {
        sources: vec![mailsrv::Source::Srv],
        ..Options::default()
    }
    .validate_dnssec(Some(dnssec_file("root.anchor")), now)
}
