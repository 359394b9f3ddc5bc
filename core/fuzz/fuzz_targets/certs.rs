//! Feeds arbitrary bytes as a server certificate chain to the verifier: never a panic.
//!
//! Input: the first byte selects service and DNSSEC flag; the rest is split at `0xFF 0x00 0xFF`
//! markers into up to four DER certificates (leaf first). The test PKI's root is the anchor, and
//! its intermediate is appended so that mutated leaves reach SAN parsing and identity matching.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mailsrv::{Service, Subject, VerifyOptions, certificates_from_pem, verify_chain};

const ROOT: &[u8] = include_bytes!("../../../testdata/certs/ca.pem");
const CHAIN: &[u8] = include_bytes!("../../../testdata/certs/domain.chain.pem");

fuzz_target!(|data: &[u8]| {
    let Some((&flags, rest)) = data.split_first() else { return };
    let Ok(root) = certificates_from_pem(ROOT) else { return };
    let Ok(real) = certificates_from_pem(CHAIN) else { return };
    let mut parts: Vec<&[u8]> = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i + 3 <= rest.len() && parts.len() < 3 {
        if rest[i..i + 3] == [0xFF, 0x00, 0xFF] {
            parts.push(&rest[start..i]);
            start = i + 3;
            i += 3;
        } else {
            i += 1;
        }
    }
    parts.push(&rest[start..]);
    parts.push(&real[1]);
    let Ok(subject) = Subject::new(
        "example.net",
        Service::ALL[usize::from(flags % 6)],
        "mail.example.net",
        flags & 0x80 != 0,
    ) else {
        return;
    };
    let anchors = [root[0].as_slice()];
    let options = VerifyOptions { legacy_cn: flags & 0x40 != 0 };
    let _ = verify_chain(&subject, &parts, &anchors, 1_811_808_000, options);
    let _ = certificates_from_pem(rest);
});
