//! DNS names in presentation form: rendering wire labels, comparing names label by label
//! (decision D6), and checking SRV targets.

/// True when `name` equals `domain` or lies below it, compared label by label, ASCII
/// case-insensitively, with trailing dots ignored (decision D6): `mail.example.net` and
/// `example.net` are in `example.net`; `evil-example.net` is not.
pub(crate) fn is_within(name: &str, domain: &str) -> bool {
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

/// A host name as the core compares and keeps it: lower case, without the trailing dot.
pub(crate) fn canonical_host(name: &str) -> String {
    name.strip_suffix('.').unwrap_or(name).to_ascii_lowercase()
}

/// Joins wire-format labels into a lower-case presentation name without the trailing dot.
/// Bytes other than letters, digits, `-` and `_` are written as `\DDD` (RFC 1035 §5.1), so a
/// label holding a dot or a NUL can never be mistaken for two labels or a shorter name.
pub(crate) fn presentation_name<'a>(labels: impl Iterator<Item = &'a [u8]>) -> String {
    let mut out = String::new();
    for (i, label) in labels.enumerate() {
        if i > 0 {
            out.push('.');
        }
        for &b in label {
            if b.is_ascii_alphanumeric() || b == b'-' || b == b'_' {
                out.push(char::from(b.to_ascii_lowercase()));
            } else {
                // `\DDD` without a formatting call per byte (issue 12: owner names that
                // need escapes are rendered often).
                out.push('\\');
                out.extend([b / 100, b / 10 % 10, b % 10].map(|d| char::from(b'0' + d)));
            }
        }
    }
    out
}

/// Why an SRV target name is unusable, if it is: every label must be non-empty and hold only
/// letters, digits, `-` and `_` (security scenario 80; Go CVE-2021-33195).
pub(crate) fn target_problem(target: &str) -> Option<String> {
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

/// Longest host name in presentation form without the trailing dot (RFC 1035 §2.3.4).
#[cfg(feature = "autoconfig")]
const MAX_HOST_LEN: usize = 253;
/// Longest label (RFC 1035 §2.3.4).
#[cfg(feature = "autoconfig")]
const MAX_LABEL_LEN: usize = 63;

/// Why a host name named by a document rather than by DNS (an autoconfig `<hostname>`, an URL's
/// host) is unusable, if it is. `host` is in canonical form ([`canonical_host`]). The SRV-target
/// rule ([`target_problem`]) first — which already refuses spaces, URLs, `%`, `[`, `:` and `@` —
/// then what DNS itself would refuse (labels over 63 octets, names over 253) and IP literals: a
/// name whose last label is all digits (`192.0.2.1`) is an address, not a host name.
#[cfg(feature = "autoconfig")]
pub(crate) fn host_problem(host: &str) -> Option<String> {
    if host.is_empty() {
        return Some("the host name is empty".to_owned());
    }
    if let Some(problem) = target_problem(host) {
        return Some(problem);
    }
    if host.len() > MAX_HOST_LEN {
        return Some(format!(
            "host `{host}` is {} octets long; at most {MAX_HOST_LEN} are allowed",
            host.len()
        ));
    }
    if let Some(label) = host.split('.').find(|l| l.len() > MAX_LABEL_LEN) {
        return Some(format!(
            "host `{host}` has the label `{label}`, longer than {MAX_LABEL_LEN} octets"
        ));
    }
    if host
        .rsplit('.')
        .next()
        .is_some_and(|last| last.bytes().all(|b| b.is_ascii_digit()))
    {
        return Some(format!(
            "`{host}` ends in an all-digit label: an IP address, not a host name"
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn d6_in_domain_is_label_wise() {
        assert!(is_within("example.net", "example.net"));
        assert!(is_within("mail.Example.NET.", "example.net"));
        assert!(!is_within("evil-example.net", "example.net"));
        assert!(!is_within("example.net.evil.org", "example.net"));
        assert!(!is_within("net", "example.net"));
    }

    #[test]
    fn target_labels_with_special_bytes_are_escaped_and_refused() {
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

    #[cfg(feature = "autoconfig")]
    #[test]
    fn document_hosts_follow_the_target_rule_and_refuse_ip_literals_and_overlong_names() {
        assert!(host_problem("imap.example.net").is_none());
        assert!(host_problem("_x.example-1.net").is_none());
        for bad in [
            "",
            "192.0.2.1",
            "10",
            "[::1]",
            "::1",
            "mail example.net",
            "https://mail.example.net/",
            "mail.example.net:993",
            "user@mail.example.net",
            "mail.%emaildomain%",
            "a..b",
        ] {
            assert!(host_problem(bad).is_some(), "{bad}");
        }
        assert!(host_problem(&format!("{}.example", "a".repeat(64))).is_some());
        assert!(host_problem(&["abcdefghi"; 26].join(".")).is_some());
    }
}
