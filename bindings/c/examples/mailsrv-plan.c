/* mailsrv-plan — the reference C host: discovery I/O the way a C mail client does it.
 *
 *   mailsrv-plan [--zone FILE]... [--secure-zone FILE]... [--server IP[:PORT]] [--timeout MS]
 *                [--total-timeout MS] [--seed N] [--json] [--trust-ad] [--allow-cleartext] [--implicit-tls-only]
 *                [--tls-order implicit-first|domain-priority] [--prefer imap|pop3]
 *                [--fixtures DIR] [--sources LIST] [--ispdb URL] [--http-anchors CA.pem]
 *                [--connect-to HOST:PORT:ADDR:PORT]... [--trust-anchor FILE] [--now RFC3339|SECONDS]
 *                [--verify [--anchors CA.pem] [--tlsa "U S M HEX"]...]
 *                [--probe [--anchors CA.pem] [--password-env VAR] [--accept-target HOST]...] EMAIL
 *
 * Without --zone, every question goes out at once through c-ares (to --server, or to the
 * system's resolvers from /etc/resolv.conf); the raw answers are fed to mailsrv. c-ares retries
 * truncated answers over TCP. With --verify it connects to the first implicit-TLS candidate with
 * OpenSSL, takes the peer's chain and prints mailsrv's verdict; --tlsa records (presentation form)
 * are taken as DNSSEC-validated for that candidate's _<port>._tcp.<host> (DANE, RFC 7673), and
 * mailsrv decides with them. With --probe it tries the
 * candidates in order (implicit TLS, or STARTTLS through mailsrv's negotiator), verifies each
 * certificate and reads the capabilities after TLS. Credentials go out only with
 * --password-env (the password from that environment variable), only over TLS with a verified
 * certificate (the negotiator refuses otherwise), with the candidate's usernames in order.
 *
 * --trust-anchor or --now turns on DNSSEC validation in the core, as in the Rust example host:
 * anchors from an unbound-style file (default: the IANA root anchors built into the library),
 * signatures checked at --now (seconds or an RFC 3339 UTC time, read by the core; default: this
 * machine's clock; --verify and --probe check certificates at the same time). The validator's
 * DS and DNSKEY questions go out through c-ares (raw queries with DO and CD, as the core wrote
 * them) beside the SRV questions; rounds follow while the validator has questions left, all
 * within the total deadline. With --zone the zone host answers them from the (signed) zones.
 *
 * The HTTP sources (provider autoconfig, the well-known location, the ISPDB, MX-derived lookups;
 * the core decides which: SRV only unless --fixtures or --sources is given) are fetched with
 * libcurl's multi interface, all at once and beside the DNS questions (one poll loop drives c-ares
 * and libcurl; the requests an MX answer adds begin when it is fed), https only (plain HTTP only
 * for the opt-in autoconfig-http source), redirects followed
 * by hand and each checked by the core, at most mailsrv_http_max_body_bytes() of a body, within
 * the total deadline; with --fixtures DIR every request is answered offline from DIR/<host>/<path>
 * by the core's rules instead. --connect-to is libcurl's CURLOPT_CONNECT_TO (decision D48): it only
 * changes where a connection goes; the URL, SNI and the certificate's name check stay the URL's.
 * The MX question goes out with the SRV questions (c-ares) or is
 * answered from the --zone files.
 *
 * Time and bytes are bounded as a whole, not per read: --total-timeout (default: the core's
 * mailsrv_default_total_timeout_ms(), 60 s) is a deadline on the monotonic clock for everything,
 * the DNS questions and every candidate; --timeout is the DNS time per try and, with --probe, the
 * deadline of each candidate (connect, TLS, negotiation, login), never past the total one. Every
 * poll() waits only for what is left; a candidate out of time fails as TIMEOUT, a question as a
 * lookup timeout. A probe reads at most mailsrv_max_connection_bytes() (1 MiB) from one
 * connection and fails the candidate as TOO_MUCH_DATA past it.
 *
 * Exit codes: 0 usable plan (or verified, or a working server on every side probed), 1 nothing
 * usable (or rejected, or no working server), 2 usage or input error, 3 lookups failed, 4 the
 * certificate needs the user's confirmation, 141 the reader of stdout went away (see say()).
 */
#define _POSIX_C_SOURCE 200809L
#include <sys/select.h> /* before ares.h, which uses fd_set */
#include <ares.h>
#include <arpa/inet.h>
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "mailsrv.h"
#include "host_exchange.h"

enum lookup_kind { LOOKUP_SRV, LOOKUP_MX, LOOKUP_DNSSEC };

struct lookup {
    mailsrv_discovery *discovery;
    uint16_t id;
    uint16_t message_id;
    const int *out_of_time; /* set when the total deadline cancelled the question */
    enum lookup_kind kind;  /* an SRV question, the MX question or one of the validator's */
};

/* ---- deadlines: milliseconds on the monotonic clock -------------------------------------------- */

static int64_t now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* What is left until deadline, in ms, for poll(): 0 when it has passed. */
static int ms_left(int64_t deadline) {
    int64_t left = deadline - now_ms();
    if (left <= 0) return 0;
    return left > 60 * 60 * 1000 ? 60 * 60 * 1000 : (int)left;
}

/* The deadline of the whole run (--total-timeout), set by main() before any I/O. */
static int64_t total_deadline;

/* Waits until fd is ready for events or deadline passes: 1 ready, 0 out of time, -1 error. */
static int wait_fd(int fd, short events, int64_t deadline) {
    for (;;) {
        int left = ms_left(deadline);
        if (left == 0) return 0;
        struct pollfd p = {fd, events, 0};
        int n = poll(&p, 1, left);
        if (n > 0) return 1;
        if (n == 0) continue; /* re-check the clock: the deadline decides, not poll */
        if (errno != EINTR) return -1;
    }
}

/* What --server takes, for the message when c-ares refuses it. */
static const char SERVER_USAGE[] = "--server must be IP[:PORT] (an address, port 53 by default; not a host name)";

static void die(const char *what) {
    fprintf(stderr, "mailsrv-plan: %s\n", what);
    exit(MAILSRV_EXIT_USAGE);
}

/* A write to stdout failed. If the reader went away (`mailsrv-plan … | head -1`) this is a quiet
 * end with 141 (128 + SIGPIPE), the status a shell shows for a program killed by SIGPIPE: main()
 * ignores SIGPIPE, which would otherwise also kill the host when a mail server closes a TLS
 * connection under it, so EPIPE arrives here instead. _exit, because exit() would try to flush
 * the same stdout again. Any other write error is one line on stderr and exit code 2. */
static void stdout_failed(void) {
    if (errno == EPIPE) _exit(MAILSRV_EXIT_BROKEN_PIPE);
    fprintf(stderr, "mailsrv-plan: cannot write the output: %s\n", strerror(errno));
    _exit(2);
}

/* printf to stdout, ending the host if the write fails (stop printing, and probing, for nobody). */
__attribute__((format(printf, 1, 2))) static void say(const char *format, ...) {
    va_list args;
    va_start(args, format);
    int n = vprintf(format, args);
    va_end(args);
    if (n < 0 || ferror(stdout)) stdout_failed();
}

static char *read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    if (fseek(f, 0, SEEK_END) != 0) { fclose(f); return NULL; }
    long size = ftell(f);
    if (size < 0 || fseek(f, 0, SEEK_SET) != 0) { fclose(f); return NULL; }
    char *buf = malloc((size_t)size + 1);
    if (!buf) { fclose(f); return NULL; }
    size_t n = fread(buf, 1, (size_t)size, f);
    fclose(f);
    buf[n] = '\0';
    *len = n;
    return buf;
}

/* c-ares answered (or gave up on) one of the validator's DNSSEC questions. An answer the core
 * does not take, one still truncated after c-ares's own TCP retry, and a failed query all leave
 * the question without a usable answer: it is reported failed, so that no round sends it again. */
static void on_dnssec_answer(struct lookup *l, int status, const unsigned char *abuf, int alen) {
    mailsrv_result r = MAILSRV_RESULT_NETWORK_ERROR;
    uint32_t outcome = 0;
    if (status == ARES_SUCCESS && abuf && alen >= 12) {
        unsigned char *copy = malloc((size_t)alen);
        if (copy) {
            /* c-ares's own message ID back to the one mailsrv wrote, as for the SRV answers. */
            memcpy(copy, abuf, (size_t)alen);
            copy[0] = (unsigned char)(l->message_id >> 8);
            copy[1] = (unsigned char)(l->message_id & 0xff);
            r = mailsrv_discovery_receive_dnssec(l->discovery, l->message_id, copy, (size_t)alen, &outcome);
            if (r != MAILSRV_RESULT_OK)
                fprintf(stderr, "mailsrv-plan: answer to DNSSEC question %u ignored: %s\n", (unsigned)l->message_id, mailsrv_result_message(r));
            free(copy);
        }
    }
    if (r == MAILSRV_RESULT_OK && outcome != MAILSRV_OUTCOME_TRUNCATED) return;
    r = mailsrv_discovery_fail_dnssec(l->discovery, l->message_id);
    if (r != MAILSRV_RESULT_OK)
        fprintf(stderr, "mailsrv-plan: failure of DNSSEC question %u not recorded: %s\n", (unsigned)l->message_id, mailsrv_result_message(r));
}

