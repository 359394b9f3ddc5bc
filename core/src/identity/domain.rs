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
/// all, no `??--` label other than an `xn--` one, and a top-level label that is not all digits.
///
/// Without the `uts46` feature (the WebAssembly build, which leaves the Unicode tables to the
/// platform) a domain that needs UTS #46 is refused; see [`normalize_domain_with`].
#[cfg(feature = "uts46")]
pub fn normalize_domain(input: &str) -> Result<String, Error> {
    normalize_domain_with(input, |domain| idna::domain_to_ascii_strict(domain).ok())
}

/// Normalises a domain typed by a user to lower-case A-labels without a trailing dot.
///
/// This build has no UTS #46 tables (feature `uts46` off): a domain with U-labels or `xn--`
/// labels is refused; use [`normalize_domain_with`] and the host's conversion instead.
#[cfg(not(feature = "uts46"))]
pub fn normalize_domain(input: &str) -> Result<String, Error> {
    let mut refused = false;
    normalize_domain_with(input, |_| {
        refused = true;
        None
    })
    .map_err(|e| {
        if !refused {
            return e;
        }
        Error::new(
            ErrorCode::InvalidDomain,
            format!(
                "`{}` needs UTS #46 processing, which this build (without the `uts46` feature) \
                 leaves to its host (`normalize_domain_with`)",
                input.escape_debug()
            ),
        )
    })
}

/// [`normalize_domain`] with the UTS #46 ToASCII step supplied by the host, for builds whose
/// platform already has it (a browser's or Node's URL parser).
///
/// `to_ascii` is called only for a domain with a non-ASCII character or an `xn--` label, after
/// every ASCII character has been checked to be a letter, digit, hyphen or dot. It receives the
/// domain with `.` between labels and `xn--` labels decoded to U-labels, and returns the A-label
/// form, or `None` when the domain is invalid. Its answer is not trusted: an `xn--` label of the
/// input must come back unchanged, the label count must not change, and the result must be a
/// valid host name (CheckHyphens included). A pure letter-digit-hyphen domain never reaches it.
pub fn normalize_domain_with(
    input: &str,
    to_ascii: impl FnOnce(&str) -> Option<String>,
) -> Result<String, Error> {
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
    // Under STD3 rules every ASCII character other than a letter, digit, hyphen or dot is
    // invalid, so refusing them first changes no answer and keeps characters that a URL parser
    // would read as syntax (`/`, `:`, `@`, `%`, ...) away from a host's conversion.
    if let Some(bad) = trimmed.chars().find(|c| {
        c.is_control()
            || c.is_whitespace()
            || (c.is_ascii() && !(c.is_ascii_alphanumeric() || *c == '-' || *c == '.'))
    }) {
        return Err(Error::new(
            ErrorCode::InvalidDomain,
            format!(
                "the domain `{}` contains the character {bad:?}",
                trimmed.escape_debug()
            ),
        ));
    }
    let ascii = if needs_uts46(trimmed) {
        uts46_to_ascii(trimmed, to_ascii)?
    } else {
        trimmed.to_ascii_lowercase()
    };
    check_host_name(&ascii)?;
    Ok(ascii)
}

/// Characters that UTS #46 maps to text holding a full stop and that its STD3 rules therefore
/// disallow (U+2024, U+2488–U+249B, U+FE52, U+1F100). A URL parser, which does not use STD3
/// rules, would turn them into label separators, so they are refused before any conversion.
fn maps_to_a_full_stop(c: char) -> bool {
    matches!(
        c,
        '\u{2024}' | '\u{2488}'..='\u{249B}' | '\u{FE52}' | '\u{1F100}'
    )
}

