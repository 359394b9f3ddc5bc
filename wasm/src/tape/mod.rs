//! A plan handed to JS as a tape (the Node build, feature `json-plan`): one `Uint32Array` that
//! `bindings/js/src/tape.js` turns into the same plain object `JSON.parse` of the plan's JSON
//! text gives, several times faster (BENCHMARKS.md, issue 16 §1).
//!
//! Layout, in 32-bit words: a header of [`HEADER_WORDS`] (format, shapes known, strings,
//! string bytes, operation words), the end of each string in UTF-16 code units, the operations,
//! then the strings' UTF-8 bytes, four to a word (little-endian, as wasm memory is). The Node
//! build leaves those parts in the writer's buffers and JS reads them there ([`write_in_place`],
//! decision D63); [`to_tape`] gathers them into one vector.
//!
//! - Each distinct string is written once per plan and named by its index, so the copies of
//!   the address, the domain and the SRV-IDs in every candidate become one JS string each.
//! - A struct is written as [`op::SHAPE`] and a shape number, then its values in order, without
//!   its keys. A shape is a struct's list of field names after skipped fields. Shapes are
//!   numbered once per module instance, at most [`MAX_SHAPES`]. JS reads the names of shapes it
//!   has not seen with `planShapes` and builds one object literal per shape. Field names come
//!   from the source (serde's `&'static str`), never from input.
//!
//! What the tape carries equals the JSON text: numbers, `null` for `None` and for non-finite
//! floats, unit variants as strings, and maps as objects with string keys.
//! `tests.rs` (read back in Rust) and `bindings/js/test/tape.test.js` (read by the JS reader,
//! compared with `JSON.parse`) check it.

use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use serde::Serialize;
use serde::ser;

/// The operations of a tape; each is followed by the words it names.
pub mod op {
    /// `null`.
    pub const NULL: u32 = 0;
    /// `true`.
    pub const TRUE: u32 = 1;
    /// `false`.
    pub const FALSE: u32 = 2;
    /// An integer from 0 to 2^32 − 1: one word.
    pub const INT: u32 = 3;
    /// Any other number: its IEEE 754 bits in two words, low word first.
    pub const F64: u32 = 4;
    /// A string: one word, its index.
    pub const STR: u32 = 5;
    /// An array: one word, its length, then that many values.
    pub const ARR: u32 = 6;
    /// An object of a known shape: one word, the shape, then one value per field.
    pub const SHAPE: u32 = 7;
    /// An object with its keys (a map, an enum variant): one word, the number of entries,
    /// then a key (a string value) and a value for each.
    pub const OBJ: u32 = 8;
    /// A JSON text to parse: one word, the index of the string (used when shapes run out).
    pub const JSON: u32 = 9;
}

/// Format number, the first word of every tape.
pub const FORMAT: u32 = 1;
/// Words of the header.
pub const HEADER_WORDS: usize = 5;
/// Most shapes numbered by one module instance. A plan has about a dozen; every combination of
/// the plan types' optional fields stays far below this. Past it, plans go out as JSON text.
pub const MAX_SHAPES: usize = 4096;

/// A multiply-rotate hasher for the small integer keys of this module (SipHash would cost more
/// than the lookups it serves).
#[derive(Default)]
struct Quick(u64);

impl Hasher for Quick {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }
}

type QuickMap<K, V> = HashMap<K, V, BuildHasherDefault<Quick>>;

/// The shapes numbered so far: their field names, and an index by the struct's name, its
/// field count and which of its fields were written.
#[derive(Default)]
struct Shapes {
    keys: Vec<Vec<&'static str>>,
    index: QuickMap<(usize, usize, u64), Vec<u32>>,
}

