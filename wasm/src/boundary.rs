//! The Node build's cheaper crossings of the wasm↔JS boundary (feature `json-plan`, decision
//! D63), for the package's glue (`bindings/js/src/boundary.js`): an answer is copied by JS into
//! one buffer the module keeps (no allocation per answer), its outcome comes back as a number
//! (no string made per answer), and a plan's tape is read by JS where it was written (no copy).
//! The questions cross the same way: their fields as a tape, their wire queries read by JS
//! where the discovery keeps them (D66).

use std::cell::RefCell;

use mailsrv_core::Outcome;
use wasm_bindgen::prelude::*;

use crate::planner::{Discovery, ReceiveOptions};
use crate::tape::address;
use crate::{bad_argument, core_error, optional};

/// Most bytes of an answer passed through the kept buffer: the largest DNS message (TCP's
/// two-octet length). Longer ones go the ordinary way (`receive`), which the core refuses.
pub const ANSWER_BUFFER_MAX: usize = 65_535;

thread_local! {
    /// The answer buffer: JS writes an answer at its address, then calls `receiveBuffered`.
    static ANSWER: RefCell<Vec<u8>> = RefCell::default();
    /// Where the wire queries of the last `queryWiresAt` are: an address and a length each.
    static WIRES: RefCell<Vec<u32>> = RefCell::default();
}

/// An outcome's number: its index in [`Outcome::ALL`].
fn outcome_number(outcome: Outcome) -> u32 {
    outcome as u32
}

/// The outcomes' names by number, as a JSON array (what `receive` returns for each number).
#[wasm_bindgen(js_name = outcomeNames)]
pub fn outcome_names() -> String {
    let names: Vec<&str> = Outcome::ALL.iter().map(|o| o.as_str()).collect();
    format!("[\"{}\"]", names.join("\",\""))
}

/// The address of the answer buffer, grown to hold at least `len` bytes (at most
/// [`ANSWER_BUFFER_MAX`]); it stays at that address until a call asks for more.
#[wasm_bindgen(js_name = answerBuffer)]
pub fn answer_buffer(len: usize) -> Result<u32, JsValue> {
    if len > ANSWER_BUFFER_MAX {
        return Err(bad_argument(&format!(
            "an answer buffer of {len} bytes, past {ANSWER_BUFFER_MAX}"
        )));
    }
    ANSWER.with(|buffer| {
        let mut buffer = buffer.borrow_mut();
        if buffer.len() < len {
            buffer.resize(len.next_power_of_two().clamp(512, ANSWER_BUFFER_MAX), 0);
        }
        Ok(buffer.as_ptr() as usize as u32)
    })
}

#[wasm_bindgen(js_class = Discovery)]
impl Discovery {
    /// `receive` of the first `len` bytes of the answer buffer: the outcome's number (see
    /// `outcomeNames`).
    #[wasm_bindgen(js_name = receiveBuffered)]
    pub fn receive_buffered(
        &mut self,
        id: u16,
        len: usize,
        options: JsValue,
    ) -> Result<u32, JsValue> {
        let options: ReceiveOptions = optional(options, "receive options")?;
        ANSWER.with(|buffer| {
            let buffer = buffer.borrow();
            let answer = buffer
                .get(..len)
                .ok_or_else(|| bad_argument("an answer longer than the answer buffer"))?;
            self.inner
                .receive(id, answer, options.dnssec)
                .map(outcome_number)
                .map_err(core_error)
        })
    }

    /// `planTapeAt(seed)`: writes the plan of `plan({ seed })` as a tape left in the module's
    /// memory and gives the address of its header (`crate::tape::write_in_place`), for the
    /// package's glue (`src/tape.js`), which reads it at once.
    #[wasm_bindgen(js_name = planTapeAt)]
    pub fn plan_tape_at(&self, seed: JsValue) -> Result<u32, JsValue> {
        let seed = crate::planner::seed_or_zero(&seed)?;
        let plan = self.inner.plan(seed);
        crate::tape::write_in_place(&plan)
            .map_err(|e| crate::glue::throw("INTERNAL", &e.to_string()))
    }

    /// `queriesTapeAt()`: the fields of `queries()` but `wire` (`{ id, service, name,
    /// messageId }` per question) as a tape left in the module's memory, like `planTapeAt`.
    #[wasm_bindgen(js_name = queriesTapeAt)]
    pub fn queries_tape_at(&self) -> Result<u32, JsValue> {
        crate::tape::write_in_place(self.inner.questions())
            .map_err(|e| crate::glue::throw("INTERNAL", &e.to_string()))
    }

    /// `queryWiresAt()`: the address of two words per question, in the order of `queries()`:
    /// where its wire query is in the module's memory, and its length. The table is overwritten
    /// by the next `queryWiresAt` of any discovery, and the wires stay where they are until
    /// this discovery is changed or freed: JS copies the queries out at once.
    #[wasm_bindgen(js_name = queryWiresAt)]
    pub fn query_wires_at(&self) -> u32 {
        // Borrowed from the discovery, not a copy: the addresses must outlive this call.
        let questions: &[mailsrv_core::Question] = self.inner.questions();
        WIRES.with(|wires| {
            let mut wires = wires.borrow_mut();
            wires.clear();
            for q in questions {
                wires.extend_from_slice(&[address(q.wire.as_ptr()), q.wire.len() as u32]);
            }
            address(wires.as_ptr())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcome_numbers_name_each_outcome_once() {
        let names: Vec<String> = serde_json::from_str(&outcome_names()).unwrap_or_default();
        assert_eq!(names.len(), Outcome::ALL.len());
        for (i, outcome) in Outcome::ALL.iter().enumerate() {
            assert_eq!(outcome_number(*outcome), i as u32);
            assert_eq!(names[i], outcome.as_str());
        }
    }
}
