#include "hpops/command_spec.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "command/parser.hpp"
#include "hpops/role.hpp"

namespace {

using hpops::CommandSpec;
using hpops::Role;
using hpops::command_table;
using hpops::find_command;

bool is_lower_key(std::string_view s) {
    if (s.empty()) return false;
    for (char c : s)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
    return true;
}

TEST(CommandTable, HoldsEveryCommandOfTheDesign) {
    const std::set<std::string> expected{
        "help", "status", "nodegroups", "scale nodegroup", "scale instancegroup", "nodegroup create",
        "nodegroup delete", "instancegroup add", "cluster launch", "cluster status", "cluster logs", "cluster delete",
        "deploy", "models", "undeploy", "nodes", "training", "training show", "training compare", "training delete",
        "clusters", "alerts", "digest now", "digest schedule", "digests", "digest off", "capacity", "jobs", "job", "job cancel",
        "queues", "pools", "history", "health", "node reboot", "node replace",
        "trainjobs", "trainjobs show", "trainjobs suspend", "trainjobs resume",
        "trainjobs delete"};
    std::set<std::string> names;
    for (const auto& spec : command_table()) names.insert(spec.name);
    EXPECT_EQ(names, expected);
    EXPECT_EQ(command_table().size(), expected.size()) << "names are unique";
}

TEST(CommandTable, IsBuiltOnce) { EXPECT_EQ(command_table().data(), command_table().data()); }

TEST(CommandTable, SpecsAreWellFormed) {
    for (const auto& spec : command_table()) {
        SCOPED_TRACE(spec.name);
        EXPECT_FALSE(spec.summary.empty());
        EXPECT_LE(spec.required_positionals, spec.positionals.size());
        if (spec.variadic) { EXPECT_FALSE(spec.positionals.empty()); }
        std::set<std::string> keys;
        for (const auto& option : spec.options) {
            // A family of keys ends in '.': "param." takes param.KEY=VALUE.
            const std::string_view key = option.key.ends_with('.') ? std::string_view(option.key).substr(0, option.key.size() - 1)
                                                                    : std::string_view(option.key);
            EXPECT_TRUE(is_lower_key(key)) << option.key;
            EXPECT_FALSE(option.description.empty()) << option.key;
            EXPECT_TRUE(keys.insert(option.key).second) << "duplicate option " << option.key;
        }
        // `{0}` needs a first positional that is always present.
        if (spec.ack.find("{0}") != std::string::npos) { EXPECT_GE(spec.required_positionals, 1u); }
        if (spec.mutating) { EXPECT_FALSE(spec.ack.empty()); }
    }
}

TEST(CommandTable, RolesAndConfirmation) {
    for (const auto& spec : command_table()) {
        SCOPED_TRACE(spec.name);
        EXPECT_EQ(spec.mutating, spec.role != Role::viewer);
        if (spec.name.ends_with(" delete")) {
            EXPECT_EQ(spec.role, Role::admin);
            EXPECT_TRUE(spec.always_confirm);
        }
    }
    EXPECT_EQ(find_command("cluster launch")->role, Role::admin);
    EXPECT_TRUE(find_command("cluster launch")->always_confirm);
    // These two ask once they know what to name: the cost, the resources.
    for (const char* name : {"cluster launch", "cluster delete"}) { EXPECT_TRUE(find_command(name)->handler_confirms) << name; }
    EXPECT_TRUE(find_command("undeploy")->always_confirm);
    // New capacity costs money from the first minute: creating asks first.
    for (const char* name : {"nodegroup create", "instancegroup add", "node reboot", "node replace"}) {
        EXPECT_EQ(find_command(name)->role, Role::operator_) << name;
        EXPECT_TRUE(find_command(name)->always_confirm) << name;
    }
    // Scaling asks only when the handler sees a large scale-down.
    for (const char* name : {"scale nodegroup", "scale instancegroup", "deploy"}) {
        EXPECT_EQ(find_command(name)->role, Role::operator_) << name;
        EXPECT_TRUE(find_command(name)->mutating) << name;
        EXPECT_FALSE(find_command(name)->always_confirm) << name;
    }
    for (const char* name : {"help", "status", "nodegroups", "models", "nodes", "training", "training show", "alerts",
                             "queues", "pools", "history", "health",
                             "trainjobs", "trainjobs show"}) {
        EXPECT_EQ(find_command(name)->role, Role::viewer) << name;
        EXPECT_FALSE(find_command(name)->mutating) << name;
    }
    // Suspending or resuming a training job takes an operator and asks first (deleting, an admin).
    for (const char* name : {"trainjobs suspend", "trainjobs resume"}) {
        EXPECT_EQ(find_command(name)->role, Role::operator_) << name;
        EXPECT_TRUE(find_command(name)->always_confirm) << name;
    }
    EXPECT_EQ(find_command("scale nodegroup")->ack, "Scaling {0}…");
}

TEST(CommandTable, UsageLines) {
    EXPECT_EQ(find_command("scale nodegroup")->usage(), "scale nodegroup <name> [min=N] [max=N] [desired=N] [cluster=NAME] [dry-run=yes]");
    EXPECT_EQ(find_command("training compare")->usage(), "training compare <run> <run> [run…]");
    EXPECT_EQ(find_command("help")->usage(), "help [command…]");
    EXPECT_EQ(find_command("cluster status")->usage(), "cluster status [name] [region=REGION]");
    EXPECT_NE(find_command("cluster launch")->usage().find(" [param.KEY=VALUE…]"), std::string::npos);
    EXPECT_EQ(find_command("digests")->usage(), "digests");
}

// The usage line of every command, filled in with sample values, parses back
// into exactly that command: help cannot advertise what the parser refuses.
TEST(CommandTable, EveryUsageParsesBack) {
    for (const auto& spec : command_table()) {
        SCOPED_TRACE(spec.usage());
        ASSERT_TRUE(spec.usage().starts_with(spec.name));
        hpops::Intent expected{spec.name, {}, {}, false};
        std::string text = spec.name;
        const std::size_t count = spec.variadic ? spec.positionals.size() + 2 : spec.positionals.size();
        for (std::size_t i = 0; i < count; ++i) {
            expected.args.push_back("arg" + std::to_string(i));
            text += " arg" + std::to_string(i);
        }
        for (const auto& option : spec.options) {
            // A family ("param.") is given with a member's name.
            const std::string key = option.key.ends_with('.') ? option.key + "vpccidr" : option.key;
            expected.options[key] = "v-" + key;
            text += " " + key + "=v-" + key;
        }
        auto parsed = hpops::parse_command(text);
        ASSERT_TRUE(std::holds_alternative<hpops::Intent>(parsed)) << std::get<hpops::ParseError>(parsed).message;
        EXPECT_EQ(std::get<hpops::Intent>(parsed), expected);

        // And the least it accepts: only the required positionals.
        std::string minimal = spec.name;
        for (std::size_t i = 0; i < spec.required_positionals; ++i) minimal += " a";
        EXPECT_TRUE(std::holds_alternative<hpops::Intent>(hpops::parse_command(minimal))) << minimal;
    }
}

TEST(CommandTable, EveryAliasResolves) {
    ASSERT_FALSE(hpops::word_aliases().empty());
    for (const auto& alias : hpops::word_aliases()) {
        SCOPED_TRACE(alias.alias);
        bool used = false;
        for (const auto& spec : command_table())
            if ((" " + spec.name + " ").find(" " + alias.word + " ") != std::string::npos) used = true;
        EXPECT_TRUE(used) << alias.word << " is not a command word";
        EXPECT_EQ(find_command(alias.alias), find_command(alias.word));
        EXPECT_EQ(find_command(alias.alias + " delete"), find_command(alias.word + " delete"));
        for (const auto& spec : command_table())
            EXPECT_EQ((" " + spec.name + " ").find(" " + alias.alias + " "), std::string::npos)
                << "alias shadows a word of " << spec.name;
    }
    EXPECT_EQ(find_command("scale ng")->name, "scale nodegroup");
    EXPECT_EQ(find_command("IG add")->name, "instancegroup add");
    // The plural listing is its own command, not an alias of the singular.
    EXPECT_EQ(find_command("nodegroup"), nullptr);
    EXPECT_EQ(find_command("nodegroups")->name, "nodegroups");
}

TEST(CommandTable, FindCommandNormalizesCaseAndSpacing) {
    EXPECT_EQ(find_command("  Scale   NG "), find_command("scale nodegroup"));
    EXPECT_EQ(find_command("scale"), nullptr);
    EXPECT_EQ(find_command(""), nullptr);
}

TEST(CommandTableRole, NamesRoundTripCaseInsensitively) {
    for (Role role : {Role::none, Role::viewer, Role::operator_, Role::admin})
        EXPECT_EQ(hpops::parse_role(hpops::to_string(role)), role);
    EXPECT_EQ(hpops::to_string(Role::operator_), "operator");
    EXPECT_EQ(hpops::parse_role("ADMIN"), Role::admin);
    EXPECT_EQ(hpops::parse_role("Operator"), Role::operator_);
    EXPECT_EQ(hpops::parse_role("operator_"), std::nullopt);
    EXPECT_EQ(hpops::parse_role("root"), std::nullopt);
    EXPECT_EQ(hpops::parse_role(""), std::nullopt);
    EXPECT_LT(Role::viewer, Role::operator_);
}

}  // namespace
