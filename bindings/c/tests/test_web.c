/* The C ABI's HTTP and MX side of a discovery (issue 13 §4, decisions D26, D30, D38): the
 * requests, the MX question answered from a zone, responses and failures fed back, the core's
 * web rules (sources, redirects, the body cap, fixture paths), and misuse. The rules themselves
 * are the core's (core/tests/multisource.rs, core/src/host/web.rs); this checks they cross the
 * ABI unchanged. */
#include "util.h"

static const char *ZONE =
    "$ORIGIN mxonly.example.\n$TTL 3600\n"
    "@ IN SOA ns1.mxonly.example. hostmaster.mxonly.example. ( 1 7200 900 1209600 300 )\n"
    "@ IN NS ns1.mxonly.example.\nns1 IN A 192.0.2.53\n"
    "@ IN MX 10 mx1.mail.hoster.example.\n";

static const char *DOC =
    "<?xml version=\"1.0\"?><clientConfig version=\"1.1\"><emailProvider id=\"hoster.example\">"
    "<domain>hoster.example</domain><incomingServer type=\"imap\"><hostname>imap.hoster.example</hostname>"
    "<port>993</port><socketType>SSL</socketType><username>%EMAILADDRESS%</username>"
    "<authentication>password-cleartext</authentication></incomingServer></emailProvider></clientConfig>";

static mailsrv_result start(const char *sources, uint8_t http, const char *ispdb, mailsrv_discovery **d) {
    const char *email = "bob@mxonly.example";
    return mailsrv_discovery_new_sources((const uint8_t *)email, strlen(email), NULL, (const uint8_t *)sources,
                                         sources ? strlen(sources) : 0, http, (const uint8_t *)ispdb,
                                         ispdb ? strlen(ispdb) : 0, d);
}

static int url_is(const mailsrv_http_request *r, const char *url) {
    return r->url.len == strlen(url) && memcmp(r->url.data, url, r->url.len) == 0 && r->url.data[r->url.len] == '\0';
}

