#include "alerts/sns_message.hpp"

#include <memory>

#include <nlohmann/json.hpp>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "alerts/receiver_auth.hpp"
#include "alerts/webhook_payload.hpp"
#include "common/crypto.hpp"
#include "common/json_depth.hpp"
#include "common/timestamps.hpp"

namespace hpops::alerts {
namespace {

using json = nlohmann::json;

void append(std::string& out, std::string_view key, std::string_view value) {
    out.append(key).append("\n").append(value).append("\n");
}

}  // namespace

ParsedSns parse_sns_message(std::string_view body) {
    ParsedSns out;
    if (std::string why = json_depth_problem(body); !why.empty()) {
        out.error = "body " + why;
        return out;
    }
    json doc = json::parse(body, nullptr, false);
    if (!doc.is_object()) {
        out.error = doc.is_discarded() ? "body is not valid JSON" : "body is not a JSON object";
        return out;
    }
    auto field = [&](const char* key, std::string& into, bool required) {
        auto it = doc.find(key);
        if (it == doc.end() || it->is_null()) {
            if (required && out.error.empty()) out.error = std::string("missing ") + key;
            return;
        }
        if (!it->is_string()) {
            if (out.error.empty()) out.error = std::string(key) + " is not a string";
            return;
        }
        into = it->get<std::string>();
    };
    SnsMessage& m = out.message;
    field("Type", m.type, true);
    field("MessageId", m.message_id, true);
    field("TopicArn", m.topic_arn, true);
    field("Message", m.message, true);
    field("Timestamp", m.timestamp, true);
    field("SignatureVersion", m.signature_version, true);
    field("Signature", m.signature, true);
    field("SigningCertURL", m.signing_cert_url, true);
    const bool confirmation = m.type == "SubscriptionConfirmation" || m.type == "UnsubscribeConfirmation";
    field("Token", m.token, confirmation);
    field("SubscribeURL", m.subscribe_url, confirmation);
    if (auto it = doc.find("Subject"); it != doc.end() && it->is_string()) m.subject = it->get<std::string>();
    if (out.error.empty() && m.type != "Notification" && !confirmation)
        out.error = "unknown message type \"" + m.type + "\"";
    if (out.error.empty() && m.signature_version != "1" && m.signature_version != "2")
        out.error = "unsupported SignatureVersion \"" + m.signature_version + "\"";
    return out;
}

std::string sns_string_to_sign(const SnsMessage& m) {
    std::string out;
    append(out, "Message", m.message);
    append(out, "MessageId", m.message_id);
    if (m.type == "Notification") {
        if (m.subject) append(out, "Subject", *m.subject);
        append(out, "Timestamp", m.timestamp);
        append(out, "TopicArn", m.topic_arn);
        append(out, "Type", m.type);
        return out;
    }
    append(out, "SubscribeURL", m.subscribe_url);
    append(out, "Timestamp", m.timestamp);
    append(out, "Token", m.token);
    append(out, "TopicArn", m.topic_arn);
    append(out, "Type", m.type);
    return out;
}

std::string verify_sns_signature(const SnsMessage& m, std::string_view pem) {
    const auto signature = base64_decode(m.signature);
    if (!signature || signature->empty()) return "Signature is not base64";
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), &BIO_free);
    std::unique_ptr<X509, decltype(&X509_free)> cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr),
                                                     &X509_free);
    if (!cert) return "signing certificate is not a PEM certificate";
    std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(X509_get_pubkey(cert.get()), &EVP_PKEY_free);
    if (!key) return "signing certificate has no usable public key";
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
    const EVP_MD* digest = m.signature_version == "1" ? EVP_sha1() : EVP_sha256();
    const std::string text = sns_string_to_sign(m);
    if (EVP_DigestVerifyInit(ctx.get(), nullptr, digest, nullptr, key.get()) != 1 ||
        EVP_DigestVerifyUpdate(ctx.get(), text.data(), text.size()) != 1)
        return "cannot set up signature verification";
    const int ok = EVP_DigestVerifyFinal(ctx.get(), reinterpret_cast<const unsigned char*>(signature->data()),
                                         signature->size());
    return ok == 1 ? std::string() : "signature does not match";
}

std::string sns_message_age_problem(const SnsMessage& m, std::chrono::system_clock::time_point now,
                                    std::chrono::seconds max_age) {
    using namespace std::chrono;
    const auto signed_at = parse_rfc3339(m.timestamp);
    if (!signed_at) return "Timestamp `" + m.timestamp.substr(0, 40) + "` is not an ISO 8601 time";
    // In whole seconds: a difference of nanosecond counts can overflow.
    const seconds age = floor<seconds>(now).time_since_epoch() - floor<seconds>(*signed_at).time_since_epoch();
    if (age > max_age)
        return "message " + m.message_id + " was signed " + std::to_string(age.count()) +
               " s ago, more than alerts.sns.max_message_age (" + std::to_string(max_age.count()) + " s)";
    if (age < -minutes(5))
        return "message " + m.message_id + " is signed " + std::to_string(-age.count()) +
               " s in the future; check this host's clock";
    return {};
}

}  // namespace hpops::alerts