/* c-ares answered (or gave up on) one question. */
static void on_answer(void *arg, int status, int timeouts, unsigned char *abuf, int alen) {
    (void)timeouts;
    struct lookup *l = arg;
    if (l->kind == LOOKUP_DNSSEC) {
        on_dnssec_answer(l, status, abuf, alen);
        return;
    }
    int mx = l->kind == LOOKUP_MX;
    if (status == ARES_SUCCESS && abuf && alen >= 12) {
        /* c-ares sends its own random message ID and has already matched the answer to it;
           put back the ID mailsrv wrote in the query so that its own check passes. */
        unsigned char *copy = malloc((size_t)alen);
        if (!copy) return;
        memcpy(copy, abuf, (size_t)alen);
        copy[0] = (unsigned char)(l->message_id >> 8);
        copy[1] = (unsigned char)(l->message_id & 0xff);
        uint32_t outcome = 0;
        mailsrv_result r = mx ? mailsrv_discovery_receive_mx(l->discovery, copy, (size_t)alen, MAILSRV_DNSSEC_UNSPECIFIED, &outcome)
                                 : mailsrv_discovery_receive(l->discovery, l->id, copy, (size_t)alen, MAILSRV_DNSSEC_UNSPECIFIED, &outcome);
        if (r != MAILSRV_RESULT_OK)
            fprintf(stderr, "mailsrv-plan: answer to question %u ignored: %s\n", (unsigned)l->id, mailsrv_result_message(r));
        free(copy);
        return;
    }
    /* c-ares's status as a host code; the core says which lookup failure that is. */
    int timed_out = status == ARES_ETIMEOUT || (status == ARES_ECANCELLED && l->out_of_time && *l->out_of_time);
    uint32_t failure = mailsrv_lookup_failure(timed_out ? MAILSRV_RESULT_TIMEOUT : MAILSRV_RESULT_NETWORK_ERROR);
    /* c-ares's text for the status is the lookup's reason in the plan's diagnostic. */
    const char *why = timed_out && status == ARES_ECANCELLED ? "no answer within the total time limit" : ares_strerror(status);
    mailsrv_result r = mx ? mailsrv_discovery_fail_mx(l->discovery, failure)
                          : mailsrv_discovery_fail_because(l->discovery, l->id, failure, (const uint8_t *)why, strlen(why));
    if (r != MAILSRV_RESULT_OK)
        fprintf(stderr, "mailsrv-plan: failure of question %u not recorded: %s\n", (unsigned)l->id, mailsrv_result_message(r));
}

static int web_wait(struct pollfd *fds, nfds_t n, int wait_ms);

/* Runs c-ares until every pending request has completed or timed out, or until deadline (the
 * total one, or a candidate's for its address lookup): then every request still pending is cancelled (its callback runs with
 * ARES_ECANCELLED) and *out_of_time is set first, so that it is reported as a timeout. c-ares's
 * own timeouts are per try; this deadline is for all of them. */
static void cares_loop(ares_channel channel, int64_t deadline, int *out_of_time) {
    for (;;) {
        ares_socket_t socks[ARES_GETSOCK_MAXNUM];
        int bits = ares_getsock(channel, socks, ARES_GETSOCK_MAXNUM);
        struct pollfd fds[ARES_GETSOCK_MAXNUM];
        nfds_t n = 0;
        for (int i = 0; i < ARES_GETSOCK_MAXNUM; i++) {
            short ev = (short)((ARES_GETSOCK_READABLE(bits, i) ? POLLIN : 0) | (ARES_GETSOCK_WRITABLE(bits, i) ? POLLOUT : 0));
            if (ev) fds[n++] = (struct pollfd){socks[i], ev, 0};
        }
        if (n == 0) break;
        int left = ms_left(deadline);
        if (left == 0) {
            *out_of_time = 1;
            ares_cancel(channel);
            break;
        }
        struct timeval tv, max = {left / 1000, (left % 1000) * 1000};
        struct timeval *tvp = ares_timeout(channel, &max, &tv);
        int wait = (int)(tvp->tv_sec * 1000 + tvp->tv_usec / 1000);
        if (web_wait(fds, n, wait) < 0 && errno != EINTR) {
            ares_cancel(channel);
            break;
        }
        int any = 0;
        for (nfds_t i = 0; i < n; i++) {
            if (!fds[i].revents) continue;
            any = 1;
            ares_socket_t r = fds[i].revents & (POLLIN | POLLERR | POLLHUP) ? fds[i].fd : ARES_SOCKET_BAD;
            ares_socket_t w = fds[i].revents & (POLLOUT | POLLERR | POLLHUP) ? fds[i].fd : ARES_SOCKET_BAD;
            ares_process_fd(channel, r, w);
        }
        if (!any) ares_process_fd(channel, ARES_SOCKET_BAD, ARES_SOCKET_BAD); /* timeouts */
    }
}

/* Runs one round: c-ares until every query sent is done or the total deadline passes; then
 * every query still pending is cancelled (its callback runs) before the round's lookups, which
 * the callbacks point to, are freed by the caller. */
static void cares_round(ares_channel channel, int *out_of_time) {
    cares_loop(channel, total_deadline, out_of_time);
    ares_cancel(channel);
}

/* Sends the validator's DNSSEC questions still to send with c-ares, into lookups (count of them). */
static void send_dnssec(ares_channel channel, mailsrv_discovery *d, struct lookup *lookups, size_t count, int *out_of_time) {
    for (size_t i = 0; i < count; i++) {
        mailsrv_dnssec_question q;
        if (host_check("mailsrv_discovery_dnssec_question", mailsrv_discovery_dnssec_question(d, i, &q)) != 0) die("cannot read a DNSSEC question");
        lookups[i] = (struct lookup){d, 0, q.message_id, out_of_time, LOOKUP_DNSSEC};
        ares_send(channel, q.wire, (int)q.wire_len, on_answer, &lookups[i]);
    }
}

/* Sends every question at once (the SRV questions, the MX question and, with DNSSEC validation,
 * the validator's first DS and DNSKEY questions) and runs c-ares until all are answered; then,
 * while the validator has questions left (answers may reveal zones it could not foresee), one
 * more round with those. Everything within the total deadline: a DNSSEC question still open when
 * it passes is reported failed, an SRV question as a lookup timeout. */
static void resolve_with_cares(mailsrv_discovery *d, const char *server, int timeout_ms) {
    if (ares_library_init(ARES_LIB_INIT_ALL) != ARES_SUCCESS) die("cannot initialise c-ares");
    ares_channel channel;
    struct ares_options opts;
    memset(&opts, 0, sizeof opts);
    opts.timeout = timeout_ms;
    opts.tries = 2;
    /* Hand every answer over, SERVFAIL and REFUSED included: mailsrv classifies them. */
    opts.flags = ARES_FLAG_NOCHECKRESP;
    if (ares_init_options(&channel, &opts, ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES | ARES_OPT_FLAGS) != ARES_SUCCESS)
        die("cannot create a c-ares channel");
    if (server && ares_set_servers_ports_csv(channel, server) != ARES_SUCCESS) die(SERVER_USAGE);
    size_t n = mailsrv_discovery_question_count(d);
    size_t n_dnssec = mailsrv_discovery_dnssec_question_count(d);
    struct lookup *lookups = calloc(n + 1 + n_dnssec, sizeof *lookups);
    if (!lookups) die("out of memory");
    int out_of_time = 0;
    for (size_t i = 0; i < n; i++) {
        mailsrv_question q;
        if (mailsrv_discovery_question(d, i, &q) != MAILSRV_RESULT_OK) die("cannot read a question");
        lookups[i] = (struct lookup){d, q.id, q.message_id, &out_of_time, LOOKUP_SRV};
        ares_send(channel, q.wire, (int)q.wire_len, on_answer, &lookups[i]);
    }
    /* The MX question (an MX-derived source is in use) goes out at once with the others. */
    mailsrv_mx_question mx;
    if (mailsrv_discovery_mx_question(d, &mx)) {
        lookups[n] = (struct lookup){d, 0, mx.message_id, &out_of_time, LOOKUP_MX};
        ares_send(channel, mx.wire, (int)mx.wire_len, on_answer, &lookups[n]);
    }
    /* ...and so do the validator's questions that the address alone makes known. */
    send_dnssec(channel, d, lookups + n + 1, n_dnssec, &out_of_time);
    cares_round(channel, &out_of_time);
    free(lookups);
    /* Later rounds: only what the answers revealed. Each round answers or fails every question
     * it sends, and the core asks a bounded number in all, so this ends. */
    while (!out_of_time && (n_dnssec = mailsrv_discovery_dnssec_question_count(d)) > 0) {
        lookups = calloc(n_dnssec, sizeof *lookups);
        if (!lookups) die("out of memory");
        send_dnssec(channel, d, lookups, n_dnssec, &out_of_time);
        cares_round(channel, &out_of_time);
        free(lookups);
    }
    /* Out of time: what the validator still wants gets no answer. */
    while (mailsrv_discovery_dnssec_question_count(d) > 0) {
        mailsrv_dnssec_question q;
        if (host_check("mailsrv_discovery_dnssec_question", mailsrv_discovery_dnssec_question(d, 0, &q)) != 0 ||
            host_check("mailsrv_discovery_fail_dnssec", mailsrv_discovery_fail_dnssec(d, q.message_id)) != 0)
            die("cannot record a DNSSEC failure");
    }
    ares_destroy(channel);
    ares_library_cleanup();
}

