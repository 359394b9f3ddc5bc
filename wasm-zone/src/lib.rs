//! The zone-file host of mailsrv as its own WebAssembly module: marshalling only.
//!
//! `ZoneHost` answers DNS wire queries from RFC 1035 master files, for offline use (the CLI's
//! `--zone`, tests, demos). It is a module of its own so that the browser module, which plans
//! and verifies, does not carry hickory-proto's zone parser and the Unicode tables it needs.
//! Errors are thrown as `Error` objects whose `code` is the core's error name.

use js_sys::Uint8Array;
use mailsrv_core::zone::{Transport, ZoneHost as CoreZoneHost};
use wasm_bindgen::prelude::*;

#[path = "../../wasm/src/glue.rs"]
mod glue;
use glue::{bad_argument, core_error};

/// An offline host answering from RFC 1035 master files (as an authoritative server would).
#[wasm_bindgen(js_name = ZoneHost)]
pub struct ZoneHost {
    inner: CoreZoneHost,
}

#[wasm_bindgen(js_class = ZoneHost)]
impl ZoneHost {
    /// An empty host.
    #[wasm_bindgen(constructor)]
    pub fn new() -> ZoneHost {
        ZoneHost {
            inner: CoreZoneHost::new(),
        }
    }

    /// Adds a zone (master-file text with `$ORIGIN`, or an SOA with an absolute owner; signed
    /// zones are served with their DNSSEC records to DO queries); `secure` makes answers from
    /// it carry the AD bit.
    #[wasm_bindgen(js_name = addZone)]
    pub fn add_zone(&mut self, text: &str, secure: bool) -> Result<(), JsValue> {
        self.inner.add_zone(text, None, secure).map_err(core_error)
    }

    /// Answers one wire query received over `"udp"` or `"tcp"`.
    pub fn answer(&self, query: &[u8], transport: &str) -> Result<Uint8Array, JsValue> {
        let transport: Transport = transport
            .parse()
            .map_err(|e: mailsrv_core::Error| bad_argument(e.message()))?;
        let bytes = self.inner.answer(query, transport).map_err(core_error)?;
        Ok(Uint8Array::from(bytes.as_slice()))
    }
}

impl Default for ZoneHost {
    fn default() -> Self {
        Self::new()
    }
}
