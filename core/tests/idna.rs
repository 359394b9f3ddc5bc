//! D21: internationalised domains. `testdata/idna.json` holds UTS #46 cases that the Rust build
//! (the `idna` crate's tables) and the WebAssembly build (the platform's URL parser, replayed by
//! `bindings/js/test/idna.test.js`) must both answer as written.

use mailsrv::{EmailAddress, ErrorCode};
use serde_json::Value;

#[test]
fn d21_uts46_vectors_give_the_same_domain_or_error() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../testdata/idna.json");
    let text = std::fs::read_to_string(path).expect("testdata/idna.json");
    let cases: Vec<Value> = serde_json::from_str(&text).expect("idna.json is JSON");
    assert!(cases.len() >= 20);
    for case in &cases {
        let input = case["input"].as_str().expect("input");
        let got = EmailAddress::parse(&format!("frank@{input}"));
        match (case["domain"].as_str(), got) {
            (Some(want), Ok(address)) => assert_eq!(address.domain(), want, "{input}"),
            (None, Err(e)) => {
                assert_eq!(e.code(), ErrorCode::InvalidDomain, "{input}: {e}");
                assert_eq!(case["error"], e.code().name(), "{input}");
            }
            (want, got) => panic!("{input}: expected {want:?}, got {got:?}"),
        }
    }
}
