#include "handlers/cluster_launch_request.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <nlohmann/json.hpp>

#include "common/text.hpp"
#include "common/text_similarity.hpp"
#include "handlers/aws_region_names.hpp"
#include "hpops/errors.hpp"

namespace hpops::handlers {
namespace {

bool all_of(std::string_view s, auto pred) { return std::all_of(s.begin(), s.end(), pred); }
bool is_lower_alnum(char c) { return std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)); }

// ml.g5.8xlarge: "ml", a family, a size.
bool is_hyperpod_instance_type(std::string_view t) {
    if (!t.starts_with("ml.")) return false;
    t.remove_prefix(3);
    const auto dot = t.find('.');
    if (dot == std::string_view::npos || dot == 0 || dot + 1 == t.size()) return false;
    return all_of(t.substr(0, dot), [](char c) { return is_lower_alnum(c) || c == '-'; }) &&
           all_of(t.substr(dot + 1), is_lower_alnum);
}

// us-west-2a (a zone name) or usw2-az1 (a zone id).
bool is_zone_name(std::string_view z) {
    return z.size() > 2 && std::islower(static_cast<unsigned char>(z.back())) &&
           region_problem(z.substr(0, z.size() - 1)).empty();
}
bool is_zone_id(std::string_view z) {
    const auto at = z.find("-az");
    return at != std::string_view::npos && at >= 3 && at + 3 < z.size() && all_of(z.substr(0, at), is_lower_alnum) &&
           all_of(z.substr(at + 3), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
}

int parse_instance_count(const std::string& text) {
    int value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size() || value < 1 || value > 1000)
        throw UserError("count= is the number of instances in the group, 1 to 1000; `" + text + "` is not");
    return value;
}

std::vector<std::string> split_commas(const std::string& text) {
    std::vector<std::string> parts;
    std::size_t from = 0;
    while (from <= text.size()) {
        const auto comma = std::min(text.find(',', from), text.size());
        if (comma > from) parts.push_back(text.substr(from, comma - from));
        from = comma + 1;
    }
    return parts;
}

}  // namespace

