//! Every tape is read back here into a `serde_json::Value` and compared with serde_json's
//! own value of the same data (the JS reader, `src/tape.js`, is compared with `JSON.parse`
//! in `bindings/js/test/tape.test.js`).
#![allow(clippy::unwrap_used, reason = "tests")]

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{Map, Value, json};

use super::*;

/// Reads a tape the way `src/tape.js` does.
fn read(tape: &[u32]) -> Value {
    assert_eq!(tape[0], FORMAT);
    let strings = tape[2] as usize;
    let ops = &tape[HEADER_WORDS + strings..HEADER_WORDS + strings + tape[4] as usize];
    let bytes: Vec<u8> = tape[HEADER_WORDS + strings + tape[4] as usize..]
        .iter()
        .flat_map(|w| w.to_le_bytes())
        .take(tape[3] as usize)
        .collect();
    let units: Vec<u16> = String::from_utf8(bytes).unwrap().encode_utf16().collect();
    let ends = &tape[HEADER_WORDS..HEADER_WORDS + strings];
    let string = |i: usize| {
        let start = if i == 0 { 0 } else { ends[i - 1] as usize };
        String::from_utf16(&units[start..ends[i] as usize]).unwrap()
    };
    let shapes = shapes_from(0);
    fn next(
        ops: &[u32],
        at: &mut usize,
        s: &dyn Fn(usize) -> String,
        shapes: &[Vec<&str>],
    ) -> Value {
        let word = |at: &mut usize| {
            *at += 1;
            ops[*at - 1]
        };
        match word(at) {
            op::NULL => Value::Null,
            op::TRUE => Value::Bool(true),
            op::FALSE => Value::Bool(false),
            op::INT => json!(word(at)),
            op::F64 => {
                let lo = u64::from(word(at));
                let hi = u64::from(word(at));
                json!(f64::from_bits(lo | hi << 32))
            }
            op::STR => Value::String(s(word(at) as usize)),
            op::ARR => {
                let n = word(at);
                Value::Array((0..n).map(|_| next(ops, at, s, shapes)).collect())
            }
            op::SHAPE => {
                let keys = &shapes[word(at) as usize];
                let mut m = Map::new();
                for k in keys {
                    m.insert((*k).to_owned(), next(ops, at, s, shapes));
                }
                Value::Object(m)
            }
            op::OBJ => {
                let n = word(at);
                let mut m = Map::new();
                for _ in 0..n {
                    let Value::String(k) = next(ops, at, s, shapes) else {
                        panic!("key")
                    };
                    m.insert(k, next(ops, at, s, shapes));
                }
                Value::Object(m)
            }
            op::JSON => serde_json::from_str(&s(word(at) as usize)).unwrap(),
            other => panic!("operation {other}"),
        }
    }
    let mut at = 0;
    let value = next(ops, &mut at, &string, &shapes);
    assert_eq!(at, ops.len(), "every operation read");
    value
}

/// Every number as a double, as JS reads it (so that `-0` and `0` differ in the text).
fn as_js(value: Value) -> Value {
    match value {
        Value::Number(n) => json!(n.as_f64().unwrap()),
        Value::Array(a) => Value::Array(a.into_iter().map(as_js).collect()),
        Value::Object(m) => Value::Object(m.into_iter().map(|(k, v)| (k, as_js(v))).collect()),
        other => other,
    }
}

