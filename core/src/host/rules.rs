//! Rules the hosts (the JS package, the C host, the Rust examples) apply around the core, decided
//! here once so that no host restates them: which candidates a prober skips, how long a chain a
//! host collects, which errors mean "a response to another question", which lookup failure a host
//! error stands for, how a probed target without addresses fails ([`no_address_error`], D50),
//! the command-line option values and numbers ([`number_value`]), and the hosts' caps and deadline
//! ([`MAX_CONNECTION_BYTES`], [`DEFAULT_TOTAL_TIMEOUT_MS`]).

use core::str::FromStr;

use serde::Deserialize;
use serde::de::IntoDeserializer;
use serde::de::value::{Error as DeError, StrDeserializer};

use crate::error::{Error, ErrorCode};
pub use crate::limits::{
    DEFAULT_TOTAL_TIMEOUT_MS, MAX_CHAIN, MAX_CONCURRENCY, MAX_CONNECTION_BYTES, MAX_REASON_CHARS,
    MAX_TIMEOUT_MS,
};
use crate::plan::{Failure, IncomingPreference, MinimumSecurity, Options, TlsOrder};
use crate::service::{Security, Service};

/// Whether a prober skips a candidate with this security: a probe never connects in cleartext,
/// even when the plan lists cleartext fallbacks (RFC 8314 §5.2; nothing is learned that could be
/// trusted, and the probe may log in).
pub fn prober_skips(security: Security) -> bool {
    security == Security::Cleartext
}

/// One line of bulk input (`mailsrv plan --input`), as a host should plan it: `None` for a blank
/// line or a `#` comment (after trimming white space); else the trimmed line (`input`) and the
/// address to plan. A line without `@` is a bare domain, planned as `postmaster@DOMAIN` (RFC 5321
/// §4.5.1: every mail domain has a postmaster; the SRV lookups depend on the domain only). Any
/// other line is planned as it is, and the planner refuses it with its own error if it must.
pub fn bulk_line(line: &str) -> Option<BulkLine<'_>> {
    let input = line.trim();
    if input.is_empty() || input.starts_with('#') {
        return None;
    }
    let address = if input.contains('@') {
        std::borrow::Cow::Borrowed(input)
    } else {
        std::borrow::Cow::Owned(format!("postmaster@{input}"))
    };
    Some(BulkLine { input, address })
}

/// A line of bulk input to plan (see [`bulk_line`]).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct BulkLine<'a> {
    /// The line, trimmed: what the output names.
    pub input: &'a str,
    /// The address to plan.
    pub address: std::borrow::Cow<'a, str>,
}

/// The lookup failure to report for a question whose query a host could not complete with the
/// error `code` (a host code such as `TIMEOUT`; `None` when the error carried no known code).
pub fn lookup_failure(code: Option<ErrorCode>) -> Failure {
    match code {
        Some(ErrorCode::Timeout) => Failure::Timeout,
        _ => Failure::NetworkError,
    }
}

/// The most bytes of a host name that [`no_address_error`] shows: a DNS name in text is at most
/// 254 bytes with its trailing dot (RFC 1035 §2.3.4), 1 012 if every octet were written `\DDD`.
/// The C ABI refuses a longer name (`INVALID_ARGUMENT`).
pub const MAX_NO_ADDRESS_HOST: usize = 1024;

/// The most bytes of a resolver's error text that [`no_address_error`] shows. The C ABI refuses
/// a longer text (`INVALID_ARGUMENT`).
pub const MAX_NO_ADDRESS_DETAIL: usize = 512;

/// The failure of a probed candidate whose addresses the resolver the plan came from does not
/// give (D50): a probe host that planned through a resolver asks that resolver, and only it, for
/// the A and AAAA records of a candidate the plan gives no address ([`crate::address_queries`]),
/// and when none comes back the candidate fails with this error instead of going to the system's
/// name resolution, which would tell another party which mail server is probed.
///
/// The code is `NETWORK_ERROR`, the message `no address for HOST from the resolver`, followed by
/// `: DETAIL` when the host has the resolver's own error text (`detail`, e.g. a timeout of a
/// query; `None` or empty adds nothing). Both texts are shown on one line: control characters
/// (line breaks, NUL, escape sequences), line separators and bidirectional controls become
/// U+FFFD, and each is cut at a character boundary
/// to [`MAX_NO_ADDRESS_HOST`] and [`MAX_NO_ADDRESS_DETAIL`] bytes, so the message is at most
/// 1 571 bytes. Every host (the Rust example, the C host through `mailsrv_no_address_error`, the
/// JS prober through `noAddressError`) prints this error as it is.
pub fn no_address_error(host: &str, detail: Option<&str>) -> Error {
    let mut message = String::from("no address for ");
    push_one_line(&mut message, host, MAX_NO_ADDRESS_HOST);
    message.push_str(" from the resolver");
    if let Some(detail) = detail.filter(|d| !d.is_empty()) {
        message.push_str(": ");
        push_one_line(&mut message, detail, MAX_NO_ADDRESS_DETAIL);
    }
    Error::new(ErrorCode::NetworkError, message)
}

