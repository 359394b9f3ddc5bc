//! The `plan` example's `--probe` (issue 15 §3): tries the plan's TLS candidates in order, as the
//! reference C host does, and prints the same lines. TCP and TLS (rustls on ring) are here; every
//! decision is the core's: which candidates a prober skips (`host_rules::prober_skips`), the
//! STARTTLS/STLS/EHLO dialogue (`negotiate::Negotiator`), the certificate verdict
//! (`verify_candidate`: the candidate's validated TLSA records, else PKIX with `--anchors`), what
//! the verdict means to the negotiator (`VerdictStatus::tls_outcome` with `--accept-target`), the
//! ALPN rule, the byte cap and the exit status (`exit::probe`).
//!
//! rustls verifies no certificate here ([`KeepChain`] accepts every chain, the core judges it
//! after the handshake), but it still checks the handshake signature with the leaf's key through
//! the provider, so a server that presents a certificate without its private key cannot finish
//! the handshake. Credentials are sent only through the negotiator, which refuses them unless the
//! verdict was verified (or the user accepted the target).

use std::io::{ErrorKind, Read, Write};
use std::net::{IpAddr, SocketAddr, TcpStream, ToSocketAddrs};
use std::sync::Arc;
use std::time::{Duration, Instant};

use mailsrv::negotiate::{Negotiator, Secret, Step};
use mailsrv::{Candidate, ErrorCode, Plan, VerdictStatus};
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{CryptoProvider, verify_tls12_signature, verify_tls13_signature};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{ClientConfig, ClientConnection, DigitallySignedStruct, SignatureScheme};

/// `--probe` and its options.
pub(crate) struct Probe {
    /// `--anchors`: CA certificates (DER) for PKIX.
    pub anchors: Vec<Vec<u8>>,
    /// `--password-env`: log in with this password.
    pub password: Option<Secret>,
    /// `--accept-target`: hosts the user confirmed (RFC 6186 §6).
    pub accept_targets: Vec<String>,
    /// The time the certificates are judged at (`--now`, else the clock).
    pub now: u64,
    /// `--timeout`: each candidate's time, from connect to the last byte.
    pub timeout: Duration,
    /// The whole run's deadline (`--total-timeout`).
    pub deadline: Instant,
    /// `--server`: the resolver the plan was asked through; a candidate without addresses is
    /// looked up there too, never through the system's resolver (D50).
    pub server: Option<SocketAddr>,
}

/// Accepts every server certificate and leaves the judgement to the core, but verifies the
/// handshake signatures with the provider's algorithms and the leaf's key.
#[derive(Debug)]
struct KeepChain(Arc<CryptoProvider>);

impl ServerCertVerifier for KeepChain {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        // The chain is read after the handshake (`peer_certificates`) and judged by the core.
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

/// The TCP stream under one deadline: every read and write waits only for what is left of it,
/// so a server dripping bytes cannot stretch the exchange.
struct Deadlined {
    stream: TcpStream,
    deadline: Instant,
}

impl Deadlined {
    fn left(&self) -> std::io::Result<Duration> {
        let left = self.deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(ErrorKind::TimedOut.into());
        }
        Ok(left)
    }
}

impl Read for Deadlined {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.stream.set_read_timeout(Some(self.left()?))?;
        self.stream.read(buf)
    }
}

impl Write for Deadlined {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.stream.set_write_timeout(Some(self.left()?))?;
        self.stream.write(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.stream.flush()
    }
}

/// One candidate's connection: the socket, TLS once it is up, the bytes it may still read
/// (`host_rules::MAX_CONNECTION_BYTES` at first) and, once an I/O call failed, why.
struct Conn {
    socket: Deadlined,
    tls: Option<ClientConnection>,
    left: usize,
    error: Option<ErrorCode>,
}

impl Conn {
    fn failed(&mut self, e: &std::io::Error) {
        let code = if Instant::now() >= self.socket.deadline
            || matches!(e.kind(), ErrorKind::TimedOut | ErrorKind::WouldBlock)
        {
            ErrorCode::Timeout
        } else {
            ErrorCode::NetworkError
        };
        self.error.get_or_insert(code);
    }