/* A non-blocking TCP connection to address (or host) and port, made before deadline; -1 if none. */
static int connect_to(const char *host, const char *address, uint16_t port, int64_t deadline) {
    char service[8];
    snprintf(service, sizeof service, "%u", (unsigned)port);
    struct addrinfo hints, *res = NULL;
    memset(&hints, 0, sizeof hints);
    hints.ai_socktype = SOCK_STREAM;
    if (getaddrinfo(address && *address ? address : host, service, &hints, &res) != 0) return -1;
    int fd = -1;
    for (struct addrinfo *a = res; a && fd < 0; a = a->ai_next) {
        fd = socket(a->ai_family, a->ai_socktype, a->ai_protocol);
        if (fd < 0) continue;
        int flags = fcntl(fd, F_GETFL, 0);
        int err = 0;
        socklen_t len = sizeof err;
        if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) != 0 ||
            (connect(fd, a->ai_addr, a->ai_addrlen) != 0 &&
             (errno != EINPROGRESS || wait_fd(fd, POLLOUT, deadline) != 1 ||
              getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0 || err != 0))) {
            close(fd);
            fd = -1;
        }
    }
    freeaddrinfo(res);
    return fd;
}

/* Reads the trust anchors (PEM) or exits. */
static mailsrv_certificates *load_anchors(const char *path) {
    size_t pem_len = 0;
    char *pem = read_file(path, &pem_len);
    if (!pem) die("cannot read the --anchors file");
    mailsrv_certificates *anchors = NULL;
    if (mailsrv_certificates_from_pem((const uint8_t *)pem, pem_len, &anchors) != MAILSRV_RESULT_OK) die("--anchors holds no certificate");
    free(pem);
    return anchors;
}

/* Runs the TLS handshake on fd for candidate (side, index): SNI = the email domain (D13), the
 * candidate's ALPN id; a server selecting another protocol is dropped (ALPACA). Then mailsrv
 * verifies the peer chain. Returns 0 with *out_ssl and *out_verdict set, 2 when mailsrv could
 * not verify (*out_ssl set, no verdict), 1 when the ALPN was dropped and 3 when the handshake
 * failed (neither set). The caller frees what is set. */
/* Waits for what the last SSL call on ssl (which returned ret) needs, until deadline: 1 when the
 * call should be repeated, 0 when it failed for good or time is up. */
static int ssl_again(SSL *ssl, int ret, int64_t deadline) {
    switch (SSL_get_error(ssl, ret)) {
    case SSL_ERROR_WANT_READ: return wait_fd(SSL_get_fd(ssl), POLLIN, deadline) == 1;
    case SSL_ERROR_WANT_WRITE: return wait_fd(SSL_get_fd(ssl), POLLOUT, deadline) == 1;
    default: return 0;
    }
}

/* TLSA records from --tlsa (with --verify): taken as DNSSEC-validated for the verified
 * candidate's _<port>._tcp.<host>. The library parses them and caps their number. */
static mailsrv_bytes tlsa_records[64];
static size_t n_tlsa;

static int tls_verify(SSL_CTX *ctx, int fd, const mailsrv_plan *plan, uint32_t side, size_t index,
                      const mailsrv_candidate *c, mailsrv_certificates *anchors, uint64_t now,
                      int64_t deadline, SSL **out_ssl, mailsrv_verdict **out_verdict) {
    *out_ssl = NULL;
    *out_verdict = NULL;
    SSL *ssl = SSL_new(ctx);
    SSL_set_fd(ssl, fd);
    SSL_set_tlsext_host_name(ssl, c->sni.data);
    SSL_set_verify(ssl, SSL_VERIFY_NONE, NULL); /* mailsrv verifies the chain below */
    if (c->alpn.len > 0 && c->alpn.len < 255) {
        unsigned char protos[256];
        protos[0] = (unsigned char)c->alpn.len;
        memcpy(protos + 1, c->alpn.data, c->alpn.len);
        SSL_set_alpn_protos(ssl, protos, (unsigned)c->alpn.len + 1);
    }
    int ret;
    while ((ret = SSL_connect(ssl)) != 1 && ssl_again(ssl, ret, deadline)) {
    }
    if (ret != 1) {
        fprintf(stderr, "mailsrv-plan: TLS handshake with %s:%u failed\n", c->host.data, (unsigned)c->port);
        SSL_free(ssl);
        return 3;
    }
    const unsigned char *selected = NULL;
    unsigned selected_len = 0;
    bool alpn_ok = true;
    SSL_get0_alpn_selected(ssl, &selected, &selected_len);
    if (selected_len > 0 &&
        host_check("mailsrv_plan_candidate_accepts_alpn",
                   mailsrv_plan_candidate_accepts_alpn(plan, side, index, selected, selected_len, &alpn_ok)) != 0) {
        SSL_free(ssl);
        return 3;
    }
    if (selected_len > 0 && !alpn_ok) {
        fprintf(stderr, "mailsrv-plan: %s:%u selected ALPN \"%.*s\", not a mail protocol: dropped\n", c->host.data, (unsigned)c->port, (int)selected_len, selected);
        SSL_free(ssl);
        return 1;
    }
    /* At most one certificate more than the core accepts, so that the core, not this host,
     * refuses a longer chain (CHAIN_TOO_LONG). */
    STACK_OF(X509) *peer = SSL_get_peer_cert_chain(ssl);
    size_t limit = mailsrv_max_chain_length() + 1;
    int count = peer ? sk_X509_num(peer) : 0;
    if (count < 0) count = 0;
    if ((size_t)count > limit) count = (int)limit;
    mailsrv_bytes *chain = calloc(limit, sizeof *chain);
    unsigned char **ders = calloc(limit, sizeof *ders);
    for (int i = 0; chain && ders && i < count; i++) {
        int len = i2d_X509(sk_X509_value(peer, i), &ders[i]);
        chain[i] = (mailsrv_bytes){ders[i], len > 0 ? (size_t)len : 0};
    }
    size_t n_anchors = mailsrv_certificates_count(anchors);
    mailsrv_bytes *anchor_v = calloc(n_anchors ? n_anchors : 1, sizeof *anchor_v);
    mailsrv_result r = anchor_v && chain && ders ? MAILSRV_RESULT_OK : MAILSRV_RESULT_INTERNAL;
    for (size_t i = 0; i < n_anchors && r == MAILSRV_RESULT_OK; i++) r = mailsrv_certificates_get(anchors, i, &anchor_v[i]);
    if (r == MAILSRV_RESULT_OK)
        r = mailsrv_verify_candidate_tlsa(plan, side, index, tlsa_records, n_tlsa, chain, (size_t)count, anchor_v,
                                          n_anchors, now, 0, out_verdict);
    for (int i = 0; ders && i < count; i++) OPENSSL_free(ders[i]);
    free(ders);
    free(chain);
    free(anchor_v);
    *out_ssl = ssl;
    if (r != MAILSRV_RESULT_OK) {
        fprintf(stderr, "mailsrv-plan: %s\n", mailsrv_result_message(r));
        return 2;
    }
    return 0;
}

/* Prints a verdict (JSON, or one line) and returns its exit status; 2 when a call fails. */
static int print_verdict(const mailsrv_verdict *v, const mailsrv_candidate *c, int json) {
    if (json) {
        size_t need = 0;
        mailsrv_result r = mailsrv_verdict_json(v, 1, NULL, 0, &need);
        if (r != MAILSRV_RESULT_INSUFFICIENT_SIZE && host_check("mailsrv_verdict_json", r) != 0) return 2;
        char *text = malloc(need + 1);
        if (!text) die("out of memory");
        if (host_check("mailsrv_verdict_json", mailsrv_verdict_json(v, 1, (uint8_t *)text, need, &need)) != 0) { free(text); return 2; }
        say("%.*s\n", (int)need, text);
        free(text);
    } else {
        uint32_t status = 0, reason = 0;
        if (host_check("mailsrv_verdict_summary", mailsrv_verdict_summary(v, &status, &reason)) != 0) return 2;
        /* The library names the status ("needs-confirmation"); shown as "NEEDS CONFIRMATION". */
        char name[32];
        snprintf(name, sizeof name, "%s", mailsrv_verdict_status_name(status));
        for (char *p = name; *p; p++) *p = *p == '-' ? ' ' : (char)(*p >= 'a' && *p <= 'z' ? *p - 'a' + 'A' : *p);
        say("%s:%u: %s: %s\n", c->host.data, (unsigned)c->port, name, mailsrv_verdict_message(v).data);
    }
    uint8_t exit_status = 1;
    if (host_check("mailsrv_verdict_exit_status", mailsrv_verdict_exit_status(v, &exit_status)) != 0) return 2;
    return exit_status;
}

static int address_of(const mailsrv_plan *plan, uint32_t side, size_t index, const mailsrv_candidate *c,
                      const char *server, int64_t deadline, char *out, size_t cap);
static int print_no_address(int to_stderr, const char *prefix, const mailsrv_candidate *c);

/* Connects to the first implicit-TLS candidate, hands the peer chain to mailsrv. Its address
 * comes as --probe's does (address_of): through --server, never from the system's resolver
 * (D50). */
