//! One plan from SRV, provider autoconfig, the well-known location, the ISPDB and MX (issue 13
//! §1 and §3): the requests, the merge, the trust classes and what the user must confirm
//! (decisions D22, D26–D31), and the replay of `testdata/fixtures/`.

#![cfg(feature = "autoconfig")]
#![allow(clippy::unwrap_used, reason = "a failing unwrap is a failing test")]

mod common;

use std::collections::BTreeSet;
use std::path::PathBuf;

use mailsrv::autoconfig::AUTOCONFIG_MAX_BYTES;
use mailsrv::host_web;
use mailsrv::zone::ZoneHost;
use mailsrv::{
    Candidate, DiagnosticCode, Discovery, DnssecStatus, Failure, HttpFailure, MAX_MX_RECORDS,
    MxRecord, Options, Outcome, Plan, Protocol, RequestOutcome, Security, Source, SrvRecord, Trust,
};
use serde::Deserialize;

const ISPDB: &str = "https://autoconfig.thunderbird.net/v1.1/";

fn fixtures() -> PathBuf {
    common::testdata().join("fixtures")
}

/// An autoconfig document with the given server sections.
fn doc(sections: &str) -> Vec<u8> {
    format!(
        r#"<clientConfig version="1.1"><emailProvider id="p"><domain>example.net</domain>{sections}</emailProvider></clientConfig>"#
    )
    .into_bytes()
}

fn server(kind: &str, ty: &str, host: &str, port: u16, socket: &str, user: &str) -> String {
    format!(
        "<{kind} type=\"{ty}\"><hostname>{host}</hostname><port>{port}</port>\
         <socketType>{socket}</socketType><username>{user}</username>\
         <authentication>password-cleartext</authentication></{kind}>"
    )
}

fn imap(host: &str, port: u16, socket: &str) -> String {
    server(
        "incomingServer",
        "imap",
        host,
        port,
        socket,
        "%EMAILADDRESS%",
    )
}

fn smtp(host: &str, port: u16, socket: &str) -> String {
    server(
        "outgoingServer",
        "smtp",
        host,
        port,
        socket,
        "%EMAILADDRESS%",
    )
}

/// Answers every SRV question with NXDOMAIN except those in `srv` (label, records).
fn answer_srv(d: &mut Discovery, srv: &[(&str, Vec<SrvRecord>)], dnssec: DnssecStatus) {
    for q in d.questions().to_vec() {
        match srv.iter().find(|(name, _)| *name == q.name) {
            Some((_, records)) => d.receive_records(q.id, records.clone(), dnssec).unwrap(),
            None => d.fail(q.id, Failure::NxDomain).unwrap(),
        }
    }
}

fn srv(port: u16, target: &str) -> Vec<SrvRecord> {
    vec![SrvRecord {
        priority: 0,
        weight: 1,
        port,
        target: target.into(),
        ttl: Some(300),
    }]
}

/// Feeds `body` (text/xml, 200) to the request for `url`.
fn serve(d: &mut Discovery, url: &str, body: &[u8]) {
    let id = d.requests().iter().find(|r| r.url == url).unwrap().id;
    d.receive_http(id, 200, Some("text/xml"), body).unwrap();
}

/// Answers every pending request with a 404.
fn not_found_rest(d: &mut Discovery) {
    for r in d.pending_requests() {
        d.receive_http(r.id, 404, Some("text/html"), b"").unwrap();
    }
}

fn codes(plan: &Plan) -> Vec<DiagnosticCode> {
    plan.diagnostics.iter().map(|d| d.code).collect()
}

fn hosts(list: &[Candidate]) -> Vec<(String, u16, Source, Trust)> {
    list.iter()
        .map(|c| (c.host.to_string(), c.port, c.source, c.trust))
        .collect()
}

fn autoconfig_url(domain: &str, email: &str) -> String {
    format!("https://autoconfig.{domain}/mail/config-v1.1.xml?emailaddress={email}")
}

#[test]
fn d26_the_first_round_asks_everything_independent_at_once() {
    let d = Discovery::new("alice+x@example.net", Options::default()).unwrap();
    let names: BTreeSet<&str> = d.questions().iter().map(|q| q.name.as_str()).collect();
    let expected: BTreeSet<&str> = [
        "_submissions._tcp.example.net",
        "_submission._tcp.example.net",
        "_imaps._tcp.example.net",
        "_imap._tcp.example.net",
        "_pop3s._tcp.example.net",
        "_pop3._tcp.example.net",
    ]
    .into();
    assert_eq!(names, expected);
    assert_eq!(
        d.mx_question().map(|q| q.name.as_str()),
        Some("example.net")
    );
    let requests: Vec<(u16, String, Source)> = d
        .requests()
        .into_iter()
        .map(|r| (r.id, r.url, r.source))
        .collect();
    assert_eq!(
        requests,
        vec![
            (
                0,
                autoconfig_url("example.net", "alice%2Bx%40example.net"),
                Source::Autoconfig
            ),
            (
                1,
                "https://example.net/.well-known/autoconfig/mail/config-v1.1.xml".to_owned(),
                Source::WellKnown
            ),
            (2, format!("{ISPDB}example.net"), Source::Ispdb),
        ]
    );
    let plan = d.plan(1);
    assert!(!plan.is_final);
    assert!(
        plan.requests
            .iter()
            .all(|r| r.outcome == RequestOutcome::Pending)
    );
}

