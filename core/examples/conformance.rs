//! The conformance harness behind `make conformance`: replays third-party corpora read in place
//! from a directory (never copied into the repository).
//!
//! ```text
//! cargo run -p mailsrv --example conformance -- [CORPUS_DIR]
//! ```
//! Corpora, each a folder of `CORPUS_DIR`:
//! - `ispdb/`: Thunderbird's ISPDB files. Every file must parse for `alice@<its first domain>`,
//!   and every server section a plain string scan finds in it (outside comments) must come out
//!   of the parser with the same host, port and security — or be named, by its position, in a
//!   diagnostic saying why it was dropped. Every `<domain>` must be claimed or named in a
//!   diagnostic.
//! - `dnssec-rpl/`: NLnet Labs' and CZ.NIC's validator scenarios (`deckard/`, `domain/`), each
//!   QUERY/CHECK_ANSWER pair replayed through the core's DNSSEC validator (see
//!   `conformance/rpl.rs` for the harness and its simplifications). A summary line per folder;
//!   every disagreement is listed, and one not in `rpl::KNOWN_DIFFERENCES` fails the run.
//! - `dane/`: OpenSSL's DANE cases (`danetest.in`, `dane-cross.in`) through the core's TLSA
//!   verification; each case's verify result and match depth must equal OpenSSL's, except the
//!   cases listed as not applicable with the reason (see `conformance/dane.rs`).
//!
//! A missing corpus (or no `CORPUS_DIR`) is reported as skipped. Exit status 0 when every
//! replayed corpus passed, 1 otherwise, 2 on a usage error.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[path = "conformance/dane.rs"]
mod dane;

use mailsrv::autoconfig::{AutoconfigIssue, Direction};

#[path = "conformance/rpl.rs"]
mod rpl;
use mailsrv::{Autoconfig, EmailAddress, Security};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() > 1 || args.first().is_some_and(|a| a.starts_with('-')) {
        eprintln!("usage: conformance [CORPUS_DIR]");
        return ExitCode::from(2);
    }
    let root = args.first().map(PathBuf::from);
    let mut out = std::io::stdout().lock();
    let mut failed = false;
    let present = |name: &str| root.as_ref().map(|r| r.join(name)).filter(|p| p.is_dir());
    match present("ispdb") {
        Some(dir) => failed |= !replay_ispdb(&dir, &mut out),
        None => say(&mut out, "corpus ispdb absent: skipped".into()),
    }
    match present("dnssec-rpl") {
        Some(dir) => failed |= !replay_rpl(&dir, &mut out),
        None => say(&mut out, "corpus dnssec-rpl absent: skipped".into()),
    }
    match present("dane") {
        Some(dir) => failed |= !dane::replay_dane(&dir, &mut out),
        None => say(&mut out, "corpus dane absent: skipped".into()),
    }
    if failed {
        say(&mut out, "conformance: FAILED".into());
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Replays every `.rpl` file of `dir`'s subfolders; false when a disagreement is not a known
/// difference.
fn replay_rpl(dir: &Path, out: &mut impl Write) -> bool {
    let mut ok = true;
    let mut subdirs: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.is_dir())
                .collect()
        })
        .unwrap_or_default();
    subdirs.sort();
    for sub in subdirs {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&sub)
            .map(|d| {
                d.filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| p.extension().is_some_and(|x| x == "rpl"))
                    .collect()
            })
            .unwrap_or_default();
        files.sort();
        let label = format!(
            "dnssec-rpl/{}",
            sub.file_name()
                .map(|n| n.to_string_lossy())
                .unwrap_or_default()
        );
        let (mut checks, mut agree, mut known) = (0, 0, 0);
        let mut na: BTreeMap<&'static str, usize> = BTreeMap::new();
        let mut lines = Vec::new();
        let mut unknown = 0;
        for f in &files {
            let name = f
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default();
            let text = match std::fs::read_to_string(f) {
                Ok(t) => t,
                Err(e) => {
                    lines.push(format!("  {name}: unreadable: {e}"));
                    unknown += 1;
                    continue;
                }
            };
            let sc = match rpl::parse(&text) {
                Ok(s) => s,
                Err(e) => {
                    lines.push(format!("  {name}: does not parse: {e}"));
                    unknown += 1;
                    continue;
                }
            };
            let legacy = sc.legacy_only();
            if std::env::var_os("RPL_VERBOSE").is_some() {
                eprintln!("  {name}");
            }
            for (i, c) in sc.checks.iter().enumerate() {
                checks += 1;
                match rpl::run(&sc, c, legacy) {
                    rpl::Outcome::Agree => agree += 1,
                    rpl::Outcome::NotApplicable(why) => *na.entry(why).or_default() += 1,
                    rpl::Outcome::Disagree(want, got, detail) => {
                        let listed = rpl::KNOWN_DIFFERENCES
                            .iter()
                            .find(|(f, n, _)| *f == name && *n == i + 1);
                        match listed {
                            Some((_, _, why)) => {
                                known += 1;
                                lines.push(format!(
                                    "  known: {name} #{} (step {}): expected {want:?}, got {got:?} — {why}",
                                    i + 1,
                                    c.step
                                ));
                            }
                            None => {
                                unknown += 1;
                                lines.push(format!(
                                    "  DISAGREE: {name} #{} (step {}): expected {want:?}, got {got:?}: {detail}",
                                    i + 1,
                                    c.step
                                ));
                            }
                        }
                    }
                }
            }
        }
        let na_total: usize = na.values().sum();
        let reasons: Vec<String> = na.iter().map(|(k, v)| format!("{v} {k}")).collect();
        say(
            out,
            format!(
                "{label}: {} files, {checks} checks: {agree} agree, {na_total} not applicable ({}), \
                 {} disagree ({known} known differences)",
                files.len(),
                reasons.join(", "),
                known + unknown
            ),
        );
        for l in lines {
            say(out, l);
        }
        ok &= unknown == 0;
    }
    ok
}

