/* Misuse of the C ABI: NULL pointers, bad lengths and values, unknown ids, answers fed twice,
 * plans before any answer, use after a plan. Each returns a result code and never crashes. */
#include "util.h"

static const char *email = "alice@example.net";

int main(void) {
    mailsrv_discovery *d = NULL;
    mailsrv_options o;
    CHECK_RESULT(mailsrv_options_default(NULL), MAILSRV_RESULT_NULL_PARAMETER);
    CHECK_RESULT(mailsrv_options_default(&o), MAILSRV_RESULT_OK);

    /* NULL for every pointer of mailsrv_discovery_new. */
    CHECK_RESULT(mailsrv_discovery_new(NULL, 5, &o, &d), MAILSRV_RESULT_NULL_PARAMETER);
    CHECK_RESULT(mailsrv_discovery_new((const uint8_t *)email, strlen(email), &o, NULL), MAILSRV_RESULT_NULL_PARAMETER);
    CHECK(d == NULL); /* out-parameters are written only on success */
    CHECK_RESULT(mailsrv_discovery_new(NULL, 0, &o, &d), MAILSRV_RESULT_EMPTY_ADDRESS);
    CHECK_RESULT(mailsrv_discovery_new((const uint8_t *)"\xff\xfe", 2, &o, &d), MAILSRV_RESULT_INVALID_ARGUMENT);
    CHECK_RESULT(mailsrv_discovery_new((const uint8_t *)"a@[192.0.2.1]", 13, &o, &d), MAILSRV_RESULT_ADDRESS_LITERAL);
    /* A huge length with a valid pointer is the caller's bug; a length above PTRDIFF_MAX is refused. */
    CHECK_RESULT(mailsrv_discovery_new((const uint8_t *)email, (size_t)-1, &o, &d), MAILSRV_RESULT_INVALID_ARGUMENT);
    mailsrv_options bad = o;
    bad.minimum_security = 77;
    CHECK_RESULT(mailsrv_discovery_new((const uint8_t *)email, strlen(email), &bad, &d), MAILSRV_RESULT_INVALID_ARGUMENT);
    bad = o;
    bad.imap = bad.pop3 = bad.submission = 0;
    CHECK_RESULT(mailsrv_discovery_new((const uint8_t *)email, strlen(email), &bad, &d), MAILSRV_RESULT_INVALID_OPTION);
    CHECK(d == NULL);

    /* NULL options mean the defaults. */
    CHECK_RESULT(mailsrv_discovery_new((const uint8_t *)email, strlen(email), NULL, &d), MAILSRV_RESULT_OK);
    CHECK(mailsrv_discovery_question_count(d) == 6);
    CHECK(mailsrv_discovery_question_count(NULL) == 0);
    mailsrv_question q;
    CHECK_RESULT(mailsrv_discovery_question(NULL, 0, &q), MAILSRV_RESULT_NULL_PARAMETER);
    CHECK_RESULT(mailsrv_discovery_question(d, 0, NULL), MAILSRV_RESULT_NULL_PARAMETER);
    CHECK_RESULT(mailsrv_discovery_question(d, 6, &q), MAILSRV_RESULT_INVALID_ARGUMENT);
    CHECK_RESULT(mailsrv_discovery_question(d, (size_t)-1, &q), MAILSRV_RESULT_INVALID_ARGUMENT);
    CHECK_RESULT(mailsrv_discovery_question(d, 2, &q), MAILSRV_RESULT_OK);
    CHECK(strcmp(q.name.data, "_imaps._tcp.example.net") == 0 && q.name.len == 23);
    CHECK(q.name.data[q.name.len] == '\0');

    /* A plan before any answer: every lookup pending, nothing found, no crash. */
    mailsrv_plan *plan = NULL;
    CHECK_RESULT(mailsrv_discovery_plan(d, 1, NULL), MAILSRV_RESULT_NULL_PARAMETER);
    CHECK_RESULT(mailsrv_discovery_plan(NULL, 1, &plan), MAILSRV_RESULT_NULL_PARAMETER);
    CHECK_RESULT(mailsrv_discovery_plan(d, 1, &plan), MAILSRV_RESULT_OK);
    mailsrv_lookup l;
    CHECK_RESULT(mailsrv_plan_lookup(plan, 0, &l), MAILSRV_RESULT_OK);
    CHECK(l.outcome == MAILSRV_OUTCOME_PENDING);
    uint32_t status = 99, protocol = 99, outgoing = 99;
    CHECK_RESULT(mailsrv_plan_summary(plan, NULL, &status, &outgoing), MAILSRV_RESULT_NULL_PARAMETER);
    CHECK_RESULT(mailsrv_plan_summary(plan, &protocol, &status, NULL), MAILSRV_RESULT_NULL_PARAMETER);
    CHECK(status == 99);
    CHECK_RESULT(mailsrv_plan_summary(plan, &protocol, &status, &outgoing), MAILSRV_RESULT_OK);
    CHECK(protocol == MAILSRV_PROTOCOL_NONE);
    CHECK(status == MAILSRV_STATUS_LOOKUP_FAILED);
    CHECK(mailsrv_plan_candidate_count(plan, MAILSRV_SIDE_INCOMING) == 0);
    CHECK(mailsrv_plan_candidate_count(plan, 42) == 0);
    mailsrv_candidate c;
    CHECK_RESULT(mailsrv_plan_candidate(plan, MAILSRV_SIDE_INCOMING, 0, &c), MAILSRV_RESULT_INVALID_ARGUMENT);
    CHECK_RESULT(mailsrv_plan_candidate(plan, 42, 0, &c), MAILSRV_RESULT_INVALID_ARGUMENT);
    uint32_t secs = 0;
    uint8_t known = 9;
    CHECK_RESULT(mailsrv_plan_expires(plan, &secs, &known), MAILSRV_RESULT_OK);
    CHECK(known == 0);
    CHECK_RESULT(mailsrv_plan_expires(plan, NULL, &known), MAILSRV_RESULT_NULL_PARAMETER);

    /* Buffers: NULL out_n, too small, exact. */
    size_t need = 0;
    uint8_t small[4] = {0, 0, 0, 0};
    CHECK_RESULT(mailsrv_plan_json(plan, 0, small, sizeof small, NULL), MAILSRV_RESULT_NULL_PARAMETER);
    CHECK_RESULT(mailsrv_plan_json(plan, 0, small, sizeof small, &need), MAILSRV_RESULT_INSUFFICIENT_SIZE);
    CHECK(need > sizeof small);
    CHECK_RESULT(mailsrv_plan_json(NULL, 0, small, sizeof small, &need), MAILSRV_RESULT_NULL_PARAMETER);
    mailsrv_plan_free(plan);
    plan = NULL;

    /* Feeding answers: unknown ids, NULL bytes, bad enum values, garbage, twice. */
    CHECK_RESULT(mailsrv_discovery_fail(d, 99, MAILSRV_FAILURE_TIMEOUT), MAILSRV_RESULT_UNKNOWN_QUESTION);
    CHECK_RESULT(mailsrv_discovery_fail(d, 0, 1234), MAILSRV_RESULT_INVALID_ARGUMENT);
    CHECK_RESULT(mailsrv_discovery_fail(NULL, 0, MAILSRV_FAILURE_TIMEOUT), MAILSRV_RESULT_NULL_PARAMETER);
    uint32_t outcome = 99;
    CHECK_RESULT(mailsrv_discovery_receive(d, 0, NULL, 10, MAILSRV_DNSSEC_UNSPECIFIED, &outcome), MAILSRV_RESULT_NULL_PARAMETER);
    CHECK_RESULT(mailsrv_discovery_receive(d, 0, small, sizeof small, 99, &outcome), MAILSRV_RESULT_INVALID_ARGUMENT);
    CHECK_RESULT(mailsrv_discovery_receive(d, 77, small, sizeof small, MAILSRV_DNSSEC_UNSPECIFIED, &outcome), MAILSRV_RESULT_UNKNOWN_QUESTION);
    /* Out-parameters are required: NULL is refused before anything is fed. */
    CHECK_RESULT(mailsrv_discovery_receive(d, 0, NULL, 0, MAILSRV_DNSSEC_UNSPECIFIED, NULL), MAILSRV_RESULT_NULL_PARAMETER);
    CHECK_RESULT(mailsrv_discovery_receive(d, 0, NULL, 0, MAILSRV_DNSSEC_UNSPECIFIED, &outcome), MAILSRV_RESULT_OK);
    CHECK(outcome == MAILSRV_OUTCOME_MALFORMED);
    /* A query fed back as its own answer is not a response; nothing changes. */
    CHECK_RESULT(mailsrv_discovery_question(d, 1, &q), MAILSRV_RESULT_OK);
    CHECK_RESULT(mailsrv_discovery_receive(d, q.id, q.wire, q.wire_len, MAILSRV_DNSSEC_UNSPECIFIED, &outcome), MAILSRV_RESULT_NOT_A_RESPONSE);

    mailsrv_srv_record rec = {0, 1, 993, (const uint8_t *)"mail.example.net", 16, 300, 1};
    CHECK_RESULT(mailsrv_discovery_receive_records(d, 2, NULL, 1, MAILSRV_DNSSEC_INSECURE), MAILSRV_RESULT_NULL_PARAMETER);
    CHECK_RESULT(mailsrv_discovery_receive_records(d, 2, &rec, 1, 17), MAILSRV_RESULT_INVALID_ARGUMENT);
    mailsrv_srv_record bad_rec = rec;
    bad_rec.target = NULL;
    CHECK_RESULT(mailsrv_discovery_receive_records(d, 2, &bad_rec, 1, MAILSRV_DNSSEC_INSECURE), MAILSRV_RESULT_INVALID_RECORD);
    CHECK_RESULT(mailsrv_discovery_receive_records(d, 2, &rec, 1, MAILSRV_DNSSEC_INSECURE), MAILSRV_RESULT_OK);
    CHECK_RESULT(mailsrv_discovery_receive_records(d, 2, &rec, 1, MAILSRV_DNSSEC_INSECURE), MAILSRV_RESULT_ALREADY_ANSWERED);
    CHECK_RESULT(mailsrv_discovery_receive_records(d, 3, NULL, 0, MAILSRV_DNSSEC_INSECURE), MAILSRV_RESULT_OK);
    CHECK(!mailsrv_discovery_is_complete(d));

    /* Use after a plan: the discovery keeps working and a new plan sees the new answers. */
    CHECK_RESULT(mailsrv_discovery_plan(d, 1, &plan), MAILSRV_RESULT_OK);
    CHECK(mailsrv_plan_candidate_count(plan, MAILSRV_SIDE_INCOMING) == 1);
    for (uint16_t id = 0; id < 6; id++) {
        if (id != 2 && id != 3) CHECK_RESULT(mailsrv_discovery_fail(d, id, MAILSRV_FAILURE_NX_DOMAIN), MAILSRV_RESULT_OK);
    }
    CHECK(mailsrv_discovery_is_complete(d));
    mailsrv_plan *second = NULL;
    CHECK_RESULT(mailsrv_discovery_plan(d, 1, &second), MAILSRV_RESULT_OK);
    CHECK_RESULT(mailsrv_plan_summary(second, &protocol, &outgoing, &status), MAILSRV_RESULT_OK);
    CHECK(status == MAILSRV_STATUS_NOT_PUBLISHED);
    /* The first plan outlives the discovery. */
    mailsrv_discovery_free(d);
    CHECK_RESULT(mailsrv_plan_candidate(plan, MAILSRV_SIDE_INCOMING, 0, &c), MAILSRV_RESULT_OK);
    CHECK(strcmp(c.host.data, "mail.example.net") == 0 && c.port == 993);
    mailsrv_str value;
    uint32_t kind;
    CHECK_RESULT(mailsrv_plan_candidate_identity(plan, MAILSRV_SIDE_INCOMING, 0, 5, &kind, &value), MAILSRV_RESULT_INVALID_ARGUMENT);
    CHECK_RESULT(mailsrv_plan_candidate_identity(plan, MAILSRV_SIDE_INCOMING, 0, 0, NULL, &value), MAILSRV_RESULT_NULL_PARAMETER);
    CHECK_RESULT(mailsrv_plan_candidate_username(plan, MAILSRV_SIDE_INCOMING, 0, 2, &value), MAILSRV_RESULT_INVALID_ARGUMENT);
    CHECK_RESULT(mailsrv_plan_diagnostic(plan, 1000, &value, &value), MAILSRV_RESULT_INVALID_ARGUMENT);
    mailsrv_plan_free(plan);
    mailsrv_plan_free(second);

    /* Frees accept NULL. */
    mailsrv_discovery_free(NULL);
    mailsrv_plan_free(NULL);
    mailsrv_verdict_free(NULL);
    mailsrv_zone_host_free(NULL);
    mailsrv_certificates_free(NULL);

    /* Zone host misuse. */
    mailsrv_zone_host *host = NULL;
    CHECK_RESULT(mailsrv_zone_host_new(NULL), MAILSRV_RESULT_NULL_PARAMETER);
    CHECK_RESULT(mailsrv_zone_host_new(&host), MAILSRV_RESULT_OK);
    CHECK_RESULT(mailsrv_zone_host_add_zone(host, (const uint8_t *)"garbage (", 9, 0), MAILSRV_RESULT_ZONE_PARSE);
    CHECK_RESULT(mailsrv_zone_host_add_zone(NULL, (const uint8_t *)"x", 1, 0), MAILSRV_RESULT_NULL_PARAMETER);
    size_t n = 0;
    CHECK_RESULT(mailsrv_zone_host_answer(host, small, sizeof small, MAILSRV_TRANSPORT_UDP, small, sizeof small, &n), MAILSRV_RESULT_INVALID_QUERY);
    CHECK_RESULT(mailsrv_zone_host_answer(host, small, sizeof small, 9, small, sizeof small, &n), MAILSRV_RESULT_INVALID_ARGUMENT);
    CHECK_RESULT(mailsrv_zone_host_resolve(host, NULL), MAILSRV_RESULT_NULL_PARAMETER);
    mailsrv_zone_host_free(host);

    /* Verification misuse. */
    mailsrv_verdict *v = NULL;
    mailsrv_bytes empty = {NULL, 0};
    mailsrv_verify_request base = {0}, req;
    base.domain = (const uint8_t *)"example.net";
    base.domain_len = 11;
    base.service = MAILSRV_SERVICE_IMAPS;
    base.host = (const uint8_t *)"h";
    base.host_len = 1;
    base.chain = &empty;
    base.chain_len = 1;
    base.anchors = &empty;
    base.anchors_len = 1;
    req = base, req.chain = NULL, req.chain_len = 0;
    CHECK_RESULT(mailsrv_verify(&req, &v), MAILSRV_RESULT_EMPTY_CHAIN);
    req = base, req.service = 99;
    CHECK_RESULT(mailsrv_verify(&req, &v), MAILSRV_RESULT_INVALID_ARGUMENT);
    req = base, req.anchors = NULL, req.anchors_len = 0;
    CHECK_RESULT(mailsrv_verify(&req, &v), MAILSRV_RESULT_INVALID_TRUST_ANCHOR);
    CHECK_RESULT(mailsrv_verify(&base, NULL), MAILSRV_RESULT_NULL_PARAMETER);
    CHECK_RESULT(mailsrv_verify(NULL, &v), MAILSRV_RESULT_NULL_PARAMETER);
    CHECK(v == NULL);
    mailsrv_certificates *certs = NULL;
    CHECK_RESULT(mailsrv_certificates_from_pem((const uint8_t *)"nope", 4, &certs), MAILSRV_RESULT_INVALID_CERTIFICATE_ENCODING);
    CHECK(mailsrv_verdict_presented_count(NULL) == 0);
    CHECK(mailsrv_verdict_message(NULL).len == 0);

    /* NULL handles and out-parameters everywhere else: a result code or an empty value. */
    CHECK_RESULT(mailsrv_discovery_receive(NULL, 0, small, sizeof small, MAILSRV_DNSSEC_UNSPECIFIED, &outcome), MAILSRV_RESULT_NULL_PARAMETER);
    CHECK_RESULT(mailsrv_discovery_receive_records(NULL, 0, NULL, 0, MAILSRV_DNSSEC_INSECURE), MAILSRV_RESULT_NULL_PARAMETER);
    CHECK(!mailsrv_discovery_is_complete(NULL));
    CHECK(mailsrv_plan_email(NULL).len == 0 && mailsrv_plan_email(NULL).data != NULL);
    CHECK(mailsrv_plan_domain(NULL).len == 0);
    CHECK_RESULT(mailsrv_plan_summary(NULL, NULL, NULL, NULL), MAILSRV_RESULT_NULL_PARAMETER);
    CHECK_RESULT(mailsrv_plan_expires(NULL, &secs, &known), MAILSRV_RESULT_NULL_PARAMETER);
    CHECK(mailsrv_plan_candidate_count(NULL, MAILSRV_SIDE_INCOMING) == 0);
    CHECK_RESULT(mailsrv_plan_candidate(NULL, MAILSRV_SIDE_INCOMING, 0, &c), MAILSRV_RESULT_NULL_PARAMETER);
    CHECK_RESULT(mailsrv_plan_candidate_identity(NULL, 0, 0, 0, &kind, &value), MAILSRV_RESULT_NULL_PARAMETER);
    CHECK_RESULT(mailsrv_plan_candidate_username(NULL, 0, 0, 0, &value), MAILSRV_RESULT_NULL_PARAMETER);
    CHECK_RESULT(mailsrv_plan_candidate_address(NULL, 0, 0, 0, &value), MAILSRV_RESULT_NULL_PARAMETER);
    {
        /* D50's address lookups: NULL inputs and out-parameters, an unknown query, no address. */
        uint8_t wire[512];
        size_t n = 0;
        CHECK_RESULT(mailsrv_address_query(NULL, 4, 0, 0, wire, sizeof wire, &n), MAILSRV_RESULT_NULL_PARAMETER);
        CHECK_RESULT(mailsrv_address_query((const uint8_t *)"mail", 4, 0, 0, wire, sizeof wire, NULL), MAILSRV_RESULT_NULL_PARAMETER);
        CHECK_RESULT(mailsrv_address_query((const uint8_t *)"mail", 4, 2, 0, wire, sizeof wire, &n), MAILSRV_RESULT_INVALID_ARGUMENT);
        CHECK_RESULT(mailsrv_address_query((const uint8_t *)"mail", 4, 1, 0, NULL, 0, &n), MAILSRV_RESULT_INSUFFICIENT_SIZE);
        CHECK(n > 12);
        CHECK_RESULT(mailsrv_address_in_response(NULL, 12, (const uint8_t *)"mail", 4, 0, wire, sizeof wire, &n), MAILSRV_RESULT_NULL_PARAMETER);
        CHECK_RESULT(mailsrv_address_in_response(small, sizeof small, NULL, 4, 0, wire, sizeof wire, &n), MAILSRV_RESULT_NULL_PARAMETER);
        CHECK_RESULT(mailsrv_address_in_response(small, sizeof small, (const uint8_t *)"mail", 4, 0, wire, sizeof wire, NULL), MAILSRV_RESULT_NULL_PARAMETER);
        CHECK_RESULT(mailsrv_address_in_response(small, sizeof small, (const uint8_t *)"mail", 4, 0, wire, sizeof wire, &n), MAILSRV_RESULT_INVALID_ARGUMENT);
        /* D50's failure without an address: NULL texts with a length, NULL out-parameters. */
        uint32_t code = 0;
        CHECK_RESULT(mailsrv_no_address_error(NULL, 4, NULL, 0, &code, wire, sizeof wire, &n), MAILSRV_RESULT_NULL_PARAMETER);
        CHECK_RESULT(mailsrv_no_address_error((const uint8_t *)"mail", 4, NULL, 2, &code, wire, sizeof wire, &n), MAILSRV_RESULT_NULL_PARAMETER);
        CHECK_RESULT(mailsrv_no_address_error((const uint8_t *)"mail", 4, NULL, 0, NULL, wire, sizeof wire, &n), MAILSRV_RESULT_NULL_PARAMETER);
        CHECK_RESULT(mailsrv_no_address_error((const uint8_t *)"mail", 4, NULL, 0, &code, wire, sizeof wire, NULL), MAILSRV_RESULT_NULL_PARAMETER);
        CHECK(code == 0);
    }
    CHECK(mailsrv_plan_lookup_count(NULL) == 0);
    CHECK_RESULT(mailsrv_plan_lookup(NULL, 0, &l), MAILSRV_RESULT_NULL_PARAMETER);
    CHECK(mailsrv_plan_diagnostic_count(NULL) == 0);
    CHECK_RESULT(mailsrv_plan_diagnostic(NULL, 0, &value, &value), MAILSRV_RESULT_NULL_PARAMETER);
    CHECK_RESULT(mailsrv_verify_candidate(NULL, 0, 0, &empty, 1, &empty, 1, 0, 0, &v), MAILSRV_RESULT_NULL_PARAMETER);
    req = base, req.domain = NULL, req.domain_len = 3;
    CHECK_RESULT(mailsrv_verify(&req, &v), MAILSRV_RESULT_NULL_PARAMETER);
    req = base, req.host = NULL, req.host_len = 1;
    CHECK_RESULT(mailsrv_verify(&req, &v), MAILSRV_RESULT_NULL_PARAMETER);
    req = base, req.chain = NULL, req.chain_len = 2;
    CHECK_RESULT(mailsrv_verify(&req, &v), MAILSRV_RESULT_NULL_PARAMETER);
    CHECK_RESULT(mailsrv_verdict_summary(NULL, NULL, NULL), MAILSRV_RESULT_NULL_PARAMETER);
    CHECK_RESULT(mailsrv_verdict_matched(NULL, &kind, &value), MAILSRV_RESULT_NULL_PARAMETER);
    CHECK_RESULT(mailsrv_verdict_presented(NULL, 0, &value, &value), MAILSRV_RESULT_NULL_PARAMETER);
    CHECK_RESULT(mailsrv_verdict_json(NULL, 0, NULL, 0, &need), MAILSRV_RESULT_NULL_PARAMETER);
    CHECK_RESULT(mailsrv_certificates_from_pem(NULL, 4, &certs), MAILSRV_RESULT_NULL_PARAMETER);
    CHECK_RESULT(mailsrv_certificates_from_pem((const uint8_t *)"x", 1, NULL), MAILSRV_RESULT_NULL_PARAMETER);
    CHECK(mailsrv_certificates_count(NULL) == 0);
    mailsrv_bytes b;
    CHECK_RESULT(mailsrv_certificates_get(NULL, 0, &b), MAILSRV_RESULT_NULL_PARAMETER);
    CHECK_RESULT(mailsrv_zone_host_answer(NULL, small, sizeof small, MAILSRV_TRANSPORT_UDP, small, sizeof small, &n), MAILSRV_RESULT_NULL_PARAMETER);
    CHECK_RESULT(mailsrv_zone_host_resolve(NULL, NULL), MAILSRV_RESULT_NULL_PARAMETER);
    CHECK(v == NULL && certs == NULL);

    /* The panic boundary and the result tables. */
    fprintf(stderr, "test_misuse: a self-test panic message follows; it is expected\n");
    CHECK_RESULT(mailsrv_selftest(true), MAILSRV_RESULT_PANIC);
    CHECK_RESULT(mailsrv_selftest(false), MAILSRV_RESULT_OK);
    CHECK(strcmp(mailsrv_result_name(MAILSRV_RESULT_INVALID_DOMAIN), "INVALID_DOMAIN") == 0);
    CHECK(strcmp(mailsrv_result_name(123456), "UNKNOWN") == 0);
    CHECK(strlen(mailsrv_result_message(MAILSRV_RESULT_ADDRESS_LITERAL)) > 10);

    /* Enumeration names come from the core's lists; an unknown number has the empty name and
     * is INVALID_ARGUMENT wherever it is passed in. */
    CHECK(strcmp(mailsrv_security_name(MAILSRV_SECURITY_STARTTLS), "starttls") == 0);
    CHECK(strcmp(mailsrv_failure_name(MAILSRV_FAILURE_NX_DOMAIN), "nx-domain") == 0);
    CHECK(strcmp(mailsrv_reject_reason_name(MAILSRV_REJECT_NONE), "none") == 0);
    CHECK(strcmp(mailsrv_verdict_status_name(MAILSRV_VERDICT_NEEDS_CONFIRMATION), "needs-confirmation") == 0);
    CHECK(strcmp(mailsrv_trust_name(99), "") == 0);
    mailsrv_negotiator *neg = NULL;
    CHECK_RESULT(mailsrv_negotiator_new(MAILSRV_PROTOCOL_NONE, MAILSRV_SECURITY_STARTTLS, (const uint8_t *)"h", 1, &neg), MAILSRV_RESULT_INVALID_ARGUMENT);
    CHECK_RESULT(mailsrv_negotiator_new(MAILSRV_PROTOCOL_IMAP, 3, (const uint8_t *)"h", 1, &neg), MAILSRV_RESULT_INVALID_ARGUMENT);
    CHECK(neg == NULL);
    mailsrv_options wrong = o;
    wrong.prefer = MAILSRV_PROTOCOL_SUBMISSION;
    mailsrv_discovery *none = NULL;
    CHECK_RESULT(mailsrv_discovery_new((const uint8_t *)"a@example.net", 13, &wrong, &none), MAILSRV_RESULT_INVALID_ARGUMENT);
    wrong = o;
    wrong.tls_order = 2;
    CHECK_RESULT(mailsrv_discovery_new((const uint8_t *)"a@example.net", 13, &wrong, &none), MAILSRV_RESULT_INVALID_ARGUMENT);
    CHECK(none == NULL);
    return report("test_misuse");
}
