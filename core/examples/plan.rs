//! Example host: plans an email address from zone files or from a real DNS server.
//!
//! ```text
//! cargo run -p mailsrv --example plan -- [--zone FILE]... [--secure-zone FILE]...
//!     [--server IP:PORT] [--timeout MS] [--total-timeout MS] [--trust-ad] [--seed N] [--json]
//!     [--tls-order implicit-first|domain-priority] [--allow-cleartext] [--implicit-tls-only]
//!     [--prefer imap|pop3] [--fixtures DIR] [--sources LIST] [--ispdb URL]
//!     [--trust-anchor FILE] [--now RFC3339|SECONDS] [--chain PEM [--anchors PEM]]
//!     [--http-anchors CA.pem] [--connect-to HOST:PORT:ADDR:PORT]...
//!     [--probe [--anchors CA.pem] [--password-env VAR] [--accept-target HOST]...] EMAIL
//! ```
//! With `--zone` it answers from master files (the MX question too); with `--server` it sends
//! every question at once over UDP (TCP after truncation) to that server. This file is the only
//! place that does I/O.
//!
//! The HTTP requests of the other sources (provider autoconfig, the well-known location, the
//! ISPDB, MX-derived lookups) are answered offline from `--fixtures DIR`: `DIR/<host>/<path>`
//! by the core's rules (`mailsrv::host_web`: the query string ignored, a missing file is 404).
//! Without `--fixtures` it asks SRV only unless `--sources` names an HTTP source; those are then
//! fetched over HTTPS (ureq with rustls, `plan/https.rs`), all at once and beside the DNS
//! questions, trusting `--http-anchors` (PEM; default: the Mozilla roots). `--connect-to` maps a
//! connection like curl's option of that name (D48: the URL, SNI and name check are unchanged).
//! `--sources` takes the core's list (`srv,autoconfig,...` or `default`); `--ispdb` sets the
//! ISPDB base.
//!
//! `--trust-anchor` or `--now` turns on the core's DNSSEC validation (`Options::dnssec`):
//! anchors from an unbound-style file (default: the IANA root anchors built into the core),
//! signatures checked at `--now` (default: this machine's clock). The validator's DS/DNSKEY
//! questions are sent beside the SRV questions, and any follow-ups in later rounds. A secure SRV
//! answer's targets then get validated A, AAAA and TLSA lookups (issue 15) in one more round:
//! the human output shows each candidate's TLSA status and records.
//!
//! `--chain PEM` verifies that certificate chain (leaf first) for every TLS candidate of the
//! plan at `--now`, as a client would after the handshake: with the candidate's validated TLSA
//! records (DANE-EE, DANE-TA: no CA needed) or PKIX against `--anchors PEM`. Each candidate
//! gets a `verdict:` line (`VERIFIED: DANE-EE: …`); the exit code stays the plan's.
//!
//! `--probe` (`plan/probe.rs`) prints no plan: it tries the incoming and outgoing TLS candidates
//! in order, as the reference C host's `--probe` does and with its output lines: TCP, TLS with
//! rustls (the chain judged by the core: the candidate's validated TLSA records, else PKIX with
//! `--anchors`, none by default), STARTTLS through the core's negotiator, and with
//! `--password-env VAR` a login — only when the verdict is verified, or for a target the user
//! accepted with `--accept-target HOST`. Each candidate has `--timeout` (never past
//! `--total-timeout`); the exit code is the core's for a probe (`exit::probe`).
//!
//! Time is bounded as a whole, not per read: `--timeout` (default 3 s) is the wait for the UDP
//! answers and for each TCP retry, from connect to the last byte; `--total-timeout` (default: the
//! core's `host_rules::DEFAULT_TOTAL_TIMEOUT_MS`, 60 s) bounds everything. A question still open
//! at a deadline is reported with the core's lookup failure for `TIMEOUT`.
//!
//! Exit codes: 0 something usable, 1 nothing usable, 2 usage or input error, 3 nothing usable and
//! lookups failed, 141 stdout was closed before the output was written (see `output_failed`).
#![allow(
    clippy::disallowed_types,
    clippy::disallowed_methods,
    reason = "the host is where sockets, clocks and entropy belong"
)]

use std::io::{ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpStream, UdpSocket};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use mailsrv::zone::ZoneHost;
use mailsrv::{
    Candidate, Discovery, ErrorCode, Failure, IncomingPreference, MinimumSecurity, Options,
    Outcome, Plan, Source, Status, TlsOrder,
};

