//! The HTTP and MX side of a discovery (feature `autoconfig`): the requests for provider
//! autoconfig, the well-known location, the ISPDB and the MX-derived lookups, what came back,
//! and the candidates the documents offer (decisions D26–D29).

use super::model::{Candidate, MxReport, OAuth2Info, RequestOutcome, RequestReport, Source, Trust};
use super::options::Options;
use crate::autoconfig::{AUTOCONFIG_MAX_BYTES, Autoconfig, Server};
use crate::diagnostic::{Diagnostic, DiagnosticCode};
use crate::dns::{
    DnssecSource, DnssecStatus, Outcome, build_mx_query, is_within, parse_mx_response,
};
use crate::error::{Error, ErrorCode};
use crate::identity::{EmailAddress, reference_identities, registrable_domain};
use crate::limits::{MAX_HTTP_REQUESTS, MAX_MX_RECORDS};
use crate::service::{Protocol, Security, Service};
use crate::shared::SharedStr;

/// One HTTP GET request of a discovery. The host fetches `url` and feeds the result back with
/// [`crate::Discovery::receive_http`] or [`crate::Discovery::fail_http`].
///
/// Redirects are the host's to follow, and only from `https` to `https` (a redirect that leaves
/// https is a [`HttpFailure::InsecureRedirect`]); whatever a redirect chain ends in counts as
/// the source of its first URL, the one listed here.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HttpRequest {
    /// The request id, used to feed its response back (numbered from 0, apart from the DNS
    /// question ids).
    pub id: u16,
    /// The URL to GET.
    pub url: String,
    /// What it is for.
    pub source: Source,
}

/// Why an HTTP request gave no response.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum HttpFailure {
    /// No response in time.
    Timeout,
    /// Name resolution, connection or transfer failed.
    NetworkError,
    /// The TLS handshake or the server's certificate failed.
    TlsError,
    /// A redirect would have left https.
    InsecureRedirect,
    /// The host stopped reading a body longer than it accepts.
    TooLarge,
}

/// One MX record, as parsed by the host's resolver.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MxRecord {
    /// The preference (lower is preferred).
    pub preference: u16,
    /// The exchange host name.
    pub exchange: String,
}

/// The MX question of a discovery: asked in the first round, beside the SRV questions.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MxQuestion {
    /// The name asked for: the email domain.
    pub name: String,
    /// Its DNS message ID: `message_id_base` plus the number of SRV questions (wrapping).
    pub message_id: u16,
    /// The wire-format query (`name` MX IN; RD, EDNS0, DO when `trust_ad` is on).
    pub wire: Vec<u8>,
}

/// What came of one request.
#[derive(Clone, Debug)]
pub(crate) enum Fetched {
    Document(Box<Autoconfig>),
    Problem(RequestOutcome, String),
}

#[derive(Clone, Debug)]
pub(crate) struct RequestState {
    pub request: HttpRequest,
    pub result: Option<Fetched>,
    /// The HTTP status fed back, if any.
    pub status: Option<u16>,
}

/// The MX lookup: `None` answer while pending.
#[derive(Clone, Debug)]
pub(crate) struct MxState {
    pub question: MxQuestion,
    pub name: String,
    pub outcome: Outcome,
    pub dnssec: DnssecStatus,
    /// How `dnssec` was obtained.
    pub dnssec_source: DnssecSource,
    /// Why the validator found the answer bogus or indeterminate.
    pub dnssec_reason: Option<String>,
    /// The answer went to the core's validator, which has not decided yet (D41).
    pub awaiting_validation: bool,
    pub first: Option<String>,
    pub ignored: usize,
}

/// The HTTP and MX state of a discovery.
#[derive(Clone, Debug, Default)]
pub(crate) struct Web {
    pub requests: Vec<RequestState>,
    pub mx: Option<MxState>,
    pub notes: Vec<Diagnostic>,
}

