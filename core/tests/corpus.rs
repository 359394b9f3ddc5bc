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
        // Text, in the data model's field order: the C and JS replays compare these bytes.
        let plan = serde_json::to_string_pretty(&run(&case)).unwrap() + "\n";
        let path = testdata()
            .join("expected")
            .join(format!("{}.json", case.name));
        if update {
            std::fs::write(&path, &plan).unwrap();
            continue;
        }
        match std::fs::read_to_string(&path) {
            Ok(expected) if expected == plan => {}
            Ok(_) => failures.push(format!(
                "{}: plan differs from {}\n{plan}",
                case.name,
                path.display()
            )),
            Err(e) => failures.push(format!("{}: {e}", path.display())),
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

/// `testdata/cases.tsv` is `cases.json` flattened for the C replay (no JSON parser in C tests):
/// name, email, zones, secure zones, options, injections, seed — lists comma-separated, `-` for
/// none, options and injections as `key=value`.
#[test]
fn the_flat_case_list_for_c_is_in_sync() {
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(testdata().join("cases.json")).unwrap())
            .unwrap();
    let mut out =
        String::from("# generated from cases.json by core/tests/corpus.rs; do not edit\n");
    for case in manifest["cases"].as_array().unwrap() {
        let list = |key: &str| -> String {
            let items: Vec<String> = case[key]
                .as_array()
                .map(|a| a.iter().map(|v| v.as_str().unwrap().to_owned()).collect())
                .unwrap_or_default();
            if items.is_empty() {
                "-".into()
            } else {
                items.join(",")
            }
        };
        let map = |key: &str| -> String {
            let items: Vec<String> = case[key]
                .as_object()
                .map(|o| {
                    o.iter()
                        .map(|(k, v)| match v {
                            serde_json::Value::String(s) => format!("{k}={s}"),
                            other => format!("{k}={other}"),
                        })
                        .collect()
                })
                .unwrap_or_default();
            if items.is_empty() {
                "-".into()
            } else {
                items.join(",")
            }
        };
        out.push_str(&format!(
            "{}\t{}\t{}\t{}\t{}\t{}\t{}\n",
            case["name"].as_str().unwrap(),
            case["email"].as_str().unwrap(),
            list("zones"),
            list("secureZones"),
            map("options"),
            map("inject"),
            case["seed"]
        ));
    }
    let path = testdata().join("cases.tsv");
    if std::env::var_os("MAILSRV_UPDATE_EXPECTED").is_some() {
        std::fs::write(&path, &out).unwrap();
    }
    assert_eq!(
        std::fs::read_to_string(&path).unwrap_or_default(),
        out,
        "run with MAILSRV_UPDATE_EXPECTED=1"
    );
}
