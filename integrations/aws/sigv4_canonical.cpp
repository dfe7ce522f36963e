#include "integrations/aws/sigv4_canonical.hpp"

#include <algorithm>
#include <array>
#include <stdexcept>

#include "common/text.hpp"

namespace hpops::integrations::aws {

namespace {

bool is_unreserved(unsigned char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
           c == '.' || c == '~';
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

char to_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f'; }

// SigV4's Trimall: folded lines arrive with their CR LF and indentation, and
// all of it becomes a single space like any other run of whitespace.
std::string trim_all(std::string_view value) {
    std::string out;
    out.reserve(value.size());
    bool pending_space = false;
    for (char c : trim(value)) {
        if (is_space(c)) {
            pending_space = true;
            continue;
        }
        if (pending_space) out.push_back(' ');
        pending_space = false;
        out.push_back(c);
    }
    return out;
}

}  // namespace

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() &&
           std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return to_lower(x) == to_lower(y); });
}

std::string uri_encode(std::string_view text, bool encode_slash) {
    static constexpr char digits[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(text.size() * 3 / 2);
    for (unsigned char c : text) {
        if (is_unreserved(c) || (c == '/' && !encode_slash)) {
            out.push_back(static_cast<char>(c));
        } else {
            out += {'%', digits[c >> 4], digits[c & 0xf]};
        }
    }
    return out;
}

std::string uri_decode(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 && hex_value(text[i + 2]) >= 0) {
            out.push_back(static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2])));
            i += 2;
        } else {
            out.push_back(text[i]);
        }
    }
    return out;
}

UrlParts split_url(std::string_view url) {
    const auto scheme_end = url.find("://");
    if (scheme_end == std::string_view::npos || scheme_end == 0)
        throw std::invalid_argument("SigV4 signs absolute URLs (scheme://host/path), got: " + std::string(url));
    UrlParts parts;
    parts.scheme = url.substr(0, scheme_end);
    const auto host_start = scheme_end + 3;
    auto host_end = url.find_first_of("/?#", host_start);
    if (host_end == std::string_view::npos) host_end = url.size();
    parts.authority = url.substr(host_start, host_end - host_start);
    if (parts.authority.empty()) throw std::invalid_argument("SigV4: URL has no host: " + std::string(url));

    // A fragment is never sent, so it is never signed.
    const auto end = std::min(url.find('#', host_end), url.size());
    const auto question = url.find('?', host_end);
    if (question != std::string_view::npos && question < end) {
        parts.path = url.substr(host_end, question - host_end);
        parts.query = url.substr(question + 1, end - question - 1);
        parts.has_query = true;
    } else {
        parts.path = url.substr(host_end, end - host_end);
    }
    parts.prefix = url.substr(0, host_end + parts.path.size());
    return parts;
}

std::string UrlParts::host_header() const {
    std::string_view host = authority;
    if (const auto at = host.rfind('@'); at != std::string_view::npos) host.remove_prefix(at + 1);
    std::string_view port;
    // An IPv6 literal keeps its brackets; its colons are not a port separator.
    const auto bracket = host.starts_with('[') ? host.find(']') : std::string_view::npos;
    const auto colon = host.rfind(':');
    if (colon != std::string_view::npos && (bracket == std::string_view::npos || colon > bracket)) {
        port = host.substr(colon + 1);
        host = host.substr(0, colon);
    }
    std::string out = lower_ascii(host);
    const bool default_port =
        port.empty() || (iequals(scheme, "https") && port == "443") || (iequals(scheme, "http") && port == "80");
    if (!default_port) out.append(":").append(port);
    return out;
}

std::string remove_dot_segments(std::string_view path) {
    if (path.empty()) return {};
    std::vector<std::string_view> kept;
    std::size_t start = 0;
    while (start <= path.size()) {
        auto slash = path.find('/', start);
        if (slash == std::string_view::npos) slash = path.size();
        const auto segment = path.substr(start, slash - start);
        if (segment == "..") {
            if (!kept.empty()) kept.pop_back();
        } else if (!segment.empty() && segment != ".") {
            kept.push_back(segment);
        }
        start = slash + 1;
    }
    std::string out = path.front() == '/' ? "/" : "";
    for (std::size_t i = 0; i < kept.size(); ++i) {
        if (i) out.push_back('/');
        out.append(kept[i]);
    }
    if (path.back() == '/' && !kept.empty()) out.push_back('/');
    return out;
}

