//! The core's host rules (its `host_rules` module) for the JS hosts: the CLI, `discover` and
//! `probe` call these instead of deciding themselves.

use mailsrv_core::host_rules;
use mailsrv_core::{ErrorCode, MinimumSecurity, Security};
use wasm_bindgen::prelude::*;

use crate::{core_error, from_js, to_js};

/// `proberSkips(security)`: whether a prober skips a candidate with this `security` (it never
/// connects in cleartext).
#[wasm_bindgen(js_name = proberSkips)]
pub fn prober_skips(security: JsValue) -> Result<bool, JsValue> {
    let security: Security = from_js(security, "security")?;
    Ok(host_rules::prober_skips(security))
}

/// `maxChainLength()`: the longest certificate chain `verifyChain` accepts, leaf included; a
/// host collects at most one more, so that the core refuses a longer chain.
#[wasm_bindgen(js_name = maxChainLength)]
pub fn max_chain_length() -> usize {
    host_rules::MAX_CHAIN
}

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

/// `optionValue(option, value)`: a command-line value checked by the core (`"tls-order"`,
/// `"prefer"`, `"service"`, `"minimum-security"`), in its canonical spelling; throws
/// `INVALID_OPTION` with the core's text.
#[wasm_bindgen(js_name = optionValue)]
pub fn option_value(option: &str, value: &str) -> Result<String, JsValue> {
    host_rules::option_value(option, value)
        .map(str::to_owned)
        .map_err(core_error)
}

/// `minimumSecurity(allowCleartext, implicitTlsOnly)`: the planner's `minimumSecurity` for the
/// two command-line switches; throws `INVALID_OPTION` when both are set.
#[wasm_bindgen(js_name = minimumSecurity)]
pub fn minimum_security(
    allow_cleartext: bool,
    implicit_tls_only: bool,
) -> Result<JsValue, JsValue> {
    let m =
        MinimumSecurity::from_switches(allow_cleartext, implicit_tls_only).map_err(core_error)?;
    to_js(&m)
}
