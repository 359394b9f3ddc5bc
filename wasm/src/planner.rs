//! `Discovery` and the address helpers: the planner in JS terms.

use js_sys::{Array, Reflect, Uint8Array};
use mailsrv_core::{
    Discovery as CoreDiscovery, DnssecStatus, Failure, Options, Outcome, SrvRecord,
};
use wasm_bindgen::prelude::*;

use crate::{bad_argument, core_error, from_js, optional, platform_to_ascii, to_js};

/// Reads a seed given as a number (integer up to 2^53) or a BigInt.
fn seed_of(value: &JsValue) -> Result<u64, JsValue> {
    if let Some(n) = value.as_f64() {
        if n >= 0.0 && n.fract() == 0.0 && n <= 9_007_199_254_740_991.0 {
            return Ok(n as u64);
        }
        return Err(bad_argument("seed must be a non-negative integer"));
    }
    if value.is_bigint() {
        // Read as 64 bits and compared back: a negative or wider BigInt is refused.
        return u64::try_from(value.clone()).map_err(|_| bad_argument("seed must fit in 64 bits"));
    }
    Err(bad_argument("seed must be a number or a BigInt"))
}

/// The seed of `plan({ seed })` options (0 when absent).
#[cfg(feature = "json-plan")]
pub(crate) fn seed_option(options: &JsValue) -> Result<u64, JsValue> {
    if options.is_undefined() || options.is_null() {
        return Ok(0);
    }
    let s = Reflect::get(options, &"seed".into())?;
    if s.is_undefined() { Ok(0) } else { seed_of(&s) }
}

/// A seed given alone: `undefined` is 0.
#[cfg(feature = "json-plan")]
pub(crate) fn seed_or_zero(seed: &JsValue) -> Result<u64, JsValue> {
    if seed.is_undefined() {
        Ok(0)
    } else {
        seed_of(seed)
    }
}

/// Options of `receive`: `{ dnssec: "secure" | "insecure" | "bogus" | "indeterminate" }`.
#[derive(serde::Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct ReceiveOptions {
    pub(crate) dnssec: Option<DnssecStatus>,
}

/// serde-wasm-bindgen reads only the fields a struct names, so a misspelt key in `dnssec` would
/// pass unseen (a misspelt `trustAnchors` would mean the IANA root): a key other than `now` and
/// `trustAnchors` is refused here, as the core's own options refuse one. (The browser module,
/// without the validator, has no room for this check within its budget: its entry refuses a
/// `dnssec` option in JS, `src/browser.js`.)
#[cfg(feature = "dnssec")]
fn check_dnssec_option(options: &JsValue) -> Result<(), JsValue> {
    if !options.is_object() {
        return Ok(());
    }
    let dnssec = Reflect::get(options, &"dnssec".into())?;
    if !dnssec.is_object() {
        return Ok(());
    }
    for key in js_sys::Object::keys(&dnssec.into()).iter() {
        let key = key.as_string().unwrap_or_default();
        if key != "now" && key != "trustAnchors" {
            return Err(crate::glue::throw(
                "INVALID_OPTION",
                &format!("dnssec: unknown field `{key}`, expected `now` or `trustAnchors`"),
            ));
        }
    }
    Ok(())
}

/// One discovery: questions out, answers in, plans out (see the core's `Discovery`).
#[wasm_bindgen(js_name = Discovery)]
pub struct Discovery {
    pub(crate) inner: CoreDiscovery,
}

#[wasm_bindgen(js_class = Discovery)]
impl Discovery {
    /// `new Discovery(email, options?)`: options as in the plan's JSON (`imap`, `pop3`,
    /// `submission`, `minimumSecurity`, `tlsOrder`, `prefer`, `trustAd`, `messageIdBase`).
    #[wasm_bindgen(constructor)]
    pub fn new(email: &str, options: JsValue) -> Result<Discovery, JsValue> {
        #[cfg(feature = "dnssec")]
        check_dnssec_option(&options)?;
        let options: Options = optional(options, "options")?;
        let inner =
            CoreDiscovery::new_with(email, options, platform_to_ascii).map_err(core_error)?;
        Ok(Discovery { inner })
    }

    /// Every question, to send all at once: `[{ id, service, name, type, messageId, wire }]`.
    pub fn queries(&self) -> Result<Array, JsValue> {
        let out = Array::new();
        for q in self.inner.questions() {
            let obj = to_js(q)?;
            let wire = Uint8Array::from(q.wire.as_slice());
            Reflect::set(&obj, &"wire".into(), &wire)?;
            out.push(&obj);
        }
        Ok(out)
    }

    /// Feeds the wire response to question `id`; returns the outcome (e.g. `"truncated"`: ask
    /// again over TCP and feed that). `options.dnssec` asserts the host's own validation.
    pub fn receive(
        &mut self,
        id: u16,
        response: &[u8],
        options: JsValue,
    ) -> Result<String, JsValue> {
        let options: ReceiveOptions = optional(options, "receive options")?;
        let outcome: Outcome = self
            .inner
            .receive(id, response, options.dnssec)
            .map_err(core_error)?;
        Ok(outcome.as_str().to_owned())
    }

