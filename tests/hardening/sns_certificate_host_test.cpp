// Finding 5: the SigningCertURL check let through sns.s3.amazonaws.com (an S3
// bucket named "sns", served with a valid certificate), and the downloaded
// certificate's chain and subject were never checked, so whoever could put a
// file there could sign SNS messages. Now the host must be SNS in the topic's
// region and partition, and the certificate must chain to a trusted root and
// be issued to the name SNS signs with.
#include <gtest/gtest.h>

#include <memory>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "alerts/sns_certificate.hpp"
#include "alerts/sns_url.hpp"

namespace hpops::bot {
using alerts::SnsTopic;
using alerts::SnsTrust;
using alerts::parse_sns_topic_arn;
using alerts::parse_sns_url;
using alerts::sns_certificate_names;
using alerts::sns_endpoint_problem;
namespace {

const SnsTopic us_east{"aws", "us-east-1"};

TEST(SnsCertificateHost, OnlySnsInTheTopicsRegionAndPartition) {
    const std::string path = "/SimpleNotificationService-0.pem";
    EXPECT_FALSE(parse_sns_url("https://sns.s3.amazonaws.com" + path));
    EXPECT_FALSE(parse_sns_url("https://sns.amazonaws.com" + path));
    EXPECT_EQ(sns_endpoint_problem("https://sns.us-east-1.amazonaws.com" + path, us_east), "");
    EXPECT_NE(sns_endpoint_problem("https://sns.eu-west-1.amazonaws.com" + path, us_east), "");
    EXPECT_NE(sns_endpoint_problem("https://sns.s3.amazonaws.com" + path, us_east), "");
    EXPECT_EQ(sns_endpoint_problem("https://sns.cn-north-1.amazonaws.com.cn" + path, {"aws-cn", "cn-north-1"}), "");
    EXPECT_NE(sns_endpoint_problem("https://sns.cn-north-1.amazonaws.com" + path, {"aws-cn", "cn-north-1"}), "");
    EXPECT_NE(sns_endpoint_problem("https://sns.cn-north-1.amazonaws.com.cn" + path, {"aws", "cn-north-1"}), "");
    EXPECT_EQ(sns_endpoint_problem("https://sns.us-gov-west-1.amazonaws.com" + path, {"aws-us-gov", "us-gov-west-1"}),
              "");
    EXPECT_NE(sns_endpoint_problem("https://sns.us-gov-west-1.amazonaws.com" + path, {"aws", "us-gov-west-1"}), "");
}

TEST(SnsCertificateHost, TopicArnsGiveTheirPartitionAndRegion) {
    const auto t = parse_sns_topic_arn("arn:aws-cn:sns:cn-northwest-1:123456789012:alarms");
    ASSERT_TRUE(t);
    EXPECT_EQ(t->partition, "aws-cn");
    EXPECT_EQ(t->region, "cn-northwest-1");
    EXPECT_FALSE(parse_sns_topic_arn("arn:aws:sqs:us-east-1:123456789012:q"));
    EXPECT_FALSE(parse_sns_topic_arn("arn:aws:sns:s3:123456789012:alarms"));
}

// A key and a certificate for it, signed by `issuer` (self-signed without one).
struct Issued {
    std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key{EVP_RSA_gen(2048), &EVP_PKEY_free};
    std::unique_ptr<X509, decltype(&X509_free)> cert{X509_new(), &X509_free};
    std::string pem() const {
        std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), &BIO_free);
        PEM_write_bio_X509(bio.get(), cert.get());
        char* data = nullptr;
        const long size = BIO_get_mem_data(bio.get(), &data);
        return std::string(data, static_cast<std::size_t>(size));
    }
};

void add_extension(X509* cert, X509* issuer, int nid, const char* value) {
    X509V3_CTX ctx;
    X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
    X509_add_ext(cert, ext, -1);
    X509_EXTENSION_free(ext);
}

std::unique_ptr<Issued> issue(const std::string& common_name, const Issued* issuer, bool ca = false) {
    auto out = std::make_unique<Issued>();
    X509* cert = out->cert.get();
    X509_set_version(cert, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
    X509_gmtime_adj(X509_getm_notBefore(cert), -3600);
    X509_gmtime_adj(X509_getm_notAfter(cert), 3600);
    X509_set_pubkey(cert, out->key.get());
    X509_NAME* name = X509_get_subject_name(cert);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(common_name.c_str()),
                               -1, -1, 0);
    X509_set_issuer_name(cert, issuer ? X509_get_subject_name(issuer->cert.get()) : name);
    X509* signer_cert = issuer ? issuer->cert.get() : cert;
    if (ca) add_extension(cert, signer_cert, NID_basic_constraints, "critical,CA:TRUE");
    else add_extension(cert, signer_cert, NID_subject_alt_name, ("DNS:" + common_name).c_str());
    X509_sign(cert, issuer ? issuer->key.get() : out->key.get(), EVP_sha256());
    return out;
}

TEST(SnsCertificateHost, CertificateMustChainToTheAnchorAndNameSns) {
    const auto ca = issue("test root", nullptr, true);
    const auto trust = SnsTrust::from_pem(ca->pem());
    const auto names = sns_certificate_names(us_east);
    EXPECT_EQ(trust->verify(issue("sns.amazonaws.com", ca.get())->pem(), names), "");
    EXPECT_EQ(trust->verify(issue("sns-signing.us-east-1.amazonaws.com", ca.get())->pem(), names), "");
    // A certificate for anything else, even from a trusted CA (the S3 bucket's case).
    EXPECT_EQ(trust->verify(issue("sns.s3.amazonaws.com", ca.get())->pem(), names),
              "signing certificate is not issued to sns.amazonaws.com or sns-signing.us-east-1.amazonaws.com");
    // Named right, but self-signed or from a CA nobody trusts.
    const auto stranger = issue("another root", nullptr, true);
    EXPECT_NE(trust->verify(issue("sns.amazonaws.com", nullptr)->pem(), names).find("is not trusted"), std::string::npos);
    EXPECT_NE(trust->verify(issue("sns.amazonaws.com", stranger.get())->pem(), names).find("is not trusted"),
              std::string::npos);
}

TEST(SnsCertificateHost, ChinaAndGovCloudSignWithTheirOwnNames) {
    EXPECT_EQ(sns_certificate_names({"aws-cn", "cn-north-1"}), std::vector<std::string>{"sns-cn-north-1.amazonaws.com.cn"});
    EXPECT_EQ(sns_certificate_names({"aws-us-gov", "us-gov-east-1"}),
              std::vector<std::string>{"sns-us-gov-west-1.amazonaws.com"});
}

}  // namespace
}  // namespace hpops::bot
