//! Example host: verifies a server's certificate chain for a candidate.
//!
//! ```text
//! cargo run -p mailsrv --example verify -- --email alice@example.net --service imaps \
//!     --host mail.provider.net [--dnssec-secure] --chain chain.pem [--anchors ca.pem] \
//!     [--port P --tlsa "U S M HEX" [--tlsa …]] [--now RFC3339] [--legacy-cn] [--json]
//! ```
//! `--tlsa` records are taken as DNSSEC-validated for `_P._tcp.HOST` (RFC 7673 §3.3); with them
//! `--anchors` may be left out (DANE-EE and DANE-TA need no CA). Without `--tlsa`, `--anchors`
//! is required.
//! Exit codes: 0 verified, 1 rejected, 4 needs confirmation, 2 usage or input error, 141 stdout
//! was closed before the verdict was written (see `output_failed`).
#![allow(clippy::disallowed_methods, reason = "the host supplies the clock")]

use std::io::{ErrorKind, Write};
use std::process::ExitCode;

use mailsrv::{
    EmailAddress, Service, Subject, TlsaRecord, VerdictStatus, VerifyOptions,
    certificates_from_pem, verify_chain,
};

const USAGE: &str = "usage: verify --email EMAIL --service imaps|imap|pop3s|pop3|submissions|submission \
--host HOST [--dnssec-secure] --chain CHAIN.pem [--anchors CA.pem] [--port P --tlsa \"U S M HEX\" [--tlsa …]] \
[--now RFC3339] [--legacy-cn] [--json]";

fn main() -> ExitCode {
    match run() {
        Ok(code) => code,
        Err(e) => {
            eprintln!("verify: {e}");
            ExitCode::from(mailsrv::exit::USAGE)
        }
    }
}

fn run() -> Result<ExitCode, String> {
    let mut args = std::env::args().skip(1);
    let (mut email, mut service, mut host, mut chain, mut anchors, mut now) =
        (None, None, None, None, None, None);
    let (mut dnssec_secure, mut json, mut legacy_cn) = (false, false, false);
    let (mut port, mut tlsa) = (None, Vec::new());
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or_else(|| format!("{name} needs a value"));
        match arg.as_str() {
            "--email" => email = Some(value("--email")?),
            "--service" => {
                service = Some(
                    value("--service")?
                        .parse::<Service>()
                        .map_err(|e| format!("--service: {}", e.message()))?,
                );
            }
            "--host" => host = Some(value("--host")?),
            "--chain" => chain = Some(value("--chain")?),
            "--anchors" => anchors = Some(value("--anchors")?),
            "--now" => now = Some(parse_rfc3339(&value("--now")?)?),
            "--port" => {
                let p = value("--port")?;
                port =
                    Some(p.parse::<u16>().map_err(|_| {
                        format!("--port `{p}` is not a port number from 0 to 65535")
                    })?);
            }
            "--tlsa" => {
                let record = TlsaRecord::parse(&value("--tlsa")?).map_err(|e| e.to_string())?;
                tlsa.push(record);
            }
            "--dnssec-secure" => dnssec_secure = true,
            "--legacy-cn" => legacy_cn = true,
            "--json" => json = true,
            other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
        }
    }
    let need =
        |v: Option<String>, name: &str| v.ok_or_else(|| format!("{name} is required\n{USAGE}"));
    let email = need(email, "--email")?;
    let host = need(host, "--host")?;
    let service = service.ok_or_else(|| format!("--service is required\n{USAGE}"))?;
    let read = |path: String| -> Result<Vec<Vec<u8>>, String> {
        let bytes = std::fs::read(&path).map_err(|e| format!("cannot read `{path}`: {e}"))?;
        certificates_from_pem(&bytes).map_err(|e| format!("{path}: {e}"))
    };
    let chain = read(need(chain, "--chain")?)?;
    let anchors = match anchors {
        Some(path) => read(path)?,
        None if !tlsa.is_empty() => Vec::new(),
        None => return Err(format!("--anchors is required without --tlsa\n{USAGE}")),
    };
    let now = match now {
        Some(n) => n,
        None => std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_err(|e| e.to_string())?
            .as_secs(),
    };
    let address = EmailAddress::parse(&email).map_err(|e| e.to_string())?;
    let mut subject =
        Subject::new(address.domain(), service, &host, dnssec_secure).map_err(|e| e.to_string())?;
    if !tlsa.is_empty() {
        let port = port.ok_or_else(|| format!("--tlsa needs --port\n{USAGE}"))?;
        subject = subject.with_tlsa(port, tlsa).map_err(|e| e.to_string())?;
    }
    let chain: Vec<&[u8]> = chain.iter().map(Vec::as_slice).collect();
    let anchors: Vec<&[u8]> = anchors.iter().map(Vec::as_slice).collect();
    let verdict = verify_chain(&subject, &chain, &anchors, now, VerifyOptions { legacy_cn })
        .map_err(|e| e.to_string())?;
    let json = if json {
        Some(serde_json::to_string_pretty(&verdict).map_err(|e| e.to_string())?)
    } else {
        None
    };
    let mut out = std::io::stdout().lock();
    if let Err(e) = print_verdict(&mut out, &verdict, json.as_deref()).and_then(|()| out.flush()) {
        return Ok(output_failed(&e));
    }
    Ok(ExitCode::from(mailsrv::exit::verify(verdict.status)))
}

