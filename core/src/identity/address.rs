//! Email addresses: parsing the user's input into a local part and a normalised domain
//! (RFC 5321 §4.1.2, RFC 5322 §3.4.1, RFC 6531 §3.3).

use serde::Serialize;

use super::domain::{domain_to_unicode, normalize_domain, normalize_domain_with};
use crate::error::{Error, ErrorCode};

/// Longest local part in octets (RFC 5321 §4.5.3.1.1).
const MAX_LOCAL_PART: usize = 64;
/// Longest input accepted before any parsing, in octets.
const MAX_INPUT: usize = 1024;

/// A parsed email address: the local part as typed and the domain as lower-case A-labels.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EmailAddress {
    local_part: String,
    domain: String,
}

impl EmailAddress {
    /// Parses `input` (`local@domain`).
    ///
    /// The local part is a dot-atom or a quoted string; UTF-8 is allowed in both (RFC 6531). The
    /// domain is normalised by [`crate::identity::normalize_domain`]. Address literals, empty parts
    /// and domains that are not host names are rejected with a typed [`Error`].
    pub fn parse(input: &str) -> Result<Self, Error> {
        Self::parse_parts(input, normalize_domain)
    }

    /// [`EmailAddress::parse`] with the host's UTS #46 ToASCII for the domain, as in
    /// [`normalize_domain_with`] (for builds without the `uts46` feature).
    pub fn parse_with(
        input: &str,
        to_ascii: impl FnOnce(&str) -> Option<String>,
    ) -> Result<Self, Error> {
        Self::parse_parts(input, |domain| normalize_domain_with(domain, to_ascii))
    }

    fn parse_parts(
        input: &str,
        normalize: impl FnOnce(&str) -> Result<String, Error>,
    ) -> Result<Self, Error> {
        if input.is_empty() {
            return Err(Error::new(
                ErrorCode::EmptyAddress,
                "the email address is empty",
            ));
        }
        if input.len() > MAX_INPUT {
            return Err(Error::new(
                ErrorCode::AddressTooLong,
                format!("the email address is {} bytes long", input.len()),
            ));
        }
        let at = input.rfind('@').ok_or_else(|| {
            Error::new(
                ErrorCode::MissingAt,
                format!("`{}` has no `@`", input.escape_debug()),
            )
        })?;
        let (local, domain) = (&input[..at], &input[at + 1..]);
        check_local_part(local)?;
        let domain = normalize(domain)?;
        Ok(Self {
            local_part: local.to_owned(),
            domain,
        })
    }

    /// The local part, exactly as typed (it is case-sensitive).
    pub fn local_part(&self) -> &str {
        &self.local_part
    }

    /// The domain: lower-case A-labels, no trailing dot.
    pub fn domain(&self) -> &str {
        &self.domain
    }

    /// The domain in Unicode form, for display only.
    pub fn domain_unicode(&self) -> String {
        domain_to_unicode(&self.domain)
    }
}

impl core::fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "{}@{}", self.local_part, self.domain)
    }
}

fn check_local_part(local: &str) -> Result<(), Error> {
    let invalid = |why: String| Error::new(ErrorCode::InvalidLocalPart, why);
    if local.is_empty() {
        return Err(Error::new(
            ErrorCode::EmptyLocalPart,
            "the part before `@` is empty",
        ));
    }
    if local.len() > MAX_LOCAL_PART {
        return Err(Error::new(
            ErrorCode::AddressTooLong,
            format!(
                "the local part is {} octets long; at most {MAX_LOCAL_PART} are allowed",
                local.len()
            ),
        ));
    }
    if let Some(inner) = local.strip_prefix('"') {
        let Some(inner) = inner.strip_suffix('"') else {
            return Err(invalid("the quoted local part has no closing `\"`".into()));
        };
        let mut chars = inner.chars();
        while let Some(c) = chars.next() {
            match c {
                // quoted-pair: a backslash and one printable ASCII character or space.
                '\\' => match chars.next() {
                    Some(' '..='~') => {}
                    _ => {
                        return Err(invalid(
                            "a `\\` in the quoted local part escapes nothing printable".into(),
                        ));
                    }
                },
                '"' => {
                    return Err(invalid(
                        "an unescaped `\"` inside the quoted local part".into(),
                    ));
                }
                ' ' | '!' | '#'..='[' | ']'..='~' => {}
                c if !c.is_ascii() && !c.is_control() => {}
                c => {
                    return Err(invalid(format!(
                        "the quoted local part contains the character {c:?}"
                    )));
                }
            }
        }
        return Ok(());
    }
    for atom in local.split('.') {
        if atom.is_empty() {
            return Err(invalid(format!(
                "`{}` has an empty atom (leading, trailing or doubled dot)",
                local.escape_debug()
            )));
        }
        if let Some(c) = atom.chars().find(|c| !is_atext(*c)) {
            return Err(invalid(format!(
                "the local part contains the character {c:?}"
            )));
        }
    }
    Ok(())
}

