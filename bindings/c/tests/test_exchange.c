/* The reference host's negotiation loop (examples/host_exchange.h) stops when a mailsrv call
 * fails, instead of acting on the last step again. The failures are real ones: the calls are
 * made on a NULL negotiator (NULL_PARAMETER) or fed data the negotiator must refuse. The
 * scripted connection caps writes and reads so that a host that ignored the result would end
 * with HOST_EXCHANGE_IO_FAILED after the cap instead of looping forever. */
#include "util.h"

#include "../examples/host_exchange.h"

#define CAP 5

struct script {
    int writes, reads;
    const char *reply;
};

static int script_write(void *ctx, const uint8_t *bytes, size_t n) {
    struct script *sc = ctx;
    (void)bytes;
    (void)n;
    return ++sc->writes <= CAP;
}

static int script_read(void *ctx, uint8_t *buf, size_t cap) {
    struct script *sc = ctx;
    if (++sc->reads > CAP) return 0;
    size_t len = strlen(sc->reply);
    if (len > cap) len = cap;
    memcpy(buf, sc->reply, len);
    return (int)len;
}

int main(void) {
    /* A SEND step whose poll fails: written once, then the exchange stops. */
    struct script sc = {0, 0, "* OK ready\r\n"};
    struct host_io io = {&sc, script_write, script_read};
    static const uint8_t line[] = "a001 CAPABILITY\r\n";
    mailsrv_step s = {MAILSRV_STEP_SEND, line, sizeof line - 1, MAILSRV_ABORT_NONE, {"", 0}};
    CHECK(host_exchange(NULL, &io, &s) == HOST_EXCHANGE_CALL_FAILED);
    CHECK(sc.writes == 1);

    /* A NEED_MORE step whose receive fails: read once, then the exchange stops. */
    sc = (struct script){0, 0, "* OK ready\r\n"};
    s = (mailsrv_step){MAILSRV_STEP_NEED_MORE, NULL, 0, MAILSRV_ABORT_NONE, {"", 0}};
    CHECK(host_exchange(NULL, &io, &s) == HOST_EXCHANGE_CALL_FAILED);
    CHECK(sc.reads == 1);

    /* A live negotiator with a working script gets to a step the caller acts on. */
    mailsrv_negotiator *n = NULL;
    CHECK_RESULT(mailsrv_negotiator_new(MAILSRV_PROTOCOL_IMAP, MAILSRV_SECURITY_STARTTLS, (const uint8_t *)"localhost", 9, &n),
                 MAILSRV_RESULT_OK);
    sc = (struct script){0, 0, "* OK ready\r\n* CAPABILITY IMAP4rev1 STARTTLS\r\na001 OK done\r\na002 OK begin TLS\r\n"};
    CHECK_RESULT(mailsrv_negotiator_start(n, &s), MAILSRV_RESULT_OK);
    CHECK(host_exchange(n, &io, &s) == HOST_EXCHANGE_STEP);
    CHECK(s.kind != MAILSRV_STEP_SEND && s.kind != MAILSRV_STEP_NEED_MORE);
    mailsrv_negotiator_free(n);

    if (failures) {
        fprintf(stderr, "test_exchange: %d check(s) failed\n", failures);
        return 1;
    }
    printf("test_exchange: all checks passed\n");
    return 0;
}
