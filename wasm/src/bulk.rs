//! `BulkSummary`: the core's tally of a bulk run, for `mailsrv plan --input` and `discoverMany`.

use mailsrv_core::bulk::{BulkSummary as CoreSummary, PlanFacts};
use wasm_bindgen::prelude::*;

use crate::{from_js, to_js};

/// One result of `discoverMany`: a plan (read only for the parts the tally needs) or an error.
#[derive(serde::Deserialize)]
struct BulkResult {
    #[serde(default)]
    plan: Option<PlanFacts>,
    #[serde(default)]
    error: Option<BulkError>,
}

#[derive(serde::Deserialize)]
struct BulkError {
    code: String,
}

/// The summary of a bulk run, counted by the core: `add(result)` for each `{ input, plan }` or
/// `{ input, error: { code } }`; `toJSON()` gives `{ lines, planned, errors, errorCodes,
/// publishSrv, labels, notOffered, notOfferedLabels, lookupFailures, needsConfirmation }`.
#[wasm_bindgen(js_name = BulkSummary)]
#[derive(Default)]
pub struct BulkSummary {
    inner: CoreSummary,
}

#[wasm_bindgen(js_class = BulkSummary)]
impl BulkSummary {
    /// An empty summary.
    #[wasm_bindgen(constructor)]
    pub fn new() -> BulkSummary {
        BulkSummary::default()
    }

    /// Counts one result of `discoverMany` (a plan, or an error line by its code).
    pub fn add(&mut self, result: JsValue) -> Result<(), JsValue> {
        let result: BulkResult = from_js(result, "bulk result")?;
        match (result.plan, result.error) {
            (Some(plan), _) => self.inner.add_facts(&plan),
            (None, Some(error)) => self.inner.add_error(&error.code),
            (None, None) => {
                return Err(crate::bad_argument(
                    "bulk result: neither a plan nor an error",
                ));
            }
        }
        Ok(())
    }

    /// Lines counted so far.
    #[wasm_bindgen(getter)]
    pub fn lines(&self) -> f64 {
        self.inner.lines as f64
    }

    /// Error lines counted so far.
    #[wasm_bindgen(getter)]
    pub fn errors(&self) -> f64 {
        self.inner.errors as f64
    }

    /// The summary as data (what `--summary-json` writes).
    #[wasm_bindgen(js_name = toJSON)]
    pub fn to_json(&self) -> Result<JsValue, JsValue> {
        to_js(&self.inner)
    }
}
