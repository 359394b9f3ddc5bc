//! `Negotiator`: the sans-IO IMAP/POP3/SMTP negotiator, built as a module of its own.

use wasm_bindgen::prelude::*;

use crate::{from_js, to_js};

/// A sans-IO STARTTLS/STLS/EHLO negotiator (see the core's `negotiate` module). Steps are the
/// core's `Step` as objects: `{type: "send", bytes, secret?}`, `{type: "need-more"}`,
/// `{type: "start-tls"}`, `{type: "await-tls"}`, `{type: "done", capabilities}`,
/// `{type: "abort", reason, untrustedText?}`, `{type: "logged-in"}`,
/// `{type: "login-failed", untrustedText}`; `untrustedText` may come from the server.
#[wasm_bindgen(js_name = Negotiator)]
pub struct Negotiator {
    inner: mailsrv_core::negotiate::Negotiator,
}

fn step_to_js(step: mailsrv_core::negotiate::Step) -> Result<JsValue, JsValue> {
    to_js(&step)
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
        let outcome: mailsrv_core::negotiate::TlsOutcome = from_js(outcome.into(), "outcome")?;
        step_to_js(self.inner.tls_established(outcome))
    }
}