#[test]
fn d26_plain_http_is_opt_in_and_the_ispdb_base_is_an_option() {
    let options = Options {
        sources: vec![Source::AutoconfigHttp, Source::Ispdb],
        ispdb_url: "https://ispdb.test/base".into(),
        ..Options::default()
    };
    let d = Discovery::new("alice@example.net", options).unwrap();
    assert!(d.questions().is_empty(), "SRV is not among the sources");
    assert!(d.mx_question().is_none());
    let urls: Vec<String> = d.requests().into_iter().map(|r| r.url).collect();
    assert_eq!(
        urls,
        vec![
            "http://autoconfig.example.net/mail/config-v1.1.xml?emailaddress=alice%40example.net"
                .to_owned(),
            "https://ispdb.test/base/example.net".to_owned()
        ]
    );
    let bad = Options {
        ispdb_url: "http://ispdb.test/".into(),
        ..Options::default()
    };
    assert!(Discovery::new("alice@example.net", bad).is_err());
}

#[test]
fn d26_mx_derived_requests_appear_only_after_the_mx_answer() {
    let mut d = Discovery::new("bob@example.org", Options::default()).unwrap();
    assert_eq!(d.requests().len(), 3);
    assert!(
        d.requests()
            .iter()
            .all(|r| !matches!(r.source, Source::MxAutoconfig | Source::MxIspdb))
    );
    let records = vec![
        MxRecord {
            preference: 20,
            exchange: "mx9.backup.example".into(),
        },
        MxRecord {
            preference: 10,
            exchange: "MX1.Mail.Hoster.co.uk.".into(),
        },
    ];
    d.receive_mx(records, DnssecStatus::Insecure).unwrap();
    assert!(d.mx_question().is_none());
    let mx: Vec<(String, Source)> = d
        .requests()
        .into_iter()
        .filter(|r| matches!(r.source, Source::MxAutoconfig | Source::MxIspdb))
        .map(|r| (r.url, r.source))
        .collect();
    // The first MX by preference; MXFULL (host minus its first label) before MXBASE, the
    // registrable domain by the Public Suffix List (`co.uk` is a suffix).
    assert_eq!(
        mx,
        vec![
            (
                "https://autoconfig.mail.hoster.co.uk/mail/config-v1.1.xml".to_owned(),
                Source::MxAutoconfig
            ),
            (
                "https://autoconfig.hoster.co.uk/mail/config-v1.1.xml".to_owned(),
                Source::MxAutoconfig
            ),
            (format!("{ISPDB}mail.hoster.co.uk"), Source::MxIspdb),
            (format!("{ISPDB}hoster.co.uk"), Source::MxIspdb),
        ]
    );
    assert_eq!(
        d.receive_mx(Vec::new(), DnssecStatus::Insecure)
            .unwrap_err()
            .code(),
        mailsrv::ErrorCode::AlreadyAnswered
    );
}

#[test]
fn d26_the_same_server_from_srv_autoconfig_and_the_ispdb_is_one_candidate() {
    let mut d = Discovery::new("alice@example.net", Options::default()).unwrap();
    answer_srv(
        &mut d,
        &[("_imaps._tcp.example.net", srv(993, "imap.example.net"))],
        DnssecStatus::Insecure,
    );
    d.fail_mx(Failure::NoData).unwrap();
    let body = doc(&imap("imap.example.net", 993, "SSL"));
    serve(
        &mut d,
        &autoconfig_url("example.net", "alice%40example.net"),
        &body,
    );
    serve(&mut d, &format!("{ISPDB}example.net"), &body);
    not_found_rest(&mut d);
    let plan = d.plan(1);
    assert_eq!(plan.incoming.candidates.len(), 1);
    let c = &plan.incoming.candidates[0];
    assert_eq!(c.source, Source::Srv);
    assert_eq!(c.origin, "_imaps._tcp.example.net");
    let sources: Vec<Source> = c.sources.iter().map(|p| p.source).collect();
    assert_eq!(
        sources,
        vec![Source::Srv, Source::Autoconfig, Source::Ispdb]
    );
    assert!(plan.is_final);
}

