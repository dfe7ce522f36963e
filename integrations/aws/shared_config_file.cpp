#include "integrations/aws/shared_config_file.hpp"

#include <cctype>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <system_error>

#include "common/text.hpp"
#include "hpops/errors.hpp"

namespace hpops::integrations::aws {

namespace {

constexpr std::string_view blanks = " \t\r\f\v";

bool is_blank(char c) { return blanks.find(c) != std::string_view::npos; }

// The line's text is left out on purpose: a malformed line may be a secret.
[[noreturn]] void malformed(const std::string& path, std::size_t line, std::string_view what) {
    throw UpstreamError("aws", "InvalidConfigFile", path + ":" + std::to_string(line) + ": " + std::string(what));
}

// Inside a value a comment starts only after whitespace: `a#b` is a value.
std::string_view strip_value_comment(std::string_view value) {
    for (std::size_t i = 0; i < value.size(); ++i)
        if ((value[i] == '#' || value[i] == ';') && (i == 0 || is_blank(value[i - 1]))) return value.substr(0, i);
    return value;
}

// `[ profile   dev ]` and `[profile dev]` name the same profile.
std::string normalise_section(std::string_view name) {
    name = trim(name);
    constexpr std::string_view prefix = "profile";
    if (name.size() > prefix.size() && name.starts_with(prefix) && is_blank(name[prefix.size()]))
        return "profile " + std::string(trim(name.substr(prefix.size())));
    return std::string(name);
}

}  // namespace

const ProfileProperties* SharedConfigFile::profile(std::string_view name) const {
    if (kind == Kind::credentials) {
        auto it = sections.find(name);
        return it == sections.end() ? nullptr : &it->second;
    }
    if (auto it = sections.find("profile " + std::string(name)); it != sections.end()) return &it->second;
    if (name == "default")
        if (auto it = sections.find("default"); it != sections.end()) return &it->second;
    return nullptr;
}

SharedConfigFile parse_shared_config(std::string_view text, SharedConfigFile::Kind kind, std::string path) {
    SharedConfigFile file{kind, std::move(path), {}};
    ProfileProperties* section = nullptr;
    std::string* last_value = nullptr;  // the property an indented line may continue
    bool last_opened_block = false;     // `s3 =` with nothing after it opens a block of sub-properties
    std::size_t line_no = 0;
    while (!text.empty()) {
        const auto newline = text.find('\n');
        const std::string_view raw = text.substr(0, newline);
        text = newline == std::string_view::npos ? std::string_view{} : text.substr(newline + 1);
        ++line_no;
        const std::string_view line = trim(raw);
        if (line.empty() || line.front() == '#' || line.front() == ';') continue;

        // Indented lines continue the previous property, as in the CLI's
        // nested `s3 =` blocks; an indented `key = value` after a plain
        // property is an ordinary property, so indenting every key still works.
        if (is_blank(raw.front()) && last_value && (last_opened_block || line.find('=') == std::string_view::npos)) {
            *last_value += '\n';
            *last_value += trim(strip_value_comment(line));
            continue;
        }
        if (line.front() == '[') {
            const auto close = line.find(']');
            if (close == std::string_view::npos) malformed(file.path, line_no, "section header without ']'");
            const auto rest = trim(line.substr(close + 1));
            if (!rest.empty() && rest.front() != '#' && rest.front() != ';')
                malformed(file.path, line_no, "unexpected text after the section header");
            std::string name = normalise_section(line.substr(1, close - 1));
            if (name.empty()) malformed(file.path, line_no, "empty section name");
            section = &file.sections[name];
            last_value = nullptr;
            continue;
        }
        const auto eq = line.find('=');
        if (eq == std::string_view::npos) malformed(file.path, line_no, "expected [section], key = value, or a comment");
        if (!section) malformed(file.path, line_no, "key = value before any [section]");
        std::string key(trim(line.substr(0, eq)));
        if (key.empty()) malformed(file.path, line_no, "empty key before '='");
        for (auto& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        std::string& value = (*section)[key];
        value = std::string(trim(strip_value_comment(line.substr(eq + 1))));
        last_value = &value;
        last_opened_block = value.empty();
    }
    return file;
}

SharedConfigFile load_shared_config(const std::string& path, SharedConfigFile::Kind kind) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) return SharedConfigFile{kind, path, {}};
    std::ifstream in(path, std::ios::binary);
    if (!in.is_open() || std::filesystem::is_directory(path, ec))
        throw UpstreamError("aws", "InvalidConfigFile", "cannot read " + path);
    const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    return parse_shared_config(text, kind, path);
}

}  // namespace hpops::integrations::aws
