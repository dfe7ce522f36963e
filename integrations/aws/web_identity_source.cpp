#include "integrations/aws/web_identity_source.hpp"

#include <charconv>
#include <chrono>
#include <fstream>
#include <iterator>

#include "common/text.hpp"
#include "common/timestamps.hpp"
#include "hpops/errors.hpp"

namespace hpops::integrations::aws {
namespace asio = boost::asio;

namespace {

constexpr std::string_view spaces = " \t\r\n";

// RFC 3986 unreserved characters pass; everything else is %-escaped.
std::string form_component(std::string_view text) {
    static constexpr char digits[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(text.size());
    for (unsigned char c : text) {
        const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                                c == '_' || c == '.' || c == '~';
        if (unreserved) out.push_back(static_cast<char>(c));
        else out += {'%', digits[c >> 4], digits[c & 15]};
    }
    return out;
}

// One entity without '&' and ';'; false when it is not one we know.
bool decode_entity(std::string_view entity, std::string& out) {
    if (entity == "amp") return out.push_back('&'), true;
    if (entity == "lt") return out.push_back('<'), true;
    if (entity == "gt") return out.push_back('>'), true;
    if (entity == "quot") return out.push_back('"'), true;
    if (entity == "apos") return out.push_back('\''), true;
    if (entity.size() < 2 || entity[0] != '#') return false;
    const bool hex = entity[1] == 'x' || entity[1] == 'X';
    const std::string_view digits = entity.substr(hex ? 2 : 1);
    unsigned long cp = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), cp, hex ? 16 : 10);
    if (digits.empty() || ec != std::errc{} || end != digits.data() + digits.size() || cp == 0 || cp > 0x10FFFF) return false;
    append_utf8(out, cp);
    return true;
}

// Where the next markup that is not a comment or CDATA starts at or after `pos`.
std::size_t next_tag(std::string_view xml, std::size_t pos) {
    while ((pos = xml.find('<', pos)) != std::string_view::npos) {
        if (xml.substr(pos, 4) == "<!--") {
            pos = xml.find("-->", pos);
        } else if (xml.substr(pos, 9) == "<![CDATA[") {
            pos = xml.find("]]>", pos);
        } else {
            return pos;
        }
        if (pos == std::string_view::npos) return pos;
        ++pos;
    }
    return pos;
}

// `<name` or `</name` at `pos` is the whole tag name, not a prefix of a longer one.
bool tag_named(std::string_view xml, std::size_t name_at, std::string_view name) {
    if (xml.substr(name_at, name.size()) != name) return false;
    const std::size_t after = name_at + name.size();
    return after < xml.size() && (xml[after] == '>' || xml[after] == '/' || spaces.find(xml[after]) != std::string_view::npos);
}

std::string session_name_now() {
    using namespace std::chrono;
    return "hpops-" + std::to_string(duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count());
}

std::string read_token_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in.is_open()) throw UpstreamError("aws", "WebIdentityTokenUnreadable", "cannot read the web identity token file " + path);
    std::string token{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    // kubelet writes the JWT bare; a hand-made file often ends in a newline.
    token = std::string(trim(token));
    if (token.empty()) throw UpstreamError("aws", "WebIdentityTokenUnreadable", "the web identity token file " + path + " is empty");
    return token;
}

}  // namespace

std::optional<std::string_view> xml_element(std::string_view xml, std::string_view name) {
    for (std::size_t pos = next_tag(xml, 0); pos != std::string_view::npos; pos = next_tag(xml, pos + 1)) {
        if (!tag_named(xml, pos + 1, name)) continue;
        const std::size_t open_end = xml.find('>', pos);
        if (open_end == std::string_view::npos) return std::nullopt;
        if (xml[open_end - 1] == '/') return std::string_view{};
        for (std::size_t close = next_tag(xml, open_end + 1); close != std::string_view::npos; close = next_tag(xml, close + 1))
            if (xml.substr(close, 2) == "</" && tag_named(xml, close + 2, name))
                return xml.substr(open_end + 1, close - open_end - 1);
        return std::nullopt;  // truncated: an element without its end tag is not there
    }
    return std::nullopt;
}

