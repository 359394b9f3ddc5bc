//! Requirement traceability: every requirement ID in `testdata/requirements.txt` is cited by at
//! least one test, or is marked not applicable there with a reason; and no test cites an ID that
//! the file does not know (a typo guard).
//!
//! Where a test cites an ID:
//! - Rust (`#[test]` functions under core/ and ffi/): in the function name, written in lower
//!   case with `-` and `.` as `_` (`s6186_3_4f_…`, `d5_…`, `inj_1_…`), or literally (`S6186-3.4f`)
//!   in the comment lines directly above the test or at the top of its body;
//! - JavaScript (bindings/js/test/*.test.js): literally in a `test(…)` title, or in the comment
//!   lines directly above it;
//! - C, C++ and shell tests (bindings/c/tests, bindings/cpp, testenv): literally in a comment;
//!   these tests are long sequences of checks, and a comment heads the checks it describes.
//!
//! The file's format is described at its top. The test reads only the repository.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// One line of requirements.txt.
#[derive(Debug)]
struct Requirement {
    id: String,
    tag: String,
    /// The reason when the requirement is not applicable to the library's tests.
    not_applicable: Option<String>,
}

const TAGS: &[&str] = &["lib", "host", "prov", "def", "lib+host", "decision"];

/// Parses requirements.txt: `ID TAG [n/a REASON:] SUMMARY`, `#` starts a comment line.
fn parse_requirements(text: &str) -> Result<Vec<Requirement>, String> {
    let mut out: Vec<Requirement> = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut words = line.split_whitespace();
        let (Some(id), Some(tag)) = (words.next(), words.next()) else {
            return Err(format!("line {}: expected `ID TAG SUMMARY`", n + 1));
        };
        if literal_ids(id) != [id] {
            return Err(format!("line {}: `{id}` is not an ID", n + 1));
        }
        if !TAGS.contains(&tag) {
            return Err(format!("line {}: unknown tag `{tag}`", n + 1));
        }
        let rest: Vec<&str> = words.collect();
        if rest.len() < 4 {
            return Err(format!("line {}: the summary is missing", n + 1));
        }
        let not_applicable = if rest[0] == "n/a" {
            let reason = rest[1..].join(" ");
            let allowed = match tag {
                "prov" => reason.starts_with("provider-side:"),
                "host" => reason.starts_with("host-side:"),
                _ => false,
            } || reason.starts_with("not yet implemented (issue ")
                || reason.starts_with("not yet implemented (no issue yet):");
            if !allowed {
                return Err(format!(
                    "line {}: {id} ({tag}) is n/a without an allowed reason: `provider-side:` \
                     (prov), `host-side:` (host) or `not yet implemented (issue N):`",
                    n + 1
                ));
            }
            Some(reason)
        } else {
            None
        };
        if out.iter().any(|r| r.id == id) {
            return Err(format!("line {}: {id} is listed twice", n + 1));
        }
        out.push(Requirement {
            id: id.to_owned(),
            tag: tag.to_owned(),
            not_applicable,
        });
    }
    Ok(out)
}

/// The requirement IDs written literally in `text`: `S` and four digits, `-`, then alphanumeric
/// parts joined by `.` (`S6186-3.4f`, `S2782-wt2`, `S4035-4.9.3`); `D1`…`D99`; `INJ-1`; `AC-3a`.
fn literal_ids(text: &str) -> Vec<&str> {
    let bytes = text.as_bytes();
    let word = |i: usize| {
        bytes
            .get(i)
            .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_')
    };
    let alnum_run = |mut i: usize| {
        while bytes.get(i).is_some_and(u8::is_ascii_alphanumeric) {
            i += 1;
        }
        i
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if !text.is_char_boundary(i) || (i > 0 && word(i - 1)) {
            i += 1;
            continue;
        }
        let rest = &text[i..];
        let digits = |from: usize| rest[from..].bytes().take_while(u8::is_ascii_digit).count();
        let end = if rest.starts_with('S') && digits(1) == 4 && rest[5..].starts_with('-') {
            // Parts after the dash: alphanumeric runs joined by single dots.
            let mut e = alnum_run(i + 6);
            while bytes.get(e) == Some(&b'.')
                && bytes.get(e + 1).is_some_and(u8::is_ascii_alphanumeric)
            {
                e = alnum_run(e + 1);
            }
            (e > i + 6).then_some(e)
        } else if rest.starts_with('D') && (1..=2).contains(&digits(1)) {
            Some(i + 1 + digits(1))
        } else if rest.starts_with("INJ-") && digits(4) > 0 {
            Some(i + 4 + digits(4))
        } else if rest.starts_with("AC-") {
            let e = alnum_run(i + 3);
            (e > i + 3).then_some(e)
        } else {
            None
        };
        match end {
            Some(e) if !word(e) => {
                out.push(&text[i..e]);
                i = e;
            }
            _ => i += 1,
        }
    }
    out
}