fn same_as_json<T: Serialize>(value: &T) -> Vec<u32> {
    let tape = to_tape(value).unwrap();
    let expected: Value = serde_json::from_str(&serde_json::to_string(value).unwrap()).unwrap();
    let (got, expected) = (as_js(read(&tape)), as_js(expected));
    assert_eq!(got.to_string(), expected.to_string());
    tape
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Inner {
    host_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    port: Option<u16>,
    tags: Vec<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
enum Kind {
    Unit,
    Newtype(u8),
    Tuple(u8, String),
    Struct { a: bool, b: Option<i32> },
}

#[derive(Serialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
enum Tagged {
    One { x: u8 },
    Two { y: String },
}

#[derive(Serialize)]
struct Everything {
    inner: Vec<Inner>,
    kinds: Vec<Kind>,
    tagged: Vec<Tagged>,
    map: BTreeMap<String, u64>,
    by_number: BTreeMap<u16, bool>,
    by_flag: BTreeMap<bool, u8>,
    numbers: (i8, i64, u64, f32, f64, f64, f64),
    text: (char, String, String),
    #[serde(with = "serde_bytes_like")]
    bytes: Vec<u8>,
    nothing: (),
    maybe: Option<String>,
}

/// Writes bytes with `serialize_bytes`, as the negotiator's steps do.
mod serde_bytes_like {
    pub(super) fn serialize<S: serde::Serializer>(b: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(b)
    }
}

fn everything() -> Everything {
    Everything {
        inner: vec![
            Inner {
                host_name: "mail.example.net".into(),
                port: Some(993),
                tags: vec!["a", "a"],
            },
            Inner {
                host_name: "mail.example.net".into(),
                port: None,
                tags: vec![],
            },
            Inner {
                host_name: "bücher.example".into(),
                port: Some(0),
                tags: vec!["ü", "😀"],
            },
        ],
        kinds: vec![
            Kind::Unit,
            Kind::Newtype(7),
            Kind::Tuple(1, "x".into()),
            Kind::Struct { a: true, b: None },
            Kind::Struct {
                a: false,
                b: Some(-3),
            },
        ],
        tagged: vec![
            Tagged::One { x: 1 },
            Tagged::Two { y: "y".into() },
            Tagged::One { x: 2 },
        ],
        map: [("__proto__".to_owned(), 1), ("k".to_owned(), u64::MAX)].into(),
        by_number: [(443, true), (25, false)].into(),
        by_flag: [(true, 1)].into(),
        numbers: (
            -8,
            i64::MIN,
            u64::from(u32::MAX) + 1,
            0.1,
            1.5,
            f64::NAN,
            -0.0,
        ),
        text: ('ß', String::new(), "\u{0}\"\\\n\u{2028}".into()),
        bytes: vec![0, 255, 16],
        nothing: (),
        maybe: None,
    }
}

#[test]
fn the_tape_reads_back_as_the_json_text_does() {
    same_as_json(&everything());
    same_as_json(&json!({"a": [1, 2.5, -1, null, "x", {"b": {}}], "c": []}));
    same_as_json(&"just a string");
    same_as_json(&Vec::<u8>::new());
}

#[test]
fn a_repeated_string_is_written_once() {
    let tape = same_as_json(&vec!["mail.example.net"; 50]);
    assert_eq!(tape[2], 1, "one string");
}

#[test]
fn a_repeated_variant_or_address_is_written_once() {
    let kinds: Vec<Kind> = (0..20).map(|_| Kind::Unit).collect();
    assert_eq!(same_as_json(&kinds)[2], 1, "one string");
    let addresses = vec![std::net::IpAddr::from([192, 0, 2, 1]); 20];
    assert_eq!(same_as_json(&addresses)[2], 1, "one string");
    let mixed = (
        Kind::Unit,
        "unit",
        std::net::IpAddr::from([0u16, 0, 0, 0, 0, 0, 0, 1]),
    );
    assert_eq!(
        same_as_json(&mixed)[2],
        2,
        "a variant and the same text share one string"
    );
}

#[test]
fn string_ends_are_in_utf16_code_units() {
    let tape = same_as_json(&("😀", "ü", "a"));
    assert_eq!(&tape[HEADER_WORDS..HEADER_WORDS + 3], &[2, 3, 4]);
}

#[test]
fn the_same_struct_shape_is_numbered_once_and_skipped_fields_make_another() {
    let one = Inner {
        host_name: "a".into(),
        port: Some(1),
        tags: vec![],
    };
    let two = Inner {
        host_name: "b".into(),
        port: None,
        tags: vec![],
    };
    same_as_json(&vec![&one, &one, &two, &two]);
    let shapes = shapes_from(0);
    assert_eq!(
        shapes,
        vec![vec!["hostName", "port", "tags"], vec!["hostName", "tags"]]
    );
    // A second tape numbers nothing new.
    same_as_json(&one);
    assert_eq!(shapes_from(0).len(), 2);
    assert_eq!(
        to_tape(&one).unwrap()[1],
        2,
        "the header counts the shapes known"
    );
}

#[test]
fn past_the_shape_cap_a_tape_carries_the_json_text() {
    // 2^13 combinations of 13 optional fields: more shapes than MAX_SHAPES.
    #[derive(Serialize)]
    struct Wide {
        #[serde(skip_serializing_if = "Option::is_none")]
        f0: Option<u8>,
        #[serde(skip_serializing_if = "Option::is_none")]
        f1: Option<u8>,
        #[serde(skip_serializing_if = "Option::is_none")]
        f2: Option<u8>,
        #[serde(skip_serializing_if = "Option::is_none")]
        f3: Option<u8>,
        #[serde(skip_serializing_if = "Option::is_none")]
        f4: Option<u8>,
        #[serde(skip_serializing_if = "Option::is_none")]
        f5: Option<u8>,
        #[serde(skip_serializing_if = "Option::is_none")]
        f6: Option<u8>,
        #[serde(skip_serializing_if = "Option::is_none")]
        f7: Option<u8>,
        #[serde(skip_serializing_if = "Option::is_none")]
        f8: Option<u8>,
        #[serde(skip_serializing_if = "Option::is_none")]
        f9: Option<u8>,
        #[serde(skip_serializing_if = "Option::is_none")]
        f10: Option<u8>,
        #[serde(skip_serializing_if = "Option::is_none")]
        f11: Option<u8>,
        #[serde(skip_serializing_if = "Option::is_none")]
        f12: Option<u8>,
    }
    let bit = |m: u32, i: u32| (m >> i & 1 == 1).then_some(i as u8);
    let mut json_tapes = 0;
    for m in 0..1u32 << 13 {
        let wide = Wide {
            f0: bit(m, 0),
            f1: bit(m, 1),
            f2: bit(m, 2),
            f3: bit(m, 3),
            f4: bit(m, 4),
            f5: bit(m, 5),
            f6: bit(m, 6),
            f7: bit(m, 7),
            f8: bit(m, 8),
            f9: bit(m, 9),
            f10: bit(m, 10),
            f11: bit(m, 11),
            f12: bit(m, 12),
        };
        let tape = same_as_json(&wide);
        if tape[HEADER_WORDS + tape[2] as usize] == op::JSON {
            json_tapes += 1;
        }
    }
    assert_eq!(shapes_from(0).len(), MAX_SHAPES);
    assert_eq!(json_tapes, (1 << 13) - MAX_SHAPES);
}

#[test]
fn buffers_are_kept_for_typical_plans_and_dropped_after_a_large_one() {
    same_as_json(&everything());
    let kept = || WRITER.with(|w| w.borrow().ops.capacity());
    assert!(kept() > 0, "a typical tape's buffers are kept");
    let large: Vec<String> = (0..40_000).map(|i| format!("host{i}.example")).collect();
    same_as_json(&large);
    assert_eq!(kept(), 0, "a large tape's buffers are dropped");
    same_as_json(&everything());
}

#[test]
fn a_map_key_that_json_cannot_write_is_an_error() {
    let map: BTreeMap<Vec<u8>, u8> = [(vec![1], 1)].into();
    assert!(serde_json::to_string(&map).is_err());
    assert!(to_tape(&map).is_err());
    // The writer is usable again afterwards.
    same_as_json(&everything());
}

/// The tape left in place by `write_in_place`, gathered from the writer's buffers as JS reads
/// them by address (natively the addresses are cut to 32 bits, so they are checked to be the
/// buffers' own, not followed).
fn in_place<T: Serialize>(value: &T) -> Vec<u32> {
    let header = write_in_place(value).unwrap();
    WRITER.with(|w| {
        let w = w.borrow();
        assert_eq!(header, address(w.header.as_ptr()));
        assert_eq!(w.header[..HEADER_WORDS], w.head());
        assert_eq!(
            w.header[HEADER_WORDS..],
            [
                address(w.unit_ends.as_ptr()),
                address(w.ops.as_ptr()),
                address(w.text.as_ptr())
            ]
        );
        let mut words = w.head().to_vec();
        words.extend_from_slice(&w.unit_ends);
        words.extend_from_slice(&w.ops);
        let mut bytes = w.text.as_bytes().to_vec();
        bytes.resize(bytes.len().div_ceil(4) * 4, 0);
        words.extend(
            bytes
                .chunks_exact(4)
                .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])),
        );
        words
    })
}

#[test]
fn a_tape_left_in_place_is_the_tape_handed_over() {
    let tape = same_as_json(&everything());
    assert_eq!(in_place(&everything()), tape);
    let large: Vec<String> = (0..40_000).map(|i| format!("host{i}.example")).collect();
    let tape = same_as_json(&large);
    assert_eq!(
        in_place(&large),
        tape,
        "a large tape is left in place whole"
    );
    assert_eq!(in_place(&everything()), same_as_json(&everything()));
    let kept = || WRITER.with(|w| w.borrow().ops.capacity());
    assert!(
        kept() <= KEPT_WORDS,
        "the large tape's buffers are dropped at the next plan"
    );
}

#[test]
fn a_tape_left_in_place_after_an_error_is_whole() {
    let map: BTreeMap<Vec<u8>, u8> = [(vec![1], 1)].into();
    assert!(write_in_place(&map).is_err());
    assert_eq!(in_place(&everything()), same_as_json(&everything()));
}