int main(void) {
    /* Without an HTTP client and without a list: SRV only, no request, no MX question. */
    mailsrv_discovery *d = NULL;
    CHECK_RESULT(start(NULL, 0, NULL, &d), MAILSRV_RESULT_OK);
    CHECK(mailsrv_discovery_request_count(d) == 0);
    mailsrv_mx_question mx;
    CHECK(!mailsrv_discovery_mx_question(d, &mx));
    mailsrv_discovery_free(d);

    /* With one: the core's default, every source but plain HTTP; the ISPDB base is an option. */
    d = NULL;
    CHECK_RESULT(start(NULL, 1, "https://ispdb.example/v1.1", &d), MAILSRV_RESULT_OK);
    CHECK(mailsrv_discovery_request_count(d) == 3);
    mailsrv_http_request r;
    CHECK_RESULT(mailsrv_discovery_request(d, 0, &r), MAILSRV_RESULT_OK);
    CHECK(r.id == 0 && r.source == MAILSRV_SOURCE_AUTOCONFIG);
    CHECK(url_is(&r, "https://autoconfig.mxonly.example/mail/config-v1.1.xml?emailaddress=bob%40mxonly.example"));
    CHECK_RESULT(mailsrv_discovery_request(d, 2, &r), MAILSRV_RESULT_OK);
    CHECK(r.source == MAILSRV_SOURCE_ISPDB && url_is(&r, "https://ispdb.example/v1.1/mxonly.example"));
    CHECK_RESULT(mailsrv_discovery_request(d, 3, &r), MAILSRV_RESULT_INVALID_ARGUMENT);
    CHECK(strcmp(mailsrv_source_name(MAILSRV_SOURCE_MX_ISPDB), "mx-ispdb") == 0);

    /* The MX question, answered by the zone host: the MX-derived requests appear. */
    CHECK(mailsrv_discovery_mx_question(d, &mx));
    CHECK(mx.wire != NULL && mx.wire_len > 12 && strcmp(mx.name.data, "mxonly.example") == 0);
    mailsrv_zone_host *zones = NULL;
    CHECK_RESULT(mailsrv_zone_host_new(&zones), MAILSRV_RESULT_OK);
    CHECK_RESULT(mailsrv_zone_host_add_zone(zones, (const uint8_t *)ZONE, strlen(ZONE), 0), MAILSRV_RESULT_OK);
    CHECK_RESULT(mailsrv_zone_host_resolve(zones, d), MAILSRV_RESULT_OK);
    mailsrv_zone_host_free(zones);
    CHECK(!mailsrv_discovery_mx_question(d, &mx));
    CHECK_RESULT(mailsrv_discovery_fail_mx(d, MAILSRV_FAILURE_TIMEOUT), MAILSRV_RESULT_ALREADY_ANSWERED);
    size_t n = mailsrv_discovery_request_count(d);
    CHECK(n == 7);
    int found = 0;
    for (size_t i = 3; i < n; i++) {
        CHECK_RESULT(mailsrv_discovery_request(d, i, &r), MAILSRV_RESULT_OK);
        if (url_is(&r, "https://autoconfig.mail.hoster.example/mail/config-v1.1.xml")) {
            found = 1;
            CHECK(r.source == MAILSRV_SOURCE_MX_AUTOCONFIG);
            uint32_t outcome = 99;
            const char *ct = "text/xml";
            CHECK_RESULT(mailsrv_discovery_receive_http(d, r.id, 200, (const uint8_t *)ct, strlen(ct), (const uint8_t *)DOC,
                                                        strlen(DOC), &outcome), MAILSRV_RESULT_OK);
            CHECK(outcome == MAILSRV_REQUEST_DOCUMENT);
            CHECK_RESULT(mailsrv_discovery_fail_http(d, r.id, MAILSRV_HTTP_TIMEOUT), MAILSRV_RESULT_ALREADY_ANSWERED);
        } else {
            CHECK_RESULT(mailsrv_discovery_fail_http(d, r.id, MAILSRV_HTTP_INSECURE_REDIRECT), MAILSRV_RESULT_OK);
        }
    }
    CHECK(found);
    /* A non-2xx status is an outcome (D30), not an error; an HTML body is not read. */
    uint32_t outcome = 99;
    CHECK_RESULT(mailsrv_discovery_receive_http(d, 0, 404, NULL, 0, NULL, 0, &outcome), MAILSRV_RESULT_OK);
    CHECK(outcome == MAILSRV_REQUEST_HTTP_STATUS);
    const char *html = "text/html";
    CHECK_RESULT(mailsrv_discovery_receive_http(d, 1, 200, (const uint8_t *)html, strlen(html), (const uint8_t *)"<html>", 6, &outcome),
                 MAILSRV_RESULT_OK);
    CHECK(outcome == MAILSRV_REQUEST_CONTENT_TYPE);
    CHECK_RESULT(mailsrv_discovery_fail_http(d, 2, MAILSRV_HTTP_TOO_LARGE), MAILSRV_RESULT_OK);
    /* Misuse: unknown ids and failures, NULL outs. */
    CHECK_RESULT(mailsrv_discovery_fail_http(d, 99, MAILSRV_HTTP_TIMEOUT), MAILSRV_RESULT_UNKNOWN_QUESTION);
    CHECK_RESULT(mailsrv_discovery_fail_http(d, 0, 77), MAILSRV_RESULT_INVALID_ARGUMENT);
    CHECK_RESULT(mailsrv_discovery_receive_http(d, 0, 200, NULL, 0, NULL, 0, NULL), MAILSRV_RESULT_NULL_PARAMETER);
    CHECK_RESULT(mailsrv_discovery_receive_http(NULL, 0, 200, NULL, 0, NULL, 0, &outcome), MAILSRV_RESULT_NULL_PARAMETER);
    CHECK_RESULT(mailsrv_discovery_request(d, 0, NULL), MAILSRV_RESULT_NULL_PARAMETER);

    /* The plan: the MX-derived candidate needs confirmation of hoster.example. */
    mailsrv_plan *plan = NULL;
    CHECK_RESULT(mailsrv_discovery_plan(d, 1, &plan), MAILSRV_RESULT_OK);
    mailsrv_candidate c;
    CHECK_RESULT(mailsrv_plan_candidate(plan, MAILSRV_SIDE_INCOMING, 0, &c), MAILSRV_RESULT_OK);
    CHECK(strcmp(c.host.data, "imap.hoster.example") == 0 && c.trust == MAILSRV_TRUST_NEEDS_CONFIRMATION);
    mailsrv_str from, confirm;
    CHECK_RESULT(mailsrv_plan_candidate_from(plan, MAILSRV_SIDE_INCOMING, 0, &from), MAILSRV_RESULT_OK);
    CHECK(strcmp(from.data, "mx-autoconfig https://autoconfig.mail.hoster.example/mail/config-v1.1.xml") == 0);
    CHECK_RESULT(mailsrv_plan_candidate_confirm(plan, MAILSRV_SIDE_INCOMING, 0, &confirm), MAILSRV_RESULT_OK);
    CHECK(strcmp(confirm.data, "hoster.example") == 0);
    mailsrv_plan_free(plan);
    mailsrv_discovery_free(d);

    /* Sources: the core's list; an unknown one and an http:// ISPDB are INVALID_OPTION. */
    d = NULL;
    CHECK_RESULT(start("srv,ispdb", 0, NULL, &d), MAILSRV_RESULT_OK);
    CHECK(mailsrv_discovery_request_count(d) == 1);
    mailsrv_discovery_free(d);
    d = NULL;
    CHECK_RESULT(start("srv,mx", 1, NULL, &d), MAILSRV_RESULT_INVALID_OPTION);
    CHECK(d == NULL);
    CHECK_RESULT(start(NULL, 1, "http://ispdb.example/", &d), MAILSRV_RESULT_INVALID_OPTION);
    CHECK_RESULT(start(NULL, 1, NULL, NULL), MAILSRV_RESULT_NULL_PARAMETER);

    /* The web rules. */
    CHECK(mailsrv_http_max_body_bytes() == 65536);
    CHECK(mailsrv_http_max_redirects() >= 1);
    const char *first = "https://autoconfig.example.net/x", *plain = "http://evil.example/";
    CHECK(!mailsrv_http_redirect_allowed((const uint8_t *)first, strlen(first), (const uint8_t *)plain, strlen(plain)));
    CHECK(mailsrv_http_redirect_allowed((const uint8_t *)first, strlen(first), (const uint8_t *)first, strlen(first)));
    CHECK(!mailsrv_http_redirect_allowed(NULL, 3, (const uint8_t *)first, strlen(first)));
    char path[128];
    const char *url = "https://autoconfig.Example.NET/mail/config-v1.1.xml?emailaddress=a%40b";
    CHECK_RESULT(mailsrv_http_fixture_path((const uint8_t *)url, strlen(url), (uint8_t *)path, sizeof path, &n), MAILSRV_RESULT_OK);
    CHECK(n == strlen("autoconfig.example.net/mail/config-v1.1.xml") && memcmp(path, "autoconfig.example.net/mail/config-v1.1.xml", n) == 0);
    const char *escape = "https://h.example/../../etc/passwd";
    CHECK_RESULT(mailsrv_http_fixture_path((const uint8_t *)escape, strlen(escape), (uint8_t *)path, sizeof path, &n), MAILSRV_RESULT_OK);
    CHECK(n == 0);
    CHECK_RESULT(mailsrv_http_fixture_path((const uint8_t *)url, strlen(url), (uint8_t *)path, 4, &n), MAILSRV_RESULT_INSUFFICIENT_SIZE);
    uint16_t status = 0;
    char type[64];
    CHECK_RESULT(mailsrv_http_fixture_status(0, NULL, 0, &status, (uint8_t *)type, sizeof type, &n), MAILSRV_RESULT_OK);
    CHECK(status == 404 && n == 9 && memcmp(type, "text/html", 9) == 0);
    CHECK_RESULT(mailsrv_http_fixture_status(1, NULL, 0, &status, (uint8_t *)type, sizeof type, &n), MAILSRV_RESULT_OK);
    CHECK(status == 200 && n == 8 && memcmp(type, "text/xml", 8) == 0);
    CHECK(strcmp(mailsrv_http_fixture_content_type_suffix(), ".content-type") == 0);
    CHECK(strcmp(mailsrv_http_failure_name(MAILSRV_HTTP_INSECURE_REDIRECT), "insecure-redirect") == 0);
    return report("test_web");
}