static int verify_first(const mailsrv_plan *plan, const char *anchors_path, uint64_t now, const char *server, int json) {
    uint32_t sides[] = {MAILSRV_SIDE_INCOMING, MAILSRV_SIDE_OUTGOING};
    mailsrv_candidate c;
    uint32_t side = 0;
    size_t index = 0;
    int found = 0;
    for (size_t s = 0; s < 2 && !found; s++)
        for (size_t i = 0; i < mailsrv_plan_candidate_count(plan, sides[s]) && !found; i++) {
            if (host_check("mailsrv_plan_candidate", mailsrv_plan_candidate(plan, sides[s], i, &c)) != 0) return 2;
            if (c.security == MAILSRV_SECURITY_IMPLICIT_TLS) {
                side = sides[s];
                index = i;
                found = 1;
            }
        }
    if (!found) { fprintf(stderr, "mailsrv-plan: no implicit-TLS candidate to verify\n"); return 1; }
    char address[256];
    if (address_of(plan, side, index, &c, server, total_deadline, address, sizeof address) != 0) {
        if (ms_left(total_deadline) == 0) {
            fprintf(stderr, "mailsrv-plan: %s: %s\n", mailsrv_result_name(MAILSRV_RESULT_TIMEOUT), mailsrv_result_message(MAILSRV_RESULT_TIMEOUT));
            return 3;
        }
        return print_no_address(1, "mailsrv-plan: ", &c) == 0 ? 3 : 2;
    }
    mailsrv_certificates *anchors = load_anchors(anchors_path);
    int fd = connect_to(c.host.data, address, c.port, total_deadline);
    if (fd < 0) { fprintf(stderr, "mailsrv-plan: cannot connect to %s:%u\n", c.host.data, (unsigned)c.port); mailsrv_certificates_free(anchors); return 3; }
    SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
    SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
    SSL *ssl = NULL;
    mailsrv_verdict *v = NULL;
    int rc = tls_verify(ctx, fd, plan, side, index, &c, anchors, now, total_deadline, &ssl, &v);
    if (rc == 0) rc = print_verdict(v, &c, json);
    mailsrv_verdict_free(v);
    if (ssl) { SSL_shutdown(ssl); SSL_free(ssl); }
    SSL_CTX_free(ctx);
    close(fd);
    mailsrv_certificates_free(anchors);
    return rc;
}

/* ---- --probe ------------------------------------------------------------------------------------ */

/* One of a target's address questions (A or AAAA) and the first address its answer gives. */
struct address_lookup {
    const mailsrv_candidate *c;
    char address[64];
};

static void on_address(void *arg, int status, int timeouts, unsigned char *abuf, int alen) {
    (void)timeouts;
    struct address_lookup *l = arg;
    size_t n = 0;
    if (status == ARES_SUCCESS && abuf && alen >= 12 &&
        mailsrv_address_in_response(abuf, (size_t)alen, (const uint8_t *)l->c->host.data, l->c->host.len, 0,
                                    (uint8_t *)l->address, sizeof l->address - 1, &n) == MAILSRV_RESULT_OK)
        l->address[n] = '\0';
}

/* The candidate's address into out: from the plan; else, when the plan came from --server, the
 * first the same server gives for the target's A, then AAAA question (the core's address queries,
 * c-ares retrying over TCP after truncation), asked before deadline; else (zone files) the host
 * name, for the system's name resolution. Returns 0, or -1 when --server gives no address: the
 * system's resolver is never asked instead (D50). */
static int address_of(const mailsrv_plan *plan, uint32_t side, size_t index, const mailsrv_candidate *c,
                      const char *server, int64_t deadline, char *out, size_t cap) {
    mailsrv_str a;
    if (c->address_count > 0 && mailsrv_plan_candidate_address(plan, side, index, 0, &a) == MAILSRV_RESULT_OK) {
        snprintf(out, cap, "%s", a.data);
        return 0;
    }
    if (!server) {
        snprintf(out, cap, "%s", c->host.data);
        return 0;
    }
    out[0] = '\0';
    struct address_lookup lookups[2] = {{c, ""}, {c, ""}};
    ares_channel channel;
    struct ares_options opts;
    memset(&opts, 0, sizeof opts);
    opts.timeout = 2000;
    opts.tries = 2;
    /* As in resolve_with_cares: a channel that cannot be made, or a --server it refuses (the
     * plan's lookups took the same one), is not "no address" but the host's own failure. */
    if (ares_init_options(&channel, &opts, ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES) != ARES_SUCCESS)
        die("cannot create a c-ares channel");
    if (ares_set_servers_ports_csv(channel, server) != ARES_SUCCESS) die(SERVER_USAGE);
    int sent = 0;
    for (uint32_t which = 0; which < 2; which++) {
        uint8_t wire[512];
        size_t n = 0;
        if (mailsrv_address_query((const uint8_t *)c->host.data, c->host.len, which, 0, wire, sizeof wire, &n) != MAILSRV_RESULT_OK) continue;
        ares_send(channel, wire, (int)n, on_address, &lookups[which]);
        sent = 1;
    }
    int out_of_time = 0;
    if (sent) cares_loop(channel, deadline, &out_of_time);
    ares_cancel(channel);
    ares_destroy(channel);
    for (int i = 0; i < 2 && !out[0]; i++)
        if (lookups[i].address[0]) snprintf(out, cap, "%s", lookups[i].address);
    return out[0] ? 0 : -1;
}

/* D50: the resolver gave no address for c's target, and the system's is not asked; prints the
 * failure the core gives that ("CODE: text", after prefix) on stdout (say) or stderr. Returns 0,
 * or -1 when the core's call failed (reported by host_check). */
static int print_no_address(int to_stderr, const char *prefix, const mailsrv_candidate *c) {
    char text[2048];
    size_t n = 0;
    uint32_t code = 0;
    if (host_check("mailsrv_no_address_error", mailsrv_no_address_error((const uint8_t *)c->host.data, c->host.len, NULL, 0, &code, (uint8_t *)text, sizeof text, &n)) != 0)
        return -1;
    if (to_stderr) fprintf(stderr, "%s%s: %.*s\n", prefix, mailsrv_result_name(code), (int)n, text);
    else say("%s%s: %.*s\n", prefix, mailsrv_result_name(code), (int)n, text);
    return 0;
}

/* Hosts the user confirmed with --accept-target (RFC 6186 §6: a target outside the domain). */
static const char *accept_targets[16];
static int n_accept_targets;

static uint8_t accepted_target(const char *host) {
    for (int i = 0; i < n_accept_targets; i++)
        if (!strcmp(accept_targets[i], host)) return 1;
    return 0;
}

/* TLS on fd for the probe; writes the mailsrv_tls_outcome the negotiator needs. */
static SSL *start_tls(SSL_CTX *ctx, int fd, const mailsrv_plan *plan, uint32_t side, size_t index,
                      const mailsrv_candidate *c, mailsrv_certificates *anchors, uint64_t now, int64_t deadline,
                      uint32_t *outcome) {
    SSL *ssl = NULL;
    mailsrv_verdict *v = NULL;
    tls_verify(ctx, fd, plan, side, index, c, anchors, now, deadline, &ssl, &v);
    /* The verdict -> negotiator rule is the core's: VERIFIED, USER_CONFIRMED (a needs-confirmation
     * verdict for a host the user accepted with --accept-target) or NOT_VERIFIED. */
    *outcome = MAILSRV_TLS_NOT_VERIFIED;
    if (v) {
        say("    certificate: %s\n", mailsrv_verdict_message(v).data);
        if (host_check("mailsrv_verdict_tls_outcome", mailsrv_verdict_tls_outcome(v, accepted_target(c->host.data), outcome)) != 0)
            *outcome = MAILSRV_TLS_NOT_VERIFIED;
    }
    mailsrv_verdict_free(v);
    return ssl;
}

/* The probe's connection (a non-blocking socket): TLS once it is up, else the plain socket; the
 * candidate's deadline, the bytes it may still read (mailsrv_max_connection_bytes() at first)
 * and, once an I/O call failed, why (a host code of the core's table: TIMEOUT, TOO_MUCH_DATA,
 * NETWORK_ERROR). */
struct conn {
    int fd;
    SSL *ssl;
    int64_t deadline;
    size_t left;
    mailsrv_result error;
};

/* Records why the connection failed (the first reason wins); returns 0 for the callers. */
static int conn_failed(struct conn *c, mailsrv_result why) {
    if (c->error == MAILSRV_RESULT_OK) c->error = why;
    return 0;
}

/* Waits for the socket until the deadline; 0 (with the reason recorded) when it cannot. */
static int conn_wait(struct conn *c, short events) {
    int r = wait_fd(c->fd, events, c->deadline);
    return r == 1 ? 1 : conn_failed(c, r == 0 ? MAILSRV_RESULT_TIMEOUT : MAILSRV_RESULT_NETWORK_ERROR);
}

static int conn_write(void *ctx, const uint8_t *bytes, size_t n) {
    struct conn *c = ctx;
    while (n > 0) {
        if (c->ssl) {
            int w = SSL_write(c->ssl, bytes, (int)n);
            if (w > 0) { bytes += w; n -= (size_t)w; continue; }
            if (!ssl_again(c->ssl, w, c->deadline))
                return conn_failed(c, ms_left(c->deadline) == 0 ? MAILSRV_RESULT_TIMEOUT : MAILSRV_RESULT_NETWORK_ERROR);
        } else {
            ssize_t w = send(c->fd, bytes, n, 0);
            if (w > 0) { bytes += w; n -= (size_t)w; continue; }
            if (w < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) return conn_failed(c, MAILSRV_RESULT_NETWORK_ERROR);
            if (!conn_wait(c, POLLOUT)) return 0;
        }
    }
    return 1;
}

