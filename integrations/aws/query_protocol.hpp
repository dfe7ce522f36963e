#pragma once
#include <pugixml.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hpops::integrations::aws {

// AWS's Query protocol (CloudFormation, STS): a form-encoded POST naming the
// Action and API Version, lists flattened as Name.member.N, and XML answers.

// The body of one Query request, its parameters in the order added.
class QueryRequest {
public:
    QueryRequest(std::string_view action, std::string_view version);

    QueryRequest& add(std::string_view name, std::string_view value);
    // Nothing when `value` is empty: Query APIs read an absent and an empty parameter differently.
    QueryRequest& add_if(std::string_view name, std::string_view value);
    // Name.member.1=a&Name.member.2=b
    QueryRequest& add_list(std::string_view name, const std::vector<std::string>& values);
    // Name.member.1.KeyName=k&Name.member.1.ValueName=v, ...
    QueryRequest& add_pairs(std::string_view name, std::string_view key_name, std::string_view value_name,
                            const std::vector<std::pair<std::string, std::string>>& pairs);

    const std::string& action() const { return action_; }
    const std::string& body() const { return body_; }

private:
    std::string action_;
    std::string body_;
};

// An answer's XML. pugixml (Debian's libpugixml) reads it: a maintained,
// non-validating DOM parser with no network or entity expansion, which is
// all AWS's answers need and nothing an attacker could use.
class QueryAnswer {
public:
    // Throws UpstreamError(service, "MalformedResponse") when the body is not
    // XML or not an <ActionResponse>.
    QueryAnswer(std::string_view service, const std::string& action, std::string_view body, std::string request_id);
    // Its nodes point into the document: it stays where it was made.
    QueryAnswer(const QueryAnswer&) = delete;
    QueryAnswer& operator=(const QueryAnswer&) = delete;

    // <ActionResult>, the element an answer carries its data in (empty for
    // actions with no output).
    pugi::xml_node result() const { return result_; }
    const std::string& request_id() const { return request_id_; }

private:
    pugi::xml_document document_;
    pugi::xml_node result_;
    std::string request_id_;
};

// The text of `node`'s child `name`, trimmed; empty when absent.
std::string child_text(pugi::xml_node node, const char* name);
// The <member> elements of `node`'s list child `name`.
pugi::xml_object_range<pugi::xml_named_node_iterator> members(pugi::xml_node node, const char* name);

}  // namespace hpops::integrations::aws