impl Shapes {
    /// The number of the shape of struct `name` with fields `keys`, numbered if new; `None` once
    /// [`MAX_SHAPES`] are taken. Field names are compared by address: the same field is the
    /// same literal, and two literals with the same text at most make two shapes of one list.
    fn number(&mut self, name: &'static str, mask: u64, keys: &[&'static str]) -> Option<u32> {
        let ids = self
            .index
            .entry((name.as_ptr() as usize, keys.len(), mask))
            .or_default();
        let same = |a: &[&'static str]| {
            a.len() == keys.len()
                && a.iter()
                    .zip(keys)
                    .all(|(x, y)| x.as_ptr() == y.as_ptr() && x.len() == y.len())
        };
        if let Some(&id) = ids.iter().find(|&&id| same(&self.keys[id as usize])) {
            return Some(id);
        }
        if self.keys.len() >= MAX_SHAPES {
            return None;
        }
        let id = self.keys.len() as u32;
        self.keys.push(keys.to_vec());
        ids.push(id);
        Some(id)
    }
}

thread_local! {
    static SHAPES: RefCell<Shapes> = RefCell::default();
}

/// The field names of shapes `from..`, for `planShapes`.
pub fn shapes_from(from: usize) -> Vec<Vec<&'static str>> {
    SHAPES.with(|s| s.borrow().keys.get(from..).unwrap_or_default().to_vec())
}

/// How many shapes are numbered.
fn shapes_known() -> u32 {
    SHAPES.with(|s| s.borrow().keys.len() as u32)
}

/// Why a value could not be written.
#[derive(Debug)]
pub struct TapeError(String);

impl std::fmt::Display for TapeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for TapeError {}

impl ser::Error for TapeError {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        TapeError(msg.to_string())
    }
}

/// A tape being written.
#[derive(Default)]
struct Writer {
    ops: Vec<u32>,
    text: String,
    /// End of each string in `text`, in bytes and in UTF-16 code units.
    byte_ends: Vec<u32>,
    unit_ends: Vec<u32>,
    /// String indices by a digest of the string, direct-mapped ([`SEEN_SLOTS`] slots; a slot
    /// keeps the latest string, so a collision costs only sharing).
    seen: Vec<u32>,
    /// String indices of `&'static str`s (enum variants) by address, direct-mapped
    /// ([`STATIC_SLOTS`] slots of address and index): no digest and no comparison of bytes.
    statics: Vec<(usize, u32)>,
    /// Text of a value written with `collect_str` (an address), reused.
    scratch: String,
    /// Field names of the structs being written, innermost last.
    keys: Vec<&'static str>,
    /// Set when a struct found no shape number left.
    out_of_shapes: bool,
    /// The header of a tape left in place ([`write_in_place`]).
    header: [u32; IN_PLACE_WORDS],
}

/// Slots of the table that finds repeated strings (a power of two).
const SEEN_SLOTS: usize = 256;
/// An empty slot.
const NO_STRING: u32 = u32::MAX;
/// Slots of the table of `&'static str`s written (a power of two).
const STATIC_SLOTS: usize = 64;

/// A cheap digest of a string: its length and its first and last eight bytes, read as two
/// words with fixed-size loads (a copy of a variable length is a call to `memcpy` in wasm).
fn digest(s: &str) -> u64 {
    let b = s.as_bytes();
    let n = b.len();
    let (head, tail) = if n >= 8 {
        let mut head = [0u8; 8];
        let mut tail = [0u8; 8];
        head.copy_from_slice(&b[..8]);
        tail.copy_from_slice(&b[n - 8..]);
        (u64::from_le_bytes(head), u64::from_le_bytes(tail))
    } else {
        let word = b
            .iter()
            .rev()
            .fold(0u64, |w, &byte| (w << 8) | u64::from(byte));
        (word, word)
    };
    let mut h = Quick::default();
    h.write_u64(n as u64);
    h.write_u64(head);
    h.write_u64(tail);
    h.finish()
}