/* Reads what is there (waiting until the deadline for something); counts it against the cap. */
static int conn_read(void *ctx, uint8_t *buf, size_t cap) {
    struct conn *c = ctx;
    for (;;) {
        int got;
        if (c->ssl) {
            got = SSL_read(c->ssl, buf, (int)cap);
            if (got <= 0) {
                int e = SSL_get_error(c->ssl, got);
                if (e == SSL_ERROR_ZERO_RETURN) return conn_failed(c, MAILSRV_RESULT_NETWORK_ERROR) - 1;
                if (!ssl_again(c->ssl, got, c->deadline))
                    return conn_failed(c, ms_left(c->deadline) == 0 ? MAILSRV_RESULT_TIMEOUT : MAILSRV_RESULT_NETWORK_ERROR) - 1;
                continue;
            }
        } else {
            ssize_t r = recv(c->fd, buf, cap, 0);
            if (r == 0) return conn_failed(c, MAILSRV_RESULT_NETWORK_ERROR) - 1;
            if (r < 0) {
                if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) return conn_failed(c, MAILSRV_RESULT_NETWORK_ERROR) - 1;
                if (!conn_wait(c, POLLIN)) return -1;
                continue;
            }
            got = (int)r;
        }
        if ((size_t)got > c->left) return conn_failed(c, MAILSRV_RESULT_TOO_MUCH_DATA) - 1;
        c->left -= (size_t)got;
        return got;
    }
}

/* Carries out SEND and NEED_MORE steps (host_exchange.h) until the negotiator asks for something
 * else; returns 0 when the connection or a mailsrv call fails (said on stdout with the core's
 * name and text for the reason, and on stderr for a call). */
static int exchange(mailsrv_negotiator *n, struct conn *c, mailsrv_step *s) {
    struct host_io io = {c, conn_write, conn_read};
    switch (host_exchange(n, &io, s)) {
    case HOST_EXCHANGE_STEP: return 1;
    case HOST_EXCHANGE_IO_FAILED: {
        mailsrv_result why = c->error != MAILSRV_RESULT_OK ? c->error : MAILSRV_RESULT_NETWORK_ERROR;
        say("    error %s: %s\n", mailsrv_result_name(why), mailsrv_result_message(why));
        return 0;
    }
    default: say("    stopped: a mailsrv call failed\n"); return 0;
    }
}

/* Logs in over ssl with the candidate's usernames in order (the full address, then the local
 * part; RFC 6186 §4); returns 1 when one is accepted. The negotiator refuses (ABORT) unless TLS
 * is up with a verified certificate, and then nothing is sent. */
static int login_with(mailsrv_negotiator *n, struct conn *conn, const mailsrv_plan *plan, uint32_t side, size_t index,
                      const mailsrv_candidate *c, const char *password) {
    for (size_t u = 0; u < c->username_count; u++) {
        mailsrv_str user;
        mailsrv_step s;
        if (host_check("mailsrv_plan_candidate_username", mailsrv_plan_candidate_username(plan, side, index, u, &user)) != 0 ||
            host_check("mailsrv_negotiator_login",
                       mailsrv_negotiator_login(n, (const uint8_t *)user.data, user.len, (const uint8_t *)password,
                                                strlen(password), &s)) != 0 ||
            !exchange(n, conn, &s))
            return 0;
        if (s.kind == MAILSRV_STEP_LOGGED_IN) {
            say("    login ok as %s\n", user.data);
            return 1;
        }
        if (s.kind != MAILSRV_STEP_LOGIN_FAILED) {
            say("    login aborted (%s)%s%s\n", mailsrv_abort_reason_name(s.abort_reason), s.text.len ? ": untrusted server text: " : "", s.text.data);
            return 0;
        }
        say("    login refused for %s\n", user.data);
    }
    return 0;
}

/* Probes one candidate (and logs in when password is not NULL); returns 1 when it works. */
static int probe_one(const mailsrv_plan *plan, uint32_t side, size_t index, mailsrv_certificates *anchors,
                     uint64_t now, const char *server, int timeout_ms, const char *password) {
    /* The candidate's deadline: --timeout from now, never past the total one. */
    int64_t deadline = now_ms() + timeout_ms;
    if (deadline > total_deadline) deadline = total_deadline;
    mailsrv_candidate c;
    if (host_check("mailsrv_plan_candidate", mailsrv_plan_candidate(plan, side, index, &c)) != 0 || c.security == MAILSRV_SECURITY_CLEARTEXT) return 0;
    say("  %s:%u %s\n", c.host.data, (unsigned)c.port, mailsrv_security_name(c.security));
    char address[256];
    int found = address_of(plan, side, index, &c, server, deadline, address, sizeof address);
    if (ms_left(deadline) == 0) {
        say("    error %s: %s\n", mailsrv_result_name(MAILSRV_RESULT_TIMEOUT), mailsrv_result_message(MAILSRV_RESULT_TIMEOUT));
        return 0;
    }
    if (found != 0) {
        if (print_no_address(0, "    error ", &c) != 0) say("    stopped: a mailsrv call failed\n");
        return 0;
    }
    int fd = connect_to(c.host.data, address, c.port, deadline);
    if (fd < 0) { say("    cannot connect\n"); return 0; }
    struct conn conn = {fd, NULL, deadline, mailsrv_max_connection_bytes(), MAILSRV_RESULT_OK};
    mailsrv_negotiator *n = NULL;
    if (host_check("mailsrv_negotiator_new", mailsrv_negotiator_new(c.protocol, c.security, (const uint8_t *)"localhost", 9, &n)) != 0) {
        close(fd);
        return 0;
    }
    SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
    SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
    SSL *ssl = NULL;
    mailsrv_step s;
    int works = 0;
    int started = host_check("mailsrv_negotiator_start", mailsrv_negotiator_start(n, &s)) == 0;
    if (!started) say("    stopped: a mailsrv call failed\n");
    while (started && exchange(n, &conn, &s)) {
        if (s.kind == MAILSRV_STEP_START_TLS || s.kind == MAILSRV_STEP_AWAIT_TLS) {
            uint32_t outcome;
            ssl = start_tls(ctx, fd, plan, side, index, &c, anchors, now, deadline, &outcome);
            conn.ssl = ssl;
            if (!ssl) {
                mailsrv_result why = ms_left(deadline) == 0 ? MAILSRV_RESULT_TIMEOUT : MAILSRV_RESULT_TLS_FAILED;
                say("    error %s: %s\n", mailsrv_result_name(why), mailsrv_result_message(why));
                break;
            }
            if (host_check("mailsrv_negotiator_tls_established", mailsrv_negotiator_tls_established(n, outcome, &s)) != 0) {
                say("    stopped: a mailsrv call failed\n");
                break;
            }
        } else if (s.kind == MAILSRV_STEP_DONE) {
            char caps[2048];
            size_t len = 0;
            if (host_check("mailsrv_negotiator_capabilities_json",
                           mailsrv_negotiator_capabilities_json(n, (uint8_t *)caps, sizeof caps - 1, &len)) != 0) {
                say("    stopped: a mailsrv call failed\n");
                break;
            }
            caps[len] = '\0';
            say("    ok: %s\n", caps);
            works = password ? login_with(n, &conn, plan, side, index, &c, password) : 1;
            break;
        } else {
            say("    aborted (%s)%s%s\n", mailsrv_abort_reason_name(s.abort_reason), s.text.len ? ": untrusted server text: " : "", s.text.data);
            break;
        }
    }
    if (ssl) { SSL_shutdown(ssl); SSL_free(ssl); }
    SSL_CTX_free(ctx);
    mailsrv_negotiator_free(n);
    close(fd);
    return works;
}

/* The plan's diagnostics, one "  [CODE] message" line each. */
static void print_diagnostics(const mailsrv_plan *plan) {
    for (size_t i = 0; i < mailsrv_plan_diagnostic_count(plan); i++) {
        mailsrv_str code, message;
        if (host_check("mailsrv_plan_diagnostic", mailsrv_plan_diagnostic(plan, i, &code, &message)) != 0) die("cannot read the plan");
        say("  [%s] %s\n", code.data, message.data);
    }
}

/* Probes every side with candidates; a side without any says so, and the plan's diagnostics say
 * why. Returns the exit code. */
static int probe_plan(const mailsrv_plan *plan, const char *anchors_path, uint64_t now, const char *server, int timeout_ms,
                      const char *password) {
    mailsrv_certificates *anchors = load_anchors(anchors_path);
    uint32_t sides[] = {MAILSRV_SIDE_INCOMING, MAILSRV_SIDE_OUTGOING};
    const char *names[] = {"incoming", "outgoing"};
    uint8_t works[2] = {0, 0};
    int none = 0;
    for (size_t s = 0; s < 2; s++) {
        size_t count = mailsrv_plan_candidate_count(plan, sides[s]);
        if (count == 0) {
            say("%s: no candidates\n", names[s]);
            none = 1;
            continue;
        }
        say("%s:\n", names[s]);
        for (size_t i = 0; i < count && !works[s]; i++) works[s] = (uint8_t)probe_one(plan, sides[s], i, anchors, now, server, timeout_ms, password);
    }
    mailsrv_certificates_free(anchors);
    /* Why a side has nothing to probe (a lookup failed, no records, ...): the plan says. */
    if (none) print_diagnostics(plan);
    uint8_t status = 1;
    if (mailsrv_plan_exit_status(plan, 1, works[0], works[1], &status) != MAILSRV_RESULT_OK) die("cannot decide the exit status");
    return status;
}

/* A side's candidates; a side without any says its status (`status`, NULL for the
 * alternatives: nothing is printed then). */
