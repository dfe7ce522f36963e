#include "handlers/aws_region_names.hpp"

#include <algorithm>
#include <vector>

#include "common/text_similarity.hpp"

namespace hpops::handlers {
namespace {

// The regions AWS lists for commercial, China and GovCloud partitions
// (botocore's endpoints.json, December 2026). A name outside it is refused
// with the nearest one, before any call could fail with a DNS error.
const std::vector<std::string_view>& known_regions() {
    static const std::vector<std::string_view> regions{
        "af-south-1",     "ap-east-1",      "ap-east-2",      "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
        "ap-south-1",     "ap-south-2",     "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4",
        "ap-southeast-5", "ap-southeast-6", "ap-southeast-7", "ca-central-1",   "ca-west-1",      "eu-central-1",
        "eu-central-2",   "eu-north-1",     "eu-south-1",     "eu-south-2",     "eu-west-1",      "eu-west-2",
        "eu-west-3",      "il-central-1",   "me-central-1",   "me-south-1",     "mx-central-1",   "sa-east-1",
        "us-east-1",      "us-east-2",      "us-west-1",      "us-west-2",      "cn-north-1",     "cn-northwest-1",
        "us-gov-east-1",  "us-gov-west-1"};
    return regions;
}

}  // namespace

std::string region_problem(std::string_view region) {
    const auto& regions = known_regions();
    if (std::find(regions.begin(), regions.end(), region) != regions.end()) return {};
    std::string message = "`" + std::string(region.substr(0, 40)) + "` is not an AWS region";
    if (auto near = closest_match(region, regions); !near.empty()) message += "; did you mean `" + near + "`?";
    return message;
}

}  // namespace hpops::handlers
