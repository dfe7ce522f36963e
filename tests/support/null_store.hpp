#pragma once
// A Store that keeps nothing, for handlers under test that must be handed a
// CommandContext but touch no storage (help, training reports).
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "hpops/store.hpp"

namespace hpops::testing {

class NullStore final : public Store {
public:
    std::int64_t append_audit(const AuditRecord&) override { return 0; }
    void finish_audit(std::int64_t, const std::string&, const std::string&, const std::string&) override {}
    std::vector<AuditRecord> recent_audit(std::size_t) const override { return {}; }
    std::optional<AuditRecord> audit_record(std::int64_t) const override { return std::nullopt; }
    std::vector<AuditRecord> audit_history(const AuditQuery&) const override { return {}; }
    bool remember_request(const std::string&, std::chrono::system_clock::time_point) override { return true; }
    bool healthy() const override { return true; }
    std::string describe() const override { return "null"; }
};

}  // namespace hpops::testing
