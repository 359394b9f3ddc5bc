//! The JS glue shared by the two wasm crates (`wasm/` includes it as a module, `wasm-zone/` by
//! path): errors thrown as `Error` objects whose `code` is the core's error name, and values
//! converted with `serde_wasm_bindgen`'s JSON-compatible serializer. Each module uses a subset.
#![allow(dead_code)]

use js_sys::Reflect;
use mailsrv_core::Error;
use serde::Serialize;
use wasm_bindgen::JsValue;

/// An `Error` with `message` and the property `code`.
pub(crate) fn throw(code: &str, message: &str) -> JsValue {
    let error = js_sys::Error::new(message);
    let _ = Reflect::set(&error, &"code".into(), &code.into());
    error.into()
}

/// A core error as a JS `Error` (`code` is its SCREAMING_SNAKE name).
pub(crate) fn core_error(e: Error) -> JsValue {
    throw(e.code().name(), e.message())
}

/// An `INVALID_ARGUMENT` error (a value the JS caller passed does not convert).
pub(crate) fn bad_argument(message: &str) -> JsValue {
    throw("INVALID_ARGUMENT", message)
}

/// A value as a plain JS object (JSON-compatible: maps become objects), except that bytes
/// written with `serialize_bytes` (a negotiator step's `bytes`) become a `Uint8Array`.
pub(crate) fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    value
        .serialize(
            &serde_wasm_bindgen::Serializer::json_compatible().serialize_bytes_as_arrays(false),
        )
        .map_err(|e| throw("INTERNAL", &e.to_string()))
}

/// A JS value converted to `T`; `what` names it in the `INVALID_ARGUMENT` message.
pub(crate) fn from_js<T: serde::de::DeserializeOwned>(
    value: JsValue,
    what: &str,
) -> Result<T, JsValue> {
    serde_wasm_bindgen::from_value(value).map_err(|e| bad_argument(&format!("{what}: {e}")))
}
