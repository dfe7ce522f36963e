#include "alerts/sns_url.hpp"

namespace hpops::alerts {
namespace {

// AWS's URLs are short; anything longer is not one of them.
constexpr std::size_t max_url_length = 2048;

bool lower(char c) { return c >= 'a' && c <= 'z'; }
bool digit(char c) { return c >= '0' && c <= '9'; }

// "us-east-1", "us-gov-west-1", "cn-north-1": words of letters, then a number.
bool region_shaped(std::string_view region) {
    const std::size_t dash = region.rfind('-');
    if (dash == std::string_view::npos || dash == 0 || dash + 1 == region.size() || region.size() > 32) return false;
    for (char c : region.substr(dash + 1))
        if (!digit(c)) return false;
    bool word_start = true;
    for (char c : region.substr(0, dash)) {
        if (c == '-' && !word_start) word_start = true;
        else if (lower(c)) word_start = false;
        else return false;
    }
    return !word_start;
}

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
    constexpr std::string_view global = ".amazonaws.com", china = ".amazonaws.com.cn";
    std::string_view region = host.substr(prefix.size());
    const bool in_china = region.ends_with(china);
    if (in_china) region.remove_suffix(china.size());
    else if (region.ends_with(global)) region.remove_suffix(global.size());
    else return std::nullopt;
    if (!region_shaped(region)) return std::nullopt;
    return SnsUrl{std::string(host), std::string(region), in_china};
}

std::optional<SnsTopic> parse_sns_topic_arn(std::string_view arn) {
    // arn : partition : sns : region : account : name
    std::string_view parts[6];
    std::size_t n = 0;
    for (std::size_t start = 0; n < 6; ++n) {
        const std::size_t colon = n == 5 ? std::string_view::npos : arn.find(':', start);
        parts[n] = arn.substr(start, colon == std::string_view::npos ? std::string_view::npos : colon - start);
        if (colon == std::string_view::npos) {
            ++n;
            break;
        }
        start = colon + 1;
    }
    if (n != 6 || parts[0] != "arn" || parts[2] != "sns" || !region_shaped(parts[3])) return std::nullopt;
    return SnsTopic{std::string(parts[1]), std::string(parts[3])};
}

std::string sns_endpoint_problem(std::string_view url, const SnsTopic& topic) {
    const auto parsed = parse_sns_url(url);
    if (!parsed) return "is not an https://sns.<region>.amazonaws.com/ URL";
    if (parsed->region != topic.region)
        return "is on " + parsed->host + ", not in the topic's region " + topic.region;
    // China's regions answer only on .amazonaws.com.cn, GovCloud's and the
    // commercial ones on .amazonaws.com.
    const bool china_partition = topic.partition == "aws-cn";
    const bool known_partition = china_partition || topic.partition == "aws" || topic.partition == "aws-us-gov";
    if (!known_partition) return "belongs to partition " + topic.partition + ", which hpops does not know";
    if (parsed->china != china_partition || topic.region.starts_with("cn-") != china_partition ||
        topic.region.starts_with("us-gov-") != (topic.partition == "aws-us-gov"))
        return "is on " + parsed->host + ", not an endpoint of partition " + topic.partition;
    return {};
}

bool is_sns_url(std::string_view url) { return parse_sns_url(url).has_value(); }

bool is_sns_certificate_url(std::string_view url) {
    if (!is_sns_url(url)) return false;
    const std::string_view path = url.substr(0, url.find('?'));
    return path.ends_with(".pem");
}

}  // namespace hpops::alerts
