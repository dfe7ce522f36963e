#include "alerts/sns_certificate.hpp"

#include <stdexcept>

#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

namespace hpops::alerts {
namespace {

using X509Ptr = std::unique_ptr<X509, decltype(&X509_free)>;

struct StackFree {
    void operator()(STACK_OF(X509)* s) const { sk_X509_pop_free(s, X509_free); }
};
using X509Stack = std::unique_ptr<STACK_OF(X509), StackFree>;

// Every certificate in `text`: PEM blocks, or one DER certificate (how
// Amazon Trust Services publishes its intermediates).
std::vector<X509Ptr> read_certificates(std::string_view text) {
    std::vector<X509Ptr> out;
    if (text.empty()) return out;
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())),
                                                  &BIO_free);
    while (X509* cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) out.emplace_back(cert, &X509_free);
    if (out.empty()) {
        const auto* der = reinterpret_cast<const unsigned char*>(text.data());
        if (X509* cert = d2i_X509(nullptr, &der, static_cast<long>(text.size()))) out.emplace_back(cert, &X509_free);
    }
    return out;
}

bool issued_to_one_of(X509* cert, const std::vector<std::string>& names) {
    for (const std::string& name : names)
        if (X509_check_host(cert, name.data(), name.size(), X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS, nullptr) == 1)
            return true;
    return false;
}

std::string joined(const std::vector<std::string>& names) {
    std::string out;
    for (const auto& n : names) out += (out.empty() ? "" : " or ") + n;
    return out;
}

}  // namespace

std::vector<std::string> sns_certificate_names(const SnsTopic& topic) {
    if (topic.partition == "aws-cn") return {"sns-" + topic.region + ".amazonaws.com.cn"};
    if (topic.partition == "aws-us-gov") return {"sns-us-gov-west-1.amazonaws.com"};
    // The opt-in regions sign with a regional name; accepting it in every
    // commercial region keeps a region AWS adds later working.
    return {"sns.amazonaws.com", "sns-signing." + topic.region + ".amazonaws.com"};
}

std::shared_ptr<const SnsTrust> SnsTrust::system_roots() {
    X509_STORE* store = X509_STORE_new();
    if (!store || X509_STORE_set_default_paths(store) != 1) {
        X509_STORE_free(store);
        throw std::runtime_error("cannot load the system's trusted certificates");
    }
    return std::make_shared<const SnsTrust>(store);
}

std::shared_ptr<const SnsTrust> SnsTrust::from_pem(std::string_view pem) {
    auto certs = read_certificates(pem);
    if (certs.empty()) throw std::invalid_argument("no certificate in the trust anchor PEM");
    X509_STORE* store = X509_STORE_new();
    for (const auto& cert : certs) X509_STORE_add_cert(store, cert.get());
    return std::make_shared<const SnsTrust>(store);
}

std::string SnsTrust::verify(std::string_view pem, const std::vector<std::string>& names,
                             std::string_view intermediates) const {
    auto certs = read_certificates(pem);
    if (certs.empty()) return "signing certificate is not a PEM certificate";
    X509Stack chain(sk_X509_new_null());
    for (std::size_t i = 1; i < certs.size(); ++i) sk_X509_push(chain.get(), certs[i].release());
    for (auto& cert : read_certificates(intermediates)) sk_X509_push(chain.get(), cert.release());
    std::unique_ptr<X509_STORE_CTX, decltype(&X509_STORE_CTX_free)> ctx(X509_STORE_CTX_new(), &X509_STORE_CTX_free);
    if (!ctx || X509_STORE_CTX_init(ctx.get(), store_.get(), certs.front().get(), chain.get()) != 1)
        return "cannot set up certificate verification";
    if (X509_verify_cert(ctx.get()) != 1)
        return std::string("signing certificate is not trusted: ") +
               X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx.get()));
    if (!issued_to_one_of(certs.front().get(), names))
        return "signing certificate is not issued to " + joined(names);
    return {};
}

std::optional<std::string> amazon_issuer_url(std::string_view pem) {
    auto certs = read_certificates(pem);
    if (certs.empty()) return std::nullopt;
    std::unique_ptr<AUTHORITY_INFO_ACCESS, decltype(&AUTHORITY_INFO_ACCESS_free)> info(
        static_cast<AUTHORITY_INFO_ACCESS*>(X509_get_ext_d2i(certs.front().get(), NID_info_access, nullptr, nullptr)),
        &AUTHORITY_INFO_ACCESS_free);
    if (!info) return std::nullopt;
    for (int i = 0; i < sk_ACCESS_DESCRIPTION_num(info.get()); ++i) {
        const ACCESS_DESCRIPTION* ad = sk_ACCESS_DESCRIPTION_value(info.get(), i);
        if (OBJ_obj2nid(ad->method) != NID_ad_ca_issuers || ad->location->type != GEN_URI) continue;
        const ASN1_IA5STRING* uri = ad->location->d.uniformResourceIdentifier;
        const std::string url(reinterpret_cast<const char*>(uri->data), static_cast<std::size_t>(uri->length));
        constexpr std::string_view scheme = "http://", domain = ".amazontrust.com";
        if (!url.starts_with(scheme) || url.size() > 200) continue;
        const std::string_view rest = std::string_view(url).substr(scheme.size());
        const std::string_view host = rest.substr(0, rest.find('/'));
        bool plain = host.ends_with(domain) && host.size() < rest.size();
        for (char c : host) plain &= (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
        if (plain) return url;
    }
    return std::nullopt;
}

}  // namespace hpops::alerts
