//! Feeds arbitrary response sets to the DNSSEC validator against a fixed anchor: never a panic,
//! never more work than its limits.
//!
//! Input layout: byte 0 picks options, then chunks of `len_hi len_lo bytes...`, one per question
//! the validator asks, in turn. A chunk is a DNS message after its question: 12 header bytes
//! (the ID is patched in, QR set, one question) and the records. When option bit 0 is set, every
//! RRset of the message that parses is re-signed with the anchor's own Ed25519 key (a fixed seed),
//! so that fuzzed content passes the signature checks and reaches the chain logic and the
//! NSEC/NSEC3 proofs. The chunk's raw bytes also go to the message and record-text parsers.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mailsrv::dnssec::anchor::TrustAnchors;
use mailsrv::dnssec::name::Name;
use mailsrv::dnssec::rr::{self, Record, rtype};
use mailsrv::dnssec::signature::{Rrsig, signed_data};
use mailsrv::dnssec::validator::{Query, Validator};
use ring::signature::{Ed25519KeyPair, KeyPair};

const NOW: u64 = 1_767_225_600; // 2026-01-01

fn key() -> (Ed25519KeyPair, Vec<u8>) {
    let k = Ed25519KeyPair::from_seed_unchecked(&[7; 32]).expect("fixed seed");
    let mut rdata = vec![1, 1, 3, 15];
    rdata.extend_from_slice(k.public_key().as_ref());
    (k, rdata)
}

fn sign(k: &Ed25519KeyPair, tag: u16, set: &rr::RrSet) -> Record {
    let mut rdata = set.rtype.to_be_bytes().to_vec();
    rdata.extend_from_slice(&[15, set.owner.rrsig_labels().min(255) as u8]);
    rdata.extend_from_slice(&3600u32.to_be_bytes());
    rdata.extend_from_slice(&((NOW + 86_400) as u32).to_be_bytes());
    rdata.extend_from_slice(&((NOW - 86_400) as u32).to_be_bytes());
    rdata.extend_from_slice(&tag.to_be_bytes());
    rdata.push(0); // signer: the root
    if let Ok(sig) = Rrsig::from_rdata(&[rdata.clone(), vec![0]].concat()) {
        let data = signed_data(set, &Rrsig { prefix: rdata.clone(), ..sig });
        rdata.extend_from_slice(k.sign(&data).as_ref());
    }
    Record { owner: set.owner.clone(), rtype: rtype::RRSIG, class: set.class, ttl: 3600, rdata }
}

fn response(q: &Query, chunk: &[u8], resign: Option<(&Ed25519KeyPair, u16)>) -> Vec<u8> {
    let mut head = [0u8; 12];
    let n = chunk.len().min(12);
    head[..n].copy_from_slice(&chunk[..n]);
    head[..2].copy_from_slice(&q.message_id.to_be_bytes());
    head[2] |= 0x80;
    head[4..6].copy_from_slice(&1u16.to_be_bytes());
    let mut w = head.to_vec();
    w.extend_from_slice(q.name.wire());
    w.extend_from_slice(&q.qtype.to_be_bytes());
    w.extend_from_slice(&[0, 1]);
    w.extend_from_slice(&chunk[n..]);
    let Some((k, tag)) = resign else { return w };
    let Ok(m) = rr::parse_message(&w) else { return w };
    let mut out = w[..12].to_vec();
    out.extend_from_slice(&w[12..12 + q.name.wire().len() + 4]);
    let mut counts = [0u16; 3];
    for (i, section) in [&m.answer, &m.authority, &m.additional].into_iter().enumerate() {
        for set in rr::rrsets(section) {
            let mut recs: Vec<Record> = set
                .rdatas
                .iter()
                .map(|d| Record { owner: set.owner.clone(), rtype: set.rtype, class: set.class, ttl: set.ttl, rdata: d.clone() })
                .collect();
            recs.push(sign(k, tag, &set));
            for r in recs {
                if r.rdata.len() > 65_535 || counts[i] == u16::MAX {
                    continue;
                }
                out.extend_from_slice(r.owner.wire());
                out.extend_from_slice(&r.rtype.to_be_bytes());
                out.extend_from_slice(&r.class.to_be_bytes());
                out.extend_from_slice(&r.ttl.to_be_bytes());
                out.extend_from_slice(&(r.rdata.len() as u16).to_be_bytes());
                out.extend_from_slice(&r.rdata);
                counts[i] += 1;
            }
        }
    }
    out[6..8].copy_from_slice(&counts[0].to_be_bytes());
    out[8..10].copy_from_slice(&counts[1].to_be_bytes());
    out[10..12].copy_from_slice(&counts[2].to_be_bytes());
    out
}

fuzz_target!(|data: &[u8]| {
    let Some((&flags, mut rest)) = data.split_first() else { return };
    let (k, dnskey) = key();
    let tag = mailsrv::dnssec::key::key_tag(&dnskey);
    let mut anchors = TrustAnchors::empty();
    let _ = anchors.add_record(Name::root(), rtype::DNSKEY, &dnskey);
    let mut v = Validator::new(anchors, NOW);
    for name in ["_imaps._tcp.example.", "example."] {
        if let Ok(n) = Name::from_ascii(name) {
            let _ = v.lookup(&n, if flags & 2 == 0 { rtype::SRV } else { rtype::A });
        }
    }
    let resign = (flags & 1 != 0).then_some((&k, tag));
    for _ in 0..64 {
        let qs = v.queries();
        if qs.is_empty() {
            break;
        }
        for q in qs {
            if rest.len() < 2 {
                v.fail(q.message_id);
                continue;
            }
            let len = usize::from(u16::from_be_bytes([rest[0], rest[1]])).min(rest.len() - 2);
            let chunk = &rest[2..2 + len];
            rest = &rest[2 + len..];
            let _ = rr::parse_message(chunk);
            if let Ok(text) = std::str::from_utf8(chunk) {
                let _ = mailsrv::dnssec::text::parse_rr(text, None);
                let _ = TrustAnchors::parse(text);
            }
            v.answer(q.message_id, &response(&q, chunk, resign));
        }
    }
    assert!(v.questions_asked() <= mailsrv::dnssec::validator::MAX_QUESTIONS);
    assert!(v.verifications() <= mailsrv::dnssec::validator::MAX_VERIFICATIONS);
    let _ = format!("{:?}", v.results());
});
