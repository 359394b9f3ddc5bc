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

/// Security notes: hostile input is normal input. Whatever the host's conversion answers — the
/// input itself, nothing, an empty string, labels with dots, spaces or non-ASCII, a very long
/// name — the result is a valid lower-case host name or a typed error, never a panic.
#[test]
fn d21_host_conversion_answers_are_checked_never_trusted() {
    use mailsrv::normalize_domain_with;
    let pieces = [
        "a",
        "xn--",
        "xn--bcher-kva",
        "XN--7ba",
        "ü",
        "ß",
        "-",
        "--",
        ".",
        "。",
        "．",
        "｡",
        "\u{2488}",
        "\u{200d}",
        "\u{5d0}",
        "1",
        "0x7f",
        "💩",
        "_",
        " ",
        "%",
        "/",
        "\u{0}",
        "ab--",
        "ｘ",
    ];
    type Answer<'a> = &'a dyn Fn(&str) -> Option<String>;
    let answers: [Answer<'_>; 6] = [
        &|d| Some(d.to_owned()),
        &|_| None,
        &|_| Some(String::new()),
        &|d| Some(format!("{d}.evil example")),
        &|_| Some("a.".repeat(200)),
        &|_| Some("xn--bcher-kva.xn--7ba.example".to_owned()),
    ];
    let mut seen = 0;
    for a in pieces {
        for b in pieces {
            for c in pieces {
                let input = format!("{a}{b}.{c}");
                for answer in &answers {
                    match normalize_domain_with(&input, answer) {
                        Ok(domain) => {
                            assert!(
                                domain.split('.').all(|l| !l.is_empty()
                                    && l.len() <= 63
                                    && l.bytes().all(|b| b.is_ascii_lowercase()
                                        || b.is_ascii_digit()
                                        || b == b'-')),
                                "{input:?} gave {domain:?}"
                            );
                            seen += 1;
                        }
                        Err(e) => assert!(
                            matches!(
                                e.code(),
                                ErrorCode::InvalidDomain
                                    | ErrorCode::EmptyDomain
                                    | ErrorCode::AddressTooLong
                            ),
                            "{input:?}: {e}"
                        ),
                    }
                }
            }
        }
    }
    assert!(seen > 0, "some inputs are valid");
}
