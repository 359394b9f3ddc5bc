/* Replays testdata/cases.tsv through the C ABI and compares every plan, byte for byte, with
 * testdata/expected/<name>.json (the plans the Rust replay produces). Rules: testdata/README.md. */
#include "util.h"

#define MAX_FIELDS 7

static const char *testdata = "../../testdata";

static int option_flag(const char *value) { return strcmp(value, "true") == 0; }

static int apply_option(mailsrv_options *o, const char *key, const char *value) {
    if (strcmp(key, "imap") == 0) o->imap = (uint8_t)option_flag(value);
    else if (strcmp(key, "pop3") == 0) o->pop3 = (uint8_t)option_flag(value);
    else if (strcmp(key, "submission") == 0) o->submission = (uint8_t)option_flag(value);
    else if (strcmp(key, "trustAd") == 0) o->trust_ad = (uint8_t)option_flag(value);
    else if (strcmp(key, "minimumSecurity") == 0)
        o->minimum_security = strcmp(value, "implicit-tls") == 0 ? MAILSRV_MIN_SECURITY_IMPLICIT_TLS
                              : strcmp(value, "cleartext") == 0  ? MAILSRV_MIN_SECURITY_CLEARTEXT
                                                                 : MAILSRV_MIN_SECURITY_STARTTLS;
    else if (strcmp(key, "tlsOrder") == 0)
        o->tls_order = strcmp(value, "domain-priority") == 0 ? MAILSRV_TLS_ORDER_DOMAIN_PRIORITY
                                                             : MAILSRV_TLS_ORDER_IMPLICIT_FIRST;
    else if (strcmp(key, "prefer") == 0)
        o->prefer = strcmp(value, "pop3") == 0 ? MAILSRV_PROTOCOL_POP3 : MAILSRV_PROTOCOL_IMAP;
    else return 0;
    return 1;
}

static const char *service_label(uint32_t s) {
    static const char *labels[] = {"submissions", "submission", "imaps", "imap", "pop3s", "pop3"};
    return s < 6 ? labels[s] : "?";
}

/* Finds `label=` in a comma list like "imaps=servfail,imap=timeout"; copies the value. */
static int lookup_inject(const char *list, const char *label, char *out, size_t out_len) {
    if (strcmp(list, "-") == 0) return 0;
    size_t ll = strlen(label);
    const char *p = list;
    while (*p) {
        const char *end = strchr(p, ',');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        if (n > ll && strncmp(p, label, ll) == 0 && p[ll] == '=') {
            size_t vn = n - ll - 1;
            if (vn >= out_len) vn = out_len - 1;
            memcpy(out, p + ll + 1, vn);
            out[vn] = '\0';
            return 1;
        }
        if (!end) break;
        p = end + 1;
    }
    return 0;
}

/* Whether `name` is one of the comma-separated entries of `list`. */
static int in_list(const char *list, const char *name) {
    size_t n = strlen(name);
    for (const char *p = list; (p = strstr(p, name)) != NULL; p += n) {
        int starts = p == list || p[-1] == ',';
        int ends = p[n] == '\0' || p[n] == ',';
        if (starts && ends) return 1;
    }
    return 0;
}

static int load_zones(mailsrv_zone_host *host, char *zones, const char *secure) {
    for (char *z = strtok(zones, ","); z; z = strtok(NULL, ",")) {
        char path[512];
        snprintf(path, sizeof path, "%s/zones/%s", testdata, z);
        size_t len = 0;
        char *text = read_file(path, &len);
        if (!text) { fprintf(stderr, "cannot read %s\n", path); return 0; }
        int is_secure = in_list(secure, z);
        CHECK_RESULT(mailsrv_zone_host_add_zone(host, (const uint8_t *)text, len, (uint8_t)is_secure), MAILSRV_RESULT_OK);
        free(text);
    }
    return 1;
}

