//! What every host that performs a discovery's HTTP requests shares (decision D38): which
//! sources a host asks for (`--sources`, and the default with or without an HTTP client), the
//! body cap, which redirects it may follow, and the offline answer of `--fixtures DIR` (an URL
//! mapped to a file under `DIR`). The Rust example, the C host and the JS package all call these,
//! so that the three surfaces make the same plan from the same input.

use crate::error::{Error, ErrorCode};
use crate::plan::{Options, Source};

/// The most body bytes a host reads from one HTTP response: the autoconfig parser's own cap
/// ([`crate::autoconfig::AUTOCONFIG_MAX_BYTES`], 64 KiB). A host stops reading past it and
/// reports `HttpFailure::TooLarge`.
pub const MAX_HTTP_BODY_BYTES: usize = crate::limits::AUTOCONFIG_MAX_BYTES;

/// The most redirects a host follows for one request; one more is a network error.
pub const MAX_HTTP_REDIRECTS: usize = 5;

/// The content type of a fixture file without a `.content-type` file beside it.
pub const FIXTURE_CONTENT_TYPE: &str = "text/xml";

/// The content type of a fixture that does not exist (status 404).
pub const FIXTURE_NOT_FOUND_CONTENT_TYPE: &str = "text/html";

/// The suffix of the file that gives a fixture's content type (`<file>.content-type`).
pub const FIXTURE_CONTENT_TYPE_SUFFIX: &str = ".content-type";

/// The sources named in a comma-separated `list` (the JSON spelling: `srv`, `autoconfig`,
/// `well-known`, `autoconfig-http`, `ispdb`, `mx-autoconfig`, `mx-ispdb`), or `default` for the
/// core's default (every source but plain HTTP), in the order given, each once. An empty list
/// or an unknown name is `INVALID_OPTION` naming the choices.
pub fn parse_sources(list: &str) -> Result<Vec<Source>, Error> {
    let mut out: Vec<Source> = Vec::new();
    for name in list.split(',').map(str::trim) {
        let found: Vec<Source> = if name == "default" {
            Options::default().sources
        } else {
            let one = Source::ALL
                .into_iter()
                .find(|s| s.as_str() == name)
                .ok_or_else(|| {
                    let choices: Vec<&str> = Source::ALL.iter().map(|s| s.as_str()).collect();
                    Error::new(
                        ErrorCode::InvalidOption,
                        format!(
                            "`{}` is not a source: use a comma-separated list of {} (or default)",
                            name.chars().take(64).collect::<String>(),
                            choices.join(", ")
                        ),
                    )
                })?;
            vec![one]
        };
        for s in found {
            if !out.contains(&s) {
                out.push(s);
            }
        }
    }
    Ok(out)
}

/// The sources a host asks for: those of `list` when given (see [`parse_sources`]), else the
/// core's default when the host has an HTTP client for this discovery (a fetch function, or
/// `--fixtures`), else SRV alone: a host never goes to the web unless it was given the means or
/// asked to by name.
pub fn host_sources(list: Option<&str>, http_client: bool) -> Result<Vec<Source>, Error> {
    match list {
        Some(l) => parse_sources(l),
        None if http_client => Ok(Options::default().sources),
        None => Ok(vec![Source::Srv]),
    }
}

/// The scheme of `url`, lower-cased, if it has one.
fn scheme(url: &str) -> Option<String> {
    let (scheme, _) = url.split_once("://")?;
    Some(scheme.to_ascii_lowercase())
}

/// Whether a host may follow a redirect of the request first sent to `first_url` to the
/// absolute URL `next_url`: only to `https` (D26), or to `http` as well when the request was
/// plain HTTP to begin with (the opt-in `autoconfig-http` source, whose candidates need
/// confirmation anyway). A redirect it may not follow is `HttpFailure::InsecureRedirect`.
pub fn redirect_allowed(first_url: &str, next_url: &str) -> bool {
    match scheme(next_url).as_deref() {
        Some("https") => true,
        Some("http") => scheme(first_url).as_deref() == Some("http"),
        _ => false,
    }
}

/// The file that answers `url` offline, relative to the `--fixtures` directory:
/// `<host>/<path>` with the host lower-cased, the query string and fragment ignored, no port.
/// `None` (the host answers 404) for a URL that is not `http` or `https`, has no path, or has
/// an empty, `.` or `..` segment or a backslash, so that no fixture path leaves the directory.
pub fn fixture_path(url: &str) -> Option<String> {
    let scheme = scheme(url)?;
    if scheme != "https" && scheme != "http" {
        return None;
    }
    let rest = &url[scheme.len() + 3..];
    let rest = rest.split(['?', '#']).next().unwrap_or_default();
    let (authority, path) = rest.split_once('/')?;
    let host = authority.rsplit('@').next().unwrap_or_default();
    let host = host
        .split(':')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    let valid = |s: &str| !s.is_empty() && s != "." && s != ".." && !s.contains('\\');
    if !valid(&host) || !path.split('/').all(valid) {
        return None;
    }
    Some(format!("{host}/{path}"))
}