std::string xml_text(std::string_view raw) {
    raw = trim(raw);
    std::string out;
    out.reserve(raw.size());
    for (std::size_t i = 0; i < raw.size();) {
        if (raw.substr(i, 9) == "<![CDATA[") {
            const auto end = raw.find("]]>", i + 9);
            out += raw.substr(i + 9, end == std::string_view::npos ? std::string_view::npos : end - i - 9);
            i = end == std::string_view::npos ? raw.size() : end + 3;
        } else if (raw[i] == '&') {
            const auto semi = raw.find(';', i);
            // An unknown or unterminated entity is kept as written rather than guessed at.
            if (semi != std::string_view::npos && semi - i <= 12 && decode_entity(raw.substr(i + 1, semi - i - 1), out)) {
                i = semi + 1;
            } else {
                out.push_back('&');
                ++i;
            }
        } else {
            out.push_back(raw[i++]);
        }
    }
    return out;
}

AwsCredentials parse_assume_role_with_web_identity_response(long status, std::string_view body) {
    const std::string request_id = xml_element_text(body, "RequestId").value_or("");
    const auto error = xml_element(body, "Error");
    if (error || status != 200) {
        std::string code = error ? xml_element_text(*error, "Code").value_or("") : "";
        std::string message = error ? xml_element_text(*error, "Message").value_or("") : "";
        if (code.empty()) code = "HttpError";
        if (message.empty())
            message = "AssumeRoleWithWebIdentity answered HTTP " + std::to_string(status) + " without an error document";
        if (message.size() > 500) message.resize(500);
        throw UpstreamError("sts", std::move(code), std::move(message), request_id, static_cast<int>(status));
    }
    auto invalid = [&](const std::string& what) {
        return UpstreamError("sts", "InvalidResponse", "AssumeRoleWithWebIdentity answer " + what, request_id,
                             static_cast<int>(status));
    };
    const auto credentials = xml_element(body, "Credentials");
    if (!credentials) throw invalid("has no <Credentials> element");
    auto field = [&](std::string_view name) {
        auto value = xml_element_text(*credentials, name);
        if (!value || value->empty()) throw invalid("has no <Credentials><" + std::string(name) + "> element");
        return std::move(*value);
    };
    AwsCredentials result;
    result.access_key_id = field("AccessKeyId");
    result.secret_access_key = field("SecretAccessKey");
    result.session_token = field("SessionToken");
    const std::string expiration = field("Expiration");
    const auto expires = parse_aws_timestamp(expiration);
    // A timestamp is no secret, so it may appear in the message.
    if (!expires) throw invalid("has an unreadable <Expiration> \"" + expiration + "\"");
    result.expiration = *expires;
    return result;
}

asio::awaitable<AwsCredentials> assume_role_with_web_identity(HttpClient& http, const std::string& sts_endpoint,
                                                              const WebIdentityRole& role) {
    const std::string token = read_token_file(role.token_file);
    HttpRequest request;
    request.method = "POST";
    // The Query API lives at the root path.
    request.url = sts_endpoint.ends_with('/') ? sts_endpoint : sts_endpoint + "/";
    request.headers = {{"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}};
    request.body = "Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn=" + form_component(role.role_arn) +
                   "&RoleSessionName=" + form_component(role.session_name.empty() ? session_name_now() : role.session_name) +
                   "&WebIdentityToken=" + form_component(token);
    request.timeout = std::chrono::seconds(5);
    const HttpResponse response = co_await http.send(std::move(request), RetryPolicy{.max_attempts = 3});
    co_return parse_assume_role_with_web_identity_response(response.status, response.body);
}

asio::awaitable<std::optional<AwsCredentials>> WebIdentitySource::fetch() {
    const auto token_file = env_value(env_, "AWS_WEB_IDENTITY_TOKEN_FILE");
    const auto role_arn = env_value(env_, "AWS_ROLE_ARN");
    if (!token_file && !role_arn) co_return std::nullopt;
    // Half a setup is a mistake worth naming, not a reason to try the next source.
    if (!role_arn) throw UpstreamError("aws", "IncompleteWebIdentity", "AWS_WEB_IDENTITY_TOKEN_FILE is set but AWS_ROLE_ARN is not");
    if (!token_file) throw UpstreamError("aws", "IncompleteWebIdentity", "AWS_ROLE_ARN is set but AWS_WEB_IDENTITY_TOKEN_FILE is not");
    WebIdentityRole role{*role_arn, expand_home(*token_file, env_), env_value(env_, "AWS_ROLE_SESSION_NAME").value_or("")};
    co_return co_await assume_role_with_web_identity(http_, sts_endpoint_, role);
}

}  // namespace hpops::integrations::aws