    /// Feeds SRV records parsed by the host's resolver (`[{priority, weight, port, target}]`,
    /// as Node's `dns.resolveSrv` gives them; `name` is accepted for `target`).
    #[wasm_bindgen(js_name = receiveRecords)]
    pub fn receive_records(
        &mut self,
        id: u16,
        records: JsValue,
        dnssec: JsValue,
    ) -> Result<(), JsValue> {
        let out: Vec<SrvRecord> = from_js(records, "SRV records")?;
        let dnssec: DnssecStatus = optional(dnssec, "dnssec")?;
        self.inner
            .receive_records(id, out, dnssec)
            .map_err(core_error)
    }

    /// Reports a failure for question `id`: `"timeout"`, `"network-error"`, `"nx-domain"`,
    /// `"no-data"`, `"serv-fail"` or `"refused"`; `because` (optional), the host's reason for a
    /// lookup that failed, shown in the plan's `lookup-failed` diagnostic (the core's
    /// `fail_because`).
    pub fn fail(
        &mut self,
        id: u16,
        reason: JsValue,
        because: Option<String>,
    ) -> Result<(), JsValue> {
        let failure: Failure = from_js(reason, "failure reason")?;
        match because {
            Some(why) => self.inner.fail_because(id, failure, &why),
            None => self.inner.fail(id, failure),
        }
        .map_err(core_error)
    }

    /// Ids of the questions worth (re)sending.
    pub fn pending(&self) -> Vec<u16> {
        self.inner.pending()
    }

    /// Builds the plan: `plan({ seed })` with a number or BigInt seed (default 0). Callable at
    /// any time; unanswered questions show as `pending`. (The Node build hands plans over as
    /// tapes instead: `planTape`, read by `bindings/js/src/tape.js`.)
    #[cfg(not(feature = "json-plan"))]
    pub fn plan(&self, options: JsValue) -> Result<JsValue, JsValue> {
        let seed = if options.is_undefined() || options.is_null() {
            0
        } else {
            let s = Reflect::get(&options, &"seed".into())?;
            if s.is_undefined() { 0 } else { seed_of(&s)? }
        };
        to_js(&self.inner.plan(seed))
    }
}

/// The Node build's plan hand-over (feature `json-plan`): a tape (`crate::tape`) that the JS
/// glue turns into the plan's plain object, several times cheaper than `JSON.parse` of its text
/// or an object built field by field across the boundary (BENCHMARKS.md, issue 16 §1).
#[cfg(feature = "json-plan")]
#[wasm_bindgen(js_class = Discovery)]
impl Discovery {
    /// `planTape(seed)`: the plan of `plan({ seed })` as a tape, for the package's glue
    /// (`src/tape.js`), which defines `plan` with it.
    #[wasm_bindgen(js_name = planTape)]
    pub fn plan_tape(&self, seed: JsValue) -> Result<Vec<u32>, JsValue> {
        let seed = seed_or_zero(&seed)?;
        let plan = self.inner.plan(seed);
        crate::tape::to_tape(&plan).map_err(|e| crate::glue::throw("INTERNAL", &e.to_string()))
    }
}

/// The field names of the tape shapes numbered from `from` on, as a JSON array of arrays.
#[cfg(feature = "json-plan")]
#[wasm_bindgen(js_name = planShapes)]
pub fn plan_shapes(from: u32) -> Result<String, JsValue> {
    serde_json::to_string(&crate::tape::shapes_from(from as usize))
        .map_err(|e| crate::glue::throw("INTERNAL", &e.to_string()))
}

/// A DNSSEC question of the validator as JS sees it: `{ messageId, name, recordType, wire }`.
#[cfg(feature = "dnssec")]
fn dnssec_question(q: &mailsrv_core::DnssecQuestion) -> Result<JsValue, JsValue> {
    let obj = to_js(q)?;
    Reflect::set(&obj, &"wire".into(), &Uint8Array::from(q.wire.as_slice()))?;
    Ok(obj)
}

/// DNSSEC validation in the core (feature `dnssec`: the Node build, the Node tools' module and
/// the browser's validating planner). Turned on by the option `dnssec: { now, trustAnchors }`
/// (`now` in seconds since 1970; `trustAnchors` the text of a trust-anchor file, absent for the
/// built-in IANA root anchors); see the core's `Discovery` for the protocol (decision D41).
#[cfg(feature = "dnssec")]
#[wasm_bindgen(js_class = Discovery)]
impl Discovery {
    /// Whether the core validates DNSSEC in this discovery.
    #[wasm_bindgen(js_name = validatesDnssec)]
    pub fn validates_dnssec(&self) -> bool {
        self.inner.validates_dnssec()
    }

