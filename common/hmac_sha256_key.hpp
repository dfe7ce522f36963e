#pragma once
#include <array>
#include <initializer_list>
#include <memory>
#include <string_view>

namespace hpops {

// HMAC-SHA256 under one key that is used for many messages (Slack's signing
// secret): the key's inner and outer pads are hashed once, a message may come
// in pieces ("v0:", timestamp, ":", body) without being joined first, and
// signing allocates nothing. OpenSSL's one-shot HMAC() fetched the digest and
// allocated a dozen times per call (bench/README.md).
class HmacSha256Key {
public:
    using Digest = std::array<unsigned char, 32>;

    explicit HmacSha256Key(std::string_view key);
    ~HmacSha256Key();  // wipes the pads
    HmacSha256Key(HmacSha256Key&&) noexcept;
    HmacSha256Key& operator=(HmacSha256Key&&) noexcept;

    // The HMAC of the pieces' concatenation.
    Digest sign(std::initializer_list<std::string_view> pieces) const;

private:
    struct Pads;
    std::unique_ptr<Pads> pads_;
};

}  // namespace hpops
