//! What a parsed autoconfig document offers: its servers in document order, the domains it
//! claims, OAuth2 data, and the findings about what was dropped.

use serde::{Serialize, Serializer};

use crate::service::{Protocol, Security};

/// A parsed autoconfig document (Thunderbird's `clientConfig` 1.1 as the ISPDB uses it, or the
/// IETF draft's 1.2), with every placeholder substituted for one email address.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Autoconfig {
    /// The root's `version` attribute as written (`1.1`, `1.2`); never a reason to refuse.
    pub version: Option<String>,
    /// The `emailProvider`'s `id` attribute.
    pub provider_id: Option<String>,
    /// The provider's `displayName`, placeholders substituted.
    pub display_name: Option<String>,
    /// The domains the document claims (`<domain>`), lower case, in document order.
    pub domains: Vec<String>,
    /// The MX host domains it claims (draft 1.2: `<domain purpose="mx">`).
    pub mx_domains: Vec<String>,
    /// The incoming servers (`incomingServer`) that passed every check, in document order.
    pub incoming: Vec<Server>,
    /// The outgoing servers (`outgoingServer`) that passed every check, in document order.
    pub outgoing: Vec<Server>,
    /// The `<oAuth2>` data, passed through when it is well-formed.
    pub oauth2: Option<OAuth2>,
    /// What was dropped or is doubtful, and why.
    pub diagnostics: Vec<AutoconfigDiagnostic>,
}

/// Whether a section is an `incomingServer` or an `outgoingServer`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Direction {
    /// `incomingServer`.
    Incoming,
    /// `outgoingServer`.
    Outgoing,
}

impl Direction {
    /// The element name: `incomingServer` or `outgoingServer`.
    pub fn element(self) -> &'static str {
        match self {
            Self::Incoming => "incomingServer",
            Self::Outgoing => "outgoingServer",
        }
    }
}

/// One usable server section.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Server {
    /// The section's `type`, lower case: `imap`, `pop3`, `smtp`, `jmap`, `ews`, ... (unknown
    /// types are kept; [`Server::mail_protocol`] says which ones a plan can use).
    pub protocol: String,
    /// The host: `<hostname>`, or the host of `<url>` for URL-based types; lower case,
    /// checked like an SRV target, never an IP literal.
    pub host: String,
    /// The port: `<port>`, or the URL's (443 for `https`, 80 for `http` when it names none).
    pub port: u16,
    /// The socketType in the plan's words (`SSL` → `implicit-tls`, `STARTTLS` → `starttls`,
    /// `plain` → `cleartext`; an URL's scheme for URL-based types).
    pub security: Security,
    /// The `<url>` of an URL-based type (placeholders substituted, percent-encoded).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The login name, placeholders substituted; `None` when the section names none.
    pub username: Option<String>,
    /// The authentication methods the parser knows, in the document's order (its preference).
    pub authentication: Vec<Authentication>,
    /// Where the section is: its 1-based position among the document's sections of its kind.
    pub section: u32,
}

impl Server {
    /// The mail protocol a plan can use this server for: `imap`, `pop3` and (outgoing) `smtp`;
    /// `None` for every other type (Exchange, JMAP, ...).
    pub fn mail_protocol(&self) -> Option<Protocol> {
        match self.protocol.as_str() {
            "imap" => Some(Protocol::Imap),
            "pop3" => Some(Protocol::Pop3),
            "smtp" => Some(Protocol::Submission),
            _ => None,
        }
    }
}

/// An `<authentication>` value. Serialised with the document's spelling (`password-cleartext`,
/// `OAuth2`, ...); a draft 1.2 `system="sasl"` or `system="http"` method as `sasl:NAME` or
/// `http:NAME`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Authentication {
    /// `password-cleartext` (also the legacy `plain`): the password, over the TLS connection.
    PasswordCleartext,
    /// `password-encrypted` (also the legacy `secure`): a challenge-response mechanism (CRAM-MD5).
    PasswordEncrypted,
    /// `NTLM`.
    Ntlm,
    /// `GSSAPI` (Kerberos).
    Gssapi,
    /// `OAuth2` (the draft's §3.7.4 also spells it `OAuth`).
    OAuth2,
    /// `TLS-client-cert`: a client certificate.
    TlsClientCert,
    /// `client-IP-address`: no login; the server trusts the client's address (deprecated).
    ClientIpAddress,
    /// `smtp-after-pop`: SMTP allowed after a POP3 login.
    SmtpAfterPop,
    /// `none`: no login.
    None,
    /// A SASL mechanism named by the draft's `system="sasl"` (upper case).
    Sasl(String),
    /// An HTTP authentication scheme named by the draft's `system="http"`.
    Http(String),
}

