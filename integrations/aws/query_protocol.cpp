#include "integrations/aws/query_protocol.hpp"

#include "hpops/errors.hpp"
#include "integrations/aws/sigv4_canonical.hpp"

namespace hpops::integrations::aws {

QueryRequest::QueryRequest(std::string_view action, std::string_view version) : action_(action) {
    body_ = "Action=" + uri_encode(action, true) + "&Version=" + uri_encode(version, true);
}

QueryRequest& QueryRequest::add(std::string_view name, std::string_view value) {
    body_ += "&" + uri_encode(name, true) + "=" + uri_encode(value, true);
    return *this;
}

QueryRequest& QueryRequest::add_if(std::string_view name, std::string_view value) {
    return value.empty() ? *this : add(name, value);
}

QueryRequest& QueryRequest::add_list(std::string_view name, const std::vector<std::string>& values) {
    for (std::size_t i = 0; i < values.size(); ++i)
        add(std::string(name) + ".member." + std::to_string(i + 1), values[i]);
    return *this;
}

QueryRequest& QueryRequest::add_pairs(std::string_view name, std::string_view key_name, std::string_view value_name,
                                      const std::vector<std::pair<std::string, std::string>>& pairs) {
    for (std::size_t i = 0; i < pairs.size(); ++i) {
        const std::string member = std::string(name) + ".member." + std::to_string(i + 1) + ".";
        add(member + std::string(key_name), pairs[i].first);
        add(member + std::string(value_name), pairs[i].second);
    }
    return *this;
}

QueryAnswer::QueryAnswer(std::string_view service, const std::string& action, std::string_view body,
                         std::string request_id)
    : request_id_(std::move(request_id)) {
    const pugi::xml_parse_result parsed = document_.load_buffer(body.data(), body.size());
    if (!parsed)
        throw UpstreamError(std::string(service), "MalformedResponse",
                            action + " answered with something that is not XML (" + parsed.description() + ")",
                            request_id_);
    const pugi::xml_node response = document_.document_element();
    if (request_id_.empty()) request_id_ = child_text(response.child("ResponseMetadata"), "RequestId");
    if (response.name() != action + "Response")
        throw UpstreamError(std::string(service), "MalformedResponse",
                            action + " answered with <" + response.name() + ">, not <" + action + "Response>",
                            request_id_);
    // Absent for actions with no output (DeleteStack): an empty node then.
    result_ = response.child((action + "Result").c_str());
}

std::string child_text(pugi::xml_node node, const char* name) {
    std::string text = node.child(name).text().get();
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) return {};
    return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

pugi::xml_object_range<pugi::xml_named_node_iterator> members(pugi::xml_node node, const char* name) {
    return node.child(name).children("member");
}

}  // namespace hpops::integrations::aws
