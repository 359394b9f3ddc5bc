//! DNS names in presentation form: rendering wire labels, comparing names label by label
//! (decision D6), and checking SRV targets.

/// True when `name` equals `domain` or lies below it, compared label by label, ASCII
/// case-insensitively, with trailing dots ignored (decision D6): `mail.example.net` and
/// `example.net` are in `example.net`; `evil-example.net` is not.
pub(crate) fn is_within(name: &str, domain: &str) -> bool {
    let name = name.strip_suffix('.').unwrap_or(name);
    let domain = domain.strip_suffix('.').unwrap_or(domain);
    if domain.is_empty() || name.len() < domain.len() {
        return false;
    }
    // Label by label from the right is the same as: `domain` is a suffix of `name` (ASCII
    // case-insensitively) that starts `name` or follows a dot. Compared as bytes, without
    // splitting either (issue 16 §1: once per candidate).
    let (head, tail) = name.as_bytes().split_at(name.len() - domain.len());
    tail.eq_ignore_ascii_case(domain.as_bytes()) && head.last().is_none_or(|&b| b == b'.')
}

/// A host name as the core compares and keeps it: lower case, without the trailing dot.
pub(crate) fn canonical_host(name: &str) -> String {
    name.strip_suffix('.').unwrap_or(name).to_ascii_lowercase()
}

/// Which bytes a label presents as themselves (lower-cased): letters, digits, `-` and `_`.
/// A table, as every byte of every name rendered or compared is looked up (issue 16 §1).
const PLAIN: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = c.is_ascii_alphanumeric() || c == b'-' || c == b'_';
        b += 1;
    }
    table
};

/// Whether a label byte is presented as itself (lower-cased): a letter, digit, `-` or `_`.
fn is_plain(b: u8) -> bool {
    PLAIN[usize::from(b)]
}

/// `\DDD` for a byte that is not presented as itself (RFC 1035 §5.1).
fn escaped(b: u8) -> [u8; 4] {
    [b'\\', b'0' + b / 100, b'0' + b / 10 % 10, b'0' + b % 10]
}

/// Joins wire-format labels into a lower-case presentation name without the trailing dot.
/// Bytes other than letters, digits, `-` and `_` are written as `\DDD` (RFC 1035 §5.1), so a
/// label holding a dot or a NUL can never be mistaken for two labels or a shorter name.
/// `capacity`: room to reserve at once, the labels' lengths plus one each (the rendered length
/// when nothing needs an escape): growing the string char by char, with a UTF-8 check per
/// label, was a tenth of a plan's time (issue 16 §1, callgrind). A label without escapes is
/// copied at once and lower-cased in place.
pub(crate) fn presentation_name<'a>(
    labels: impl Iterator<Item = &'a [u8]>,
    capacity: usize,
) -> String {
    let mut out = Vec::with_capacity(capacity);
    render_name(labels, &mut out);
    // Every byte written is ASCII, so this never falls back.
    String::from_utf8(out).unwrap_or_default()
}

/// [`presentation_name`] of `labels`, written into `out` (which it clears): a buffer reused
/// from name to name costs no allocation per name. Every byte written is ASCII.
pub(crate) fn render_name<'a>(labels: impl Iterator<Item = &'a [u8]>, out: &mut Vec<u8>) {
    out.clear();
    for (i, label) in labels.enumerate() {
        if i > 0 {
            out.push(b'.');
        }
        if label.iter().all(|&b| is_plain(b)) {
            let from = out.len();
            out.extend_from_slice(label);
            out[from..].make_ascii_lowercase();
        } else {
            for &b in label {
                if is_plain(b) {
                    out.push(b.to_ascii_lowercase());
                } else {
                    out.extend_from_slice(&escaped(b));
                }
            }
        }
    }
}

/// Whether [`presentation_name`] of `labels` is `text`, without rendering it: byte by byte
/// as it would be written (issue 16 §1: each response's question is checked this way).
pub(crate) fn is_presented_as<'a>(labels: impl Iterator<Item = &'a [u8]>, text: &str) -> bool {
    let mut rest = text.as_bytes();
    for (i, label) in labels.enumerate() {
        if i > 0 {
            match rest.split_first() {
                Some((b'.', after)) => rest = after,
                _ => return false,
            }
        }
        for &b in label {
            if is_plain(b) {
                match rest.split_first() {
                    Some((&t, after)) if t == b.to_ascii_lowercase() => rest = after,
                    _ => return false,
                }
            } else {
                match rest.strip_prefix(&escaped(b)[..]) {
                    Some(after) => rest = after,
                    None => return false,
                }
            }
        }
    }
    rest.is_empty()
}

