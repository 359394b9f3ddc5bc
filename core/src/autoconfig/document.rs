//! The whole document: the `clientConfig` root, its first `emailProvider` (domains, display
//! name, server sections in document order) and `<oAuth2>`. Elements it does not know are
//! ignored (draft 1.2's must-ignore rule).

use std::collections::HashSet;

use roxmltree::{Document, Node};

use super::model::{
    Autoconfig, AutoconfigDiagnostic, AutoconfigIssue, Direction, OAuth2, SectionRef,
};
use super::placeholders::{Field, address_in_url_host, substitute};
use super::server::{children, read_server, text_of};
use super::url::check_url;
use crate::dns::{canonical_host, host_problem};
use crate::error::{Error, ErrorCode};
use crate::identity::EmailAddress;
use crate::limits::{AUTOCONFIG_MAX_DOMAINS, AUTOCONFIG_MAX_SERVERS};

/// Reads a parsed XML tree as an autoconfig document for `address`.
pub(super) fn read_document(
    doc: &Document<'_>,
    address: &EmailAddress,
) -> Result<Autoconfig, Error> {
    let root = doc.root_element();
    let wrong_root = |why: String| Error::new(ErrorCode::AutoconfigWrongRoot, why);
    if root.tag_name().name() != "clientConfig" {
        return Err(wrong_root(format!(
            "the root element is `{}`, not `clientConfig`",
            root.tag_name().name()
        )));
    }
    let mut providers = children(root, "emailProvider");
    let provider = providers
        .next()
        .ok_or_else(|| wrong_root("`clientConfig` has no `emailProvider`".into()))?;
    let mut config = Autoconfig {
        version: root.attribute("version").map(|v| v.trim().to_owned()),
        provider_id: provider.attribute("id").map(|v| v.trim().to_owned()),
        ..Autoconfig::default()
    };
    for (i, _) in providers.enumerate() {
        config.diagnostics.push(AutoconfigDiagnostic {
            code: AutoconfigIssue::DuplicateProvider,
            section: None,
            message: format!(
                "`emailProvider` {} was ignored: only the first is read",
                i + 2
            ),
        });
    }
    check_counts(provider)?;
    config.display_name = children(provider, "displayName")
        .next()
        .map(|d| substitute(&text_of(d), address, Field::Text).text)
        .filter(|d| !d.is_empty());
    read_domains(provider, &mut config);
    read_servers(provider, address, &mut config);
    read_oauth2(root, provider, address, &mut config);
    Ok(config)
}

/// Refuses a provider with more server sections or domains than the documented caps.
fn check_counts(provider: Node<'_, '_>) -> Result<(), Error> {
    let servers =
        children(provider, "incomingServer").count() + children(provider, "outgoingServer").count();
    let domains = children(provider, "domain").count();
    let too_many = |what: &str, n: usize, max: usize| {
        Error::new(
            ErrorCode::AutoconfigTooLarge,
            format!("the provider has {n} {what}; at most {max} are read"),
        )
    };
    if servers > AUTOCONFIG_MAX_SERVERS {
        return Err(too_many("server sections", servers, AUTOCONFIG_MAX_SERVERS));
    }
    if domains > AUTOCONFIG_MAX_DOMAINS {
        return Err(too_many("domains", domains, AUTOCONFIG_MAX_DOMAINS));
    }
    Ok(())
}

/// The `<domain>` elements: host names, lower case, each once; `purpose="mx"` ones apart.
fn read_domains(provider: Node<'_, '_>, config: &mut Autoconfig) {
    let mut seen = HashSet::new();
    for element in children(provider, "domain") {
        let text = text_of(element);
        let domain = canonical_host(&text);
        if let Some(problem) = host_problem(&domain) {
            config.diagnostics.push(AutoconfigDiagnostic {
                code: AutoconfigIssue::InvalidDomain,
                section: None,
                message: format!(
                    "the domain `{}` was dropped: {problem}",
                    text.escape_debug()
                ),
            });
            continue;
        }
        let mx = element.attribute("purpose").map(str::trim) == Some("mx");
        if seen.insert((mx, domain.clone())) {
            if mx {
                config.mx_domains.push(domain);
            } else {
                config.domains.push(domain);
            }
        }
    }
    if config.domains.is_empty() {
        config.diagnostics.push(AutoconfigDiagnostic {
            code: AutoconfigIssue::NoDomain,
            section: None,
            message: "the document claims no valid `<domain>`".into(),
        });
    }
}

