//! Reference identities: what a server's certificate must name, built once for planning and
//! verification (RFC 6125 §6, RFC 7817, decisions D7–D9).

use serde::{Deserialize, Serialize};

use crate::service::Service;
use crate::shared::SharedStr;

/// A reference identity for the certificate check.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReferenceIdentity {
    /// The identifier type.
    #[serde(rename = "type")]
    pub kind: IdentityKind,
    /// The value, e.g. `_imaps.example.net` or `example.net`.
    pub value: SharedStr,
}

/// The reference identities, in the order they are tried, that a TLS server named by an SRV
/// record must present (RFC 6186 §4, RFC 7817 §3, RFC 6125 §6): the SRV-ID `_<label>.<domain>`,
/// the DNS-ID `<domain>`, and — only when the SRV answer was DNSSEC-secure (D9) — the target
/// host as a DNS-ID. `domain` and `host` are lower-case A-labels without a trailing dot.
///
/// The one rule for both planning (each TLS candidate's list) and verification ([`Subject`]).
///
/// [`Subject`]: crate::Subject
pub fn reference_identities(
    domain: &str,
    service: Service,
    host: &str,
    dnssec_secure: bool,
) -> Vec<ReferenceIdentity> {
    // One allocation for the SRV-ID, no formatting call (issue 16 §1).
    let srv_id: SharedStr = ["_", service.label(), ".", domain].concat().into();
    shared_reference_identities(&srv_id, &domain.into(), &host.into(), dnssec_secure)
}

/// The rule of [`reference_identities`] on strings a plan shares (decision D59): the SRV-ID, the domain
/// and the host are cloned, not copied.
pub(crate) fn shared_reference_identities(
    srv_id: &SharedStr,
    domain: &SharedStr,
    host: &SharedStr,
    dnssec_secure: bool,
) -> Vec<ReferenceIdentity> {
    // Room for the third at once.
    let mut refs = Vec::with_capacity(3);
    refs.push(ReferenceIdentity {
        kind: IdentityKind::SrvId,
        value: srv_id.clone(),
    });
    refs.push(ReferenceIdentity {
        kind: IdentityKind::DnsId,
        value: domain.clone(),
    });
    if dnssec_secure && host != domain {
        refs.push(ReferenceIdentity {
            kind: IdentityKind::DnsId,
            value: host.clone(),
        });
    }
    refs
}

/// Reference-identifier types (RFC 6125 §1.8).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum IdentityKind {
    /// An RFC 4985 SRVName, `_service.domain`.
    SrvId,
    /// A dNSName.
    DnsId,
    /// Only in a verdict's `matched`: a DANE-EE(3) TLSA record matched the server's certificate
    /// or key (RFC 7671 §5.1); the value is the record.
    DaneEe,
    /// Only in a verdict's `matched`: a DANE-TA(2) TLSA record named the trust anchor of the
    /// validated path (RFC 7671 §5.2); the value is the record.
    DaneTa,
    /// Only in a verdict's `matched`: a PKIX-TA(0) TLSA record matched a CA of the PKIX-validated
    /// path (RFC 6698 §2.1.1); the value is the record.
    PkixTa,
    /// Only in a verdict's `matched`: a PKIX-EE(1) TLSA record matched the PKIX-validated
    /// server certificate (RFC 6698 §2.1.1); the value is the record.
    PkixEe,
}
