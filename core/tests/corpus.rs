//! Replays testdata/cases.json and compares each plan with testdata/expected, and checks every
//! plan against the JSON Schema in schema/plan.schema.json.

#![allow(clippy::unwrap_used, reason = "a failing unwrap is a failing test")]

mod common;

use common::{cases, run, testdata};

#[test]
fn every_case_matches_its_expected_plan() {
    let update = std::env::var_os("MAILSRV_UPDATE_EXPECTED").is_some();
    let mut failures = Vec::new();
    for case in cases() {
        let plan = serde_json::to_value(run(&case)).unwrap();
        let path = testdata()
            .join("expected")
            .join(format!("{}.json", case.name));
        if update {
            let text = serde_json::to_string_pretty(&plan).unwrap() + "\n";
            std::fs::write(&path, text).unwrap();
            continue;
        }
        let expected: serde_json::Value = match std::fs::read_to_string(&path) {
            Ok(text) => serde_json::from_str(&text).unwrap(),
            Err(e) => {
                failures.push(format!("{}: {e}", path.display()));
                continue;
            }
        };
        if plan != expected {
            failures.push(format!(
                "{}: plan differs from {}\n{}",
                case.name,
                path.display(),
                serde_json::to_string_pretty(&plan).unwrap()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn every_plan_conforms_to_the_json_schema() {
    let schema_path = testdata().join("../schema/plan.schema.json");
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(schema_path).unwrap()).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    for case in cases() {
        let plan = serde_json::to_value(run(&case)).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&plan)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{}: {}", case.name, errors.join("; "));
    }
}

#[test]
fn the_schema_rejects_a_plan_missing_a_required_field() {
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(testdata().join("../schema/plan.schema.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let mut plan = serde_json::to_value(run(&common::case("demo"))).unwrap();
    assert!(validator.is_valid(&plan));
    plan["incoming"]["candidates"][0]["security"] = "tls-maybe".into();
    assert!(!validator.is_valid(&plan));
    plan.as_object_mut().unwrap().remove("lookups");
    assert!(!validator.is_valid(&plan));
}
