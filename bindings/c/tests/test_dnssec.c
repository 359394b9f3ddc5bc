/* DNSSEC validation in the core through the C ABI (issue 14): the options, the validator's own
 * questions (count, get, receive, fail) answered round by round from the signed hierarchy in
 * testdata/dnssec, the statuses the core decides (secure, insecure, bogus, expired), and typed
 * errors for misuse. Runs under ASan+UBSan and valgrind (`make -C bindings/c test`). */
#include "util.h"

#define DNSSEC_DIR "../../testdata/dnssec/"
#define NOW_TEXT "2026-12-01T00:00:00Z"

static const char *const ZONES[] = {"root.zone", "test.zone", "example.test.zone", "bogus.test.zone", "expired.test.zone",
                                    "nsec3.test.zone", "ed.test.zone", "dane.test.zone", "hosting.test.zone",
                                    "insecure.test.zone"};

/* insecure.test. with its SRV names as CNAMEs into two signed zones: the validator learns of
 * those zones only from the answers, so it asks more in later rounds. */
static const char CNAME_ZONE[] = "$ORIGIN insecure.test.\n$TTL 3600\n"
                                 "@ IN SOA ns.test. hostmaster.test. 1 7200 900 1209600 300\n@ IN NS ns.test.\n"
                                 "_imaps._tcp IN CNAME _imaps._tcp.ed.test.\n"
                                 "_submissions._tcp IN CNAME _submissions._tcp.nsec3.test.\n";

/* The signed hierarchy of testdata/dnssec; with cnames, insecure.test. is CNAME_ZONE. */
static mailsrv_zone_host *signed_hierarchy(int cnames) {
    mailsrv_zone_host *host = NULL;
    CHECK_RESULT(mailsrv_zone_host_new(&host), MAILSRV_RESULT_OK);
    size_t files = sizeof ZONES / sizeof ZONES[0] - (cnames ? 1 : 0);
    if (cnames) CHECK_RESULT(mailsrv_zone_host_add_zone(host, (const uint8_t *)CNAME_ZONE, strlen(CNAME_ZONE), 0), MAILSRV_RESULT_OK);
    for (size_t i = 0; i < files; i++) {
        char path[256];
        snprintf(path, sizeof path, DNSSEC_DIR "%s", ZONES[i]);
        size_t len = 0;
        char *text = read_file(path, &len);
        CHECK(text != NULL);
        if (text) CHECK_RESULT(mailsrv_zone_host_add_zone(host, (const uint8_t *)text, len, 0), MAILSRV_RESULT_OK);
        free(text);
    }
    return host;
}

/* Default options with validation on at NOW_TEXT (read by the core) from anchors (NULL: the
 * built-in IANA anchors). */
static mailsrv_options validating(const char *anchors, size_t anchors_len) {
    mailsrv_options o;
    CHECK_RESULT(mailsrv_options_default(&o), MAILSRV_RESULT_OK);
    CHECK(o.validate_dnssec == 0 && o.trust_anchors == NULL && o.trust_anchors_len == 0);
    uint64_t now = 0;
    CHECK_RESULT(mailsrv_parse_now((const uint8_t *)NOW_TEXT, strlen(NOW_TEXT), &now), MAILSRV_RESULT_OK);
    o.validate_dnssec = 1;
    o.dnssec_now = now;
    o.trust_anchors = (const uint8_t *)anchors;
    o.trust_anchors_len = anchors_len;
    return o;
}

static mailsrv_discovery *start(const char *email, const mailsrv_options *o) {
    mailsrv_discovery *d = NULL;
    CHECK_RESULT(mailsrv_discovery_new((const uint8_t *)email, strlen(email), o, &d), MAILSRV_RESULT_OK);
    return d;
}

/* The zone host's answer to a wire query over transport, in buf; returns its length (0 on error). */
static size_t answer(const mailsrv_zone_host *host, const uint8_t *wire, size_t wire_len, uint32_t transport, uint8_t *buf,
                     size_t cap) {
    size_t n = 0;
    mailsrv_result r = mailsrv_zone_host_answer(host, wire, wire_len, transport, buf, cap, &n);
    CHECK_RESULT(r, MAILSRV_RESULT_OK);
    return r == MAILSRV_RESULT_OK ? n : 0;
}

