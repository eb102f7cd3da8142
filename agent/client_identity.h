// How a VM names itself and what it asks for: the stable client id (DMI product UUID, else
// /etc/machine-id) and the vGPU profile that nvidia-smi reports. The paths and the nvidia-smi
// command are parameters so tests can point them at files of their own. Thread-safe.
#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "protocol/status.h"

namespace vgls::agent {

struct identity_sources {
  std::filesystem::path product_uuid = "/sys/class/dmi/id/product_uuid";
  std::filesystem::path machine_id = "/etc/machine-id";
  std::string nvidia_smi = "nvidia-smi";  // looked up in PATH unless it contains a '/'
  std::chrono::seconds nvidia_smi_timeout{10};
};

// The DMI product UUID (lower-cased) when readable and real, else the machine id. Hypervisors
// that leave the UUID unset report all zeros or all Fs; such a UUID would make every VM one
// client, so it is skipped. An error when neither source gives a valid client id.
protocol::result<std::string> detect_client_id(const identity_sources& sources);

// The first GPU name in `nvidia-smi --query-gpu=name --format=csv,noheader` output, trimmed; in a
// vGPU guest that name is the profile ("GRID P40-2Q"). nullopt when there is none.
std::optional<std::string> profile_from_nvidia_smi_output(std::string_view output);

// Runs nvidia-smi (bounded by the timeout) and returns the profile it reports; nullopt when
// nvidia-smi is absent, fails, hangs or reports no GPU.
std::optional<std::string> detect_vgpu_profile(const identity_sources& sources);

// The system host name; nullopt when it cannot be read.
std::optional<std::string> system_hostname();

}  // namespace vgls::agent
