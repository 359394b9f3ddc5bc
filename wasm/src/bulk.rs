//! `BulkSummary`: the core's tally of a bulk run, for `mailsrv plan --input` and `discoverMany`.

use mailsrv_core::bulk::{BulkSummary as CoreSummary, PlanFacts};
use wasm_bindgen::prelude::*;

#[cfg(feature = "json-plan")]
use crate::planner::Discovery;
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

/// A plan made for a bulk run's output line (the Node build, feature `json-plan`): its JSON text
/// (the JSON of the object `plan()` gives, written out as it is) and what the summary counts of it,
/// taken by `BulkSummary.addPlanned`, so that a host writing NDJSON never parses the plan back
/// nor serialises it again (BENCHMARKS.md, issue 16 §3). The text stays in the module: a host
/// copies it from `at` (an address in the module's memory) and `length` straight into its
/// output, with no copy in between (the package's `copyInto`, src/boundary.js).
#[cfg(feature = "json-plan")]
#[wasm_bindgen(js_name = PlannedText)]
pub struct PlannedText {
    /// serde_json's output: UTF-8.
    text: Vec<u8>,
    facts: PlanFacts,
}

#[cfg(feature = "json-plan")]
#[wasm_bindgen(js_class = PlannedText)]
impl PlannedText {
    /// The plan's JSON text (one line).
    #[wasm_bindgen(getter)]
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.text).into_owned()
    }

    /// Where the text's UTF-8 bytes are in the module's memory (valid until this is freed).
    #[wasm_bindgen(getter)]
    pub fn at(&self) -> u32 {
        crate::tape::address(self.text.as_ptr())
    }

    /// The text's length in bytes.
    #[wasm_bindgen(getter)]
    pub fn length(&self) -> u32 {
        self.text.len() as u32
    }
}

#[cfg(feature = "json-plan")]
#[wasm_bindgen(js_class = Discovery)]
impl Discovery {
    /// `planText({ seed })`: the plan of `plan({ seed })` as a `PlannedText` (its JSON text, and
    /// its facts for `BulkSummary.addPlanned`).
    #[wasm_bindgen(js_name = planText)]
    pub fn plan_text(&self, options: JsValue) -> Result<PlannedText, JsValue> {
        let plan = self.inner.plan(crate::planner::seed_option(&options)?);
        let internal = |e: &dyn std::fmt::Display| crate::glue::throw("INTERNAL", &e.to_string());
        let mut text = Vec::with_capacity(8192);
        serde_json::to_writer(&mut text, &plan).map_err(|e| internal(&e))?;
        Ok(PlannedText {
            text,
            facts: PlanFacts::of(&plan),
        })
    }
}

#[cfg(feature = "json-plan")]
#[wasm_bindgen(js_class = BulkSummary)]
impl BulkSummary {
    /// Counts one plan of `Discovery.planText` (and frees it), as `add({ input, plan })` would.
    #[wasm_bindgen(js_name = addPlanned)]
    pub fn add_planned(&mut self, planned: PlannedText) {
        self.inner.add_facts(&planned.facts);
    }
}
