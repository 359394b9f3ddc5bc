//! Feeds arbitrary bytes to the autoconfig parser: never a panic, and what comes out keeps the
//! parser's promises (no host with a placeholder, space or IP literal; no port 0).
//!
//! Input: byte 0 picks the address (hostile local parts included) and whether the rest is the
//! whole document or the body of one `incomingServer` section inside a valid document, so that
//! mutations reach the section checks and placeholders rather than only the XML reader.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mailsrv::{Autoconfig, EmailAddress};

const ADDRESSES: [&str; 4] = [
    "alice@example.net",
    "%EMAILDOMAIN%@example.net",
    "\"a<b>&c\"@example.net",
    "x/y?z#@mail.example.net",
];

fuzz_target!(|data: &[u8]| {
    let Some((&flags, rest)) = data.split_first() else { return };
    let Ok(address) = EmailAddress::parse(ADDRESSES[usize::from(flags & 3)]) else { return };
    let wrapped;
    let document = if flags & 4 != 0 {
        let mut d = b"<clientConfig version=\"1.1\"><emailProvider><domain>example.net</domain>\
            <incomingServer type=\"imap\">"
            .to_vec();
        d.extend_from_slice(rest);
        d.extend_from_slice(b"</incomingServer></emailProvider></clientConfig>");
        wrapped = d;
        &wrapped[..]
    } else {
        rest
    };
    let Ok(config) = Autoconfig::parse(document, &address) else { return };
    for server in config.incoming.iter().chain(&config.outgoing) {
        assert_ne!(server.port, 0);
        assert!(!server.host.is_empty());
        assert!(
            server
                .host
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_' || b == b'.'),
            "{}",
            server.host
        );
        assert!(!server.host.rsplit('.').next().unwrap_or("").bytes().all(|b| b.is_ascii_digit()));
    }
    let again = Autoconfig::parse(document, &address).ok();
    assert_eq!(again.as_ref(), Some(&config), "parsing is deterministic");
    let _ = format!("{config:?}");
});