/// `%XX` for every byte of `text` but the RFC 3986 unreserved characters.
fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn ispdb(base: &str, domain: &str) -> String {
    if base.ends_with('/') {
        format!("{base}{domain}")
    } else {
        format!("{base}/{domain}")
    }
}

fn provider_url(scheme: &str, domain: &str, address: &EmailAddress) -> String {
    format!(
        "{scheme}://autoconfig.{domain}/mail/config-v1.1.xml?emailaddress={}",
        percent_encode(&address.to_string())
    )
}

impl Web {
    /// The first round: every request that depends on nothing (D26).
    pub(crate) fn start(
        address: &EmailAddress,
        options: &Options,
        mx_message_id: u16,
    ) -> Result<Self, Error> {
        let d = address.domain();
        let mut web = Self::default();
        if options.uses(Source::Autoconfig) {
            web.push(Source::Autoconfig, provider_url("https", d, address));
        }
        if options.uses(Source::WellKnown) {
            let url = format!("https://{d}/.well-known/autoconfig/mail/config-v1.1.xml");
            web.push(Source::WellKnown, url);
        }
        if options.uses(Source::AutoconfigHttp) {
            web.push(Source::AutoconfigHttp, provider_url("http", d, address));
        }
        if options.uses(Source::Ispdb) {
            web.push(Source::Ispdb, ispdb(&options.ispdb_url, d));
        }
        if options.uses(Source::MxAutoconfig) || options.uses(Source::MxIspdb) {
            let wire = build_mx_query(d, mx_message_id, options.trust_ad)?;
            web.mx = Some(MxState {
                question: MxQuestion {
                    name: d.to_owned(),
                    message_id: mx_message_id,
                    wire,
                },
                name: d.to_owned(),
                outcome: Outcome::Pending,
                dnssec: DnssecStatus::Insecure,
                dnssec_source: DnssecSource::None,
                dnssec_reason: None,
                awaiting_validation: false,
                first: None,
                ignored: 0,
            });
        }
        Ok(web)
    }

    /// Adds a request unless the same URL is already asked for or the cap is reached.
    fn push(&mut self, source: Source, url: String) {
        if self.requests.iter().any(|r| r.request.url == url) {
            return;
        }
        if self.requests.len() >= MAX_HTTP_REQUESTS {
            self.notes.push(Diagnostic {
                code: DiagnosticCode::IgnoredRecords,
                service: None,
                message: format!(
                    "a discovery makes at most {MAX_HTTP_REQUESTS} HTTP requests; `{url}` was \
                     not asked for"
                ),
            });
            return;
        }
        let id = u16::try_from(self.requests.len()).unwrap_or(u16::MAX);
        self.requests.push(RequestState {
            request: HttpRequest { id, url, source },
            result: None,
            status: None,
        });
    }

    /// Takes the MX answer: the first (lowest preference, then name) of at most
    /// [`MAX_MX_RECORDS`] records decides the MX-derived requests (draft §4, steps 3.1–3.4).
    pub(crate) fn receive_mx(
        &mut self,
        records: Vec<MxRecord>,
        dnssec: DnssecStatus,
        options: &Options,
    ) -> Result<(), Error> {
        let mx = self.pending_mx()?;
        mx.ignored = records.len().saturating_sub(MAX_MX_RECORDS);
        mx.dnssec = dnssec;
        mx.dnssec_source = DnssecSource::Host;
        mx.outcome = if records.is_empty() {
            Outcome::NoData
        } else {
            Outcome::Records
        };
        mx.first = records
            .into_iter()
            .take(MAX_MX_RECORDS)
            .map(|r| {
                (
                    r.preference,
                    r.exchange.trim_end_matches('.').to_ascii_lowercase(),
                )
            })
            .filter(|(_, h)| crate::dns::target_problem(h).is_none())
            .min()
            .map(|(_, h)| h);
        let Some(host) = mx.first.clone() else {
            return Ok(());
        };
        let base = registrable_domain(&host);
        let mut domains = Vec::new();
        if let Some((_, full)) = host.split_once('.')
            && full.len() > base.len()
            && full.contains('.')
        {
            domains.push(full.to_owned());
        }
        domains.push(base);
        if options.uses(Source::MxAutoconfig) {
            for d in &domains {
                let url = format!("https://autoconfig.{d}/mail/config-v1.1.xml");
                self.push(Source::MxAutoconfig, url);
            }
        }
        if options.uses(Source::MxIspdb) {
            for d in &domains {
                self.push(Source::MxIspdb, ispdb(&options.ispdb_url, d));
            }
        }
        Ok(())
    }

