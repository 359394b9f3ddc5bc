//! The six RFC 6186 / RFC 8314 service labels and what each implies.

use serde::{Deserialize, Serialize};

/// An SRV service label for mail (RFC 6186 §3, RFC 8314 §5.1; decision D23 for the spelling).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Service {
    /// `_submissions._tcp`: submission over implicit TLS (RFC 8314 §5.1).
    Submissions,
    /// `_submission._tcp`: submission with STARTTLS (RFC 6186 §3.1).
    Submission,
    /// `_imaps._tcp`: IMAP over implicit TLS.
    Imaps,
    /// `_imap._tcp`: IMAP with STARTTLS.
    Imap,
    /// `_pop3s._tcp`: POP3 over implicit TLS.
    Pop3s,
    /// `_pop3._tcp`: POP3 with STLS.
    Pop3,
}

/// A mail protocol: how a candidate is spoken to once connected.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Protocol {
    /// IMAP (RFC 9051 / RFC 3501).
    Imap,
    /// POP3 (RFC 1939).
    Pop3,
    /// Message submission (RFC 6409).
    Submission,
}

/// How a connection is protected.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Security {
    /// TLS from the first byte (RFC 8314 §2).
    ImplicitTls,
    /// Cleartext connect, then STARTTLS/STLS before anything else.
    Starttls,
    /// No TLS at all: only when the host explicitly allows it.
    Cleartext,
}

impl Service {
    /// All labels, in the order the planner asks for them.
    pub const ALL: [Service; 6] = [
        Service::Submissions,
        Service::Submission,
        Service::Imaps,
        Service::Imap,
        Service::Pop3s,
        Service::Pop3,
    ];

    /// The label without underscore, e.g. `imaps` (also the SRV-ID service name, RFC 7817 §6).
    pub fn label(self) -> &'static str {
        match self {
            Self::Submissions => "submissions",
            Self::Submission => "submission",
            Self::Imaps => "imaps",
            Self::Imap => "imap",
            Self::Pop3s => "pop3s",
            Self::Pop3 => "pop3",
        }
    }

    /// The SRV owner name under `domain`, e.g. `_imaps._tcp.example.net`.
    pub fn owner(self, domain: &str) -> String {
        // One allocation of the right size, without a formatting call (issue 16 §1).
        ["_", self.label(), "._tcp.", domain].concat()
    }

    /// The protocol spoken on this service.
    pub fn protocol(self) -> Protocol {
        match self {
            Self::Submissions | Self::Submission => Protocol::Submission,
            Self::Imaps | Self::Imap => Protocol::Imap,
            Self::Pop3s | Self::Pop3 => Protocol::Pop3,
        }
    }

    /// The TLS mode the label implies (RFC 6186 §4, RFC 8314 §3).
    pub fn security(self) -> Security {
        match self {
            Self::Submissions | Self::Imaps | Self::Pop3s => Security::ImplicitTls,
            Self::Submission | Self::Imap | Self::Pop3 => Security::Starttls,
        }
    }
}

impl core::fmt::Display for Service {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.label())
    }
}

impl core::fmt::Display for Protocol {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            Self::Imap => "imap",
            Self::Pop3 => "pop3",
            Self::Submission => "submission",
        })
    }
}

impl core::fmt::Display for Security {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            Self::ImplicitTls => "implicit-tls",
            Self::Starttls => "starttls",
            Self::Cleartext => "cleartext",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Requirements: S6186-3.1a, S6186-3.2a, S6186-3.2b, S6186-3.3a, S6186-3.3b, S6186-4d,
    // S8314-3a, S8314-5.1a, D23.
    #[test]
    fn every_label_has_its_protocol_tls_mode_and_owner_name() {
        // The port comes from the SRV record, never from the label (RFC 2782; the RFCs' example
        // ports are examples).
        let table: Vec<(String, Protocol, Security)> = Service::ALL
            .iter()
            .map(|s| (s.owner("example.net"), s.protocol(), s.security()))
            .collect();
        let expected = [
            (
                "_submissions._tcp.example.net",
                Protocol::Submission,
                Security::ImplicitTls,
            ),
            (
                "_submission._tcp.example.net",
                Protocol::Submission,
                Security::Starttls,
            ),
            (
                "_imaps._tcp.example.net",
                Protocol::Imap,
                Security::ImplicitTls,
            ),
            ("_imap._tcp.example.net", Protocol::Imap, Security::Starttls),
            (
                "_pop3s._tcp.example.net",
                Protocol::Pop3,
                Security::ImplicitTls,
            ),
            ("_pop3._tcp.example.net", Protocol::Pop3, Security::Starttls),
        ]
        .map(|(o, p, s)| (o.to_owned(), p, s));
        assert_eq!(table, expected);
        // No label ever means cleartext: that is only a host's explicit opt-in (D19).
        assert!(
            Service::ALL
                .iter()
                .all(|s| s.security() != Security::Cleartext)
        );
    }
}