impl Writer {
    fn string_index(&mut self, s: &str) -> u32 {
        if self.seen.is_empty() {
            self.seen = vec![NO_STRING; SEEN_SLOTS];
        }
        let slot = (digest(s) >> 32) as usize % SEEN_SLOTS;
        let i = self.seen[slot] as usize;
        if let Some(&end) = self.byte_ends.get(i) {
            let start = if i == 0 {
                0
            } else {
                self.byte_ends[i - 1] as usize
            };
            if self.text.as_bytes().get(start..end as usize) == Some(s.as_bytes()) {
                return i as u32;
            }
        }
        let index = self.byte_ends.len() as u32;
        let units = if s.is_ascii() {
            s.len()
        } else {
            s.encode_utf16().count()
        };
        self.text.push_str(s);
        let last_units = self.unit_ends.last().copied().unwrap_or(0);
        self.byte_ends.push(self.text.len() as u32);
        self.unit_ends.push(last_units + units as u32);
        self.seen[slot] = index;
        index
    }

    fn string(&mut self, s: &str) {
        let i = self.string_index(s);
        self.ops.extend_from_slice(&[op::STR, i]);
    }

    /// A string that lives as long as the program (an enum variant's name): found again by its
    /// address.
    fn static_string(&mut self, s: &'static str) {
        if self.statics.is_empty() {
            self.statics = vec![(0, NO_STRING); STATIC_SLOTS];
        }
        let address = s.as_ptr() as usize;
        let slot = (address >> 2) % STATIC_SLOTS;
        let i = match self.statics[slot] {
            (a, i) if a == address && i != NO_STRING && self.byte_len(i) == s.len() => i,
            _ => {
                let i = self.string_index(s);
                self.statics[slot] = (address, i);
                i
            }
        };
        self.ops.extend_from_slice(&[op::STR, i]);
    }

    /// Length in bytes of string `i`.
    fn byte_len(&self, i: u32) -> usize {
        let i = i as usize;
        let start = if i == 0 { 0 } else { self.byte_ends[i - 1] };
        (self.byte_ends[i] - start) as usize
    }

    fn number(&mut self, n: f64) {
        if !n.is_finite() {
            self.ops.push(op::NULL);
        } else if n.is_sign_positive() && n <= f64::from(u32::MAX) && n.fract() == 0.0 {
            self.ops.extend_from_slice(&[op::INT, n as u32]);
        } else {
            let bits = n.to_bits();
            self.ops
                .extend_from_slice(&[op::F64, bits as u32, (bits >> 32) as u32]);
        }
    }

    fn unsigned(&mut self, n: u64) {
        match u32::try_from(n) {
            Ok(n) => self.ops.extend_from_slice(&[op::INT, n]),
            Err(_) => self.number(n as f64),
        }
    }

    /// Opens a container: its operation and a word patched when it ends; gives that word's
    /// position.
    fn open(&mut self, operation: u32) -> usize {
        self.ops.extend_from_slice(&[operation, 0]);
        self.ops.len() - 1
    }

    /// Empties the writer, keeping its buffers for the next tape.
    fn clear(&mut self) {
        self.ops.clear();
        self.text.clear();
        self.byte_ends.clear();
        self.unit_ends.clear();
        self.seen.fill(NO_STRING);
        self.statics.fill((0, NO_STRING));
        self.keys.clear();
        self.out_of_shapes = false;
    }

    /// The tape's first [`HEADER_WORDS`] words.
    fn head(&self) -> [u32; HEADER_WORDS] {
        [
            FORMAT,
            shapes_known(),
            self.unit_ends.len() as u32,
            self.text.len() as u32,
            self.ops.len() as u32,
        ]
    }

