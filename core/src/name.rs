//! Domain-name helpers: normalising a user-supplied domain to A-labels and comparing names
//! label by label (decision D6).

use crate::error::{Error, ErrorCode};

/// Longest domain name in presentation form without the trailing dot (RFC 1035 §2.3.4).
const MAX_NAME_LEN: usize = 253;
/// Longest label (RFC 1035 §2.3.4).
const MAX_LABEL_LEN: usize = 63;

/// Normalises a domain typed by a user to lower-case A-labels without a trailing dot.
///
/// U-labels go through UTS #46 (non-transitional, STD3 rules) to A-labels; the result must be a
/// valid host name: letters, digits and interior hyphens in labels of 1–63 octets, 253 octets in
/// all, and a top-level label that is not all digits.
pub fn normalize_domain(input: &str) -> Result<String, Error> {
    if input.is_empty() {
        return Err(Error::new(ErrorCode::EmptyDomain, "the domain is empty"));
    }
    if input.starts_with('[') {
        return Err(Error::new(
            ErrorCode::AddressLiteral,
            format!("`{input}` is an address literal; SRV discovery needs a domain name"),
        ));
    }
    let trimmed = input.strip_suffix('.').unwrap_or(input);
    if trimmed.is_empty() {
        return Err(Error::new(
            ErrorCode::EmptyDomain,
            "the domain is only a dot",
        ));
    }
    if trimmed.len() > 4 * MAX_NAME_LEN {
        return Err(Error::new(
            ErrorCode::AddressTooLong,
            format!("the domain is {} bytes long", trimmed.len()),
        ));
    }
    if let Some(bad) = trimmed
        .chars()
        .find(|c| c.is_control() || c.is_whitespace())
    {
        return Err(Error::new(
            ErrorCode::InvalidDomain,
            format!(
                "the domain `{}` contains the character {bad:?}",
                trimmed.escape_debug()
            ),
        ));
    }
    let ascii = idna::domain_to_ascii_strict(trimmed).map_err(|_| {
        Error::new(
            ErrorCode::InvalidDomain,
            format!("`{trimmed}` is not a valid internationalised domain name (UTS #46)"),
        )
    })?;
    check_host_name(&ascii)?;
    Ok(ascii)
}

/// Checks that an A-label name is a valid host name (letters, digits, hyphens).
fn check_host_name(ascii: &str) -> Result<(), Error> {
    let invalid = |why: String| Error::new(ErrorCode::InvalidDomain, why);
    if ascii.len() > MAX_NAME_LEN {
        return Err(invalid(format!(
            "`{ascii}` is {} octets long; at most {MAX_NAME_LEN} are allowed",
            ascii.len()
        )));
    }
    let mut last = "";
    for label in ascii.split('.') {
        if label.is_empty() {
            return Err(invalid(format!("`{ascii}` has an empty label")));
        }
        if label.len() > MAX_LABEL_LEN {
            return Err(invalid(format!(
                "label `{label}` is longer than {MAX_LABEL_LEN} octets"
            )));
        }
        if !label
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        {
            return Err(invalid(format!(
                "label `{label}` may hold only letters, digits and hyphens"
            )));
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Err(invalid(format!(
                "label `{label}` starts or ends with a hyphen"
            )));
        }
        last = label;
    }
    if last.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid(format!(
            "`{ascii}` ends in an all-digit label; IP addresses are not email domains"
        )));
    }
    Ok(())
}

/// True when `name` equals `domain` or lies below it, compared label by label, ASCII
/// case-insensitively, with trailing dots ignored (decision D6): `mail.example.net` and
/// `example.net` are in `example.net`; `evil-example.net` is not.
pub fn is_within(name: &str, domain: &str) -> bool {
    let name = name.strip_suffix('.').unwrap_or(name);
    let domain = domain.strip_suffix('.').unwrap_or(domain);
    if domain.is_empty() {
        return false;
    }
    let mut n = name.rsplit('.');
    for d in domain.rsplit('.') {
        match n.next() {
            Some(label) if label.eq_ignore_ascii_case(d) => {}
            _ => return false,
        }
    }
    true
}

