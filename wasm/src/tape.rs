//! A plan handed to JS as a tape (the Node build, feature `json-plan`): one `Uint32Array` that
//! `bindings/js/src/tape.js` turns into the same plain object `JSON.parse` of the plan's JSON
//! text gives, several times faster (BENCHMARKS.md, issue 16 §1).
//!
//! Layout, in 32-bit words: a header of [`HEADER_WORDS`] (format, shapes known, strings,
//! string bytes, operation words), the end of each string in UTF-16 code units, the operations,
//! then the strings' UTF-8 bytes, four to a word (little-endian, as wasm memory is).
//!
//! - Each distinct string is written once per plan and named by its index, so the 8 copies of
//!   an address in a plan's usernames become one JS string.
//! - A struct is written as [`op::SHAPE`] and a shape number, then its values in order, without
//!   its keys. A shape is a struct's list of field names after skipped fields. Shapes are
//!   numbered once per module instance, at most [`MAX_SHAPES`]. JS reads the names of shapes it
//!   has not seen with `planShapes` and builds one object literal per shape. Field names come
//!   from the source (serde's `&'static str`), never from input.
//!
//! What the tape carries equals the JSON text: numbers, `null` for `None` and for non-finite
//! floats, unit variants as strings, and maps as objects with string keys.
//! `core/tests` and `bindings/js/test/tape.test.js` compare the two.

use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use serde::Serialize;
use serde::ser::{self, Impossible};

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
}

/// Slots of the table that finds repeated strings (a power of two).
const SEEN_SLOTS: usize = 256;
/// An empty slot.
const NO_STRING: u32 = u32::MAX;
/// Slots of the table of `&'static str`s written (a power of two).
const STATIC_SLOTS: usize = 64;

/// A cheap digest of a string: its length and its first and last eight bytes.
fn digest(s: &str) -> u64 {
    let b = s.as_bytes();
    let word = |part: &[u8]| {
        let mut w = [0u8; 8];
        w[..part.len()].copy_from_slice(part);
        u64::from_le_bytes(w)
    };
    let head = word(&b[..b.len().min(8)]);
    let tail = word(&b[b.len().saturating_sub(8)..]);
    let mut h = Quick::default();
    h.write_u64(b.len() as u64);
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

    /// The finished tape.
    fn finish(&self) -> Vec<u32> {
        let strings = self.unit_ends.len();
        let mut words =
            Vec::with_capacity(HEADER_WORDS + strings + self.ops.len() + self.text.len() / 4 + 1);
        words.extend_from_slice(&[
            FORMAT,
            shapes_known(),
            strings as u32,
            self.text.len() as u32,
            self.ops.len() as u32,
        ]);
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
    writer.clear();
    let written = value.serialize(&mut writer);
    let tape = match written {
        Ok(()) if !writer.out_of_shapes => Ok(writer.finish()),
        Ok(()) => {
            writer.clear();
            serde_json::to_string(value)
                .map(|text| {
                    let i = writer.string_index(&text);
                    writer.ops.extend_from_slice(&[op::JSON, i]);
                    writer.finish()
                })
                .map_err(|e| TapeError(e.to_string()))
        }
        Err(e) => Err(e),
    };
    // Buffers grown by an unusually large plan are not kept.
    if writer.ops.capacity() <= KEPT_WORDS && writer.text.capacity() <= 4 * KEPT_WORDS {
        WRITER.with(|w| {
            if let Ok(mut w) = w.try_borrow_mut() {
                *w = writer;
            }
        });
    }
    tape
}

/// An array or a tuple being written.
struct Seq<'a> {
    w: &'a mut Writer,
    at: usize,
    len: u32,
}

impl Seq<'_> {
    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), TapeError> {
        self.len += 1;
        value.serialize(&mut *self.w)
    }
    fn close(self) {
        self.w.ops[self.at] = self.len;
    }
}

/// A struct being written; `close_variant` marks a struct variant (one `OBJ` entry around it).
struct Struct<'a> {
    w: &'a mut Writer,
    at: usize,
    name: &'static str,
    mask: u64,
    field: u32,
    keys_from: usize,
}

impl Struct<'_> {
    fn field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), TapeError> {
        self.mask |= 1 << (self.field % 64);
        self.field += 1;
        self.w.keys.push(key);
        value.serialize(&mut *self.w)
    }
    fn close(self) {
        let keys = &self.w.keys[self.keys_from..];
        let id = SHAPES.with(|s| s.borrow_mut().number(self.name, self.mask, keys));
        match id {
            Some(id) => self.w.ops[self.at] = id,
            None => self.w.out_of_shapes = true,
        }
        self.w.keys.truncate(self.keys_from);
    }
}

/// A map being written (an `OBJ` with its keys).
struct Map<'a> {
    w: &'a mut Writer,
    at: usize,
    len: u32,
}