#[test]
fn d27_autoconfig_over_https_and_the_ispdb_are_authenticated_mappings() {
    let mut d = Discovery::new("alice@example.net", Options::default()).unwrap();
    answer_srv(&mut d, &[], DnssecStatus::Insecure);
    d.fail_mx(Failure::NxDomain).unwrap();
    serve(
        &mut d,
        &autoconfig_url("example.net", "alice%40example.net"),
        &doc(&imap("imap.provider.example", 993, "SSL")),
    );
    serve(
        &mut d,
        &format!("{ISPDB}example.net"),
        &doc(&smtp("smtp.other.example", 465, "SSL")),
    );
    not_found_rest(&mut d);
    let plan = d.plan(1);
    for c in [&plan.incoming.candidates[0], &plan.outgoing.candidates[0]] {
        assert_eq!(c.trust, Trust::Authenticated, "{}", c.host);
        assert_eq!(c.confirm, None);
        assert!(
            c.reference_identities.iter().any(|r| r.value == c.host),
            "the target is a reference identity: {:?}",
            c.reference_identities
        );
    }
    assert!(plan.confirm.is_empty());
    assert!(!codes(&plan).contains(&DiagnosticCode::ConfirmProvider));
}

#[test]
fn d27_dnssec_secure_mx_makes_mx_derived_mappings_authenticated() {
    for (dnssec, trust) in [
        (DnssecStatus::Secure, Trust::Authenticated),
        (DnssecStatus::Insecure, Trust::NeedsConfirmation),
    ] {
        let mut d = Discovery::new("bob@example.org", Options::default()).unwrap();
        answer_srv(&mut d, &[], DnssecStatus::Insecure);
        let mx = MxRecord {
            preference: 0,
            exchange: "mx.hoster.example".into(),
        };
        d.receive_mx(vec![mx], dnssec).unwrap();
        serve(
            &mut d,
            "https://autoconfig.hoster.example/mail/config-v1.1.xml",
            &doc(&imap("imap.hoster.example", 993, "SSL")),
        );
        not_found_rest(&mut d);
        let plan = d.plan(1);
        let c = &plan.incoming.candidates[0];
        assert_eq!(c.source, Source::MxAutoconfig);
        assert_eq!(c.trust, trust, "MX {dnssec:?}");
    }
}

#[test]
fn d28_unauthenticated_mappings_need_the_providers_domain_confirmed() {
    // MX-derived (insecure MX) and plain-HTTP autoconfig.
    let options = Options {
        sources: vec![Source::Srv, Source::AutoconfigHttp, Source::MxIspdb],
        ..Options::default()
    };
    let mut d = Discovery::new("bob@example.org", options).unwrap();
    answer_srv(&mut d, &[], DnssecStatus::Insecure);
    let mx = MxRecord {
        preference: 0,
        exchange: "mx1.eu.hoster.example".into(),
    };
    d.receive_mx(vec![mx], DnssecStatus::Insecure).unwrap();
    serve(
        &mut d,
        "http://autoconfig.example.org/mail/config-v1.1.xml?emailaddress=bob%40example.org",
        &doc(&imap("imap.plain-provider.example", 993, "SSL")),
    );
    serve(
        &mut d,
        &format!("{ISPDB}hoster.example"),
        &doc(&smtp("smtp.eu.hoster.example", 465, "SSL")),
    );
    not_found_rest(&mut d);
    let plan = d.plan(1);
    let imap = &plan.incoming.candidates[0];
    assert_eq!(imap.source, Source::AutoconfigHttp);
    assert_eq!(imap.trust, Trust::NeedsConfirmation);
    assert_eq!(imap.confirm.as_deref(), Some("plain-provider.example"));
    assert!(
        !imap
            .reference_identities
            .iter()
            .any(|r| r.value == imap.host)
    );
    let smtp = &plan.outgoing.candidates[0];
    assert_eq!(smtp.source, Source::MxIspdb);
    assert_eq!(smtp.trust, Trust::NeedsConfirmation);
    // The registrable domain in full, not the host.
    assert_eq!(smtp.confirm.as_deref(), Some("hoster.example"));
    let confirm: Vec<(&str, Vec<Source>)> = plan
        .confirm
        .iter()
        .map(|c| (c.domain.as_str(), c.sources.clone()))
        .collect();
    assert_eq!(
        confirm,
        vec![
            ("plain-provider.example", vec![Source::AutoconfigHttp]),
            ("hoster.example", vec![Source::MxIspdb])
        ]
    );
    assert!(codes(&plan).contains(&DiagnosticCode::ConfirmProvider));
}

