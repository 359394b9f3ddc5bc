//! The URLs of a document (`<url>`, OAuth2 endpoints): an `http(s)` scheme and a host checked
//! like every other host name. Only checked, never normalised: the URL is passed on as written.

use crate::dns::{canonical_host, host_problem};
use crate::service::Security;

/// What a checked URL says about the server it names.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct UrlServer {
    /// The host, canonical.
    pub(crate) host: String,
    /// The explicit port, else 443 (`https`) or 80 (`http`).
    pub(crate) port: u16,
    /// `https` → implicit TLS; `http` → cleartext.
    pub(crate) security: Security,
}

/// Checks `url`: `https://` (or `http://` unless `https_only`), a host that is a valid host name
/// (no IP literal, no user information), an optional port 1–65535, and no whitespace, control
/// character or backslash anywhere. Returns the server it names, or why it is unusable.
pub(crate) fn check_url(url: &str, https_only: bool) -> Result<UrlServer, String> {
    if let Some(bad) = url
        .chars()
        .find(|c| c.is_whitespace() || c.is_control() || *c == '\\')
    {
        return Err(format!("URL `{}` contains {bad:?}", url.escape_debug()));
    }
    let scheme_end = url
        .find("://")
        .ok_or_else(|| format!("`{url}` is not an URL"))?;
    let (security, default_port) = match url[..scheme_end].to_ascii_lowercase().as_str() {
        "https" => (Security::ImplicitTls, 443),
        "http" if !https_only => (Security::Cleartext, 80),
        other => return Err(format!("URL `{url}` has the scheme `{other}`, not https")),
    };
    let rest = &url[scheme_end + 3..];
    let authority = &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())];
    if authority.contains('@') {
        return Err(format!("URL `{url}` carries user information"));
    }
    let (host, port) = match authority.rsplit_once(':') {
        Some((host, port)) if !host.contains(':') => {
            let port = port
                .parse::<u16>()
                .ok()
                .filter(|p| *p != 0 && port.bytes().all(|b| b.is_ascii_digit()))
                .ok_or_else(|| format!("URL `{url}` has the port `{port}`, not 1–65535"))?;
            (host, port)
        }
        _ => (authority, default_port),
    };
    let host = canonical_host(host);
    if let Some(problem) = host_problem(&host) {
        return Err(format!("URL `{url}`: {problem}"));
    }
    Ok(UrlServer {
        host,
        port,
        security,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_name_a_host_a_port_and_a_security() {
        let u = check_url("https://Mail.Example.net/jmap?x=1", true).unwrap();
        assert_eq!(
            (u.host.as_str(), u.port, u.security),
            ("mail.example.net", 443, Security::ImplicitTls)
        );
        let u = check_url("http://mail.example.net:8080", false).unwrap();
        assert_eq!((u.port, u.security), (8080, Security::Cleartext));
    }

    #[test]
    fn bad_urls_are_refused() {
        for bad in [
            "http://mail.example.net/",
            "ftp://mail.example.net/",
            "mail.example.net",
            "https://192.0.2.1/",
            "https://[2001:db8::1]/",
            "https://user@mail.example.net/",
            "https://mail.example.net:0/",
            "https://mail.example.net:99999/",
            "https://mail.example.net/a b",
            "https://mail.%EMAILLOCALPART%.net/",
            "https:///x",
        ] {
            assert!(check_url(bad, true).is_err(), "{bad}");
        }
    }
}
