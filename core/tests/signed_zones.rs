//! The zone-file host serves the signed hierarchy of testdata/dnssec/ as an authoritative
//! server would (RFC 4035 §3.1, RFC 5155 §7.2): DNSSEC records only to queries with DO,
//! RRSIGs with every RRset, NSEC/NSEC3 proofs of denials and wildcards, referrals with DS or
//! the proof of its absence, DS from the parent side. That the records it picks really prove
//! what they must is checked by a real validator (tests/delv.rs); these tests pin the choices.

#![allow(clippy::unwrap_used, reason = "a failing unwrap is a failing test")]

use std::path::Path;

use hickory_proto::op::{Edns, Message, MessageType, OpCode, Query, ResponseCode};
use hickory_proto::rr::{Name, Record, RecordType};
use mailsrv::ErrorCode;
use mailsrv::zone::{Transport, ZoneHost};

const ALL: &[&str] = &[
    "root.zone",
    "test.zone",
    "example.test.zone",
    "plain.example.test.zone",
    "nsec3.test.zone",
    "iter150.test.zone",
    "ed.test.zone",
    "outside.test.zone",
    "insecure.test.zone",
    "bogus.test.zone",
    "expired.test.zone",
    "dane.test.zone",
    "hosting.test.zone",
    "dname.test.zone",
];

fn text(file: &str) -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/dnssec");
    std::fs::read_to_string(dir.join(file)).unwrap()
}

fn host(files: &[&str]) -> ZoneHost {
    let mut h = ZoneHost::new();
    for f in files {
        h.add_zone(&text(f), None, false).unwrap();
    }
    h
}

fn ask(h: &ZoneHost, name: &str, rtype: RecordType, dnssec_ok: bool) -> Message {
    let mut m = Message::new(7, MessageType::Query, OpCode::Query);
    m.add_query(Query::query(Name::from_ascii(name).unwrap(), rtype));
    let mut edns = Edns::new();
    edns.set_max_payload(1232);
    edns.set_dnssec_ok(dnssec_ok);
    m.set_edns(edns);
    Message::from_vec(&h.answer(&m.to_vec().unwrap(), Transport::Tcp).unwrap()).unwrap()
}

fn types(records: &[Record]) -> Vec<RecordType> {
    records.iter().map(Record::record_type).collect()
}

fn count(records: &[Record], t: RecordType) -> usize {
    records.iter().filter(|r| r.record_type() == t).count()
}

/// The RRSIG's raw RDATA (the host keeps DNSSEC records opaque).
fn rrsig_rdata(r: &Record) -> Vec<u8> {
    let mut bytes = Vec::new();
    let mut enc = hickory_proto::serialize::binary::BinEncoder::new(&mut bytes);
    hickory_proto::serialize::binary::BinEncodable::emit(&r.data, &mut enc).unwrap();
    bytes
}

#[test]
fn rfc4035_3_1_without_do_no_dnssec_records_are_added() {
    let h = host(ALL);
    let m = ask(&h, "_imaps._tcp.example.test.", RecordType::SRV, false);
    assert_eq!(types(&m.answers), [RecordType::SRV]);
    assert!(
        !types(&m.additionals).contains(&RecordType::RRSIG),
        "{:?}",
        m.additionals
    );
    let nx = ask(&h, "nope.example.test.", RecordType::A, false);
    assert_eq!(nx.metadata.response_code, ResponseCode::NXDomain);
    assert_eq!(types(&nx.authorities), [RecordType::SOA]);
    // Asked by type, DNSSEC records are data like any other.
    let keys = ask(&h, "example.test.", RecordType::DNSKEY, false);
    assert_eq!(types(&keys.answers), [RecordType::DNSKEY]);
}

#[test]
fn rfc4035_3_1_1_with_do_every_rrset_comes_with_its_rrsigs() {
    let h = host(ALL);
    let m = ask(&h, "_imaps._tcp.example.test.", RecordType::SRV, true);
    assert!(m.metadata.authoritative);
    assert_eq!(types(&m.answers), [RecordType::SRV, RecordType::RRSIG]);
    // The RRSIG covers SRV (its first two RDATA bytes) and carries the owner's label count.
    let sig = rrsig_rdata(&m.answers[1]);
    assert_eq!(
        u16::from_be_bytes([sig[0], sig[1]]),
        u16::from(RecordType::SRV)
    );
    assert_eq!(sig[3], 4);
    // Addresses of the in-zone target, each with its signature.
    assert_eq!(count(&m.additionals, RecordType::RRSIG), 2);
    let keys = ask(&h, "example.test.", RecordType::DNSKEY, true);
    assert_eq!(
        types(&keys.answers),
        [RecordType::DNSKEY, RecordType::RRSIG]
    );
}