#[test]
fn d28_out_of_domain_srv_without_dnssec_names_its_registrable_domain() {
    let mut d = Discovery::new("alice@example.net", Options::default()).unwrap();
    answer_srv(
        &mut d,
        &[(
            "_imaps._tcp.example.net",
            srv(993, "imap.a.provider.example"),
        )],
        DnssecStatus::Insecure,
    );
    let plan = d.plan(1);
    let c = &plan.incoming.candidates[0];
    assert_eq!(c.trust, Trust::NeedsConfirmation);
    assert_eq!(c.confirm.as_deref(), Some("provider.example"));
    // A DNSSEC-secure SRV answer needs no confirmation.
    let mut d = Discovery::new("alice@example.net", Options::default()).unwrap();
    answer_srv(
        &mut d,
        &[(
            "_imaps._tcp.example.net",
            srv(993, "imap.a.provider.example"),
        )],
        DnssecStatus::Secure,
    );
    let c = d.plan(1).incoming.candidates[0].clone();
    assert_eq!((c.trust, c.confirm), (Trust::DnssecSecure, None));
}

#[test]
fn d22_d29_confirmation_free_first_then_implicit_tls_then_own_publications() {
    let mut d = Discovery::new("bob@example.org", Options::default()).unwrap();
    // SRV: an out-of-domain STARTTLS server, not DNSSEC-secure.
    answer_srv(
        &mut d,
        &[("_imap._tcp.example.org", srv(143, "imap.srv-host.example"))],
        DnssecStatus::Insecure,
    );
    let mx = MxRecord {
        preference: 0,
        exchange: "mx.hoster.example".into(),
    };
    d.receive_mx(vec![mx], DnssecStatus::Insecure).unwrap();
    // The ISPDB (third party, authenticated): implicit TLS.
    serve(
        &mut d,
        &format!("{ISPDB}example.org"),
        &doc(&imap("imap.ispdb-host.example", 993, "SSL")),
    );
    // The provider (own publication, authenticated): STARTTLS then implicit TLS.
    serve(
        &mut d,
        &autoconfig_url("example.org", "bob%40example.org"),
        &doc(&format!(
            "{}{}",
            imap("imap.example.org", 143, "STARTTLS"),
            imap("imap.example.org", 993, "SSL")
        )),
    );
    // MX-derived, insecure MX: implicit TLS.
    serve(
        &mut d,
        "https://autoconfig.hoster.example/mail/config-v1.1.xml",
        &doc(&imap("imap.hoster.example", 993, "SSL")),
    );
    not_found_rest(&mut d);
    let plan = d.plan(1);
    assert_eq!(
        hosts(&plan.incoming.candidates),
        vec![
            // No confirmation needed, implicit TLS: own publication, then the ISPDB.
            (
                "imap.example.org".into(),
                993,
                Source::Autoconfig,
                Trust::InDomain
            ),
            (
                "imap.ispdb-host.example".into(),
                993,
                Source::Ispdb,
                Trust::Authenticated
            ),
            // No confirmation needed, STARTTLS.
            (
                "imap.example.org".into(),
                143,
                Source::Autoconfig,
                Trust::InDomain
            ),
            // Needs confirmation: implicit TLS (MX-derived) before STARTTLS (SRV).
            (
                "imap.hoster.example".into(),
                993,
                Source::MxAutoconfig,
                Trust::NeedsConfirmation
            ),
            (
                "imap.srv-host.example".into(),
                143,
                Source::Srv,
                Trust::NeedsConfirmation
            ),
        ]
    );
}

#[test]
fn d29_the_srv_protocol_is_kept_and_the_other_is_an_alternative() {
    let mut d = Discovery::new("alice@example.net", Options::default()).unwrap();
    answer_srv(
        &mut d,
        &[("_imaps._tcp.example.net", srv(993, "imap.example.net"))],
        DnssecStatus::Insecure,
    );
    d.fail_mx(Failure::NoData).unwrap();
    let pop = server(
        "incomingServer",
        "pop3",
        "pop.example.net",
        995,
        "SSL",
        "%EMAILLOCALPART%",
    );
    serve(
        &mut d,
        &autoconfig_url("example.net", "alice%40example.net"),
        &doc(&pop),
    );
    not_found_rest(&mut d);
    let plan = d.plan(1);
    assert_eq!(plan.incoming.protocol, Some(Protocol::Imap));
    assert_eq!(plan.incoming_alternatives[0].protocol, Protocol::Pop3);
    assert_eq!(
        plan.incoming_alternatives[0].candidates[0].host,
        "pop.example.net"
    );
    assert!(codes(&plan).contains(&DiagnosticCode::AlternativeProtocol));
    // Without SRV, the document's first usable incoming server decides.
    let mut d = Discovery::new("alice@example.net", Options::default()).unwrap();
    answer_srv(&mut d, &[], DnssecStatus::Insecure);
    d.fail_mx(Failure::NoData).unwrap();
    let both = format!("{pop}{}", imap("imap.example.net", 993, "SSL"));
    serve(
        &mut d,
        &autoconfig_url("example.net", "alice%40example.net"),
        &doc(&both),
    );
    not_found_rest(&mut d);
    let plan = d.plan(1);
    assert_eq!(plan.incoming.protocol, Some(Protocol::Pop3));
    assert_eq!(plan.incoming_alternatives[0].protocol, Protocol::Imap);
}

