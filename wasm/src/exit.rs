//! `exitStatus(command, result, report?)`: the core's exit-status policy for command-line hosts.

use mailsrv_core::Status;
use mailsrv_core::exit::{self, SideOutcome};
use wasm_bindgen::prelude::*;

use crate::{bad_argument, from_js};

#[derive(serde::Deserialize)]
struct SideIn {
    status: Status,
    candidates: Vec<serde::de::IgnoredAny>,
}

#[derive(serde::Deserialize)]
struct PlanIn {
    incoming: SideIn,
    outgoing: SideIn,
}

#[derive(serde::Deserialize)]
struct ProbeSideIn {
    server: Option<serde::de::IgnoredAny>,
}

#[derive(serde::Deserialize)]
struct ReportIn {
    incoming: ProbeSideIn,
    outgoing: ProbeSideIn,
}

#[derive(serde::Deserialize)]
struct VerdictIn {
    status: mailsrv_core::VerdictStatus,
}

fn side(s: &SideIn, works: bool) -> SideOutcome {
    SideOutcome {
        has_candidates: !s.candidates.is_empty(),
        status: s.status,
        works,
    }
}

/// `exitStatus("plan", plan)`, `exitStatus("probe", plan, report)`, `exitStatus("verify",
/// verdict)`, `exitStatus("autoconfig", parsed)`, `exitStatus("bulk", errorLines)`, `exitStatus("usage")`, `exitStatus("broken-pipe")` or `exitStatus("interrupted")`: the exit status the core's policy gives (see the core's
/// `exit` module).
#[wasm_bindgen(js_name = exitStatus)]
pub fn exit_status(command: &str, result: JsValue, report: JsValue) -> Result<u8, JsValue> {
    match command {
        "usage" => Ok(exit::USAGE),
        "broken-pipe" => Ok(exit::BROKEN_PIPE),
        "interrupted" => Ok(exit::INTERRUPTED),
        "bulk" => {
            let errors = result
                .as_f64()
                .filter(|n| *n >= 0.0 && n.fract() == 0.0)
                .ok_or_else(|| {
                    bad_argument("exitStatus(\"bulk\", errorLines) needs the number of error lines")
                })?;
            Ok(exit::bulk(errors as u64))
        }
        "plan" => {
            let p: PlanIn = from_js(result, "plan")?;
            Ok(exit::plan(&[
                side(&p.incoming, false),
                side(&p.outgoing, false),
            ]))
        }
        "probe" => {
            let p: PlanIn = from_js(result, "plan")?;
            let r: ReportIn = from_js(report, "probe report")?;
            Ok(exit::probe(&[
                side(&p.incoming, r.incoming.server.is_some()),
                side(&p.outgoing, r.outgoing.server.is_some()),
            ]))
        }
        "verify" => {
            let v: VerdictIn = from_js(result, "verdict")?;
            Ok(exit::verify(v.status))
        }
        "autoconfig" => Ok(exit::autoconfig(
            !result.is_undefined() && !result.is_null(),
        )),
        _ => Err(bad_argument(
            "command must be plan, probe, verify, autoconfig, bulk, usage, broken-pipe or interrupted",
        )),
    }
}
