// Test of the C++ wrapper: plan the demo zone, verify a chain, and the error style.
#include <cstdio>
#include <fstream>
#include <sstream>

#include "mailsrv.hpp"

static int failures = 0;
#define CHECK(c) do { if (!(c)) { std::fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #c); failures++; } } while (0)

static std::string slurp(const char *path) {
    std::ifstream f(path, std::ios::binary);
    std::stringstream s;
    s << f.rdbuf();
    return s.str();
}

int main() {
    mailsrv::ZoneHost host;
    host.add_zone(slurp("testdata/zones/demo.zone"));
    mailsrv::Discovery d("alice@example.net");
    CHECK(d.questions().size() == 6);
    CHECK(d.questions()[2].name == "_imaps._tcp.example.net");
    host.resolve(d);
    mailsrv::Plan plan = d.plan(1);
    CHECK(plan.domain() == "example.net");
    CHECK(plan.count(MAILSRV_SIDE_INCOMING) == 3);
    CHECK(plan.host(MAILSRV_SIDE_INCOMING, 0) == "imap2.example.net");
    auto users = plan.usernames(MAILSRV_SIDE_INCOMING, 0);
    CHECK(users.size() == 2 && users[0] == "alice@example.net" && users[1] == "alice");
    std::string expected = slurp("testdata/expected/demo.json");
    CHECK(plan.json() + "\n" == expected);

    mailsrv::Certificates chain(slurp("testdata/certs/srv-id.chain.pem"));
    mailsrv::Certificates anchors(slurp("testdata/certs/ca.pem"));
    CHECK(chain.size() == 2 && anchors.size() == 1);
    mailsrv::Verdict v = plan.verify(MAILSRV_SIDE_INCOMING, 0, chain, anchors, 1811808000ULL);
    CHECK(v.status() == MAILSRV_VERDICT_VERIFIED);
    CHECK(v.matched() == "_imaps.example.net");
    CHECK(v.json().find("\"verified\"") != std::string::npos);

    // The same chain by domain, service and host (mailsrv_verify_request): the SRV-ID matches.
    mailsrv::Verdict direct = mailsrv::verify("example.net", MAILSRV_SERVICE_IMAPS, "imap2.example.net", false, chain,
                                              anchors, 1811808000ULL);
    CHECK(direct.status() == MAILSRV_VERDICT_VERIFIED);
    CHECK(direct.matched() == "_imaps.example.net");
    // ...and under another service it does not.
    mailsrv::Verdict other = mailsrv::verify("example.net", MAILSRV_SERVICE_POP3S, "imap2.example.net", false, chain,
                                             anchors, 1811808000ULL);
    CHECK(other.status() == MAILSRV_VERDICT_REJECTED && other.reason() == MAILSRV_REJECT_NAME_MISMATCH);

    bool threw = false;
    try {
        mailsrv::Discovery bad("alice@[192.0.2.1]");
    } catch (const mailsrv::Error &e) {
        threw = e.code() == MAILSRV_RESULT_ADDRESS_LITERAL && e.name() == "ADDRESS_LITERAL";
    }
    CHECK(threw);
    threw = false;
    try {
        d.fail(42, MAILSRV_FAILURE_TIMEOUT);
    } catch (const mailsrv::Error &e) {
        threw = e.code() == MAILSRV_RESULT_UNKNOWN_QUESTION;
    }
    CHECK(threw);
    if (failures) { std::fprintf(stderr, "test_cpp: %d check(s) failed\n", failures); return 1; }
    std::printf("test_cpp: all checks passed\n");
    return 0;
}
