// The default price table behind a launch confirmation's cost estimate.
//
// Where the numbers come from: Amazon EC2 On-Demand list prices for Linux in
// US East (N. Virginia), USD per instance-hour, as AWS published them on
// https://aws.amazon.com/ec2/pricing/on-demand/ (G5, G6, G6e, Trn1 as of 2024;
// P4d, P4de and P5 before AWS's mid-2025 cut of its P-family prices, so those
// read high). A HyperPod instance (ml.*) is billed at SageMaker's rate for it
// (https://aws.amazon.com/sagemaker/pricing/), which is the EC2 price plus a
// premium that varies by type and region. So the estimate is a rough floor for
// the G and Trn families and a rough ceiling for the P family: set
// `clusters.hourly_prices` to the rates your account pays.
#include "hpops/config.hpp"

namespace hpops {

std::map<std::string, double> default_hourly_prices() {
    return {
        {"ml.g5.xlarge", 1.006},     {"ml.g5.2xlarge", 1.212},    {"ml.g5.4xlarge", 1.624},
        {"ml.g5.8xlarge", 2.448},    {"ml.g5.12xlarge", 5.672},   {"ml.g5.16xlarge", 4.096},
        {"ml.g5.24xlarge", 8.144},   {"ml.g5.48xlarge", 16.288},  {"ml.g6.xlarge", 0.805},
        {"ml.g6.12xlarge", 4.602},   {"ml.g6.48xlarge", 13.350},  {"ml.g6e.xlarge", 1.861},
        {"ml.g6e.12xlarge", 10.493}, {"ml.g6e.48xlarge", 30.131}, {"ml.p4d.24xlarge", 32.773},
        {"ml.p4de.24xlarge", 40.966}, {"ml.p5.48xlarge", 98.320}, {"ml.trn1.32xlarge", 21.500},
        {"ml.trn1n.32xlarge", 24.781}, {"ml.m5.2xlarge", 0.384},  {"ml.c5.2xlarge", 0.340},
        {"ml.t3.medium", 0.042},
    };
}

}  // namespace hpops