    /// Writes `value`, or its JSON text once shapes run out.
    fn write<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), TapeError> {
        self.clear();
        value.serialize(&mut *self)?;
        if self.out_of_shapes {
            self.clear();
            let text = serde_json::to_string(value).map_err(|e| TapeError(e.to_string()))?;
            let i = self.string_index(&text);
            self.ops.extend_from_slice(&[op::JSON, i]);
        }
        Ok(())
    }

    /// Whether the buffers are small enough to keep for the next plan.
    fn worth_keeping(&self) -> bool {
        self.ops.capacity() <= KEPT_WORDS && self.text.capacity() <= 4 * KEPT_WORDS
    }

    /// The finished tape.
    fn finish(&self) -> Vec<u32> {
        let strings = self.unit_ends.len();
        let mut words =
            Vec::with_capacity(HEADER_WORDS + strings + self.ops.len() + self.text.len() / 4 + 1);
        words.extend_from_slice(&self.head());
        words.extend_from_slice(&self.unit_ends);
        words.extend_from_slice(&self.ops);
        let mut chunks = self.text.as_bytes().chunks_exact(4);
        words.extend(
            chunks
                .by_ref()
                .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])),
        );
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut last = [0u8; 4];
            last[..rest.len()].copy_from_slice(rest);
            words.push(u32::from_le_bytes(last));
        }
        words
    }
}

/// Most operation words (and four bytes of strings per word) kept between plans: a
/// typical plan needs about a thousand words; the largest the core's caps allow, a few hundred
/// thousand.
const KEPT_WORDS: usize = 16 * 1024;

thread_local! {
    /// The writer's buffers, kept between plans (a plan's tape is built in them, then copied
    /// out at its size once).
    static WRITER: RefCell<Writer> = RefCell::default();
}

/// `value` as a tape. Past [`MAX_SHAPES`], the tape holds its JSON text instead.
pub fn to_tape<T: Serialize + ?Sized>(value: &T) -> Result<Vec<u32>, TapeError> {
    // The kept buffers, or new ones if a tape is already being written (never, in practice).
    let mut writer = WRITER
        .with(|w| w.try_borrow_mut().map(|mut w| std::mem::take(&mut *w)))
        .unwrap_or_default();
    let tape = writer.write(value).map(|()| writer.finish());
    // Buffers grown by an unusually large plan are not kept.
    if writer.worth_keeping() {
        WRITER.with(|w| {
            if let Ok(mut w) = w.try_borrow_mut() {
                *w = writer;
            }
        });
    }
    tape
}

/// Words of the header of a tape left in place: the [`HEADER_WORDS`] of a tape, then the
/// addresses in wasm memory of the string ends, the operations and the strings' UTF-8 bytes.
pub const IN_PLACE_WORDS: usize = HEADER_WORDS + 3;

/// Writes `value`'s tape and leaves it in the module's buffers, where JS reads it without a
/// copy (decision D63): gives the address of its header ([`IN_PLACE_WORDS`] words). The tape
/// stays there, unchanged, until the next call; the caller must read it before anything else
/// runs in the module. Past [`MAX_SHAPES`], the tape holds its JSON text instead.
pub fn write_in_place<T: Serialize + ?Sized>(value: &T) -> Result<u32, TapeError> {
    WRITER.with(|w| {
        let mut writer = w
            .try_borrow_mut()
            .map_err(|_| TapeError("a tape is already being written".into()))?;
        // Buffers grown by an unusually large plan were kept only for JS to read that plan.
        if !writer.worth_keeping() {
            *writer = Writer::default();
        }
        writer.write(value)?;
        let [a, b, c, d, e] = writer.head();
        writer.header = [
            a,
            b,
            c,
            d,
            e,
            address(writer.unit_ends.as_ptr()),
            address(writer.ops.as_ptr()),
            address(writer.text.as_ptr()),
        ];
        Ok(address(writer.header.as_ptr()))
    })
}

/// A pointer as a wasm32 memory address (the module's memory is below 4 GiB).
pub(crate) fn address<T>(pointer: *const T) -> u32 {
    pointer as usize as u32
}

mod serializer;
#[cfg(test)]
mod tests;
