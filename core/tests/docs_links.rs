//! Every relative link in README.md and docs/*.md points to a file that exists, and a `#fragment`
//! that points into a Markdown file names one of its headings (GitHub's anchor for it).
//! Links with a scheme (`https:`, `mailto:`) are not followed; code blocks and code spans are
//! not read.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("core/ is inside the repository")
        .to_path_buf()
}

/// The documents whose links are checked: README.md and every docs/*.md.
fn documents() -> Vec<PathBuf> {
    let mut docs = vec![root().join("README.md")];
    let mut more: Vec<PathBuf> = fs::read_dir(root().join("docs"))
        .expect("docs/ exists")
        .map(|e| e.expect("docs/ entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    more.sort();
    docs.extend(more);
    docs
}

/// The lines of a Markdown text outside fenced code blocks, with their 1-based numbers.
fn prose_lines(text: &str) -> Vec<(usize, &str)> {
    let mut fence: Option<&str> = None;
    let mut lines = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let t = line.trim_start();
        let marker = ["```", "~~~"].into_iter().find(|m| t.starts_with(m));
        match (fence, marker) {
            (None, Some(m)) => fence = Some(m),
            (Some(open), Some(m)) if open == m => fence = None,
            (None, None) => lines.push((i + 1, line)),
            _ => {}
        }
    }
    lines
}

/// The line with its code spans blanked out, so that `[a](b)` inside backticks is not a link.
fn without_code_spans(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut in_code = false;
    for c in line.chars() {
        if c == '`' {
            in_code = !in_code;
            out.push(' ');
        } else {
            out.push(if in_code { ' ' } else { c });
        }
    }
    out
}

/// Link targets on one line: inline links and images `[text](target "title")` and reference
/// definitions `[label]: target`.
fn targets(line: &str) -> Vec<String> {
    let line = without_code_spans(line);
    let mut found = Vec::new();
    let mut rest = line.as_str();
    while let Some(at) = rest.find("](") {
        let after = &rest[at + 2..];
        let Some(end) = after.find(')') else { break };
        let inner = after[..end].trim();
        let target = inner.split_whitespace().next().unwrap_or("");
        let target = target.trim_start_matches('<').trim_end_matches('>');
        if !target.is_empty() {
            found.push(target.to_owned());
        }
        rest = &after[end..];
    }
    let t = line.trim_start();
    if t.starts_with('[')
        && let Some(close) = t.find("]:")
        && let Some(target) = t[close + 2..].split_whitespace().next()
    {
        found.push(target.to_owned());
    }
    found
}

/// GitHub's anchor for a heading: the text without Markdown emphasis or code marks, lower-cased,
/// with everything but letters, digits, spaces, `-` and `_` removed and spaces turned into `-`.
fn slug(heading: &str) -> String {
    heading
        .chars()
        .filter(|c| !matches!(c, '`' | '*'))
        .flat_map(char::to_lowercase)
        .filter(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_'))
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

/// The anchors of a Markdown file: one per heading, `-1`, `-2`, ... for repeated ones.
fn anchors(text: &str) -> HashSet<String> {
    let mut seen = HashSet::new();
    for (_, line) in prose_lines(text) {
        let hashes = line.chars().take_while(|&c| c == '#').count();
        if !(1..=6).contains(&hashes) || !line[hashes..].starts_with(' ') {
            continue;
        }
        let base = slug(line[hashes..].trim());
        let mut anchor = base.clone();
        let mut n = 0;
        while seen.contains(&anchor) {
            n += 1;
            anchor = format!("{base}-{n}");
        }
        seen.insert(anchor);
    }
    seen
}

/// What is wrong with one link of `doc`, if anything.
fn broken(doc: &Path, doc_text: &str, target: &str) -> Option<String> {
    let (path, fragment) = match target.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (target, None),
    };
    let file = if path.is_empty() {
        doc.to_path_buf()
    } else {
        doc.parent().expect("a document has a directory").join(path)
    };
    if !file.exists() {
        return Some(format!("{} does not exist", file.display()));
    }
    let fragment = fragment.filter(|f| !f.is_empty())?;
    if file.extension().is_none_or(|x| x != "md") {
        return None;
    }
    let text = if path.is_empty() {
        doc_text.to_owned()
    } else {
        fs::read_to_string(&file).ok()?
    };
    (!anchors(&text).contains(fragment)).then(|| {
        format!(
            "{} has no heading with the anchor #{fragment}",
            file.display()
        )
    })
}

fn is_relative(target: &str) -> bool {
    // A scheme is letters, digits, `+`, `-`, `.` before the first `:`, and comes before any `/`.
    let scheme_end = target.find(':');
    let path_start = target.find(['/', '#', '?']);
    match (scheme_end, path_start) {
        (Some(c), Some(p)) if c < p => false,
        (Some(_), None) => false,
        _ => true,
    }
}

/// Every broken relative link of `doc`, as `file:line: target: problem`.
fn broken_links(doc: &Path) -> Vec<String> {
    let text = fs::read_to_string(doc).expect("document is readable");
    let mut problems = Vec::new();
    for (number, line) in prose_lines(&text) {
        for target in targets(line).into_iter().filter(|t| is_relative(t)) {
            if let Some(problem) = broken(doc, &text, &target) {
                problems.push(format!("{}:{number}: ({target}): {problem}", doc.display()));
            }
        }
    }
    problems
}

#[test]
fn every_relative_link_in_the_readme_and_docs_resolves() {
    let docs = documents();
    assert!(docs.len() > 1, "docs/*.md found");
    let problems: Vec<String> = docs.iter().flat_map(|d| broken_links(d)).collect();
    assert!(
        problems.is_empty(),
        "broken links:\n{}",
        problems.join("\n")
    );
}

#[test]
fn the_checker_finds_a_missing_file_and_a_missing_heading() {
    let dir = std::env::temp_dir().join(format!("mailsrv-docs-links-{}", std::process::id()));
    fs::create_dir_all(&dir).unwrap();
    let doc = dir.join("doc.md");
    fs::write(
        &doc,
        "# Title\n\n## The plan (JSON)\n\n[ok](doc.md#the-plan-json) [self](#title)\n\
         [gone](missing.md) [bad anchor](#no-such-heading) [web](https://example.net/x)\n\
         `[code](not-a-link.md)`\n\n```text\n[fenced](also-not-a-link.md)\n```\n",
    )
    .unwrap();
    let problems = broken_links(&doc);
    fs::remove_dir_all(&dir).unwrap();
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(problems[0].contains("(missing.md)"), "{problems:?}");
    assert!(problems[1].contains("(#no-such-heading)"), "{problems:?}");
}

#[test]
fn slugs_follow_github() {
    assert_eq!(slug("The plan (JSON)"), "the-plan-json");
    assert_eq!(slug("C and C++"), "c-and-c");
    assert_eq!(slug("The `mailsrv` CLI"), "the-mailsrv-cli");
    assert_eq!(
        slug("Connecting: STARTTLS, STLS and EHLO without the classic bugs"),
        "connecting-starttls-stls-and-ehlo-without-the-classic-bugs"
    );
}

/// The error table in docs/rust.md is the core's (one table, `core/src/error.rs`): every code
/// with its number, and nothing else.
#[test]
fn the_error_table_in_the_docs_is_the_cores() {
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/rust.md"),
    )
    .unwrap();
    let mut documented = Vec::new();
    for line in text
        .lines()
        .filter(|l| l.starts_with("| ") && l.contains("xx "))
    {
        for item in line.split(", ").flat_map(|s| s.split("| ")) {
            let item = item.trim();
            let Some((number, rest)) = item.split_once(" `") else {
                continue;
            };
            let number = number.rsplit(' ').next().unwrap_or_default();
            if let (Ok(n), Some(name)) = (number.parse::<u32>(), rest.split('`').next()) {
                documented.push((n, name.to_owned()));
            }
        }
    }
    let core: Vec<(u32, String)> = mailsrv::ErrorCode::ALL
        .iter()
        .map(|c| (*c as u32, c.name().to_owned()))
        .collect();
    assert_eq!(
        documented, core,
        "docs/rust.md's error table differs from the core's"
    );
}