/// An ID as it is written in a Rust function name: lower case, `-` and `.` as `_`.
fn name_form(id: &str) -> String {
    id.to_ascii_lowercase().replace(['-', '.'], "_")
}

/// True for a name token that can only start a requirement ID: `s` + four digits, `d` + one or
/// two digits, `inj`, `ac`.
fn starts_an_id(token: &str) -> bool {
    let digits_after = |p: &str| {
        token
            .strip_prefix(p)
            .map(|d| d.len())
            .filter(|_| token[p.len()..].bytes().all(|b| b.is_ascii_digit()))
    };
    digits_after("s") == Some(4)
        || matches!(digits_after("d"), Some(1 | 2))
        || token == "inj"
        || token == "ac"
}

/// The IDs cited by a Rust function name, and the ID-like parts of it that match no known ID.
fn ids_in_name(name: &str, known: &[String]) -> (Vec<String>, Vec<String>) {
    let tokens: Vec<&str> = name.split('_').collect();
    let forms: Vec<(Vec<String>, &String)> = known
        .iter()
        .map(|id| (name_form(id).split('_').map(str::to_owned).collect(), id))
        .collect();
    let (mut cited, mut unknown) = (Vec::new(), Vec::new());
    let mut i = 0;
    while i < tokens.len() {
        let longest = forms
            .iter()
            .filter(|(f, _)| tokens.len() - i >= f.len() && tokens[i..i + f.len()] == f[..])
            .max_by_key(|(f, _)| f.len());
        if let Some((form, id)) = longest {
            cited.push((*id).clone());
            i += form.len();
        } else {
            if starts_an_id(tokens[i]) {
                unknown.push(format!("`{}…` in fn {name}", tokens[i..].join("_")));
            }
            i += 1;
        }
    }
    (cited, unknown)
}

/// Where an ID was cited: a file and a test (or comment) in it.
type Citations = BTreeMap<String, BTreeSet<String>>;

#[derive(Default)]
struct Scan {
    citations: Citations,
    unknown: Vec<String>,
    rust_tests: usize,
    rust_tests_citing: usize,
}

impl Scan {
    fn cite_text(&mut self, known: &[String], text: &str, place: &str) -> bool {
        let mut any = false;
        for id in literal_ids(text) {
            if known.iter().any(|k| k == id) {
                self.citations
                    .entry(id.to_owned())
                    .or_default()
                    .insert(place.to_owned());
                any = true;
            } else {
                self.unknown.push(format!("`{id}` in {place}"));
            }
        }
        any
    }

    /// Rust: each `#[test]` function's name, the comment lines above it and at the top of its body.
    fn rust(&mut self, known: &[String], file: &str, text: &str) {
        let lines: Vec<&str> = text.lines().collect();
        for (at, line) in lines.iter().enumerate() {
            if line.trim() != "#[test]" {
                continue;
            }
            let Some((fn_at, name)) = lines[at..].iter().enumerate().find_map(|(k, l)| {
                let rest = l.trim().strip_prefix("fn ")?;
                Some((at + k, rest.split('(').next()?.to_owned()))
            }) else {
                continue;
            };
            self.rust_tests += 1;
            let place = format!("{file} fn {name}");
            let (cited, unknown) = ids_in_name(&name, known);
            let mut any = !cited.is_empty();
            for id in cited {
                self.citations.entry(id).or_default().insert(place.clone());
            }
            self.unknown
                .extend(unknown.into_iter().map(|u| format!("{u} ({file})")));
            let is_comment_or_attribute = |l: &&&str| {
                let t = l.trim();
                t.starts_with("//") || t.starts_with("#[")
            };
            let above = lines[..at].iter().rev().take_while(is_comment_or_attribute);
            let top_of_body = lines[fn_at + 1..]
                .iter()
                .take_while(|l| l.trim().starts_with("//"));
            for comment in above.chain(top_of_body) {
                any |= self.cite_text(known, comment, &place);
            }
            self.rust_tests_citing += usize::from(any);
        }
    }

