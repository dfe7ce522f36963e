#pragma once
// The string-shaping half of AWS Signature Version 4: how a URL, its query and
// its headers are written into the canonical request. Pure functions, no keys.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hpops::integrations::aws {

using HeaderList = std::vector<std::pair<std::string, std::string>>;
// Query parameters decoded (no %XX left), in the order they were written.
using QueryParams = std::vector<std::pair<std::string, std::string>>;

// RFC 3986 as SigV4 wants it: A-Z a-z 0-9 - _ . ~ kept, every other byte %XX
// with upper-case hex; '/' kept only when encode_slash is false.
std::string uri_encode(std::string_view text, bool encode_slash);
// Undoes %XX. '+' stays '+' (RFC 3986, not form encoding); a '%' without two
// hex digits after it is kept as a literal '%'.
std::string uri_decode(std::string_view text);

// The pieces of an absolute URL (scheme://authority/path?query#fragment) that
// signing reads. Views into the string given to split_url.
struct UrlParts {
    std::string_view scheme;
    std::string_view authority;  // [userinfo@]host[:port]
    std::string_view path;       // may be empty
    std::string_view query;      // without the '?'
    std::string_view prefix;     // scheme://authority/path, no query or fragment
    bool has_query = false;
    // What a client sends as Host: lower-case, no userinfo, no default port.
    std::string host_header() const;
};
// Throws std::invalid_argument when there is no "scheme://host".
UrlParts split_url(std::string_view url);

// Removes "." and ".." segments and empty segments (runs of '/'), keeping a
// leading and a trailing '/', as botocore and the AWS services do.
std::string remove_dot_segments(std::string_view path);

// The path as signed. double_encode (every service but S3) encodes the path as
// written on the wire, so an already-encoded "%20" is signed as "%2520";
// without it (S3) each segment is decoded then encoded once. '/' separators are
// kept and an empty path signs as "/".
std::string canonical_uri(std::string_view path, bool normalize, bool double_encode);

// Splits "a=1&b&c=" into decoded pairs (a missing '=' means an empty value).
QueryParams parse_query(std::string_view query);
// key=value pairs joined with '&', each side uri_encoded. With sorted, the
// canonical query string: ordered by encoded key, then encoded value.
std::string encode_query(const QueryParams& params, bool sorted);

// Headers that a proxy or the HTTP stack may add, drop or rewrite (hop-by-hop,
// tracing, User-Agent), plus Authorization itself; never signed. Lower-case.
bool is_unsigned_header(std::string_view lower_name);

// Lower-cased names, sorted, one line each; values trimmed with inner runs of
// whitespace (including folded lines) collapsed to one space; repeated headers
// joined with ',' in the order given.
struct CanonicalHeaders {
    std::string text;          // "name:value\n" per header
    std::string signed_names;  // "host;x-amz-date"
};
CanonicalHeaders canonical_headers(const HeaderList& headers);

struct CanonicalRequest {
    std::string text;
    std::string signed_headers;
};
CanonicalRequest canonical_request(std::string_view method, std::string_view path, const QueryParams& query,
                                   const HeaderList& headers, std::string_view payload_hash, bool normalize_path,
                                   bool double_encode_path);

// Case-insensitive ASCII comparison, for header names.
bool iequals(std::string_view a, std::string_view b);

}  // namespace hpops::integrations::aws
