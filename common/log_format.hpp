#pragma once
// How hpops's log lines look: text for a person at a terminal (the default),
// or one JSON object per line for a cluster's log collector. Both show the
// fields in scope (common/log_fields.hpp).
#include <spdlog/formatter.h>

#include <memory>
#include <optional>
#include <string_view>

namespace hpops::log {

enum class Format { text, json };
// "text" or "json" (log.format, HPOPS_LOG_FORMAT); nullopt for anything else.
std::optional<Format> format_from(std::string_view name);

// {"time":"2026-12-05T10:11:12.345Z","level":"info","message":"…","request_id":"…"}:
// UTC time to the millisecond, spdlog's level name, then each field in scope
// that is set. Invalid UTF-8 becomes U+FFFD, so every line parses.
std::unique_ptr<spdlog::formatter> make_json_formatter();
// spdlog's default line, then the fields in scope as key=value.
std::unique_ptr<spdlog::formatter> make_text_formatter();
// Every sink of the default logger writes `format` from now on.
void use_format(Format format);

}  // namespace hpops::log