    /// Takes the wire-format MX response: checked like an SRV response (a foreign one is an
    /// `Err` and changes nothing); a truncated one leaves the question open for a TCP retry.
    pub(crate) fn receive_mx_wire(
        &mut self,
        bytes: &[u8],
        dnssec: Option<DnssecStatus>,
        options: &Options,
    ) -> Result<Outcome, Error> {
        let mx = self.pending_mx()?;
        let answer = parse_mx_response(bytes, mx.question.message_id, &mx.name)?;
        let (dnssec, source) = match dnssec {
            Some(status) => (status, DnssecSource::Host),
            None if options.trust_ad && answer.authentic_data => {
                (DnssecStatus::Secure, DnssecSource::TrustAd)
            }
            None => (DnssecStatus::Insecure, DnssecSource::None),
        };
        match answer.outcome {
            Outcome::Truncated => {}
            Outcome::Records | Outcome::NoData => {
                let over = answer
                    .notes
                    .iter()
                    .any(|(c, _)| *c == DiagnosticCode::IgnoredRecords);
                let records = answer
                    .records
                    .into_iter()
                    .filter(|r| !r.is_null_target())
                    .map(|r| MxRecord {
                        preference: r.priority,
                        exchange: r.target.into(),
                    })
                    .collect();
                self.receive_mx(records, dnssec, options)?;
                if let Some(mx) = self.mx.as_mut() {
                    mx.dnssec_source = source;
                }
                if over {
                    self.notes.push(Diagnostic {
                        code: DiagnosticCode::IgnoredRecords,
                        service: None,
                        message: format!(
                            "the MX answer for `{}` had more records than are read",
                            self.mx.as_ref().map_or("", |m| m.name.as_str())
                        ),
                    });
                }
            }
            other => self.fail_mx(other)?,
        }
        Ok(answer.outcome)
    }

    /// Reports that the MX lookup failed or found nothing.
    pub(crate) fn fail_mx(&mut self, outcome: Outcome) -> Result<(), Error> {
        self.pending_mx()?.outcome = outcome;
        Ok(())
    }

    /// Marks the MX answer as the validator's, and takes its decision (`None`: not yet). Until
    /// it is decided the answer counts as insecure and the plan is not final (D41).
    #[cfg(feature = "dnssec")]
    pub(crate) fn set_mx_validation(
        &mut self,
        validated: bool,
        status: Option<(DnssecStatus, Option<String>)>,
    ) {
        let Some(mx) = self.mx.as_mut() else {
            return;
        };
        if validated {
            mx.dnssec_source = DnssecSource::Validated;
        }
        if mx.dnssec_source != DnssecSource::Validated {
            return;
        }
        mx.awaiting_validation = status.is_none();
        let (dnssec, reason) = status.unwrap_or((DnssecStatus::Insecure, None));
        mx.dnssec = dnssec;
        mx.dnssec_reason = reason;
    }

    /// The MX question, if it is asked and still unanswered; otherwise the typed reason.
    fn pending_mx(&mut self) -> Result<&mut MxState, Error> {
        let Some(mx) = self.mx.as_mut() else {
            return Err(Error::new(
                ErrorCode::UnknownQuestion,
                "this discovery asks no MX question (no MX-derived source is in use)",
            ));
        };
        if mx.outcome != Outcome::Pending {
            return Err(Error::new(
                ErrorCode::AlreadyAnswered,
                format!("the MX question for `{}` already has an answer", mx.name),
            ));
        }
        Ok(mx)
    }