#[test]
fn rfc4035_3_1_3_nsec_proves_nxdomain_nodata_and_the_empty_non_terminal() {
    let h = host(ALL);
    let nx = ask(&h, "nope.example.test.", RecordType::A, true);
    assert_eq!(nx.metadata.response_code, ResponseCode::NXDomain);
    // SOA, the NSEC covering the name and the one covering the wildcard, each signed.
    assert_eq!(count(&nx.authorities, RecordType::SOA), 1);
    assert_eq!(count(&nx.authorities, RecordType::NSEC), 2);
    assert_eq!(count(&nx.authorities, RecordType::RRSIG), 3);
    let nodata = ask(&h, "mail.example.test.", RecordType::SRV, true);
    assert_eq!(nodata.metadata.response_code, ResponseCode::NoError);
    assert!(nodata.answers.is_empty());
    let nsec: Vec<&Record> = nodata
        .authorities
        .iter()
        .filter(|r| r.record_type() == RecordType::NSEC)
        .collect();
    assert_eq!(nsec.len(), 1);
    assert_eq!(
        nsec[0].name,
        Name::from_ascii("mail.example.test.").unwrap()
    );
    let ent = ask(&h, "_tcp.example.test.", RecordType::SRV, true);
    assert_eq!(ent.metadata.response_code, ResponseCode::NoError);
    assert_eq!(count(&ent.authorities, RecordType::NSEC), 1);
}

#[test]
fn rfc4035_3_1_3_3_a_wildcard_answer_is_signed_and_proves_the_name_absent() {
    let h = host(ALL);
    let m = ask(&h, "_imaps._tcp.wild.example.test.", RecordType::SRV, true);
    assert_eq!(types(&m.answers), [RecordType::SRV, RecordType::RRSIG]);
    let owner = Name::from_ascii("_imaps._tcp.wild.example.test.").unwrap();
    assert!(m.answers.iter().all(|r| r.name == owner));
    // The label count is the wildcard's (*._tcp.wild.example.test. has 4 without the `*`).
    assert_eq!(rrsig_rdata(&m.answers[1])[3], 4);
    assert_eq!(count(&m.authorities, RecordType::NSEC), 1);
    // NSEC3 (RFC 5155 §7.2.6): the NSEC3 covering the next closer name.
    let m = ask(&h, "_imaps._tcp.wild.nsec3.test.", RecordType::SRV, true);
    assert_eq!(types(&m.answers), [RecordType::SRV, RecordType::RRSIG]);
    assert_eq!(count(&m.authorities, RecordType::NSEC3), 1);
}

#[test]
fn rfc5155_7_2_nsec3_proves_nxdomain_with_the_closest_encloser_and_nodata_with_a_match() {
    let h = host(ALL);
    let nx = ask(&h, "nope.nsec3.test.", RecordType::A, true);
    assert_eq!(nx.metadata.response_code, ResponseCode::NXDomain);
    // Closest encloser (the apex), next closer and wildcard: up to three distinct NSEC3s.
    let n = count(&nx.authorities, RecordType::NSEC3);
    assert!((2..=3).contains(&n), "{n}: {:?}", nx.authorities);
    assert_eq!(count(&nx.authorities, RecordType::RRSIG), n + 1);
    let nodata = ask(&h, "mail.nsec3.test.", RecordType::SRV, true);
    assert_eq!(count(&nodata.authorities, RecordType::NSEC3), 1);
    // The 150-iteration zone hashes with its own parameters.
    let nodata = ask(&h, "mail.iter150.test.", RecordType::SRV, true);
    assert_eq!(count(&nodata.authorities, RecordType::NSEC3), 1);
}

#[test]
fn rfc4035_3_1_4_1_ds_is_answered_from_the_parent_side() {
    let h = host(ALL);
    let m = ask(&h, "example.test.", RecordType::DS, true);
    assert_eq!(types(&m.answers), [RecordType::DS, RecordType::RRSIG]);
    // Signed by test., the parent (signer name after the 18 fixed RDATA bytes).
    let sig = rrsig_rdata(&m.answers[1]);
    assert_eq!(&sig[18..24], b"\x04test\x00");
    // No DS at an unsigned child: NODATA from the parent, proven by NSEC3 (opt-out span).
    let none = ask(&h, "insecure.test.", RecordType::DS, true);
    assert!(none.answers.is_empty());
    assert_eq!(none.metadata.response_code, ResponseCode::NoError);
    assert!(count(&none.authorities, RecordType::NSEC3) >= 2);
}

