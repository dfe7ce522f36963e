#pragma once
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hpops::bot {

// What routes see of a request: no Beast types, so routes compile fast and
// tests call them without a socket.
struct HttpIn {
    std::string method;
    std::string target;  // path and query
    std::vector<std::pair<std::string, std::string>> headers;  // names lower-case
    std::string body;
    std::string remote;  // peer address, for logs

    std::string_view header(std::string_view lower_name) const {
        for (const auto& [name, value] : headers)
            if (name == lower_name) return value;
        return {};
    }
    std::string_view path() const {
        std::string_view t = target;
        return t.substr(0, t.find('?'));
    }
};

struct HttpOut {
    int status = 200;
    std::string content_type = "text/plain; charset=utf-8";
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;
};

inline HttpOut text_response(int status, std::string body) {
    HttpOut out;
    out.status = status;
    out.body = std::move(body);
    if (!out.body.empty() && out.body.back() != '\n') out.body.push_back('\n');
    return out;
}

inline HttpOut json_response(int status, std::string body) {
    HttpOut out;
    out.status = status;
    out.content_type = "application/json; charset=utf-8";
    out.body = std::move(body);
    return out;
}

}  // namespace hpops::bot
