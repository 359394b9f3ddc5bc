//! The serde serializer that writes a tape (see the module's documentation).

use serde::Serialize;
use serde::ser::{self, Impossible};

use super::{SHAPES, TapeError, Writer, op};

/// An array or a tuple being written.
pub(super) struct Seq<'a> {
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
pub(super) struct Struct<'a> {
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
pub(super) struct Map<'a> {
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

/// The four ways serde writes a sequence, all one array on the tape.
macro_rules! sequence {
    ($($trait:ident :: $method:ident),+) => {$(
        impl ser::$trait for Seq<'_> {
            type Ok = ();
            type Error = TapeError;
            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), TapeError> {
                self.element(value)
            }
            fn end(self) -> Result<(), TapeError> {
                self.close();
                Ok(())
            }
        }
    )+};
}

sequence!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

/// A struct and a struct variant's fields, both one shape on the tape.
macro_rules! structure {
    ($($trait:ident),+) => {$(
        impl ser::$trait for Struct<'_> {
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
    )+};
}

structure!(SerializeStruct, SerializeStructVariant);

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

/// An integer key, written as its decimal text.
macro_rules! integer_keys {
    ($($method:ident: $type:ty),+) => {$(
        fn $method(self, v: $type) -> Result<(), TapeError> {
            self.serialize_str(&v.to_string())
        }
    )+};
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
    integer_keys!(
        serialize_i8: i8,
        serialize_i16: i16,
        serialize_i32: i32,
        serialize_i64: i64,
        serialize_u8: u8,
        serialize_u16: u16,
        serialize_u32: u32,
        serialize_u64: u64
    );
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
