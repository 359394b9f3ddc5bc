//! The core's host rules that `discover` needs (it runs in browsers too): which errors mean an
//! answer to another question, error numbers by name, host error → lookup failure, and the
//! default whole-operation deadline.

use mailsrv_core::ErrorCode;
use mailsrv_core::host_rules;
use wasm_bindgen::prelude::*;

use crate::to_js;

/// `isForeignResponse(code)`: whether an error `code` thrown by `Discovery.receive` means the
/// response answers another question (treat it as lost; the lookup stays open).
#[wasm_bindgen(js_name = isForeignResponse)]
pub fn is_foreign_response(code: &str) -> bool {
    ErrorCode::from_name(code).is_some_and(ErrorCode::is_foreign_response)
}

/// `errorCode(name)`: the number of the error named `name` (`"TIMEOUT"` → 500) in the core's
/// table, or `undefined` for a name that is not in it.
#[wasm_bindgen(js_name = errorCode)]
pub fn error_code(name: &str) -> Option<u32> {
    ErrorCode::from_name(name).map(|c| c as u32)
}

/// `lookupFailure(code)`: the failure to report with `Discovery.fail` for a query that ended
/// with the host error `code` (`"TIMEOUT"` → `"timeout"`, anything else → `"network-error"`).
#[wasm_bindgen(js_name = lookupFailure)]
pub fn lookup_failure(code: Option<String>) -> Result<JsValue, JsValue> {
    let code = code.as_deref().and_then(ErrorCode::from_name);
    to_js(&host_rules::lookup_failure(code))
}

/// `defaultTotalTimeout()`: the whole-operation deadline in ms that `discover` and `probe` use
/// when the caller gives no `totalTimeout` (60 000).
#[wasm_bindgen(js_name = defaultTotalTimeout)]
pub fn default_total_timeout() -> u32 {
    host_rules::DEFAULT_TOTAL_TIMEOUT_MS
}
