//! `explain(candidates)`: the core's "why" text for each candidate of one side of a plan.

use mailsrv_core::explain::{Ranked, why};
use wasm_bindgen::prelude::*;

use crate::{from_js, to_js};

/// `explain(candidates)`: for one side's ranked candidates (a plan's `incoming.candidates`, say),
/// the reason for each place, in order.
#[wasm_bindgen]
pub fn explain(candidates: JsValue) -> Result<JsValue, JsValue> {
    let side: Vec<Ranked> = from_js(candidates, "candidates")?;
    let texts: Vec<String> = (0..side.len()).map(|i| why(&side, i)).collect();
    to_js(&texts)
}