#[test]
fn d29_plain_sockets_below_the_minimum_are_dropped_with_a_diagnostic() {
    let mut d = Discovery::new("alice@example.net", Options::default()).unwrap();
    answer_srv(&mut d, &[], DnssecStatus::Insecure);
    d.fail_mx(Failure::NoData).unwrap();
    let body = doc(&format!(
        "{}{}",
        imap("imap.example.net", 143, "plain"),
        imap("imap.example.net", 993, "SSL")
    ));
    serve(
        &mut d,
        &autoconfig_url("example.net", "alice%40example.net"),
        &body,
    );
    not_found_rest(&mut d);
    let plan = d.plan(1);
    assert_eq!(plan.incoming.candidates.len(), 1);
    assert_eq!(plan.incoming.candidates[0].security, Security::ImplicitTls);
    assert!(codes(&plan).contains(&DiagnosticCode::BelowMinimumSecurity));
}

#[test]
fn d31_autoconfig_usernames_authentication_and_oauth2_are_on_the_candidate() {
    let mut d = Discovery::new("alice@example.net", Options::default()).unwrap();
    answer_srv(
        &mut d,
        &[("_imaps._tcp.example.net", srv(993, "imap.example.net"))],
        DnssecStatus::Insecure,
    );
    d.fail_mx(Failure::NoData).unwrap();
    let body = r#"<clientConfig version="1.1"><emailProvider id="p"><domain>example.net</domain>
        <incomingServer type="imap"><hostname>imap.example.net</hostname><port>993</port>
        <socketType>SSL</socketType><username>%EMAILLOCALPART%-mail</username>
        <authentication>OAuth2</authentication><authentication>password-cleartext</authentication>
        </incomingServer></emailProvider><oAuth2><issuer>login.example.net</issuer>
        <scope>mail</scope><authURL>https://login.example.net/a</authURL>
        <tokenURL>https://login.example.net/t</tokenURL></oAuth2></clientConfig>"#;
    serve(
        &mut d,
        &autoconfig_url("example.net", "alice%40example.net"),
        body.as_bytes(),
    );
    not_found_rest(&mut d);
    let c = d.plan(1).incoming.candidates[0].clone();
    assert_eq!(c.source, Source::Srv, "merged into the SRV candidate");
    assert_eq!(c.usernames, vec!["alice-mail".to_owned()]);
    assert_eq!(c.authentication, vec!["OAuth2", "password-cleartext"]);
    assert_eq!(c.oauth2.unwrap().issuer, "login.example.net");
    // An SRV-only candidate keeps the guesses.
    let mut d = Discovery::new("alice@example.net", Options::default()).unwrap();
    answer_srv(
        &mut d,
        &[("_imaps._tcp.example.net", srv(993, "imap.example.net"))],
        DnssecStatus::Insecure,
    );
    let c = d.plan(1).incoming.candidates[0].clone();
    assert_eq!(c.usernames, vec!["alice@example.net", "alice"]);
}

#[test]
fn d30_hostile_responses_are_diagnostics_and_the_other_sources_still_plan() {
    let mut d = Discovery::new("alice@example.net", Options::default()).unwrap();
    answer_srv(&mut d, &[], DnssecStatus::Insecure);
    // A huge MX answer: capped, with a diagnostic.
    let many: Vec<MxRecord> = (0..10_000u16)
        .map(|i| MxRecord {
            preference: 10_000 - i,
            exchange: format!("mx{i}.hoster.example"),
        })
        .collect();
    d.receive_mx(many, DnssecStatus::Insecure).unwrap();
    let requests = d.requests();
    let id = |url: &str| requests.iter().find(|r| r.url == url).unwrap().id;
    // A refused document (DOCTYPE).
    let doctype = b"<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY a \"b\">]><clientConfig/>";
    let provider = id(&autoconfig_url("example.net", "alice%40example.net"));
    assert_eq!(
        d.receive_http(provider, 200, Some("application/xml"), doctype)
            .unwrap(),
        RequestOutcome::Refused
    );
    // A 404 and an HTML page.
    let well_known = id("https://example.net/.well-known/autoconfig/mail/config-v1.1.xml");
    assert_eq!(
        d.receive_http(well_known, 404, None, b"").unwrap(),
        RequestOutcome::HttpStatus
    );
    let ispdb = id(&format!("{ISPDB}example.net"));
    assert_eq!(
        d.receive_http(
            ispdb,
            200,
            Some("text/html; charset=utf-8"),
            &doc(&imap("x.example.net", 993, "SSL"))
        )
        .unwrap(),
        RequestOutcome::ContentType
    );
    // A body over the cap.
    let big = vec![b' '; AUTOCONFIG_MAX_BYTES + 1];
    let mx_full = id("https://autoconfig.hoster.example/mail/config-v1.1.xml");
    assert_eq!(
        d.receive_http(mx_full, 200, Some("text/xml"), &big)
            .unwrap(),
        RequestOutcome::Refused
    );
    // The core's own size check (the parser's cap would refuse it too, with another text).
    let over_cap = format!("more than {AUTOCONFIG_MAX_BYTES}");
    assert!(
        d.plan(1)
            .diagnostics
            .iter()
            .any(|g| g.code == DiagnosticCode::AutoconfigRefused && g.message.contains(&over_cap))
    );
    // A failure reported by the host, and one usable source.
    let mx_ispdb = id(&format!("{ISPDB}hoster.example"));
    d.fail_http(mx_ispdb, HttpFailure::InsecureRedirect)
        .unwrap();
    let plan = d.plan(1);
    assert!(plan.is_final, "every request has a result");
    let found = codes(&plan);
    for code in [
        DiagnosticCode::IgnoredRecords,
        DiagnosticCode::AutoconfigRefused,
        DiagnosticCode::HttpStatus,
        DiagnosticCode::HttpContentType,
        DiagnosticCode::HttpFailed,
    ] {
        assert!(found.contains(&code), "{code:?} in {found:?}");
    }
    assert_eq!(
        plan.diagnostics
            .iter()
            .filter(|d| d.code == DiagnosticCode::AutoconfigRefused)
            .count(),
        2
    );
    let mx = plan.mx.unwrap();
    // The cap kept the first MAX_MX_RECORDS records; the lowest preference among them wins.
    let first_kept = 10_000 - (MAX_MX_RECORDS as u16 - 1);
    assert_eq!(
        mx.host,
        Some(format!("mx{}.hoster.example", MAX_MX_RECORDS - 1))
    );
    assert!(first_kept > 0);
    assert!(plan.incoming.candidates.is_empty());
}

