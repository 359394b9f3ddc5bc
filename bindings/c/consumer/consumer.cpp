// C++ client of an installed libmailsrv through the installed wrapper, mailsrv.hpp.
#include <cstdio>
#include <fstream>
#include <sstream>

#include <mailsrv.hpp>

int main() {
    std::ifstream f(TESTDATA "/zones/demo.zone", std::ios::binary);
    std::stringstream zone;
    zone << f.rdbuf();
    mailsrv::ZoneHost host;
    host.add_zone(zone.str());
    mailsrv::Discovery d("alice@example.net");
    host.resolve(d);
    mailsrv::Plan plan = d.plan(1);
    if (plan.count(MAILSRV_SIDE_INCOMING) != 3 || plan.host(MAILSRV_SIDE_INCOMING, 0) != "imap2.example.net") {
        std::fprintf(stderr, "consumer (C++): the demo plan is not as expected\n");
        return 1;
    }
    std::printf("consumer (C++): the wrapper plans the demo zone\n");
    return 0;
}