#[test]
fn rfc4035_3_1_4_referrals_carry_ns_and_ds_or_the_proof_there_is_none() {
    // Only the root and the TLD: every test domain is a referral.
    let h = host(&["root.zone", "test.zone", "example.test.zone"]);
    let m = ask(&h, "_imaps._tcp.nsec3.test.", RecordType::SRV, true);
    assert!(!m.metadata.authoritative);
    assert!(m.answers.is_empty());
    assert_eq!(count(&m.authorities, RecordType::NS), 1);
    assert_eq!(count(&m.authorities, RecordType::DS), 1);
    assert_eq!(count(&m.authorities, RecordType::RRSIG), 1);
    // Unsigned child under NSEC3 opt-out: no NSEC3 matches it, so the closest provable
    // encloser (test.) and the opt-out NSEC3 covering insecure.test.
    let m = ask(&h, "_imaps._tcp.insecure.test.", RecordType::SRV, true);
    assert_eq!(count(&m.authorities, RecordType::DS), 0);
    assert_eq!(count(&m.authorities, RecordType::NSEC3), 2);
    // Unsigned child under NSEC: the NSEC at the cut (NS, no DS).
    let m = ask(&h, "_imaps._tcp.plain.example.test.", RecordType::SRV, true);
    assert!(!m.metadata.authoritative);
    assert_eq!(count(&m.authorities, RecordType::NSEC), 1);
    // Without DO, only NS.
    let m = ask(&h, "_imaps._tcp.nsec3.test.", RecordType::SRV, false);
    assert_eq!(types(&m.authorities), [RecordType::NS]);
}

#[test]
fn the_zones_origin_comes_from_the_soa_when_the_file_has_no_origin() {
    // ldns-signzone writes absolute names without $ORIGIN; dnssec-signzone multi-line records.
    let h = host(&["example.test.zone", "test.zone"]);
    let m = ask(&h, "test.", RecordType::SOA, true);
    assert_eq!(types(&m.answers), [RecordType::SOA, RecordType::RRSIG]);
}

// D36: the zone host refuses zones it would have to hash with more than 2500 iterations.
#[test]
fn nsec3_iterations_above_2500_are_refused() {
    let zone =
        "$ORIGIN big.example.\n$TTL 60\n@ IN SOA ns. h. 1 2 3 4 5\n@ IN NSEC3PARAM 1 0 2501 -\n";
    let err = ZoneHost::new().add_zone(zone, None, false).unwrap_err();
    assert_eq!(err.code(), ErrorCode::ZoneParse);
    assert!(err.message().contains("2501"), "{}", err.message());
    let ok = zone.replace("2501", "2500");
    ZoneHost::new().add_zone(&ok, None, false).unwrap();
}

#[test]
fn malformed_dnssec_records_are_typed_errors() {
    let base = "$ORIGIN x.example.\n$TTL 60\n@ IN SOA ns. h. 1 2 3 4 5\n";
    for bad in [
        "@ IN DNSKEY 257 3 13 not-base64!\n",
        "@ IN DS 1 13 2 zz\n",
        "@ IN RRSIG SOA 13 2 60 20261301000000 20260101000000 1 x.example. AAAA\n",
        "@ IN NSEC x.example. NOTATYPE\n",
        "@ IN NSEC3 1 0 0 - notbase32hex! A\n",
        "@ IN DNSKEY ( 257 3 13\n",
        "@ IN DS \\# 3 0102\n",
    ] {
        let err = ZoneHost::new()
            .add_zone(&format!("{base}{bad}"), None, false)
            .unwrap_err();
        assert_eq!(err.code(), ErrorCode::ZoneParse, "{bad}");
    }
}