/* A host's loop with the new entry points: the SRV questions and the first DNSSEC questions in
 * round 1, then the DNSSEC questions still pending, round after round, TCP after truncation.
 * Returns the number of rounds. */
static int resolve_by_hand(const mailsrv_zone_host *host, mailsrv_discovery *d) {
    static uint8_t buf[65535];
    /* Round 1: everything known now. The DNSSEC questions are listed before any answer. */
    size_t first = mailsrv_discovery_dnssec_question_count(d);
    CHECK(first > 0);
    mailsrv_dnssec_question *round = calloc(first, sizeof *round);
    CHECK(round != NULL);
    if (!round) return 0;
    for (size_t i = 0; i < first; i++) CHECK_RESULT(mailsrv_discovery_dnssec_question(d, i, &round[i]), MAILSRV_RESULT_OK);
    for (size_t i = 0; i < mailsrv_discovery_question_count(d); i++) {
        mailsrv_question q;
        CHECK_RESULT(mailsrv_discovery_question(d, i, &q), MAILSRV_RESULT_OK);
        uint32_t outcome = 0;
        size_t n = answer(host, q.wire, q.wire_len, MAILSRV_TRANSPORT_UDP, buf, sizeof buf);
        CHECK_RESULT(mailsrv_discovery_receive(d, q.id, buf, n, MAILSRV_DNSSEC_UNSPECIFIED, &outcome), MAILSRV_RESULT_OK);
        if (outcome == MAILSRV_OUTCOME_TRUNCATED) {
            n = answer(host, q.wire, q.wire_len, MAILSRV_TRANSPORT_TCP, buf, sizeof buf);
            CHECK_RESULT(mailsrv_discovery_receive(d, q.id, buf, n, MAILSRV_DNSSEC_UNSPECIFIED, &outcome), MAILSRV_RESULT_OK);
        }
    }
    int rounds = 1;
    size_t count = first;
    for (;;) {
        /* The views of this round stay valid while answers are fed (they belong to the discovery, D42). */
        for (size_t i = 0; i < count; i++) {
            mailsrv_dnssec_question *q = &round[i];
            CHECK(q->wire != NULL && q->wire_len >= 12);
            /* DS or DNSKEY; from round 2 also a secure target's A, AAAA or TLSA (D46). */
            CHECK(q->record_type == 43 || q->record_type == 48 ||
                  (rounds > 1 && (q->record_type == 1 || q->record_type == 28 || q->record_type == 52)));
            CHECK(q->name.len > 0 && q->name.data[q->name.len - 1] == '.' && q->name.data[q->name.len] == '\0');
            CHECK(((unsigned)q->wire[0] << 8 | q->wire[1]) == q->message_id);
            uint32_t outcome = 0;
            size_t n = answer(host, q->wire, q->wire_len, MAILSRV_TRANSPORT_UDP, buf, sizeof buf);
            CHECK_RESULT(mailsrv_discovery_receive_dnssec(d, q->message_id, buf, n, &outcome), MAILSRV_RESULT_OK);
            if (outcome == MAILSRV_OUTCOME_TRUNCATED) {
                n = answer(host, q->wire, q->wire_len, MAILSRV_TRANSPORT_TCP, buf, sizeof buf);
                CHECK_RESULT(mailsrv_discovery_receive_dnssec(d, q->message_id, buf, n, &outcome), MAILSRV_RESULT_OK);
            }
            CHECK(outcome == MAILSRV_OUTCOME_RECORDS);
            /* Once taken, a second answer is refused. */
            CHECK_RESULT(mailsrv_discovery_receive_dnssec(d, q->message_id, buf, n, &outcome), MAILSRV_RESULT_ALREADY_ANSWERED);
            CHECK_RESULT(mailsrv_discovery_fail_dnssec(d, q->message_id), MAILSRV_RESULT_ALREADY_ANSWERED);
        }
        free(round);
        count = mailsrv_discovery_dnssec_question_count(d);
        if (count == 0 || rounds > 20) break;
        round = calloc(count, sizeof *round);
        CHECK(round != NULL);
        if (!round) break;
        for (size_t i = 0; i < count; i++) CHECK_RESULT(mailsrv_discovery_dnssec_question(d, i, &round[i]), MAILSRV_RESULT_OK);
        rounds++;
    }
    CHECK(count == 0);
    return rounds;
}

