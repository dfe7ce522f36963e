// SigV4 canonicalisation of a URL and headers as a request would carry them:
// paths with dot segments and escapes, query strings, repeated headers.
#include "integrations/aws/sigv4_canonical.hpp"

#include <stdexcept>

#include "tests/fuzz/fuzz_input.hpp"

using namespace hpops::integrations::aws;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text = hpops::fuzz::as_text(data, size);
    // First line: the URL; the rest: "name: value" headers.
    const std::string_view url = text.substr(0, text.find('\n'));
    HeaderList headers;
    for (std::size_t at = url.size() + 1; at < text.size();) {
        const std::size_t end = std::min(text.find('\n', at), text.size());
        const std::string_view line = text.substr(at, end - at);
        const std::size_t colon = line.find(':');
        if (colon != std::string_view::npos) headers.emplace_back(line.substr(0, colon), line.substr(colon + 1));
        at = end + 1;
    }
    UrlParts parts;
    try {
        parts = split_url(url);
    } catch (const std::invalid_argument&) {
        return 0;  // documented: no scheme://host
    }
    const QueryParams query = parse_query(parts.query);
    (void)encode_query(query, true);
    for (bool normalize : {true, false}) (void)canonical_uri(parts.path, normalize, true);
    (void)canonical_headers(headers);
    (void)canonical_request("GET", parts.path, query, headers, "UNSIGNED-PAYLOAD", true, true);
    return 0;
}