static void replay(char **f) {
    const char *name = f[0], *email = f[1], *secure = f[3], *options_text = f[4], *inject = f[5];
    unsigned long long seed = strtoull(f[6], NULL, 10);
    mailsrv_options options;
    CHECK_RESULT(mailsrv_options_default(&options), MAILSRV_RESULT_OK);
    if (strcmp(options_text, "-") != 0) {
        char copy[512];
        snprintf(copy, sizeof copy, "%s", options_text);
        for (char *kv = strtok(copy, ","); kv; kv = strtok(NULL, ",")) {
            char *eq = strchr(kv, '=');
            if (!eq) continue;
            *eq = '\0';
            if (!apply_option(&options, kv, eq + 1)) { fprintf(stderr, "%s: unknown option %s\n", name, kv); failures++; }
        }
    }
    mailsrv_zone_host *host = NULL;
    CHECK_RESULT(mailsrv_zone_host_new(&host), MAILSRV_RESULT_OK);
    char zones[512];
    snprintf(zones, sizeof zones, "%s", f[2]);
    if (!load_zones(host, zones, secure)) { failures++; mailsrv_zone_host_free(host); return; }

    mailsrv_discovery *d = NULL;
    CHECK_RESULT(mailsrv_discovery_new((const uint8_t *)email, strlen(email), &options, &d), MAILSRV_RESULT_OK);
    size_t n = mailsrv_discovery_question_count(d);
    static uint8_t buf[65536];
    for (size_t i = 0; i < n; i++) {
        mailsrv_question q;
        CHECK_RESULT(mailsrv_discovery_question(d, i, &q), MAILSRV_RESULT_OK);
        char kind[32] = "";
        int injected = lookup_inject(inject, service_label(q.service), kind, sizeof kind);
        size_t len = 0;
        uint32_t outcome = 0;
        if (!injected || strcmp(kind, "no-tcp") == 0) {
            CHECK_RESULT(mailsrv_zone_host_answer(host, q.wire, q.wire_len, MAILSRV_TRANSPORT_UDP, buf, sizeof buf, &len), MAILSRV_RESULT_OK);
            CHECK_RESULT(mailsrv_discovery_receive(d, q.id, buf, len, MAILSRV_DNSSEC_UNSPECIFIED, &outcome), MAILSRV_RESULT_OK);
            if (outcome == MAILSRV_OUTCOME_TRUNCATED && !injected) {
                CHECK_RESULT(mailsrv_zone_host_answer(host, q.wire, q.wire_len, MAILSRV_TRANSPORT_TCP, buf, sizeof buf, &len), MAILSRV_RESULT_OK);
                CHECK_RESULT(mailsrv_discovery_receive(d, q.id, buf, len, MAILSRV_DNSSEC_UNSPECIFIED, &outcome), MAILSRV_RESULT_OK);
            }
        } else if (strcmp(kind, "servfail") == 0 || strcmp(kind, "formerr") == 0) {
            memcpy(buf, q.wire, q.wire_len);
            buf[2] |= 0x80;
            buf[3] = (uint8_t)((buf[3] & 0xF0) | (strcmp(kind, "servfail") == 0 ? 2 : 1));
            CHECK_RESULT(mailsrv_discovery_receive(d, q.id, buf, q.wire_len, MAILSRV_DNSSEC_UNSPECIFIED, &outcome), MAILSRV_RESULT_OK);
        } else if (strcmp(kind, "malformed") == 0) {
            CHECK_RESULT(mailsrv_zone_host_answer(host, q.wire, q.wire_len, MAILSRV_TRANSPORT_UDP, buf, sizeof buf, &len), MAILSRV_RESULT_OK);
            CHECK_RESULT(mailsrv_discovery_receive(d, q.id, buf, len < 20 ? len : 20, MAILSRV_DNSSEC_UNSPECIFIED, &outcome), MAILSRV_RESULT_OK);
        } else if (strcmp(kind, "timeout") == 0) {
            CHECK_RESULT(mailsrv_discovery_fail(d, q.id, MAILSRV_FAILURE_TIMEOUT), MAILSRV_RESULT_OK);
        } else if (strcmp(kind, "network-error") == 0) {
            CHECK_RESULT(mailsrv_discovery_fail(d, q.id, MAILSRV_FAILURE_NETWORK_ERROR), MAILSRV_RESULT_OK);
        } else {
            fprintf(stderr, "%s: unknown injection %s\n", name, kind);
            failures++;
        }
    }
    mailsrv_plan *plan = NULL;
    CHECK_RESULT(mailsrv_discovery_plan(d, (uint64_t)seed, &plan), MAILSRV_RESULT_OK);
    size_t need = 0;
    CHECK_RESULT(mailsrv_plan_json(plan, 1, NULL, 0, &need), MAILSRV_RESULT_INSUFFICIENT_SIZE);
    char *json = malloc(need + 1);
    size_t got = 0;
    CHECK_RESULT(mailsrv_plan_json(plan, 1, (uint8_t *)json, need, &got), MAILSRV_RESULT_OK);
    CHECK(got == need);
    json[got] = '\0';

    char path[512];
    snprintf(path, sizeof path, "%s/expected/%s.json", testdata, name);
    size_t elen = 0;
    char *expected = read_file(path, &elen);
    CHECK(expected != NULL);
    if (expected) {
        while (elen > 0 && expected[elen - 1] == '\n') expected[--elen] = '\0';
        if (elen != got || memcmp(expected, json, got) != 0) {
            fprintf(stderr, "%s: the C plan differs from %s\n%s\n", name, path, json);
            failures++;
        }
    }
    free(expected);
    free(json);
    mailsrv_plan_free(plan);
    mailsrv_discovery_free(d);
    mailsrv_zone_host_free(host);
}

int main(void) {
    char path[512];
    snprintf(path, sizeof path, "%s/cases.tsv", testdata);
    char *tsv = read_file(path, NULL);
    if (!tsv) { fprintf(stderr, "cannot read %s\n", path); return 1; }
    int cases = 0;
    char *save = NULL;
    for (char *line = strtok_r(tsv, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        if (line[0] == '#') continue;
        char *fields[MAX_FIELDS];
        int nf = 0;
        char *p = line;
        while (nf < MAX_FIELDS) {
            fields[nf++] = p;
            char *tab = strchr(p, '\t');
            if (!tab) break;
            *tab = '\0';
            p = tab + 1;
        }
        if (nf != MAX_FIELDS) { fprintf(stderr, "bad line in cases.tsv\n"); failures++; continue; }
        replay(fields);
        cases++;
    }
    free(tsv);
    CHECK(cases >= 20);
    printf("test_replay: %d cases replayed\n", cases);
    return report("test_replay");
}