/// Appends `text` to `out` as one line of outside text (`diagnostic::push_shown`), at most `cap`
/// bytes of it.
fn push_one_line(out: &mut String, text: &str, cap: usize) {
    crate::diagnostic::push_shown(out, text, usize::MAX, cap);
}

fn parse_kebab<'de, T: Deserialize<'de>>(
    s: &'de str,
    what: &str,
    choices: &str,
) -> Result<T, Error> {
    let de: StrDeserializer<'de, DeError> = s.into_deserializer();
    T::deserialize(de).map_err(|_| {
        Error::new(
            ErrorCode::InvalidOption,
            format!("`{s}` is not {what}: use {choices}"),
        )
    })
}

impl FromStr for TlsOrder {
    type Err = Error;
    /// `implicit-first` or `domain-priority` (the JSON spelling).
    fn from_str(s: &str) -> Result<Self, Error> {
        parse_kebab(s, "a TLS order", "implicit-first or domain-priority")
    }
}

impl FromStr for IncomingPreference {
    type Err = Error;
    /// `imap` or `pop3`.
    fn from_str(s: &str) -> Result<Self, Error> {
        parse_kebab(s, "an incoming protocol", "imap or pop3")
    }
}

impl FromStr for MinimumSecurity {
    type Err = Error;
    /// `implicit-tls`, `starttls` or `cleartext`.
    fn from_str(s: &str) -> Result<Self, Error> {
        parse_kebab(
            s,
            "a minimum security",
            "implicit-tls, starttls or cleartext",
        )
    }
}

impl FromStr for Service {
    type Err = Error;
    /// A service label without underscore: `submissions`, `submission`, `imaps`, `imap`,
    /// `pop3s` or `pop3`.
    fn from_str(s: &str) -> Result<Self, Error> {
        Service::ALL
            .into_iter()
            .find(|service| service.label() == s)
            .ok_or_else(|| {
                Error::new(
                    ErrorCode::InvalidOption,
                    format!(
                        "`{s}` is not a service: use submissions, submission, imaps, imap, pop3s or pop3"
                    ),
                )
            })
    }
}

impl MinimumSecurity {
    /// The minimum security the two command-line switches ask for: allowing cleartext,
    /// requiring implicit TLS, or neither (the default, STARTTLS). Both at once contradict each
    /// other and are refused.
    pub fn from_switches(allow_cleartext: bool, implicit_tls_only: bool) -> Result<Self, Error> {
        match (allow_cleartext, implicit_tls_only) {
            (true, true) => Err(Error::new(
                ErrorCode::InvalidOption,
                "allowing cleartext and requiring implicit TLS exclude each other",
            )),
            (true, false) => Ok(Self::Cleartext),
            (false, true) => Ok(Self::ImplicitTls),
            (false, false) => Ok(Self::Starttls),
        }
    }
}

/// Validates the value of a command-line option by its name (`tls-order`, `prefer`, `service`,
/// `minimum-security`) and returns it in its canonical spelling; unknown names and values are
/// `INVALID_OPTION` with the core's text.
pub fn option_value(option: &str, value: &str) -> Result<&'static str, Error> {
    Ok(match option {
        "tls-order" => match value.parse::<TlsOrder>()? {
            TlsOrder::ImplicitFirst => "implicit-first",
            TlsOrder::DomainPriority => "domain-priority",
        },
        "prefer" => match value.parse::<IncomingPreference>()? {
            IncomingPreference::Imap => "imap",
            IncomingPreference::Pop3 => "pop3",
        },
        "service" => value.parse::<Service>()?.label(),
        "minimum-security" => match value.parse::<MinimumSecurity>()? {
            MinimumSecurity::ImplicitTls => "implicit-tls",
            MinimumSecurity::Starttls => "starttls",
            MinimumSecurity::Cleartext => "cleartext",
        },
        _ => {
            return Err(Error::new(
                ErrorCode::InvalidOption,
                format!("`{option}` is not an option with a fixed set of values"),
            ));
        }
    })
}

