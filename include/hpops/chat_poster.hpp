#pragma once
#include <boost/asio/awaitable.hpp>
#include <string>

#include "hpops/reply.hpp"

namespace hpops {

struct PostedMessage {
    std::string channel;  // the platform's channel id (Slack answers with it)
    std::string ts;       // the message's id within the channel
};

// Posting and editing channel messages through a chat platform's API (Slack
// Web API: chat.postMessage, chat.update), as the alert pipeline sees it.
// Refusals throw UpstreamError whose code is the platform's error name
// ("channel_not_found", "ratelimited", "http_503"...).
class ChatPoster {
public:
    virtual ~ChatPoster() = default;
    virtual boost::asio::awaitable<PostedMessage> post(std::string channel, Reply message) = 0;
    virtual boost::asio::awaitable<PostedMessage> update(std::string channel, std::string ts, Reply message) = 0;
};

}  // namespace hpops