const USAGE: &str = "usage: plan [--zone FILE]... [--secure-zone FILE]... [--server IP:PORT] \
[--trust-ad] [--seed N] [--json] [--tls-order implicit-first|domain-priority] [--allow-cleartext] \
[--implicit-tls-only] [--prefer imap|pop3] [--timeout MS] [--total-timeout MS] \
[--fixtures DIR] [--sources LIST] [--ispdb URL] \
[--trust-anchor FILE] [--now RFC3339|SECONDS] [--chain PEM [--anchors PEM]] [--http-anchors CA.pem] \
[--connect-to HOST:PORT:ADDR:PORT]... \
[--probe [--anchors CA.pem] [--password-env VAR] [--accept-target HOST]...] EMAIL";

#[path = "plan/https.rs"]
mod https;
#[path = "plan/probe.rs"]
mod probe;

/// `--chain` and `--anchors`: the chain to verify (leaf first) and the CA certificates (DER).
type Certificates = (Vec<Vec<u8>>, Vec<Vec<u8>>);

/// `--probe`: the CA certificates of `--anchors` (DER), the password of `--password-env` and the
/// hosts of `--accept-target`.
type ProbeOptions = (
    Vec<Vec<u8>>,
    Option<mailsrv::negotiate::Secret>,
    Vec<String>,
);

struct Args {
    zones: Vec<(String, bool)>,
    server: Option<SocketAddr>,
    seed: Option<u64>,
    json: bool,
    timeout: Duration,
    total_timeout: Duration,
    options: Options,
    fixtures: Option<std::path::PathBuf>,
    http_anchors: Option<std::path::PathBuf>,
    connect_to: Vec<https::ConnectTo>,
    /// `--chain` and `--anchors`: certificates to verify for every TLS candidate, and the CAs.
    chain: Option<Certificates>,
    /// The time for `--chain` (`--now`, else the clock).
    now: Option<u64>,
    /// `--probe`: its anchors (`--anchors`), password (`--password-env`) and `--accept-target`s.
    probe: Option<ProbeOptions>,
    email: String,
}

