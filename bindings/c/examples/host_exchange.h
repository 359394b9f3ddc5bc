/* The reference host's negotiation loop, kept apart from the sockets and TLS so that
 * tests/test_exchange.c can drive it with scripted I/O and failing mailsrv calls.
 *
 * host_exchange() carries out SEND, SEND_SECRET and NEED_MORE steps until the negotiator asks
 * for something else. Every mailsrv_* result is checked: a failing call ends the exchange with a
 * message on stderr (the last step must not be acted on again, or a failed poll would re-send
 * the last SEND forever). */
#ifndef MAILSRV_HOST_EXCHANGE_H
#define MAILSRV_HOST_EXCHANGE_H

#include <stdint.h>
#include <stdio.h>

#include "mailsrv.h"

/* The connection as the exchange sees it: write all of n bytes (1 on success), read up to cap
 * bytes (the count, or <= 0 when the peer closed or timed out). */
struct host_io {
    void *ctx;
    int (*write_all)(void *ctx, const uint8_t *bytes, size_t n);
    int (*read_some)(void *ctx, uint8_t *buf, size_t cap);
};

enum host_exchange_end {
    HOST_EXCHANGE_STEP = 1,        /* *s is a step that is not SEND or NEED_MORE: act on it */
    HOST_EXCHANGE_IO_FAILED = 0,   /* the connection failed (reported on stdout by the caller) */
    HOST_EXCHANGE_CALL_FAILED = -1 /* a mailsrv call failed: reported on stderr, stop */
};

/* Reports a failing mailsrv call on stderr; returns 0 when result is OK, else -1. */
static inline int host_check(const char *call, mailsrv_result result) {
    if (result == MAILSRV_RESULT_OK) return 0;
    fprintf(stderr, "mailsrv-plan: %s failed: %s (%s)\n", call, mailsrv_result_name(result),
            mailsrv_result_message(result));
    return -1;
}

static inline enum host_exchange_end host_exchange(mailsrv_negotiator *n, const struct host_io *io, mailsrv_step *s) {
    uint8_t buf[4096];
    for (;;) {
        if (s->kind == MAILSRV_STEP_SEND || s->kind == MAILSRV_STEP_SEND_SECRET) {
            if (!io->write_all(io->ctx, s->bytes, s->bytes_len)) return HOST_EXCHANGE_IO_FAILED;
            if (host_check("mailsrv_negotiator_poll", mailsrv_negotiator_poll(n, s)) != 0) return HOST_EXCHANGE_CALL_FAILED;
        } else if (s->kind == MAILSRV_STEP_NEED_MORE) {
            int got = io->read_some(io->ctx, buf, sizeof buf);
            if (got <= 0) return HOST_EXCHANGE_IO_FAILED;
            if (host_check("mailsrv_negotiator_receive", mailsrv_negotiator_receive(n, buf, (size_t)got, s)) != 0)
                return HOST_EXCHANGE_CALL_FAILED;
        } else {
            return HOST_EXCHANGE_STEP;
        }
    }
}

#endif