fn say(out: &mut impl Write, line: String) {
    // A closed stdout ends the run quietly; the exit status still tells.
    let _ = writeln!(out, "{line}");
}

/// What a plain string scan finds in one server section.
struct Scanned {
    direction: Direction,
    /// 1-based position among the sections of its direction.
    index: u32,
    hostname: Option<String>,
    port: Option<String>,
    socket_type: Option<String>,
}

/// The text with every `<!-- ... -->` comment removed.
fn without_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("<!--") {
        out.push_str(&rest[..start]);
        match rest[start..].find("-->") {
            Some(end) => rest = &rest[start + end + 3..],
            None => return out,
        }
    }
    out.push_str(rest);
    out
}

/// The text of the first `<tag>…</tag>` in `text`, trimmed.
fn first_text(text: &str, tag: &str) -> Option<String> {
    let open = format!("<{tag}>");
    let start = text.find(&open)? + open.len();
    let end = text[start..].find(&format!("</{tag}>"))?;
    Some(text[start..start + end].trim().to_owned())
}

/// Every `<tag ...>` element of `text` (attributes allowed), as the text up to its end tag.
fn elements<'a>(text: &'a str, tag: &str) -> Vec<&'a str> {
    let (open, close) = (format!("<{tag}"), format!("</{tag}>"));
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find(&open) {
        let after = &rest[at + open.len()..];
        if !after.starts_with([' ', '>', '\t', '\r', '\n', '/']) {
            rest = after;
            continue;
        }
        let end = after.find(&close).unwrap_or(after.len());
        found.push(&after[..end]);
        rest = &after[end..];
    }
    found
}

fn scan_servers(text: &str) -> Vec<Scanned> {
    let mut all = Vec::new();
    for (tag, direction) in [
        ("incomingServer", Direction::Incoming),
        ("outgoingServer", Direction::Outgoing),
    ] {
        for (i, body) in elements(text, tag).into_iter().enumerate() {
            all.push(Scanned {
                direction,
                index: u32::try_from(i + 1).unwrap_or(u32::MAX),
                hostname: first_text(body, "hostname"),
                port: first_text(body, "port"),
                socket_type: first_text(body, "socketType"),
            });
        }
    }
    all
}

fn security_word(socket_type: &str) -> Option<Security> {
    match socket_type {
        "SSL" => Some(Security::ImplicitTls),
        "STARTTLS" => Some(Security::Starttls),
        "plain" => Some(Security::Cleartext),
        _ => None,
    }
}