fn parse_args() -> Result<Args, String> {
    let mut args = std::env::args().skip(1);
    let mut out = Args {
        zones: Vec::new(),
        server: None,
        seed: None,
        json: false,
        timeout: Duration::from_millis(3000),
        total_timeout: Duration::from_millis(u64::from(
            mailsrv::host_rules::DEFAULT_TOTAL_TIMEOUT_MS,
        )),
        options: Options::default(),
        fixtures: None,
        http_anchors: None,
        connect_to: Vec::new(),
        chain: None,
        now: None,
        probe: None,
        email: String::new(),
    };
    let (mut chain, mut anchors) = (None, None);
    let mut sources = None;
    let (mut probe, mut password_env, mut accept_targets) = (false, None, Vec::new());
    let mut email = None;
    let (mut allow_cleartext, mut implicit_tls_only) = (false, false);
    let (mut trust_anchor, mut now) = (None, None);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or_else(|| format!("{name} needs a value"));
        match arg.as_str() {
            "--zone" => out.zones.push((value("--zone")?, false)),
            "--secure-zone" => out.zones.push((value("--secure-zone")?, true)),
            "--server" => {
                let v = value("--server")?;
                out.server = Some(
                    v.parse()
                        .map_err(|_| format!("--server `{v}` is not IP:PORT"))?,
                );
            }
            "--seed" => out.seed = Some(number("seed", &value("--seed")?)?),
            "--timeout" => {
                out.timeout = Duration::from_millis(number("timeout", &value("--timeout")?)?)
            }
            "--total-timeout" => {
                let ms = number("total-timeout", &value("--total-timeout")?)?;
                out.total_timeout = Duration::from_millis(ms);
            }
            "--json" => out.json = true,
            "--trust-anchor" => {
                let path = value("--trust-anchor")?;
                let text = std::fs::read_to_string(&path)
                    .map_err(|e| format!("cannot read trust-anchor file `{path}`: {e}"))?;
                trust_anchor = Some(text);
            }
            "--now" => now = Some(parse_now(&value("--now")?)?),
            "--chain" => chain = Some(read_pem(&value("--chain")?)?),
            "--anchors" => anchors = Some(read_pem(&value("--anchors")?)?),
            "--fixtures" => out.fixtures = Some(value("--fixtures")?.into()),
            "--sources" => sources = Some(value("--sources")?),
            "--ispdb" => out.options.ispdb_url = value("--ispdb")?,
            "--http-anchors" => out.http_anchors = Some(value("--http-anchors")?.into()),
            "--connect-to" => out
                .connect_to
                .push(https::ConnectTo::parse(&value("--connect-to")?)?),
            "--trust-ad" => out.options.trust_ad = true,
            "--probe" => probe = true,
            "--password-env" => password_env = Some(value("--password-env")?),
            "--accept-target" => accept_targets.push(value("--accept-target")?),
            "--allow-cleartext" => allow_cleartext = true,
            "--implicit-tls-only" => implicit_tls_only = true,
            // The values are the core's to check (its FromStr and error text).
            "--tls-order" => {
                out.options.tls_order = value("--tls-order")?
                    .parse::<TlsOrder>()
                    .map_err(|e| format!("--tls-order: {}", e.message()))?
            }
            "--prefer" => {
                out.options.prefer = value("--prefer")?
                    .parse::<IncomingPreference>()
                    .map_err(|e| format!("--prefer: {}", e.message()))?
            }
            "-h" | "--help" => return Err(USAGE.into()),
            s if s.starts_with('-') => return Err(format!("unknown option `{s}`\n{USAGE}")),
            s => {
                if email.replace(s.to_owned()).is_some() {
                    return Err(format!("more than one email address given\n{USAGE}"));
                }
            }
        }
    }
    out.email = email.ok_or_else(|| USAGE.to_owned())?;
    out.options.minimum_security =
        MinimumSecurity::from_switches(allow_cleartext, implicit_tls_only)
            .map_err(|e| format!("--allow-cleartext, --implicit-tls-only: {}", e.message()))?;
    out.now = now;
    if probe {
        if chain.is_some() {
            return Err(format!("give --probe or --chain, not both\n{USAGE}"));
        }
        let password = match password_env {
            Some(var) => Some(mailsrv::negotiate::Secret::new(
                std::env::var(&var).map_err(|_| {
                    format!("--password-env: the environment variable `{var}` is not set")
                })?,
            )),
            None => None,
        };
        out.probe = Some((anchors.take().unwrap_or_default(), password, accept_targets));
    } else if password_env.is_some() || !accept_targets.is_empty() {
        return Err(format!(
            "--password-env and --accept-target need --probe\n{USAGE}"
        ));
    }
    match (chain, anchors) {
        (Some(c), a) => out.chain = Some((c, a.unwrap_or_default())),
        (None, Some(_)) => return Err(format!("--anchors needs --chain or --probe\n{USAGE}")),
        (None, None) => {}
    }
    if trust_anchor.is_some() || now.is_some() {
        let now = match now {
            Some(n) => n,
            None => clock_now()?,
        };
        out.options = out.options.clone().validate_dnssec(trust_anchor, now);
    }
    // The core decides which sources a host asks for (SRV only without an HTTP client).
    out.options.sources =
        mailsrv::host_web::host_sources(sources.as_deref(), out.fixtures.is_some())
            .map_err(|e| format!("--sources: {}", e.message()))?;
    if out.zones.is_empty() == out.server.is_none() {
        return Err(format!("give either --zone files or --server\n{USAGE}"));
    }
    Ok(out)
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("plan: {e}");
            return ExitCode::from(mailsrv::exit::USAGE);
        }
    };
    match run(args) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("plan: {e}");
            ExitCode::from(mailsrv::exit::USAGE)
        }
    }
}

/// A numeric option's value by the core's rule (`host_rules::number_value`, which the C host
/// and the JS CLI call too); its text names the option.
fn number(option: &str, text: &str) -> Result<u64, String> {
    mailsrv::host_rules::number_value(option, text).map_err(|e| e.message().to_owned())
}

/// `--now`: seconds since 1970, or an RFC 3339 UTC time (`2026-01-01T00:00:00Z`), by the core's
/// rule (`host_rules::parse_now`, which the C host calls too).
fn parse_now(v: &str) -> Result<u64, String> {
    mailsrv::host_rules::parse_now(v).map_err(|e| format!("--now: {}", e.message()))
}

/// The certificates of a PEM file.
fn read_pem(path: &str) -> Result<Vec<Vec<u8>>, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read `{path}`: {e}"))?;
    mailsrv::certificates_from_pem(&bytes).map_err(|e| format!("{path}: {e}"))
}

