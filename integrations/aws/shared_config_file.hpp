#pragma once
#include <map>
#include <string>
#include <string_view>

namespace hpops::integrations::aws {

// One profile's properties: lower-cased key → trimmed value.
using ProfileProperties = std::map<std::string, std::string, std::less<>>;

// ~/.aws/credentials or ~/.aws/config, read the way the AWS CLI and SDKs read
// them: `[section]` headers, `key = value` lines, `#`/`;` comments (inside a
// value only after whitespace, so `a#b` stays a value), indented continuation
// lines, keys case-insensitive, a repeated section or key merged with the
// later one winning.
struct SharedConfigFile {
    enum class Kind { credentials, config };

    Kind kind = Kind::credentials;
    std::string path;  // for messages
    std::map<std::string, ProfileProperties, std::less<>> sections;  // header text, whitespace-normalised

    // The profile's section: `[NAME]` in the credentials file; `[profile NAME]`
    // in the config file, where the default profile may also be `[default]`
    // (`[profile default]` wins when both are present, as in the SDKs).
    // nullptr when the file has no such profile.
    const ProfileProperties* profile(std::string_view name) const;
};

// Parses file text. Malformed lines throw UpstreamError("aws", "InvalidConfigFile")
// naming the path and line number, never the line itself: it may hold a secret.
SharedConfigFile parse_shared_config(std::string_view text, SharedConfigFile::Kind kind, std::string path);

// Reads and parses `path`. A file that does not exist is empty (most machines
// have neither file); one that exists but cannot be read throws.
SharedConfigFile load_shared_config(const std::string& path, SharedConfigFile::Kind kind);

}  // namespace hpops::integrations::aws