static char *plan_json(const mailsrv_discovery *d) {
    mailsrv_plan *plan = NULL;
    CHECK_RESULT(mailsrv_discovery_plan(d, 1, &plan), MAILSRV_RESULT_OK);
    size_t need = 0;
    CHECK_RESULT(mailsrv_plan_json(plan, 1, NULL, 0, &need), MAILSRV_RESULT_INSUFFICIENT_SIZE);
    char *json = calloc(need + 1, 1);
    if (json) CHECK_RESULT(mailsrv_plan_json(plan, 1, (uint8_t *)json, need, &need), MAILSRV_RESULT_OK);
    mailsrv_plan_free(plan);
    return json;
}

/* The DNSSEC status of the lookup named name, or 99 if there is none; *source (if given)
 * receives how it was obtained. */
static uint32_t lookup_status(const mailsrv_plan *plan, const char *name, uint32_t *source) {
    for (size_t i = 0; i < mailsrv_plan_lookup_count(plan); i++) {
        mailsrv_lookup l;
        CHECK_RESULT(mailsrv_plan_lookup(plan, i, &l), MAILSRV_RESULT_OK);
        if (strcmp(l.name.data, name) != 0) continue;
        if (source) *source = l.dnssec_source;
        return l.dnssec;
    }
    return 99;
}

/* The status of a lookup the core validated (checked), or 99. */
static uint32_t lookup_dnssec(const mailsrv_plan *plan, const char *name) {
    uint32_t source = 99;
    uint32_t status = lookup_status(plan, name, &source);
    CHECK(source == MAILSRV_DNSSEC_SOURCE_VALIDATED);
    CHECK(strcmp(mailsrv_dnssec_source_name(source), "validated") == 0);
    return status;
}

static int has_diagnostic(const mailsrv_plan *plan, const char *code) {
    for (size_t i = 0; i < mailsrv_plan_diagnostic_count(plan); i++) {
        mailsrv_str c, m;
        CHECK_RESULT(mailsrv_plan_diagnostic(plan, i, &c, &m), MAILSRV_RESULT_OK);
        if (strcmp(c.data, code) == 0) return 1;
    }
    return 0;
}

/* Plans email from the hierarchy with mailsrv_zone_host_resolve, checks that its plan equals the
 * one made by hand, and returns it. */
static mailsrv_plan *plan_both_ways(const mailsrv_zone_host *host, const mailsrv_options *o, const char *email, int *out_rounds) {
    mailsrv_discovery *by_hand = start(email, o), *by_host = start(email, o);
    mailsrv_plan *plan = NULL;
    if (!by_hand || !by_host) return NULL;
    CHECK(mailsrv_discovery_validates_dnssec(by_hand));
    int rounds = resolve_by_hand(host, by_hand);
    CHECK(rounds >= 1 && rounds <= 20);
    if (out_rounds) *out_rounds = rounds;
    CHECK_RESULT(mailsrv_zone_host_resolve(host, by_host), MAILSRV_RESULT_OK);
    CHECK(mailsrv_discovery_dnssec_question_count(by_host) == 0);
    CHECK(mailsrv_discovery_is_complete(by_hand));
    char *a = plan_json(by_hand), *b = plan_json(by_host);
    CHECK(a && b && strcmp(a, b) == 0);
    CHECK(a && strstr(a, "\"dnssecSource\": \"validated\"") != NULL);
    free(a);
    free(b);
    CHECK_RESULT(mailsrv_discovery_plan(by_hand, 1, &plan), MAILSRV_RESULT_OK);
    mailsrv_discovery_free(by_hand);
    mailsrv_discovery_free(by_host);
    return plan;
}