static void print_side(const mailsrv_plan *plan, uint32_t side, const char *title, const char *status) {
    size_t n = mailsrv_plan_candidate_count(plan, side);
    if (n == 0) {
        if (status) say("%s: %s, no candidates\n", title, status);
        return;
    }
    say("%s:\n", title);
    for (size_t i = 0; i < n; i++) {
        mailsrv_candidate c;
        if (host_check("mailsrv_plan_candidate", mailsrv_plan_candidate(plan, side, i, &c)) != 0) die("cannot read the plan");
        say("  %2zu. %s:%u %s (priority %u, weight %u, %s)\n", i + 1, c.host.data, (unsigned)c.port,
               mailsrv_security_name(c.security), (unsigned)c.priority, (unsigned)c.weight, mailsrv_trust_name(c.trust));
        mailsrv_str why;
        if (host_check("mailsrv_plan_candidate_why", mailsrv_plan_candidate_why(plan, side, i, &why)) != 0) die("cannot read the plan");
        say("      why: %s\n", why.data);
        mailsrv_str from, confirm;
        if (host_check("mailsrv_plan_candidate_from", mailsrv_plan_candidate_from(plan, side, i, &from)) != 0 ||
            host_check("mailsrv_plan_candidate_confirm", mailsrv_plan_candidate_confirm(plan, side, i, &confirm)) != 0)
            die("cannot read the plan");
        say("      from: %s\n", from.data);
        if (confirm.len) say("      confirm: the user must confirm %s\n", confirm.data);
    }
}

/* --connect-to rules, passed to libcurl as they are (CURLOPT_CONNECT_TO). */
static struct curl_slist *connect_rules;

/* The command line. */
struct args {
    const char *zones[32];
    int secure[32];
    int nzones, json, verify, probe, timeout_ms, total_timeout_ms;
    const char *server, *email, *anchors, *password;
    const char *fixtures, *sources, *ispdb, *http_anchors;
    unsigned long long seed;
    uint64_t now;
    int now_given;
    char *trust_anchor; /* the --trust-anchor file's text (options.trust_anchors views it) */
    mailsrv_options options;
};

/* A numeric option's value (`--timeout`, `--total-timeout`, `--seed`), read by the core's rule,
 * the same as the JS CLI's: decimal digits within the option's bounds (milliseconds from 1 to
 * 2147483647, which fits an int; a seed from 0 to 2^64-1). Anything else is a usage error with
 * the core's message, e.g. "`--timeout` must be a whole number of milliseconds from 1 to
 * 2147483647, not `1e3`". */
static uint64_t number_of(const char *arg, const char *text) {
    const uint8_t *option = (const uint8_t *)arg + 2, *value = (const uint8_t *)text;
    size_t option_len = strlen(arg) - 2, value_len = strlen(text);
    uint64_t v = 0;
    mailsrv_result r = mailsrv_number_value(option, option_len, value, value_len, &v);
    if (r == MAILSRV_RESULT_OK) return v;
    char why[512];
    size_t n = 0;
    if (mailsrv_number_error(option, option_len, value, value_len, (uint8_t *)why, sizeof why, &n) == MAILSRV_RESULT_OK && n > 0)
        fprintf(stderr, "mailsrv-plan: %.*s\n", (int)n, why);
    else
        fprintf(stderr, "mailsrv-plan: %s: `%s`: %s (%s)\n", arg, text, mailsrv_result_name(r), mailsrv_result_message(r));
    exit(MAILSRV_EXIT_USAGE);
}

/* Parses the command line into *a (options start from the library's defaults); exits with the
 * usage status on an error. */
static void parse_args(int argc, char **argv, struct args *a) {
    memset(a, 0, sizeof *a);
    a->timeout_ms = 3000;
    a->total_timeout_ms = (int)mailsrv_default_total_timeout_ms();
    a->anchors = "/etc/ssl/certs/ca-certificates.crt";
    a->seed = (unsigned long long)time(NULL) ^ ((unsigned long long)getpid() << 32);
    a->now = (uint64_t)time(NULL);
    if (host_check("mailsrv_options_default", mailsrv_options_default(&a->options)) != 0) die("cannot get default options");
    const char *password_env = NULL;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        const char *next = i + 1 < argc ? argv[i + 1] : NULL;
        if ((!strcmp(arg, "--zone") || !strcmp(arg, "--secure-zone")) && next && a->nzones < 32) {
            a->secure[a->nzones] = !strcmp(arg, "--secure-zone");
            a->zones[a->nzones++] = next;
            i++;
        } else if (!strcmp(arg, "--server") && next) { a->server = next; i++; }
        else if (!strcmp(arg, "--timeout") && next) { a->timeout_ms = (int)number_of(arg, next); i++; }
        else if (!strcmp(arg, "--total-timeout") && next) { a->total_timeout_ms = (int)number_of(arg, next); i++; }
        else if (!strcmp(arg, "--seed") && next) { a->seed = number_of(arg, next); i++; }
        else if (!strcmp(arg, "--anchors") && next) { a->anchors = next; i++; }
        else if (!strcmp(arg, "--fixtures") && next) { a->fixtures = next; i++; }
        else if (!strcmp(arg, "--sources") && next) { a->sources = next; i++; }
        else if (!strcmp(arg, "--ispdb") && next) { a->ispdb = next; i++; }
        else if (!strcmp(arg, "--http-anchors") && next) { a->http_anchors = next; i++; }
        else if (!strcmp(arg, "--connect-to") && next) {
            struct curl_slist *more = curl_slist_append(connect_rules, next);
            if (!more) die("out of memory");
            connect_rules = more;
            i++;
        }
        else if (!strcmp(arg, "--password-env") && next) { password_env = next; i++; }
        else if (!strcmp(arg, "--accept-target") && next && n_accept_targets < 16) { accept_targets[n_accept_targets++] = next; i++; }
        else if (!strcmp(arg, "--now") && next) {
            /* The core reads it: seconds, or an RFC 3339 UTC time. */
            mailsrv_result r = mailsrv_parse_now((const uint8_t *)next, strlen(next), &a->now);
            if (r != MAILSRV_RESULT_OK) {
                fprintf(stderr, "mailsrv-plan: --now: `%s`: %s (%s)\n", next, mailsrv_result_name(r), mailsrv_result_message(r));
                exit(MAILSRV_EXIT_USAGE);
            }
            a->now_given = 1;
            i++;
        }
        else if (!strcmp(arg, "--trust-anchor") && next) {
            free(a->trust_anchor);
            size_t len = 0;
            a->trust_anchor = read_file(next, &len);
            if (!a->trust_anchor) { fprintf(stderr, "mailsrv-plan: cannot read trust-anchor file %s\n", next); exit(MAILSRV_EXIT_USAGE); }
            a->options.trust_anchors = (const uint8_t *)a->trust_anchor;
            a->options.trust_anchors_len = len;
            i++;
        }
        else if (!strcmp(arg, "--tlsa") && next && n_tlsa < sizeof tlsa_records / sizeof tlsa_records[0]) {
            tlsa_records[n_tlsa++] = (mailsrv_bytes){(const uint8_t *)next, strlen(next)};
            i++;
        }
        else if (!strcmp(arg, "--json")) a->json = 1;
        else if (!strcmp(arg, "--verify")) a->verify = 1;
        else if (!strcmp(arg, "--probe")) a->probe = 1;
        else if (!strcmp(arg, "--trust-ad")) a->options.trust_ad = 1;
        else if (!strcmp(arg, "--allow-cleartext")) a->options.minimum_security = MAILSRV_MIN_SECURITY_CLEARTEXT;
        else if (!strcmp(arg, "--implicit-tls-only")) a->options.minimum_security = MAILSRV_MIN_SECURITY_IMPLICIT_TLS;
        else if ((!strcmp(arg, "--tls-order") || !strcmp(arg, "--prefer")) && next) {
            /* The core parses the value (and says which values there are). */
            if (mailsrv_options_set(&a->options, (const uint8_t *)arg + 2, strlen(arg) - 2,
                                    (const uint8_t *)next, strlen(next)) != MAILSRV_RESULT_OK) {
                fprintf(stderr, "mailsrv-plan: %s: `%s` is not one of its values\n", arg, next);
                exit(MAILSRV_EXIT_USAGE);
            }
            i++;
        } else if (arg[0] != '-' && !a->email) a->email = arg;
        else die("usage: mailsrv-plan [--zone FILE]... [--secure-zone FILE]... [--server IP[:PORT]] [--timeout MS] [--total-timeout MS] [--seed N] [--json] [--trust-ad] [--allow-cleartext | --implicit-tls-only] [--tls-order implicit-first|domain-priority] [--prefer imap|pop3] [--fixtures DIR] [--sources LIST] [--ispdb URL] [--http-anchors CA.pem] [--connect-to HOST:PORT:ADDR:PORT]... [--trust-anchor FILE] [--now RFC3339|SECONDS] [--verify [--anchors CA.pem] [--tlsa \"U S M HEX\"]...] [--probe [--anchors CA.pem] [--password-env VAR] [--accept-target HOST]...] EMAIL");
    }
    if (!a->email) die("an email address is required");
    /* --trust-anchor or --now turns on the core's DNSSEC validation (as in the Rust example):
     * anchors from the file (else the IANA root anchors built into the library), signatures
     * checked at --now (else this machine's clock). */
    if (a->trust_anchor || a->now_given) {
        a->options.validate_dnssec = 1;
        a->options.dnssec_now = a->now;
    }
    if (n_tlsa > 0 && !a->verify) die("--tlsa needs --verify (the records are those of the verified candidate)");
    if (password_env) {
        if (!a->probe) die("--password-env needs --probe");
        a->password = getenv(password_env);
        if (!a->password) die("--password-env: the environment variable is not set");
    }
    /* A random message-ID base for UDP. */
    if (a->server) a->options.message_id_base = (uint16_t)(a->seed ^ (a->seed >> 16));
}

