//! What the host asks the planner for.

use serde::{Deserialize, Serialize};

use super::model::Source;
use crate::error::{Error, ErrorCode};
use crate::service::{Security, Service};

/// The default [`Options::sources`]: every source but plain HTTP with the `autoconfig`
/// feature, SRV alone without it.
fn default_sources() -> Vec<Source> {
    if cfg!(feature = "autoconfig") {
        Source::ALL
            .into_iter()
            .filter(|s| *s != Source::AutoconfigHttp)
            .collect()
    } else {
        vec![Source::Srv]
    }
}

/// Planner options. `Options::default()` is the secure default of RFC 8314 §5.2: every service,
/// TLS required, STARTTLS allowed, cleartext refused, implicit TLS first, IMAP on a tie, and the
/// resolver's AD bit not trusted. Build it with `Options { trust_ad: true, ..Options::default() }`
/// so that fields added later keep their defaults.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct Options {
    /// Look for IMAP (`_imaps`, `_imap`).
    pub imap: bool,
    /// Look for POP3 (`_pop3s`, `_pop3`).
    pub pop3: bool,
    /// Look for submission (`_submissions`, `_submission`).
    pub submission: bool,
    /// The weakest protection a candidate may have (RFC 8314 §5.1, §5.2).
    pub minimum_security: MinimumSecurity,
    /// How implicit-TLS and STARTTLS candidates of one protocol are merged (decision D3).
    pub tls_order: TlsOrder,
    /// The protocol to choose when IMAP and POP3 have the same best priority (RFC 6186 §3.4, D2).
    pub prefer: IncomingPreference,
    /// Count the AD bit of wire responses as "DNSSEC-secure": only when the host's resolver is a
    /// trusted, validating resolver reached over a secure channel (RFC 4035 §4.9.3; D15). Also
    /// sets the DO bit in the queries.
    pub trust_ad: bool,
    /// DNS message ID of the first question; question *n* uses `message_id_base + n` (wrapping).
    /// Pick it at random for UDP; leave it 0 for DNS over HTTPS (RFC 8484 §4.1).
    pub message_id_base: u16,
    /// The sources to use (decision D26). The default is every source but plain-HTTP autoconfig
    /// (opt-in: `autoconfig-http`); a build without the `autoconfig` feature offers SRV only
    /// and refuses any other source.
    pub sources: Vec<Source>,
    /// The ISPDB base URL: `<base>/<domain>` is asked for. Must be `https://`. The default is
    /// Thunderbird's live service.
    pub ispdb_url: String,
    /// Validate DNSSEC in the core (feature `dnssec`; issue 14, decision D41). Off (`None`) by
    /// default: validation needs the host's clock (signature validity is checked against
    /// [`DnssecValidation::now`]) and the core has none, so only the host can turn it on. When
    /// on, the validator decides every SRV answer's status and [`Options::trust_ad`] is not used
    /// for them. Builds without the feature (the browser module) have no such option: a
    /// `dnssec` key is refused as an unknown field.
    #[cfg(feature = "dnssec")]
    #[serde(default)]
    pub dnssec: Option<DnssecValidation>,
}

/// What DNSSEC validation needs from the host: the time and the trust anchors.
#[cfg(feature = "dnssec")]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DnssecValidation {
    /// The host's current time, in seconds since 1970-01-01 UTC (RRSIG validity, RFC 4034 §3.1.5).
    pub now: u64,
    /// Trust anchors as the text of an `unbound`-style trust-anchor file (DS or DNSKEY records in
    /// presentation format, at most `dnssec::anchor::MAX_ANCHOR_TEXT` bytes). `None`: the IANA
    /// root anchors built into the core (`dnssec::anchor::IANA_ROOT_ANCHORS`).
    #[serde(default)]
    pub trust_anchors: Option<String>,
}

/// Thunderbird's live ISPDB service, the default [`Options::ispdb_url`].
pub const DEFAULT_ISPDB_URL: &str = "https://autoconfig.thunderbird.net/v1.1/";

impl Default for Options {
    fn default() -> Self {
        Self {
            imap: true,
            pop3: true,
            submission: true,
            minimum_security: MinimumSecurity::Starttls,
            tls_order: TlsOrder::ImplicitFirst,
            prefer: IncomingPreference::Imap,
            trust_ad: false,
            message_id_base: 0,
            sources: default_sources(),
            ispdb_url: DEFAULT_ISPDB_URL.to_owned(),
            #[cfg(feature = "dnssec")]
            dnssec: None,
        }
    }
}