std::string canonical_uri(std::string_view path, bool normalize, bool double_encode) {
    const std::string source = normalize ? remove_dot_segments(path) : std::string(path);
    if (source.empty()) return "/";
    std::string out;
    out.reserve(source.size() * 3 / 2);
    std::size_t start = 0;
    while (true) {
        const auto slash = source.find('/', start);
        const auto segment = std::string_view(source).substr(start, slash - start);
        // Segment by segment so that an encoded "%2F" inside an S3 key stays one segment.
        out += double_encode ? uri_encode(segment, true) : uri_encode(uri_decode(segment), true);
        if (slash == std::string::npos) break;
        out.push_back('/');
        start = slash + 1;
    }
    return out;
}

QueryParams parse_query(std::string_view query) {
    QueryParams params;
    std::size_t start = 0;
    while (start <= query.size()) {
        auto amp = query.find('&', start);
        if (amp == std::string_view::npos) amp = query.size();
        const auto pair = query.substr(start, amp - start);
        // "a&&b" has nothing between the ampersands: no parameter, not an empty one.
        if (!pair.empty()) {
            const auto eq = pair.find('=');
            if (eq == std::string_view::npos)
                params.emplace_back(uri_decode(pair), std::string());
            else
                params.emplace_back(uri_decode(pair.substr(0, eq)), uri_decode(pair.substr(eq + 1)));
        }
        start = amp + 1;
    }
    return params;
}

std::string encode_query(const QueryParams& params, bool sorted) {
    std::vector<std::pair<std::string, std::string>> encoded;
    encoded.reserve(params.size());
    for (const auto& [key, value] : params) encoded.emplace_back(uri_encode(key, true), uri_encode(value, true));
    // Sorting the encoded forms, not the decoded ones, is what the services do.
    if (sorted) std::sort(encoded.begin(), encoded.end());
    std::string out;
    for (const auto& [key, value] : encoded) {
        if (!out.empty()) out.push_back('&');
        out.append(key).append("=").append(value);
    }
    return out;
}

bool is_unsigned_header(std::string_view lower_name) {
    // botocore's list: a proxy or the HTTP stack may change these on the way.
    static constexpr std::array<std::string_view, 15> names = {
        "authorization", "baggage", "connection", "expect", "keep-alive",
        "proxy-authenticate", "proxy-authorization", "te", "traceparent", "tracestate",
        "trailer", "transfer-encoding", "upgrade", "user-agent", "x-amzn-trace-id",
    };
    return std::find(names.begin(), names.end(), lower_name) != names.end();
}

CanonicalHeaders canonical_headers(const HeaderList& headers) {
    std::vector<std::pair<std::string, std::string>> lines;
    lines.reserve(headers.size());
    for (const auto& [name, value] : headers) {
        auto lname = lower_ascii(trim(name));
        if (is_unsigned_header(lname)) continue;
        lines.emplace_back(std::move(lname), trim_all(value));
    }
    // Stable, so repeated headers keep the order they were given in.
    std::stable_sort(lines.begin(), lines.end(), [](const auto& a, const auto& b) { return a.first < b.first; });

    CanonicalHeaders out;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const bool repeat = i > 0 && lines[i].first == lines[i - 1].first;
        if (repeat) {
            out.text.pop_back();  // the '\n' of the previous value
            out.text.append(",").append(lines[i].second).append("\n");
            continue;
        }
        if (!out.signed_names.empty()) out.signed_names.push_back(';');
        out.signed_names.append(lines[i].first);
        out.text.append(lines[i].first).append(":").append(lines[i].second).append("\n");
    }
    return out;
}

CanonicalRequest canonical_request(std::string_view method, std::string_view path, const QueryParams& query,
                                   const HeaderList& headers, std::string_view payload_hash, bool normalize_path,
                                   bool double_encode_path) {
    auto canonical = canonical_headers(headers);
    CanonicalRequest out;
    out.text.append(method).append("\n");
    out.text.append(canonical_uri(path, normalize_path, double_encode_path)).append("\n");
    out.text.append(encode_query(query, true)).append("\n");
    out.text.append(canonical.text).append("\n");
    out.text.append(canonical.signed_names).append("\n");
    out.text.append(payload_hash);
    out.signed_headers = std::move(canonical.signed_names);
    return out;
}

}  // namespace hpops::integrations::aws
