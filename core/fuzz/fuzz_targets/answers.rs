//! Feeds arbitrary bytes as DNS answers to a planner and builds plans: never a panic.
//!
//! Input layout: byte 0 picks the options, then chunks of `len_hi len_lo bytes...`, one per
//! question in turn. Each chunk is fed once with the real message ID patched in (to reach the
//! parser behind the header checks) and once as given, and is read as an address answer
//! (`addresses_in_response`), which runs the whole reader — the compression-pointer pre-pass,
//! then the in-place reader (D57) — on the raw bytes with no header check before it.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mailsrv::{Discovery, Options};

fuzz_target!(|data: &[u8]| {
    let Some((&flags, mut rest)) = data.split_first() else { return };
    let options = Options { trust_ad: flags & 1 != 0, pop3: flags & 2 == 0, ..Options::default() };
    let Ok(mut discovery) = Discovery::new("fuzz@example.net", options) else { return };
    let questions = discovery.questions().to_vec();
    for q in questions.iter().cycle().take(questions.len() * 2) {
        if rest.len() < 2 {
            break;
        }
        let len = usize::from(u16::from_be_bytes([rest[0], rest[1]])).min(rest.len() - 2);
        let chunk = &rest[2..2 + len];
        rest = &rest[2 + len..];
        let mut patched = chunk.to_vec();
        if patched.len() >= 3 {
            patched[..2].copy_from_slice(&q.message_id.to_be_bytes());
            patched[2] |= 0x80;
        }
        let _ = discovery.receive(q.id, &patched, None);
        let _ = discovery.receive(q.id, chunk, None);
        let _ = mailsrv::addresses_in_response(chunk, &q.name);
    }
    let plan = discovery.plan(u64::from(flags));
    let _ = serde_json_len(&plan);
});

fn serde_json_len(plan: &mailsrv::Plan) -> usize {
    format!("{plan:?}").len()
}
