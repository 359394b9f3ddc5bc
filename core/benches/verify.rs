//! Certificate verification speed: a three-certificate chain (leaf, intermediate, root anchor)
//! through `verify_chain`, against rustls-webpki's path validation alone, to show what SAN
//! parsing and identity matching add, and the cost of a TLSA match (DANE-EE on a self-signed
//! leaf; DANE-TA naming the intermediate of the same chain). Results go to BENCHMARKS.md.
#![allow(missing_docs, reason = "criterion generates the entry point")]

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use mailsrv::{Service, Subject, TlsaRecord, VerifyOptions, certificates_from_pem, verify_chain};
use pki_types::{CertificateDer, UnixTime};

const NOW: u64 = 1_811_808_000;

fn load(name: &str) -> Vec<Vec<u8>> {
    let path = format!("{}/../testdata/certs/{name}", env!("CARGO_MANIFEST_DIR"));
    certificates_from_pem(&std::fs::read(path).expect("test PKI file")).expect("PEM")
}

fn bench(c: &mut Criterion) {
    let chain = load("srv-id.chain.pem");
    let anchors = load("ca.pem");
    let chain_refs: Vec<&[u8]> = chain.iter().map(Vec::as_slice).collect();
    let anchor_refs: Vec<&[u8]> = anchors.iter().map(Vec::as_slice).collect();
    let subject = Subject::new("example.net", Service::Imaps, "mail.provider.net", false)
        .expect("a valid domain");
    c.bench_function("verify/3-cert-chain-srv-id", |b| {
        b.iter(|| {
            black_box(verify_chain(
                &subject,
                &chain_refs,
                &anchor_refs,
                NOW,
                VerifyOptions::default(),
            ))
        })
    });

    // DANE-EE(3) Cert(0) SHA-256(1) on the self-signed leaf, no anchors: a digest and a compare
    // (plus reading the leaf's names for the verdict).
    let own = load("self-signed.chain.pem");
    let own_refs: Vec<&[u8]> = own.iter().map(Vec::as_slice).collect();
    let digest = |der: &[u8]| {
        ring::digest::digest(&ring::digest::SHA256, der)
            .as_ref()
            .to_vec()
    };
    let dane_ee = Subject::new("example.net", Service::Imaps, "mail.example.net", false)
        .expect("a valid domain")
        .with_tlsa(
            993,
            vec![TlsaRecord::new(3, 0, 1, digest(&own[0])).expect("record")],
        )
        .expect("one record");
    c.bench_function("verify/tlsa-dane-ee-self-signed", |b| {
        b.iter(|| {
            black_box(verify_chain(
                &dane_ee,
                &own_refs,
                &[],
                NOW,
                VerifyOptions::default(),
            ))
        })
    });
    // DANE-TA(2) Cert(0) SHA-256(1) naming the intermediate: digests of the chain's CA
    // certificates, then path validation to it as the only anchor and the identity check.
    let dane_ta = Subject::new("example.net", Service::Imaps, "mail.provider.net", false)
        .expect("a valid domain")
        .with_tlsa(
            993,
            vec![TlsaRecord::new(2, 0, 1, digest(&chain[1])).expect("record")],
        )
        .expect("one record");
    c.bench_function("verify/tlsa-dane-ta-intermediate", |b| {
        b.iter(|| {
            black_box(verify_chain(
                &dane_ta,
                &chain_refs,
                &[],
                NOW,
                VerifyOptions::default(),
            ))
        })
    });
    // Parsing the presentation form of a SHA-256 record.
    let text = format!(
        "3 1 1 {}",
        digest(&own[0])
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    );
    c.bench_function("verify/tlsa-parse-sha256-record", |b| {
        b.iter(|| black_box(TlsaRecord::parse(black_box(&text))))
    });

    let leaf = CertificateDer::from(chain[0].as_slice());
    let intermediates = [CertificateDer::from(chain[1].as_slice())];
    let anchor_der = CertificateDer::from(anchors[0].as_slice());
    let algs = [webpki::ring::ECDSA_P256_SHA256];
    c.bench_function("verify/webpki-path-only", |b| {
        b.iter(|| {
            let anchor = webpki::anchor_from_trusted_cert(&anchor_der).expect("anchor");
            let ee = webpki::EndEntityCert::try_from(&leaf).expect("leaf");
            let time = UnixTime::since_unix_epoch(Duration::from_secs(NOW));
            let ok = ee
                .verify_for_usage(
                    &algs,
                    &[anchor],
                    &intermediates,
                    time,
                    webpki::KeyUsage::server_auth(),
                    None,
                    None,
                )
                .is_ok();
            black_box(ok)
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