    fn write_all(&mut self, bytes: &[u8]) -> bool {
        let result = match &mut self.tls {
            Some(tls) => {
                let mut s = rustls::Stream::new(tls, &mut self.socket);
                s.write_all(bytes).and_then(|()| s.flush())
            }
            None => self.socket.write_all(bytes),
        };
        result.map_err(|e| self.failed(&e)).is_ok()
    }

    /// Reads what is there (at least one byte), counted against the cap; `None` on failure.
    fn read_some(&mut self, buf: &mut [u8]) -> Option<usize> {
        let result = match &mut self.tls {
            Some(tls) => rustls::Stream::new(tls, &mut self.socket).read(buf),
            None => self.socket.read(buf),
        };
        match result {
            Ok(0) => {
                self.error.get_or_insert(ErrorCode::NetworkError);
                None
            }
            Ok(n) if n > self.left => {
                self.error.get_or_insert(ErrorCode::TooMuchData);
                None
            }
            Ok(n) => {
                self.left -= n;
                Some(n)
            }
            Err(e) => {
                self.failed(&e);
                None
            }
        }
    }
}

/// Probes the incoming and outgoing candidates (the first that works on each side ends it);
/// returns the exit status, the core's (`exit::probe`).
pub(crate) fn probe_plan(plan: &Plan, p: &Probe, out: &mut impl Write) -> std::io::Result<u8> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(std::io::Error::other)?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(KeepChain(provider)))
        .with_no_client_auth();
    let mut works = [false, false];
    let sides = [
        ("incoming", &plan.incoming.candidates),
        ("outgoing", &plan.outgoing.candidates),
    ];
    for (i, (name, list)) in sides.into_iter().enumerate() {
        if list.is_empty() {
            continue;
        }
        writeln!(out, "{name}:")?;
        for c in list {
            if mailsrv::host_rules::prober_skips(c.security) {
                continue;
            }
            if probe_one(c, &config, p, out)? {
                works[i] = true;
                break;
            }
        }
    }
    let sides = mailsrv::exit::SideOutcome::of(plan, works[0], works[1]);
    Ok(mailsrv::exit::probe(&sides))
}

/// `    error NAME: description` for a host error code.
fn error_line(out: &mut impl Write, code: ErrorCode) -> std::io::Result<()> {
    writeln!(out, "    error {}: {}", code.name(), code.description())
}

/// A serialized enum's name (`"certificate-not-verified"`).
fn name_of<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// The candidate's socket addresses: the plan's; for a candidate without any, its A and AAAA
/// records asked of `--server` (the core's `address_queries`, read with
/// `addresses_in_response`; over TCP after truncation), all before `deadline` (D50); with zone
/// files (no `--server`), the system resolver's.
fn addresses(c: &Candidate, server: Option<SocketAddr>, deadline: Instant) -> Vec<SocketAddr> {
    if !c.addresses.is_empty() {
        return c
            .addresses
            .iter()
            .map(|a| SocketAddr::new(*a, c.port))
            .collect();
    }
    let Some(server) = server else {
        return (c.host.as_str(), c.port)
            .to_socket_addrs()
            .map(Iterator::collect)
            .unwrap_or_default();
    };
    resolve_target(&c.host, server, deadline)
        .into_iter()
        .map(|a| SocketAddr::new(a, c.port))
        .collect()
}

/// `host`'s A and AAAA addresses from `server`: both questions at once over UDP, a truncated
/// answer asked again over TCP; none when nothing usable came before `deadline`.
fn resolve_target(host: &str, server: SocketAddr, deadline: Instant) -> Vec<IpAddr> {
    let message_id = (super::entropy() >> 16) as u16;
    let Ok(queries) = mailsrv::address_queries(host, message_id) else {
        return Vec::new();
    };
    let Ok(socket) = super::udp_socket_to(server) else {
        return Vec::new();
    };
    if queries.iter().any(|q| socket.send(q).is_err()) {
        return Vec::new();
    }
    let mut found = Vec::new();
    let mut waiting: Vec<u16> = vec![message_id, message_id.wrapping_add(1)];
    let mut buf = vec![0u8; 65535];
    while !waiting.is_empty() {
        let Ok(left) = super::left_until(deadline) else {
            break;
        };
        if socket.set_read_timeout(Some(left)).is_err() {
            break;
        }
        let Ok(n) = socket.recv(&mut buf) else {
            break;
        };
        if n < 4 {
            continue;
        }
        let id = u16::from_be_bytes([buf[0], buf[1]]);
        let Some(i) = waiting.iter().position(|w| *w == id) else {
            continue;
        };
        waiting.swap_remove(i);
        // TC (RFC 1035 §4.1.1): the whole answer over TCP (RFC 7766).
        let answer = if buf[2] & 0x02 != 0 {
            let query = &queries[usize::from(id != message_id)];
            super::query_tcp(server, query, deadline).unwrap_or_default()
        } else {
            buf[..n].to_vec()
        };
        found.extend(mailsrv::addresses_in_response(&answer, host));
    }
    found
}

