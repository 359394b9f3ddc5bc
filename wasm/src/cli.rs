//! The rules Node tools apply around the core (the `mailsrv` CLI and `probe`), built into the
//! `mailsrv_host` module so that the browser module does not carry them: which candidates a
//! prober skips, the chain limit, the verdict → negotiator outcome, command-line values and
//! numbers, and the prober's address lookups, its failure without an address (D50) and its ALPN
//! check.

use js_sys::{Array, Uint8Array};
use mailsrv_core::host_rules;
use mailsrv_core::host_web;
use mailsrv_core::{MinimumSecurity, Security};
use wasm_bindgen::prelude::*;

use crate::{core_error, from_js, platform_to_ascii, to_js};

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

/// `maxConnectionBytes()`: the most bytes a host reads from one mail server connection (1 MiB);
/// past it the probe closes the connection and reports `TOO_MUCH_DATA`.
#[wasm_bindgen(js_name = maxConnectionBytes)]
pub fn max_connection_bytes() -> usize {
    host_rules::MAX_CONNECTION_BYTES
}

/// `tlsOutcome(verdict, userConfirmed)`: what to report to the negotiator's `tlsEstablished`
/// for a verdict (or its `status`), given whether the user confirmed this server: the core's
/// rule (`"verified"`, `"user-confirmed"` or `"not-verified"`).
#[wasm_bindgen(js_name = tlsOutcome)]
pub fn tls_outcome(verdict: JsValue, user_confirmed: bool) -> Result<JsValue, JsValue> {
    #[derive(serde::Deserialize)]
    struct VerdictIn {
        status: mailsrv_core::VerdictStatus,
    }
    let status = if verdict.is_string() {
        from_js(verdict, "verdict status")?
    } else {
        from_js::<VerdictIn>(verdict, "verdict")?.status
    };
    to_js(&status.tls_outcome(user_confirmed))
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

/// `numberValue(option, text)`: a numeric command-line value by the core's rule, the same for
/// every host (`"timeout"`, `"total-timeout"`, `"seed"`, `"concurrency"`: decimal digits within
/// the option's bounds), as a BigInt; throws `INVALID_OPTION` with the core's text, which names
/// the option.
#[wasm_bindgen(js_name = numberValue)]
pub fn number_value(option: &str, text: &str) -> Result<u64, JsValue> {
    host_rules::number_value(option, text).map_err(core_error)
}

/// `nowValue(text)`: the DNSSEC validator's time in seconds from a `--now` value (seconds, or an
/// RFC 3339 UTC time such as `2026-01-01T00:00:00Z`), read by the core; throws `INVALID_OPTION`.
#[cfg(feature = "dnssec")]
#[wasm_bindgen(js_name = nowValue)]
pub fn now_value(text: &str) -> Result<f64, JsValue> {
    // Seconds up to 2^53 are exact in a JS number; a larger one is refused, never rounded.
    let secs = host_rules::parse_now(text).map_err(core_error)?;
    if secs > 9_007_199_254_740_991 {
        return Err(crate::glue::throw(
            "INVALID_OPTION",
            &format!("`{text}` is past the largest time a JS number holds exactly"),
        ));
    }
    Ok(secs as f64)
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

/// `alpnAcceptable(offered, selected)`: whether the ALPN protocol a server selected (`null`
/// when none) is acceptable for a candidate that offered `offered` (its `alpn`); `false` means
/// drop the connection (ALPACA).
#[wasm_bindgen(js_name = alpnAcceptable)]
pub fn alpn_acceptable(offered: Vec<String>, selected: Option<String>) -> bool {
    mailsrv_core::alpn_acceptable(&offered, selected.as_deref().map(str::as_bytes))
}

/// `addressQueries(host, messageId?)`: wire A and AAAA queries for a candidate's host, for
/// resolvers whose answers leave the additional section empty.
#[wasm_bindgen(js_name = addressQueries)]
pub fn address_queries(host: &str, message_id: Option<u16>) -> Result<Array, JsValue> {
    let [a, aaaa] =
        mailsrv_core::address_queries(host, message_id.unwrap_or(0)).map_err(core_error)?;
    Ok([a, aaaa]
        .iter()
        .map(|q| JsValue::from(Uint8Array::from(q.as_slice())))
        .collect())
}

/// `addressesIn(response, host)`: the addresses of `host` in an A or AAAA answer, as text.
#[wasm_bindgen(js_name = addressesIn)]
pub fn addresses_in(response: &[u8], host: &str) -> Vec<String> {
    mailsrv_core::addresses_in_response(response, host)
        .iter()
        .map(|a| a.to_string())
        .collect()
}

/// `noAddressError(host, detail?)`: the error a prober fails a candidate with when the resolver
/// the plan came from gives no address for its target `host` (D50): an `Error` with `code`
/// `NETWORK_ERROR` and the core's message (`no address for HOST from the resolver`, then
/// `: DETAIL` when `detail`, the resolver's own error text, is given), for the caller to throw.
#[wasm_bindgen(js_name = noAddressError)]
pub fn no_address_error(host: &str, detail: Option<String>) -> JsValue {
    core_error(host_rules::no_address_error(host, detail.as_deref()))
}

/// `parseAutoconfig(document, email)`: the autoconfig document (a `Uint8Array`, as read) parsed
/// by the core for `email` — `incoming`, `outgoing`, `domains`, `oauth2`, `diagnostics`, ... as
/// in the Rust and C JSON. A refused document throws with the core's `AUTOCONFIG_*` code.
#[wasm_bindgen(js_name = parseAutoconfig)]
pub fn parse_autoconfig(document: &[u8], email: &str) -> Result<JsValue, JsValue> {
    let address =
        mailsrv_core::EmailAddress::parse_with(email, platform_to_ascii).map_err(core_error)?;
    let config = mailsrv_core::Autoconfig::parse(document, &address).map_err(core_error)?;
    to_js(&config)
}

/// `bulkLine(line)`: how bulk mode plans one input line — `undefined` for a blank line or a `#`
/// comment, else `{ input, address }` (the trimmed line, and the address to plan: a bare domain
/// becomes `postmaster@DOMAIN`). The core's `host_rules::bulk_line`.
#[wasm_bindgen(js_name = bulkLine)]
pub fn bulk_line(line: &str) -> Result<JsValue, JsValue> {
    match host_rules::bulk_line(line) {
        None => Ok(JsValue::UNDEFINED),
        Some(l) => to_js(&l),
    }
}

/// `hostSources(list, httpClient)`: the sources a host asks for — `list` (comma-separated, as
/// `--sources` takes it, or `undefined`) parsed by the core, else the core's default when the
/// host has an HTTP client, else `["srv"]`; throws `INVALID_OPTION` with the core's text.
#[wasm_bindgen(js_name = hostSources)]
pub fn host_sources(list: Option<String>, http_client: bool) -> Result<JsValue, JsValue> {
    let sources = host_web::host_sources(list.as_deref(), http_client).map_err(core_error)?;
    to_js(&sources)
}

/// `fixturePath(url)`: the file under a `--fixtures` directory that answers `url`
/// (`<host>/<path>`, the query ignored), or `undefined` when none may (the answer is then 404).
#[wasm_bindgen(js_name = fixturePath)]
pub fn fixture_path(url: &str) -> Option<String> {
    host_web::fixture_path(url)
}

/// `fixtureStatus(found, contentTypeFile)`: `{ status, contentType }` of an offline answer
/// (200 and the `.content-type` file's text or `text/xml`; 404 when the file is absent).
#[wasm_bindgen(js_name = fixtureStatus)]
pub fn fixture_status(found: bool, content_type_file: Option<String>) -> Result<JsValue, JsValue> {
    #[derive(serde::Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Answer {
        status: u16,
        content_type: String,
    }
    let (status, content_type) = host_web::fixture_status(found, content_type_file.as_deref());
    to_js(&Answer {
        status,
        content_type,
    })
}

/// `redirectAllowed(firstUrl, nextUrl)`: whether a redirect of the request first sent to
/// `firstUrl` may be followed to the absolute `nextUrl` (https only, unless the request was
/// plain HTTP); `false` means report `"insecure-redirect"`.
#[wasm_bindgen(js_name = redirectAllowed)]
pub fn redirect_allowed(first_url: &str, next_url: &str) -> bool {
    host_web::redirect_allowed(first_url, next_url)
}

/// `maxHttpBodyBytes()`: the most body bytes a host reads from one HTTP response (the
/// autoconfig parser's cap); past it, `failHttp(id, "too-large")`.
#[wasm_bindgen(js_name = maxHttpBodyBytes)]
pub fn max_http_body_bytes() -> usize {
    host_web::MAX_HTTP_BODY_BYTES
}

/// `maxHttpRedirects()`: the most redirects a host follows for one request.
#[wasm_bindgen(js_name = maxHttpRedirects)]
pub fn max_http_redirects() -> usize {
    host_web::MAX_HTTP_REDIRECTS
}