    /// JavaScript: each `test(` title and the comment lines directly above it.
    fn javascript(&mut self, known: &[String], file: &str, text: &str) {
        let lines: Vec<&str> = text.lines().collect();
        for (at, line) in lines.iter().enumerate() {
            let Some(args) = line.trim_start().strip_prefix("test(") else {
                continue;
            };
            let title = args
                .chars()
                .next()
                .and_then(|quote| args[1..].split(quote).next())
                .unwrap_or("");
            let place = format!("{file} test '{title}'");
            self.cite_text(known, title, &place);
            for comment in lines[..at]
                .iter()
                .rev()
                .take_while(|l| l.trim().starts_with("//"))
            {
                self.cite_text(known, comment, &place);
            }
        }
    }

    /// C, C++ and shell: every comment (`/* */`, `//`, or a line starting with `#` in shell).
    fn comments(&mut self, known: &[String], file: &str, text: &str, shell: bool) {
        let place = |n: usize| format!("{file}:{}", n + 1);
        if shell {
            for (n, line) in text.lines().enumerate() {
                let t = line.trim_start();
                if t.starts_with('#') && !t.starts_with("#!") {
                    self.cite_text(known, t, &place(n));
                }
            }
            return;
        }
        let mut rest = text;
        let mut offset = 0;
        while let Some(start) = rest.find("/*").into_iter().chain(rest.find("//")).min() {
            let line_of = |pos: usize| text[..pos].matches('\n').count();
            let (body, len) = if rest[start..].starts_with("/*") {
                let end = rest[start..]
                    .find("*/")
                    .map_or(rest.len() - start, |e| e + 2);
                (&rest[start..start + end], end)
            } else {
                let end = rest[start..].find('\n').unwrap_or(rest.len() - start);
                (&rest[start..start + end], end)
            };
            self.cite_text(known, body, &place(line_of(offset + start)));
            offset += start + len;
            rest = &rest[start + len..];
        }
    }
}

/// Every test source of the repository, scanned for citations.
fn scan(known: &[String]) -> Scan {
    let root = root();
    let mut scan = Scan::default();
    let mut files = Vec::new();
    let mut walk = vec![
        root.join("core/tests"),
        root.join("core/src"),
        root.join("ffi/src"),
    ];
    walk.extend(
        [
            "bindings/c/tests",
            "bindings/cpp",
            "bindings/js/test",
            "testenv",
        ]
        .map(|d| root.join(d)),
    );
    while let Some(dir) = walk.pop() {
        for entry in fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let path = entry.expect("directory entry").path();
            if path.is_dir() {
                if path
                    .file_name()
                    .is_some_and(|n| n != "node_modules" && n != "browser")
                {
                    walk.push(path);
                }
            } else {
                files.push(path);
            }
        }
    }
    files.sort();
    for path in files {
        let file = path
            .strip_prefix(&root)
            .unwrap_or(&path)
            .display()
            .to_string();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let read = || fs::read_to_string(&path).unwrap_or_else(|e| panic!("{file}: {e}"));
        if name.ends_with(".rs") {
            scan.rust(known, &file, &read());
        } else if name.ends_with(".test.js") {
            scan.javascript(known, &file, &read());
        } else if (file.starts_with("bindings/c/tests/")
            && (name.ends_with(".c") || name.ends_with(".h")))
            || (name.starts_with("test_") && name.ends_with(".cpp"))
        {
            scan.comments(known, &file, &read(), false);
        } else if name.ends_with(".sh") {
            scan.comments(known, &file, &read(), true);
        }
    }
    scan
}

fn requirements() -> Vec<Requirement> {
    let path = root().join("testdata/requirements.txt");
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    parse_requirements(&text).unwrap_or_else(|e| panic!("testdata/requirements.txt: {e}"))
}

