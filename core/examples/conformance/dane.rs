//! The `dane/` corpus: OpenSSL's DANE test cases (`danetest.in` with the store `danetest.pem`,
//! `dane-cross.in` with `cross-root.pem`; format in the corpus README), replayed through the
//! core's TLSA verification ([`Subject::with_tlsa`]).
//!
//! Each case: the TLSA records (taken as DNSSEC-validated), the chain (leaf first), the base
//! domain as both the email domain and the SRV target (so the reference identities are the
//! SRV-ID, the domain and the target host), the CAfile as the PKIX store, and `now` fixed at
//! [`NOW`]. The verdict is mapped to OpenSSL's verify code (0 verified, 65 DANE_NO_MATCH for
//! `tlsa-mismatch`, 62 HOSTNAME_MISMATCH for `name-mismatch`, 20 UNABLE_TO_GET_ISSUER_CERT_LOCALLY
//! for `unknown-issuer`) and the depth of the record that matched (-1 for none); both must equal
//! the case's expectations.
//!
//! Not applicable (listed with the reason, not counted as passes): a case whose only usable
//! records are DANE-EE(3), run with name checks on (`nonamechecks` 0) and expecting
//! HOSTNAME_MISMATCH. OpenSSL checks names on a DANE-EE match unless told not to; RFC 7671 §5.1
//! says a DANE-EE match needs no name check, and mailsrv never does one.

use std::io::Write;
use std::path::Path;

use mailsrv::{
    RejectReason, Service, Subject, TlsaOutcome, TlsaRecord, VerdictStatus, VerifyOptions,
    certificates_from_pem, verify_chain,
};

/// 2026-06-01T00:00:00Z: inside the validity of every certificate the cases validate (the main
/// chain 2015–3015, the second chain 2016–2116, the cross chain 2016–2116 and 2021–2121),
/// and fixed so the replay gives the same result on any day.
const NOW: u64 = 1_780_272_000;

/// The port the TLSA records are taken to be for (`_443._tcp.<base domain>`); it only names
/// the RRset in messages.
const PORT: u16 = 443;

struct Case {
    number: usize,
    records: Vec<String>,
    chain: Vec<Vec<u8>>,
    nonamechecks: bool,
    result: i64,
    depth: i64,
}

/// Reads the cases of one file: a header line of five numbers, the TLSA lines, then PEM
/// certificates (text around them skipped, as OpenSSL's PEM reader does).
fn cases(text: &str) -> Result<Vec<Case>, String> {
    let mut lines = text.lines().enumerate().peekable();
    let mut out = Vec::new();
    while let Some((n, header)) = lines.find(|(_, l)| {
        let l = l.trim();
        !l.is_empty() && !l.starts_with('#')
    }) {
        let nums: Vec<i64> = header
            .split_ascii_whitespace()
            .map(|f| f.parse::<i64>())
            .collect::<Result<_, _>>()
            .map_err(|e| format!("line {}: `{header}`: {e}", n + 1))?;
        let [tlsa, certs, nnc, result, depth] = nums[..] else {
            return Err(format!("line {}: `{header}` is not five numbers", n + 1));
        };
        let mut records = Vec::new();
        for _ in 0..tlsa {
            let (_, line) = lines
                .next()
                .ok_or_else(|| format!("case {}: missing TLSA lines", out.len() + 1))?;
            records.push(line.to_owned());
        }
        let mut pem = String::new();
        let mut found = 0;
        let mut inside = false;
        while found < certs {
            let (_, line) = lines
                .next()
                .ok_or_else(|| format!("case {}: missing certificates", out.len() + 1))?;
            if line.starts_with("-----BEGIN CERTIFICATE-----") {
                inside = true;
            }
            if inside {
                pem.push_str(line);
                pem.push('\n');
            }
            if line.starts_with("-----END CERTIFICATE-----") {
                inside = false;
                found += 1;
            }
        }
        let chain = certificates_from_pem(pem.as_bytes())
            .map_err(|e| format!("case {}: {e}", out.len() + 1))?;
        out.push(Case {
            number: out.len() + 1,
            records,
            chain,
            nonamechecks: nnc != 0,
            result,
            depth,
        });
    }
    Ok(out)
}

/// Why a case does not apply to mailsrv, if it does not.
fn not_applicable(case: &Case, records: &[TlsaRecord]) -> Option<&'static str> {
    let only_dane_ee = records.iter().all(|r| r.usage() == 3);
    (!case.nonamechecks && only_dane_ee && case.result == 62).then_some(
        "OpenSSL checks names on a DANE-EE(3) match unless DANE_FLAG_NO_DANE_EE_NAMECHECKS is set; \
         RFC 7671 §5.1 says a DANE-EE match needs no name check, and mailsrv never does one",
    )
}