/// A write to stdout failed. When the reader went away (`verify … | head -1`) that is a quiet end
/// with 141 (128 + SIGPIPE): the status a shell shows for a program killed by SIGPIPE, which is
/// what happens to C filters; Rust ignores SIGPIPE, so the write returns `BrokenPipe` instead.
/// Any other write error is one line on stderr and exit code 2.
fn output_failed(e: &std::io::Error) -> ExitCode {
    if e.kind() == ErrorKind::BrokenPipe {
        return ExitCode::from(mailsrv::exit::BROKEN_PIPE);
    }
    eprintln!("verify: cannot write the output: {e}");
    ExitCode::from(mailsrv::exit::USAGE)
}

/// The verdict as JSON (when given) or as text.
fn print_verdict(
    out: &mut impl Write,
    verdict: &mailsrv::Verdict,
    json: Option<&str>,
) -> std::io::Result<()> {
    if let Some(json) = json {
        writeln!(out, "{json}")?;
    } else {
        let status = match verdict.status {
            VerdictStatus::Verified => "VERIFIED",
            VerdictStatus::NeedsConfirmation => "NEEDS CONFIRMATION",
            VerdictStatus::Rejected => "REJECTED",
        };
        writeln!(out, "{status}: {}", verdict.message)?;
        writeln!(
            out,
            "checked against: {}",
            join(
                verdict
                    .reference_identities
                    .iter()
                    .map(|r| r.value.as_str())
            )
        )?;
        writeln!(
            out,
            "certificate presents: {}",
            join(verdict.presented.iter().map(|p| p.value.as_str()))
        )?;
        for note in &verdict.notes {
            writeln!(out, "note: {note}")?;
        }
        if let Some(dane) = &verdict.dane {
            for check in &dane.records {
                writeln!(out, "tlsa {}: {}", check.record, check.why)?;
            }
        }
    }
    Ok(())
}

fn join<'a>(items: impl Iterator<Item = &'a str>) -> String {
    let v: Vec<&str> = items.collect();
    if v.is_empty() {
        "(nothing)".into()
    } else {
        v.join(", ")
    }
}

/// Parses `YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)` into seconds since the Unix epoch.
fn parse_rfc3339(s: &str) -> Result<u64, String> {
    let bad = || format!("--now `{s}` is not an RFC 3339 time such as 2027-06-01T00:00:00Z");
    let b = s.as_bytes();
    if b.len() < 20
        || b[4] != b'-'
        || b[7] != b'-'
        || !matches!(b[10], b'T' | b't' | b' ')
        || b[13] != b':'
        || b[16] != b':'
    {
        return Err(bad());
    }
    let num =
        |r: std::ops::Range<usize>| s.get(r).and_then(|x| x.parse::<i64>().ok()).ok_or_else(bad);
    let (y, mo, d, h, mi, se) = (
        num(0..4)?,
        num(5..7)?,
        num(8..10)?,
        num(11..13)?,
        num(14..16)?,
        num(17..19)?,
    );
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || se > 60 {
        return Err(bad());
    }
    let mut rest = &s[19..];
    if let Some(frac) = rest.strip_prefix('.') {
        let digits = frac.bytes().take_while(u8::is_ascii_digit).count();
        rest = &frac[digits..];
    }
    let offset = match rest {
        "Z" | "z" => 0,
        _ if rest.len() == 6 && (rest.starts_with('+') || rest.starts_with('-')) => {
            let sign = if rest.starts_with('-') { -1 } else { 1 };
            let oh: i64 = rest[1..3].parse().map_err(|_| bad())?;
            let om: i64 = rest[4..6].parse().map_err(|_| bad())?;
            sign * (oh * 3600 + om * 60)
        }
        _ => return Err(bad()),
    };
    // Days from the civil date (Howard Hinnant's algorithm).
    let y = if mo <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (mo + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    let secs = days * 86_400 + h * 3600 + mi * 60 + se - offset;
    u64::try_from(secs).map_err(|_| bad())
}