/// Probes one candidate (and logs in with the password, if any); `Ok(true)` when it works.
fn probe_one(
    c: &Candidate,
    config: &ClientConfig,
    p: &Probe,
    out: &mut impl Write,
) -> std::io::Result<bool> {
    let deadline = p.deadline.min(Instant::now() + p.timeout);
    writeln!(out, "  {}:{} {}", c.host, c.port, c.security)?;
    if Instant::now() >= deadline {
        error_line(out, ErrorCode::Timeout)?;
        return Ok(false);
    }
    let found = addresses(c, p.server, deadline);
    if found.is_empty() && p.server.is_some() {
        // D50: the resolver the plan came from gave no address; no system lookup.
        let e = mailsrv::host_rules::no_address_error(&c.host, None);
        writeln!(out, "    error {}: {}", e.code().name(), e.message())?;
        return Ok(false);
    }
    let stream = found.into_iter().find_map(|a| {
        let left = deadline.saturating_duration_since(Instant::now());
        (!left.is_zero())
            .then(|| TcpStream::connect_timeout(&a, left).ok())
            .flatten()
    });
    let Some(stream) = stream else {
        writeln!(out, "    cannot connect")?;
        return Ok(false);
    };
    let mut conn = Conn {
        socket: Deadlined { stream, deadline },
        tls: None,
        left: mailsrv::host_rules::MAX_CONNECTION_BYTES,
        error: None,
    };
    let mut n = Negotiator::new(c.protocol, c.security, "localhost");
    let mut step = n.start();
    loop {
        let Some(s) = exchange(&mut n, &mut conn, step, out)? else {
            return Ok(false);
        };
        step = match s {
            Step::StartTls | Step::AwaitTls => {
                let Some(outcome) = start_tls(c, config, p, &mut conn, out)? else {
                    let why = if Instant::now() >= deadline {
                        ErrorCode::Timeout
                    } else {
                        ErrorCode::TlsFailed
                    };
                    error_line(out, why)?;
                    return Ok(false);
                };
                n.tls_established(outcome)
            }
            Step::Done(caps) => {
                let caps = serde_json::to_string(&caps).map_err(std::io::Error::other)?;
                writeln!(out, "    ok: {caps}")?;
                return match &p.password {
                    Some(password) => login_with(&mut n, &mut conn, c, password, out),
                    None => Ok(true),
                };
            }
            Step::Abort(a) => {
                let text = a
                    .text()
                    .map(|t| format!(": untrusted server text: {t}"))
                    .unwrap_or_default();
                writeln!(out, "    aborted ({}){text}", name_of(&a.reason()))?;
                return Ok(false);
            }
            other => {
                writeln!(
                    out,
                    "    aborted (unexpected step {})",
                    name_of(&other.kind())
                )?;
                return Ok(false);
            }
        };
    }
}

/// Carries out `Send`, `SendSecret` and `NeedMore` steps until the negotiator asks for something
/// else; `None` (said on `out`) when the connection fails.
fn exchange(
    n: &mut Negotiator,
    conn: &mut Conn,
    mut step: Step,
    out: &mut impl Write,
) -> std::io::Result<Option<Step>> {
    let mut buf = [0u8; 4096];
    loop {
        let ok = match &step {
            Step::Send(bytes) => conn.write_all(bytes).then(|| n.poll()),
            Step::SendSecret(bytes) => conn.write_all(bytes.as_bytes()).then(|| n.poll()),
            Step::NeedMore => conn.read_some(&mut buf).map(|got| n.receive(&buf[..got])),
            _ => return Ok(Some(step)),
        };
        match ok {
            Some(next) => step = next,
            None => {
                error_line(out, conn.error.unwrap_or(ErrorCode::NetworkError))?;
                return Ok(None);
            }
        }
    }
}

