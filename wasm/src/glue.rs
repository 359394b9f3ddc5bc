//! The JS error glue shared by the two wasm crates (`wasm/` includes it as a module,
//! `wasm-zone/` by path): errors are thrown as `Error` objects whose `code` is the core's error
//! name. It has no serde, so that the zone module does not link serde-wasm-bindgen for it.
#![allow(dead_code)]

use js_sys::Reflect;
use mailsrv_core::Error;
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
