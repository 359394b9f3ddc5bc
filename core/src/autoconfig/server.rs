//! One `incomingServer` or `outgoingServer` section: its type, host, port, security, username
//! and authentication methods, each checked; a section that fails a check is dropped with a
//! diagnostic and the rest of the document is used (draft §3.9).

use roxmltree::Node;

use super::model::{Authentication, AutoconfigDiagnostic, AutoconfigIssue, SectionRef, Server};
use super::placeholders::{Field, address_in_url_host, substitute};
use super::url::check_url;
use crate::dns::{canonical_host, host_problem};
use crate::identity::EmailAddress;
use crate::service::Security;

/// The longest `type` attribute accepted (the longest known, `managesieve`, has 11 characters).
const MAX_TYPE_LEN: usize = 32;
/// The longest SASL mechanism name (RFC 4422 §3.1).
const MAX_SASL_NAME: usize = 20;

/// The text of `node`'s own text children (CDATA included), trimmed.
pub(super) fn text_of(node: Node<'_, '_>) -> String {
    node.children()
        .filter(|n| n.is_text())
        .filter_map(|n| n.text())
        .collect::<String>()
        .trim()
        .to_owned()
}

/// The child elements of `node` named `name` (namespace ignored), in document order.
pub(super) fn children<'a, 'input>(
    node: Node<'a, 'input>,
    name: &'static str,
) -> impl Iterator<Item = Node<'a, 'input>> {
    node.children()
        .filter(move |n| n.is_element() && n.tag_name().name() == name)
}

/// Collects the findings about one section, each naming it.
struct Notes<'a> {
    section: SectionRef,
    /// How the section is shown: `incomingServer 2 (imap)`.
    label: String,
    diagnostics: &'a mut Vec<AutoconfigDiagnostic>,
}

impl Notes<'_> {
    fn note(&mut self, code: AutoconfigIssue, what: String) {
        self.diagnostics.push(AutoconfigDiagnostic {
            code,
            section: Some(self.section),
            message: format!("{}: {what}", self.label),
        });
    }

    /// Notes why the section was dropped; always `None`.
    fn drop_section<T>(&mut self, code: AutoconfigIssue, why: String) -> Option<T> {
        self.note(code, format!("{why}; the section was dropped"));
        None
    }
}

/// Reads one server section. Problems are appended to `diagnostics`; `None` when the section
/// was dropped.
pub(super) fn read_server(
    node: Node<'_, '_>,
    section: SectionRef,
    address: &EmailAddress,
    diagnostics: &mut Vec<AutoconfigDiagnostic>,
) -> Option<Server> {
    let raw_type = node.attribute("type").unwrap_or_default().trim();
    let mut notes = Notes {
        section,
        label: format!(
            "{} {} ({})",
            section.direction.element(),
            section.index,
            raw_type.escape_debug()
        ),
        diagnostics,
    };
    let protocol = raw_type.to_ascii_lowercase();
    if protocol.is_empty()
        || protocol.len() > MAX_TYPE_LEN
        || !protocol
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return notes.drop_section(
            AutoconfigIssue::InvalidType,
            "the `type` attribute is missing or not a name".into(),
        );
    }
    for name in ["hostname", "port", "username", "url"] {
        if children(node, name).nth(1).is_some() {
            return notes.drop_section(
                AutoconfigIssue::AmbiguousSection,
                format!("`<{name}>` is given more than once"),
            );
        }
    }
    let (host, port, security, url) = match children(node, "hostname").next() {
        Some(hostname) => {
            let host = read_host(&text_of(hostname), address, &mut notes)?;
            let port = read_port(node, &host, &mut notes)?;
            let security = read_socket_type(node, &mut notes)?;
            (host, port, security, None)
        }
        None => {
            let Some(url) = children(node, "url").next() else {
                return notes.drop_section(
                    AutoconfigIssue::InvalidHost,
                    "it has neither `<hostname>` nor `<url>`".into(),
                );
            };
            let template = text_of(url);
            if let Some(placeholder) = address_in_url_host(&template) {
                return notes.drop_section(
                    AutoconfigIssue::UnsafePlaceholder,
                    format!(
                        "the URL `{}` uses {placeholder} in its host, which would let the \
                         email address choose the server",
                        template.escape_debug()
                    ),
                );
            }
            let url = substitute(&template, address, Field::Url).text;
            match check_url(&url, false) {
                Ok(server) => (server.host, server.port, server.security, Some(url)),
                Err(why) => return notes.drop_section(AutoconfigIssue::InvalidUrl, why),
            }
        }
    };
    let authentication = read_authentication(node, &mut notes)?;
    let username = children(node, "username").next().and_then(|u| {
        let template = text_of(u);
        let s = substitute(&template, address, Field::Text);
        if s.stray_percent {
            notes.note(
                AutoconfigIssue::UnknownPlaceholder,
                format!(
                    "the username `{}` has a `%` that starts none of %EMAILADDRESS%, \
                     %EMAILLOCALPART% and %EMAILDOMAIN%; it was kept as written",
                    template.escape_debug()
                ),
            );
        }
        (!s.text.is_empty()).then_some(s.text)
    });
    Some(Server {
        protocol,
        host,
        port,
        security,
        url,
        username,
        authentication,
        section: section.index,
    })
}

