#include "common/hmac_sha256_key.hpp"

// SHA256_Init and friends are deprecated in OpenSSL 3 in favour of EVP, but
// they are the only OpenSSL interface that hashes without allocating and lets
// a hashing state be copied as a plain struct, which is what precomputed
// HMAC pads need. They run the same SHA code as EVP. The warning is silenced
// here, not with OPENSSL_SUPPRESS_DEPRECATED: in a unity build another file
// of the layer has included <openssl/sha.h> before this one.
#include <openssl/crypto.h>
#include <openssl/sha.h>

#include <cstring>

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"

namespace hpops {

struct HmacSha256Key::Pads {
    SHA256_CTX inner;  // state after hashing key ^ ipad
    SHA256_CTX outer;  // state after hashing key ^ opad
};

HmacSha256Key::HmacSha256Key(std::string_view key) : pads_(std::make_unique<Pads>()) {
    // RFC 2104: a key longer than the block is hashed first, a shorter one padded with zeros.
    std::array<unsigned char, SHA256_CBLOCK> block{};
    if (key.size() > block.size())
        SHA256(reinterpret_cast<const unsigned char*>(key.data()), key.size(), block.data());
    else
        std::memcpy(block.data(), key.data(), key.size());
    std::array<unsigned char, SHA256_CBLOCK> pad;
    for (std::size_t i = 0; i < block.size(); ++i) pad[i] = block[i] ^ 0x36;
    SHA256_Init(&pads_->inner);
    SHA256_Update(&pads_->inner, pad.data(), pad.size());
    for (std::size_t i = 0; i < block.size(); ++i) pad[i] = block[i] ^ 0x5c;
    SHA256_Init(&pads_->outer);
    SHA256_Update(&pads_->outer, pad.data(), pad.size());
    OPENSSL_cleanse(block.data(), block.size());
    OPENSSL_cleanse(pad.data(), pad.size());
}

HmacSha256Key::~HmacSha256Key() {
    if (pads_) OPENSSL_cleanse(pads_.get(), sizeof(Pads));
}

HmacSha256Key::HmacSha256Key(HmacSha256Key&&) noexcept = default;

HmacSha256Key& HmacSha256Key::operator=(HmacSha256Key&& other) noexcept {
    if (this != &other) {
        if (pads_) OPENSSL_cleanse(pads_.get(), sizeof(Pads));
        pads_ = std::move(other.pads_);
    }
    return *this;
}

HmacSha256Key::Digest HmacSha256Key::sign(std::initializer_list<std::string_view> pieces) const {
    SHA256_CTX context = pads_->inner;
    for (std::string_view piece : pieces) SHA256_Update(&context, piece.data(), piece.size());
    Digest inner_digest;
    SHA256_Final(inner_digest.data(), &context);
    context = pads_->outer;
    SHA256_Update(&context, inner_digest.data(), inner_digest.size());
    Digest out;
    SHA256_Final(out.data(), &context);
    return out;
}

}  // namespace hpops

#pragma GCC diagnostic pop