/// Sets the planner option `option` (`"tls-order"`, `"prefer"` or `"minimum-security"`) of
/// `options` from a command-line `value`, parsed as [`option_value`] parses it; `INVALID_OPTION`
/// with the core's text otherwise, and `options` unchanged.
pub fn set_option(options: &mut Options, option: &str, value: &str) -> Result<(), Error> {
    match option {
        "tls-order" => options.tls_order = value.parse()?,
        "prefer" => options.prefer = value.parse()?,
        "minimum-security" => options.minimum_security = value.parse()?,
        _ => {
            return Err(Error::new(
                ErrorCode::InvalidOption,
                format!("`{option}` is not a planner option with a fixed set of values"),
            ));
        }
    }
    Ok(())
}

/// Longest number text read, leading zeros included (u64::MAX has 20 digits).
const MAX_NUMBER_DIGITS: usize = 32;

/// A text as a refusal shows it: its first 64 characters on one line (`diagnostic::shown`: at
/// most 256 bytes).
fn shown(text: &str) -> String {
    crate::diagnostic::shown(text, 64)
}

/// The value of a numeric command-line option by its name, one rule for every host (the JS CLI
/// through `numberValue`, the C host through `mailsrv_number_value`, the Rust example): ASCII
/// decimal digits only, at most 32 of them (no sign, space, exponent, `0x` or fraction; leading
/// zeros are fine)
/// within the option's bounds — `timeout` and `total-timeout` 1 to [`MAX_TIMEOUT_MS`]
/// milliseconds, `seed` 0 to 2^64 - 1, `concurrency` 1 to [`MAX_CONCURRENCY`]. Anything else,
/// and an unknown option, is `INVALID_OPTION` naming the option, the text (its first 64
/// characters on one line, as `diagnostic::shown` shows outside text) and the range: at most
/// 400 bytes.
pub fn number_value(option: &str, text: &str) -> Result<u64, Error> {
    let (min, max, unit) = match option {
        "timeout" | "total-timeout" => (1, MAX_TIMEOUT_MS, " of milliseconds"),
        "seed" => (0, u64::MAX, ""),
        "concurrency" => (1, MAX_CONCURRENCY, " of domains"),
        _ => {
            return Err(Error::new(
                ErrorCode::InvalidOption,
                format!("`{}` is not an option with a numeric value", shown(option)),
            ));
        }
    };
    let value = if text.is_empty() || text.len() > MAX_NUMBER_DIGITS {
        None
    } else {
        text.bytes().try_fold(0u64, |n, b| {
            let digit = b.checked_sub(b'0').filter(|d| *d <= 9)?;
            n.checked_mul(10)?.checked_add(u64::from(digit))
        })
    };
    value.filter(|v| (min..=max).contains(v)).ok_or_else(|| {
        Error::new(
            ErrorCode::InvalidOption,
            format!(
                "`--{option}` must be a whole number{unit} from {min} to {max}, not `{}`",
                shown(text)
            ),
        )
    })
}