    /// Every DNSSEC question so far: `[{ messageId, name, recordType, wire }]`.
    #[wasm_bindgen(js_name = dnssecQueries)]
    pub fn dnssec_queries(&self) -> Result<Array, JsValue> {
        self.inner
            .dnssec_questions()
            .iter()
            .map(dnssec_question)
            .collect()
    }

    /// The DNSSEC questions still to send, as `dnssecQueries()` lists them; new ones may appear
    /// after each answer fed (read it again).
    #[wasm_bindgen(js_name = pendingDnssec)]
    pub fn pending_dnssec(&self) -> Result<Array, JsValue> {
        self.inner
            .pending_dnssec()
            .iter()
            .map(dnssec_question)
            .collect()
    }

    /// Feeds the wire response to the DNSSEC question `messageId`; returns the outcome
    /// (`"truncated"`: ask again over TCP and feed that).
    #[wasm_bindgen(js_name = receiveDnssec)]
    pub fn receive_dnssec(&mut self, message_id: u16, response: &[u8]) -> Result<String, JsValue> {
        let outcome = self
            .inner
            .receive_dnssec(message_id, response)
            .map_err(core_error)?;
        Ok(to_js(&outcome)?.as_string().unwrap_or_default())
    }

    /// Reports that the DNSSEC question `messageId` got no usable response.
    #[wasm_bindgen(js_name = failDnssec)]
    pub fn fail_dnssec(&mut self, message_id: u16) -> Result<(), JsValue> {
        self.inner.fail_dnssec(message_id).map_err(core_error)
    }
}

/// The HTTP and MX side (feature `web`: the core's autoconfig parser, in the `mailsrv_host`
/// module only). `discover` in Node drives it; see the core's `Discovery` for the protocol.
#[cfg(feature = "web")]
#[wasm_bindgen(js_class = Discovery)]
impl Discovery {
    /// Every HTTP request so far: `[{ id, url, source }]` (the MX answer adds more).
    pub fn requests(&self) -> Result<Array, JsValue> {
        self.inner.requests().iter().map(to_js).collect()
    }

    /// The requests that have no result yet, as `requests()` lists them.
    #[wasm_bindgen(js_name = pendingRequests)]
    pub fn pending_requests(&self) -> Result<Array, JsValue> {
        self.inner.pending_requests().iter().map(to_js).collect()
    }

    /// The MX question while it is unanswered, `{ name, messageId, wire }`, else `undefined`.
    #[wasm_bindgen(js_name = mxQuery)]
    pub fn mx_query(&self) -> Result<JsValue, JsValue> {
        let Some(q) = self.inner.mx_question() else {
            return Ok(JsValue::UNDEFINED);
        };
        let obj = to_js(q)?;
        Reflect::set(&obj, &"wire".into(), &Uint8Array::from(q.wire.as_slice()))?;
        Ok(obj)
    }

    /// Feeds the wire response to the MX question; returns its outcome (`"truncated"`: ask
    /// again over TCP). `options.dnssec` as for `receive`.
    #[wasm_bindgen(js_name = receiveMx)]
    pub fn receive_mx(&mut self, response: &[u8], options: JsValue) -> Result<String, JsValue> {
        let options: ReceiveOptions = optional(options, "receive options")?;
        let outcome = self
            .inner
            .receive_mx_response(response, options.dnssec)
            .map_err(core_error)?;
        Ok(to_js(&outcome)?.as_string().unwrap_or_default())
    }

    /// Reports that the MX question failed (a `fail` reason).
    #[wasm_bindgen(js_name = failMx)]
    pub fn fail_mx(&mut self, reason: JsValue) -> Result<(), JsValue> {
        let failure: Failure = from_js(reason, "failure reason")?;
        self.inner.fail_mx(failure).map_err(core_error)
    }

    /// Feeds the response to request `id`: the final status, the `Content-Type` header (or
    /// `null`) and the body (a `Uint8Array` of at most `maxHttpBodyBytes()`); returns the
    /// request's outcome (`"document"`, `"http-status"`, `"content-type"`, `"refused"`).
    #[wasm_bindgen(js_name = receiveHttp)]
    pub fn receive_http(
        &mut self,
        id: u16,
        status: u16,
        content_type: Option<String>,
        body: &[u8],
    ) -> Result<String, JsValue> {
        let outcome = self
            .inner
            .receive_http(id, status, content_type.as_deref(), body)
            .map_err(core_error)?;
        Ok(to_js(&outcome)?.as_string().unwrap_or_default())
    }

    /// Reports that request `id` gave no response: `"timeout"`, `"network-error"`,
    /// `"tls-error"`, `"insecure-redirect"` or `"too-large"`.
    #[wasm_bindgen(js_name = failHttp)]
    pub fn fail_http(&mut self, id: u16, failure: JsValue) -> Result<(), JsValue> {
        let failure: mailsrv_core::HttpFailure = from_js(failure, "HTTP failure")?;
        self.inner.fail_http(id, failure).map_err(core_error)
    }
}
