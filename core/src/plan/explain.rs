//! The human "why" of a candidate's place in a plan, one text for every surface (the CLI's
//! table, the Rust example, the C host).

use serde::Deserialize;

#[cfg(feature = "dnssec")]
use crate::plan::TlsaStatus;
use crate::plan::{Candidate, Source, Trust};
use crate::service::{Security, Service};

/// What the explanation of a candidate is made from; a plan's candidate (or its JSON) gives it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Ranked {
    /// The SRV label.
    pub service: Service,
    /// The SRV priority.
    pub priority: u16,
    /// The SRV weight.
    pub weight: u16,
    /// How the connection is secured.
    pub security: Security,
    /// How far the target is trusted.
    pub trust: Trust,
    /// Where it came from (`srv` when absent, as in plans from before D26).
    #[serde(default)]
    pub source: Source,
    /// The status of its TLSA lookup (issue 15), when the core validated one: read from the
    /// candidate's `tlsa.status`. Feature `dnssec`.
    #[cfg(feature = "dnssec")]
    #[serde(default, rename = "tlsa", deserialize_with = "tlsa_status")]
    pub tlsa: Option<TlsaStatus>,
}

/// Reads `{"status": …}` (a candidate's `tlsa` object, other fields ignored) as its status.
#[cfg(feature = "dnssec")]
fn tlsa_status<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<TlsaStatus>, D::Error> {
    #[derive(Deserialize)]
    struct Brief {
        status: TlsaStatus,
    }
    Ok(Option::<Brief>::deserialize(d)?.map(|b| b.status))
}

impl From<&Candidate> for Ranked {
    fn from(c: &Candidate) -> Self {
        Self {
            service: c.service,
            priority: c.priority,
            weight: c.weight,
            security: c.security,
            trust: c.trust,
            source: c.source,
            #[cfg(feature = "dnssec")]
            tlsa: c.tlsa.as_ref().map(|t| t.status),
        }
    }
}

/// Why candidate `index` of `side` (one side's ranked list) is where it is, e.g.
/// `implicit TLS, _imaps priority 0, weight 60/100 drawn; in your domain`. The weight is shown
/// only when its priority level of the same label had more than one record to draw from.
/// An index out of range gives an empty text.
pub fn why(side: &[Ranked], index: usize) -> String {
    let Some(c) = side.get(index) else {
        return String::new();
    };
    let level = side
        .iter()
        .filter(|o| o.service == c.service && o.priority == c.priority);
    let (peers, sum) = level.fold((0usize, 0u32), |(n, s), o| (n + 1, s + u32::from(o.weight)));
    let security = match c.security {
        Security::ImplicitTls => "implicit TLS",
        Security::Starttls => "STARTTLS",
        Security::Cleartext => "cleartext (allowed by you)",
    };
    let draw = if peers > 1 {
        format!(", weight {}/{sum} drawn", c.weight)
    } else {
        String::new()
    };
    let trust = match c.trust {
        Trust::DnssecSecure => "DNSSEC-secure",
        Trust::InDomain => "in your domain",
        Trust::NeedsConfirmation => "outside your domain: confirm or verify",
        Trust::Authenticated => "named over https",
    };
    #[cfg(not(feature = "dnssec"))]
    let dane = "";
    #[cfg(feature = "dnssec")]
    let dane = match c.tlsa {
        None => "",
        Some(TlsaStatus::Secure) => "; DANE: its TLSA records decide the certificate check",
        Some(TlsaStatus::Absent) => "; no TLSA record (proven): DANE does not apply",
        Some(TlsaStatus::Insecure) => "; TLSA not DNSSEC-secure: DANE does not apply",
        Some(TlsaStatus::Pending) => "; TLSA still being validated",
        Some(TlsaStatus::Bogus | TlsaStatus::Indeterminate) => "; TLSA unusable: do not connect",
    };
    let from = match c.source {
        Source::Srv => {
            return format!(
                "{security}, _{} priority {}{draw}; {trust}{dane}",
                c.service.label(),
                c.priority
            );
        }
        Source::Autoconfig => "your provider's autoconfig",
        Source::WellKnown => "your domain's well-known autoconfig",
        Source::Ispdb => "the ISPDB",
        Source::MxAutoconfig => "your mail exchanger's autoconfig",
        Source::MxIspdb => "the ISPDB entry of your mail exchanger",
        Source::AutoconfigHttp => "autoconfig over plain HTTP",
    };
    format!("{security}, from {from}; {trust}")
}

