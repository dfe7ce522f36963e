#pragma once
#include <string>
#include <string_view>

#include "hpops/reply.hpp"

namespace hpops::bot {

// Renders a Reply for a terminal (`hpops run`): a title underlined with '=',
// mrkdwn reduced to plain words, aligned fields and tables (never truncated),
// chips as "[ok] label", buttons listed by label. Blocks are separated by a
// blank line; the result ends with a newline.
std::string render_plain_text(const Reply& reply);

// Slack mrkdwn as plain text: *bold*, _italic_, ~strike~ and `code` lose their
// markers, <url|label> becomes "label (url)", <@U1|ann> becomes "@ann", and
// &amp; &lt; &gt; are unescaped. Exposed for tests and other text surfaces.
std::string simplify_mrkdwn(std::string_view markdown);

}  // namespace hpops::bot