#[test]
fn d30_a_usable_plan_comes_from_the_sources_that_answered() {
    let mut d = Discovery::new("alice@example.net", Options::default()).unwrap();
    answer_srv(&mut d, &[], DnssecStatus::Insecure);
    d.fail_mx(Failure::Timeout).unwrap();
    let provider = autoconfig_url("example.net", "alice%40example.net");
    let requests = d.requests();
    d.receive_http(requests[0].id, 500, None, b"").unwrap();
    assert_eq!(requests[0].url, provider);
    serve(
        &mut d,
        &format!("{ISPDB}example.net"),
        &doc(&imap("imap.example.net", 993, "SSL")),
    );
    let plan = d.plan(1);
    assert!(!plan.is_final, "the well-known request is still pending");
    assert_eq!(plan.incoming.candidates[0].host, "imap.example.net");
    assert_eq!(plan.incoming.status, mailsrv::Status::Found);
    d.fail_http(requests[1].id, HttpFailure::Timeout).unwrap();
    assert!(d.plan(1).is_final);
    assert_eq!(d.plan(1).incoming.candidates, plan.incoming.candidates);
}

#[test]
fn d30_content_types_read_and_refused() {
    for (ct, read) in [
        (Some("text/xml"), true),
        (Some("application/xml; charset=UTF-8"), true),
        (Some("Text/Plain"), true),
        (Some("application/clientconfig+xml"), true),
        (None, true),
        (Some("text/html"), false),
        (Some("application/json"), false),
    ] {
        let mut d = Discovery::new("alice@example.net", Options::default()).unwrap();
        let outcome = d
            .receive_http(0, 200, ct, &doc(&imap("imap.example.net", 993, "SSL")))
            .unwrap();
        let want = if read {
            RequestOutcome::Document
        } else {
            RequestOutcome::ContentType
        };
        assert_eq!(outcome, want, "{ct:?}");
    }
}

#[test]
fn d26_final_waits_for_dns_mx_and_every_request() {
    let mut d = Discovery::new("alice@example.net", Options::default()).unwrap();
    assert!(!d.plan(1).is_final);
    answer_srv(&mut d, &[], DnssecStatus::Insecure);
    assert!(!d.plan(1).is_final, "MX and HTTP pending");
    not_found_rest(&mut d);
    assert!(!d.plan(1).is_final, "MX pending: it may add requests");
    d.receive_mx(
        vec![MxRecord {
            preference: 0,
            exchange: "mx.hoster.example".into(),
        }],
        DnssecStatus::Insecure,
    )
    .unwrap();
    assert!(!d.plan(1).is_final, "the MX-derived requests are pending");
    not_found_rest(&mut d);
    assert!(d.plan(1).is_final);
    // SRV-only discoveries are final once DNS is done.
    let srv_only = Options {
        sources: vec![Source::Srv],
        ..Options::default()
    };
    let mut d = Discovery::new("alice@example.net", srv_only).unwrap();
    assert!(d.requests().is_empty() && d.mx_question().is_none());
    answer_srv(&mut d, &[], DnssecStatus::Insecure);
    assert!(d.plan(1).is_final);
}

