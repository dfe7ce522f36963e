// A kubeconfig, as load_kubeconfig reads it from a file.
#include <unistd.h>

#include <fstream>
#include <yaml-cpp/yaml.h>

#include "integrations/kubernetes/kubeconfig.hpp"
#include "tests/fuzz/fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const std::string path = "/dev/shm/hpops-fuzz-kubeconfig-" + std::to_string(::getpid());
    std::ofstream(path, std::ios::binary | std::ios::trunc).write(reinterpret_cast<const char*>(data),
                                                                   static_cast<std::streamsize>(size));
    try {
        (void)hpops::integrations::kubernetes::load_kubeconfig({path});
    } catch (const hpops::integrations::kubernetes::KubeconfigError&) {
    } catch (const YAML::Exception&) {
    }
    return 0;
}
