//! The `plan` example's HTTPS client (ureq with rustls on ring): every request of a discovery on
//! its own thread, all in flight at once, each result fed back to the core on the main thread.
//! Redirects are followed by hand under the core's rules (`host_web::redirect_allowed`, at most
//! `MAX_HTTP_REDIRECTS`), bodies read up to `MAX_HTTP_BODY_BYTES`, nothing waits past the
//! deadline. `--connect-to` (decision D48) only changes where a connection goes: the URL, the
//! Host header, SNI and the certificate's name check stay those of the URL.

use std::net::{IpAddr, SocketAddr};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::{Duration, Instant};

use mailsrv::{Discovery, HttpFailure, host_web};
use ureq::config::Config;
use ureq::http::Uri;
use ureq::tls::{Certificate, RootCerts, TlsConfig};
use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::{DefaultConnector, NextTimeout};

/// One `--connect-to HOST:PORT:ADDR:PORT` rule, curl's syntax: connections for `HOST:PORT`
/// (an empty field matches any) go to `ADDR:PORT` (an IP address; an empty port keeps the URL's).
#[derive(Clone, Debug)]
pub(crate) struct ConnectTo {
    host: String,
    port: Option<u16>,
    addr: IpAddr,
    to_port: Option<u16>,
}

impl ConnectTo {
    /// Parses `HOST:PORT:ADDR:PORT` (ADDR an IPv4 address, or an IPv6 one in brackets).
    pub(crate) fn parse(v: &str) -> Result<Self, String> {
        let bad = || format!("--connect-to `{v}` is not HOST:PORT:ADDR:PORT (ADDR an IP address)");
        let (host, rest) = v.split_once(':').ok_or_else(bad)?;
        let (port, rest) = rest.split_once(':').ok_or_else(bad)?;
        let (addr, to_port) = match rest.strip_prefix('[') {
            Some(r) => {
                let (a, p) = r.split_once("]:").ok_or_else(bad)?;
                (a, p)
            }
            None => rest.rsplit_once(':').ok_or_else(bad)?,
        };
        let port_of = |p: &str| -> Result<Option<u16>, String> {
            if p.is_empty() {
                Ok(None)
            } else {
                p.parse().map(Some).map_err(|_| bad())
            }
        };
        Ok(Self {
            host: host.to_ascii_lowercase(),
            port: port_of(port)?,
            addr: addr.parse().map_err(|_| bad())?,
            to_port: port_of(to_port)?,
        })
    }
}

/// Resolves through the first matching `--connect-to` rule, else as ureq does by default.
#[derive(Debug)]
struct MappedResolver(Vec<ConnectTo>);

impl Resolver for MappedResolver {
    fn resolve(
        &self,
        uri: &Uri,
        config: &Config,
        timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        let host = uri.host().unwrap_or_default().to_ascii_lowercase();
        let port = uri
            .port_u16()
            .unwrap_or(if uri.scheme_str() == Some("http") {
                80
            } else {
                443
            });
        let rule = self
            .0
            .iter()
            .find(|r| (r.host.is_empty() || r.host == host) && r.port.is_none_or(|p| p == port));
        match rule {
            Some(r) => {
                let mut out = self.empty();
                out.push(SocketAddr::new(r.addr, r.to_port.unwrap_or(port)));
                Ok(out)
            }
            None => DefaultResolver::default().resolve(uri, config, timeout),
        }
    }
}

/// What a request came to: a response (status, content type, body) or a failure.
type Fetched = Result<(u16, Option<String>, Vec<u8>), HttpFailure>;

/// The requests in flight and the agent they share.
pub(crate) struct Fetcher {
    agent: ureq::Agent,
    deadline: Instant,
    started: Vec<u16>,
    done: Sender<(u16, Fetched)>,
    results: Receiver<(u16, Fetched)>,
}

impl Fetcher {
    /// An agent trusting `anchors` (PEM; default: the Mozilla roots in webpki-roots), mapping
    /// connections by `connect_to`, bounded by `deadline`.
    pub(crate) fn new(
        anchors: Option<&std::path::Path>,
        connect_to: Vec<ConnectTo>,
        deadline: Instant,
    ) -> Result<Self, String> {
        let mut tls = TlsConfig::builder();
        if let Some(path) = anchors {
            let pem = std::fs::read(path)
                .map_err(|e| format!("cannot read --http-anchors `{}`: {e}", path.display()))?;
            let certs: Vec<Certificate<'static>> = ureq::tls::parse_pem(&pem)
                .filter_map(|item| match item {
                    Ok(ureq::tls::PemItem::Certificate(c)) => Some(c),
                    _ => None,
                })
                .collect();
            if certs.is_empty() {
                return Err(format!(
                    "--http-anchors `{}` holds no certificate",
                    path.display()
                ));
            }
            tls = tls.root_certs(RootCerts::new_with_certs(&certs));
        }
        let config = Config::builder()
            .tls_config(tls.build())
            .max_redirects(0)
            .http_status_as_error(false)
            .https_only(false)
            .build();
        let agent =
            ureq::Agent::with_parts(config, DefaultConnector::new(), MappedResolver(connect_to));
        let (done, results) = channel();
        Ok(Self {
            agent,
            deadline,
            started: Vec::new(),
            done,
            results,
        })
    }