static void statuses(const mailsrv_zone_host *host, const mailsrv_options *o) {
    /* Secure: a signed chain from the private root; the candidate is DNSSEC-secure (D9). */
    int rounds = 0;
    mailsrv_plan *plan = plan_both_ways(host, o, "alice@example.test", &rounds);
    if (plan) {
        CHECK(lookup_dnssec(plan, "_imaps._tcp.example.test") == MAILSRV_DNSSEC_SECURE);
        CHECK(lookup_dnssec(plan, "_imap._tcp.example.test") == MAILSRV_DNSSEC_SECURE); /* NSEC NXDOMAIN proof */
        /* Round 1: SRV, DS and DNSKEY; round 2: the secure targets' A, AAAA and TLSA (D46, D49). */
        CHECK(rounds == 2);
        mailsrv_candidate c;
        CHECK_RESULT(mailsrv_plan_candidate(plan, MAILSRV_SIDE_INCOMING, 0, &c), MAILSRV_RESULT_OK);
        CHECK(strcmp(c.host.data, "mail.example.test") == 0 && c.trust == MAILSRV_TRUST_DNSSEC_SECURE);
        mailsrv_plan_free(plan);
    }
    /* NSEC3 zone: secure as well. */
    plan = plan_both_ways(host, o, "erin@nsec3.test", NULL);
    if (plan) {
        CHECK(lookup_dnssec(plan, "_imaps._tcp.nsec3.test") == MAILSRV_DNSSEC_SECURE);
        mailsrv_plan_free(plan);
    }
    /* Insecure delegation (opt-out span, no DS): usable, but not DNSSEC-secure. */
    plan = plan_both_ways(host, o, "dave@insecure.test", NULL);
    if (plan) {
        CHECK(lookup_dnssec(plan, "_imaps._tcp.insecure.test") == MAILSRV_DNSSEC_INSECURE);
        mailsrv_candidate c;
        CHECK_RESULT(mailsrv_plan_candidate(plan, MAILSRV_SIDE_INCOMING, 0, &c), MAILSRV_RESULT_OK);
        CHECK(c.trust == MAILSRV_TRUST_IN_DOMAIN);
        mailsrv_plan_free(plan);
    }
    /* Bogus (a record changed after signing) and expired signatures: no candidates, a diagnostic. */
    const char *bogus[][2] = {{"bob@bogus.test", "_imaps._tcp.bogus.test"}, {"carol@expired.test", "_imaps._tcp.expired.test"}};
    for (size_t i = 0; i < 2; i++) {
        plan = plan_both_ways(host, o, bogus[i][0], NULL);
        if (!plan) continue;
        CHECK(lookup_dnssec(plan, bogus[i][1]) == MAILSRV_DNSSEC_BOGUS);
        CHECK(mailsrv_plan_candidate_count(plan, MAILSRV_SIDE_INCOMING) == 0);
        CHECK(has_diagnostic(plan, "dnssec-bogus"));
        mailsrv_plan_free(plan);
    }
}

/* Answers that reveal more zones (CNAMEs into other signed zones): the questions that appear
 * after round 1 are listed, answered and kept as views like the first ones. */
static void later_rounds(const mailsrv_options *o) {
    mailsrv_zone_host *host = signed_hierarchy(1);
    int rounds = 0;
    mailsrv_plan *plan = plan_both_ways(host, o, "dave@insecure.test", &rounds);
    CHECK(rounds >= 2);
    if (plan) {
        /* The chain starts in an unsigned zone: insecure, whatever the CNAME targets are. */
        CHECK(lookup_dnssec(plan, "_imaps._tcp.insecure.test") == MAILSRV_DNSSEC_INSECURE);
        CHECK(mailsrv_plan_candidate_count(plan, MAILSRV_SIDE_INCOMING) == 1);
        mailsrv_plan_free(plan);
    }
    mailsrv_zone_host_free(host);
}

/* Without answers to its own questions the validator cannot call anything secure. */
static void failures_are_never_secure(const mailsrv_zone_host *host, const mailsrv_options *o) {
    static uint8_t buf[65535];
    mailsrv_discovery *d = start("alice@example.test", o);
    if (!d) return;
    for (size_t i = 0; i < mailsrv_discovery_question_count(d); i++) {
        mailsrv_question q;
        CHECK_RESULT(mailsrv_discovery_question(d, i, &q), MAILSRV_RESULT_OK);
        uint32_t outcome = 0;
        size_t n = answer(host, q.wire, q.wire_len, MAILSRV_TRANSPORT_TCP, buf, sizeof buf);
        CHECK_RESULT(mailsrv_discovery_receive(d, q.id, buf, n, MAILSRV_DNSSEC_SECURE, &outcome), MAILSRV_RESULT_OK);
    }
    for (int guard = 0; guard < 50 && mailsrv_discovery_dnssec_question_count(d) > 0; guard++) {
        mailsrv_dnssec_question q;
        CHECK_RESULT(mailsrv_discovery_dnssec_question(d, 0, &q), MAILSRV_RESULT_OK);
        CHECK_RESULT(mailsrv_discovery_fail_dnssec(d, q.message_id), MAILSRV_RESULT_OK);
        CHECK_RESULT(mailsrv_discovery_fail_dnssec(d, q.message_id), MAILSRV_RESULT_ALREADY_ANSWERED);
    }
    CHECK(mailsrv_discovery_dnssec_question_count(d) == 0);
    mailsrv_plan *plan = NULL;
    CHECK_RESULT(mailsrv_discovery_plan(d, 1, &plan), MAILSRV_RESULT_OK);
    /* The host's own "secure" is not taken when the core validates. */
    CHECK(lookup_dnssec(plan, "_imaps._tcp.example.test") != MAILSRV_DNSSEC_SECURE);
    for (size_t i = 0; i < mailsrv_plan_candidate_count(plan, MAILSRV_SIDE_INCOMING); i++) {
        mailsrv_candidate c;
        CHECK_RESULT(mailsrv_plan_candidate(plan, MAILSRV_SIDE_INCOMING, i, &c), MAILSRV_RESULT_OK);
        CHECK(c.trust != MAILSRV_TRUST_DNSSEC_SECURE);
    }
    mailsrv_plan_free(plan);
    mailsrv_discovery_free(d);
}

