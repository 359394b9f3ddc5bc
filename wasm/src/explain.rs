//! `explain(candidates)`: the core's "why" text for each candidate of one side of a plan.

use mailsrv_core::explain::{Ranked, whys_of};
use wasm_bindgen::prelude::*;

use crate::{from_js, to_js};

/// `explain(candidates)`: for one side's ranked candidates (a plan's `incoming.candidates`, say),
/// the reason for each place, in order.
#[wasm_bindgen]
pub fn explain(candidates: JsValue) -> Result<JsValue, JsValue> {
    let side: Vec<Ranked> = from_js(candidates, "candidates")?;
    to_js(&whys_of(&side))
}
