//! WebAssembly bindings for mailsrv: marshalling only. Every decision is made by the core.
//!
//! DNS messages and certificates come in as `Uint8Array`; plans and verdicts go out as plain
//! objects built by `serde_wasm_bindgen`'s JSON-compatible serializer, so `JSON.stringify(plan,
//! null, 2)` prints the same text as the Rust example host. Errors are thrown as `Error` objects
//! whose `code` is the core's error name (e.g. `INVALID_DOMAIN`).
//!
//! The core is built without its `uts46` feature: internationalised domains are converted by
//! the platform's UTS #46 (the WHATWG URL host parser that browsers and Node already carry),
//! which keeps about 47 KB of gzipped Unicode tables out of the module.

use js_sys::{Array, Object, Reflect, Uint8Array};
use mailsrv_core::{
    Discovery as CoreDiscovery, DnssecStatus, EmailAddress, Error, Failure, Options, Outcome,
    SrvRecord,
};
#[cfg(feature = "verify")]
use mailsrv_core::{Subject, VerifyOptions, name::normalize_domain_with, verify_chain};
use serde::Serialize;
use wasm_bindgen::prelude::*;

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
fn platform_to_ascii(domain: &str) -> Option<String> {
    Url::new(&format!("http://{domain}/"))
        .ok()
        .map(|url| url.hostname())
}

fn throw(code: &str, message: &str) -> JsValue {
    let error = js_sys::Error::new(message);
    let _ = Reflect::set(&error, &"code".into(), &code.into());
    error.into()
}

fn core_error(e: Error) -> JsValue {
    throw(e.code().name(), e.message())
}

fn bad_argument(message: &str) -> JsValue {
    throw("INVALID_ARGUMENT", message)
}

fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| throw("INTERNAL", &e.to_string()))
}

fn from_js<T: serde::de::DeserializeOwned>(value: JsValue, what: &str) -> Result<T, JsValue> {
    serde_wasm_bindgen::from_value(value).map_err(|e| bad_argument(&format!("{what}: {e}")))
}

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

/// Reads a seed given as a number (integer up to 2^53) or a BigInt.
fn seed_of(value: &JsValue) -> Result<u64, JsValue> {
    if let Some(n) = value.as_f64() {
        if n >= 0.0 && n.fract() == 0.0 && n <= 9_007_199_254_740_991.0 {
            return Ok(n as u64);
        }
        return Err(bad_argument("seed must be a non-negative integer"));
    }
    if value.is_bigint() {
        let big = js_sys::BigInt::from(value.clone());
        let text: String = big
            .to_string(10)
            .map_err(|_| bad_argument("bad seed"))?
            .into();
        return text
            .parse()
            .map_err(|_| bad_argument("seed must fit in 64 bits"));
    }
    Err(bad_argument("seed must be a number or a BigInt"))
}

/// Options of `receive`: `{ dnssec: "secure" | "insecure" | "bogus" | "indeterminate" }`.
#[derive(serde::Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ReceiveOptions {
    dnssec: Option<DnssecStatus>,
}

/// One discovery: questions out, answers in, plans out (see the core's `Discovery`).
#[wasm_bindgen(js_name = Discovery)]
pub struct Discovery {
    inner: CoreDiscovery,
}

#[wasm_bindgen(js_class = Discovery)]
impl Discovery {
    /// `new Discovery(email, options?)`: options as in the plan's JSON (`imap`, `pop3`,
    /// `submission`, `minimumSecurity`, `tlsOrder`, `prefer`, `trustAd`, `messageIdBase`).
    #[wasm_bindgen(constructor)]
    pub fn new(email: &str, options: JsValue) -> Result<Discovery, JsValue> {
        let options: Options = optional(options, "options")?;
        options.validate().map_err(core_error)?;
        let address = EmailAddress::parse_with(email, platform_to_ascii).map_err(core_error)?;
        let inner = CoreDiscovery::for_address(address, options).map_err(core_error)?;
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
        Ok(to_js(&outcome)?.as_string().unwrap_or_default())
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
        let list: Vec<JsValue> = Array::from(&records).to_vec();
        let mut out = Vec::with_capacity(list.len());
        for r in list {
            // Node calls the target `name`.
            if !Reflect::has(&r, &"target".into())? && Reflect::has(&r, &"name".into())? {
                let copy = Object::assign(&Object::new(), &Object::from(r.clone()));
                Reflect::set(&copy, &"target".into(), &Reflect::get(&r, &"name".into())?)?;
                Reflect::delete_property(&copy, &"name".into())?;
                out.push(from_js::<SrvRecord>(copy.into(), "SRV record")?);
            } else {
                out.push(from_js::<SrvRecord>(r, "SRV record")?);
            }
        }
        let dnssec: DnssecStatus = optional(dnssec, "dnssec")?;
        self.inner
            .receive_records(id, out, dnssec)
            .map_err(core_error)
    }