/// OpenSSL's verify code and DANE depth for one case, as mailsrv decides it.
fn replay(
    case: &Case,
    records: Vec<TlsaRecord>,
    base: &str,
    anchors: &[Vec<u8>],
) -> (i64, i64, String) {
    let subject = match Subject::new(base, Service::Imaps, base, true)
        .and_then(|s| s.with_tlsa(PORT, records))
    {
        Ok(s) => s,
        Err(e) => return (-1, -1, format!("subject: {e}")),
    };
    let chain: Vec<&[u8]> = case.chain.iter().map(Vec::as_slice).collect();
    let anchors: Vec<&[u8]> = anchors.iter().map(Vec::as_slice).collect();
    let v = match verify_chain(&subject, &chain, &anchors, NOW, VerifyOptions::default()) {
        Ok(v) => v,
        Err(e) => return (-1, -1, format!("error: {e}")),
    };
    let code = match (v.status, v.reason) {
        (VerdictStatus::Verified, _) => 0,
        (_, Some(RejectReason::TlsaMismatch)) => 65,
        (_, Some(RejectReason::NameMismatch)) => 62,
        (_, Some(RejectReason::UnknownIssuer)) => 20,
        _ => -1,
    };
    let depth = v
        .dane
        .as_ref()
        .and_then(|d| d.records.iter().find(|c| c.outcome == TlsaOutcome::Matched))
        .and_then(|c| c.depth)
        .map_or(-1, i64::from);
    (code, depth, v.message)
}

/// Totals of one run.
#[derive(Default)]
pub(crate) struct Tally {
    cases: usize,
    passed: usize,
    not_applicable: Vec<String>,
    failed: Vec<String>,
}

/// Replays one file against its base domain and CAfile.
pub(crate) fn replay_file(
    dir: &Path,
    file: &str,
    base: &str,
    cafile: &str,
    tally: &mut Tally,
) -> Result<(), String> {
    let read = |name: &str| std::fs::read(dir.join(name)).map_err(|e| format!("{name}: {e}"));
    let anchors = certificates_from_pem(&read(cafile)?).map_err(|e| format!("{cafile}: {e}"))?;
    let text = String::from_utf8(read(file)?).map_err(|e| format!("{file}: {e}"))?;
    for case in cases(&text).map_err(|e| format!("{file}: {e}"))? {
        tally.cases += 1;
        let id = format!("{file} case {}", case.number);
        let records: Result<Vec<TlsaRecord>, _> =
            case.records.iter().map(|r| TlsaRecord::parse(r)).collect();
        let records = match records {
            Ok(r) => r,
            Err(e) => {
                tally
                    .failed
                    .push(format!("{id}: a TLSA record does not parse: {e}"));
                continue;
            }
        };
        if let Some(why) = not_applicable(&case, &records) {
            tally.not_applicable.push(format!("{id}: {why}"));
            continue;
        }
        let (code, depth, message) = replay(&case, records, base, &anchors);
        if (code, depth) == (case.result, case.depth) {
            tally.passed += 1;
        } else {
            tally.failed.push(format!(
                "{id}: expected result {} depth {}, got {code} depth {depth} ({message})",
                case.result, case.depth
            ));
        }
    }
    Ok(())
}

/// Replays the corpus; false when a case failed or a file could not be read.
pub(crate) fn replay_dane(dir: &Path, out: &mut impl Write) -> bool {
    let mut tally = Tally::default();
    let mut ok = true;
    for (file, base, cafile) in [
        ("danetest.in", "example.com", "danetest.pem"),
        ("dane-cross.in", "server.example", "cross-root.pem"),
    ] {
        if let Err(e) = replay_file(dir, file, base, cafile, &mut tally) {
            let _ = writeln!(out, "dane: cannot replay {file}: {e}");
            ok = false;
        }
    }
    for line in &tally.not_applicable {
        let _ = writeln!(out, "  not applicable: {line}");
    }
    for line in &tally.failed {
        let _ = writeln!(out, "  FAILED: {line}");
    }
    let _ = writeln!(
        out,
        "dane: {} cases, {} passed, {} not applicable (listed with reasons), {} failed",
        tally.cases,
        tally.passed,
        tally.not_applicable.len(),
        tally.failed.len()
    );
    ok && tally.failed.is_empty()
}
