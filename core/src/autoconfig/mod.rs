//! Autoconfig: reading the XML documents of provider autoconfig and Thunderbird's ISPDB (the
//! `clientConfig` format, version 1.1 as the ISPDB uses it and version 1.2 of
//! draft-ietf-mailmaint-autoconfig) into the servers they offer for one email address.
//! Depends on the error table, the service vocabulary, `identity` (the address) and `dns` (the
//! host-name rule of SRV targets).
//!
//! A document is refused with a typed [`Error`] (`AUTOCONFIG_*`, 6xx) when it
//! cannot be read safely: over a cap ([`AUTOCONFIG_MAX_BYTES`] and the others), not UTF-8, any
//! DOCTYPE, not well-formed, or not a `clientConfig` with an `emailProvider`. Within a readable
//! document, a broken section is dropped with an [`AutoconfigDiagnostic`] and the rest is used
//! (draft §3.9).

mod document;
mod model;
mod placeholders;
mod server;
mod url;
mod xml;

pub use crate::limits::{
    AUTOCONFIG_MAX_BYTES, AUTOCONFIG_MAX_DEPTH, AUTOCONFIG_MAX_DOMAINS, AUTOCONFIG_MAX_NODES,
    AUTOCONFIG_MAX_SERVERS,
};
pub use model::{
    Authentication, Autoconfig, AutoconfigDiagnostic, AutoconfigIssue, Direction, OAuth2,
    SectionRef, Server,
};

use crate::error::Error;
use crate::identity::EmailAddress;

impl Autoconfig {
    /// Parses the autoconfig `document` (the bytes of an HTTP body or a file) for `address`:
    /// every `%EMAILADDRESS%`, `%EMAILLOCALPART%` and `%EMAILDOMAIN%` is substituted where
    /// decision D24 allows it, every host checked like an SRV target.
    ///
    /// ```
    /// use mailsrv::{Autoconfig, EmailAddress, Security};
    ///
    /// let xml = br#"<clientConfig version="1.1"><emailProvider id="example.net">
    ///   <domain>example.net</domain>
    ///   <incomingServer type="imap"><hostname>imap.%EMAILDOMAIN%</hostname><port>993</port>
    ///     <socketType>SSL</socketType><username>%EMAILLOCALPART%</username>
    ///     <authentication>password-cleartext</authentication></incomingServer>
    /// </emailProvider></clientConfig>"#;
    /// let config = Autoconfig::parse(xml, &EmailAddress::parse("alice@example.net")?)?;
    /// assert_eq!(config.incoming[0].host, "imap.example.net");
    /// assert_eq!(config.incoming[0].security, Security::ImplicitTls);
    /// assert_eq!(config.incoming[0].username.as_deref(), Some("alice"));
    /// # Ok::<(), mailsrv::Error>(())
    /// ```
    pub fn parse(document: &[u8], address: &EmailAddress) -> Result<Self, Error> {
        let tree = xml::read(document)?;
        document::read_document(&tree, address)
    }
}