/// UTS #46 ToASCII through `to_ascii`, with the checks a lenient conversion may skip: `xn--`
/// labels are decoded here and must come back unchanged (so an A-label must be the valid,
/// mapped and normalised form of its U-label), and no character may become a label separator.
fn uts46_to_ascii(
    domain: &str,
    to_ascii: impl FnOnce(&str) -> Option<String>,
) -> Result<String, Error> {
    let invalid = |why: String| Error::new(ErrorCode::InvalidDomain, why);
    if let Some(bad) = domain.chars().find(|&c| maps_to_a_full_stop(c)) {
        return Err(invalid(format!(
            "`{domain}` contains {bad:?}, which UTS #46 (STD3 rules) does not allow"
        )));
    }
    // The three full stops that UTS #46 maps to `.` separate labels.
    let dotted: String = domain
        .chars()
        .map(|c| match c {
            '\u{3002}' | '\u{FF0E}' | '\u{FF61}' => '.',
            c => c,
        })
        .collect();
    let mut a_labels = Vec::new();
    let mut unicode = Vec::new();
    for (i, label) in dotted.split('.').enumerate() {
        let lower = label.to_ascii_lowercase();
        match lower.strip_prefix("xn--") {
            Some(puny) => {
                let decoded = u_label(puny)
                    .ok_or_else(|| invalid(format!("label `{label}` is not valid Punycode")))?;
                a_labels.push((i, lower.clone()));
                unicode.push(decoded);
            }
            None => unicode.push(label.to_owned()),
        }
    }
    let ascii = to_ascii(&unicode.join(".")).ok_or_else(|| {
        invalid(format!(
            "`{domain}` is not a valid internationalised domain name (UTS #46)"
        ))
    })?;
    let labels: Vec<&str> = ascii.split('.').collect();
    if labels.len() != unicode.len() {
        return Err(invalid(format!(
            "`{domain}` has {} labels but its A-label form `{ascii}` has {}",
            unicode.len(),
            labels.len()
        )));
    }
    for (i, a_label) in a_labels {
        if labels[i] != a_label {
            return Err(invalid(format!(
                "`{a_label}` is not a valid A-label: its U-label converts to `{}`",
                labels[i]
            )));
        }
    }
    Ok(ascii)
}

/// True when UTS #46 has work to do beyond lower-casing: a non-ASCII character, or an `xn--`
/// label whose Punycode must be checked.
fn needs_uts46(domain: &str) -> bool {
    !domain.is_ascii()
        || domain
            .split('.')
            .any(|l| l.len() >= 4 && l[..4].eq_ignore_ascii_case("xn--"))
}

/// The U-label that the Punycode after an `xn--` prefix encodes (RFC 3492); `None` when it does
/// not decode or is empty. Needs no Unicode tables.
fn u_label(puny: &str) -> Option<String> {
    idna::punycode::decode_to_string(puny).filter(|u| !u.is_empty())
}

/// The Unicode form of an A-label domain, for display: `xn--` labels are decoded from Punycode
/// (labels that do not decode are kept as they are). Needs no Unicode tables.
pub fn domain_to_unicode(ascii: &str) -> String {
    ascii
        .split('.')
        .map(|label| {
            label
                .strip_prefix("xn--")
                .and_then(u_label)
                .unwrap_or_else(|| label.to_owned())
        })
        .collect::<Vec<_>>()
        .join(".")
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
        check_hyphens(label).map_err(invalid)?;
        last = label;
    }
    if last.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid(format!(
            "`{ascii}` ends in an all-digit label; IP addresses are not email domains"
        )));
    }
    Ok(())
}

/// UTS #46 CheckHyphens (RFC 5891 §4.2.3.1): no `??--` label other than an `xn--` one, and an
/// `xn--` label must decode to a U-label that neither starts nor ends with a hyphen nor has one
/// in its third and fourth positions. A host's conversion (which need not check hyphens, as the
/// URL parser does not) is held to the same rule as the built-in one.
fn check_hyphens(label: &str) -> Result<(), String> {
    let Some(puny) = label.strip_prefix("xn--") else {
        if label.get(2..4) == Some("--") {
            return Err(format!(
                "label `{label}` has `--` in its third and fourth positions"
            ));
        }
        return Ok(());
    };
    let unicode = u_label(puny).ok_or_else(|| format!("label `{label}` is not valid Punycode"))?;
    let third_and_fourth = unicode.chars().skip(2).take(2).eq("--".chars());
    if unicode.starts_with('-') || unicode.ends_with('-') || third_and_fourth {
        return Err(format!(
            "label `{label}` (`{unicode}`) has a hyphen where UTS #46 forbids one"
        ));
    }
    Ok(())
}