/// `--chain`: the verdict for every TLS candidate, by the core's rules (DANE with the
/// candidate's validated TLSA records, else PKIX with the anchors), as the verify example
/// prints it (`VERIFIED: DANE-EE: …`).
fn verdicts(plan: &Plan, (chain, anchors): &Certificates, now: u64) -> Vec<(String, String)> {
    let chain: Vec<&[u8]> = chain.iter().map(Vec::as_slice).collect();
    let anchors: Vec<&[u8]> = anchors.iter().map(Vec::as_slice).collect();
    let lists = std::iter::once(&plan.incoming.candidates)
        .chain(plan.incoming_alternatives.iter().map(|a| &a.candidates))
        .chain(Some(&plan.outgoing.candidates));
    let mut out = Vec::new();
    for c in lists.flatten() {
        if c.security == mailsrv::Security::Cleartext {
            continue;
        }
        let options = mailsrv::VerifyOptions::default();
        let line = match mailsrv::verify_candidate(c, &chain, &anchors, now, options) {
            Ok(v) => {
                let status = match v.status {
                    mailsrv::VerdictStatus::Verified => "VERIFIED",
                    mailsrv::VerdictStatus::NeedsConfirmation => "NEEDS CONFIRMATION",
                    mailsrv::VerdictStatus::Rejected => "REJECTED",
                };
                format!("{status}: {}", v.message)
            }
            Err(e) => format!("ERROR: {e}"),
        };
        out.push((format!("{}:{} {}", c.host, c.port, c.security), line));
    }
    out
}

/// This machine's clock, in seconds since 1970.
fn clock_now() -> Result<u64, String> {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .map_err(|e| format!("the clock is before 1970: {e}"))
}

/// Host-side randomness: the core never draws its own.
#[allow(
    clippy::disallowed_methods,
    reason = "the host supplies time-based randomness"
)]
fn entropy() -> u64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0);
    nanos ^ u64::from(std::process::id()).rotate_left(32)
}

fn run(mut args: Args) -> Result<ExitCode, String> {
    let deadline = Instant::now() + args.total_timeout;
    let seed = args.seed.unwrap_or_else(entropy);
    if args.server.is_some() {
        args.options.message_id_base = (entropy() >> 16) as u16;
    }
    let mut discovery =
        Discovery::new(&args.email, args.options.clone()).map_err(|e| e.to_string())?;
    // Over the network when no --fixtures answer them: the first round's requests start now,
    // beside the DNS questions; those the MX answer adds start once it is in.
    let mut fetcher = None;
    if args.fixtures.is_none() && args.options.sources.iter().any(|s| *s != Source::Srv) {
        let mut f = https::Fetcher::new(
            args.http_anchors.as_deref(),
            args.connect_to.clone(),
            deadline,
        )?;
        f.launch(&discovery);
        fetcher = Some(f);
    }
    if let Some(server) = args.server {
        resolve_over_network(&mut discovery, server, args.timeout, deadline)?;
        if let Some(f) = &mut fetcher {
            f.launch(&discovery);
        }
        validate_over_network(&mut discovery, server, args.timeout, deadline)?;
    } else {
        let mut host = ZoneHost::new();
        for (path, secure) in &args.zones {
            let text = std::fs::read_to_string(path)
                .map_err(|e| format!("cannot read zone file `{path}`: {e}"))?;
            host.add_zone(&text, None, *secure)
                .map_err(|e| format!("{path}: {e}"))?;
        }
        host.resolve(&mut discovery).map_err(|e| e.to_string())?;
    }
    if let Some(dir) = &args.fixtures {
        answer_from_fixtures(&mut discovery, dir)?;
    }
    if let Some(f) = &mut fetcher {
        f.launch(&discovery);
        f.finish(&mut discovery)?;
    }
    let plan = discovery.plan(seed);
    if let Some((anchors, password, accept_targets)) = args.probe.take() {
        let now = match args.now {
            Some(n) => n,
            None => clock_now()?,
        };
        let p = probe::Probe {
            anchors,
            password,
            accept_targets,
            now,
            timeout: args.timeout,
            deadline,
            server: args.server,
        };
        // Line by line: progress shows as it happens, and a reader gone stops the probing.
        let mut out = std::io::LineWriter::new(std::io::stdout());
        return Ok(match probe::probe_plan(&plan, &p, &mut out) {
            Ok(code) => match out.flush() {
                Ok(()) => ExitCode::from(code),
                Err(e) => output_failed(&e),
            },
            Err(e) => output_failed(&e),
        });
    }
    let verdicts = match &args.chain {
        Some(chain) => {
            let now = match args.now {
                Some(n) => n,
                None => clock_now()?,
            };
            verdicts(&plan, chain, now)
        }
        None => Vec::new(),
    };
    let mut out = std::io::stdout().lock();
    let written = if args.json {
        let json = serde_json::to_string_pretty(&plan).map_err(|e| e.to_string())?;
        writeln!(out, "{json}")
    } else {
        print_human(&mut out, &plan)
    };
    let written = written.and_then(|()| {
        if !verdicts.is_empty() && !args.json {
            writeln!(out)?;
            writeln!(out, "Certificate chain checked for each candidate:")?;
        }
        for (who, verdict) in &verdicts {
            // With --json the verdicts go to stderr, so that stdout stays one JSON document.
            if args.json {
                eprintln!("{who} verdict: {verdict}");
            } else {
                writeln!(out, "  {who}")?;
                writeln!(out, "      verdict: {verdict}")?;
            }
        }
        Ok(())
    });
    if let Err(e) = written.and_then(|()| out.flush()) {
        return Ok(output_failed(&e));
    }
    Ok(exit_code(&plan))
}

