#include "bot/public_exposure.hpp"

#include <boost/asio/ip/address.hpp>

namespace hpops::bot {

bool is_loopback_host(const std::string& host) {
    if (host == "localhost") return true;
    boost::system::error_code ec;
    const auto address = boost::asio::ip::make_address(host, ec);
    return !ec && address.is_loopback();
}

std::vector<std::string> public_exposure_problems(const Config& config) {
    if (is_loopback_host(config.server.host)) return {};
    std::vector<std::string> problems;
    const std::string where = " while listening on " + config.server.host + " (not loopback)";
    const std::string& secret = config.slack.signing_secret;
    if (secret == example_signing_secret)
        problems.push_back("slack.signing_secret: is the public example value" + where +
                           "; set SLACK_SIGNING_SECRET to the Slack app's signing secret");
    else if (!secret.empty() && secret.size() < min_secret_length)
        problems.push_back("slack.signing_secret: is " + std::to_string(secret.size()) + " characters, fewer than " +
                           std::to_string(min_secret_length) + where + "; Slack's signing secrets have 32");
    if (!config.confirm.secret.empty() && config.confirm.secret.size() < min_secret_length)
        problems.push_back("confirm.secret: is shorter than " + std::to_string(min_secret_length) + " characters" +
                           where + "; leave it empty to derive one from the signing secret");
    if (auto it = config.access.users.find(example_admin_user); it != config.access.users.end())
        problems.push_back(std::string("access.users.") + example_admin_user + ": is the example's sample user" +
                           where + "; bind your own Slack user ids (deploy/examples/production.yaml)");
    return problems;
}

}  // namespace hpops::bot
