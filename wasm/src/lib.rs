//! WebAssembly bindings for mailsrv: marshalling only. Every decision is made by the core.
//!
//! DNS messages and certificates come in as `Uint8Array`; plans and verdicts go out as plain
//! objects built by `serde_wasm_bindgen`'s JSON-compatible serializer, so `JSON.stringify(plan,
//! null, 2)` prints the same text as the Rust example host. Errors are thrown as `Error` objects
//! whose `code` is the core's error name (e.g. `INVALID_DOMAIN`).
//!
//! Features choose what a build exports: `planner` (`Discovery`, address helpers) and `verify`
//! (`verifyChain`) make the browser module; `dane` (TLSA records in `verifyChain`) is added for
//! the Node entry's build only; `negotiate` alone makes the negotiator's module,
//! which a browser without sockets does not need to download.
//! `host` alone makes the Node tools' module (`mailsrv_host`: exit statuses, explanations,
//! command-line values, the prober's rules), which a browser does not download either.
//!
//! The core is built without its `uts46` feature: internationalised domains are converted by
//! the platform's UTS #46 (the WHATWG URL host parser that browsers and Node already carry),
//! which keeps about 47 KB of gzipped Unicode tables out of the module.

use wasm_bindgen::prelude::*;

/// The modules' allocator: talc instead of the standard library's dlmalloc (BENCHMARKS.md,
/// issue 16 §1). Each module is single-threaded.
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

#[cfg(feature = "json-plan")]
pub mod boundary;
#[cfg(any(feature = "host", feature = "json-plan"))]
pub mod bulk;
#[cfg(feature = "host")]
pub mod cli;
#[cfg(feature = "host")]
pub mod exit;
#[cfg(feature = "host")]
pub mod explain;
#[cfg(feature = "planner")]
pub mod host_rules;
#[cfg(feature = "negotiate")]
pub mod negotiator;
#[cfg(feature = "planner")]
pub mod planner;
#[cfg(feature = "json-plan")]
pub mod tape;
#[cfg(feature = "verify")]
pub mod verify;

#[cfg(any(feature = "planner", feature = "verify", feature = "host"))]
#[wasm_bindgen]
extern "C" {
    /// The platform's WHATWG `URL` class (browsers, Node ≥ 10).
    #[wasm_bindgen(js_name = URL)]
    type Url;
    #[wasm_bindgen(constructor, catch, js_class = URL)]
    fn new(url: &str) -> Result<Url, JsValue>;
    #[wasm_bindgen(method, getter)]
    fn hostname(this: &Url) -> String;
}

/// UTS #46 ToASCII by the platform's URL host parser (non-transitional, with the Bidi and
/// ContextJ checks). The core calls it only for a domain whose ASCII characters are all letters,
/// digits, hyphens and dots, so nothing in it is URL syntax, and checks the answer again.
#[cfg(any(feature = "planner", feature = "verify", feature = "host"))]
fn platform_to_ascii(domain: &str) -> Option<String> {
    Url::new(&format!("http://{domain}/"))
        .ok()
        .map(|url| url.hostname())
}

mod glue;
#[cfg(any(feature = "planner", feature = "verify", feature = "host"))]
use glue::core_error;
use glue::{bad_argument, throw};

/// A value as a plain JS object (JSON-compatible: maps become objects), except that bytes
/// written with `serialize_bytes` (a negotiator step's `bytes`) become a `Uint8Array`.
fn to_js<T: serde::Serialize>(value: &T) -> Result<JsValue, JsValue> {
    value
        .serialize(
            &serde_wasm_bindgen::Serializer::json_compatible().serialize_bytes_as_arrays(false),
        )
        .map_err(|e| throw("INTERNAL", &e.to_string()))
}

/// A JS value converted to `T`; `what` names it in the `INVALID_ARGUMENT` message.
fn from_js<T: serde::de::DeserializeOwned>(value: JsValue, what: &str) -> Result<T, JsValue> {
    serde_wasm_bindgen::from_value(value).map_err(|e| bad_argument(&format!("{what}: {e}")))
}

#[cfg(any(feature = "planner", feature = "verify"))]
fn optional<T: serde::de::DeserializeOwned + Default>(
    value: JsValue,
    what: &str,
) -> Result<T, JsValue> {
    if value.is_undefined() || value.is_null() {
        Ok(T::default())
    } else {
        from_js(value, what)
    }
}

/// The library version.
#[wasm_bindgen]
pub fn version() -> String {
    mailsrv_core::VERSION.to_owned()
}
