//! The three placeholders of the format (`%EMAILADDRESS%`, `%EMAILLOCALPART%`,
//! `%EMAILDOMAIN%`), substituted in one pass: every occurrence is replaced, and what is put in
//! is never read again, so a local part holding `%EMAILDOMAIN%` stays text.

use crate::identity::EmailAddress;

/// The three placeholders, in the order they are tried.
const PLACEHOLDERS: [&str; 3] = ["%EMAILADDRESS%", "%EMAILLOCALPART%", "%EMAILDOMAIN%"];

/// Where a template is, which decides what may be substituted into it (decision D24).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Field {
    /// `username`, `displayName`: all three, as they are.
    Text,
    /// `hostname`: only `%EMAILDOMAIN%` (already a valid host name); the other two would let
    /// the address choose the server.
    Host,
    /// `url`, OAuth2 URLs: all three, percent-encoded (RFC 3986 unreserved characters kept), so
    /// that an address cannot change the URL's structure.
    Url,
}

/// A template after substitution.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Substituted {
    /// The text with every placeholder replaced.
    pub(crate) text: String,
    /// A `%` of the template that starts no known placeholder (`%EMAILADDRESS` without its
    /// closing `%`, `%REALNAME%`), kept as written.
    pub(crate) stray_percent: bool,
    /// A placeholder that the field does not allow (`Field::Host`), left in the text.
    pub(crate) refused: Option<&'static str>,
}

/// Substitutes every placeholder of `template` for `address`, as `field` allows.
pub(crate) fn substitute(template: &str, address: &EmailAddress, field: Field) -> Substituted {
    let full = address.to_string();
    let mut out = Substituted {
        text: String::with_capacity(template.len()),
        stray_percent: false,
        refused: None,
    };
    let mut rest = template;
    while let Some(at) = rest.find('%') {
        out.text.push_str(&rest[..at]);
        rest = &rest[at..];
        let Some(placeholder) = PLACEHOLDERS.into_iter().find(|p| rest.starts_with(p)) else {
            // A `%` of an URL's own percent-encoding, or a stray one.
            if field != Field::Url || !is_percent_escape(rest) {
                out.stray_percent = true;
            }
            out.text.push('%');
            rest = &rest[1..];
            continue;
        };
        let value = match placeholder {
            "%EMAILADDRESS%" => full.as_str(),
            "%EMAILLOCALPART%" => address.local_part(),
            _ => address.domain(),
        };
        match field {
            Field::Text => out.text.push_str(value),
            Field::Host if placeholder == "%EMAILDOMAIN%" => out.text.push_str(value),
            Field::Host => {
                out.refused.get_or_insert(placeholder);
                out.text.push_str(placeholder);
            }
            Field::Url => percent_encode(value, &mut out.text),
        }
        rest = &rest[placeholder.len()..];
    }
    out.text.push_str(rest);
    out
}

/// The first placeholder other than `%EMAILDOMAIN%` in the host part of an URL template (between
/// `://` and the next `/`, `?` or `#`): there it would let the address choose the server
/// (decision D24), percent-encoded or not.
pub(crate) fn address_in_url_host(template: &str) -> Option<&'static str> {
    let rest = &template[template.find("://").map_or(0, |i| i + 3)..];
    let authority = &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())];
    PLACEHOLDERS[..2]
        .iter()
        .copied()
        .find(|p| authority.contains(p))
}

/// True when `s` starts with `%` and two hexadecimal digits.
fn is_percent_escape(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 3 && b[1].is_ascii_hexdigit() && b[2].is_ascii_hexdigit()
}

/// Appends `value` with every byte other than an RFC 3986 unreserved character as `%XX`.
fn percent_encode(value: &str, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 15)]));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn addr(s: &str) -> EmailAddress {
        EmailAddress::parse(s).unwrap()
    }

    #[test]
    fn every_occurrence_of_each_placeholder_is_substituted() {
        let a = addr("alice@Example.NET");
        let s = substitute(
            "%EMAILLOCALPART%+%EMAILLOCALPART%@%EMAILDOMAIN% (%EMAILADDRESS%, %EMAILADDRESS%)",
            &a,
            Field::Text,
        );
        assert_eq!(
            s.text,
            "alice+alice@example.net (alice@example.net, alice@example.net)"
        );
        assert!(!s.stray_percent && s.refused.is_none());
    }

    #[test]
    fn substituted_text_is_never_read_again() {
        let a = addr("%EMAILDOMAIN%@example.net");
        let s = substitute("%EMAILLOCALPART%", &a, Field::Text);
        assert_eq!(s.text, "%EMAILDOMAIN%");
        let s = substitute("%EMAILADDRESS%", &a, Field::Url);
        assert_eq!(s.text, "%25EMAILDOMAIN%25%40example.net");
    }

    #[test]
    fn d24_hosts_take_only_the_domain() {
        let a = addr("evil.example.org@example.net");
        let s = substitute("mail.%EMAILDOMAIN%", &a, Field::Host);
        assert_eq!((s.text.as_str(), s.refused), ("mail.example.net", None));
        let s = substitute("%EMAILLOCALPART%", &a, Field::Host);
        assert_eq!(s.refused, Some("%EMAILLOCALPART%"));
        assert_eq!(s.text, "%EMAILLOCALPART%");
    }

    #[test]
    fn d24_url_hosts_take_only_the_domain() {
        assert_eq!(
            address_in_url_host("https://%EMAILLOCALPART%.example.net/x"),
            Some("%EMAILLOCALPART%")
        );
        assert_eq!(
            address_in_url_host("https://x.example.net:%EMAILADDRESS%/"),
            Some("%EMAILADDRESS%")
        );
        assert_eq!(
            address_in_url_host("https://mail.%EMAILDOMAIN%/u/%EMAILLOCALPART%?a=%EMAILADDRESS%"),
            None
        );
    }

    #[test]
    fn stray_percents_are_kept_and_reported_outside_url_escapes() {
        let a = addr("alice@example.net");
        let s = substitute("%EMAILADDRESS", &a, Field::Text);
        assert_eq!(s.text, "%EMAILADDRESS");
        assert!(s.stray_percent);
        let s = substitute("https://x.example/a%20b?u=%EMAILLOCALPART%", &a, Field::Url);
        assert_eq!(s.text, "https://x.example/a%20b?u=alice");
        assert!(!s.stray_percent);
    }
}