impl Options {
    /// These options with DNSSEC validation on, at `now` (seconds since 1970, UTC), from
    /// `trust_anchors` (trust-anchor file text; `None` for the built-in IANA root anchors).
    #[cfg(feature = "dnssec")]
    pub fn validate_dnssec(mut self, trust_anchors: Option<String>, now: u64) -> Self {
        self.dnssec = Some(DnssecValidation { now, trust_anchors });
        self
    }

    /// The trust anchors of [`Options::dnssec`], parsed; `None` when validation is off.
    #[cfg(feature = "dnssec")]
    pub(crate) fn trust_anchors(
        &self,
    ) -> Result<Option<crate::dnssec::anchor::TrustAnchors>, Error> {
        use crate::dnssec::anchor::TrustAnchors;
        let Some(v) = &self.dnssec else {
            return Ok(None);
        };
        let anchors = match &v.trust_anchors {
            None => TrustAnchors::iana_root(),
            Some(text) => TrustAnchors::parse(text).map_err(|e| {
                Error::new(
                    ErrorCode::InvalidOption,
                    format!("dnssec.trustAnchors: {e}"),
                )
            })?,
        };
        if anchors.is_empty() {
            return Err(Error::new(
                ErrorCode::InvalidOption,
                "dnssec.trustAnchors holds no DS or DNSKEY record",
            ));
        }
        Ok(Some(anchors))
    }

    /// The labels these options ask for, in question order.
    pub fn services(&self) -> Vec<Service> {
        Service::ALL
            .into_iter()
            .filter(|s| match s {
                Service::Submissions | Service::Submission => self.submission,
                Service::Imaps | Service::Imap => self.imap,
                Service::Pop3s | Service::Pop3 => self.pop3,
            })
            .collect()
    }

    /// Whether `source` is in use.
    pub fn uses(&self, source: Source) -> bool {
        self.sources.contains(&source)
    }

    /// Rejects option sets that cannot produce a plan.
    pub fn validate(&self) -> Result<(), Error> {
        let needs_feature = self.sources.iter().find(|s| **s != Source::Srv);
        if let Some(s) = needs_feature.filter(|_| !cfg!(feature = "autoconfig")) {
            return Err(Error::new(
                ErrorCode::InvalidOption,
                format!(
                    "source `{}` needs the `autoconfig` feature, which this build leaves out",
                    s.as_str()
                ),
            ));
        }
        if !self.ispdb_url.starts_with("https://") || self.ispdb_url.len() > 512 {
            return Err(Error::new(
                ErrorCode::InvalidOption,
                "the ISPDB URL must be an https:// URL of at most 512 bytes",
            ));
        }
        #[cfg(feature = "dnssec")]
        self.trust_anchors()?;
        if !(self.imap || self.pop3 || self.submission) {
            return Err(Error::new(
                ErrorCode::InvalidOption,
                "no service selected: enable at least one of imap, pop3 and submission",
            ));
        }
        Ok(())
    }
}

/// The minimum protection (RFC 8314 §5.1 "minimum confidentiality level").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MinimumSecurity {
    /// Only implicit-TLS services (`_imaps`, `_pop3s`, `_submissions`).
    ImplicitTls,
    /// TLS required; STARTTLS services are allowed (the default).
    Starttls,
    /// Also list cleartext fallbacks after every TLS candidate. Opt-in only (RFC 8314 §5.2).
    Cleartext,
}

impl MinimumSecurity {
    /// Whether a candidate with `security` meets this minimum.
    pub fn admits(self, security: Security) -> bool {
        match self {
            Self::ImplicitTls => security == Security::ImplicitTls,
            Self::Starttls => security != Security::Cleartext,
            Self::Cleartext => true,
        }
    }
}

/// Order of implicit-TLS and STARTTLS candidates of one protocol (decision D3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TlsOrder {
    /// Every implicit-TLS candidate before every STARTTLS candidate (the default; RFC 8314 §3).
    ImplicitFirst,
    /// Merge by SRV priority; implicit TLS first on equal priority.
    DomainPriority,
}

/// The incoming protocol to choose on a priority tie.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum IncomingPreference {
    /// IMAP (the default).
    Imap,
    /// POP3.
    Pop3,
}