    fn slot(&mut self, id: u16) -> Result<&mut RequestState, Error> {
        let count = self.requests.len();
        match self.requests.get_mut(usize::from(id)) {
            Some(r) if r.result.is_some() => Err(Error::new(
                ErrorCode::AlreadyAnswered,
                format!("request {id} (`{}`) already has a result", r.request.url),
            )),
            Some(r) => Ok(r),
            None => Err(Error::new(
                ErrorCode::UnknownQuestion,
                format!("request id {id} is unknown; this discovery has ids 0..{count}"),
            )),
        }
    }

    /// Takes one HTTP response (D30: 2xx only; XML or plain-text content types; at most
    /// [`AUTOCONFIG_MAX_BYTES`]; the body through [`Autoconfig::parse`]).
    pub(crate) fn receive_http(
        &mut self,
        id: u16,
        status: u16,
        content_type: Option<&str>,
        body: &[u8],
        address: &EmailAddress,
    ) -> Result<RequestOutcome, Error> {
        let slot = self.slot(id)?;
        let url = slot.request.url.clone();
        let problem = |outcome, text: String| Fetched::Problem(outcome, text);
        let result = if !(200..300).contains(&status) {
            problem(
                RequestOutcome::HttpStatus,
                format!("`{url}`: HTTP status {status}"),
            )
        } else if let Some(ct) = content_type.filter(|ct| !acceptable_content_type(ct)) {
            problem(
                RequestOutcome::ContentType,
                format!(
                    "`{url}`: content type `{}` is not XML; the body was not read",
                    ct.chars().take(64).collect::<String>()
                ),
            )
        } else if body.len() > AUTOCONFIG_MAX_BYTES {
            problem(
                RequestOutcome::Refused,
                format!(
                    "`{url}`: the body has {} bytes, more than {AUTOCONFIG_MAX_BYTES}",
                    body.len()
                ),
            )
        } else {
            match Autoconfig::parse(body, address) {
                Ok(doc) => Fetched::Document(Box::new(doc)),
                Err(e) => problem(
                    RequestOutcome::Refused,
                    format!(
                        "`{url}`: the document was refused ({}: {})",
                        e.code().name(),
                        e.message()
                    ),
                ),
            }
        };
        let outcome = match &result {
            Fetched::Document(_) => RequestOutcome::Document,
            Fetched::Problem(o, _) => *o,
        };
        slot.result = Some(result);
        slot.status = Some(status);
        Ok(outcome)
    }

    /// Reports that request `id` gave no response.
    pub(crate) fn fail_http(&mut self, id: u16, failure: HttpFailure) -> Result<(), Error> {
        let slot = self.slot(id)?;
        let text = format!("`{}`: {:?}", slot.request.url, failure);
        slot.result = Some(Fetched::Problem(RequestOutcome::Failed, text));
        Ok(())
    }

    /// Whether nothing more can come: the MX answered and every request has a result.
    pub(crate) fn is_complete(&self) -> bool {
        self.mx
            .as_ref()
            .is_none_or(|m| m.outcome != Outcome::Pending && !m.awaiting_validation)
            && self.requests.iter().all(|r| r.result.is_some())
    }

    /// The request list of the plan.
    pub(crate) fn reports(&self) -> Vec<RequestReport> {
        self.requests
            .iter()
            .map(|r| {
                let outcome = match &r.result {
                    None => RequestOutcome::Pending,
                    Some(Fetched::Document(_)) => RequestOutcome::Document,
                    Some(Fetched::Problem(o, _)) => *o,
                };
                RequestReport {
                    id: r.request.id,
                    url: r.request.url.clone(),
                    source: r.request.source,
                    outcome,
                    status: r.status,
                }
            })
            .collect()
    }

