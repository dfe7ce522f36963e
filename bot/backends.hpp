#pragma once
#include <memory>

#include "hpops/config.hpp"
#include "hpops/handler.hpp"
#include "hpops/http_client.hpp"
#include "hpops/kube.hpp"
#include "hpops/tracking.hpp"

namespace hpops::bot {

class AwsClients;

// The integrations the config sets up, owned in one place; clients() hands
// handlers their interfaces. AWS clients exist when a region is known.
class Backends {
public:
    Backends(const Config& config, HttpClient& http);
    ~Backends();
    const Clients& clients() const { return clients_; }
    std::vector<std::pair<std::string, bool>> configured() const;  // for /hp status

private:
    std::unique_ptr<AwsClients> aws_;
    std::unique_ptr<Tracking> tracking_;
    std::unique_ptr<Kube> kube_;
    Clients clients_;
};

}  // namespace hpops::bot
