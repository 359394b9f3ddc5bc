//! Server identity matching per RFC 6125 §6 as updated by RFC 9525 and RFC 7817: presented
//! identifiers from a certificate against the reference identifiers of a candidate.
//!
//! Strict rules (decisions D8–D12):
//! - DNS-IDs compare label by label, ASCII case-insensitively, on A-labels. A wildcard is only a
//!   single `*` forming the whole left-most label, matches exactly one label, and never stands
//!   directly above a public suffix (`*.com`, `*.co.uk`). Public suffixes come from the `psl`
//!   crate's compiled-in copy of the Public Suffix List (ICANN and private sections), updated
//!   with that crate's releases.
//! - SRV-IDs (RFC 4985) are `_service.name`: the service compares exactly (case-insensitively:
//!   `imap` ≠ `imaps`), the name label by label; wildcards are never honoured.
//! - Presented identifiers that are malformed (NUL or other bytes outside letters, digits and
//!   `-`, an IP literal, a partial-label wildcard) never match; they are reported, not fatal.

use serde::Serialize;

/// What a certificate presents, as shown to users and reported in a verdict.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PresentedIdentity {
    /// The identifier type.
    #[serde(rename = "type")]
    pub kind: PresentedKind,
    /// The value as presented (non-printable bytes escaped).
    pub value: String,
    /// Why the identifier can never match, if it is malformed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub invalid: Option<String>,
}

/// Presented-identifier types.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PresentedKind {
    /// subjectAltName dNSName.
    DnsId,
    /// subjectAltName otherName SRVName (RFC 4985).
    SrvId,
    /// subjectAltName uniformResourceIdentifier (never used for mail: RFC 7817 §3).
    UriId,
    /// The subject's Common Name (used only in legacy mode, and never when SANs exist).
    CnId,
}

/// Why a presented DNS-ID (or CN-ID) is malformed, if it is.
pub(crate) fn dns_id_problem(presented: &str) -> Option<String> {
    let name = presented.strip_suffix('.').unwrap_or(presented);
    if name.is_empty() {
        return Some("empty name".into());
    }
    let labels: Vec<&str> = name.split('.').collect();
    for (i, label) in labels.iter().enumerate() {
        if label.is_empty() {
            return Some("empty label".into());
        }
        if *label == "*" && i == 0 {
            continue;
        }
        if label.contains('*') {
            return Some(format!(
                "wildcard in `{label}` is not a whole left-most label"
            ));
        }
        if let Some(b) = label
            .bytes()
            .find(|b| !(b.is_ascii_alphanumeric() || *b == b'-'))
        {
            return Some(format!("byte 0x{b:02x} is not allowed in a host name"));
        }
        if label.starts_with('-') || label.ends_with('-') || label.len() > 63 {
            return Some(format!("label `{label}` is not a valid host-name label"));
        }
    }
    if labels
        .last()
        .is_some_and(|l| l.bytes().all(|b| b.is_ascii_digit()))
    {
        return Some("an IP address is not a DNS name".into());
    }
    if labels[0] == "*" {
        let base = labels[1..].join(".");
        if labels.len() < 3 {
            return Some("a wildcard needs at least two labels after it".into());
        }
        if is_public_suffix(&base) {
            return Some(format!(
                "wildcard directly above the public suffix `{base}`"
            ));
        }
    }
    None
}

/// True when `name` is itself a public suffix (e.g. `com`, `co.uk`, `github.io`), by the Public
/// Suffix List compiled into the `psl` crate.
#[cfg(feature = "public-suffix-list")]
pub(crate) fn is_public_suffix(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    match psl::suffix(lower.as_bytes()) {
        Some(suffix) => suffix.as_bytes().len() == lower.len(),
        None => false,
    }
}

/// True when `name` may be a public suffix, by a conservative rule used when the full list is
/// not compiled in: a single label (`com`), or two labels ending in a two-letter country code
/// whose first label has at most four letters (`co.uk`, `com.au`, `gov.br`), or one of a few
/// widely used two-label private suffixes. It refuses more wildcards than the full list would
/// (e.g. `*.ab.cd`), never fewer among those shapes; longer private suffixes are not covered.
#[cfg(not(feature = "public-suffix-list"))]
pub(crate) fn is_public_suffix(name: &str) -> bool {
    const PRIVATE: &[&str] = &[
        "github.io",
        "gitlab.io",
        "blogspot.com",
        "herokuapp.com",
        "netlify.app",
        "vercel.app",
        "pages.dev",
        "workers.dev",
        "appspot.com",
        "azurewebsites.net",
        "cloudfront.net",
        "amazonaws.com",
        "firebaseapp.com",
        "web.app",
        "fly.dev",
        "onrender.com",
    ];
    let lower = name.to_ascii_lowercase();
    let labels: Vec<&str> = lower.split('.').collect();
    match labels.as_slice() {
        [_] => true,
        [first, cc] => (cc.len() == 2 && first.len() <= 4) || PRIVATE.contains(&lower.as_str()),
        _ => false,
    }
}

/// Whether presented DNS-ID `presented` matches reference DNS-ID `reference` (both A-labels).
pub(crate) fn dns_id_matches(presented: &str, reference: &str) -> bool {
    if dns_id_problem(presented).is_some() {
        return false;
    }
    let p = presented.strip_suffix('.').unwrap_or(presented);
    let r = reference.strip_suffix('.').unwrap_or(reference);
    let pl: Vec<&str> = p.split('.').collect();
    let rl: Vec<&str> = r.split('.').collect();
    if pl.len() != rl.len() {
        return false;
    }
    pl.iter()
        .zip(&rl)
        .enumerate()
        .all(|(i, (p, r))| (i == 0 && *p == "*" && !r.is_empty()) || p.eq_ignore_ascii_case(r))
}