static void misuse(const mailsrv_zone_host *host, const char *anchor, size_t anchor_len) {
    static uint8_t buf[65535];
    const char *email = "alice@example.test";
    mailsrv_options o = validating(anchor, anchor_len);
    mailsrv_discovery *d = start(email, &o);
    if (!d) return;
    size_t count = mailsrv_discovery_dnssec_question_count(d);
    CHECK(count > 0);
    mailsrv_dnssec_question q, other;
    CHECK_RESULT(mailsrv_discovery_dnssec_question(d, count, &q), MAILSRV_RESULT_INVALID_ARGUMENT);
    CHECK_RESULT(mailsrv_discovery_dnssec_question(d, 0, NULL), MAILSRV_RESULT_NULL_PARAMETER);
    CHECK_RESULT(mailsrv_discovery_dnssec_question(NULL, 0, &q), MAILSRV_RESULT_NULL_PARAMETER);
    CHECK_RESULT(mailsrv_discovery_dnssec_question(d, 0, &q), MAILSRV_RESULT_OK);
    CHECK_RESULT(mailsrv_discovery_dnssec_question(d, 1, &other), MAILSRV_RESULT_OK);
    CHECK(mailsrv_discovery_dnssec_question_count(NULL) == 0);
    CHECK(!mailsrv_discovery_validates_dnssec(NULL));
    uint32_t outcome = 0;
    size_t n = answer(host, q.wire, q.wire_len, MAILSRV_TRANSPORT_UDP, buf, sizeof buf);
    CHECK_RESULT(mailsrv_discovery_receive_dnssec(NULL, q.message_id, buf, n, &outcome), MAILSRV_RESULT_NULL_PARAMETER);
    CHECK_RESULT(mailsrv_discovery_receive_dnssec(d, q.message_id, buf, n, NULL), MAILSRV_RESULT_NULL_PARAMETER);
    CHECK_RESULT(mailsrv_discovery_receive_dnssec(d, q.message_id, NULL, 5, &outcome), MAILSRV_RESULT_NULL_PARAMETER);
    /* An ID no DNSSEC question has (the SRV questions' IDs included). */
    uint16_t unknown = (uint16_t)(q.message_id + 0x8000);
    CHECK_RESULT(mailsrv_discovery_receive_dnssec(d, unknown, buf, n, &outcome), MAILSRV_RESULT_UNKNOWN_QUESTION);
    CHECK_RESULT(mailsrv_discovery_fail_dnssec(d, unknown), MAILSRV_RESULT_UNKNOWN_QUESTION);
    CHECK_RESULT(mailsrv_discovery_fail_dnssec(NULL, q.message_id), MAILSRV_RESULT_NULL_PARAMETER);
    /* The answer to one question fed to another changes nothing. */
    CHECK_RESULT(mailsrv_discovery_receive_dnssec(d, other.message_id, buf, n, &outcome), MAILSRV_RESULT_MESSAGE_ID_MISMATCH);
    /* A query is not a response. */
    CHECK_RESULT(mailsrv_discovery_receive_dnssec(d, q.message_id, q.wire, q.wire_len, &outcome), MAILSRV_RESULT_NOT_A_RESPONSE);
    CHECK(mailsrv_discovery_dnssec_question_count(d) == count);
    /* Malformed bytes under the right ID are taken (the validator learns nothing from them). */
    uint8_t junk[3] = {buf[0], buf[1], 0xff};
    CHECK_RESULT(mailsrv_discovery_receive_dnssec(d, q.message_id, junk, sizeof junk, &outcome), MAILSRV_RESULT_OK);
    CHECK(mailsrv_discovery_dnssec_question_count(d) == count - 1);
    mailsrv_discovery_free(d);

    /* Without validation there are no DNSSEC questions and none can be answered, and the
     * lookups' status comes from nothing (no AD trusted, no host verdict). */
    mailsrv_discovery *plain = start(email, NULL);
    if (plain) {
        mailsrv_discovery *resolved = start(email, NULL);
        if (resolved) {
            CHECK_RESULT(mailsrv_zone_host_resolve(host, resolved), MAILSRV_RESULT_OK);
            mailsrv_plan *p = NULL;
            CHECK_RESULT(mailsrv_discovery_plan(resolved, 1, &p), MAILSRV_RESULT_OK);
            uint32_t source = 99;
            CHECK(lookup_status(p, "_imaps._tcp.example.test", &source) == MAILSRV_DNSSEC_INSECURE);
            CHECK(source == MAILSRV_DNSSEC_SOURCE_NONE);
            mailsrv_plan_free(p);
            mailsrv_discovery_free(resolved);
        }
        CHECK(!mailsrv_discovery_validates_dnssec(plain));
        CHECK(mailsrv_discovery_dnssec_question_count(plain) == 0);
        CHECK_RESULT(mailsrv_discovery_dnssec_question(plain, 0, &q), MAILSRV_RESULT_INVALID_ARGUMENT);
        CHECK_RESULT(mailsrv_discovery_receive_dnssec(plain, 0, buf, n, &outcome), MAILSRV_RESULT_UNKNOWN_QUESTION);
        CHECK_RESULT(mailsrv_discovery_fail_dnssec(plain, 0), MAILSRV_RESULT_UNKNOWN_QUESTION);
        mailsrv_discovery_free(plain);
    }

    /* Trust anchors the core refuses: no discovery, a typed error. */
    mailsrv_discovery *none = NULL;
    o = validating("garbage", 7);
    CHECK_RESULT(mailsrv_discovery_new((const uint8_t *)email, strlen(email), &o, &none), MAILSRV_RESULT_INVALID_OPTION);
    o = validating("", 0); /* given, but empty: not the built-in anchors */
    CHECK_RESULT(mailsrv_discovery_new((const uint8_t *)email, strlen(email), &o, &none), MAILSRV_RESULT_INVALID_OPTION);
    o = validating("\xff\xfe", 2);
    CHECK_RESULT(mailsrv_discovery_new((const uint8_t *)email, strlen(email), &o, &none), MAILSRV_RESULT_INVALID_ARGUMENT);
    CHECK(none == NULL);
    /* A flood of anchor text: refused at the core's cap (256 KiB) before it is read or copied
     * (the last byte is not UTF-8: reading it would give INVALID_ARGUMENT instead). */
    size_t big = 300 * 1024;
    char *flood = malloc(big);
    CHECK(flood != NULL);
    if (flood) {
        for (size_t i = 0; i < big; i++) flood[i] = i % 80 == 79 ? '\n' : ';';
        flood[big - 1] = (char)0xff;
        o = validating(flood, big);
        CHECK_RESULT(mailsrv_discovery_new((const uint8_t *)email, strlen(email), &o, &none), MAILSRV_RESULT_INVALID_OPTION);
        free(flood);
    }
    /* The same through mailsrv_discovery_new_sources. */
    o = validating("garbage", 7);
    CHECK_RESULT(mailsrv_discovery_new_sources((const uint8_t *)email, strlen(email), &o, (const uint8_t *)"srv", 3, 0, NULL, 0, &none),
                 MAILSRV_RESULT_INVALID_OPTION);

    /* NULL anchors: the IANA root anchors built in, which do not lead to the private test root. */
    o = validating(NULL, 0);
    mailsrv_plan *plan = plan_both_ways(host, &o, email, NULL);
    if (plan) {
        CHECK(lookup_dnssec(plan, "_imaps._tcp.example.test") != MAILSRV_DNSSEC_SECURE);
        mailsrv_plan_free(plan);
    }

    /* --now by the core's rule. */
    uint64_t t = 7;
    CHECK_RESULT(mailsrv_parse_now((const uint8_t *)"1796083200", 10, &t), MAILSRV_RESULT_OK);
    CHECK(t == 1796083200ULL);
    CHECK_RESULT(mailsrv_parse_now((const uint8_t *)NOW_TEXT, strlen(NOW_TEXT), &t), MAILSRV_RESULT_OK);
    CHECK(t == 1796083200ULL);
    t = 7;
    CHECK_RESULT(mailsrv_parse_now((const uint8_t *)"2026-12-01 00:00", 16, &t), MAILSRV_RESULT_INVALID_OPTION);
    CHECK_RESULT(mailsrv_parse_now((const uint8_t *)"2026-12-01T00:00:00+01:00", 25, &t), MAILSRV_RESULT_INVALID_OPTION);
    CHECK_RESULT(mailsrv_parse_now((const uint8_t *)"", 0, &t), MAILSRV_RESULT_INVALID_OPTION);
    CHECK_RESULT(mailsrv_parse_now((const uint8_t *)"\xff", 1, &t), MAILSRV_RESULT_INVALID_ARGUMENT);
    CHECK_RESULT(mailsrv_parse_now(NULL, 3, &t), MAILSRV_RESULT_NULL_PARAMETER);
    CHECK(t == 7); /* untouched on errors */
    CHECK_RESULT(mailsrv_parse_now((const uint8_t *)"1", 1, NULL), MAILSRV_RESULT_NULL_PARAMETER);

    /* mailsrv_options_set keeps the DNSSEC fields. */
    o = validating(anchor, anchor_len);
    CHECK_RESULT(mailsrv_options_set(&o, (const uint8_t *)"prefer", 6, (const uint8_t *)"pop3", 4), MAILSRV_RESULT_OK);
    CHECK(o.validate_dnssec == 1 && o.dnssec_now == 1796083200ULL && o.trust_anchors == (const uint8_t *)anchor &&
          o.trust_anchors_len == anchor_len);
}

