#include "integrations/aws/query_protocol.hpp"

#include <gtest/gtest.h>

#include "hpops/errors.hpp"
#include "tests/support/upstream_error_of.hpp"

namespace hpops::integrations::aws {
namespace {

using hpops::testing::upstream_error_of;

TEST(QueryRequest, EncodesListsPairsAndSkipsEmptyOptionals) {
    QueryRequest r("CreateStack", "2010-05-15");
    r.add("StackName", "hp a&b").add_if("TemplateURL", "").add_list("Capabilities", {"CAPABILITY_IAM", "X=1"});
    r.add_pairs("Tags", "Key", "Value", {{"team", "ml/infra"}});
    EXPECT_EQ(r.body(),
              "Action=CreateStack&Version=2010-05-15&StackName=hp%20a%26b&Capabilities.member.1=CAPABILITY_IAM"
              "&Capabilities.member.2=X%3D1&Tags.member.1.Key=team&Tags.member.1.Value=ml%2Finfra");
    EXPECT_EQ(r.action(), "CreateStack");
}

TEST(QueryAnswer, ReadsTheResultAndItsRequestId) {
    const QueryAnswer answer("cloudformation", "CreateStack",
                             R"(<CreateStackResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/">
  <CreateStackResult><StackId>
    arn:aws:cloudformation:us-east-1:1:stack/a/b </StackId></CreateStackResult>
  <ResponseMetadata><RequestId>req-9</RequestId></ResponseMetadata></CreateStackResponse>)",
                             "");
    EXPECT_EQ(child_text(answer.result(), "StackId"), "arn:aws:cloudformation:us-east-1:1:stack/a/b");
    EXPECT_EQ(answer.request_id(), "req-9");
    EXPECT_EQ(child_text(answer.result(), "Absent"), "");

    const QueryAnswer no_output("cloudformation", "DeleteStack",
                                "<DeleteStackResponse><ResponseMetadata><RequestId>r2</RequestId></ResponseMetadata>"
                                "</DeleteStackResponse>",
                                "");
    EXPECT_FALSE(no_output.result());
    EXPECT_EQ(no_output.request_id(), "r2");
}

TEST(QueryAnswer, RefusesWhatIsNotAnAnswer) {
    for (const char* body : {"", "not xml <", "<DeleteStackResponse><DeleteStackResult/></DeleteStackResponse>",
                             "<!DOCTYPE x [<!ENTITY a SYSTEM \"file:///etc/passwd\">]><x>&a;</x>"}) {
        const UpstreamError e = upstream_error_of([&] { QueryAnswer("cloudformation", "CreateStack", body, "r"); });
        EXPECT_EQ(e.code(), "MalformedResponse") << body;
        EXPECT_EQ(e.request_id(), "r");
    }
}

}  // namespace
}  // namespace hpops::integrations::aws