/// Why an SRV target name is unusable, if it is: every label must be non-empty and hold only
/// letters, digits, `-` and `_` (security scenario 80; Go CVE-2021-33195).
pub(crate) fn target_problem(target: &str) -> Option<String> {
    // One pass over the bytes, labels in order: the first label that is empty or holds another
    // byte names the problem (as splitting at dots and checking each label would).
    let empty = || format!("target `{}` has an empty label", target.escape_debug());
    let mut label_len = 0;
    for b in target.bytes() {
        if b == b'.' {
            if label_len == 0 {
                return Some(empty());
            }
            label_len = 0;
        } else if b.is_ascii_alphanumeric() || b == b'-' || b == b'_' {
            label_len += 1;
        } else {
            return Some(format!(
                "target `{}` has bytes other than letters, digits, `-` and `_`",
                target.escape_debug()
            ));
        }
    }
    (label_len == 0).then(empty)
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

    /// The rule as it was written before the one-pass reading: split at dots, check each label.
    fn target_problem_by_labels(target: &str) -> Option<String> {
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

    #[test]
    fn security_scenario_80_target_problem_in_one_pass_says_what_label_by_label_said() {
        // Every string of up to five characters over an alphabet with each kind of byte.
        let alphabet = ["a", "Z", "0", "-", "_", ".", " ", "$", "é", "\u{0}"];
        let mut names = vec![String::new()];
        let mut last = vec![String::new()];
        for _ in 0..5 {
            last = last
                .iter()
                .flat_map(|p| alphabet.iter().map(move |c| format!("{p}{c}")))
                .collect();
            names.extend(last.iter().cloned());
        }
        assert!(names.len() > 100_000);
        for name in &names {
            assert_eq!(
                target_problem(name),
                target_problem_by_labels(name),
                "{name:?}"
            );
        }
    }

    #[test]
    fn d6_in_domain_is_label_wise() {
        assert!(is_within("example.net", "example.net"));
        assert!(is_within("mail.Example.NET.", "example.net"));
        assert!(!is_within("evil-example.net", "example.net"));
        assert!(!is_within("example.net.evil.org", "example.net"));
        assert!(!is_within("net", "example.net"));
    }

    /// The label-by-label comparison `is_within` had before it compared suffixes (issue 16 §1).
    fn is_within_by_labels(name: &str, domain: &str) -> bool {
        let name = name.strip_suffix('.').unwrap_or(name);
        let domain = domain.strip_suffix('.').unwrap_or(domain);
        if domain.is_empty() {
            return false;
        }
        let mut n = name.rsplit('.');
        domain
            .rsplit('.')
            .all(|d| n.next().is_some_and(|label| label.eq_ignore_ascii_case(d)))
    }

    // Requirements: D6.
    #[test]
    fn d6_in_domain_by_suffix_equals_label_by_label() {
        // Every string of up to four characters over an alphabet with dots, both cases and a
        // non-ASCII letter, as name and as domain.
        let alphabet = ["a", "A", "b", ".", "é"];
        let mut words = vec![String::new()];
        for _ in 0..4 {
            let longer: Vec<String> = words
                .iter()
                .filter(|w| w.chars().count() == words.last().map_or(0, |l| l.chars().count()))
                .flat_map(|w| alphabet.iter().map(move |c| format!("{w}{c}")))
                .collect();
            words.extend(longer);
        }
        let mut pairs = 0;
        for name in &words {
            for domain in &words {
                assert_eq!(
                    is_within(name, domain),
                    is_within_by_labels(name, domain),
                    "`{name}` in `{domain}`"
                );
                pairs += 1;
            }
        }
        assert!(pairs > 100_000, "{pairs}");
    }

    // Requirements: D17.
    #[test]
    fn d17_is_presented_as_equals_comparing_the_rendered_name() {
        let labels: [&[&[u8]]; 6] = [
            &[b"_imaps", b"_tcp", b"Example", b"NET"],
            &[b"a.b", b"example"],
            &[b"a\\046b", b"example"],
            &[b"\0", b"x y"],
            &[],
            &[b"", b"x"],
        ];
        let texts = [
            "_imaps._tcp.example.net",
            "_imaps._tcp.example.ne",
            "_imaps._tcp.example.net.",
            "a\\046b.example",
            "a.b.example",
            "a\\092046b.example",
            "\\000.x\\032y",
            "",
            ".x",
            "x",
        ];
        for l in labels {
            let rendered = presentation_name(l.iter().copied(), 0);
            for text in texts.iter().copied().chain([rendered.as_str()]) {
                assert_eq!(
                    is_presented_as(l.iter().copied(), text),
                    rendered == text,
                    "{l:?} as `{text}`"
                );
            }
        }
    }

    /// How a label byte was presented before the table and the copy of plain labels.
    fn presented_before(b: u8) -> String {
        if b.is_ascii_alphanumeric() || b == b'-' || b == b'_' {
            char::from(b.to_ascii_lowercase()).to_string()
        } else {
            format!("\\{b:03}")
        }
    }

    // Requirements: D17.
    #[test]
    fn d17_every_byte_is_rendered_and_compared_as_before() {
        for b in 0..=255u8 {
            // Alone, between plain bytes, and in a label of its own beside a plain one.
            let alone = [b];
            let between = [b'A', b, b'z'];
            let cases: [&[&[u8]]; 3] = [&[&alone], &[&between], &[b"Mail", &alone]];
            let wanted = [
                presented_before(b),
                format!("a{}z", presented_before(b)),
                format!("mail.{}", presented_before(b)),
            ];
            for (labels, wanted) in cases.iter().zip(&wanted) {
                let rendered = presentation_name(labels.iter().copied(), 0);
                assert_eq!(&rendered, wanted, "byte {b}");
                assert!(is_presented_as(labels.iter().copied(), wanted), "byte {b}");
                let upper = wanted.to_ascii_uppercase();
                assert_eq!(
                    is_presented_as(labels.iter().copied(), &upper),
                    &upper == wanted,
                    "byte {b}"
                );
            }
        }
    }

    #[test]
    fn target_labels_with_special_bytes_are_escaped_and_refused() {
        let name = |labels: &[&[u8]]| presentation_name(labels.iter().copied(), 0);
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
