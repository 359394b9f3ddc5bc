/* The negotiator through the C ABI: a scripted IMAP STARTTLS session with a login, response
 * injection, a login before TLS, a capped flood, and misuse. */
#include "util.h"

static mailsrv_step feed(mailsrv_negotiator *n, const char *server, char *sent, size_t cap) {
    mailsrv_step s;
    CHECK_RESULT(mailsrv_negotiator_receive(n, (const uint8_t *)server, strlen(server), &s), MAILSRV_RESULT_OK);
    /* Write what we are told, then poll, as a host does. */
    while (s.kind == MAILSRV_STEP_SEND || s.kind == MAILSRV_STEP_SEND_SECRET) {
        strncat(sent, (const char *)s.bytes, s.bytes_len < cap - strlen(sent) - 1 ? s.bytes_len : 0);
        CHECK_RESULT(mailsrv_negotiator_poll(n, &s), MAILSRV_RESULT_OK);
    }
    return s;
}

int main(void) {
    char sent[4096] = "";
    mailsrv_negotiator *n = NULL;
    CHECK_RESULT(mailsrv_negotiator_new(MAILSRV_PROTOCOL_IMAP, MAILSRV_SECURITY_STARTTLS, (const uint8_t *)"c", 1, &n), MAILSRV_RESULT_OK);
    mailsrv_step s;
    CHECK_RESULT(mailsrv_negotiator_start(n, &s), MAILSRV_RESULT_OK);
    CHECK(s.kind == MAILSRV_STEP_NEED_MORE);
    /* Login before anything: refused by state, nothing to send. */
    CHECK_RESULT(mailsrv_negotiator_login(n, (const uint8_t *)"alice", 5, (const uint8_t *)"pw", 2, &s), MAILSRV_RESULT_OK);
    CHECK(s.kind == MAILSRV_STEP_ABORT && s.abort_reason == MAILSRV_ABORT_MISUSE && s.bytes == NULL);
    mailsrv_negotiator_free(n);

    /* The happy path, with a login after TLS. */
    CHECK_RESULT(mailsrv_negotiator_new(MAILSRV_PROTOCOL_IMAP, MAILSRV_SECURITY_STARTTLS, (const uint8_t *)"c", 1, &n), MAILSRV_RESULT_OK);
    s = feed(n, "* OK ready\r\n", sent, sizeof sent);
    CHECK(s.kind == MAILSRV_STEP_NEED_MORE);
    s = feed(n, "* CAPABILITY IMAP4rev1 STARTTLS\r\nA1 OK done\r\n", sent, sizeof sent);
    s = feed(n, "A2 OK begin TLS\r\n", sent, sizeof sent);
    CHECK(s.kind == MAILSRV_STEP_START_TLS);
    CHECK_RESULT(mailsrv_negotiator_tls_established(n, MAILSRV_TLS_VERIFIED, &s), MAILSRV_RESULT_OK);
    CHECK(s.kind == MAILSRV_STEP_SEND);
    strncat(sent, (const char *)s.bytes, s.bytes_len);
    s = feed(n, "* CAPABILITY IMAP4rev1 SASL-IR AUTH=PLAIN\r\nA3 OK done\r\n", sent, sizeof sent);
    CHECK(s.kind == MAILSRV_STEP_DONE);
    size_t need = 0;
    char caps[512];
    CHECK_RESULT(mailsrv_negotiator_capabilities_json(n, (uint8_t *)caps, sizeof caps - 1, &need), MAILSRV_RESULT_OK);
    caps[need] = '\0';
    CHECK(strstr(caps, "\"authMechanisms\":[\"PLAIN\"]") != NULL);
    CHECK_RESULT(mailsrv_negotiator_login(n, (const uint8_t *)"alice", 5, (const uint8_t *)"s3cret", 6, &s), MAILSRV_RESULT_OK);
    CHECK(s.kind == MAILSRV_STEP_SEND_SECRET);
    CHECK(s.bytes_len == strlen("A4 AUTHENTICATE PLAIN AGFsaWNlAHMzY3JldA==\r\n"));
    CHECK(memcmp(s.bytes, "A4 AUTHENTICATE PLAIN AGFsaWNlAHMzY3JldA==\r\n", s.bytes_len) == 0);
    s = feed(n, "A4 OK welcome\r\n", sent, sizeof sent);
    CHECK(s.kind == MAILSRV_STEP_LOGGED_IN);
    CHECK(strcmp(sent, "A1 CAPABILITY\r\nA2 STARTTLS\r\nA3 CAPABILITY\r\n") == 0);
    mailsrv_negotiator_free(n);

    /* Response injection after the upgrade reply. */
    CHECK_RESULT(mailsrv_negotiator_new(MAILSRV_PROTOCOL_IMAP, MAILSRV_SECURITY_STARTTLS, (const uint8_t *)"c", 1, &n), MAILSRV_RESULT_OK);
    feed(n, "* OK ready\r\n* CAPABILITY IMAP4rev1 STARTTLS\r\nA1 OK done\r\n", sent, sizeof sent);
    s = feed(n, "A2 OK begin TLS\r\n* OK injected\r\n", sent, sizeof sent);
    CHECK(s.kind == MAILSRV_STEP_ABORT && s.abort_reason == MAILSRV_ABORT_INJECTED_AFTER_UPGRADE);
    mailsrv_negotiator_free(n);

    /* A refused STLS keeps its (untrusted) text. */
    CHECK_RESULT(mailsrv_negotiator_new(MAILSRV_PROTOCOL_POP3, MAILSRV_SECURITY_STARTTLS, NULL, 0, &n), MAILSRV_RESULT_OK);
    feed(n, "+OK hi\r\n+OK\r\nSTLS\r\n.\r\n", sent, sizeof sent);
    s = feed(n, "-ERR not now\r\n", sent, sizeof sent);
    CHECK(s.kind == MAILSRV_STEP_ABORT && s.abort_reason == MAILSRV_ABORT_STARTTLS_REFUSED);
    CHECK(s.text.len == 7 && strcmp(s.text.data, "not now") == 0);
    mailsrv_negotiator_free(n);

    /* A flood of EHLO continuation lines ends at the reply cap (issue 12), with its own reason. */
    CHECK_RESULT(mailsrv_negotiator_new(MAILSRV_PROTOCOL_SUBMISSION, MAILSRV_SECURITY_STARTTLS, NULL, 0, &n), MAILSRV_RESULT_OK);
    s = feed(n, "220 hi\r\n", sent, sizeof sent);
    CHECK(s.kind == MAILSRV_STEP_NEED_MORE);
    for (int i = 0; i < 1000 && s.kind != MAILSRV_STEP_ABORT; i++) s = feed(n, "250-x\r\n250-x\r\n", sent, sizeof sent);
    CHECK(s.kind == MAILSRV_STEP_ABORT && s.abort_reason == MAILSRV_ABORT_REPLY_TOO_LONG);
    CHECK(strcmp(mailsrv_abort_reason_name(s.abort_reason), "reply-too-long") == 0);
    mailsrv_negotiator_free(n);

    /* Misuse. */
    n = NULL;
    CHECK_RESULT(mailsrv_negotiator_new(7, MAILSRV_SECURITY_STARTTLS, NULL, 0, &n), MAILSRV_RESULT_INVALID_ARGUMENT);
    CHECK_RESULT(mailsrv_negotiator_new(MAILSRV_PROTOCOL_IMAP, 9, NULL, 0, &n), MAILSRV_RESULT_INVALID_ARGUMENT);
    CHECK_RESULT(mailsrv_negotiator_new(MAILSRV_PROTOCOL_IMAP, MAILSRV_SECURITY_STARTTLS, NULL, 0, NULL), MAILSRV_RESULT_NULL_PARAMETER);
    CHECK(n == NULL);
    CHECK_RESULT(mailsrv_negotiator_start(NULL, &s), MAILSRV_RESULT_NULL_PARAMETER);
    CHECK_RESULT(mailsrv_negotiator_receive(NULL, NULL, 0, &s), MAILSRV_RESULT_NULL_PARAMETER);
    CHECK_RESULT(mailsrv_negotiator_poll(NULL, &s), MAILSRV_RESULT_NULL_PARAMETER);
    CHECK_RESULT(mailsrv_negotiator_tls_established(NULL, 0, &s), MAILSRV_RESULT_NULL_PARAMETER);
    CHECK_RESULT(mailsrv_negotiator_login(NULL, NULL, 0, NULL, 0, &s), MAILSRV_RESULT_NULL_PARAMETER);
    CHECK_RESULT(mailsrv_negotiator_capabilities_json(NULL, NULL, 0, &need), MAILSRV_RESULT_NULL_PARAMETER);
    CHECK_RESULT(mailsrv_negotiator_new(MAILSRV_PROTOCOL_SUBMISSION, MAILSRV_SECURITY_IMPLICIT_TLS, NULL, 0, &n), MAILSRV_RESULT_OK);
    CHECK_RESULT(mailsrv_negotiator_receive(n, NULL, 3, &s), MAILSRV_RESULT_NULL_PARAMETER);
    CHECK_RESULT(mailsrv_negotiator_receive(n, (const uint8_t *)"x", 1, NULL), MAILSRV_RESULT_NULL_PARAMETER);
    CHECK_RESULT(mailsrv_negotiator_tls_established(n, 5, &s), MAILSRV_RESULT_INVALID_ARGUMENT);
    CHECK_RESULT(mailsrv_negotiator_capabilities_json(n, NULL, 0, &need), MAILSRV_RESULT_INVALID_ARGUMENT);
    mailsrv_negotiator_free(n);
    mailsrv_negotiator_free(NULL);
    return report("test_negotiator");
}