/* Inside the DANE test PKI's validity (testdata/certs/dane/validity.txt) and the zones' signatures. */
#define DANE_NOW 1811808000ULL /* 2027-06-01 */

/* Verifies certs/dane/<pem> for candidate host:993 of email's validated plan with
 * mailsrv_verify_candidate and no anchors: the core must take the candidate's own TLSA records
 * (issue 15, D45). Checks the status, reason, matched kind and the negotiator's TLS outcome. */
static void dane_from_the_plan(const mailsrv_zone_host *host, const mailsrv_options *o, const char *email,
                               const char *target, const char *pem, uint32_t status, uint32_t reason, uint32_t kind,
                               uint32_t tls) {
    mailsrv_plan *plan = plan_both_ways(host, o, email, NULL);
    CHECK(plan != NULL);
    if (!plan) return;
    size_t index = SIZE_MAX, count = mailsrv_plan_candidate_count(plan, MAILSRV_SIDE_INCOMING);
    for (size_t i = 0; i < count; i++) {
        mailsrv_candidate c;
        CHECK_RESULT(mailsrv_plan_candidate(plan, MAILSRV_SIDE_INCOMING, i, &c), MAILSRV_RESULT_OK);
        if (c.port == 993 && !strcmp(c.host.data, target)) index = i;
    }
    CHECK(index != SIZE_MAX);
    char path[256];
    snprintf(path, sizeof path, "../../testdata/certs/dane/%s", pem);
    size_t len = 0;
    char *text = read_file(path, &len);
    CHECK(text != NULL);
    mailsrv_certificates *certs = NULL;
    if (text) CHECK_RESULT(mailsrv_certificates_from_pem((const uint8_t *)text, len, &certs), MAILSRV_RESULT_OK);
    free(text);
    size_t n = mailsrv_certificates_count(certs);
    mailsrv_bytes chain[4];
    CHECK(n >= 1 && n <= 4);
    for (size_t i = 0; i < n && i < 4; i++) CHECK_RESULT(mailsrv_certificates_get(certs, i, &chain[i]), MAILSRV_RESULT_OK);
    mailsrv_verdict *v = NULL;
    if (index != SIZE_MAX && n >= 1 && n <= 4)
        CHECK_RESULT(mailsrv_verify_candidate(plan, MAILSRV_SIDE_INCOMING, index, chain, n, NULL, 0, DANE_NOW, 0, &v),
                     MAILSRV_RESULT_OK);
    if (v) {
        uint32_t got_status = 99, got_reason = 99, got_kind = 99, got_tls = 99;
        CHECK_RESULT(mailsrv_verdict_summary(v, &got_status, &got_reason), MAILSRV_RESULT_OK);
        CHECK(got_status == status);
        if (status != MAILSRV_VERDICT_VERIFIED) CHECK(got_reason == reason);
        mailsrv_str value;
        if (status == MAILSRV_VERDICT_VERIFIED) {
            CHECK_RESULT(mailsrv_verdict_matched(v, &got_kind, &value), MAILSRV_RESULT_OK);
            CHECK(got_kind == kind);
        }
        /* Even a user's confirmation of the target does not pass a TLSA mismatch. */
        CHECK_RESULT(mailsrv_verdict_tls_outcome(v, status != MAILSRV_VERDICT_VERIFIED, &got_tls), MAILSRV_RESULT_OK);
        CHECK(got_tls == tls);
        CHECK(strstr(mailsrv_verdict_message(v).data, status == MAILSRV_VERDICT_VERIFIED
                                                          ? (kind == MAILSRV_IDENTITY_DANE_EE ? "DANE-EE" : "DANE-TA")
                                                          : "TLSA") != NULL);
    }
    mailsrv_verdict_free(v);
    mailsrv_certificates_free(certs);
    mailsrv_plan_free(plan);
}