/// The status and content type of an offline answer: 200 and the content of the
/// `.content-type` file (trimmed) or [`FIXTURE_CONTENT_TYPE`] when the fixture file exists,
/// else 404 with [`FIXTURE_NOT_FOUND_CONTENT_TYPE`] and an empty body.
pub fn fixture_status(found: bool, content_type_file: Option<&str>) -> (u16, String) {
    if !found {
        return (404, FIXTURE_NOT_FOUND_CONTENT_TYPE.to_owned());
    }
    let ct = content_type_file
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .unwrap_or(FIXTURE_CONTENT_TYPE);
    (200, ct.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn d38_sources_parse_in_their_json_spelling_once_each() {
        assert_eq!(
            parse_sources("srv, ispdb,srv").unwrap(),
            [Source::Srv, Source::Ispdb]
        );
        assert_eq!(
            parse_sources("default").unwrap(),
            Options::default().sources
        );
        assert_eq!(
            parse_sources("autoconfig-http,default").unwrap()[0],
            Source::AutoconfigHttp
        );
        for bad in ["", "srv,", "SRV", "mx", "srv,,ispdb"] {
            let e = parse_sources(bad).unwrap_err();
            assert_eq!(e.code(), ErrorCode::InvalidOption, "{bad:?}");
            assert!(e.message().contains("mx-ispdb"), "{}", e.message());
        }
        // A long unknown name is cut in the message.
        let e = parse_sources(&"x".repeat(10_000)).unwrap_err();
        assert!(e.message().len() < 400);
    }

    #[test]
    fn d38_a_host_without_an_http_client_asks_srv_only_unless_told() {
        assert_eq!(host_sources(None, false).unwrap(), [Source::Srv]);
        assert_eq!(
            host_sources(None, true).unwrap(),
            Options::default().sources
        );
        assert_eq!(host_sources(Some("ispdb"), false).unwrap(), [Source::Ispdb]);
        assert!(!Options::default().sources.contains(&Source::AutoconfigHttp));
    }

    #[test]
    fn d26_redirects_stay_within_https() {
        let first = "https://autoconfig.example.net/mail/config-v1.1.xml";
        assert!(redirect_allowed(first, "https://other.example/x"));
        assert!(redirect_allowed(first, "HTTPS://other.example/x"));
        assert!(!redirect_allowed(first, "http://autoconfig.example.net/x"));
        assert!(!redirect_allowed(first, "ftp://x/y"));
        assert!(!redirect_allowed(first, "/relative"));
        let plain = "http://autoconfig.example.net/mail/config-v1.1.xml";
        assert!(redirect_allowed(plain, "https://autoconfig.example.net/x"));
        assert!(redirect_allowed(plain, "http://autoconfig.example.net/y"));
    }

    #[test]
    fn d38_fixture_paths_drop_the_query_and_never_leave_the_directory() {
        assert_eq!(
            fixture_path(
                "https://autoconfig.Agree.example/mail/config-v1.1.xml?emailaddress=a%40b"
            )
            .as_deref(),
            Some("autoconfig.agree.example/mail/config-v1.1.xml")
        );
        assert_eq!(
            fixture_path("https://autoconfig.thunderbird.net/v1.1/agree.example").as_deref(),
            Some("autoconfig.thunderbird.net/v1.1/agree.example")
        );
        assert_eq!(
            fixture_path("https://u@h.example:8443/a/b#frag").as_deref(),
            Some("h.example/a/b")
        );
        for bad in [
            "https://h.example/../etc/passwd",
            "https://h.example/a/./b",
            "https://h.example/a//b",
            "https://h.example/",
            "https://h.example",
            "https://../x",
            "https://h.example/a\\..\\b",
            "file:///etc/passwd",
            "ftp://h.example/x",
            "h.example/x",
        ] {
            assert_eq!(fixture_path(bad), None, "{bad}");
        }
    }

    #[test]
    fn d38_fixture_answers() {
        assert_eq!(fixture_status(false, None), (404, "text/html".into()));
        assert_eq!(fixture_status(true, None), (200, "text/xml".into()));
        assert_eq!(
            fixture_status(true, Some("text/html\n")),
            (200, "text/html".into())
        );
        assert_eq!(fixture_status(true, Some(" \n")), (200, "text/xml".into()));
    }
}
