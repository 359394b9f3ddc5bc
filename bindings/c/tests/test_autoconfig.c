/* The C ABI's autoconfig parser: a document parsed into JSON, and hostile documents refused with
 * the core's typed result codes (D24, D25; the rules are the core's, tested in
 * core/tests/autoconfig.rs). */
#include "util.h"

static const char *DOC =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<clientConfig version=\"1.1\"><emailProvider id=\"example.net\">"
    "<domain>example.net</domain>"
    "<incomingServer type=\"imap\"><hostname>imap.%EMAILDOMAIN%</hostname><port>993</port>"
    "<socketType>SSL</socketType><username>%EMAILADDRESS%</username>"
    "<authentication>password-cleartext</authentication></incomingServer>"
    "<incomingServer type=\"pop3\"><hostname>%EMAILLOCALPART%.example.net</hostname>"
    "<port>995</port><socketType>SSL</socketType></incomingServer>"
    "</emailProvider></clientConfig>";

static mailsrv_result parse(const char *doc, size_t len, const char *email, mailsrv_autoconfig **out) {
    return mailsrv_autoconfig_parse((const uint8_t *)doc, len, (const uint8_t *)email, strlen(email), out);
}

int main(void) {
    const char *email = "alice@example.net";
    mailsrv_autoconfig *config = NULL;
    CHECK_RESULT(parse(DOC, strlen(DOC), email, &config), MAILSRV_RESULT_OK);
    CHECK(config != NULL);

    /* The size first, then the JSON. */
    size_t n = 0;
    CHECK_RESULT(mailsrv_autoconfig_json(config, 0, NULL, 0, &n), MAILSRV_RESULT_INSUFFICIENT_SIZE);
    CHECK(n > 0);
    char *json = malloc(n + 1);
    CHECK(json != NULL);
    if (json) {
        size_t got = 0;
        CHECK_RESULT(mailsrv_autoconfig_json(config, 0, (uint8_t *)json, n, &got), MAILSRV_RESULT_OK);
        CHECK(got == n);
        json[got] = '\0';
        CHECK(strstr(json, "\"host\":\"imap.example.net\"") != NULL);
        CHECK(strstr(json, "\"security\":\"implicit-tls\"") != NULL);
        CHECK(strstr(json, "\"username\":\"alice@example.net\"") != NULL);
        /* D24: the POP3 section's host used the local part; it was dropped with a diagnostic. */
        CHECK(strstr(json, "\"code\":\"unsafe-placeholder\"") != NULL);
        CHECK(strstr(json, "alice.example.net") == NULL);
        free(json);
    }
    CHECK_RESULT(mailsrv_autoconfig_json(NULL, 0, NULL, 0, &n), MAILSRV_RESULT_NULL_PARAMETER);
    CHECK_RESULT(mailsrv_autoconfig_json(config, 0, NULL, 0, NULL), MAILSRV_RESULT_NULL_PARAMETER);
    mailsrv_autoconfig_free(config);
    mailsrv_autoconfig_free(NULL);

    /* The shared fixture gives the same pretty JSON as Rust and JS (testdata/autoconfig/). */
    {
        size_t xml_len = 0, want_len = 0;
        char *xml = read_file("../../testdata/autoconfig/mixed.xml", &xml_len);
        char *want = read_file("../../testdata/autoconfig/mixed.json", &want_len);
        CHECK(xml != NULL && want != NULL);
        mailsrv_autoconfig *c = NULL;
        if (xml && want) CHECK_RESULT(parse(xml, xml_len, email, &c), MAILSRV_RESULT_OK);
        if (c) {
            size_t got = 0;
            CHECK_RESULT(mailsrv_autoconfig_json(c, 1, NULL, 0, &got), MAILSRV_RESULT_INSUFFICIENT_SIZE);
            char *pretty = malloc(got + 1);
            CHECK(pretty != NULL);
            if (pretty) {
                CHECK_RESULT(mailsrv_autoconfig_json(c, 1, (uint8_t *)pretty, got, &got), MAILSRV_RESULT_OK);
                /* The expected file ends with a newline. */
                CHECK(got + 1 == want_len && memcmp(pretty, want, got) == 0);
                free(pretty);
            }
            mailsrv_autoconfig_free(c);
        }
        free(xml);
        free(want);
    }

    /* D25: refused documents give typed results and no handle. */
    struct { const char *doc; mailsrv_result expected; } refused[] = {
        {"<!DOCTYPE c [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><clientConfig>&x;</clientConfig>",
         MAILSRV_RESULT_AUTOCONFIG_DOCTYPE},
        {"<html><emailProvider/></html>", MAILSRV_RESULT_AUTOCONFIG_WRONG_ROOT},
        {"<clientConfig><emailProvider>", MAILSRV_RESULT_AUTOCONFIG_MALFORMED},
        {"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><clientConfig/>", MAILSRV_RESULT_AUTOCONFIG_ENCODING},
    };
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        mailsrv_autoconfig *c = NULL;
        CHECK_RESULT(parse(refused[i].doc, strlen(refused[i].doc), email, &c), refused[i].expected);
        CHECK(c == NULL);
    }
    size_t big_len = 70000;
    char *big = malloc(big_len);
    CHECK(big != NULL);
    if (big) {
        memset(big, ' ', big_len);
        mailsrv_autoconfig *c = NULL;
        CHECK_RESULT(parse(big, big_len, email, &c), MAILSRV_RESULT_AUTOCONFIG_TOO_LARGE);
        free(big);
    }

    /* Misuse: NULL out, NULL document with a length, a bad address. */
    CHECK_RESULT(parse(DOC, strlen(DOC), email, NULL), MAILSRV_RESULT_NULL_PARAMETER);
    CHECK_RESULT(mailsrv_autoconfig_parse(NULL, 5, (const uint8_t *)email, strlen(email), &config),
                 MAILSRV_RESULT_NULL_PARAMETER);
    CHECK_RESULT(parse(DOC, strlen(DOC), "no-at-sign", &config), MAILSRV_RESULT_MISSING_AT);

    return report("test_autoconfig");
}