/// Splits a presented SRVName into `(service, name)`, or says why it is malformed (D12).
pub(crate) fn parse_srv_id(presented: &str) -> Result<(&str, &str), String> {
    let Some(rest) = presented.strip_prefix('_') else {
        return Err("an SRVName must start with `_`".into());
    };
    let Some((service, name)) = rest.split_once('.') else {
        return Err("an SRVName needs a name after the service".into());
    };
    if service.is_empty()
        || !service
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
    {
        return Err(format!("`{service}` is not a service name"));
    }
    if name.starts_with("_tcp.") || name.starts_with("_udp.") {
        return Err("an SRVName carries no protocol label (RFC 4985 §2)".into());
    }
    if name.contains('*') {
        return Err("wildcards are never honoured in SRV-IDs".into());
    }
    if let Some(problem) = dns_id_problem(name) {
        return Err(problem);
    }
    Ok((service, name))
}

/// Whether presented SRVName `presented` matches the reference `_service.domain`.
pub(crate) fn srv_id_matches(presented: &str, service: &str, domain: &str) -> bool {
    match parse_srv_id(presented) {
        Ok((s, n)) => {
            s.eq_ignore_ascii_case(service) && dns_id_matches(n, domain) && !n.contains('*')
        }
        Err(_) => false,
    }
}

/// Whether `name` is inside a dNSName name-constraint `base` (RFC 5280 §4.2.1.10): `base` and
/// its subdomains, or with a leading dot only its subdomains. Label-wise, case-insensitive.
pub(crate) fn within_dns_constraint(name: &str, base: &str) -> bool {
    if base.is_empty() {
        return true;
    }
    match base.strip_prefix('.') {
        Some(parent) => {
            name.len() > parent.len()
                && crate::dns::is_within(name, parent)
                && !name.eq_ignore_ascii_case(parent)
        }
        None => crate::dns::is_within(name, base),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Requirements: S7817-3g, S6125-6.4b, S9525-A, D11.
    #[test]
    fn security_scenario_65_wildcard_table() {
        let cases = [
            ("*.example.com", "imap.example.com", true),
            ("*.example.com", "IMAP.Example.COM", true),
            ("*.example.com", "example.com", false),
            ("*.example.com", "a.b.example.com", false),
            ("f*.example.com", "foo.example.com", false),
            ("ba*.example.com", "bar.example.com", false),
            ("*oo.example.com", "foo.example.com", false),
            ("foo.*.example.com", "foo.bar.example.com", false),
            ("*", "com", false),
            ("*.com", "example.com", false),
            ("*.co.uk", "example.co.uk", false),
            ("*.github.io", "user.github.io", false),
            ("xn--*-abc.example.com", "xn--x-abc.example.com", false),
            ("**.example.com", "a.example.com", false),
            ("*.example.co.uk", "mail.example.co.uk", true),
            ("example.com.", "example.com", true),
        ];
        for (presented, reference, expected) in cases {
            assert_eq!(
                dns_id_matches(presented, reference),
                expected,
                "{presented} vs {reference}"
            );
        }
    }

    #[test]
    fn security_scenario_70_68_nul_underscore_and_ip_literals_never_match() {
        assert!(!dns_id_matches(
            "www.example.com\0.evil.com",
            "www.example.com"
        ));
        assert!(
            dns_id_problem("www.example.com\0.evil.com")
                .unwrap()
                .contains("0x00")
        );
        assert!(!dns_id_matches(
            "foo_bar.example.com",
            "foo_bar.example.com"
        ));
        assert!(!dns_id_matches("192.0.2.1", "192.0.2.1"));
    }

    #[test]
    fn s6125_6_4a_idn_compares_as_a_labels() {
        assert!(dns_id_matches(
            "XN--BCHER-KVA.example",
            "xn--bcher-kva.example"
        ));
        assert!(
            dns_id_problem("bücher.example").is_some(),
            "U-labels are not valid presented names"
        );
    }

    // Requirements: S6125-6.3b, S6125-6.5a, S9525-6.5a, S4985-2b, S4985-2c, D11.
    #[test]
    fn security_scenario_61_62_63_srv_id_service_and_domain_both_match() {
        assert!(srv_id_matches("_imaps.example.com", "imaps", "example.com"));
        assert!(srv_id_matches("_IMAPS.Example.COM", "imaps", "example.com"));
        assert!(!srv_id_matches("_imap.example.com", "imaps", "example.com"));
        assert!(!srv_id_matches(
            "_submission.example.com",
            "submissions",
            "example.com"
        ));
        assert!(!srv_id_matches("_xmpp.example.com", "imaps", "example.com"));
        assert!(!srv_id_matches(
            "_imaps.example.net",
            "imaps",
            "example.com"
        ));
        assert!(!srv_id_matches(
            "_imaps.*.example.com",
            "imaps",
            "a.example.com"
        ));
        assert!(!srv_id_matches("_imaps.*.com", "imaps", "example.com"));
        assert!(!srv_id_matches("imaps.example.com", "imaps", "example.com"));
        assert!(!srv_id_matches(
            "_imaps._tcp.example.com",
            "imaps",
            "example.com"
        ));
        assert!(srv_id_matches(
            "_imaps.xn--f-5gaa.com",
            "imaps",
            "xn--f-5gaa.com"
        ));
    }

    #[test]
    fn name_constraint_subtrees_are_label_wise() {
        assert!(within_dns_constraint("bar.example.com", "example.com"));
        assert!(within_dns_constraint("example.com", "example.com"));
        assert!(!within_dns_constraint("evilexample.com", "example.com"));
        assert!(within_dns_constraint("a.example.com", ".example.com"));
        assert!(!within_dns_constraint("example.com", ".example.com"));
    }
}