    /// Starts every pending request not started yet (the first round, then those the MX answer
    /// added), each on its own thread.
    pub(crate) fn launch(&mut self, d: &Discovery) {
        for r in d.pending_requests() {
            if self.started.contains(&r.id) {
                continue;
            }
            self.started.push(r.id);
            let (agent, done, url, deadline) = (
                self.agent.clone(),
                self.done.clone(),
                r.url.clone(),
                self.deadline,
            );
            let id = r.id;
            std::thread::spawn(move || {
                let _ = done.send((id, get(&agent, &url, deadline)));
            });
        }
    }

    /// Waits for every started request (until the deadline) and feeds the results; what is still
    /// out at the deadline is a timeout.
    pub(crate) fn finish(&mut self, d: &mut Discovery) -> Result<(), String> {
        let mut open = self.started.clone();
        while !open.is_empty() {
            let left = self.deadline.saturating_duration_since(Instant::now());
            let Ok((id, fetched)) = self
                .results
                .recv_timeout(left.max(Duration::from_millis(1)))
            else {
                break;
            };
            open.retain(|o| *o != id);
            feed(d, id, fetched)?;
        }
        for id in open {
            feed(d, id, Err(HttpFailure::Timeout))?;
        }
        Ok(())
    }
}

/// Gives request `id`'s result to the core.
fn feed(d: &mut Discovery, id: u16, fetched: Fetched) -> Result<(), String> {
    match fetched {
        Ok((status, ct, body)) => d.receive_http(id, status, ct.as_deref(), &body).map(|_| ()),
        Err(f) => d.fail_http(id, f),
    }
    .map_err(|e| e.to_string())
}

/// One GET with its redirects: a 2xx body up to the core's cap, another status without its body.
fn get(agent: &ureq::Agent, first: &str, deadline: Instant) -> Fetched {
    let mut url = first.to_owned();
    for hops in 0.. {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(HttpFailure::Timeout);
        }
        let mut response = agent
            .get(&url)
            .header("accept", "application/xml, text/xml;q=0.9, */*;q=0.1")
            .config()
            .timeout_global(Some(left))
            .build()
            .call()
            .map_err(|e| failure_of(&e))?;
        let status = response.status().as_u16();
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        let location = header("location");
        if let (301 | 302 | 303 | 307 | 308, Some(location)) = (status, location) {
            let next = absolute(&url, &location).ok_or(HttpFailure::NetworkError)?;
            if !host_web::redirect_allowed(first, &next) {
                return Err(HttpFailure::InsecureRedirect);
            }
            if hops >= host_web::MAX_HTTP_REDIRECTS {
                return Err(HttpFailure::NetworkError);
            }
            url = next;
            continue;
        }
        let content_type = header("content-type");
        if !(200..=299).contains(&status) {
            return Ok((status, content_type, Vec::new()));
        }
        let body = response
            .body_mut()
            .with_config()
            .limit(host_web::MAX_HTTP_BODY_BYTES as u64)
            .read_to_vec()
            .map_err(|e| match e {
                ureq::Error::BodyExceedsLimit(_) => HttpFailure::TooLarge,
                e => failure_of(&e),
            })?;
        return Ok((status, content_type, body));
    }
    Err(HttpFailure::NetworkError)
}

/// A `Location` made absolute against `base` (an absolute URL, or a path on `base`'s origin).
fn absolute(base: &str, location: &str) -> Option<String> {
    let uri = Uri::try_from(location).ok()?;
    if uri.scheme().is_some() {
        return Some(uri.to_string());
    }
    let base = Uri::try_from(base).ok()?;
    location.starts_with('/').then(|| {
        format!(
            "{}://{}{location}",
            base.scheme_str().unwrap_or("https"),
            base.authority().map(|a| a.as_str()).unwrap_or_default()
        )
    })
}

/// ureq's error as the core's HTTP failure: TLS errors (rustls reports them as invalid data on
/// the stream) are `TlsError`, time running out `Timeout`, anything else `NetworkError`.
fn failure_of(e: &ureq::Error) -> HttpFailure {
    match e {
        ureq::Error::Timeout(_) => HttpFailure::Timeout,
        ureq::Error::Tls(_) | ureq::Error::Rustls(_) => HttpFailure::TlsError,
        ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::InvalidData => {
            HttpFailure::TlsError
        }
        ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::TimedOut => HttpFailure::Timeout,
        _ => HttpFailure::NetworkError,
    }
}
