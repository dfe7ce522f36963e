// Finding 10: with WAL and synchronous=NORMAL, an acknowledged alert or a
// spent confirmation nonce could be lost on power loss. FULL is the default,
// for the main store and the alert store alike.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>

#include "bot/config_loader.hpp"
#include "store/sqlite_alert_store.hpp"
#include "store/sqlite_store.hpp"
using hpops::Synchronous::full;
using hpops::store::SqliteAlertStore;
using hpops::store::SqliteStore;

using namespace hpops;
using namespace hpops::bot;

namespace {
std::string temp_db(const char* name) {
    return (std::filesystem::temp_directory_path() / (std::string("hpops-durable-") + name + "-" +
                                                      std::to_string(::getpid()) + ".db")).string();
}
}  // namespace

TEST(DurableAcknowledgements, TheStoreSyncsEachCommitByDefault) {
    EXPECT_EQ(Config{}.store.synchronous, Synchronous::full);
    const std::string path = temp_db("default");
    {
        SqliteStore store(path);
        EXPECT_NE(store.describe().find("(WAL, synchronous FULL)"), std::string::npos) << store.describe();
    }
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
}

TEST(DurableAcknowledgements, NormalIsAnExplicitChoice) {
    const std::map<std::string, std::string> env{{"SLACK_SIGNING_SECRET", "s"}};
    auto config = load_config_text("store: {synchronous: normal}\n", "t.yaml", &env);
    EXPECT_EQ(config->store.synchronous, Synchronous::normal);
    const std::string path = temp_db("normal");
    {
        SqliteStore store(path, &std::chrono::system_clock::now, config->store.synchronous);
        EXPECT_NE(store.describe().find("synchronous NORMAL"), std::string::npos) << store.describe();
    }
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
    try {
        load_config_text("store: {synchronous: off}\n", "t.yaml", &env);
        FAIL() << "`off` would lose acknowledged writes on a crash";
    } catch (const ConfigError& e) {
        EXPECT_NE(std::string(e.what()).find("store.synchronous"), std::string::npos) << e.what();
    }
}

TEST(DurableAcknowledgements, TheAlertStoreSyncsBeforeAlertmanagerHearsItsAnswer) {
    const std::string path = temp_db("alerts");
    {
        SqliteAlertStore full(path);
        EXPECT_EQ(full.synchronous_level(), 2) << "PRAGMA synchronous = FULL";
        SqliteAlertStore normal(path, 100, Synchronous::normal);
        EXPECT_EQ(normal.synchronous_level(), 1);
    }
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
}