    /// The MX entry of the plan.
    pub(crate) fn mx_report(&self) -> Option<MxReport> {
        self.mx.as_ref().map(|m| MxReport {
            name: m.name.clone(),
            outcome: m.outcome,
            dnssec: m.dnssec,
            dnssec_source: m.dnssec_source,
            host: m.first.clone(),
        })
    }

    /// The diagnostics of the HTTP side: refused or failed requests, the documents' own
    /// findings, and the MX cap.
    pub(crate) fn diagnostics(&self) -> Vec<Diagnostic> {
        let mut out = self.notes.clone();
        if let Some(mx) = self.mx.as_ref()
            && let Some(why) = &mx.dnssec_reason
        {
            let (code, what) = if mx.dnssec == DnssecStatus::Bogus {
                (DiagnosticCode::DnssecBogus, "DNSSEC-bogus")
            } else {
                (DiagnosticCode::LookupFailed, "of undecided DNSSEC status")
            };
            out.push(Diagnostic {
                code,
                service: None,
                message: format!(
                    "the MX answer for `{}` is {what}; no MX-derived candidate was used ({why})",
                    mx.name
                ),
            });
        }
        if let Some(mx) = self.mx.as_ref().filter(|m| m.ignored > 0) {
            out.push(Diagnostic {
                code: DiagnosticCode::IgnoredRecords,
                service: None,
                message: format!(
                    "`{}` has more than {MAX_MX_RECORDS} MX records; the {} after the first \
                     {MAX_MX_RECORDS} were ignored",
                    mx.name, mx.ignored
                ),
            });
        }
        for r in &self.requests {
            match &r.result {
                Some(Fetched::Problem(outcome, text)) => {
                    let code = match outcome {
                        RequestOutcome::HttpStatus => DiagnosticCode::HttpStatus,
                        RequestOutcome::ContentType => DiagnosticCode::HttpContentType,
                        RequestOutcome::Refused => DiagnosticCode::AutoconfigRefused,
                        _ => DiagnosticCode::HttpFailed,
                    };
                    out.push(Diagnostic {
                        code,
                        service: None,
                        message: text.clone(),
                    });
                }
                Some(Fetched::Document(doc)) => {
                    for d in &doc.diagnostics {
                        out.push(Diagnostic {
                            code: DiagnosticCode::AutoconfigFinding,
                            service: None,
                            message: format!("`{}`: {}", r.request.url, d.message),
                        });
                    }
                }
                None => {}
            }
        }
        out
    }

    /// Every candidate the documents offer, in source rank and document order (D29), each
    /// with its trust class (D27) and, when it needs one, what to confirm (D28).
    pub(crate) fn candidates(&self, address: &EmailAddress) -> Vec<Candidate> {
        let mx_secure = self
            .mx
            .as_ref()
            .is_some_and(|m| m.dnssec == DnssecStatus::Secure);
        // A bogus or undecidable MX answer is not used at all (D15, D41).
        let mx_unusable = self
            .mx
            .as_ref()
            .is_some_and(|m| matches!(m.dnssec, DnssecStatus::Bogus | DnssecStatus::Indeterminate));
        let mut documents: Vec<(&RequestState, &Autoconfig)> = self
            .requests
            .iter()
            .filter_map(|r| match &r.result {
                Some(Fetched::Document(doc)) => Some((r, doc.as_ref())),
                _ => None,
            })
            .collect();
        documents.sort_by_key(|(r, _)| (r.request.source.rank(), r.request.id));
        let mut out = Vec::new();
        for (r, doc) in documents {
            if mx_unusable && matches!(r.request.source, Source::MxAutoconfig | Source::MxIspdb) {
                continue;
            }
            let authenticated = match r.request.source {
                Source::Autoconfig | Source::WellKnown | Source::Ispdb => true,
                Source::MxAutoconfig | Source::MxIspdb => mx_secure,
                Source::Srv | Source::AutoconfigHttp => false,
            };
            for server in doc.incoming.iter().chain(&doc.outgoing) {
                if let Some(c) = candidate(address, r, doc, server, authenticated) {
                    out.push(c);
                }
            }
        }
        out
    }
}