/// The TLS handshake (SNI: the candidate's, D13; ALPN: the candidate's), the ALPN check and the
/// core's verdict, printed as `    certificate: …`; returns what the negotiator is told, or `None`
/// when the handshake failed or the server selected another protocol.
fn start_tls(
    c: &Candidate,
    config: &ClientConfig,
    p: &Probe,
    conn: &mut Conn,
    out: &mut impl Write,
) -> std::io::Result<Option<mailsrv::negotiate::TlsOutcome>> {
    let mut config = config.clone();
    config.alpn_protocols = c.alpn.iter().map(|a| a.as_bytes().to_vec()).collect();
    let sni = String::from(c.sni.clone().unwrap_or_else(|| c.host.clone()));
    let Ok(name) = ServerName::try_from(sni) else {
        return Ok(None);
    };
    let Ok(mut tls) = ClientConnection::new(Arc::new(config), name) else {
        return Ok(None);
    };
    while tls.is_handshaking() {
        if let Err(e) = tls.complete_io(&mut conn.socket) {
            eprintln!("plan: TLS handshake with {}:{} failed: {e}", c.host, c.port);
            return Ok(None);
        }
    }
    if !c.accepts_alpn(tls.alpn_protocol()) {
        let selected = String::from_utf8_lossy(tls.alpn_protocol().unwrap_or_default());
        eprintln!(
            "plan: {}:{} selected ALPN \"{selected}\", not a mail protocol: dropped",
            c.host, c.port
        );
        return Ok(None);
    }
    // At most one certificate more than the core accepts, so that the core, not this host,
    // refuses a longer chain.
    let chain: Vec<&[u8]> = tls
        .peer_certificates()
        .unwrap_or_default()
        .iter()
        .take(mailsrv::host_rules::MAX_CHAIN + 1)
        .map(|d| d.as_ref())
        .collect();
    let anchors: Vec<&[u8]> = p.anchors.iter().map(Vec::as_slice).collect();
    let verdict = mailsrv::verify_candidate(c, &chain, &anchors, p.now, Default::default());
    let outcome = match verdict {
        Ok(v) => {
            writeln!(out, "    certificate: {}", v.message)?;
            let accepted = p.accept_targets.iter().any(|t| *t == c.host);
            v.status.tls_outcome(accepted)
        }
        Err(e) => {
            eprintln!("plan: {e}");
            VerdictStatus::Rejected.tls_outcome(false)
        }
    };
    conn.tls = Some(tls);
    Ok(Some(outcome))
}

/// Logs in with the candidate's usernames in order (the full address, then the local part;
/// RFC 6186 §4); `Ok(true)` when one is accepted. The negotiator refuses (an abort, nothing
/// sent) unless TLS is up with a verified or user-confirmed certificate.
fn login_with(
    n: &mut Negotiator,
    conn: &mut Conn,
    c: &Candidate,
    password: &Secret,
    out: &mut impl Write,
) -> std::io::Result<bool> {
    for user in &c.usernames {
        let step = n.login(user, password);
        let Some(step) = exchange(n, conn, step, out)? else {
            return Ok(false);
        };
        match step {
            Step::LoggedIn => {
                writeln!(out, "    login ok as {user}")?;
                return Ok(true);
            }
            Step::LoginFailed(_) => writeln!(out, "    login refused for {user}")?,
            Step::Abort(a) => {
                let text = a
                    .text()
                    .map(|t| format!(": untrusted server text: {t}"))
                    .unwrap_or_default();
                writeln!(out, "    login aborted ({}){text}", name_of(&a.reason()))?;
                return Ok(false);
            }
            other => {
                writeln!(out, "    login aborted ({})", name_of(&other.kind()))?;
                return Ok(false);
            }
        }
    }
    Ok(false)
}