/// Replays every `*.xml` file of the ISPDB folder; false when a check failed.
fn replay_ispdb(dir: &Path, out: &mut impl Write) -> bool {
    let mut files: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(entries) => entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "xml"))
            .collect(),
        Err(e) => {
            say(
                out,
                format!("corpus ispdb: cannot read {}: {e}", dir.display()),
            );
            return false;
        }
    };
    files.sort();
    let mut failures = Vec::new();
    let (mut sections, mut offered, mut dropped) = (0usize, 0usize, 0usize);
    let mut reasons: BTreeMap<String, usize> = BTreeMap::new();
    for path in &files {
        let name = path
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let mut fail = |why: String| failures.push(format!("{name}: {why}"));
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) => {
                fail(format!("cannot read: {e}"));
                continue;
            }
        };
        let text = without_comments(&String::from_utf8_lossy(&bytes));
        let Some(domain) = first_text(&text, "domain") else {
            fail("the scan finds no <domain>".into());
            continue;
        };
        let address = match EmailAddress::parse(&format!("alice@{domain}")) {
            Ok(a) => a,
            Err(e) => {
                fail(format!("alice@{domain} is not an address: {e}"));
                continue;
            }
        };
        let config = match Autoconfig::parse(&bytes, &address) {
            Ok(c) => c,
            Err(e) => {
                fail(format!("refused: {e}"));
                continue;
            }
        };
        for d in &config.diagnostics {
            *reasons
                .entry(
                    serde_json::to_string(&d.code)
                        .unwrap_or_default()
                        .replace('"', ""),
                )
                .or_default() += 1;
        }
        let named = |direction: Direction, index: u32| {
            config.diagnostics.iter().any(|d| {
                d.section
                    .is_some_and(|s| s.direction == direction && s.index == index)
            })
        };
        let scanned = scan_servers(&text);
        sections += scanned.len();
        for s in &scanned {
            let list = match s.direction {
                Direction::Incoming => &config.incoming,
                Direction::Outgoing => &config.outgoing,
            };
            let label = format!("{} {}", s.direction.element(), s.index);
            let Some(server) = list.iter().find(|v| v.section == s.index) else {
                if named(s.direction, s.index) {
                    dropped += 1;
                } else {
                    fail(format!(
                        "{label} is neither in the output nor in a diagnostic"
                    ));
                }
                continue;
            };
            offered += 1;
            if let Some(host) = &s.hostname {
                let expected = host
                    .replace("%EMAILDOMAIN%", address.domain())
                    .to_ascii_lowercase();
                if server.host != expected {
                    fail(format!(
                        "{label}: host {} but the file says {expected}",
                        server.host
                    ));
                }
                if s.port.as_deref() != Some(server.port.to_string().as_str()) {
                    fail(format!(
                        "{label}: port {} but the file says {:?}",
                        server.port, s.port
                    ));
                }
                match s.socket_type.as_deref().and_then(security_word) {
                    Some(sec) if sec == server.security => {}
                    _ => fail(format!(
                        "{label}: security {} but the file says {:?}",
                        server.security, s.socket_type
                    )),
                }
            } else if server.url.is_none() {
                fail(format!(
                    "{label}: no <hostname> in the file, and no URL in the output"
                ));
            }
        }
        for (direction, list) in [
            (Direction::Incoming, &config.incoming),
            (Direction::Outgoing, &config.outgoing),
        ] {
            for server in list {
                if !scanned
                    .iter()
                    .any(|s| s.direction == direction && s.index == server.section)
                {
                    fail(format!(
                        "the output has {} {}, which the scan does not find",
                        direction.element(),
                        server.section
                    ));
                }
            }
        }
        for body in elements(&text, "domain") {
            let claimed = body[body.find('>').map_or(0, |i| i + 1)..]
                .trim()
                .to_ascii_lowercase();
            let known = config.domains.contains(&claimed)
                || config.mx_domains.contains(&claimed)
                || config.diagnostics.iter().any(|d| {
                    d.code == AutoconfigIssue::InvalidDomain && d.message.contains(&claimed)
                });
            if !known {
                fail(format!(
                    "<domain> {claimed} is neither claimed nor in a diagnostic"
                ));
            }
        }
    }
    for f in &failures {
        say(out, format!("  FAIL {f}"));
    }
    let reasons = if reasons.is_empty() {
        "none".to_owned()
    } else {
        reasons
            .iter()
            .map(|(r, n)| format!("{r} {n}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    say(
        out,
        format!(
            "corpus ispdb: {} files, {} refused; {sections} server sections: {offered} offered, \
             {dropped} dropped; diagnostics: {reasons}; {} check(s) failed",
            files.len(),
            failures.iter().filter(|f| f.contains(": refused:")).count(),
            failures.len()
        ),
    );
    failures.is_empty()
}