impl Authentication {
    /// The value as written in documents (`password-cleartext`, `OAuth2`, `sasl:PLAIN`).
    pub fn name(&self) -> String {
        match self {
            Self::PasswordCleartext => "password-cleartext".into(),
            Self::PasswordEncrypted => "password-encrypted".into(),
            Self::Ntlm => "NTLM".into(),
            Self::Gssapi => "GSSAPI".into(),
            Self::OAuth2 => "OAuth2".into(),
            Self::TlsClientCert => "TLS-client-cert".into(),
            Self::ClientIpAddress => "client-IP-address".into(),
            Self::SmtpAfterPop => "smtp-after-pop".into(),
            Self::None => "none".into(),
            Self::Sasl(m) => format!("sasl:{m}"),
            Self::Http(s) => format!("http:{s}"),
        }
    }
}

impl Serialize for Authentication {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.name())
    }
}

/// The `<oAuth2>` data of a document, passed through for the host's OAuth2 client. The URLs are
/// `https` with a valid host; the issuer is a host name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OAuth2 {
    /// `<issuer>`: the authorisation server's host name.
    pub issuer: String,
    /// `<scope>`: space-separated scopes.
    pub scope: Option<String>,
    /// `<authURL>`: the authorisation endpoint.
    pub auth_url: Option<String>,
    /// `<tokenURL>`: the token endpoint.
    pub token_url: Option<String>,
    /// `<clientID>` (draft 1.2).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
}

/// A finding about a document: something dropped, ignored or doubtful.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AutoconfigDiagnostic {
    /// What kind of finding.
    pub code: AutoconfigIssue,
    /// The server section it concerns, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub section: Option<SectionRef>,
    /// A readable explanation naming the value.
    pub message: String,
}

/// A server section: its kind and 1-based position among the sections of that kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SectionRef {
    /// `incoming` or `outgoing`.
    pub direction: Direction,
    /// 1-based position among the document's sections of this kind.
    pub index: u32,
}

/// Autoconfig diagnostic codes (stable kebab-case strings in JSON).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum AutoconfigIssue {
    /// The host name is missing, not a host name, an IP literal, or holds a placeholder after
    /// substitution: the section was dropped.
    InvalidHost,
    /// The port is missing or not 1–65535: the section was dropped.
    InvalidPort,
    /// A `socketType` value the parser does not know was skipped; with none known, the
    /// section was dropped.
    UnknownSocketType,
    /// An `authentication` value the parser does not know was skipped; with none known, the
    /// section was dropped (draft §3.7.4).
    UnknownAuthentication,
    /// The `type` attribute is missing or not a name: the section was dropped.
    InvalidType,
    /// The `url` of an URL-based type is not an `http(s)` URL with a valid host: dropped.
    InvalidUrl,
    /// A section repeats `hostname`, `port`, `username` or `url`: ambiguous, dropped.
    AmbiguousSection,
    /// A `hostname` or `url` host uses `%EMAILLOCALPART%` or `%EMAILADDRESS%`, which would
    /// let the address choose the server (decision D24): the section was dropped.
    UnsafePlaceholder,
    /// A `%` in a username or display name that is not one of the three placeholders was
    /// kept as written.
    UnknownPlaceholder,
    /// The same type, host, port and security as an earlier section: dropped.
    DuplicateServer,
    /// A second `emailProvider` was ignored (only the first is read).
    DuplicateProvider,
    /// A `domain` that is not a host name was dropped.
    InvalidDomain,
    /// The document claims no valid domain.
    NoDomain,
    /// The `oAuth2` block lacks its issuer or has a bad URL: it was dropped.
    InvalidOAuth2,
    /// A second `oAuth2` block was ignored.
    DuplicateOAuth2,
}
