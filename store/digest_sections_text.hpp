#pragma once
// How a digest schedule's sections are kept in one column, by either backend:
// "fleet,alerts" (section names are letters only).
#include <string>
#include <vector>

namespace hpops::store {

inline std::string joined_sections(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& item : items) out += (out.empty() ? "" : ",") + item;
    return out;
}

inline std::vector<std::string> split_sections(const std::string& text) {
    std::vector<std::string> items;
    std::size_t start = 0;
    while (start < text.size()) {
        const auto comma = text.find(',', start);
        const auto end = comma == std::string::npos ? text.size() : comma;
        if (end > start) items.push_back(text.substr(start, end - start));
        start = end + 1;
    }
    return items;
}

}  // namespace hpops::store