/// The `<hostname>`: `%EMAILDOMAIN%` substituted (the other placeholders refused, decision
/// D24), then checked like an SRV target, IP literals refused.
fn read_host(template: &str, address: &EmailAddress, notes: &mut Notes<'_>) -> Option<String> {
    let s = substitute(template, address, Field::Host);
    if let Some(placeholder) = s.refused {
        return notes.drop_section(
            AutoconfigIssue::UnsafePlaceholder,
            format!(
                "the host name `{}` uses {placeholder}, which would let the email address \
                 choose the server",
                template.escape_debug()
            ),
        );
    }
    let host = canonical_host(&s.text);
    if host.contains('%') {
        return notes.drop_section(
            AutoconfigIssue::InvalidHost,
            format!(
                "the host name `{}` still holds a placeholder after substitution",
                template.escape_debug()
            ),
        );
    }
    if let Some(problem) = host_problem(&host) {
        return notes.drop_section(
            AutoconfigIssue::InvalidHost,
            format!("the host name `{}`: {problem}", template.escape_debug()),
        );
    }
    Some(host)
}

/// The `<port>`: decimal digits, 1–65535.
fn read_port(node: Node<'_, '_>, host: &str, notes: &mut Notes<'_>) -> Option<u16> {
    let Some(port) = children(node, "port").next() else {
        return notes.drop_section(
            AutoconfigIssue::InvalidPort,
            format!("`{host}` has no `<port>`"),
        );
    };
    let text = text_of(port);
    match text.parse::<u16>() {
        Ok(p) if p != 0 && text.bytes().all(|b| b.is_ascii_digit()) => Some(p),
        _ => notes.drop_section(
            AutoconfigIssue::InvalidPort,
            format!(
                "`{host}` has the port `{}`, not 1–65535",
                text.escape_debug()
            ),
        ),
    }
}

/// The first `<socketType>` the parser knows, in the plan's words; unknown values before it
/// are noted and skipped. None known, or none given: the section is dropped (its security cannot
/// be guessed).
fn read_socket_type(node: Node<'_, '_>, notes: &mut Notes<'_>) -> Option<Security> {
    let mut seen = false;
    for element in children(node, "socketType") {
        seen = true;
        let value = text_of(element);
        let security = match value.to_ascii_lowercase().as_str() {
            "ssl" => Security::ImplicitTls,
            "starttls" => Security::Starttls,
            "plain" => Security::Cleartext,
            _ => {
                notes.note(
                    AutoconfigIssue::UnknownSocketType,
                    format!(
                        "the socketType `{}` is not SSL, STARTTLS or plain; it was skipped",
                        value.escape_debug()
                    ),
                );
                continue;
            }
        };
        return Some(security);
    }
    notes.drop_section(
        AutoconfigIssue::UnknownSocketType,
        if seen {
            "no socketType is one the parser knows".into()
        } else {
            "it has no `<socketType>`".into()
        },
    )
}

/// The `<authentication>` values the parser knows, in document order; unknown ones are noted
/// and skipped. A section whose values are all unknown is dropped (draft §3.7.4); one with no
/// `<authentication>` at all is kept with an empty list.
fn read_authentication(node: Node<'_, '_>, notes: &mut Notes<'_>) -> Option<Vec<Authentication>> {
    let mut methods = Vec::new();
    let mut seen = false;
    for element in children(node, "authentication") {
        seen = true;
        let value = text_of(element);
        match authentication(element.attribute("system"), &value) {
            Some(method) if !methods.contains(&method) => methods.push(method),
            Some(_) => {}
            None => notes.note(
                AutoconfigIssue::UnknownAuthentication,
                format!(
                    "the authentication `{}` is not one the parser knows; it was skipped",
                    value.escape_debug()
                ),
            ),
        }
    }
    if seen && methods.is_empty() {
        return notes.drop_section(
            AutoconfigIssue::UnknownAuthentication,
            "none of its authentication methods is one the parser knows".into(),
        );
    }
    Some(methods)
}

/// The method an `<authentication>` value names, with the draft's `system` attribute.
fn authentication(system: Option<&str>, value: &str) -> Option<Authentication> {
    let token = |max: usize| {
        (!value.is_empty()
            && value.len() <= max
            && value
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
        .then(|| value.to_owned())
    };
    match system.map(str::trim) {
        Some("sasl") => {
            return token(MAX_SASL_NAME).map(|m| Authentication::Sasl(m.to_ascii_uppercase()));
        }
        Some("http") => return token(MAX_TYPE_LEN).map(Authentication::Http),
        Some(_) => return None,
        None => {}
    }
    Some(match value.to_ascii_lowercase().as_str() {
        "password-cleartext" | "plain" => Authentication::PasswordCleartext,
        "password-encrypted" | "secure" => Authentication::PasswordEncrypted,
        "ntlm" => Authentication::Ntlm,
        "gssapi" => Authentication::Gssapi,
        "oauth2" | "oauth" => Authentication::OAuth2,
        "tls-client-cert" => Authentication::TlsClientCert,
        "client-ip-address" => Authentication::ClientIpAddress,
        "smtp-after-pop" => Authentication::SmtpAfterPop,
        "none" => Authentication::None,
        _ => return None,
    })
}