/// `atext` of RFC 5322 §3.2.3, extended with non-ASCII UTF-8 (RFC 6531 §3.3).
fn is_atext(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || "!#$%&'*+-/=?^_`{|}~".contains(c)
        || (!c.is_ascii() && !c.is_control() && !c.is_whitespace())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(input: &str) -> ErrorCode {
        EmailAddress::parse(input).unwrap_err().code()
    }

    #[test]
    fn s6186_4a_splits_local_part_and_domain() {
        let a = EmailAddress::parse("Alice.Smith@Example.NET.").unwrap();
        assert_eq!(a.local_part(), "Alice.Smith");
        assert_eq!(a.domain(), "example.net");
        assert_eq!(a.to_string(), "Alice.Smith@example.net");
    }

    #[test]
    fn quoted_local_parts_may_hold_at_signs_and_spaces() {
        let a = EmailAddress::parse(r#""john doe@home"@example.net"#).unwrap();
        assert_eq!(a.local_part(), r#""john doe@home""#);
        assert_eq!(a.domain(), "example.net");
        assert!(EmailAddress::parse(r#""a\"b"@example.net"#).is_ok());
        assert_eq!(code(r#""a"b"@example.net"#), ErrorCode::InvalidLocalPart);
        assert_eq!(code(r#""abc@example.net"#), ErrorCode::InvalidLocalPart);
    }

    #[cfg(feature = "uts46")]
    #[test]
    fn rfc6531_utf8_local_part_and_idn_domain() {
        let a = EmailAddress::parse("用户@例子.广告").unwrap();
        assert_eq!(a.local_part(), "用户");
        assert_eq!(a.domain(), "xn--fsqu00a.xn--4rr70v");
        assert_eq!(a.domain_unicode(), "例子.广告");
    }

    #[test]
    fn malformed_addresses_get_typed_errors() {
        assert_eq!(code(""), ErrorCode::EmptyAddress);
        assert_eq!(code("alice.example.net"), ErrorCode::MissingAt);
        assert_eq!(code("@example.net"), ErrorCode::EmptyLocalPart);
        assert_eq!(code("alice@"), ErrorCode::EmptyDomain);
        assert_eq!(code("alice@[192.0.2.1]"), ErrorCode::AddressLiteral);
        assert_eq!(code("alice@[IPv6:2001:db8::1]"), ErrorCode::AddressLiteral);
        assert_eq!(code(".alice@example.net"), ErrorCode::InvalidLocalPart);
        assert_eq!(code("al..ice@example.net"), ErrorCode::InvalidLocalPart);
        assert_eq!(code("al ice@example.net"), ErrorCode::InvalidLocalPart);
        assert_eq!(code("alice@exa_mple.net"), ErrorCode::InvalidDomain);
        assert_eq!(code("alice@192.0.2.1"), ErrorCode::InvalidDomain);
        assert_eq!(
            code(&format!("{}@example.net", "a".repeat(65))),
            ErrorCode::AddressTooLong
        );
        assert_eq!(code(&"a".repeat(5000)), ErrorCode::AddressTooLong);
    }
}
