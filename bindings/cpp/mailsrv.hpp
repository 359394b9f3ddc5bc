// mailsrv.hpp — header-only C++17 RAII wrapper over the mailsrv C ABI (include/mailsrv.h).
// SPDX-License-Identifier: MIT OR Apache-2.0
//
// Error style: every failing C call throws mailsrv::Error, which carries the mailsrv_result code
// (code()) and its symbolic name. Expected outcomes (NXDOMAIN, a rejected certificate, ...) are
// data in the plan or verdict, never exceptions. Handles are move-only and freed automatically.
// Strings are std::string_view into the owning object: keep the owner alive while you use them.
#ifndef MAILSRV_HPP
#define MAILSRV_HPP

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mailsrv.h"

namespace mailsrv {

/// A failed C call: the result code and its name.
class Error : public std::runtime_error {
public:
    explicit Error(uint32_t code)
        : std::runtime_error(std::string(mailsrv_result_name(code)) + ": " + mailsrv_result_message(code)),
          code_(code) {}
    /// The mailsrv_result code (e.g. MAILSRV_RESULT_INVALID_DOMAIN).
    uint32_t code() const noexcept { return code_; }
    /// The symbolic name (e.g. "INVALID_DOMAIN").
    std::string_view name() const noexcept { return mailsrv_result_name(code_); }

private:
    uint32_t code_;
};

namespace detail {
inline void check(uint32_t r) {
    if (r != MAILSRV_RESULT_OK) throw Error(r);
}
inline std::string_view view(mailsrv_str s) { return std::string_view(s.data, s.len); }
inline const uint8_t *bytes(std::string_view s) { return reinterpret_cast<const uint8_t *>(s.data()); }
struct DiscoveryFree { void operator()(mailsrv_discovery *p) const noexcept { mailsrv_discovery_free(p); } };
struct PlanFree { void operator()(mailsrv_plan *p) const noexcept { mailsrv_plan_free(p); } };
struct VerdictFree { void operator()(mailsrv_verdict *p) const noexcept { mailsrv_verdict_free(p); } };
struct ZoneFree { void operator()(mailsrv_zone_host *p) const noexcept { mailsrv_zone_host_free(p); } };
struct CertsFree { void operator()(mailsrv_certificates *p) const noexcept { mailsrv_certificates_free(p); } };
template <class F>
std::string read_buffer(F &&call) {
    size_t need = 0;
    uint32_t r = call(nullptr, 0, &need);
    if (r != MAILSRV_RESULT_INSUFFICIENT_SIZE) check(r);
    std::string out(need, '\0');
    check(call(reinterpret_cast<uint8_t *>(out.data()), out.size(), &need));
    out.resize(need);
    return out;
}
}  // namespace detail

/// Options with the secure defaults (RFC 8314 §5.2); change fields before use.
inline mailsrv_options default_options() {
    mailsrv_options o;
    detail::check(mailsrv_options_default(&o));
    return o;
}

/// `o` with DNSSEC validation in the core turned on at `now` (seconds since 1970, UTC; see
/// parse_now), from the trust-anchor file text `anchors` (an empty view: the IANA root anchors
/// built into the library). The text is read when the Discovery is made: keep it alive until then.
inline mailsrv_options validating(mailsrv_options o, std::string_view anchors, uint64_t now) {
    o.validate_dnssec = 1;
    o.dnssec_now = now;
    o.trust_anchors = anchors.empty() ? nullptr : detail::bytes(anchors);
    o.trust_anchors_len = anchors.size();
    return o;
}

/// A command line's `--now` (seconds, or an RFC 3339 UTC time such as 2026-12-01T00:00:00Z) by
/// the core's rule; throws Error (INVALID_OPTION) for anything else.
inline uint64_t parse_now(std::string_view text) {
    uint64_t seconds = 0;
    detail::check(mailsrv_parse_now(detail::bytes(text), text.size(), &seconds));
    return seconds;
}

/// A numeric command-line option (`timeout`, `total-timeout`, `seed`, `concurrency`) by the
/// core's rule, the same in every host; throws Error (INVALID_OPTION) for anything else.
inline uint64_t number_value(std::string_view option, std::string_view text) {
    uint64_t value = 0;
    detail::check(mailsrv_number_value(detail::bytes(option), option.size(), detail::bytes(text), text.size(), &value));
    return value;
}

/// A view of one DNSSEC question of the core's validator (valid while the Discovery lives).
struct DnssecQuestion {
    uint16_t message_id;
    uint16_t record_type;  // 43 DS, 48 DNSKEY, ...
    std::string_view name;
    std::basic_string_view<uint8_t> wire;
};

/// A view of one question.
struct Question {
    uint16_t id;
    uint16_t message_id;
    uint32_t service;  // a mailsrv_service value
    std::string_view name;
    std::basic_string_view<uint8_t> wire;
};

/// A verdict on a server's certificate chain.
class Verdict {
public:
    explicit Verdict(mailsrv_verdict *v) : v_(v) {}
    /// A mailsrv_verdict_status value.
    uint32_t status() const { uint32_t s = 0, r = 0; detail::check(mailsrv_verdict_summary(v_.get(), &s, &r)); return s; }
    /// A mailsrv_reject_reason value.
    uint32_t reason() const { uint32_t s = 0, r = 0; detail::check(mailsrv_verdict_summary(v_.get(), &s, &r)); return r; }
    std::string_view message() const { return detail::view(mailsrv_verdict_message(v_.get())); }
    /// The identity that matched, or an empty view when nothing did.
    std::string_view matched() const {
        uint32_t kind = 0;
        mailsrv_str value;
        if (mailsrv_verdict_matched(v_.get(), &kind, &value) != MAILSRV_RESULT_OK) return {};
        return detail::view(value);
    }
    std::string json(bool pretty = false) const {
        return detail::read_buffer([&](uint8_t *b, size_t n, size_t *o) { return mailsrv_verdict_json(v_.get(), pretty, b, n, o); });
    }

private:
    std::unique_ptr<mailsrv_verdict, detail::VerdictFree> v_;
};

/// DER certificates decoded from PEM.
class Certificates {
public:
    explicit Certificates(std::string_view pem) {
        mailsrv_certificates *c = nullptr;
        detail::check(mailsrv_certificates_from_pem(detail::bytes(pem), pem.size(), &c));
        c_.reset(c);
        for (size_t i = 0; i < mailsrv_certificates_count(c); i++) {
            mailsrv_bytes b;
            detail::check(mailsrv_certificates_get(c, i, &b));
            views_.push_back(b);
        }
    }
    const mailsrv_bytes *data() const noexcept { return views_.data(); }
    size_t size() const noexcept { return views_.size(); }

private:
    std::unique_ptr<mailsrv_certificates, detail::CertsFree> c_;
    std::vector<mailsrv_bytes> views_;
};

/// Verifies `chain` for a server found under SRV `service` (a mailsrv_service value) at `host`
/// for the email `domain`, against `anchors` at `now` (mailsrv_verify); throws Error on a call
/// error. A chain that fails is a REJECTED verdict, not an exception.
inline Verdict verify(std::string_view domain, uint32_t service, std::string_view host, bool dnssec_secure,
                      const Certificates &chain, const Certificates &anchors, uint64_t now, bool legacy_cn = false) {
    mailsrv_verify_request request{};
    request.domain = detail::bytes(domain);
    request.domain_len = domain.size();
    request.service = service;
    request.host = detail::bytes(host);
    request.host_len = host.size();
    request.dnssec_secure = dnssec_secure;
    request.chain = chain.data();
    request.chain_len = chain.size();
    request.anchors = anchors.data();
    request.anchors_len = anchors.size();
    request.now = now;
    request.legacy_cn = legacy_cn;
    mailsrv_verdict *v = nullptr;
    detail::check(mailsrv_verify(&request, &v));
    return Verdict(v);
}

/// A ranked plan.
class Plan {
public:
    explicit Plan(mailsrv_plan *p) : p_(p) {}
    std::string json(bool pretty = true) const {
        return detail::read_buffer([&](uint8_t *b, size_t n, size_t *o) { return mailsrv_plan_json(p_.get(), pretty, b, n, o); });
    }
    std::string_view domain() const { return detail::view(mailsrv_plan_domain(p_.get())); }
    size_t count(uint32_t side) const { return mailsrv_plan_candidate_count(p_.get(), side); }
    mailsrv_candidate candidate(uint32_t side, size_t index) const {
        mailsrv_candidate c;
        detail::check(mailsrv_plan_candidate(p_.get(), side, index, &c));
        return c;
    }
    std::string_view host(uint32_t side, size_t index) const { return detail::view(candidate(side, index).host); }
    std::vector<std::string_view> usernames(uint32_t side, size_t index) const {
        std::vector<std::string_view> out;
        for (size_t i = 0; i < candidate(side, index).username_count; i++) {
            mailsrv_str s;
            detail::check(mailsrv_plan_candidate_username(p_.get(), side, index, i, &s));
            out.push_back(detail::view(s));
        }
        return out;
    }
    Verdict verify(uint32_t side, size_t index, const Certificates &chain, const Certificates &anchors,
                   uint64_t now, bool legacy_cn = false) const {
        mailsrv_verdict *v = nullptr;
        detail::check(mailsrv_verify_candidate(p_.get(), side, index, chain.data(), chain.size(), anchors.data(),
                                               anchors.size(), now, legacy_cn, &v));
        return Verdict(v);
    }

private:
    std::unique_ptr<mailsrv_plan, detail::PlanFree> p_;
};

/// One discovery: questions out, answers in, plans out.
class Discovery {
public:
    explicit Discovery(std::string_view email, const mailsrv_options &options = default_options()) {
        mailsrv_discovery *d = nullptr;
        detail::check(mailsrv_discovery_new(detail::bytes(email), email.size(), &options, &d));
        d_.reset(d);
    }
    std::vector<Question> questions() const {
        std::vector<Question> out;
        for (size_t i = 0; i < mailsrv_discovery_question_count(d_.get()); i++) {
            mailsrv_question q;
            detail::check(mailsrv_discovery_question(d_.get(), i, &q));
            out.push_back({q.id, q.message_id, q.service, detail::view(q.name), {q.wire, q.wire_len}});
        }
        return out;
    }
    /// Feeds a wire response; returns the mailsrv_outcome value.
    uint32_t receive(uint16_t id, std::basic_string_view<uint8_t> response,
                     uint32_t dnssec = MAILSRV_DNSSEC_UNSPECIFIED) {
        uint32_t outcome = 0;
        detail::check(mailsrv_discovery_receive(d_.get(), id, response.data(), response.size(), dnssec, &outcome));
        return outcome;
    }
    void fail(uint16_t id, uint32_t failure) { detail::check(mailsrv_discovery_fail(d_.get(), id, failure)); }
    /// fail() with the host's reason, shown in the plan's lookup-failed diagnostic.
    void fail(uint16_t id, uint32_t failure, std::string_view because) {
        detail::check(mailsrv_discovery_fail_because(d_.get(), id, failure, detail::bytes(because), because.size()));
    }
    /// Whether the core validates DNSSEC for this discovery (see validating()).
    bool validates_dnssec() const { return mailsrv_discovery_validates_dnssec(d_.get()); }
    /// The validator's questions still to send (the first ones go out with questions()); read
    /// them again after feeding answers, until none is left.
    std::vector<DnssecQuestion> dnssec_questions() const {
        std::vector<DnssecQuestion> out;
        for (size_t i = 0; i < mailsrv_discovery_dnssec_question_count(d_.get()); i++) {
            mailsrv_dnssec_question q;
            detail::check(mailsrv_discovery_dnssec_question(d_.get(), i, &q));
            out.push_back({q.message_id, q.record_type, detail::view(q.name), {q.wire, q.wire_len}});
        }
        return out;
    }
    /// Feeds the wire response to DNSSEC question message_id; returns the mailsrv_outcome value
    /// (MAILSRV_OUTCOME_TRUNCATED: ask again over TCP).
    uint32_t receive_dnssec(uint16_t message_id, std::basic_string_view<uint8_t> response) {
        uint32_t outcome = 0;
        detail::check(mailsrv_discovery_receive_dnssec(d_.get(), message_id, response.data(), response.size(), &outcome));
        return outcome;
    }
    /// Reports that DNSSEC question message_id got no usable response.
    void fail_dnssec(uint16_t message_id) { detail::check(mailsrv_discovery_fail_dnssec(d_.get(), message_id)); }
    Plan plan(uint64_t seed) const {
        mailsrv_plan *p = nullptr;
        detail::check(mailsrv_discovery_plan(d_.get(), seed, &p));
        return Plan(p);
    }
    mailsrv_discovery *get() const noexcept { return d_.get(); }

private:
    std::unique_ptr<mailsrv_discovery, detail::DiscoveryFree> d_;
};

/// An offline host answering from zone files.
class ZoneHost {
public:
    ZoneHost() {
        mailsrv_zone_host *h = nullptr;
        detail::check(mailsrv_zone_host_new(&h));
        h_.reset(h);
    }
    void add_zone(std::string_view text, bool secure = false) {
        detail::check(mailsrv_zone_host_add_zone(h_.get(), detail::bytes(text), text.size(), secure));
    }
    void resolve(Discovery &d) const { detail::check(mailsrv_zone_host_resolve(h_.get(), d.get())); }
    /// The answer to one wire query received over transport (a mailsrv_transport value).
    std::basic_string<uint8_t> answer(std::basic_string_view<uint8_t> query, uint32_t transport) const {
        std::string a = detail::read_buffer([&](uint8_t *b, size_t n, size_t *o) {
            return mailsrv_zone_host_answer(h_.get(), query.data(), query.size(), transport, b, n, o);
        });
        return std::basic_string<uint8_t>(reinterpret_cast<const uint8_t *>(a.data()), a.size());
    }

private:
    std::unique_ptr<mailsrv_zone_host, detail::ZoneFree> h_;
};

}  // namespace mailsrv

#endif  // MAILSRV_HPP