/// The time a host's `--now` names, in seconds since 1970-01-01 UTC: a plain number of seconds,
/// or an RFC 3339 UTC time with seconds and `Z` (`2026-12-01T00:00:00Z`; RFC 3339 §5.6, no
/// fraction, no offset), read with the calendar rules of RRSIG times (RFC 4034 §3.2). Anything
/// else is `INVALID_OPTION` naming the text. One rule for every host (the Rust example, the C
/// host through `mailsrv_parse_now`), so that `--now` means the same everywhere.
#[cfg(feature = "dnssec")]
pub fn parse_now(text: &str) -> Result<u64, Error> {
    let bad = || {
        Error::new(
            ErrorCode::InvalidOption,
            format!(
                "`{}` is neither seconds nor an RFC 3339 UTC time such as 2026-12-01T00:00:00Z",
                text.chars().take(64).collect::<String>()
            ),
        )
    };
    if !text.is_empty() && text.len() <= 20 && text.bytes().all(|b| b.is_ascii_digit()) {
        return text.parse::<u64>().map_err(|_| bad());
    }
    let b = text.as_bytes();
    let shape = b.len() == 20
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            10 => matches!(c, b'T' | b't'),
            13 | 16 => *c == b':',
            19 => matches!(c, b'Z' | b'z'),
            _ => c.is_ascii_digit(),
        });
    if !shape {
        return Err(bad());
    }
    let field = |a: usize, z: usize| text[a..z].parse::<u32>().unwrap_or(u32::MAX);
    let (mo, d, h, mi, s) = (
        field(5, 7),
        field(8, 10),
        field(11, 13),
        field(14, 16),
        field(17, 19),
    );
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || s > 60 {
        return Err(bad());
    }
    let digits: String = [
        &text[0..4],
        &text[5..7],
        &text[8..10],
        &text[11..13],
        &text[14..16],
        &text[17..19],
    ]
    .concat();
    crate::dnssec::text::parse_time(&digits).map_err(|_| bad())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(feature = "dnssec")]
    #[test]
    fn now_is_seconds_or_an_rfc3339_utc_time() {
        assert_eq!(parse_now("0").ok(), Some(0));
        assert_eq!(parse_now("1796083200").ok(), Some(1_796_083_200));
        assert_eq!(parse_now("2026-12-01T00:00:00Z").ok(), Some(1_796_083_200));
        assert_eq!(parse_now("2026-12-01t00:00:00z").ok(), Some(1_796_083_200));
        assert_eq!(parse_now("1970-01-01T00:00:01Z").ok(), Some(1));
        assert_eq!(parse_now("2024-02-29T23:59:59Z").ok(), Some(1_709_251_199));
        for bad in [
            "",
            "-1",
            "+5",
            "1e9",
            "99999999999999999999",
            "2026-12-01 00:00:00Z",
            "2026-12-01T00:00:00",
            "2026-12-01T00:00:00+01:00",
            "2026-12-01T00:00:00.5Z",
            "2026-13-01T00:00:00Z",
            "2026-12-00T00:00:00Z",
            "2026-12-01T24:00:00Z",
            "2026-12-01T00:60:00Z",
            "2026-02-29T00:00:00Z",
            "2026-02-30T00:00:00Z",
            "2026-04-31T00:00:00Z",
            "2100-02-29T00:00:00Z",
            "2026-1a-01T00:00:00Z",
            "２026-12-01T00:00:00Z",
        ] {
            let e = parse_now(bad).expect_err(bad);
            assert_eq!(e.code(), ErrorCode::InvalidOption, "{bad}");
        }
        let long = "9".repeat(10_000);
        assert!(parse_now(&long).unwrap_err().message().len() < 200);
    }

    #[test]
    fn a_prober_skips_only_cleartext() {
        assert!(prober_skips(Security::Cleartext));
        assert!(!prober_skips(Security::Starttls));
        assert!(!prober_skips(Security::ImplicitTls));
    }

    #[test]
    fn foreign_responses_are_the_three_mismatch_codes() {
        let foreign: Vec<_> = ErrorCode::ALL
            .iter()
            .filter(|c| c.is_foreign_response())
            .map(|c| c.name())
            .collect();
        assert_eq!(
            foreign,
            ["NOT_A_RESPONSE", "MESSAGE_ID_MISMATCH", "QUESTION_MISMATCH"]
        );
    }

    #[test]
    fn codes_round_trip_through_their_names() {
        for code in ErrorCode::ALL {
            assert_eq!(ErrorCode::from_name(code.name()), Some(*code));
        }
        assert_eq!(ErrorCode::from_name("timeout"), None);
    }

    #[test]
    fn d50_no_address_is_a_network_error_naming_the_host_and_the_resolver_error() {
        let e = no_address_error("mail.example.net", None);
        assert_eq!(e.code(), ErrorCode::NetworkError);
        assert_eq!(
            e.message(),
            "no address for mail.example.net from the resolver"
        );
        assert_eq!(
            no_address_error("localhost", Some("")),
            Error::new(
                ErrorCode::NetworkError,
                "no address for localhost from the resolver"
            )
        );
        assert_eq!(
            no_address_error("localhost", Some("query timed out")).message(),
            "no address for localhost from the resolver: query timed out"
        );
        assert_eq!(
            no_address_error(r"mail.ex\195\169.net.", Some("d\u{e9}j\u{e0}")).message(),
            r"no address for mail.ex\195\169.net. from the resolver: déjà"
        );
    }

    #[test]
    fn d50_no_address_is_one_line_and_capped_whatever_the_texts() {
        // Hostile texts: line breaks, NUL and an escape sequence cannot forge another line.
        let e = no_address_error("a\nerror OK\0\x1b[2J", Some("x\r\ny"));
        assert_eq!(
            e.message(),
            "no address for a\u{fffd}error OK\u{fffd}\u{fffd}[2J from the resolver: x\u{fffd}\u{fffd}y"
        );
        // Huge texts are cut at a character boundary, at the caps.
        let host = "é".repeat(MAX_NO_ADDRESS_HOST);
        let detail = "\n".repeat(MAX_NO_ADDRESS_DETAIL);
        let m = no_address_error(&host, Some(&detail)).message().to_owned();
        let shown_host = &m["no address for ".len()..m.find(" from").unwrap_or(0)];
        assert_eq!(shown_host, "é".repeat(MAX_NO_ADDRESS_HOST / 2));
        let shown_detail = &m[m.find(": ").unwrap_or(0) + 2..];
        assert_eq!(shown_detail, "\u{fffd}".repeat(MAX_NO_ADDRESS_DETAIL / 3));
        assert_eq!(m.len(), 35 + MAX_NO_ADDRESS_HOST + 510);
        assert!(!m.contains(['\n', '\r', '\0']));
    }

    #[test]
    fn only_a_timeout_is_a_timeout() {
        assert_eq!(lookup_failure(Some(ErrorCode::Timeout)), Failure::Timeout);
        assert_eq!(
            lookup_failure(Some(ErrorCode::NetworkError)),
            Failure::NetworkError
        );
        assert_eq!(lookup_failure(None), Failure::NetworkError);
    }

    #[test]
    fn option_values_parse_in_their_json_spelling_and_nothing_else() {
        for (option, good) in [
            ("tls-order", &["implicit-first", "domain-priority"][..]),
            ("prefer", &["imap", "pop3"]),
            (
                "service",
                &[
                    "submissions",
                    "submission",
                    "imaps",
                    "imap",
                    "pop3s",
                    "pop3",
                ],
            ),
            (
                "minimum-security",
                &["implicit-tls", "starttls", "cleartext"],
            ),
        ] {
            for v in good {
                assert_eq!(option_value(option, v), Ok(*v), "{option} {v}");
                // Every accepted value is named in the refusal text.
                let e = option_value(option, "nope").unwrap_err();
                assert_eq!(e.code(), ErrorCode::InvalidOption);
                assert!(e.message().contains(v), "{option}: {}", e.message());
            }
            assert!(option_value(option, "IMAP").is_err(), "{option}");
            assert!(option_value(option, "").is_err(), "{option}");
        }
        let e = option_value("tls-order", "implicit-last").unwrap_err();
        assert_eq!(
            e.message(),
            "`implicit-last` is not a TLS order: use implicit-first or domain-priority"
        );
        assert!(option_value("seed", "1").is_err());
    }

    #[test]
    fn every_host_reads_the_same_numbers_within_each_options_bounds() {
        for (option, min, max) in [
            ("timeout", 1, MAX_TIMEOUT_MS),
            ("total-timeout", 1, MAX_TIMEOUT_MS),
            ("seed", 0, u64::MAX),
            ("concurrency", 1, MAX_CONCURRENCY),
        ] {
            assert_eq!(number_value(option, &min.to_string()), Ok(min), "{option}");
            assert_eq!(number_value(option, &max.to_string()), Ok(max), "{option}");
            assert_eq!(number_value(option, "0042"), Ok(42), "{option}");
            let past = u128::from(max) + 1;
            let e = number_value(option, &past.to_string()).unwrap_err();
            assert_eq!(e.code(), ErrorCode::InvalidOption, "{option}");
            // The message names the option, the range and the text.
            assert!(
                e.message()
                    .starts_with(&format!("`--{option}` must be a whole number"))
                    && e.message()
                        .contains(&format!("from {min} to {max}, not `{past}`")),
                "{}",
                e.message()
            );
            if min > 0 {
                assert!(number_value(option, "0").is_err(), "{option}");
            }
        }
        assert_eq!(number_value("timeout", "2147483647"), Ok(2_147_483_647));
        assert_eq!(number_value("concurrency", "4096"), Ok(4096));
        assert_eq!(
            number_value("seed", "18446744073709551615"),
            Ok(18_446_744_073_709_551_615)
        );
        assert!(number_value("seed", "18446744073709551616").is_err());
        assert_eq!(
            number_value("timeout", "abc").unwrap_err().message(),
            "`--timeout` must be a whole number of milliseconds from 1 to 2147483647, not `abc`"
        );
        assert_eq!(
            number_value("concurrency", "0").unwrap_err().message(),
            "`--concurrency` must be a whole number of domains from 1 to 4096, not `0`"
        );
        assert_eq!(
            number_value("seed", "0x10").unwrap_err().message(),
            "`--seed` must be a whole number from 0 to 18446744073709551615, not `0x10`"
        );
    }

    #[test]
    fn every_host_refuses_the_same_number_syntax() {
        let hundred = "1".repeat(100);
        let zeros = "0".repeat(100);
        for option in ["timeout", "total-timeout", "seed", "concurrency"] {
            for bad in [
                "1e3", "0x10", " 5", "5 ", "+5", "-5", "5.0", "", "\u{663}", "\u{ff15}", "5\0",
                &hundred, &zeros,
            ] {
                let e = number_value(option, bad).expect_err(bad);
                assert_eq!(e.code(), ErrorCode::InvalidOption, "{option} {bad:?}");
            }
        }
        // A long text is shown cut to 64 characters.
        let e = number_value("seed", &"٣".repeat(1000)).unwrap_err();
        assert!(e.message().ends_with(&format!("not `{}`", "٣".repeat(64))));
        let e = number_value("rate", "5").unwrap_err();
        assert_eq!(e.code(), ErrorCode::InvalidOption);
        assert_eq!(e.message(), "`rate` is not an option with a numeric value");
        // One line whatever the text, shown as far as its 64th character.
        let e = number_value("timeout", "1\n2\r\x1b[2J").unwrap_err();
        assert!(e.message().ends_with("not `1\u{fffd}2\u{fffd}\u{fffd}[2J`"));
        let long = number_value("total-timeout", &"\u{10ffff}".repeat(100)).unwrap_err();
        assert!(long.message().len() <= 400 && !long.message().contains('\n'));
        let long = number_value(&"\u{10ffff}".repeat(100), "1").unwrap_err();
        assert!(long.message().len() <= 400);
        assert!(number_value("--timeout", "5").is_err());
        assert!(number_value("tls-order", "5").is_err());
    }

    #[test]
    fn the_switches_map_to_a_minimum_security() {
        assert_eq!(
            MinimumSecurity::from_switches(false, false),
            Ok(MinimumSecurity::Starttls)
        );
        assert_eq!(
            MinimumSecurity::from_switches(true, false),
            Ok(MinimumSecurity::Cleartext)
        );
        assert_eq!(
            MinimumSecurity::from_switches(false, true),
            Ok(MinimumSecurity::ImplicitTls)
        );
        let e = MinimumSecurity::from_switches(true, true).unwrap_err();
        assert_eq!(e.code(), ErrorCode::InvalidOption);
    }

    #[test]
    fn set_option_parses_with_the_core_and_leaves_options_alone_on_error() {
        let mut o = Options::default();
        set_option(&mut o, "tls-order", "domain-priority").unwrap();
        set_option(&mut o, "prefer", "pop3").unwrap();
        set_option(&mut o, "minimum-security", "implicit-tls").unwrap();
        assert_eq!(o.tls_order, TlsOrder::DomainPriority);
        assert_eq!(o.prefer, IncomingPreference::Pop3);
        assert_eq!(o.minimum_security, MinimumSecurity::ImplicitTls);
        let before = o.clone();
        for (option, value) in [("prefer", "submission"), ("tls-order", "x"), ("seed", "1")] {
            let e = set_option(&mut o, option, value).unwrap_err();
            assert_eq!(e.code(), ErrorCode::InvalidOption, "{option}");
        }
        assert_eq!(o, before);
    }

    #[test]
    fn bulk_lines_skip_blanks_and_comments_and_plan_a_bare_domain_as_postmaster() {
        assert_eq!(bulk_line(""), None);
        assert_eq!(bulk_line("  \t "), None);
        assert_eq!(bulk_line("# alice@example.net"), None);
        assert_eq!(bulk_line("  #x"), None);
        let l = bulk_line("  alice@example.net \r").unwrap();
        assert_eq!(
            (l.input, &*l.address),
            ("alice@example.net", "alice@example.net")
        );
        let l = bulk_line("example.net").unwrap();
        assert_eq!(
            (l.input, &*l.address),
            ("example.net", "postmaster@example.net")
        );
        // Anything else goes to the planner as it is, which refuses it with its own code.
        let l = bulk_line("bad@@x").unwrap();
        assert_eq!(&*l.address, "bad@@x");
    }
}