/// Joins wire-format labels into a lower-case presentation name without the trailing dot.
/// Bytes other than letters, digits, `-` and `_` are written as `\DDD` (RFC 1035 §5.1), so a
/// label holding a dot or a NUL can never be mistaken for two labels or a shorter name.
pub fn presentation_name<'a>(labels: impl Iterator<Item = &'a [u8]>) -> String {
    let mut out = String::new();
    for (i, label) in labels.enumerate() {
        if i > 0 {
            out.push('.');
        }
        for &b in label {
            if b.is_ascii_alphanumeric() || b == b'-' || b == b'_' {
                out.push(char::from(b.to_ascii_lowercase()));
            } else {
                out.push_str(&format!("\\{b:03}"));
            }
        }
    }
    out
}

/// Why an SRV target name is unusable, if it is: every label must be non-empty and hold only
/// letters, digits, `-` and `_` (security scenario 80; Go CVE-2021-33195).
pub fn target_problem(target: &str) -> Option<String> {
    for label in target.split('.') {
        if label.is_empty() {
            return Some(format!(
                "target `{}` has an empty label",
                target.escape_debug()
            ));
        }
        if !label
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        {
            return Some(format!(
                "target `{}` has bytes other than letters, digits, `-` and `_`",
                target.escape_debug()
            ));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn s6125_6_4a_case_and_trailing_dot_are_normalised() {
        assert_eq!(normalize_domain("Example.COM.").unwrap(), "example.com");
    }

    #[test]
    fn d21_idn_domain_becomes_a_labels() {
        assert_eq!(
            normalize_domain("bücher.example").unwrap(),
            "xn--bcher-kva.example"
        );
        assert_eq!(
            normalize_domain("XN--BCHER-KVA.example").unwrap(),
            "xn--bcher-kva.example"
        );
    }

    #[test]
    fn invalid_host_names_are_rejected_with_a_typed_error() {
        for bad in [
            "exa mple.com",
            "-a.example",
            "a-.example",
            "a..example",
            "a_b.example",
            "1.2.3.4",
            "example.com\0",
        ] {
            let err = normalize_domain(bad).unwrap_err();
            assert_eq!(err.code(), ErrorCode::InvalidDomain, "{bad}: {err}");
        }
        let long = format!("{}.example", "a".repeat(64));
        assert_eq!(
            normalize_domain(&long).unwrap_err().code(),
            ErrorCode::InvalidDomain
        );
        let total = ["abcdefghi"; 26].join(".");
        assert_eq!(
            normalize_domain(&total).unwrap_err().code(),
            ErrorCode::InvalidDomain
        );
    }

    #[test]
    fn address_literal_and_empty_domain_have_their_own_codes() {
        assert_eq!(
            normalize_domain("[192.0.2.1]").unwrap_err().code(),
            ErrorCode::AddressLiteral
        );
        assert_eq!(
            normalize_domain("").unwrap_err().code(),
            ErrorCode::EmptyDomain
        );
        assert_eq!(
            normalize_domain(".").unwrap_err().code(),
            ErrorCode::EmptyDomain
        );
    }

    #[test]
    fn d6_in_domain_is_label_wise() {
        assert!(is_within("example.net", "example.net"));
        assert!(is_within("mail.Example.NET.", "example.net"));
        assert!(!is_within("evil-example.net", "example.net"));
        assert!(!is_within("example.net.evil.org", "example.net"));
        assert!(!is_within("net", "example.net"));
    }

    #[test]
    fn s2782_tgt_wire_labels_with_special_bytes_are_escaped_and_refused() {
        let name = |labels: &[&[u8]]| presentation_name(labels.iter().copied());
        assert_eq!(name(&[b"Mail", b"Example"]), "mail.example");
        assert!(target_problem(&name(&[b"_srv", b"a-b"])).is_none());
        for bad in [&b"a b"[..], b"a\0", b"a.b", b"a/b", b"<x>"] {
            let shown = name(&[bad, b"example"]);
            assert!(
                shown.starts_with("a\\") || shown.starts_with("\\"),
                "{shown}"
            );
            assert!(target_problem(&shown).is_some(), "{shown}");
        }
        assert_eq!(name(&[b"a.b", b"example"]), "a\\046b.example");
        assert!(target_problem("a..example").is_some());
    }
}
