#pragma once
#include <gtest/gtest.h>

#include <functional>

#include "hpops/errors.hpp"

namespace hpops::testing {

// The UpstreamError `call` throws, so a test can assert on its fields; any
// other outcome is a test failure.
inline UpstreamError upstream_error_of(const std::function<void()>& call) {
    try {
        call();
    } catch (const UpstreamError& e) {
        return e;
    } catch (const std::exception& e) {
        ADD_FAILURE() << "expected an UpstreamError, got: " << e.what();
        return UpstreamError("", "", "");
    }
    ADD_FAILURE() << "expected an UpstreamError";
    return UpstreamError("", "", "");
}

}  // namespace hpops::testing