/// The registrable domain of `host` (A-labels, lower case): the name a user must confirm when a
/// server is reached through a mapping nobody authenticated (decision D28).
///
/// With the `public-suffix-list` feature it is the Public Suffix List's "eTLD+1" (`mx1.mail.
/// example.co.uk` → `example.co.uk`). Without it the list is not in the build, and the rule
/// never shortens a name to something that could be a public suffix: `host` minus its first
/// label when it has three labels or more, else `host` itself (`mx1.mail.example.co.uk` →
/// `mail.example.co.uk`). The user then sees a longer name than the list would give, never a
/// shorter one.
pub fn registrable_domain(host: &str) -> String {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    #[cfg(feature = "public-suffix-list")]
    {
        if let Some(d) = psl::domain_str(&host) {
            return d.to_owned();
        }
        host
    }
    #[cfg(not(feature = "public-suffix-list"))]
    {
        match host.split_once('.') {
            Some((_, rest)) if rest.contains('.') => rest.to_owned(),
            _ => host,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn s6125_6_4a_case_and_trailing_dot_are_normalised() {
        assert_eq!(normalize_domain("Example.COM.").unwrap(), "example.com");
    }

    #[cfg(feature = "uts46")]
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
    fn d21_host_conversion_is_asked_only_for_idn_and_checked_again() {
        let mut asked = Vec::new();
        let mut host = |d: &str| {
            asked.push(d.to_owned());
            match d.to_lowercase().as_str() {
                "bücher.example" | "xn--bcher-kva.example" => {
                    Some("xn--bcher-kva.example".to_owned())
                }
                "ünderscore.example" => Some("xn--nderscore-9db.ex_ample".to_owned()),
                _ => None,
            }
        };
        assert_eq!(
            normalize_domain_with("Bücher.example.", &mut host).unwrap(),
            "xn--bcher-kva.example"
        );
        assert_eq!(
            normalize_domain_with("XN--bcher-kva.example", &mut host).unwrap(),
            "xn--bcher-kva.example"
        );
        assert_eq!(
            normalize_domain_with("Mail.Example.NET", &mut host).unwrap(),
            "mail.example.net"
        );
        // URL syntax never reaches the host; a bad answer from the host is caught.
        for bad in [
            "bü/cher.example",
            "bü@cher.example",
            "bü%63her.example",
            "bü:1.example",
        ] {
            let err = normalize_domain_with(bad, &mut host).unwrap_err();
            assert_eq!(err.code(), ErrorCode::InvalidDomain, "{bad}");
        }
        let err = normalize_domain_with("ünderscore.example", &mut host).unwrap_err();
        assert_eq!(err.code(), ErrorCode::InvalidDomain);
        let err = normalize_domain_with("ünknown.example", &mut host).unwrap_err();
        assert!(err.message().contains("UTS #46"), "{err}");
        assert_eq!(
            asked,
            [
                "Bücher.example",
                "bücher.example",
                "ünderscore.example",
                "ünknown.example"
            ]
        );
    }

    #[test]
    fn d21_hyphens_in_third_and_fourth_position_are_reserved() {
        assert_eq!(
            normalize_domain("ab--cd.example").unwrap_err().code(),
            ErrorCode::InvalidDomain
        );
        assert_eq!(
            normalize_domain_with("ab--cd.example", |_| None)
                .unwrap_err()
                .code(),
            ErrorCode::InvalidDomain
        );
    }

    #[test]
    fn d21_display_form_decodes_punycode_without_tables() {
        assert_eq!(
            domain_to_unicode("mail.xn--bcher-kva.example"),
            "mail.bücher.example"
        );
        assert_eq!(domain_to_unicode("xn--.example"), "xn--.example");
    }

    #[cfg(not(feature = "uts46"))]
    #[test]
    fn d21_without_tables_u_labels_are_left_to_the_host() {
        let err = normalize_domain("bücher.example").unwrap_err();
        assert_eq!(err.code(), ErrorCode::InvalidDomain);
        assert!(err.message().contains("leaves to its host"), "{err}");
        assert_eq!(normalize_domain("Example.NET").unwrap(), "example.net");
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
}
