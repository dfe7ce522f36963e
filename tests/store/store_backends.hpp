#pragma once
// The store's tests run against both backends: each TEST_P here is
// instantiated once as Sqlite/... (a scratch file) and once as Postgres/...
// (a fresh database on the shared PostgreSQL peer). open() gives a store on
// the test's own database; calling it again gives a second store on the same
// one, standing in for a second replica.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <memory>
#include <string>

#include "store/postgres/postgres_store.hpp"
#include "store/sqlite_store.hpp"
#include "tests/support/postgres_peer.hpp"

namespace hpops::store::testing {

enum class Backend { sqlite, postgres };

// A clock the test moves by hand.
struct FakeClock {
    std::atomic<std::int64_t> now_ms{1'700'000'000'000};
    std::function<std::chrono::system_clock::time_point()> fn() {
        return [this] { return now(); };
    }
    std::chrono::system_clock::time_point now() const {
        return std::chrono::system_clock::time_point{std::chrono::milliseconds{now_ms.load()}};
    }
};

inline pg::PoolSettings postgres_settings(const std::string& url) {
    pg::PoolSettings settings;
    settings.connect.url = url;
    settings.size = 4;
    return settings;
}

class StoreBackendTest : public ::testing::TestWithParam<Backend> {
protected:
    void SetUp() override {
        if (GetParam() == Backend::postgres) {
            location_ = hpops::testing::PostgresPeer::shared().fresh_database();
            return;
        }
        const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
        std::string name = std::string(info->test_suite_name()) + "_" + info->name();
        for (char& c : name)
            if (c == '/') c = '_';
        dir_ = std::filesystem::temp_directory_path() / ("hpops_" + name + "_" + std::to_string(::getpid()));
        std::filesystem::remove_all(dir_);
        std::filesystem::create_directories(dir_);
        location_ = (dir_ / "hpops.db").string();
    }
    void TearDown() override {
        if (!dir_.empty()) std::filesystem::remove_all(dir_);
    }

    std::unique_ptr<Database> open(SqliteStore::Clock clock = &std::chrono::system_clock::now) const {
        if (GetParam() == Backend::postgres)
            return std::make_unique<PostgresStore>(postgres_settings(location_), std::move(clock));
        return std::make_unique<SqliteStore>(location_, std::move(clock));
    }

    std::string location_;  // the SQLite file, or the PostgreSQL database's URL
    std::filesystem::path dir_;
};

inline std::string backend_name(const ::testing::TestParamInfo<Backend>& info) {
    return info.param == Backend::postgres ? "postgres" : "sqlite";
}

}  // namespace hpops::store::testing

// In each test file, after its TEST_Ps: both backends for SUITE.
#define HPOPS_ON_BOTH_STORES(SUITE)                                                                               \
    INSTANTIATE_TEST_SUITE_P(Sqlite, SUITE, ::testing::Values(::hpops::store::testing::Backend::sqlite),         \
                             ::hpops::store::testing::backend_name);                                             \
    INSTANTIATE_TEST_SUITE_P(Postgres, SUITE, ::testing::Values(::hpops::store::testing::Backend::postgres),     \
                             ::hpops::store::testing::backend_name)