    /// Reports a failure for question `id`: `"timeout"`, `"network-error"`, `"nx-domain"`,
    /// `"no-data"`, `"serv-fail"` or `"refused"`.
    pub fn fail(&mut self, id: u16, reason: JsValue) -> Result<(), JsValue> {
        let failure: Failure = from_js(reason, "failure reason")?;
        self.inner.fail(id, failure).map_err(core_error)
    }

    /// Ids of the questions worth (re)sending.
    pub fn pending(&self) -> Vec<u16> {
        self.inner.pending()
    }

    /// Builds the plan: `plan({ seed })` with a number or BigInt seed (default 0). Callable at
    /// any time; unanswered questions show as `pending`.
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

#[cfg(feature = "verify")]
fn byte_list(value: &JsValue, what: &str) -> Result<Vec<Vec<u8>>, JsValue> {
    if !Array::is_array(value) {
        return Err(bad_argument(&format!(
            "{what} must be an array of Uint8Array"
        )));
    }
    Array::from(value)
        .iter()
        .map(|v| {
            v.dyn_into::<Uint8Array>()
                .map(|a| a.to_vec())
                .map_err(|_| bad_argument(&format!("{what} must be an array of Uint8Array")))
        })
        .collect()
}

/// `verifyChain(candidate, chain, anchors, nowMs, options?)`: verifies a server chain (DER
/// `Uint8Array`s, leaf first) for a candidate of a plan (it needs the candidate's `service`,
/// `host`, `trust` and the plan's `domain`, given as `options.domain` or taken from the
/// candidate's DNS-ID). `options.legacyCn` enables CN matching (D10). Returns the verdict.
#[cfg(feature = "verify")]
#[wasm_bindgen(js_name = verifyChain)]
pub fn verify_chain_js(
    candidate: JsValue,
    chain: JsValue,
    anchors: JsValue,
    now_ms: f64,
    options: JsValue,
) -> Result<JsValue, JsValue> {
    #[derive(serde::Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct CandidateIn {
        service: mailsrv_core::Service,
        host: String,
        trust: mailsrv_core::Trust,
        #[serde(default)]
        reference_identities: Vec<mailsrv_core::ReferenceIdentity>,
    }
    #[derive(serde::Deserialize, Default)]
    #[serde(rename_all = "camelCase")]
    struct VerifyIn {
        domain: Option<String>,
        #[serde(default)]
        legacy_cn: bool,
    }
    let c: CandidateIn = from_js(candidate, "candidate")?;
    let o: VerifyIn = optional(options, "verify options")?;
    let domain = o
        .domain
        .or_else(|| {
            c.reference_identities
                .iter()
                .find(|r| r.kind == mailsrv_core::IdentityKind::DnsId)
                .map(|r| r.value.clone())
        })
        .ok_or_else(|| bad_argument("the email domain is unknown: pass options.domain"))?;
    if !(now_ms.is_finite() && now_ms >= 0.0) {
        return Err(bad_argument(
            "nowMs must be a non-negative number of milliseconds",
        ));
    }
    let chain = byte_list(&chain, "chain")?;
    let anchors = byte_list(&anchors, "anchors")?;
    let chain: Vec<&[u8]> = chain.iter().map(Vec::as_slice).collect();
    let anchors: Vec<&[u8]> = anchors.iter().map(Vec::as_slice).collect();
    let domain = normalize_domain_with(&domain, platform_to_ascii).map_err(core_error)?;
    let subject = Subject {
        domain,
        service: c.service,
        host: c.host,
        dnssec_secure: c.trust == mailsrv_core::Trust::DnssecSecure,
    };
    let verdict = verify_chain(
        &subject,
        &chain,
        &anchors,
        (now_ms / 1000.0) as u64,
        VerifyOptions {
            legacy_cn: o.legacy_cn,
        },
    )
    .map_err(core_error)?;
    to_js(&verdict)
}

/// `certificatesFromPem(text)`: the DER bytes of every CERTIFICATE block.
#[cfg(feature = "verify")]
#[wasm_bindgen(js_name = certificatesFromPem)]
pub fn certificates_from_pem(pem: &str) -> Result<Array, JsValue> {
    let ders = mailsrv_core::certificates_from_pem(pem.as_bytes()).map_err(core_error)?;
    Ok(ders
        .iter()
        .map(|d| JsValue::from(Uint8Array::from(d.as_slice())))
        .collect())
}