/// A write to stdout failed. When the reader went away (`plan … | head -1`) that is a quiet end
/// with 141 (128 + SIGPIPE): the status a shell shows for a program killed by SIGPIPE, which is
/// what happens to C filters; Rust ignores SIGPIPE, so the write returns `BrokenPipe` instead.
/// Any other write error is one line on stderr and exit code 2.
fn output_failed(e: &std::io::Error) -> ExitCode {
    if e.kind() == ErrorKind::BrokenPipe {
        return ExitCode::from(mailsrv::exit::BROKEN_PIPE);
    }
    eprintln!("plan: cannot write the output: {e}");
    ExitCode::from(mailsrv::exit::USAGE)
}

/// Answers every HTTP request, those the MX answer added included, from `dir` by the core's
/// rules (`host_web::fixture_path`, `host_web::fixture_status`); a body over the core's cap is
/// reported as too large, as a network host would.
fn answer_from_fixtures(d: &mut Discovery, dir: &std::path::Path) -> Result<(), String> {
    use mailsrv::host_web;
    while let Some(r) = d.pending_requests().first().cloned() {
        let file = host_web::fixture_path(&r.url).map(|p| dir.join(p));
        let body = file.as_ref().and_then(|f| std::fs::read(f).ok());
        if body
            .as_ref()
            .is_some_and(|b| b.len() > host_web::MAX_HTTP_BODY_BYTES)
        {
            d.fail_http(r.id, mailsrv::HttpFailure::TooLarge)
                .map_err(|e| e.to_string())?;
            continue;
        }
        let ct_file = file.and_then(|f| {
            let mut name = f.into_os_string();
            name.push(host_web::FIXTURE_CONTENT_TYPE_SUFFIX);
            std::fs::read_to_string(name).ok()
        });
        let (status, ct) = host_web::fixture_status(body.is_some(), ct_file.as_deref());
        d.receive_http(r.id, status, Some(&ct), &body.unwrap_or_default())
            .map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// 0: something usable; 1: nothing usable; 3: nothing usable and lookups failed.
fn exit_code(plan: &Plan) -> ExitCode {
    ExitCode::from(plan.exit_status())
}

/// The lookup failure for a query that ended with the I/O error `e`: the core's rule for the host
/// code it stands for (`TIMEOUT` when time ran out, else `NETWORK_ERROR`).
fn failure_of(e: &std::io::Error) -> Failure {
    let code = match e.kind() {
        ErrorKind::TimedOut | ErrorKind::WouldBlock => ErrorCode::Timeout,
        _ => ErrorCode::NetworkError,
    };
    mailsrv::host_rules::lookup_failure(Some(code))
}

/// A UDP socket connected to `server` (answers from anyone else are dropped by the kernel).
fn udp_socket_to(server: SocketAddr) -> Result<UdpSocket, String> {
    let bind = if server.is_ipv4() {
        "0.0.0.0:0"
    } else {
        "[::]:0"
    };
    let socket = UdpSocket::bind(bind).map_err(|e| format!("cannot open a UDP socket: {e}"))?;
    socket
        .connect(server)
        .map_err(|e| format!("cannot reach {server}: {e}"))?;
    Ok(socket)
}

/// Sends every question at once over UDP, then collects answers until all are in or `timeout`
/// is up; truncated answers are asked again over TCP, each within `timeout`. Nothing waits past
/// `deadline`, the whole operation's.
fn resolve_over_network(
    d: &mut Discovery,
    server: SocketAddr,
    timeout: Duration,
    deadline: Instant,
) -> Result<(), String> {
    let socket = udp_socket_to(server)?;
    let questions = d.questions().to_vec();
    // The MX question (when an MX-derived source is in use) and, with validation on, the
    // validator's first DS/DNSKEY questions go out with the SRV questions, in one round.
    let mx = d.mx_question().map(|m| (m.message_id, m.wire.clone()));
    let mut mx_waiting = mx.is_some();
    let mut mx_truncated = false;
    let dnssec = d.pending_dnssec();
    for wire in questions
        .iter()
        .map(|q| &q.wire)
        .chain(mx.as_ref().map(|m| &m.1))
        .chain(dnssec.iter().map(|q| &q.wire))
    {
        socket
            .send(wire)
            .map_err(|e| format!("cannot send to {server}: {e}"))?;
    }
    let mut waiting_dnssec: Vec<u16> = dnssec.iter().map(|q| q.message_id).collect();
    let udp_deadline = deadline.min(Instant::now() + timeout);
    let mut buf = vec![0u8; 65535];
    let mut truncated = Vec::new();
    let mut waiting: Vec<u16> = questions.iter().map(|q| q.id).collect();
    while !waiting.is_empty() || mx_waiting || !waiting_dnssec.is_empty() {
        let left = udp_deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            break;
        }
        socket
            .set_read_timeout(Some(left))
            .map_err(|e| e.to_string())?;
        let n = match socket.recv(&mut buf) {
            Ok(n) => n,
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                break;
            }
            Err(e) => {
                let why = format!("receiving from {server}: {e}");
                for id in waiting.drain(..) {
                    d.fail_because(id, Failure::NetworkError, &why)
                        .map_err(|e| e.to_string())?;
                }
                return Err(format!("receiving from {server}: {e}"));
            }
        };
        if n < 2 {
            continue;
        }
        let message_id = u16::from_be_bytes([buf[0], buf[1]]);
        if waiting_dnssec.contains(&message_id) {
            // Taken (a truncated one stays pending for the next round, over UDP then TCP).
            if d.receive_dnssec(message_id, &buf[..n]).is_ok() {
                waiting_dnssec.retain(|id| *id != message_id);
            }
            continue;
        }
        if mx_waiting && mx.as_ref().is_some_and(|m| m.0 == message_id) {
            // A response for something else leaves the MX question waiting.
            if let Ok(outcome) = d.receive_mx_response(&buf[..n], None) {
                mx_waiting = false;
                mx_truncated = outcome == Outcome::Truncated;
            }
            continue;
        }
        let Some(q) = questions.iter().find(|q| q.message_id == message_id) else {
            continue;
        };
        if !waiting.contains(&q.id) {
            continue;
        }
        // A response for something else leaves the question waiting.
        if let Ok(outcome) = d.receive(q.id, &buf[..n], None) {
            waiting.retain(|id| *id != q.id);
            if outcome == Outcome::Truncated {
                truncated.push(q.clone());
            }
        }
    }
    let timed_out = mailsrv::host_rules::lookup_failure(Some(ErrorCode::Timeout));
    for id in waiting_dnssec {
        d.fail_dnssec(id).map_err(|e| e.to_string())?;
    }
    let no_answer = format!("no answer from {server}");
    for id in waiting {
        d.fail_because(id, timed_out, &no_answer)
            .map_err(|e| e.to_string())?;
    }
    for q in truncated {
        match query_tcp(server, &q.wire, deadline.min(Instant::now() + timeout)) {
            Ok(bytes) => {
                let _ = d.receive(q.id, &bytes, None);
            }
            Err(e) => d
                .fail_because(q.id, failure_of(&e), &format!("over TCP to {server}: {e}"))
                .map_err(|e| e.to_string())?,
        }
    }
    if let Some((_, wire)) = mx {
        if mx_waiting {
            d.fail_mx(timed_out).map_err(|e| e.to_string())?;
        } else if mx_truncated {
            match query_tcp(server, &wire, deadline.min(Instant::now() + timeout)) {
                Ok(bytes) if d.receive_mx_response(&bytes, None).is_ok() => {}
                Ok(_) => d
                    .fail_mx(Failure::NetworkError)
                    .map_err(|e| e.to_string())?,
                Err(e) => d.fail_mx(failure_of(&e)).map_err(|e| e.to_string())?,
            }
        }
    }
    Ok(())
}

