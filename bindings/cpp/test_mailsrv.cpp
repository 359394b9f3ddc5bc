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
    // DNSSEC validated by the core (issue 14): the private root's anchor, the signed hierarchy of
    // testdata/dnssec, the validator's questions answered by hand, round after round.
    {
        std::string anchor = slurp("testdata/dnssec/root.anchor");
        mailsrv::ZoneHost signed_zones;
        for (const char *z : {"root", "test", "example.test", "bogus.test"})
            signed_zones.add_zone(slurp((std::string("testdata/dnssec/") + z + ".zone").c_str()));
        uint64_t now = mailsrv::parse_now("2026-12-01T00:00:00Z");
        CHECK(now == 1796083200ULL);
        mailsrv_options o = mailsrv::validating(mailsrv::default_options(), anchor, now);
        for (const char *email : {"alice@example.test", "bob@bogus.test"}) {
            mailsrv::Discovery v(email, o);
            CHECK(v.validates_dnssec());
            CHECK(!v.dnssec_questions().empty());
            for (const auto &q : v.questions()) {
                auto a = signed_zones.answer(q.wire, MAILSRV_TRANSPORT_TCP);
                v.receive(q.id, a);
            }
            for (int round = 0; round < 20; round++) {
                auto pending = v.dnssec_questions();
                if (pending.empty()) break;
                for (const auto &q : pending) {
                    /* DS or DNSKEY; from the second round a secure target's A, AAAA or TLSA (D46). */
                    CHECK(q.record_type == 43 || q.record_type == 48 ||
                          (round > 0 && (q.record_type == 1 || q.record_type == 28 || q.record_type == 52)));
                    CHECK(v.receive_dnssec(q.message_id, signed_zones.answer(q.wire, MAILSRV_TRANSPORT_TCP)) == MAILSRV_OUTCOME_RECORDS);
                }
            }
            CHECK(v.dnssec_questions().empty());
            mailsrv::Plan p = v.plan(1);
            bool secure = std::string(email) == "alice@example.test";
            CHECK(p.count(MAILSRV_SIDE_INCOMING) == (secure ? 1u : 0u));
            if (secure) CHECK(p.candidate(MAILSRV_SIDE_INCOMING, 0).trust == MAILSRV_TRUST_DNSSEC_SECURE);
            else CHECK(p.json().find("\"dnssec-bogus\"") != std::string::npos);
        }
        CHECK(mailsrv::number_value("timeout", "2500") == 2500u);
        threw = false;
        try {
            mailsrv::number_value("timeout", "1e3");
        } catch (const mailsrv::Error &e) {
            threw = e.code() == MAILSRV_RESULT_INVALID_OPTION;
        }
        CHECK(threw);
        {
            mailsrv::Discovery f("carol@example.net");
            f.fail(f.questions()[0].id, MAILSRV_FAILURE_TIMEOUT, "no answer from 192.0.2.53");
            CHECK(f.plan(1).json().find("(timeout: no answer from 192.0.2.53)") != std::string::npos);
        }
        threw = false;
        try {
            mailsrv::parse_now("yesterday");
        } catch (const mailsrv::Error &e) {
            threw = e.code() == MAILSRV_RESULT_INVALID_OPTION;
        }
        CHECK(threw);
        threw = false;
        try {
            d.fail_dnssec(1);  // d does not validate
        } catch (const mailsrv::Error &e) {
            threw = e.code() == MAILSRV_RESULT_UNKNOWN_QUESTION;
        }
        CHECK(threw);
        threw = false;
        try {
            mailsrv::Discovery bad("alice@example.test", mailsrv::validating(mailsrv::default_options(), "no anchors here", now));
        } catch (const mailsrv::Error &e) {
            threw = e.code() == MAILSRV_RESULT_INVALID_OPTION;
        }
        CHECK(threw);
    }
    if (failures) { std::fprintf(stderr, "test_cpp: %d check(s) failed\n", failures); return 1; }
    std::printf("test_cpp: all checks passed\n");
    return 0;
}