#[test]
fn d26_unknown_and_repeated_request_ids_are_errors() {
    let mut d = Discovery::new("alice@example.net", Options::default()).unwrap();
    assert_eq!(
        d.receive_http(99, 200, None, b"").unwrap_err().code(),
        mailsrv::ErrorCode::UnknownQuestion
    );
    d.fail_http(0, HttpFailure::Timeout).unwrap();
    assert_eq!(
        d.fail_http(0, HttpFailure::Timeout).unwrap_err().code(),
        mailsrv::ErrorCode::AlreadyAnswered
    );
}

// ---- the fixture replay (testdata/fixtures, rules in testdata/README.md) ----

#[derive(Deserialize)]
struct FixtureCase {
    name: String,
    email: String,
    zones: Vec<String>,
    seed: u64,
}

#[derive(Deserialize)]
struct FixtureManifest {
    cases: Vec<FixtureCase>,
}

/// The response to `url` from `DIR/<host>/<path>`, by the core's rules for `--fixtures`
/// (`host_web::fixture_path`, `host_web::fixture_status`): what every CLI does.
fn fixture_response(dir: &std::path::Path, url: &str) -> (u16, Option<String>, Vec<u8>) {
    let file = host_web::fixture_path(url).map(|p| dir.join(p));
    let body = file.as_ref().and_then(|f| std::fs::read(f).ok());
    let ct_file = file.and_then(|f| {
        let mut name = f.into_os_string();
        name.push(host_web::FIXTURE_CONTENT_TYPE_SUFFIX);
        std::fs::read_to_string(name).ok()
    });
    let (status, ct) = host_web::fixture_status(body.is_some(), ct_file.as_deref());
    (status, Some(ct), body.unwrap_or_default())
}

/// A case replayed as the CLIs do it: SRV and MX from the zone files (`ZoneHost::resolve`),
/// then every request from the fixtures until none is pending.
fn replay(case: &FixtureCase) -> Plan {
    let dir = fixtures().join(&case.name);
    let mut host = ZoneHost::new();
    for z in &case.zones {
        let text = std::fs::read_to_string(dir.join(z)).unwrap();
        host.add_zone(&text, None, false).unwrap();
    }
    let mut d = Discovery::new(&case.email, Options::default()).unwrap();
    host.resolve(&mut d).unwrap();
    assert!(
        d.mx_question().is_none(),
        "{}: the zone answered MX",
        case.name
    );
    // Rounds until nothing is pending (the MX answer added requests before the first round).
    while let Some(r) = d.pending_requests().first().cloned() {
        let (status, ct, body) = fixture_response(&dir.join("http"), &r.url);
        d.receive_http(r.id, status, ct.as_deref(), &body).unwrap();
    }
    let plan = d.plan(case.seed);
    assert!(plan.is_final);
    plan
}