/// The library version.
#[wasm_bindgen]
pub fn version() -> String {
    mailsrv_core::VERSION.to_owned()
}

/// A sans-IO STARTTLS/STLS/EHLO negotiator (see the core's `negotiate` module). Steps are
/// objects: `{type: "send", bytes}`, `{type: "need-more"}`, `{type: "start-tls"}`,
/// `{type: "await-tls"}`, `{type: "done", capabilities}`, `{type: "abort", reason, detail}`.
#[wasm_bindgen(js_name = Negotiator)]
pub struct Negotiator {
    inner: mailsrv_core::negotiate::Negotiator,
}

fn step_to_js(step: mailsrv_core::negotiate::Step) -> Result<JsValue, JsValue> {
    use mailsrv_core::negotiate::Step;
    let obj = Object::new();
    let set = |k: &str, v: &JsValue| Reflect::set(&obj, &k.into(), v).map(|_| ());
    match step {
        Step::Send(bytes) => {
            set("type", &"send".into())?;
            set("bytes", &Uint8Array::from(bytes.as_slice()).into())?;
        }
        Step::NeedMore => set("type", &"need-more".into())?,
        Step::StartTls => set("type", &"start-tls".into())?,
        Step::AwaitTls => set("type", &"await-tls".into())?,
        Step::Done(caps) => {
            set("type", &"done".into())?;
            set("capabilities", &to_js(&caps)?)?;
        }
        Step::Abort(abort) => {
            set("type", &"abort".into())?;
            let a = to_js(&abort)?;
            set("reason", &Reflect::get(&a, &"reason".into())?)?;
            set("detail", &Reflect::get(&a, &"detail".into())?)?;
        }
        Step::SendSecret(bytes) => {
            set("type", &"send".into())?;
            set("bytes", &Uint8Array::from(bytes.as_bytes()).into())?;
            set("secret", &true.into())?;
        }
        Step::LoggedIn => set("type", &"logged-in".into())?,
        Step::LoginFailed(text) => {
            set("type", &"login-failed".into())?;
            set("text", &text.0.into())?;
        }
    }
    Ok(obj.into())
}

#[wasm_bindgen(js_class = Negotiator)]
impl Negotiator {
    /// `new Negotiator(protocol, security, clientName)`: protocol `"imap"`, `"pop3"` or
    /// `"submission"`; security `"implicit-tls"`, `"starttls"` or `"cleartext"`.
    #[wasm_bindgen(constructor)]
    pub fn new(
        protocol: JsValue,
        security: JsValue,
        client_name: &str,
    ) -> Result<Negotiator, JsValue> {
        let protocol: mailsrv_core::Protocol = from_js(protocol, "protocol")?;
        let security: mailsrv_core::Security = from_js(security, "security")?;
        Ok(Negotiator {
            inner: mailsrv_core::negotiate::Negotiator::new(protocol, security, client_name),
        })
    }

    /// The first step.
    pub fn start(&self) -> Result<JsValue, JsValue> {
        step_to_js(self.inner.start())
    }

    /// Feeds bytes received from the server.
    pub fn receive(&mut self, bytes: &[u8]) -> Result<JsValue, JsValue> {
        step_to_js(self.inner.receive(bytes))
    }

    /// Continues with bytes already received (call after acting on a `send` step).
    pub fn poll(&mut self) -> Result<JsValue, JsValue> {
        step_to_js(self.inner.poll())
    }

    /// Authenticates (only after `done` over TLS with a verified or confirmed certificate; else
    /// the step is an abort and nothing is sent). The password is never kept after the login.
    pub fn login(&mut self, username: &str, password: &str) -> Result<JsValue, JsValue> {
        let secret = mailsrv_core::negotiate::Secret::new(password);
        step_to_js(self.inner.login(username, &secret))
    }

    /// Reports the TLS handshake and the certificate verdict: `"verified"`,
    /// `"user-confirmed"` or `"not-verified"`.
    #[wasm_bindgen(js_name = tlsEstablished)]
    pub fn tls_established(&mut self, outcome: &str) -> Result<JsValue, JsValue> {
        use mailsrv_core::negotiate::TlsOutcome;
        let outcome = match outcome {
            "verified" => TlsOutcome::Verified,
            "user-confirmed" => TlsOutcome::UserConfirmed,
            "not-verified" => TlsOutcome::NotVerified,
            _ => {
                return Err(bad_argument(
                    "outcome must be verified, user-confirmed or not-verified",
                ));
            }
        };
        step_to_js(self.inner.tls_established(outcome))
    }
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
