#include "handlers/cluster_template.hpp"

namespace hpops::handlers {

int template_resource_count(std::string_view yaml) {
    int count = 0;
    bool in_resources = false;
    std::size_t from = 0;
    while (from < yaml.size()) {
        const std::size_t end = std::min(yaml.find('\n', from), yaml.size());
        std::string_view line = yaml.substr(from, end - from);
        from = end + 1;
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (line.empty() || line.front() == '#') continue;
        if (line.front() != ' ') {  // a top-level key
            in_resources = line.starts_with("Resources:");
            continue;
        }
        // "  Vpc:": one level in; deeper lines and comments are the resource's own.
        if (in_resources && line.size() > 3 && line.substr(0, 2) == "  " && line[2] != ' ' && line[2] != '#' &&
            line.back() == ':')
            ++count;
    }
    return count;
}

}  // namespace hpops::handlers
