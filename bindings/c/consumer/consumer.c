/* C client of an installed libmailsrv: plans the demo zone and checks the first candidate. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mailsrv.h>

static char *slurp(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    char *buf = malloc(1 << 16);
    *len = buf ? fread(buf, 1, (1 << 16) - 1, f) : 0;
    fclose(f);
    return buf;
}

int main(void) {
    if (strcmp(mailsrv_version(), "0.1.0") != 0) { fprintf(stderr, "consumer: version %s\n", mailsrv_version()); return 1; }
    size_t len = 0;
    char *zone = slurp(TESTDATA "/zones/demo.zone", &len);
    if (!zone) { fprintf(stderr, "consumer: cannot read the demo zone\n"); return 1; }
    mailsrv_discovery *d = NULL;
    mailsrv_zone_host *host = NULL;
    mailsrv_plan *plan = NULL;
    mailsrv_candidate c;
    const char *email = "alice@example.net";
    int ok = mailsrv_discovery_new((const uint8_t *)email, strlen(email), NULL, &d) == MAILSRV_RESULT_OK &&
             mailsrv_zone_host_new(&host) == MAILSRV_RESULT_OK &&
             mailsrv_zone_host_add_zone(host, (const uint8_t *)zone, len, 0) == MAILSRV_RESULT_OK &&
             mailsrv_zone_host_resolve(host, d) == MAILSRV_RESULT_OK &&
             mailsrv_discovery_plan(d, 1, &plan) == MAILSRV_RESULT_OK &&
             mailsrv_plan_candidate(plan, MAILSRV_SIDE_INCOMING, 0, &c) == MAILSRV_RESULT_OK &&
             strcmp(c.host.data, "imap2.example.net") == 0;
    mailsrv_plan_free(plan);
    mailsrv_zone_host_free(host);
    mailsrv_discovery_free(d);
    free(zone);
    if (!ok) { fprintf(stderr, "consumer: the demo plan is not as expected\n"); return 1; }
    printf("consumer (C): libmailsrv %s plans the demo zone\n", mailsrv_version());
    return 0;
}
