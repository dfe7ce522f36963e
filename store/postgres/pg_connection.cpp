#include "store/postgres/pg_connection.hpp"

#include <charconv>

#include <libpq-fe.h>

namespace hpops::store::pg {
namespace {

std::string trimmed(const char* message) {
    std::string text = message ? message : "";
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    return text;
}

// NOTICEs ("relation already exists, skipping") are not worth a line on stderr.
void ignore_notice(void*, const char*) {}

}  // namespace

std::int64_t Row::integer(int column) const { return result_.integer(row_, column); }
std::string Row::text(int column) const { return result_.text(row_, column); }

void raise(const std::string& message, const std::string& sqlstate) {
    if (sqlstate.starts_with("08") || sqlstate.starts_with("57P") || sqlstate == "53300")
        throw UpstreamError("store", "Unreachable", message);
    if (sqlstate == "57014") throw UpstreamError("store", "Timeout", message);
    throw Error(message, sqlstate);
}

Result::Result(pg_result* result) : result_(result) {}
Result::~Result() {
    if (result_) PQclear(result_);
}
int Result::rows() const { return PQntuples(result_); }
bool Result::is_null(int row, int column) const { return PQgetisnull(result_, row, column) != 0; }
std::string Result::text(int row, int column) const {
    return std::string(PQgetvalue(result_, row, column), static_cast<std::size_t>(PQgetlength(result_, row, column)));
}
std::int64_t Result::integer(int row, int column) const {
    const char* value = PQgetvalue(result_, row, column);
    std::int64_t out = 0;
    std::from_chars(value, value + PQgetlength(result_, row, column), out);
    return out;
}
std::int64_t Result::affected() const {
    const char* tuples = PQcmdTuples(result_);
    std::int64_t out = 0;
    std::from_chars(tuples, tuples + std::char_traits<char>::length(tuples), out);
    return out;
}

Connection::Connection(const ConnectSettings& settings) {
    const std::string timeout = std::to_string(settings.connect_timeout_seconds);
    // Every statement is bounded by the server: a stuck lock or a slow plan
    // fails the one call instead of holding a pooled connection for good.
    const std::string options = "-c statement_timeout=" + std::to_string(settings.statement_timeout_ms);
    const char* keywords[] = {"dbname", "connect_timeout", "options", "application_name", nullptr};
    const char* values[] = {settings.url.c_str(), timeout.c_str(), options.c_str(), settings.application_name.c_str(),
                            nullptr};
    conn_ = PQconnectdbParams(keywords, values, /*expand_dbname=*/1);
    if (!conn_ || PQstatus(conn_) != CONNECTION_OK) {
        // libpq's message names host and port, never the password.
        const std::string message = conn_ ? trimmed(PQerrorMessage(conn_)) : "out of memory";
        if (conn_) PQfinish(conn_);
        conn_ = nullptr;
        raise("postgres " + redacted_url(settings.url) + ": connect: " + message, "08001");
    }
    PQsetNoticeProcessor(conn_, &ignore_notice, nullptr);
}

Connection::~Connection() {
    if (conn_) PQfinish(conn_);
}

bool Connection::usable() const { return PQstatus(conn_) == CONNECTION_OK && PQtransactionStatus(conn_) == PQTRANS_IDLE; }

bool Connection::in_failed_state() const {
    return PQstatus(conn_) != CONNECTION_OK || PQtransactionStatus(conn_) == PQTRANS_INERROR;
}

void Connection::fail(pg_result* result, const char* operation) const {
    const char* state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
    std::string sqlstate = state ? state : (PQstatus(conn_) != CONNECTION_OK ? "08006" : "");
    const std::string message = trimmed(result ? PQresultErrorMessage(result) : PQerrorMessage(conn_));
    if (result) PQclear(result);
    raise(std::string("postgres: ") + operation + ": " + (message.empty() ? "failed" : message), sqlstate);
}

Result Connection::exec(const char* sql, const Params& params, const char* operation) {
    auto found = prepared_.find(sql);
    if (found == prepared_.end()) {
        std::string name = "s" + std::to_string(prepared_.size());
        pg_result* made = PQprepare(conn_, name.c_str(), sql, 0, nullptr);
        if (!made || PQresultStatus(made) != PGRES_COMMAND_OK) fail(made, operation);
        PQclear(made);
        found = prepared_.emplace(sql, std::move(name)).first;
    }
    std::vector<const char*> values;
    values.reserve(params.values().size());
    for (const auto& v : params.values()) values.push_back(v ? v->c_str() : nullptr);
    pg_result* result = PQexecPrepared(conn_, found->second.c_str(), static_cast<int>(values.size()), values.data(),
                                       nullptr, nullptr, 0);
    const auto status = result ? PQresultStatus(result) : PGRES_FATAL_ERROR;
    if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) fail(result, operation);
    return Result(result);
}

void Connection::run(const char* sql, const char* operation) {
    pg_result* result = PQexec(conn_, sql);
    const auto status = result ? PQresultStatus(result) : PGRES_FATAL_ERROR;
    if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) fail(result, operation);
    PQclear(result);
}

Transaction::~Transaction() {
    if (done_) return;
    try {
        connection_.run("ROLLBACK", "rollback");
    } catch (const std::exception&) {
        // A dead connection rolled back on its own; the pool drops it.
    }
}

std::string redacted_url(std::string_view url) {
    std::string out(url);
    // postgres://user:PASSWORD@host...
    if (const auto scheme = out.find("://"); scheme != std::string::npos) {
        const auto authority = scheme + 3;
        const auto at = out.find('@', authority);
        const auto slash = out.find('/', authority);
        const auto colon = out.find(':', authority);
        if (at != std::string::npos && (slash == std::string::npos || at < slash) && colon < at)
            out.replace(colon + 1, at - colon - 1, "***");
    }
    // ...?password=PASSWORD&...
    if (const auto key = out.find("password="); key != std::string::npos) {
        const auto value = key + 9;
        const auto end = out.find('&', value);
        out.replace(value, (end == std::string::npos ? out.size() : end) - value, "***");
    }
    return out;
}

}  // namespace hpops::store::pg