#[test]
fn with_do_the_additional_section_goes_before_the_answer_is_truncated() {
    // Three targets with signed addresses (the host serves signatures, never checks them).
    let sig = |t: &str| {
        format!(
            "  IN RRSIG {t} 13 3 60 20360101000000 20260101000000 1 x.example. {}\n",
            "A".repeat(88)
        )
    };
    let mut zone = String::from("$ORIGIN x.example.\n$TTL 60\n@ IN SOA ns. h. 1 2 3 4 5\n");
    zone.push_str("_imaps._tcp IN SRV 0 1 993 m1\n  IN SRV 0 1 993 m2\n  IN SRV 0 1 993 m3\n");
    zone.push_str(&sig("SRV"));
    for m in ["m1", "m2", "m3"] {
        zone.push_str(&format!("{m} IN A 192.0.2.1\n{}", sig("A")));
        zone.push_str(&format!("{m} IN AAAA 2001:db8::1\n{}", sig("AAAA")));
    }
    let mut h = ZoneHost::new();
    h.add_zone(&zone, None, false).unwrap();
    let mut m = Message::new(7, MessageType::Query, OpCode::Query);
    m.add_query(Query::query(
        Name::from_ascii("_imaps._tcp.x.example.").unwrap(),
        RecordType::SRV,
    ));
    let mut edns = Edns::new();
    edns.set_max_payload(512);
    edns.set_dnssec_ok(true);
    m.set_edns(edns);
    let wire = m.to_vec().unwrap();
    let full = Message::from_vec(&h.answer(&wire, Transport::Tcp).unwrap()).unwrap();
    assert_eq!(count(&full.additionals, RecordType::RRSIG), 6);
    assert!(full.to_vec().unwrap().len() > 512);
    let udp = Message::from_vec(&h.answer(&wire, Transport::Udp).unwrap()).unwrap();
    assert!(!udp.metadata.truncation);
    assert_eq!(count(&udp.answers, RecordType::SRV), 3);
    assert_eq!(count(&udp.answers, RecordType::RRSIG), 1);
    assert!(udp.additionals.is_empty());
}

#[test]
fn nsec3_proofs_for_a_long_name_at_the_iteration_cap_finish() {
    // 2500 iterations and a name of 120 labels: every ancestor is hashed once (bounded work).
    let zone = "$ORIGIN big.example.\n$TTL 60\n@ IN SOA ns. h. 1 2 3 4 5\n\
        @ IN NSEC3PARAM 1 0 2500 -\n\
        00000000000000000000000000000000 IN NSEC3 1 0 2500 - 00000000000000000000000000000000 SOA\n";
    let mut h = ZoneHost::new();
    h.add_zone(zone, None, false).unwrap();
    let name = format!("{}big.example.", "a.".repeat(120));
    let m = ask(&h, &name, RecordType::A, true);
    assert_eq!(m.metadata.response_code, ResponseCode::NXDomain);
    assert_eq!(count(&m.authorities, RecordType::NSEC3), 1);
}

#[test]
fn cut_or_mangled_signed_zone_files_are_loaded_or_refused_never_a_panic() {
    // Every prefix of the multi-line (dnssec-signzone) and one-line (ldns) files, and each with
    // a byte replaced: a zone or a typed error.
    for file in ["test.zone", "nsec3.test.zone"] {
        let text = text(file);
        for cut in (0..text.len()).step_by(97) {
            let mut h = ZoneHost::new();
            if let Err(e) = h.add_zone(&text[..cut], None, false) {
                assert_eq!(e.code(), ErrorCode::ZoneParse, "{file} cut at {cut}");
            }
            for bad in ["(", ")", "\"", ";", "\\", "\n", " "] {
                let mangled = format!("{}{bad}{}", &text[..cut], &text[cut + 1..]);
                if let Err(e) = ZoneHost::new().add_zone(&mangled, None, false) {
                    assert_eq!(e.code(), ErrorCode::ZoneParse, "{file} {bad:?} at {cut}");
                }
            }
        }
    }
}

#[test]
fn rfc4035_3_1_6_the_cd_bit_is_copied_into_the_response() {
    let h = host(&["example.test.zone"]);
    for cd in [true, false] {
        let mut m = Message::new(7, MessageType::Query, OpCode::Query);
        m.metadata.checking_disabled = cd;
        m.add_query(Query::query(
            Name::from_ascii("example.test.").unwrap(),
            RecordType::SOA,
        ));
        let r = h.answer(&m.to_vec().unwrap(), Transport::Udp).unwrap();
        assert_eq!(
            Message::from_vec(&r).unwrap().metadata.checking_disabled,
            cd
        );
    }
}