std::string stack_name_problem(std::string_view name) {
    if (name.empty() || name.size() > 128 || !std::isalpha(static_cast<unsigned char>(name.front())) ||
        !all_of(name, [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-'; }))
        return "a cluster's name is its CloudFormation stack's: a letter, then letters, digits and hyphens, at most "
               "128 characters";
    return {};
}

std::string template_url_problem(std::string_view url) {
    constexpr std::string_view scheme = "https://";
    if (!url.starts_with(scheme)) return "template= must be an https:// URL of a template in S3";
    std::string_view rest = url.substr(scheme.size());
    const std::string_view host = rest.substr(0, rest.find_first_of("/?#"));
    const bool aws = host.ends_with(".amazonaws.com") || host.ends_with(".amazonaws.com.cn");
    const bool s3 = host.starts_with("s3.") || host.starts_with("s3-") || host.find(".s3.") != std::string_view::npos ||
                    host.find(".s3-") != std::string_view::npos;
    if (host.find('@') != std::string_view::npos || !aws || !s3)
        return "template= must name a template in S3 (https://BUCKET.s3.REGION.amazonaws.com/PATH); CloudFormation "
               "reads templates from nowhere else";
    if (rest.size() <= host.size() + 1) return "template= names a bucket but no template in it";
    return {};
}

ClusterLaunchRequest parse_cluster_launch(const Intent& intent) {
    if (intent.args.size() != 1) throw UserError("Say which cluster to launch: `/hp cluster launch NAME`");
    ClusterLaunchRequest r;
    r.name = intent.args[0];
    if (auto problem = stack_name_problem(r.name); !problem.empty())
        throw UserError("`" + r.name.substr(0, 60) + "`: " + problem);
    for (const auto& [key, value] : intent.options) {
        if (key == "template") {
            if (auto problem = template_url_problem(value); !problem.empty()) throw UserError(problem);
            r.template_url = value;
        } else if (key == "region") {
            if (auto problem = region_problem(value); !problem.empty()) throw UserError(problem);
            r.region = value;
        } else if (key == "instance-type") {
            if (!is_hyperpod_instance_type(value))
                throw UserError("instance-type= is a HyperPod type such as ml.g5.8xlarge or ml.p5.48xlarge; `" +
                                value.substr(0, 40) + "` is not");
            r.instance_type = value;
        } else if (key == "count") {
            r.count = parse_instance_count(value);
        } else if (key == "az") {
            r.zones = split_commas(value);
            const bool names = std::all_of(r.zones.begin(), r.zones.end(), [](const auto& z) { return is_zone_name(z); });
            const bool ids = std::all_of(r.zones.begin(), r.zones.end(), [](const auto& z) { return is_zone_id(z); });
            if (r.zones.empty() || r.zones.size() > 6 || !(names || ids))
                throw UserError("az= lists up to six zones, all names (us-west-2a,us-west-2b) or all ids "
                                "(usw2-az1,usw2-az2)");
        } else if (key == "eks-version") {
            if (value.size() != 4 || !value.starts_with("1.") || !std::isdigit(static_cast<unsigned char>(value[2])) ||
                !std::isdigit(static_cast<unsigned char>(value[3])))
                throw UserError("eks-version= is a Kubernetes minor version such as 1.33");
            r.kubernetes_version = value;
        } else if (key == "spot") {
            if (value != "yes" && value != "no") throw UserError("spot= is yes or no");
            r.spot = value == "yes";
        } else if (key == "recovery") {
            if (value != "automatic" && value != "none") throw UserError("recovery= is automatic or none");
            r.recovery = value == "automatic" ? "Automatic" : "None";
        } else if (key.starts_with("param.") && key.size() > 6) {
            r.extra.push_back({key.substr(6), value});
        } else {
            throw UserError("`" + key.substr(0, 40) +
                            "=` is not an option of cluster launch; it takes template=, region=, instance-type=, "
                            "count=, az=, eks-version=, spot=, recovery= and param.KEY=VALUE");
        }
    }
    return r;
}

std::vector<StackParameter> template_parameters(const ClusterLaunchRequest& r, const TemplateSummary& summary) {
    std::vector<StackParameter> out;
    auto declared = [&](std::string_view key) {
        return std::any_of(summary.parameters.begin(), summary.parameters.end(),
                           [&](const TemplateParameter& p) { return p.key == key; });
    };
    auto set = [&](const std::string& key, std::string value) {
        if (value.empty() || !declared(key)) return;
        std::erase_if(out, [&](const StackParameter& p) { return p.key == key; });
        out.push_back({key, std::move(value)});
    };
    set("ResourceNamePrefix", r.name);
    // AWS's template names its clusters by parameters whose defaults (hp-cluster, eks) two launches would share.
    set("HyperPodClusterName", r.name);
    set("EKSClusterName", r.name + "-eks");
    set("KubernetesVersion", r.kubernetes_version);
    set("NodeRecovery", r.recovery);
    // hpops's own template.
    set("InstanceType", r.instance_type);
    set("InstanceCount", std::to_string(r.count));
    if (r.zones.size() >= 1) set("AvailabilityZone1", r.zones[0]);
    if (r.zones.size() >= 2) set("AvailabilityZone2", r.zones[1]);
    // AWS's main-stack-eks-based-template.yaml: zone ids, one instance group as JSON.
    std::string zones;
    for (const auto& z : r.zones) zones += (zones.empty() ? "" : ",") + z;
    set("AvailabilityZoneIds", zones);
    if (declared("InstanceGroupSettings1")) {
        nlohmann::json group = {{"InstanceGroupName", "accelerated-instance-group-1"},
                                {"InstanceType", r.instance_type},
                                {"InstanceCount", r.count},
                                {"ThreadsPerCore", 1},
                                {"InstanceStorageConfigs", {{{"EbsVolumeConfig", {{"VolumeSizeInGB", 500}}}}}}};
        if (!r.zones.empty()) group["TargetAvailabilityZoneId"] = r.zones.front();
        set("InstanceGroupSettings1", nlohmann::json::array({group}).dump());
    }
    // param.KEY=VALUE last: it wins, under the template's own spelling of KEY.
    for (const StackParameter& extra : r.extra) {
        const auto match = std::find_if(summary.parameters.begin(), summary.parameters.end(),
                                        [&](const TemplateParameter& p) { return lower_ascii(p.key) == extra.key; });
        if (match == summary.parameters.end()) {
            std::vector<std::string_view> names;
            for (const auto& p : summary.parameters) names.push_back(p.key);
            const std::string near = closest_match(extra.key, names);
            throw UserError("The template has no parameter `" + extra.key.substr(0, 60) + "`" +
                            (near.empty() ? std::string(".") : "; did you mean `param." + near + "`?"));
        }
        set(match->key, extra.value);
    }
    // What the template needs and nobody gave: say so now, with its description.
    std::string missing;
    for (const TemplateParameter& p : summary.parameters) {
        if (p.has_default) continue;
        if (std::any_of(out.begin(), out.end(), [&](const StackParameter& s) { return s.key == p.key; })) continue;
        missing += "\n• `" + p.key + "`" + (p.description.empty() ? "" : ": " + p.description);
    }
    if (!missing.empty())
        throw UserError("The template needs values for these parameters (add `param.KEY=VALUE`, or az= for zones):" +
                        missing);
    return out;
}

}  // namespace hpops::handlers