/// Sends the validator's pending questions (round after round: answers may reveal more, D41)
/// over UDP, then TCP after truncation; a question still open at a deadline is reported failed.
fn validate_over_network(
    d: &mut Discovery,
    server: SocketAddr,
    timeout: Duration,
    deadline: Instant,
) -> Result<(), String> {
    let socket = udp_socket_to(server)?;
    let mut buf = vec![0u8; 65535];
    loop {
        let pending = d.pending_dnssec();
        if pending.is_empty() {
            return Ok(());
        }
        for q in &pending {
            socket
                .send(&q.wire)
                .map_err(|e| format!("cannot send to {server}: {e}"))?;
        }
        let round_deadline = deadline.min(Instant::now() + timeout);
        let mut waiting: Vec<u16> = pending.iter().map(|q| q.message_id).collect();
        let mut truncated = Vec::new();
        while !waiting.is_empty() {
            let Ok(left) = left_until(round_deadline) else {
                break;
            };
            socket
                .set_read_timeout(Some(left))
                .map_err(|e| e.to_string())?;
            let Ok(n) = socket.recv(&mut buf) else {
                break;
            };
            if n < 2 {
                continue;
            }
            let id = u16::from_be_bytes([buf[0], buf[1]]);
            if !waiting.contains(&id) {
                continue;
            }
            // A response for something else leaves the question waiting.
            if let Ok(outcome) = d.receive_dnssec(id, &buf[..n]) {
                waiting.retain(|w| *w != id);
                if outcome == Outcome::Truncated {
                    truncated.push(id);
                }
            }
        }
        for id in waiting {
            d.fail_dnssec(id).map_err(|e| e.to_string())?;
        }
        for q in pending.iter().filter(|q| truncated.contains(&q.message_id)) {
            let taken = query_tcp(server, &q.wire, deadline.min(Instant::now() + timeout))
                .ok()
                .and_then(|bytes| d.receive_dnssec(q.message_id, &bytes).ok());
            if taken != Some(Outcome::Records) {
                d.fail_dnssec(q.message_id).map_err(|e| e.to_string())?;
            }
        }
        if Instant::now() >= deadline {
            for q in d.pending_dnssec() {
                d.fail_dnssec(q.message_id).map_err(|e| e.to_string())?;
            }
        }
    }
}