#[test]
fn every_fixture_case_matches_its_expected_plan() {
    let update = std::env::var_os("MAILSRV_UPDATE_EXPECTED").is_some();
    let text = std::fs::read_to_string(fixtures().join("cases.json")).unwrap();
    let manifest: FixtureManifest = serde_json::from_str(&text).unwrap();
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(common::testdata().join("../schema/plan.schema.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let mut failures = Vec::new();
    for case in &manifest.cases {
        let plan = replay(case);
        let value = serde_json::to_value(&plan).unwrap();
        for e in validator.iter_errors(&value) {
            failures.push(format!(
                "{}: schema: {e} at {}",
                case.name,
                e.instance_path()
            ));
        }
        let text = serde_json::to_string_pretty(&plan).unwrap() + "\n";
        let path = fixtures().join(&case.name).join("expected.json");
        if update {
            std::fs::write(&path, &text).unwrap();
            continue;
        }
        match std::fs::read_to_string(&path) {
            Ok(expected) if expected == text => {}
            Ok(_) => failures.push(format!(
                "{}: plan differs from {}\n{text}",
                case.name,
                path.display()
            )),
            Err(e) => failures.push(format!("{}: {e}", path.display())),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn d26_d27_d28_the_fixture_cases_show_each_rule() {
    let text = std::fs::read_to_string(fixtures().join("cases.json")).unwrap();
    let manifest: FixtureManifest = serde_json::from_str(&text).unwrap();
    let plan = |name: &str| replay(manifest.cases.iter().find(|c| c.name == name).unwrap());
    // agree: SRV, autoconfig and the ISPDB name imap.agree.example:993: one candidate.
    let agree = plan("agree");
    let imap = &agree.incoming.candidates[0];
    assert_eq!(imap.sources.len(), 3);
    assert_eq!(imap.usernames, vec!["alice@agree.example"]);
    // mx: everything comes from the MX host's domain, which the user must confirm.
    let mx = plan("mx");
    assert!(!mx.incoming.candidates.is_empty());
    assert!(
        mx.incoming
            .candidates
            .iter()
            .all(|c| c.trust == Trust::NeedsConfirmation)
    );
    assert_eq!(mx.confirm[0].domain, "hoster.example");
    // hostile: the provider's DOCTYPE and the HTML page are diagnostics; the ISPDB's implicit
    // TLS server is used, its plain one dropped.
    let hostile = plan("hostile");
    assert_eq!(
        hosts(&hostile.incoming.candidates),
        vec![(
            "imap.mailcorp.example".into(),
            993,
            Source::Ispdb,
            Trust::Authenticated
        )]
    );
    let found = codes(&hostile);
    assert!(found.contains(&DiagnosticCode::AutoconfigRefused));
    assert!(found.contains(&DiagnosticCode::HttpContentType));
    assert!(found.contains(&DiagnosticCode::BelowMinimumSecurity));
}

#[test]
fn d29_srv_targets_needing_confirmation_follow_those_that_do_not() {
    // `_imaps`: an out-of-domain target at priority 0, an in-domain one at priority 10. The
    // in-domain one needs no confirmation and comes first; within each group the RFC 2782
    // order stands.
    let records = vec![
        SrvRecord {
            priority: 0,
            weight: 1,
            port: 993,
            target: "imap.provider.example".into(),
            ttl: None,
        },
        SrvRecord {
            priority: 10,
            weight: 1,
            port: 993,
            target: "imap.example.net".into(),
            ttl: None,
        },
    ];
    let srv_only = Options {
        sources: vec![Source::Srv],
        ..Options::default()
    };
    let mut d = Discovery::new("alice@example.net", srv_only).unwrap();
    answer_srv(
        &mut d,
        &[("_imaps._tcp.example.net", records)],
        DnssecStatus::Insecure,
    );
    let plan = d.plan(1);
    let order: Vec<(&str, Trust)> = plan
        .incoming
        .candidates
        .iter()
        .map(|c| (c.host.as_str(), c.trust))
        .collect();
    assert_eq!(
        order,
        vec![
            ("imap.example.net", Trust::InDomain),
            ("imap.provider.example", Trust::NeedsConfirmation)
        ]
    );
}

#[test]
fn d26_the_mx_question_is_answered_in_wire_format_like_srv() {
    use hickory_proto::op::{Message, MessageType, OpCode};
    use hickory_proto::rr::{Name, RData, Record, rdata::MX};
    let options = Options {
        message_id_base: 100,
        ..Options::default()
    };
    let mut d = Discovery::new("bob@example.org", options).unwrap();
    let q = d.mx_question().unwrap().clone();
    assert_eq!(q.message_id, 106, "after the six SRV questions");
    let query = Message::from_vec(&q.wire).unwrap();
    assert_eq!(
        query.queries[0].query_type(),
        hickory_proto::rr::RecordType::MX
    );
    let reply = |id: u16| {
        let mut m = Message::new(id, MessageType::Response, OpCode::Query);
        m.metadata.recursion_desired = true;
        m.add_queries(query.queries.clone());
        for (pref, host) in [(20, "mx2.backup.example."), (5, "mx1.hoster.example.")] {
            m.add_answer(Record::from_rdata(
                Name::from_ascii("example.org.").unwrap(),
                300,
                RData::MX(MX::new(pref, Name::from_ascii(host).unwrap())),
            ));
        }
        m.to_vec().unwrap()
    };
    // A response to another message changes nothing.
    assert_eq!(
        d.receive_mx_response(&reply(7), None).unwrap_err().code(),
        mailsrv::ErrorCode::MessageIdMismatch
    );
    assert!(d.mx_question().is_some());
    assert_eq!(
        d.receive_mx_response(&reply(106), None).unwrap(),
        Outcome::Records
    );
    assert!(d.mx_question().is_none());
    let urls: Vec<String> = d.requests().into_iter().map(|r| r.url).collect();
    assert!(urls.contains(&"https://autoconfig.hoster.example/mail/config-v1.1.xml".to_owned()));
    assert_eq!(
        d.plan(1).mx.unwrap().host.as_deref(),
        Some("mx1.hoster.example")
    );
}

#[test]
fn d29_the_why_of_a_candidate_names_its_source() {
    let mut d = Discovery::new("alice@example.net", Options::default()).unwrap();
    answer_srv(&mut d, &[], DnssecStatus::Insecure);
    d.fail_mx(Failure::NoData).unwrap();
    serve(
        &mut d,
        &format!("{ISPDB}example.net"),
        &doc(&imap("imap.provider.example", 993, "SSL")),
    );
    not_found_rest(&mut d);
    let plan = d.plan(1);
    assert_eq!(
        mailsrv::explain::whys(&plan.incoming.candidates),
        vec!["implicit TLS, from the ISPDB; named over https".to_owned()]
    );
}