/// Whether a response's content type is read (D30): `text/xml`, `application/xml`, any
/// `+xml` type, and `text/plain` (some servers send it for .xml files); parameters such as
/// `charset` are ignored.
pub(crate) fn acceptable_content_type(content_type: &str) -> bool {
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    matches!(
        essence.as_str(),
        "text/xml" | "application/xml" | "text/plain"
    ) || (essence.starts_with("application/") && essence.ends_with("+xml"))
}

/// The SRV label that speaks `protocol` with `security` (its candidates' SRV-ID).
fn service_for(protocol: Protocol, security: Security) -> Service {
    let implicit = security == Security::ImplicitTls;
    match (protocol, implicit) {
        (Protocol::Imap, true) => Service::Imaps,
        (Protocol::Imap, false) => Service::Imap,
        (Protocol::Pop3, true) => Service::Pop3s,
        (Protocol::Pop3, false) => Service::Pop3,
        (Protocol::Submission, true) => Service::Submissions,
        (Protocol::Submission, false) => Service::Submission,
    }
}

/// One document server as a candidate (the trust class decided by [`trust_of`]).
fn candidate(
    address: &EmailAddress,
    r: &RequestState,
    doc: &Autoconfig,
    server: &Server,
    authenticated: bool,
) -> Option<Candidate> {
    let protocol = server.mail_protocol()?;
    let domain = address.domain();
    let host = SharedStr::from(server.host.as_str());
    let security = server.security;
    let service = service_for(protocol, security);
    let trust = trust_of(domain, &host, authenticated);
    let tls = security != Security::Cleartext;
    let identities_secure = matches!(trust, Trust::Authenticated);
    Some(Candidate {
        service,
        protocol,
        port: server.port,
        security,
        priority: 0,
        weight: 0,
        trust,
        reference_identities: if tls {
            reference_identities(domain, service, &host, identities_secure)
        } else {
            Vec::new()
        },
        sni: tls.then(|| domain.into()),
        sni_alternative: (tls && host != domain).then(|| host.clone()),
        alpn: match protocol {
            Protocol::Imap if tls => vec!["imap".into()],
            Protocol::Pop3 if tls => vec!["pop3".into()],
            _ => Vec::new(),
        },
        usernames: match &server.username {
            Some(u) => vec![u.into()],
            None => vec![address.to_string().into(), address.local_part().into()],
        },
        addresses: Vec::new(),
        source: r.request.source,
        origin: r.request.url.as_str().into(),
        sources: Vec::new(),
        confirm: (trust == Trust::NeedsConfirmation).then(|| registrable_domain(&host).into()),
        authentication: server.authentication.iter().map(|a| a.name()).collect(),
        oauth2: doc.oauth2.as_ref().map(|o| OAuth2Info {
            issuer: o.issuer.clone(),
            scope: o.scope.clone(),
            auth_url: o.auth_url.clone(),
            token_url: o.token_url.clone(),
        }),
        #[cfg(feature = "dnssec")]
        addresses_dnssec: None,
        #[cfg(feature = "dnssec")]
        addresses_source: None,
        #[cfg(feature = "dnssec")]
        tlsa: None,
        host,
    })
}

/// The trust class of a target named by a mapping (D27): in the email domain, else
/// authenticated when the mapping was, else to be confirmed.
pub(crate) fn trust_of(domain: &str, host: &str, authenticated: bool) -> Trust {
    if is_within(host, domain) {
        Trust::InDomain
    } else if authenticated {
        Trust::Authenticated
    } else {
        Trust::NeedsConfirmation
    }
}