/* Answers the discovery's questions from the --zone files; exits with the usage status when a
 * file cannot be read or loaded. */
static void resolve_with_zones(mailsrv_discovery *d, const struct args *a) {
    mailsrv_zone_host *host = NULL;
    if (host_check("mailsrv_zone_host_new", mailsrv_zone_host_new(&host)) != 0) die("cannot create the zone host");
    for (int i = 0; i < a->nzones; i++) {
        size_t len = 0;
        char *text = read_file(a->zones[i], &len);
        if (!text) { fprintf(stderr, "mailsrv-plan: cannot read zone file %s\n", a->zones[i]); exit(MAILSRV_EXIT_USAGE); }
        mailsrv_result r = mailsrv_zone_host_add_zone(host, (const uint8_t *)text, len, (uint8_t)a->secure[i]);
        free(text);
        if (r != MAILSRV_RESULT_OK) { fprintf(stderr, "mailsrv-plan: %s: %s\n", a->zones[i], mailsrv_result_message(r)); exit(MAILSRV_EXIT_USAGE); }
    }
    mailsrv_result r = mailsrv_zone_host_resolve(host, d);
    mailsrv_zone_host_free(host);
    if (r != MAILSRV_RESULT_OK) die(mailsrv_result_message(r));
}

/* ---- HTTP: offline from --fixtures, or libcurl ------------------------------------------------ */

/* A file under dir, or NULL (with *len 0) when it cannot be read. */
static char *read_under(const char *dir, const char *relative, const char *suffix, size_t *len) {
    size_t n = strlen(dir) + strlen(relative) + strlen(suffix) + 2;
    char *path = malloc(n);
    if (!path) die("out of memory");
    snprintf(path, n, "%s/%s%s", dir, relative, suffix);
    *len = 0;
    char *text = read_file(path, len);
    free(path);
    return text;
}

/* Answers request r from dir by the core's rules (which file, which status and content type). */
static void answer_from_fixtures(mailsrv_discovery *d, const mailsrv_http_request *r, const char *dir) {
    char relative[4096];
    size_t n = 0;
    if (mailsrv_http_fixture_path((const uint8_t *)r->url.data, r->url.len, (uint8_t *)relative, sizeof relative - 1, &n) != MAILSRV_RESULT_OK) n = 0;
    relative[n] = '\0';
    size_t body_len = 0, type_len = 0;
    char *body = n ? read_under(dir, relative, "", &body_len) : NULL;
    char *type_file = body ? read_under(dir, relative, mailsrv_http_fixture_content_type_suffix(), &type_len) : NULL;
    if (body && body_len > mailsrv_http_max_body_bytes()) {
        if (host_check("mailsrv_discovery_fail_http", mailsrv_discovery_fail_http(d, r->id, MAILSRV_HTTP_TOO_LARGE)) != 0) die("cannot feed a response");
    } else {
        uint16_t status = 0;
        char type[256];
        size_t tn = 0;
        if (host_check("mailsrv_http_fixture_status",
                       mailsrv_http_fixture_status(body != NULL, (const uint8_t *)type_file, type_len, &status, (uint8_t *)type, sizeof type, &tn)) != 0)
            die("cannot answer from the fixtures");
        uint32_t outcome = 0;
        if (host_check("mailsrv_discovery_receive_http",
                       mailsrv_discovery_receive_http(d, r->id, status, (const uint8_t *)type, tn, (const uint8_t *)body, body_len, &outcome)) != 0)
            die("cannot feed a response");
    }
    free(body);
    free(type_file);
}

/* The body of one transfer, kept only for a 2xx status (the core reads no other) and only up to
 * the core's cap: past it the transfer stops and the request fails as too large. */
struct body {
    CURL *curl;
    unsigned char *data;
    size_t len, max;
    int too_large;
};

static size_t on_body(char *bytes, size_t size, size_t count, void *arg) {
    struct body *b = arg;
    size_t n = size * count;
    long status = 0;
    curl_easy_getinfo(b->curl, CURLINFO_RESPONSE_CODE, &status);
    if (status < 200 || status > 299) return n;
    if (n > b->max - b->len) { b->too_large = 1; return 0; }
    unsigned char *grown = realloc(b->data, b->len + n);
    if (!grown) return 0;
    memcpy(grown + b->len, bytes, n);
    b->data = grown;
    b->len += n;
    return n;
}

/* libcurl's failure as the core's HTTP failure. */
static uint32_t http_failure_of(CURLcode rc, const struct body *b) {
    if (b->too_large) return MAILSRV_HTTP_TOO_LARGE;
    switch (rc) {
    case CURLE_OPERATION_TIMEDOUT: return MAILSRV_HTTP_TIMEOUT;
    case CURLE_SSL_CONNECT_ERROR: case CURLE_PEER_FAILED_VERIFICATION: case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER: case CURLE_SSL_CACERT_BADFILE: case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH: case CURLE_SSL_INVALIDCERTSTATUS:
        return MAILSRV_HTTP_TLS_ERROR;
    default: break;
    }
    return MAILSRV_HTTP_NETWORK_ERROR;
}

/* ---- HTTP over libcurl: every request in flight at once, beside the DNS questions ------------- */

/* One request in flight: its core id, the URL it was made for (the redirect rule's start), the
 * URL now being fetched, the redirects followed so far and the body so far. */
struct transfer {
    uint16_t id;
    char *first, *url;
    size_t hops;
    struct body b;
    struct transfer *next; /* the list of transfers in flight */
};

/* The discovery's transfers, driven by one libcurl multi handle. `started` counts the core's
 * requests already begun (an MX answer adds requests while DNS is still running). */
static struct {
    CURLM *multi;
    mailsrv_discovery *d;
    const char *anchors;
    size_t started, running;
    struct transfer *live; /* in flight, each with its handle in b.curl */
} web;

static void transfer_free(struct transfer *t) {
    free(t->b.data);
    free(t->url);
    free(t->first);
    free(t);
}

/* Reports t failed to the core and frees it. */
static void transfer_fail(struct transfer *t, uint32_t failure) {
    if (host_check("mailsrv_discovery_fail_http", mailsrv_discovery_fail_http(web.d, t->id, failure)) != 0) die("cannot feed a failure");
    transfer_free(t);
}

/* Starts fetching t->url on a fresh handle, with what is left of the total deadline. */
static void transfer_start(struct transfer *t) {
    int left = ms_left(total_deadline);
    CURL *curl = left == 0 ? NULL : curl_easy_init();
    if (!curl) {
        transfer_fail(t, MAILSRV_HTTP_TIMEOUT);
        return;
    }
    t->b = (struct body){curl, NULL, 0, mailsrv_http_max_body_bytes(), 0};
    curl_easy_setopt(curl, CURLOPT_URL, t->url);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https"); /* which one: the core's URLs and redirect rule */
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, (long)left);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &t->b);
    curl_easy_setopt(curl, CURLOPT_PRIVATE, t);
    if (web.anchors) curl_easy_setopt(curl, CURLOPT_CAINFO, web.anchors);
    if (connect_rules) curl_easy_setopt(curl, CURLOPT_CONNECT_TO, connect_rules);
    if (curl_multi_add_handle(web.multi, curl) != CURLM_OK) {
        curl_easy_cleanup(curl);
        transfer_fail(t, MAILSRV_HTTP_NETWORK_ERROR);
        return;
    }
    t->next = web.live;
    web.live = t;
    web.running++;
}

/* Takes t off the list of transfers in flight and frees its handle. */
static void transfer_unlink(struct transfer *t) {
    for (struct transfer **p = &web.live; *p; p = &(*p)->next)
        if (*p == t) { *p = t->next; break; }
    curl_multi_remove_handle(web.multi, t->b.curl);
    curl_easy_cleanup(t->b.curl);
    t->b.curl = NULL;
    web.running--;
}

/* A transfer ended with rc: feeds the response, follows a redirect the core allows (https only,
 * unless the request was plain HTTP; at most mailsrv_http_max_redirects()) or reports the
 * failure. */
static void transfer_done(struct transfer *t, CURLcode rc) {
    CURL *curl = t->b.curl;
    long status = 0;
    char *location = NULL, *type = NULL;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_getinfo(curl, CURLINFO_REDIRECT_URL, &location);
    curl_easy_getinfo(curl, CURLINFO_CONTENT_TYPE, &type);
    uint32_t failure = MAILSRV_HTTP_NETWORK_ERROR;
    int failed = 0;
    char *next = NULL;
    if (rc != CURLE_OK) {
        failed = 1;
        failure = http_failure_of(rc, &t->b);
    } else if ((status == 301 || status == 302 || status == 303 || status == 307 || status == 308) && location) {
        if (!mailsrv_http_redirect_allowed((const uint8_t *)t->first, strlen(t->first), (const uint8_t *)location, strlen(location)))
            failed = 1, failure = MAILSRV_HTTP_INSECURE_REDIRECT;
        else if (t->hops >= mailsrv_http_max_redirects())
            failed = 1;
        else if (!(next = strdup(location)))
            die("out of memory");
    } else {
        uint32_t outcome = 0;
        if (host_check("mailsrv_discovery_receive_http",
                       mailsrv_discovery_receive_http(web.d, t->id, (uint16_t)status, (const uint8_t *)type, type ? strlen(type) : 0,
                                                      t->b.data, t->b.len, &outcome)) != 0)
            die("cannot feed a response");
    }
    transfer_unlink(t); /* location and type die with the handle */
    if (failed) {
        transfer_fail(t, failure);
    } else if (next) {
        free(t->b.data);
        free(t->url);
        t->url = next;
        t->hops++;
        transfer_start(t);
    } else {
        transfer_free(t);
    }
}