/// Every source that named `c`, each with the URL or DNS name it came from, as hosts print it:
/// `autoconfig https://autoconfig.example.net/...; ispdb https://...` (decision D26).
pub fn sources(c: &Candidate) -> String {
    if c.sources.is_empty() {
        return format!("{} {}", c.source.as_str(), c.origin);
    }
    c.sources
        .iter()
        .map(|p| format!("{} {}", p.source.as_str(), p.origin))
        .collect::<Vec<_>>()
        .join("; ")
}

/// [`why`] for every candidate of one side of a plan.
pub fn whys(side: &[Candidate]) -> Vec<String> {
    let ranked: Vec<Ranked> = side.iter().map(Ranked::from).collect();
    whys_of(&ranked)
}

/// [`why`] for every entry of one side given as [`Ranked`] (a plan's JSON, say).
pub fn whys_of(side: &[Ranked]) -> Vec<String> {
    (0..side.len()).map(|i| why(side, i)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(service: Service, priority: u16, weight: u16, security: Security, trust: Trust) -> Ranked {
        Ranked {
            service,
            priority,
            weight,
            security,
            trust,
            source: Source::Srv,
            #[cfg(feature = "dnssec")]
            tlsa: None,
        }
    }

    #[test]
    fn s2782_wt2_the_weight_is_explained_only_when_a_level_had_a_draw() {
        let side = [
            r(
                Service::Imaps,
                0,
                60,
                Security::ImplicitTls,
                Trust::InDomain,
            ),
            r(
                Service::Imaps,
                0,
                40,
                Security::ImplicitTls,
                Trust::InDomain,
            ),
            r(
                Service::Imap,
                0,
                5,
                Security::Starttls,
                Trust::NeedsConfirmation,
            ),
            r(
                Service::Imap,
                10,
                1,
                Security::Cleartext,
                Trust::DnssecSecure,
            ),
        ];
        assert_eq!(
            why(&side, 0),
            "implicit TLS, _imaps priority 0, weight 60/100 drawn; in your domain"
        );
        assert_eq!(
            why(&side, 1),
            "implicit TLS, _imaps priority 0, weight 40/100 drawn; in your domain"
        );
        assert_eq!(
            why(&side, 2),
            "STARTTLS, _imap priority 0; outside your domain: confirm or verify"
        );
        assert_eq!(
            why(&side, 3),
            "cleartext (allowed by you), _imap priority 10; DNSSEC-secure"
        );
        assert_eq!(why(&side, 4), "");
    }

    #[cfg(feature = "dnssec")]
    #[test]
    fn s7673_3_4a_the_tlsa_status_is_explained_and_read_from_a_plans_json() {
        let json = r#"{"service":"imaps","priority":0,"weight":1,"security":"implicit-tls",
            "trust":"dnssec-secure","tlsa":{"name":"_993._tcp.mail.example","status":"secure",
            "records":["3 1 1 00"]}}"#;
        let ranked: Ranked = serde_json::from_str(json).unwrap();
        assert_eq!(ranked.tlsa, Some(TlsaStatus::Secure));
        assert_eq!(
            why(&[ranked], 0),
            "implicit TLS, _imaps priority 0; DNSSEC-secure; DANE: its TLSA records decide the \
             certificate check"
        );
        let mut absent = ranked;
        absent.tlsa = Some(TlsaStatus::Absent);
        assert!(why(&[absent], 0).ends_with("no TLSA record (proven): DANE does not apply"));
        let plain: Ranked = serde_json::from_str(
            r#"{"service":"imaps","priority":0,"weight":1,"security":"implicit-tls",
            "trust":"in-domain"}"#,
        )
        .unwrap();
        assert_eq!(plain.tlsa, None);
    }
}
