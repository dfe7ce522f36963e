#pragma once
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "hpops/handler.hpp"

namespace hpops::bot {

// Command key -> handler. Adding a handler is a new file in handlers/ plus one
// line in default_handlers().
class HandlerRegistry {
public:
    void add(std::unique_ptr<Handler> handler);
    Handler* find(std::string_view command) const;

private:
    std::map<std::string, std::unique_ptr<Handler>, std::less<>> handlers_;
};

HandlerRegistry default_handlers();

}  // namespace hpops::bot