/* Begins every request of the discovery not begun yet. */
static void web_start_new(void) {
    if (!web.multi) return;
    for (; web.started < mailsrv_discovery_request_count(web.d); web.started++) {
        mailsrv_http_request r;
        if (host_check("mailsrv_discovery_request", mailsrv_discovery_request(web.d, web.started, &r)) != 0) die("cannot read a request");
        struct transfer *t = calloc(1, sizeof *t);
        if (!t || !(t->first = strndup(r.url.data, r.url.len)) || !(t->url = strdup(t->first))) die("out of memory");
        t->id = r.id;
        transfer_start(t);
    }
}

/* Lets libcurl move every transfer on, then handles those that ended and begins new requests. */
static void web_pump(void) {
    if (!web.multi) return;
    int still = 0;
    curl_multi_perform(web.multi, &still);
    CURLMsg *m;
    int left = 0;
    while ((m = curl_multi_info_read(web.multi, &left))) {
        if (m->msg != CURLMSG_DONE) continue;
        struct transfer *t = NULL;
        CURLcode rc = m->data.result;
        curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&t);
        transfer_done(t, rc);
    }
    web_start_new();
}

/* Waits up to wait_ms for one of fds (c-ares's sockets) or, while transfers run, for libcurl;
 * fills fds' revents; returns what poll() returns. libcurl is moved on before returning. */
static int web_wait(struct pollfd *fds, nfds_t n, int wait_ms) {
    if (!web.multi || web.running == 0) return poll(fds, n, wait_ms);
    long curl_ms = -1;
    curl_multi_timeout(web.multi, &curl_ms);
    if (curl_ms >= 0 && curl_ms < wait_ms) wait_ms = (int)curl_ms;
    struct curl_waitfd extra[ARES_GETSOCK_MAXNUM];
    for (nfds_t i = 0; i < n && i < ARES_GETSOCK_MAXNUM; i++) {
        extra[i] = (struct curl_waitfd){fds[i].fd, 0, 0};
        if (fds[i].events & POLLIN) extra[i].events |= CURL_WAIT_POLLIN;
        if (fds[i].events & POLLOUT) extra[i].events |= CURL_WAIT_POLLOUT;
    }
    if (curl_multi_wait(web.multi, extra, (unsigned)n, wait_ms, NULL) != CURLM_OK) return -1;
    web_pump();
    return n ? poll(fds, n, 0) : 0; /* which of c-ares's sockets are ready, without waiting */
}

/* Runs the transfers still in flight to their end or to the total deadline, when those left
 * are reported as timed out. */
static void web_finish(void) {
    if (!web.multi) return;
    web_pump();
    while (web.running > 0) {
        int left = ms_left(total_deadline);
        if (left == 0) {
            while (web.live) {
                struct transfer *t = web.live;
                transfer_unlink(t);
                transfer_fail(t, MAILSRV_HTTP_TIMEOUT);
            }
            break;
        }
        if (web_wait(NULL, 0, left) < 0 && errno != EINTR) die("cannot wait for the HTTP transfers");
    }
    curl_multi_cleanup(web.multi);
    web.multi = NULL;
}

/* Answers the requests from --fixtures, or begins them all with libcurl (DNS then runs beside
 * them, and requests the MX answer adds begin as soon as it is fed). */
static void web_begin(mailsrv_discovery *d, const struct args *a) {
    if (a->fixtures) {
        /* Offline: after DNS, so that the MX-derived requests are known; see web_finish. */
        return;
    }
    web.multi = curl_multi_init();
    if (!web.multi) die("cannot initialise libcurl");
    web.d = d;
    web.anchors = a->http_anchors;
    web.started = web.running = 0;
    web.live = NULL;
    web_start_new();
}

/* Answers every request from the fixture folder (the MX answer's included). */
static void answer_from_fixture_dir(mailsrv_discovery *d, const char *dir) {
    for (size_t i = 0; i < mailsrv_discovery_request_count(d); i++) {
        mailsrv_http_request r;
        if (host_check("mailsrv_discovery_request", mailsrv_discovery_request(d, i, &r)) != 0) die("cannot read a request");
        answer_from_fixtures(d, &r, dir);
    }
}

/* Runs the discovery (zone files or c-ares, then the HTTP requests) and returns its plan; exits
 * on an error. */
static mailsrv_plan *discover(const struct args *a) {
    mailsrv_discovery *d = NULL;
    /* The core chooses the sources: --sources, else its default with --fixtures, else SRV only. */
    mailsrv_result r = mailsrv_discovery_new_sources((const uint8_t *)a->email, strlen(a->email), &a->options,
                                                     (const uint8_t *)a->sources, a->sources ? strlen(a->sources) : 0,
                                                     a->fixtures != NULL, (const uint8_t *)a->ispdb, a->ispdb ? strlen(a->ispdb) : 0, &d);
    if (r != MAILSRV_RESULT_OK) {
        fprintf(stderr, "mailsrv-plan: %s: %s\n", mailsrv_result_name(r), mailsrv_result_message(r));
        exit(MAILSRV_EXIT_USAGE);
    }
    web_begin(d, a);
    if (a->nzones > 0) resolve_with_zones(d, a);
    else resolve_with_cares(d, a->server, a->timeout_ms);
    if (a->fixtures) answer_from_fixture_dir(d, a->fixtures);
    else web_finish();
    mailsrv_plan *plan = NULL;
    if (host_check("mailsrv_discovery_plan", mailsrv_discovery_plan(d, (uint64_t)a->seed, &plan)) != 0) die("cannot build the plan");
    mailsrv_discovery_free(d);
    return plan;
}

/* Prints the plan (JSON, or the candidates, their reasons and the diagnostics); returns the
 * exit status the core gives it. */
static int print_plan(const mailsrv_plan *plan, int json) {
    if (json) {
        size_t need = 0;
        mailsrv_result r = mailsrv_plan_json(plan, 1, NULL, 0, &need);
        if (r != MAILSRV_RESULT_INSUFFICIENT_SIZE && host_check("mailsrv_plan_json", r) != 0) die("cannot write JSON");
        char *text = malloc(need + 1);
        if (!text || host_check("mailsrv_plan_json", mailsrv_plan_json(plan, 1, (uint8_t *)text, need, &need)) != 0) die("cannot write JSON");
        say("%.*s\n", (int)need, text);
        free(text);
    } else {
        mailsrv_str e = mailsrv_plan_email(plan);
        say("Mail servers for %s\n", e.data);
        uint32_t protocol = 0, incoming = 0, outgoing = 0;
        if (host_check("mailsrv_plan_summary", mailsrv_plan_summary(plan, &protocol, &incoming, &outgoing)) != 0) die("cannot read the plan");
        print_side(plan, MAILSRV_SIDE_INCOMING, "Incoming", mailsrv_status_name(incoming));
        print_side(plan, MAILSRV_SIDE_ALTERNATIVE, "Alternative incoming (only if the user chooses it)", NULL);
        print_side(plan, MAILSRV_SIDE_OUTGOING, "Outgoing", mailsrv_status_name(outgoing));
        print_diagnostics(plan);
        say("Lookups:\n");
        for (size_t i = 0; i < mailsrv_plan_lookup_count(plan); i++) {
            mailsrv_lookup l;
            if (host_check("mailsrv_plan_lookup", mailsrv_plan_lookup(plan, i, &l)) != 0) die("cannot read the plan");
            say("  %-40s %-14s %zu record(s), %s\n", l.name.data, mailsrv_outcome_name(l.outcome), l.records, mailsrv_dnssec_name(l.dnssec));
        }
    }
    uint8_t status = 1;
    if (host_check("mailsrv_plan_exit_status", mailsrv_plan_exit_status(plan, 0, 0, 0, &status)) != 0) die("cannot decide the exit status");
    return status;
}

int main(int argc, char **argv) {
    signal(SIGPIPE, SIG_IGN); /* write errors are checked instead: see stdout_failed() */
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) die("cannot initialise libcurl");
    struct args a;
    parse_args(argc, argv, &a);
    total_deadline = now_ms() + a.total_timeout_ms;
    mailsrv_plan *plan = discover(&a);
    int rc;
    if (a.probe) {
        /* Line by line: progress shows as it happens, and a reader gone stops the probing. */
        setvbuf(stdout, NULL, _IOLBF, 0);
        rc = probe_plan(plan, a.anchors, a.now, a.server, a.timeout_ms, a.password);
    } else if (a.verify) {
        rc = verify_first(plan, a.anchors, a.now, a.server, a.json);
    } else {
        rc = print_plan(plan, a.json);
    }
    mailsrv_plan_free(plan);
    curl_slist_free_all(connect_rules);
    free(a.trust_anchor);
    curl_global_cleanup();
    if (fflush(stdout) != 0) stdout_failed();
    return rc;
}
