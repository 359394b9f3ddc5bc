//! The zone-file host answers as an authoritative server would.

#![allow(clippy::unwrap_used, reason = "a failing unwrap is a failing test")]

mod common;

use common::zone_host;
use hickory_proto::op::{Message, ResponseCode};
use hickory_proto::rr::RecordType;
use mailsrv::zone::{Transport, ZoneHost};
use mailsrv::{Discovery, ErrorCode, Options, Service};

fn ask(host: &ZoneHost, email: &str, service: Service, transport: Transport) -> Message {
    let d = Discovery::new(email, Options::default()).unwrap();
    let q = common::question(&d, service);
    Message::from_vec(&host.answer(&q.wire, transport).unwrap()).unwrap()
}

#[test]
fn answers_are_authoritative_with_addresses_in_the_additional_section() {
    let host = zone_host(&["demo.zone"], &[]);
    let m = ask(&host, "a@example.net", Service::Submissions, Transport::Udp);
    assert!(m.metadata.authoritative);
    assert_eq!(m.metadata.response_code, ResponseCode::NoError);
    assert_eq!(m.answers.len(), 1);
    let types: Vec<RecordType> = m.additionals.iter().map(|r| r.record_type()).collect();
    assert!(
        types.contains(&RecordType::A) && types.contains(&RecordType::AAAA),
        "{types:?}"
    );
}

#[test]
fn nxdomain_and_nodata_are_told_apart_with_the_soa() {
    let host = zone_host(&["nothing.zone"], &[]);
    let nx = ask(&host, "a@empty.example", Service::Imap, Transport::Udp);
    assert_eq!(nx.metadata.response_code, ResponseCode::NXDomain);
    assert_eq!(nx.authorities[0].record_type(), RecordType::SOA);
    let nodata = ask(&host, "a@empty.example", Service::Imaps, Transport::Udp);
    assert_eq!(nodata.metadata.response_code, ResponseCode::NoError);
    assert!(nodata.answers.is_empty());
    assert_eq!(nodata.authorities[0].record_type(), RecordType::SOA);
    let refused = ask(&host, "a@not-here.example", Service::Imaps, Transport::Udp);
    assert_eq!(refused.metadata.response_code, ResponseCode::Refused);
}

#[test]
fn udp_answers_truncate_at_512_without_edns_and_tcp_answers_do_not() {
    let host = zone_host(&["many.zone"], &[]);
    let d = Discovery::new("a@many.example", Options::default()).unwrap();
    let q = common::question(&d, Service::Imaps);
    let mut plain = Message::from_vec(&q.wire).unwrap();
    plain.edns = None;
    let plain = plain.to_vec().unwrap();
    let udp = host.answer(&plain, Transport::Udp).unwrap();
    assert!(udp.len() <= 512);
    assert!(Message::from_vec(&udp).unwrap().metadata.truncation);
    let tcp = Message::from_vec(&host.answer(&plain, Transport::Tcp).unwrap()).unwrap();
    assert!(!tcp.metadata.truncation);
    assert_eq!(tcp.answers.len(), 64);
    // A small answer fits in 512 bytes without EDNS.
    let small = common::question(&d, Service::Submissions);
    let mut m = Message::from_vec(&small.wire).unwrap();
    m.edns = None;
    let udp =
        Message::from_vec(&host.answer(&m.to_vec().unwrap(), Transport::Udp).unwrap()).unwrap();
    assert!(!udp.metadata.truncation);
}

#[test]
fn bad_zone_files_are_typed_errors() {
    let mut host = ZoneHost::new();
    let err = host
        .add_zone("$INCLUDE /etc/passwd\n", Some("x.example."), false)
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::ZoneParse);
    let err = host
        .add_zone("@ IN SRV not numbers\n", Some("x.example."), false)
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::ZoneParse);
    let err = host
        .add_zone("$TTL 60\nwww IN A 192.0.2.1\n", Some("x.example."), false)
        .unwrap_err();
    assert!(err.message().contains("SOA"), "{err}");
    assert_eq!(
        host.answer(b"\x00\x01", Transport::Udp).unwrap_err().code(),
        ErrorCode::InvalidQuery
    );
    let zone = "$TTL 60\n@ IN SOA ns hm 1 1 1 1 1\n";
    host.add_zone(zone, Some("y.example."), false).unwrap();
    let err = host.add_zone(zone, Some("Y.Example."), true).unwrap_err();
    assert!(err.message().contains("already loaded"), "{err}");
}

#[test]
fn address_queries_and_answers_for_candidates_without_addresses() {
    let host = zone_host(&["alias.zone"], &[]);
    let [a, aaaa] = mailsrv::address_queries("mail.alias.example.", 7).unwrap();
    let answer = host.answer(&a, Transport::Udp).unwrap();
    let found = mailsrv::addresses_in_response(&answer, "mail.alias.example");
    assert_eq!(
        found,
        ["192.0.2.40".parse::<std::net::IpAddr>().unwrap()],
        "CNAME followed"
    );
    assert!(
        mailsrv::addresses_in_response(
            &host.answer(&aaaa, Transport::Udp).unwrap(),
            "mail.alias.example"
        )
        .is_empty()
    );
    assert!(mailsrv::addresses_in_response(&answer, "other.alias.example").is_empty());
    assert!(mailsrv::addresses_in_response(b"junk", "mail.alias.example").is_empty());
}

#[test]
fn transports_parse_from_their_names_only() {
    assert_eq!("udp".parse::<Transport>(), Ok(Transport::Udp));
    assert_eq!("tcp".parse::<Transport>(), Ok(Transport::Tcp));
    for bad in ["UDP", "quic", ""] {
        let e = bad.parse::<Transport>().unwrap_err();
        assert_eq!(e.code(), mailsrv::ErrorCode::InvalidOption, "{bad}");
        assert!(e.message().contains("use udp or tcp"), "{}", e.message());
    }
}

#[test]
fn d41_resolve_answers_the_validators_questions_until_none_is_pending() {
    // An unsigned zone under the built-in root anchors: the host has no root zone, so the
    // validator cannot build a chain and no answer may be used; what matters here is that
    // `resolve` feeds every validator question (several rounds) and the plan ends final.
    let host = zone_host(&["demo.zone"], &[]);
    let options = Options {
        sources: vec![mailsrv::Source::Srv],
        ..Options::default()
    }
    .validate_dnssec(None, 1_780_000_000);
    let mut d = Discovery::new("a@example.net", options).unwrap();
    assert!(!d.pending_dnssec().is_empty());
    host.resolve(&mut d).unwrap();
    assert!(d.pending_dnssec().is_empty());
    assert!(d.is_complete());
    let plan = d.plan(1);
    assert!(plan.is_final);
    assert!(
        plan.lookups
            .iter()
            .all(|l| l.dnssec_source == mailsrv::DnssecSource::Validated
                && l.dnssec != mailsrv::DnssecStatus::Secure),
        "{:?}",
        plan.lookups
    );
    assert!(
        plan.incoming
            .candidates
            .iter()
            .all(|c| c.source != mailsrv::Source::Srv)
    );
}
