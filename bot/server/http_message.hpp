#pragma once
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hpops::bot {

// A request's headers, names lower-cased, in one buffer: a string per name
// and value was a tenth of the Slack route's allocations. Each header is
// stored as its two lengths followed by name and value, so a lookup steps
// from header to header without scanning their bytes.
class HttpHeaders {
public:
    HttpHeaders() = default;
    HttpHeaders(std::initializer_list<std::pair<std::string_view, std::string_view>> headers) {
        for (const auto& [name, value] : headers) add(name, value);
    }
    void reserve(std::size_t bytes) { buffer_.reserve(bytes); }
    void add(std::string_view name, std::string_view value) {
        const std::uint32_t sizes[2] = {static_cast<std::uint32_t>(name.size()), static_cast<std::uint32_t>(value.size())};
        buffer_.append(reinterpret_cast<const char*>(sizes), sizeof sizes);
        for (char c : name) buffer_.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
        buffer_.append(value);
    }
    // Calls f(name, value) for each header, in the order they arrived; stops
    // early when f returns true.
    template <class F>
    void for_each(F&& f) const {
        const char* at = buffer_.data();
        const char* const end = at + buffer_.size();
        while (at < end) {
            std::uint32_t sizes[2];
            std::memcpy(sizes, at, sizeof sizes);
            at += sizeof sizes;
            if (f(std::string_view(at, sizes[0]), std::string_view(at + sizes[0], sizes[1]))) return;
            at += sizes[0] + sizes[1];
        }
    }
    // The first value of `lower_name`; empty when absent.
    std::string_view find(std::string_view lower_name) const {
        std::string_view found;
        for_each([&](std::string_view name, std::string_view value) {
            if (name != lower_name) return false;
            found = value;
            return true;
        });
        return found;
    }
    std::size_t count(std::string_view lower_name) const {
        std::size_t n = 0;
        for_each([&](std::string_view name, std::string_view) {
            n += name == lower_name;
            return false;
        });
        return n;
    }

private:
    std::string buffer_;
};

// What routes see of a request: no Beast types, so routes compile fast and
// tests call them without a socket.
struct HttpIn {
    std::string method;
    std::string target;  // path and query
    HttpHeaders headers;
    std::string body;
    std::string remote;  // peer address, for logs

    std::string_view header(std::string_view lower_name) const { return headers.find(lower_name); }
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