#[test]
fn s7673_3_3a_tlsa_is_served_with_its_rrsig_and_its_absence_with_nsec() {
    let h = host(ALL);
    let m = ask(&h, "_993._tcp.ee.hosting.test.", RecordType::TLSA, true);
    assert_eq!(m.metadata.response_code, ResponseCode::NoError);
    assert_eq!(types(&m.answers), [RecordType::TLSA, RecordType::RRSIG]);
    // No TLSA for port 465: NXDOMAIN with the SOA and the NSEC records that prove it.
    let nx = ask(&h, "_465._tcp.ee.hosting.test.", RecordType::TLSA, true);
    assert_eq!(nx.metadata.response_code, ResponseCode::NXDomain);
    assert!(nx.answers.is_empty());
    assert_eq!(count(&nx.authorities, RecordType::SOA), 1);
    assert!(
        count(&nx.authorities, RecordType::NSEC) >= 1,
        "{:?}",
        nx.authorities
    );
    assert!(count(&nx.authorities, RecordType::RRSIG) >= 2);
    // The target's AAAA: NODATA, proven.
    let nodata = ask(&h, "ee.hosting.test.", RecordType::AAAA, true);
    assert_eq!(nodata.metadata.response_code, ResponseCode::NoError);
    assert!(nodata.answers.is_empty());
    assert_eq!(count(&nodata.authorities, RecordType::NSEC), 1);
}

#[test]
fn d52_rfc6672_3_4_a_name_below_a_dname_gets_the_signed_dname_and_an_unsigned_synthesised_cname() {
    let h = host(ALL);
    let m = ask(&h, "_imaps._tcp.old.dname.test.", RecordType::SRV, true);
    assert_eq!(m.metadata.response_code, ResponseCode::NoError);
    assert!(m.metadata.authoritative);
    // DNAME and its RRSIG, the synthesised CNAME (unsigned, RFC 4035 §3.1.3), then the
    // answer from example.test. with its RRSIG: the chain is followed within the zones.
    assert_eq!(
        types(&m.answers),
        [
            RecordType::DNAME,
            RecordType::RRSIG,
            RecordType::CNAME,
            RecordType::SRV,
            RecordType::RRSIG
        ]
    );
    assert_eq!(
        u16::from_be_bytes(rrsig_rdata(&m.answers[1])[..2].try_into().unwrap()),
        u16::from(RecordType::DNAME)
    );
    let cname = &m.answers[2];
    assert_eq!(
        cname.name,
        Name::from_ascii("_imaps._tcp.old.dname.test.").unwrap()
    );
    assert_eq!(cname.ttl, m.answers[0].ttl);
    assert_eq!(
        cname.data.to_string(),
        "_imaps._tcp.example.test.",
        "{cname:?}"
    );
    assert_eq!(
        m.answers[3].name,
        Name::from_ascii("_imaps._tcp.example.test.").unwrap()
    );
    // Without DO: the same chain, no RRSIGs.
    let plain = ask(&h, "_imaps._tcp.old.dname.test.", RecordType::SRV, false);
    assert_eq!(
        types(&plain.answers),
        [RecordType::DNAME, RecordType::CNAME, RecordType::SRV]
    );
    // The DNAME owner itself and the DNAME type are answered as data, not substituted.
    let own = ask(&h, "old.dname.test.", RecordType::DNAME, true);
    assert_eq!(types(&own.answers), [RecordType::DNAME, RecordType::RRSIG]);
    let nodata = ask(&h, "old.dname.test.", RecordType::SRV, true);
    assert!(nodata.answers.is_empty(), "{:?}", nodata.answers);
    assert_eq!(count(&nodata.authorities, RecordType::NSEC), 1);
}

#[test]
fn d52_rfc6672_2_2_a_substitution_longer_than_255_octets_is_yxdomain() {
    let long = ["a".repeat(63), "b".repeat(63), "c".repeat(63)].join(".");
    let zone =
        format!("$ORIGIN x.\n$TTL 60\n@ SOA ns.x. h.x. 1 2 3 4 5\n@ NS ns.x.\nd DNAME {long}.x.\n");
    let mut h = ZoneHost::new();
    h.add_zone(&zone, None, false).unwrap();
    let fits = ask(&h, "q.d.x.", RecordType::A, false);
    // The chain goes on into the zone, where the target name does not exist.
    assert_eq!(fits.metadata.response_code, ResponseCode::NXDomain);
    assert_eq!(types(&fits.answers), [RecordType::DNAME, RecordType::CNAME]);
    // 61 + 1 octets of labels before `d.x.` become too many before the 195-octet target.
    let name = format!("{}.d.x.", "e".repeat(61));
    let m = ask(&h, &name, RecordType::A, false);
    assert_eq!(m.metadata.response_code, ResponseCode::YXDomain);
    assert_eq!(types(&m.answers), [RecordType::DNAME]);
    // A DNAME without exactly one target name is a typed error.
    let bad = "$ORIGIN y.\n@ 60 SOA ns.y. h.y. 1 2 3 4 5\nd 60 DNAME a. b.\n";
    let e = ZoneHost::new().add_zone(bad, None, false).err().unwrap();
    assert_eq!(e.code(), ErrorCode::ZoneParse);
}
