/* The C ABI's accessors, verification and version macros, on the demo zone and the test PKI. */
#include "util.h"

#if !defined(MAILSRV_VERSION_MAJOR) || !defined(MAILSRV_VERSION_MINOR) || !defined(MAILSRV_VERSION_PATCH)
#error "version macros missing from mailsrv.h"
#endif

#define NOW 1811808000ULL /* 2027-06-01, inside the test PKI's validity */

static mailsrv_certificates *load_pem(const char *name) {
    char path[512];
    snprintf(path, sizeof path, "../../testdata/certs/%s", name);
    size_t len = 0;
    char *pem = read_file(path, &len);
    mailsrv_certificates *certs = NULL;
    CHECK(pem != NULL);
    if (pem) CHECK_RESULT(mailsrv_certificates_from_pem((const uint8_t *)pem, len, &certs), MAILSRV_RESULT_OK);
    free(pem);
    return certs;
}

static int str_is(mailsrv_str s, const char *expected) {
    return s.len == strlen(expected) && memcmp(s.data, expected, s.len) == 0 && s.data[s.len] == '\0';
}

int main(void) {
    char version[32];
    snprintf(version, sizeof version, "%d.%d.%d", MAILSRV_VERSION_MAJOR, MAILSRV_VERSION_MINOR, MAILSRV_VERSION_PATCH);
    CHECK(strcmp(mailsrv_version(), version) == 0);

    /* Option values are parsed by the core (one rule for the CLI, the C host and Rust). */
    {
        mailsrv_options o;
        CHECK_RESULT(mailsrv_options_default(&o), MAILSRV_RESULT_OK);
        CHECK_RESULT(mailsrv_options_set(&o, (const uint8_t *)"tls-order", 9, (const uint8_t *)"domain-priority", 15), MAILSRV_RESULT_OK);
        CHECK(o.tls_order == MAILSRV_TLS_ORDER_DOMAIN_PRIORITY);
        CHECK_RESULT(mailsrv_options_set(&o, (const uint8_t *)"prefer", 6, (const uint8_t *)"pop3", 4), MAILSRV_RESULT_OK);
        CHECK(o.prefer == MAILSRV_PROTOCOL_POP3);
        mailsrv_options before = o;
        CHECK_RESULT(mailsrv_options_set(&o, (const uint8_t *)"prefer", 6, (const uint8_t *)"submission", 10), MAILSRV_RESULT_INVALID_OPTION);
        CHECK_RESULT(mailsrv_options_set(&o, (const uint8_t *)"seed", 4, (const uint8_t *)"1", 1), MAILSRV_RESULT_INVALID_OPTION);
        CHECK(o.tls_order == before.tls_order && o.prefer == before.prefer &&
              o.minimum_security == before.minimum_security);
        CHECK_RESULT(mailsrv_options_set(NULL, (const uint8_t *)"prefer", 6, (const uint8_t *)"imap", 4), MAILSRV_RESULT_NULL_PARAMETER);
    }

    /* Numeric options are read by the core too (the JS CLI and the C host take the same texts),
     * and its message for a refused one names the option, the range and the text. */
    {
        uint64_t v = 7;
        CHECK_RESULT(mailsrv_number_value((const uint8_t *)"timeout", 7, (const uint8_t *)"2147483647", 10, &v), MAILSRV_RESULT_OK);
        CHECK(v == 2147483647u);
        CHECK_RESULT(mailsrv_number_value((const uint8_t *)"seed", 4, (const uint8_t *)"18446744073709551615", 20, &v), MAILSRV_RESULT_OK);
        CHECK(v == UINT64_MAX);
        v = 7;
        CHECK_RESULT(mailsrv_number_value((const uint8_t *)"timeout", 7, (const uint8_t *)"1e3", 3, &v), MAILSRV_RESULT_INVALID_OPTION);
        CHECK_RESULT(mailsrv_number_value((const uint8_t *)"seed", 4, (const uint8_t *)"0x10", 4, &v), MAILSRV_RESULT_INVALID_OPTION);
        CHECK_RESULT(mailsrv_number_value((const uint8_t *)"concurrency", 11, (const uint8_t *)"4097", 4, &v), MAILSRV_RESULT_INVALID_OPTION);
        CHECK_RESULT(mailsrv_number_value((const uint8_t *)"rate", 4, (const uint8_t *)"5", 1, &v), MAILSRV_RESULT_INVALID_OPTION);
        CHECK_RESULT(mailsrv_number_value((const uint8_t *)"seed", 4, (const uint8_t *)"\xff", 1, &v), MAILSRV_RESULT_INVALID_ARGUMENT);
        CHECK(v == 7); /* untouched on errors */
        CHECK_RESULT(mailsrv_number_value((const uint8_t *)"seed", 4, (const uint8_t *)"1", 1, NULL), MAILSRV_RESULT_NULL_PARAMETER);
        char why[512];
        size_t n = 0;
        CHECK_RESULT(mailsrv_number_error((const uint8_t *)"timeout", 7, (const uint8_t *)"1e3", 3, NULL, 0, &n), MAILSRV_RESULT_INSUFFICIENT_SIZE);
        const char *expected = "`--timeout` must be a whole number of milliseconds from 1 to 2147483647, not `1e3`";
        CHECK(n == strlen(expected));
        CHECK_RESULT(mailsrv_number_error((const uint8_t *)"timeout", 7, (const uint8_t *)"1e3", 3, (uint8_t *)why, sizeof why, &n), MAILSRV_RESULT_OK);
        CHECK(n == strlen(expected) && memcmp(why, expected, n) == 0);
        CHECK_RESULT(mailsrv_number_error((const uint8_t *)"timeout", 7, (const uint8_t *)"3000", 4, (uint8_t *)why, sizeof why, &n), MAILSRV_RESULT_OK);
        CHECK(n == 0);
    }

    /* A host's reason for a failed lookup (mailsrv_discovery_fail_because) is in the plan's
     * lookup-failed diagnostic; a NULL one with a length is refused before anything is
     * recorded, and bytes that are not UTF-8 are shown as U+FFFD (the failure still counts). */
    {
        mailsrv_discovery *fd = NULL;
        CHECK_RESULT(mailsrv_discovery_new((const uint8_t *)"bob@example.net", 15, NULL, &fd), MAILSRV_RESULT_OK);
        const char *why = "Could not contact DNS servers";
        CHECK_RESULT(mailsrv_discovery_fail_because(fd, 0, MAILSRV_FAILURE_NETWORK_ERROR, NULL, 3), MAILSRV_RESULT_NULL_PARAMETER);
        CHECK_RESULT(mailsrv_discovery_fail_because(fd, 1, MAILSRV_FAILURE_TIMEOUT, (const uint8_t *)"d\xe9lai d\xe9pass\xe9", 13), MAILSRV_RESULT_OK);
        CHECK_RESULT(mailsrv_discovery_fail_because(NULL, 0, MAILSRV_FAILURE_NETWORK_ERROR, (const uint8_t *)why, strlen(why)), MAILSRV_RESULT_NULL_PARAMETER);
        CHECK_RESULT(mailsrv_discovery_fail_because(fd, 99, MAILSRV_FAILURE_NETWORK_ERROR, (const uint8_t *)why, strlen(why)), MAILSRV_RESULT_UNKNOWN_QUESTION);
        CHECK_RESULT(mailsrv_discovery_fail_because(fd, 0, MAILSRV_FAILURE_NETWORK_ERROR, (const uint8_t *)why, strlen(why)), MAILSRV_RESULT_OK);
        mailsrv_plan *fp = NULL;
        CHECK_RESULT(mailsrv_discovery_plan(fd, 1, &fp), MAILSRV_RESULT_OK);
        size_t need = 0;
        CHECK_RESULT(mailsrv_plan_json(fp, 0, NULL, 0, &need), MAILSRV_RESULT_INSUFFICIENT_SIZE);
        char *json = malloc(need + 1);
        CHECK(json != NULL);
        CHECK_RESULT(mailsrv_plan_json(fp, 0, (uint8_t *)json, need, &need), MAILSRV_RESULT_OK);
        json[need] = '\0';
        CHECK(strstr(json, "`_submissions._tcp.example.net`: the lookup failed (network-error: Could not contact DNS servers); the service may exist") != NULL);
        CHECK(strstr(json, "`_submission._tcp.example.net`: the lookup failed (timeout: d\xef\xbf\xbdlai d\xef\xbf\xbdpass\xef\xbf\xbd)") != NULL);
        free(json);
        mailsrv_plan_free(fp);
        mailsrv_discovery_free(fd);
    }

    /* D50: a probed target the resolver gives no address fails with the core's error; the C
     * host prints its name and text (`error NETWORK_ERROR: no address for HOST from the
     * resolver`), with the resolver's own error after it when it has one. */
    {
        char text[2048];
        size_t n = 0;
        uint32_t code = 0;
        CHECK_RESULT(mailsrv_no_address_error((const uint8_t *)"localhost", 9, NULL, 0, &code, (uint8_t *)text, sizeof text, &n), MAILSRV_RESULT_OK);
        CHECK(code == MAILSRV_RESULT_NETWORK_ERROR && strcmp(mailsrv_result_name(code), "NETWORK_ERROR") == 0);
        CHECK(n == strlen("no address for localhost from the resolver") && memcmp(text, "no address for localhost from the resolver", n) == 0);
        CHECK_RESULT(mailsrv_no_address_error((const uint8_t *)"mx.example.net", 14, (const uint8_t *)"timed out", 9, &code, (uint8_t *)text, sizeof text, &n), MAILSRV_RESULT_OK);
        text[n] = '\0';
        CHECK(strcmp(text, "no address for mx.example.net from the resolver: timed out") == 0);
        /* A line break in the resolver's text cannot start another line of output. */
        CHECK_RESULT(mailsrv_no_address_error((const uint8_t *)"mx", 2, (const uint8_t *)"a\nerror OK", 10, &code, (uint8_t *)text, sizeof text, &n), MAILSRV_RESULT_OK);
        CHECK(memchr(text, '\n', n) == NULL);
        /* The size first: only *out_n is written, then the text fits. */
        size_t need = 0;
        code = 0;
        CHECK_RESULT(mailsrv_no_address_error((const uint8_t *)"localhost", 9, NULL, 0, &code, NULL, 0, &need), MAILSRV_RESULT_INSUFFICIENT_SIZE);
        CHECK(need == 42 && code == 0);
        /* Bad arguments are typed errors: a NUL in the name, bytes that are not UTF-8, a name
         * longer than the cap (1 024 bytes), a length past the cap, which is refused before the
         * bytes are read (here there are only 9, on the heap: valgrind would see a read past them). */
        CHECK_RESULT(mailsrv_no_address_error((const uint8_t *)"local\0host", 10, NULL, 0, &code, (uint8_t *)text, sizeof text, &n), MAILSRV_RESULT_INVALID_ARGUMENT);
        CHECK_RESULT(mailsrv_no_address_error((const uint8_t *)"\xff", 1, NULL, 0, &code, (uint8_t *)text, sizeof text, &n), MAILSRV_RESULT_INVALID_ARGUMENT);
        uint8_t *name = malloc(1025);
        CHECK(name != NULL);
        if (name) {
            memset(name, 'a', 1025);
            CHECK_RESULT(mailsrv_no_address_error(name, 1024, NULL, 0, &code, (uint8_t *)text, sizeof text, &n), MAILSRV_RESULT_OK);
            CHECK(n == 1024 + 33);
            code = 0;
            CHECK_RESULT(mailsrv_no_address_error(name, 1025, NULL, 0, &code, (uint8_t *)text, sizeof text, &n), MAILSRV_RESULT_INVALID_ARGUMENT);
            CHECK_RESULT(mailsrv_no_address_error((const uint8_t *)"localhost", 9, name, 513, &code, (uint8_t *)text, sizeof text, &n), MAILSRV_RESULT_INVALID_ARGUMENT);
            free(name);
        }
        uint8_t *nine = malloc(9);
        CHECK(nine != NULL);
        if (nine) {
            memcpy(nine, "localhost", 9);
            CHECK_RESULT(mailsrv_no_address_error(nine, 1025, NULL, 0, &code, (uint8_t *)text, sizeof text, &n), MAILSRV_RESULT_INVALID_ARGUMENT);
            CHECK_RESULT(mailsrv_no_address_error(nine, SIZE_MAX, NULL, 0, &code, (uint8_t *)text, sizeof text, &n), MAILSRV_RESULT_INVALID_ARGUMENT);
            free(nine);
        }
        CHECK(code == 0);
    }

    size_t zlen = 0;
    char *zone = read_file("../../testdata/zones/demo.zone", &zlen);
    CHECK(zone != NULL);
    mailsrv_zone_host *host = NULL;
    CHECK_RESULT(mailsrv_zone_host_new(&host), MAILSRV_RESULT_OK);
    CHECK_RESULT(mailsrv_zone_host_add_zone(host, (const uint8_t *)zone, zlen, 0), MAILSRV_RESULT_OK);
    free(zone);

    const char *email = "alice@example.net";
    mailsrv_discovery *d = NULL;
    CHECK_RESULT(mailsrv_discovery_new((const uint8_t *)email, strlen(email), NULL, &d), MAILSRV_RESULT_OK);
    CHECK_RESULT(mailsrv_zone_host_resolve(host, d), MAILSRV_RESULT_OK);
    CHECK(mailsrv_discovery_is_complete(d));
    mailsrv_plan *plan = NULL;
    CHECK_RESULT(mailsrv_discovery_plan(d, 1, &plan), MAILSRV_RESULT_OK);

    CHECK(str_is(mailsrv_plan_email(plan), "alice@example.net"));
    CHECK(str_is(mailsrv_plan_domain(plan), "example.net"));
    uint32_t protocol = 99, in_status = 99, out_status = 99;
    CHECK_RESULT(mailsrv_plan_summary(plan, &protocol, &in_status, &out_status), MAILSRV_RESULT_OK);
    CHECK(protocol == MAILSRV_PROTOCOL_IMAP && in_status == MAILSRV_STATUS_FOUND && out_status == MAILSRV_STATUS_FOUND);
    CHECK(mailsrv_plan_candidate_count(plan, MAILSRV_SIDE_INCOMING) == 3);
    CHECK(mailsrv_plan_candidate_count(plan, MAILSRV_SIDE_OUTGOING) == 2);
    CHECK(mailsrv_plan_candidate_count(plan, MAILSRV_SIDE_ALTERNATIVE) == 1);

    mailsrv_candidate c;
    CHECK_RESULT(mailsrv_plan_candidate(plan, MAILSRV_SIDE_INCOMING, 0, &c), MAILSRV_RESULT_OK);
    CHECK(str_is(c.host, "imap2.example.net") && c.port == 993);
    CHECK(c.service == MAILSRV_SERVICE_IMAPS && c.protocol == MAILSRV_PROTOCOL_IMAP);
    CHECK(c.security == MAILSRV_SECURITY_IMPLICIT_TLS && c.trust == MAILSRV_TRUST_IN_DOMAIN);
    CHECK(c.priority == 0 && c.weight == 40);
    /* S6186-4e, D13: SNI is the email domain, the target host is the alternative. */
    CHECK(str_is(c.sni, "example.net") && str_is(c.sni_alternative, "imap2.example.net"));
    CHECK(c.identity_count == 2 && c.username_count == 2 && c.address_count == 1);
    CHECK(str_is(c.alpn, "imap"));
    bool ok = false;
    CHECK_RESULT(mailsrv_plan_candidate_accepts_alpn(plan, MAILSRV_SIDE_INCOMING, 0, NULL, 0, &ok), MAILSRV_RESULT_OK);
    CHECK(ok);
    CHECK_RESULT(mailsrv_plan_candidate_accepts_alpn(plan, MAILSRV_SIDE_INCOMING, 0, (const uint8_t *)"http/1.1", 8, &ok), MAILSRV_RESULT_OK);
    CHECK(!ok);
    CHECK_RESULT(mailsrv_plan_candidate_accepts_alpn(plan, MAILSRV_SIDE_INCOMING, 0, (const uint8_t *)"imap", 4, &ok), MAILSRV_RESULT_OK);
    CHECK(ok);
    uint32_t kind = 99;
    mailsrv_str value;
    /* D8, S7817-3c: the reference identities are the SRV-ID of the label and the email domain. */
    CHECK_RESULT(mailsrv_plan_candidate_identity(plan, MAILSRV_SIDE_INCOMING, 0, 0, &kind, &value), MAILSRV_RESULT_OK);
    CHECK(kind == MAILSRV_IDENTITY_SRV_ID && str_is(value, "_imaps.example.net"));
    CHECK_RESULT(mailsrv_plan_candidate_identity(plan, MAILSRV_SIDE_INCOMING, 0, 1, &kind, &value), MAILSRV_RESULT_OK);
    CHECK(kind == MAILSRV_IDENTITY_DNS_ID && str_is(value, "example.net"));
    CHECK_RESULT(mailsrv_plan_candidate_username(plan, MAILSRV_SIDE_INCOMING, 0, 0, &value), MAILSRV_RESULT_OK);
    CHECK(str_is(value, "alice@example.net"));
    CHECK_RESULT(mailsrv_plan_candidate_username(plan, MAILSRV_SIDE_INCOMING, 0, 1, &value), MAILSRV_RESULT_OK);
    CHECK(str_is(value, "alice"));
    CHECK_RESULT(mailsrv_plan_candidate_address(plan, MAILSRV_SIDE_INCOMING, 0, 0, &value), MAILSRV_RESULT_OK);
    CHECK(str_is(value, "192.0.2.144"));
    CHECK_RESULT(mailsrv_plan_candidate(plan, MAILSRV_SIDE_OUTGOING, 1, &c), MAILSRV_RESULT_OK);
    CHECK(c.security == MAILSRV_SECURITY_STARTTLS && c.port == 587);

    CHECK(mailsrv_plan_lookup_count(plan) == 6);
    mailsrv_lookup l;
    CHECK_RESULT(mailsrv_plan_lookup(plan, 5, &l), MAILSRV_RESULT_OK);
    CHECK(l.service == MAILSRV_SERVICE_POP3 && l.outcome == MAILSRV_OUTCOME_NX_DOMAIN && l.dnssec == MAILSRV_DNSSEC_INSECURE);
    CHECK(str_is(l.name, "_pop3._tcp.example.net"));
    CHECK(mailsrv_plan_diagnostic_count(plan) == 1);
    mailsrv_str code, message;
    CHECK_RESULT(mailsrv_plan_diagnostic(plan, 0, &code, &message), MAILSRV_RESULT_OK);
    CHECK(str_is(code, "alternative-protocol") && message.len > 20);
    uint32_t secs = 0;
    uint8_t known = 0;
    CHECK_RESULT(mailsrv_plan_expires(plan, &secs, &known), MAILSRV_RESULT_OK);
    CHECK(known == 1 && secs == 300);

    /* Verify candidate 0 (imap2.example.net, _imaps) with a chain that carries _imaps.example.net. */
    mailsrv_certificates *chain = load_pem("srv-id.chain.pem");
    mailsrv_certificates *anchors = load_pem("ca.pem");
    CHECK(mailsrv_certificates_count(chain) == 2 && mailsrv_certificates_count(anchors) == 1);
    mailsrv_bytes chain_v[2], anchor_v[1];
    for (size_t i = 0; i < 2; i++) CHECK_RESULT(mailsrv_certificates_get(chain, i, &chain_v[i]), MAILSRV_RESULT_OK);
    CHECK_RESULT(mailsrv_certificates_get(anchors, 0, &anchor_v[0]), MAILSRV_RESULT_OK);
    CHECK_RESULT(mailsrv_certificates_get(anchors, 1, &anchor_v[0]), MAILSRV_RESULT_INVALID_ARGUMENT);
    mailsrv_verdict *v = NULL;
    CHECK_RESULT(mailsrv_verify_candidate(plan, MAILSRV_SIDE_INCOMING, 0, chain_v, 2, anchor_v, 1, NOW, 0, &v), MAILSRV_RESULT_OK);
    uint32_t vstatus = 99, reason = 99;
    CHECK_RESULT(mailsrv_verdict_summary(v, &vstatus, &reason), MAILSRV_RESULT_OK);
    CHECK(vstatus == MAILSRV_VERDICT_VERIFIED && reason == MAILSRV_REJECT_NONE);
    CHECK_RESULT(mailsrv_verdict_matched(v, &kind, &value), MAILSRV_RESULT_OK);
    CHECK(kind == MAILSRV_IDENTITY_SRV_ID && str_is(value, "_imaps.example.net"));
    CHECK(mailsrv_verdict_presented_count(v) >= 2);
    mailsrv_str ptype;
    CHECK_RESULT(mailsrv_verdict_presented(v, 0, &ptype, &value), MAILSRV_RESULT_OK);
    CHECK(str_is(ptype, "srv-id") && str_is(value, "_imaps.example.net"));
    size_t need = 0;
    CHECK_RESULT(mailsrv_verdict_json(v, 0, NULL, 0, &need), MAILSRV_RESULT_INSUFFICIENT_SIZE);
    char *json = malloc(need + 1);
    CHECK_RESULT(mailsrv_verdict_json(v, 0, (uint8_t *)json, need, &need), MAILSRV_RESULT_OK);
    json[need] = '\0';
    CHECK(strstr(json, "\"status\":\"verified\"") != NULL);
    free(json);
    mailsrv_verdict_free(v);

    /* The same chain for the _submission candidate (587): _submissions ≠ _submission → rejected. */
    CHECK_RESULT(mailsrv_verify_candidate(plan, MAILSRV_SIDE_OUTGOING, 1, chain_v, 2, anchor_v, 1, NOW, 0, &v), MAILSRV_RESULT_OK);
    CHECK_RESULT(mailsrv_verdict_summary(v, &vstatus, &reason), MAILSRV_RESULT_OK);
    CHECK(vstatus == MAILSRV_VERDICT_REJECTED && reason == MAILSRV_REJECT_NAME_MISMATCH);
    CHECK_RESULT(mailsrv_verdict_matched(v, &kind, &value), MAILSRV_RESULT_INVALID_ARGUMENT);
    mailsrv_verdict_free(v);
    mailsrv_certificates_free(chain);

    /* D7, D9: a target-only certificate without DNSSEC needs the user's confirmation. */
    chain = load_pem("target-only.chain.pem");
    for (size_t i = 0; i < 2; i++) CHECK_RESULT(mailsrv_certificates_get(chain, i, &chain_v[i]), MAILSRV_RESULT_OK);
    const char *domain = "example.net", *target = "mail.provider.net";
    mailsrv_verify_request request = {0};
    request.domain = (const uint8_t *)domain;
    request.domain_len = strlen(domain);
    request.service = MAILSRV_SERVICE_IMAPS;
    request.host = (const uint8_t *)target;
    request.host_len = strlen(target);
    request.chain = chain_v;
    request.chain_len = 2;
    request.anchors = anchor_v;
    request.anchors_len = 1;
    request.now = NOW;
    CHECK_RESULT(mailsrv_verify(&request, &v), MAILSRV_RESULT_OK);
    CHECK_RESULT(mailsrv_verdict_summary(v, &vstatus, &reason), MAILSRV_RESULT_OK);
    CHECK(vstatus == MAILSRV_VERDICT_NEEDS_CONFIRMATION);
    CHECK(strstr(mailsrv_verdict_message(v).data, "mail.provider.net") != NULL);
    mailsrv_verdict_free(v);
    /* ...and expires. */
    request.dnssec_secure = 1;
    request.now = 2208988800ULL;
    CHECK_RESULT(mailsrv_verify(&request, &v), MAILSRV_RESULT_OK);
    CHECK_RESULT(mailsrv_verdict_summary(v, &vstatus, &reason), MAILSRV_RESULT_OK);
    CHECK(vstatus == MAILSRV_VERDICT_REJECTED && reason == MAILSRV_REJECT_EXPIRED);
    mailsrv_verdict_free(v);

    /* S7673-4a, DANE-TA (RFC 7671 §5.2): a TLSA record holding the intermediate in full, no
     * anchors; the target host becomes a reference identity (RFC 7673 §4.1). */
    request.dnssec_secure = 0;
    request.now = NOW;
    request.anchors = NULL;
    request.anchors_len = 0;
    request.port = 993;
    size_t text_len = 6 + 2 * chain_v[1].len;
    char *text = malloc(text_len + 1);
    CHECK(text != NULL);
    memcpy(text, "2 0 0 ", 6);
    for (size_t i = 0; i < chain_v[1].len; i++) snprintf(text + 6 + 2 * i, 3, "%02x", chain_v[1].data[i]);
    mailsrv_bytes record = {(const uint8_t *)text, text_len};
    request.tlsa = &record;
    request.tlsa_len = 1;
    CHECK_RESULT(mailsrv_verify(&request, &v), MAILSRV_RESULT_OK);
    CHECK_RESULT(mailsrv_verdict_summary(v, &vstatus, &reason), MAILSRV_RESULT_OK);
    CHECK(vstatus == MAILSRV_VERDICT_VERIFIED);
    CHECK_RESULT(mailsrv_verdict_matched(v, &kind, &value), MAILSRV_RESULT_OK);
    CHECK(kind == MAILSRV_IDENTITY_DANE_TA && strncmp(value.data, "2 0 0 ", 6) == 0);
    CHECK(strstr(mailsrv_verdict_message(v).data, "DANE-TA") != NULL);
    mailsrv_verdict_free(v);
    /* A SHA-256 record of no certificate here: no match, and the RRset is usable, so no PKIX.
     * (A changed byte in the signature of the full certificate would still match: a trust
     * anchor's own signature is never checked.) */
    static const char wrong[] = "2 0 1 0000000000000000000000000000000000000000000000000000000000000000";
    record = (mailsrv_bytes){(const uint8_t *)wrong, sizeof wrong - 1};
    CHECK_RESULT(mailsrv_verify(&request, &v), MAILSRV_RESULT_OK);
    CHECK_RESULT(mailsrv_verdict_summary(v, &vstatus, &reason), MAILSRV_RESULT_OK);
    CHECK(vstatus == MAILSRV_VERDICT_REJECTED && reason == MAILSRV_REJECT_TLSA_MISMATCH);
    mailsrv_verdict_free(v);
    /* Typed errors: a record that does not parse, more records than the cap (32). */
    record = (mailsrv_bytes){(const uint8_t *)"2 0 0 zz", 8};
    v = NULL;
    CHECK_RESULT(mailsrv_verify(&request, &v), MAILSRV_RESULT_INVALID_TLSA_RECORD);
    CHECK(v == NULL);
    mailsrv_bytes many[33];
    for (size_t i = 0; i < 33; i++) many[i] = (mailsrv_bytes){(const uint8_t *)"3 1 1 00", 8};
    request.tlsa = many;
    request.tlsa_len = 33;
    CHECK_RESULT(mailsrv_verify(&request, &v), MAILSRV_RESULT_TOO_MANY_TLSA_RECORDS);
    free(text);

    mailsrv_certificates_free(chain);
    mailsrv_certificates_free(anchors);
    mailsrv_plan_free(plan);
    mailsrv_discovery_free(d);
    mailsrv_zone_host_free(host);
    return report("test_api");
}