/// What is left until `deadline`, or a `TimedOut` error when nothing is.
fn left_until(deadline: Instant) -> std::io::Result<Duration> {
    let left = deadline.saturating_duration_since(Instant::now());
    if left.is_zero() {
        return Err(ErrorKind::TimedOut.into());
    }
    Ok(left)
}

/// Fills `buf` from `stream` before `deadline`: every read waits only for what is left, so a
/// server dripping a byte at a time cannot stretch the exchange (a timeout per read would let it).
fn read_all_before(
    stream: &mut TcpStream,
    buf: &mut [u8],
    deadline: Instant,
) -> std::io::Result<()> {
    let mut filled = 0;
    while filled < buf.len() {
        stream.set_read_timeout(Some(left_until(deadline)?))?;
        match stream.read(&mut buf[filled..]) {
            Ok(0) => return Err(ErrorKind::UnexpectedEof.into()),
            Ok(n) => filled += n,
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// One query over TCP (RFC 7766), all of it before `deadline`: connect, send, the 2-byte length
/// and the answer (at most 65,535 bytes, as the length says).
fn query_tcp(server: SocketAddr, wire: &[u8], deadline: Instant) -> std::io::Result<Vec<u8>> {
    let mut stream = TcpStream::connect_timeout(&server, left_until(deadline)?)?;
    stream.set_write_timeout(Some(left_until(deadline)?))?;
    let len = u16::try_from(wire.len()).map_err(|_| ErrorKind::InvalidInput)?;
    stream.write_all(&len.to_be_bytes())?;
    stream.write_all(wire)?;
    let mut len = [0u8; 2];
    read_all_before(&mut stream, &mut len, deadline)?;
    let mut body = vec![0u8; usize::from(u16::from_be_bytes(len))];
    read_all_before(&mut stream, &mut body, deadline)?;
    Ok(body)
}

fn print_candidates(out: &mut impl Write, list: &[Candidate]) -> std::io::Result<()> {
    let whys = mailsrv::explain::whys(list);
    for ((i, c), why) in list.iter().enumerate().zip(whys) {
        let addrs = if c.addresses.is_empty() {
            String::new()
        } else {
            format!(
                " [{}]",
                c.addresses
                    .iter()
                    .map(|a| a.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        writeln!(
            out,
            "  {:>2}. {}:{} {}{addrs}",
            i + 1,
            c.host,
            c.port,
            c.security
        )?;
        writeln!(out, "      why: {why}")?;
        writeln!(out, "      from: {}", mailsrv::explain::sources(c))?;
        if let Some(status) = c.addresses_dnssec {
            let how = match c.addresses_source {
                Some(mailsrv::AddressesSource::SrvResponse) => {
                    " (from the SRV response, not validated: D51)"
                }
                _ => "",
            };
            writeln!(out, "      addresses: DNSSEC-{}{how}", json_name(&status))?;
        }
        if let Some(t) = &c.tlsa {
            let reason = t
                .reason
                .as_deref()
                .map(|r| format!(" ({r})"))
                .unwrap_or_default();
            writeln!(out, "      tlsa: {} {}{reason}", t.name, t.status.as_str())?;
            for r in &t.records {
                let usage = match r.split(' ').next() {
                    Some("3") => "DANE-EE",
                    Some("2") => "DANE-TA",
                    Some("1") => "PKIX-EE",
                    Some("0") => "PKIX-TA",
                    _ => "unusable",
                };
                writeln!(out, "        {usage}: {r}")?;
            }
        }
        if let Some(domain) = &c.confirm {
            writeln!(out, "      confirm: the user must confirm {domain}")?;
        }
    }
    Ok(())
}

/// A value's JSON name (`"records"`, `"document"`, ...).
fn json_name<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

fn print_human(out: &mut impl Write, plan: &Plan) -> std::io::Result<()> {
    let status = |s: Status| {
        serde_json::to_value(s)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default()
    };
    writeln!(
        out,
        "Mail servers for {} (domain {})",
        plan.email, plan.domain_unicode
    )?;
    writeln!(out)?;
    match plan.incoming.protocol {
        Some(p) => writeln!(out, "Incoming ({p}):")?,
        None => writeln!(out, "Incoming: {}", status(plan.incoming.status))?,
    }
    print_candidates(out, &plan.incoming.candidates)?;
    for alt in &plan.incoming_alternatives {
        writeln!(
            out,
            "Alternative incoming ({}), only if the user chooses it:",
            alt.protocol
        )?;
        print_candidates(out, &alt.candidates)?;
    }
    if plan.outgoing.candidates.is_empty() {
        writeln!(out, "Outgoing: {}", status(plan.outgoing.status))?;
    } else {
        writeln!(out, "Outgoing (submission):")?;
        print_candidates(out, &plan.outgoing.candidates)?;
    }
    if let Some(c) = plan
        .incoming
        .candidates
        .first()
        .or(plan.outgoing.candidates.first())
    {
        let ids: Vec<String> = c
            .reference_identities
            .iter()
            .map(|r| r.value.to_string())
            .collect();
        writeln!(out)?;
        writeln!(
            out,
            "Certificates must match one of: {} (for the first candidate)",
            ids.join(", ")
        )?;
        writeln!(out, "Log in as: {}", c.usernames.join(", then "))?;
    }
    writeln!(out)?;
    writeln!(out, "Lookups:")?;
    for l in &plan.lookups {
        let outcome = serde_json::to_value(l.outcome)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        let dnssec = serde_json::to_value(l.dnssec)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        writeln!(
            out,
            "  {:<40} {:<10} {} record(s), {}",
            l.name, outcome, l.records, dnssec
        )?;
    }
    if let Some(mx) = &plan.mx {
        writeln!(
            out,
            "  {:<40} {:<10} {}",
            format!("MX {}", mx.name),
            json_name(&mx.outcome),
            mx.host.as_deref().unwrap_or("-")
        )?;
    }
    for r in &plan.requests {
        let status = r.status.map(|s| s.to_string()).unwrap_or_default();
        writeln!(
            out,
            "  {:<14} {} {} {status}",
            r.source.as_str(),
            r.url,
            json_name(&r.outcome)
        )?;
    }
    if !plan.diagnostics.is_empty() {
        writeln!(out)?;
        writeln!(out, "Diagnostics:")?;
        for d in &plan.diagnostics {
            let code = serde_json::to_value(d.code)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default();
            writeln!(out, "  [{code}] {}", d.message)?;
        }
    }
    writeln!(out)?;
    match plan.expires_in_secs {
        Some(s) => writeln!(out, "Plan valid for {s} s (smallest TTL).")?,
        None => writeln!(out, "Nothing was answered; do not cache this plan.")?,
    }
    Ok(())
}
