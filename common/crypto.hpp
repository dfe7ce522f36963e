#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace hpops {

// Raw 32-byte HMAC-SHA256 of data under key.
std::string hmac_sha256(std::string_view key, std::string_view data);
std::string sha256(std::string_view data);
std::string to_hex(std::string_view bytes);
// Compares without an early exit, so timing does not reveal how much matched.
bool constant_time_equal(std::string_view a, std::string_view b);
// For configured secrets (bearer tokens, passwords), whose length is secret
// too: compares SHA-256 digests of both, so neither timing nor an early
// length check tells a guesser how long the secret is.
bool secret_equal(std::string_view given, std::string_view expected);
// Base64 with the URL-safe alphabet (RFC 4648 section 5), unpadded on output,
// padding optional on input: JWTs, EKS tokens, confirmation tokens.
std::string base64url_encode(std::string_view bytes);
std::optional<std::string> base64url_decode(std::string_view text);
// Standard base64 (RFC 4648 section 4), padded on output, padding optional on
// input; '-', '_' and whitespace are not in its alphabet, so they are refused.
std::string base64_encode(std::string_view bytes);
std::optional<std::string> base64_decode(std::string_view text);
std::string random_bytes(std::size_t count);

}  // namespace hpops