/* RFC 7673 §3, §4 and RFC 7671 §5 through the C ABI: a validated plan's TLSA records decide. */
static void s7673_4_dane_from_the_plan(const mailsrv_zone_host *host, const mailsrv_options *o) {
    /* DANE-EE: a self-signed server no CA vouches for, reachable only through an out-of-domain target. */
    dane_from_the_plan(host, o, "alice@ee.dane.test", "ee.hosting.test", "ee.chain.pem", MAILSRV_VERDICT_VERIFIED, 0,
                       MAILSRV_IDENTITY_DANE_EE, MAILSRV_TLS_VERIFIED);
    /* DANE-TA: a private CA's key in the TLSA record; the leaf names the target. */
    dane_from_the_plan(host, o, "alice@ta.dane.test", "ta.hosting.test", "ta.chain.pem", MAILSRV_VERDICT_VERIFIED, 0,
                       MAILSRV_IDENTITY_DANE_TA, MAILSRV_TLS_VERIFIED);
    /* A wrong digest: rejected, and no confirmation passes it. */
    dane_from_the_plan(host, o, "alice@wrong.dane.test", "wrong.hosting.test", "ee.chain.pem", MAILSRV_VERDICT_REJECTED,
                       MAILSRV_REJECT_TLSA_MISMATCH, 0, MAILSRV_TLS_NOT_VERIFIED);
}