/// The server sections in document order, each checked; the same type, host, port and
/// security twice on one side is kept once.
fn read_servers(provider: Node<'_, '_>, address: &EmailAddress, config: &mut Autoconfig) {
    let mut counts = [0u32; 2];
    let mut seen = HashSet::new();
    for node in provider.children().filter(|n| n.is_element()) {
        let direction = match node.tag_name().name() {
            "incomingServer" => Direction::Incoming,
            "outgoingServer" => Direction::Outgoing,
            _ => continue,
        };
        let count = &mut counts[direction as usize];
        *count += 1;
        let section = SectionRef {
            direction,
            index: *count,
        };
        let Some(server) = read_server(node, section, address, &mut config.diagnostics) else {
            continue;
        };
        let key = (
            direction,
            server.protocol.clone(),
            server.host.clone(),
            server.port,
            server.security,
        );
        if !seen.insert(key) {
            config.diagnostics.push(AutoconfigDiagnostic {
                code: AutoconfigIssue::DuplicateServer,
                section: Some(section),
                message: format!(
                    "{} {}: {} {}:{} ({}) repeats an earlier section; it was dropped",
                    direction.element(),
                    section.index,
                    server.protocol,
                    server.host,
                    server.port,
                    server.security
                ),
            });
            continue;
        }
        match direction {
            Direction::Incoming => config.incoming.push(server),
            Direction::Outgoing => config.outgoing.push(server),
        }
    }
}

/// The first `<oAuth2>` block, below the root (Thunderbird's ISPDB) or the provider: an issuer
/// that is a host name and `https` URLs, else it is dropped.
fn read_oauth2(
    root: Node<'_, '_>,
    provider: Node<'_, '_>,
    address: &EmailAddress,
    config: &mut Autoconfig,
) {
    let mut blocks = children(root, "oAuth2").chain(children(provider, "oAuth2"));
    let Some(block) = blocks.next() else { return };
    if blocks.next().is_some() {
        config.diagnostics.push(AutoconfigDiagnostic {
            code: AutoconfigIssue::DuplicateOAuth2,
            section: None,
            message: "a second `oAuth2` block was ignored: only the first is read".into(),
        });
    }
    match oauth2(block, address) {
        Ok(o) => config.oauth2 = Some(o),
        Err(why) => config.diagnostics.push(AutoconfigDiagnostic {
            code: AutoconfigIssue::InvalidOAuth2,
            section: None,
            message: format!("the `oAuth2` block was dropped: {why}"),
        }),
    }
}

fn oauth2(block: Node<'_, '_>, address: &EmailAddress) -> Result<OAuth2, String> {
    let field = |name: &'static str| {
        children(block, name)
            .next()
            .map(text_of)
            .filter(|t| !t.is_empty())
    };
    let issuer = canonical_host(&field("issuer").ok_or("it has no `<issuer>`")?);
    if let Some(problem) = host_problem(&issuer) {
        return Err(format!("the issuer: {problem}"));
    }
    let url = |name: &'static str| -> Result<Option<String>, String> {
        let Some(template) = field(name) else {
            return Ok(None);
        };
        if let Some(placeholder) = address_in_url_host(&template) {
            return Err(format!("`<{name}>` uses {placeholder} in its host"));
        }
        let url = substitute(&template, address, Field::Url).text;
        check_url(&url, true).map_err(|why| format!("`<{name}>`: {why}"))?;
        Ok(Some(url))
    };
    Ok(OAuth2 {
        issuer,
        scope: field("scope"),
        auth_url: url("authURL")?,
        token_url: url("tokenURL")?,
        client_id: field("clientID"),
    })
}