impl<'a> ser::Serializer for &'a mut Writer {
    type Ok = ();
    type Error = TapeError;
    type SerializeSeq = Seq<'a>;
    type SerializeTuple = Seq<'a>;
    type SerializeTupleStruct = Seq<'a>;
    type SerializeTupleVariant = Seq<'a>;
    type SerializeMap = Map<'a>;
    type SerializeStruct = Struct<'a>;
    type SerializeStructVariant = Struct<'a>;

    fn serialize_bool(self, v: bool) -> Result<(), TapeError> {
        self.ops.push(if v { op::TRUE } else { op::FALSE });
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> Result<(), TapeError> {
        self.serialize_i64(v.into())
    }
    fn serialize_i16(self, v: i16) -> Result<(), TapeError> {
        self.serialize_i64(v.into())
    }
    fn serialize_i32(self, v: i32) -> Result<(), TapeError> {
        self.serialize_i64(v.into())
    }
    fn serialize_i64(self, v: i64) -> Result<(), TapeError> {
        match u64::try_from(v) {
            Ok(v) => self.unsigned(v),
            Err(_) => self.number(v as f64),
        }
        Ok(())
    }
    fn serialize_u8(self, v: u8) -> Result<(), TapeError> {
        self.unsigned(v.into());
        Ok(())
    }
    fn serialize_u16(self, v: u16) -> Result<(), TapeError> {
        self.unsigned(v.into());
        Ok(())
    }
    fn serialize_u32(self, v: u32) -> Result<(), TapeError> {
        self.unsigned(v.into());
        Ok(())
    }
    fn serialize_u64(self, v: u64) -> Result<(), TapeError> {
        self.unsigned(v);
        Ok(())
    }
    fn serialize_f32(self, v: f32) -> Result<(), TapeError> {
        // As serde_json writes an f32: its shortest decimal text, read back as a double.
        let n = if v.is_finite() {
            v.to_string().parse().unwrap_or(f64::NAN)
        } else {
            f64::NAN
        };
        self.number(n);
        Ok(())
    }
    fn serialize_f64(self, v: f64) -> Result<(), TapeError> {
        self.number(v);
        Ok(())
    }
    fn serialize_char(self, v: char) -> Result<(), TapeError> {
        self.string(v.encode_utf8(&mut [0; 4]));
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Result<(), TapeError> {
        self.string(v);
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), TapeError> {
        self.ops.extend_from_slice(&[op::ARR, v.len() as u32]);
        for &b in v {
            self.ops.extend_from_slice(&[op::INT, b.into()]);
        }
        Ok(())
    }
    fn serialize_none(self) -> Result<(), TapeError> {
        self.ops.push(op::NULL);
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), TapeError> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), TapeError> {
        self.ops.push(op::NULL);
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), TapeError> {
        self.serialize_unit()
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), TapeError> {
        self.static_string(variant);
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), TapeError> {
        value.serialize(self)
    }
    fn collect_str<T: std::fmt::Display + ?Sized>(self, value: &T) -> Result<(), TapeError> {
        use std::fmt::Write;
        let mut text = std::mem::take(&mut self.scratch);
        text.clear();
        write!(text, "{value}").map_err(|e| TapeError(e.to_string()))?;
        self.string(&text);
        self.scratch = text;
        Ok(())
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), TapeError> {
        self.ops.extend_from_slice(&[op::OBJ, 1]);
        self.string(variant);
        value.serialize(self)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Seq<'a>, TapeError> {
        let at = self.open(op::ARR);
        Ok(Seq {
            w: self,
            at,
            len: 0,
        })
    }
    fn serialize_tuple(self, len: usize) -> Result<Seq<'a>, TapeError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<Seq<'a>, TapeError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Seq<'a>, TapeError> {
        self.ops.extend_from_slice(&[op::OBJ, 1]);
        self.string(variant);
        self.serialize_seq(Some(len))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Map<'a>, TapeError> {
        let at = self.open(op::OBJ);
        Ok(Map {
            w: self,
            at,
            len: 0,
        })
    }
    fn serialize_struct(self, name: &'static str, _: usize) -> Result<Struct<'a>, TapeError> {
        let at = self.open(op::SHAPE);
        let keys_from = self.keys.len();
        Ok(Struct {
            w: self,
            at,
            name,
            mask: 0,
            field: 0,
            keys_from,
        })
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Struct<'a>, TapeError> {
        self.ops.extend_from_slice(&[op::OBJ, 1]);
        self.string(variant);
        self.serialize_struct(variant, len)
    }
}

impl ser::SerializeSeq for Seq<'_> {
    type Ok = ();
    type Error = TapeError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), TapeError> {
        self.element(value)
    }
    fn end(self) -> Result<(), TapeError> {
        self.close();
        Ok(())
    }
}

impl ser::SerializeTuple for Seq<'_> {
    type Ok = ();
    type Error = TapeError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), TapeError> {
        self.element(value)
    }
    fn end(self) -> Result<(), TapeError> {
        self.close();
        Ok(())
    }
}

