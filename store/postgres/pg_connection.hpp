#pragma once
// One libpq connection: statements prepared once per connection and run with
// text parameters, results read by row and column. Errors throw
// std::runtime_error("postgres: OPERATION: message"), with the server's
// SQLSTATE kept for callers that tell a conflict from an outage.
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "hpops/errors.hpp"

struct pg_conn;
struct pg_result;

namespace hpops::store::pg {

class Error : public std::runtime_error {
public:
    Error(const std::string& message, std::string sqlstate)
        : std::runtime_error(message), sqlstate_(std::move(sqlstate)) {}
    const std::string& sqlstate() const { return sqlstate_; }

private:
    std::string sqlstate_;
};

// Throws the error for `sqlstate`: an outage (no connection, the server
// shutting down, every connection busy) or a statement timeout as an
// UpstreamError of service "store", which the chat shows as "hpops's database
// did not answer" and alert receivers answer with 503; anything else as Error.
[[noreturn]] void raise(const std::string& message, const std::string& sqlstate);

// Values for $1, $2...; each goes as text and the server casts it to the
// column's type, so one binding works for BIGINT and TEXT alike.
class Params {
public:
    Params& add(std::int64_t value) {
        values_.push_back(std::to_string(value));
        return *this;
    }
    Params& add(std::string_view value) {
        values_.emplace_back(std::string(value));
        return *this;
    }
    Params& add(const char* value) { return add(std::string_view(value)); }
    Params& add_null() {
        values_.emplace_back(std::nullopt);
        return *this;
    }
    const std::vector<std::optional<std::string>>& values() const { return values_; }

private:
    std::vector<std::optional<std::string>> values_;
};

class Result;

// One row of a Result, read as SQLite's statements are (store/row_readers.hpp).
class Row {
public:
    Row(const Result& result, int row) : result_(result), row_(row) {}
    std::int64_t integer(int column) const;
    std::string text(int column) const;

private:
    const Result& result_;
    int row_;
};

class Result {
public:
    explicit Result(pg_result* result);
    ~Result();
    Result(Result&& other) noexcept : result_(other.result_) { other.result_ = nullptr; }
    Result& operator=(Result&&) = delete;
    Result(const Result&) = delete;

    int rows() const;
    bool empty() const { return rows() == 0; }
    std::int64_t integer(int row, int column) const;  // 0 for NULL
    std::string text(int row, int column) const;      // "" for NULL
    bool is_null(int row, int column) const;
    std::int64_t affected() const;  // rows an INSERT, UPDATE or DELETE touched
    Row row(int index) const { return Row(*this, index); }
    // Each row read by `read`, in order.
    template <class Read>
    auto all(Read read) const {
        std::vector<decltype(read(row(0)))> out;
        out.reserve(static_cast<std::size_t>(rows()));
        for (int i = 0; i < rows(); ++i) out.push_back(read(row(i)));
        return out;
    }

private:
    pg_result* result_;
};

struct ConnectSettings {
    std::string url;  // postgres://user:password@host:port/db?sslmode=...
    int connect_timeout_seconds = 3;
    int statement_timeout_ms = 5000;
    std::string application_name = "hpops";
};

class Connection {
public:
    // Throws Error when the server cannot be reached or refuses.
    explicit Connection(const ConnectSettings& settings);
    ~Connection();
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    // `sql` is prepared on first use (keyed by its address: pass constants).
    Result exec(const char* sql, const Params& params, const char* operation);
    // Statements without parameters, several separated by `;` (migrations).
    void run(const char* sql, const char* operation);

    bool usable() const;          // connected and outside any transaction
    bool in_failed_state() const; // broken, or in a transaction that failed

private:
    [[noreturn]] void fail(pg_result* result, const char* operation) const;

    pg_conn* conn_ = nullptr;
    std::unordered_map<const char*, std::string> prepared_;  // sql -> statement name
};

// BEGIN on construction, ROLLBACK unless commit() ran.
class Transaction {
public:
    explicit Transaction(Connection& connection) : connection_(connection) { connection_.run("BEGIN", "begin"); }
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    void commit() {
        connection_.run("COMMIT", "commit");
        done_ = true;
    }

private:
    Connection& connection_;
    bool done_ = false;
};

// The URL with its password replaced, for logs and `describe()`.
std::string redacted_url(std::string_view url);

}  // namespace hpops::store::pg
