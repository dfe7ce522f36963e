#pragma once
// Which URLs in an SNS message may be fetched: signing certificates and
// subscription confirmations come only from AWS's SNS endpoints. Checked by
// hand, in one pass, because the URL is the sender's and arrives before any
// credential or signature has been checked (std::regex recursed once per
// character: a 60 KB SigningCertURL overflowed the stack).
#include <optional>
#include <string>
#include <string_view>

namespace hpops::alerts {

struct SnsUrl {
    std::string host;    // sns.<region>.amazonaws.com[.cn]
    std::string region;  // from the host name: "us-east-1"
    bool china = false;  // .amazonaws.com.cn
};

// https://sns.<region>.amazonaws.com[.cn]/... with a region-shaped name
// (letters in dash-separated words, then a number: not "s3"), and no user,
// port, fragment or white space; nullopt for anything else.
std::optional<SnsUrl> parse_sns_url(std::string_view url);

// arn:<partition>:sns:<region>:<account>:<name>
struct SnsTopic {
    std::string partition;  // aws, aws-cn, aws-us-gov
    std::string region;
};
std::optional<SnsTopic> parse_sns_topic_arn(std::string_view arn);

// Why `url` is not the SNS endpoint of `topic`'s own region and partition
// (where SNS publishes the certificates it signs that topic's messages with);
// empty when it is.
std::string sns_endpoint_problem(std::string_view url, const SnsTopic& topic);

bool is_sns_url(std::string_view url);
bool is_sns_certificate_url(std::string_view url);  // is_sns_url and a .pem path

}  // namespace hpops::alerts
