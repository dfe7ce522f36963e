#include "bot/alerts/sns_url.hpp"

namespace hpops::bot {
namespace {

// AWS's URLs are short; anything longer is not one of them.
constexpr std::size_t max_url_length = 2048;

bool region_char(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; }

// The path and query: printable ASCII but for '@' (a user part smuggled past
// a lenient parser) and '#'.
bool path_char(char c) { return c > ' ' && c < 0x7f && c != '@' && c != '#'; }

}  // namespace

std::optional<SnsUrl> parse_sns_url(std::string_view url) {
    constexpr std::string_view scheme = "https://", prefix = "sns.";
    if (url.size() > max_url_length || !url.starts_with(scheme)) return std::nullopt;
    const std::string_view rest = url.substr(scheme.size());
    const std::size_t slash = rest.find('/');
    if (slash == std::string_view::npos) return std::nullopt;
    const std::string_view host = rest.substr(0, slash), path = rest.substr(slash);
    for (char c : path)
        if (!path_char(c)) return std::nullopt;
    if (!host.starts_with(prefix)) return std::nullopt;
    std::string_view region = host.substr(prefix.size());
    if (region.ends_with(".amazonaws.com")) region.remove_suffix(std::string_view(".amazonaws.com").size());
    else if (region.ends_with(".amazonaws.com.cn")) region.remove_suffix(std::string_view(".amazonaws.com.cn").size());
    else return std::nullopt;
    if (region.empty()) return std::nullopt;
    for (char c : region)
        if (!region_char(c)) return std::nullopt;
    return SnsUrl{std::string(host), std::string(region)};
}

bool is_sns_url(std::string_view url) { return parse_sns_url(url).has_value(); }

bool is_sns_certificate_url(std::string_view url) {
    if (!is_sns_url(url)) return false;
    const std::string_view path = url.substr(0, url.find('?'));
    return path.ends_with(".pem");
}

}  // namespace hpops::bot