impl ser::SerializeTupleStruct for Seq<'_> {
    type Ok = ();
    type Error = TapeError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), TapeError> {
        self.element(value)
    }
    fn end(self) -> Result<(), TapeError> {
        self.close();
        Ok(())
    }
}

impl ser::SerializeTupleVariant for Seq<'_> {
    type Ok = ();
    type Error = TapeError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), TapeError> {
        self.element(value)
    }
    fn end(self) -> Result<(), TapeError> {
        self.close();
        Ok(())
    }
}

impl ser::SerializeStruct for Struct<'_> {
    type Ok = ();
    type Error = TapeError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), TapeError> {
        self.field(key, value)
    }
    fn skip_field(&mut self, _: &'static str) -> Result<(), TapeError> {
        self.field += 1;
        Ok(())
    }
    fn end(self) -> Result<(), TapeError> {
        self.close();
        Ok(())
    }
}

impl ser::SerializeStructVariant for Struct<'_> {
    type Ok = ();
    type Error = TapeError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), TapeError> {
        self.field(key, value)
    }
    fn skip_field(&mut self, _: &'static str) -> Result<(), TapeError> {
        self.field += 1;
        Ok(())
    }
    fn end(self) -> Result<(), TapeError> {
        self.close();
        Ok(())
    }
}

impl ser::SerializeMap for Map<'_> {
    type Ok = ();
    type Error = TapeError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), TapeError> {
        self.len += 1;
        key.serialize(MapKey(&mut *self.w))
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), TapeError> {
        value.serialize(&mut *self.w)
    }
    fn end(self) -> Result<(), TapeError> {
        self.w.ops[self.at] = self.len;
        Ok(())
    }
}

/// A map's key, written as a string as serde_json writes keys (strings, and integers and
/// booleans as text).
struct MapKey<'a>(&'a mut Writer);

fn key_error() -> TapeError {
    TapeError("a map key must be a string, an integer or a boolean".into())
}

impl ser::Serializer for MapKey<'_> {
    type Ok = ();
    type Error = TapeError;
    type SerializeSeq = Impossible<(), TapeError>;
    type SerializeTuple = Impossible<(), TapeError>;
    type SerializeTupleStruct = Impossible<(), TapeError>;
    type SerializeTupleVariant = Impossible<(), TapeError>;
    type SerializeMap = Impossible<(), TapeError>;
    type SerializeStruct = Impossible<(), TapeError>;
    type SerializeStructVariant = Impossible<(), TapeError>;

    fn serialize_str(self, v: &str) -> Result<(), TapeError> {
        self.0.string(v);
        Ok(())
    }
    fn serialize_char(self, v: char) -> Result<(), TapeError> {
        self.0.string(v.encode_utf8(&mut [0; 4]));
        Ok(())
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), TapeError> {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), TapeError> {
        value.serialize(self)
    }
    fn serialize_i8(self, v: i8) -> Result<(), TapeError> {
        self.serialize_str(&v.to_string())
    }
    fn serialize_i16(self, v: i16) -> Result<(), TapeError> {
        self.serialize_str(&v.to_string())
    }
    fn serialize_i32(self, v: i32) -> Result<(), TapeError> {
        self.serialize_str(&v.to_string())
    }
    fn serialize_i64(self, v: i64) -> Result<(), TapeError> {
        self.serialize_str(&v.to_string())
    }
    fn serialize_u8(self, v: u8) -> Result<(), TapeError> {
        self.serialize_str(&v.to_string())
    }
    fn serialize_u16(self, v: u16) -> Result<(), TapeError> {
        self.serialize_str(&v.to_string())
    }
    fn serialize_u32(self, v: u32) -> Result<(), TapeError> {
        self.serialize_str(&v.to_string())
    }
    fn serialize_u64(self, v: u64) -> Result<(), TapeError> {
        self.serialize_str(&v.to_string())
    }
    fn serialize_bool(self, v: bool) -> Result<(), TapeError> {
        self.serialize_str(if v { "true" } else { "false" })
    }
    fn serialize_f32(self, _: f32) -> Result<(), TapeError> {
        Err(key_error())
    }
    fn serialize_f64(self, _: f64) -> Result<(), TapeError> {
        Err(key_error())
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<(), TapeError> {
        Err(key_error())
    }
    fn serialize_none(self) -> Result<(), TapeError> {
        Err(key_error())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> Result<(), TapeError> {
        Err(key_error())
    }
    fn serialize_unit(self) -> Result<(), TapeError> {
        Err(key_error())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), TapeError> {
        Err(key_error())
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), TapeError> {
        Err(key_error())
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, TapeError> {
        Err(key_error())
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, TapeError> {
        Err(key_error())
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, TapeError> {
        Err(key_error())
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, TapeError> {
        Err(key_error())
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, TapeError> {
        Err(key_error())
    }
    fn serialize_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStruct, TapeError> {
        Err(key_error())
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, TapeError> {
        Err(key_error())
    }
}

#[cfg(test)]
mod tests {
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
}