int main(void) {
    size_t anchor_len = 0;
    char *anchor = read_file(DNSSEC_DIR "root.anchor", &anchor_len);
    CHECK(anchor != NULL);
    if (!anchor) return report("test_dnssec");
    mailsrv_zone_host *host = signed_hierarchy(0);
    mailsrv_options o = validating(anchor, anchor_len);
    statuses(host, &o);
    later_rounds(&o);
    failures_are_never_secure(host, &o);
    misuse(host, anchor, anchor_len);
    s7673_4_dane_from_the_plan(host, &o);
    /* The discovery copied the anchors: it may outlive the text (checked by ASan and valgrind). */
    mailsrv_discovery *d = start("alice@example.test", &o);
    free(anchor);
    if (d) {
        CHECK_RESULT(mailsrv_zone_host_resolve(host, d), MAILSRV_RESULT_OK);
        mailsrv_plan *plan = NULL;
        CHECK_RESULT(mailsrv_discovery_plan(d, 1, &plan), MAILSRV_RESULT_OK);
        CHECK(lookup_dnssec(plan, "_imaps._tcp.example.test") == MAILSRV_DNSSEC_SECURE);
        mailsrv_plan_free(plan);
        mailsrv_discovery_free(d);
    }
    mailsrv_zone_host_free(host);
    return report("test_dnssec");
}