#[test]
fn every_requirement_is_cited_by_a_test_or_not_applicable_with_a_reason() {
    let reqs = requirements();
    let known: Vec<String> = reqs.iter().map(|r| r.id.clone()).collect();
    let scan = scan(&known);
    let mut problems = Vec::new();
    let uncited: Vec<&str> = reqs
        .iter()
        .filter(|r| r.not_applicable.is_none() && !scan.citations.contains_key(&r.id))
        .map(|r| r.id.as_str())
        .collect();
    if !uncited.is_empty() {
        problems.push(format!(
            "{} requirement(s) are cited by no test and not marked n/a: {}",
            uncited.len(),
            uncited.join(" ")
        ));
    }
    for r in reqs.iter().filter(|r| r.not_applicable.is_some()) {
        if let Some(places) = scan.citations.get(&r.id) {
            problems.push(format!(
                "{} is marked n/a in requirements.txt but cited by {places:?}: drop one",
                r.id
            ));
        }
    }
    if !scan.unknown.is_empty() {
        problems.push(format!(
            "tests cite IDs that requirements.txt does not list (typos?): {}",
            scan.unknown.join("; ")
        ));
    }
    let na = reqs.iter().filter(|r| r.not_applicable.is_some()).count();
    eprintln!(
        "requirements: {} IDs, {} cited by tests, {} n/a; {} of {} Rust tests cite an ID",
        reqs.len(),
        scan.citations.len(),
        na,
        scan.rust_tests_citing,
        scan.rust_tests
    );
    for tag in TAGS {
        let of_tag: Vec<&Requirement> = reqs.iter().filter(|r| r.tag == *tag).collect();
        let n = of_tag.iter().filter(|r| r.not_applicable.is_some()).count();
        eprintln!("  {tag}: {} IDs, {n} n/a", of_tag.len());
    }
    assert!(problems.is_empty(), "\n{}\n", problems.join("\n"));
}

#[test]
fn literal_ids_are_found_in_text_and_nowhere_else() {
    let text = "see S6186-3.4f. and S2782-wt2, S4035-4.9.3 (D1, D23) INJ-1 AC-3a; \
                not 0xD1, XD2, D123, S618-1, S6186-, ID1 or MS6186-3a";
    assert_eq!(
        literal_ids(text),
        [
            "S6186-3.4f",
            "S2782-wt2",
            "S4035-4.9.3",
            "D1",
            "D23",
            "INJ-1",
            "AC-3a"
        ]
    );
}

#[test]
fn function_names_cite_ids_and_unknown_ones_are_reported() {
    let known: Vec<String> = [
        "S6186-3.4f",
        "S6186-3.4e",
        "S8314-5.1e",
        "S6186-6d",
        "D1",
        "D13",
        "INJ-1",
    ]
    .map(String::from)
    .to_vec();
    let (cited, unknown) = ids_in_name("s6186_6d_s8314_5_1e_out_of_domain", &known);
    assert_eq!(cited, ["S6186-6d", "S8314-5.1e"]);
    assert!(unknown.is_empty());
    let (cited, _) = ids_in_name("d1_d13_inj_1_mixed", &known);
    assert_eq!(cited, ["D1", "D13", "INJ-1"]);
    // A typo in a cited ID is reported, and a plain word is not taken for an ID.
    let (cited, unknown) = ids_in_name("s6186_3_4g_null_target_in_d24_mode", &known);
    assert!(cited.is_empty());
    assert_eq!(unknown.len(), 2, "{unknown:?}");
    assert!(unknown[0].starts_with("`s6186_3_4g"), "{unknown:?}");
    let (cited, unknown) = ids_in_name("security_scenario_49_data_address", &known);
    assert!(cited.is_empty() && unknown.is_empty());
}

#[test]
fn the_requirements_file_format_is_enforced() {
    let ok = "# comment\nS6186-3.4f lib a dot target means the service is not offered\n\
              S6186-5a prov n/a provider-side: servers accept either login form\n";
    let reqs = parse_requirements(ok).unwrap();
    assert_eq!(reqs.len(), 2);
    assert!(reqs[0].not_applicable.is_none() && reqs[1].not_applicable.is_some());
    // A library rule can only be n/a while it is not built; a reason is required.
    let lib_na = "S6186-3.4f lib n/a provider-side: nobody tests this one here";
    assert!(parse_requirements(lib_na).is_err());
    let no_reason = "S6186-5a prov n/a because we say so";
    assert!(parse_requirements(no_reason).is_err());
    let twice = "D1 decision one two three four\nD1 decision one two three four";
    assert!(parse_requirements(twice).is_err());
    let typo = "S6186_3.4f lib a dot target means the service is not offered";
    assert!(parse_requirements(typo).is_err());
}
