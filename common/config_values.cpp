#include "common/config_values.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <limits>

#include "common/text.hpp"

namespace hpops {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Leading decimal digits of `s` as an unsigned number; advances `s`.
std::optional<std::uint64_t> take_number(std::string_view& s) {
    std::size_t n = 0;
    while (n < s.size() && is_digit(s[n])) ++n;
    if (n == 0) return std::nullopt;
    std::uint64_t value = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + n, value);
    if (ec != std::errc{} || end != s.data() + n) return std::nullopt;
    s.remove_prefix(n);
    return value;
}

bool mul_overflows(std::uint64_t a, std::uint64_t b) {
    return b != 0 && a > std::numeric_limits<std::uint64_t>::max() / b;
}

bool valid_env_name(std::string_view name) {
    if (name.empty() || is_digit(name.front())) return false;
    return std::all_of(name.begin(), name.end(), [](char c) {
        return c == '_' || is_digit(c) || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    });
}

}  // namespace

std::optional<std::chrono::milliseconds> parse_duration(std::string_view text) {
    std::string_view s = trim(text);
    if (s == "0") return std::chrono::milliseconds{0};
    if (s.empty()) return std::nullopt;
    std::uint64_t total_ms = 0;
    while (!s.empty()) {
        auto number = take_number(s);
        if (!number) return std::nullopt;
        std::size_t unit_len = 0;
        while (unit_len < s.size() && std::isalpha(static_cast<unsigned char>(s[unit_len]))) ++unit_len;
        const std::string_view unit = s.substr(0, unit_len);
        s.remove_prefix(unit_len);
        std::uint64_t scale = 0;
        if (unit == "ms") scale = 1;
        else if (unit == "s") scale = 1000;
        else if (unit == "m") scale = 60'000;
        else if (unit == "h") scale = 3'600'000;
        else if (unit == "d") scale = 86'400'000;  // retention and grace read better in days
        else return std::nullopt;  // includes a missing unit: "10" is ambiguous
        if (mul_overflows(*number, scale)) return std::nullopt;
        const std::uint64_t part = *number * scale;
        if (total_ms > std::numeric_limits<std::int64_t>::max() - part) return std::nullopt;
        total_ms += part;
    }
    return std::chrono::milliseconds{static_cast<std::int64_t>(total_ms)};
}

std::optional<std::uint64_t> parse_size(std::string_view text) {
    std::string_view s = trim(text);
    auto number = take_number(s);
    if (!number) return std::nullopt;
    const std::string_view unit = trim(s);
    std::uint64_t scale = 0;
    if (unit.empty() || unit == "B") scale = 1;
    else if (unit == "KiB") scale = 1ull << 10;
    else if (unit == "MiB") scale = 1ull << 20;
    else if (unit == "GiB") scale = 1ull << 30;
    else if (unit == "kB" || unit == "KB") scale = 1000;
    else if (unit == "MB") scale = 1000 * 1000;
    else if (unit == "GB") scale = 1000 * 1000 * 1000;
    else return std::nullopt;
    if (mul_overflows(*number, scale)) return std::nullopt;
    return *number * scale;
}

std::optional<HostPort> parse_host_port(std::string_view text, std::string& why) {
    std::string_view host;
    std::string_view port;
    if (!text.empty() && text.front() == '[') {
        const auto close = text.find(']');
        if (close == std::string_view::npos) {
            why = "missing `]` after the IPv6 address";
            return std::nullopt;
        }
        host = text.substr(1, close - 1);
        const std::string_view rest = text.substr(close + 1);
        if (rest.empty() || rest.front() != ':') {
            why = "expected `:PORT` after `]`";
            return std::nullopt;
        }
        port = rest.substr(1);
    } else {
        const auto colon = text.rfind(':');
        if (colon == std::string_view::npos) {
            why = "expected HOST:PORT, e.g. 127.0.0.1:8080";
            return std::nullopt;
        }
        host = text.substr(0, colon);
        port = text.substr(colon + 1);
        if (host.find(':') != std::string_view::npos) {
            why = "write IPv6 addresses in brackets, e.g. [::1]:8080";
            return std::nullopt;
        }
    }
    if (host.empty()) {
        why = "the host is empty (use 0.0.0.0 or [::] for every interface)";
        return std::nullopt;
    }
    if (std::any_of(host.begin(), host.end(), [](char c) { return std::isspace(static_cast<unsigned char>(c)); })) {
        why = "the host contains a space";
        return std::nullopt;
    }
    unsigned value = 0;
    auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (port.empty() || ec != std::errc{} || end != port.data() + port.size() || value < 1 || value > 65535) {
        why = "the port must be a number in 1..65535";
        return std::nullopt;
    }
    return HostPort{std::string(host), static_cast<std::uint16_t>(value)};
}

EnvExpansion expand_env(std::string_view text, const EnvLookup& env) {
    EnvExpansion out;
    std::size_t i = 0;
    while (i < text.size()) {
        if (text.compare(i, 3, "$${") == 0) {
            out.value += "${";
            i += 3;
            continue;
        }
        if (text.compare(i, 2, "${") != 0) {
            out.value += text[i++];
            continue;
        }
        const auto close = text.find('}', i + 2);
        if (close == std::string_view::npos) {
            out.syntax_error = "`${` without a closing `}`";
            return out;
        }
        const std::string_view inner = text.substr(i + 2, close - i - 2);
        const auto dash = inner.find(":-");
        const std::string name(inner.substr(0, dash));
        if (!valid_env_name(name)) {
            out.syntax_error = "`${" + std::string(inner.substr(0, 40)) +
                               "}` is not a variable reference (expected ${NAME} or ${NAME:-default})";
            return out;
        }
        const std::optional<std::string> value = env ? env(name) : std::nullopt;
        if (dash != std::string_view::npos) {
            out.value += (value && !value->empty()) ? *value : std::string(inner.substr(dash + 2));
        } else if (value) {
            out.value += *value;
        } else {
            out.missing.push_back(name);
        }
        i = close + 1;
    }
    return out;
}

std::string join_names(const std::vector<std::string_view>& names) {
    std::string out;
    for (const std::string_view name : names) {
        if (!out.empty()) out += ", ";
        out += name;
    }
    return out;
}

}  // namespace hpops
