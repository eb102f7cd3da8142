#include "tests/support/checkout_load.h"

#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "client/http_client.h"

namespace vgls::testing {

namespace {

std::unique_ptr<client::http_client> client_for(const std::string& url) {
  client::client_options options;
  options.connect_timeout = std::chrono::milliseconds(1000);
  options.request_timeout = std::chrono::milliseconds(5000);
  return std::make_unique<client::http_client>(*client::parse_server_url(url), options);
}

// The status of a request, asked again for up to 10 s while the node answers 503 or not at all
// (a node just back from a fault); 0 when it never answered.
int settled_status(client::http_client& c, const std::string& method, const std::string& target) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  for (;;) {
    auto answer = c.request(method, target);
    auto* response = std::get_if<client::http_response>(&answer);
    const int status = response ? response->status : 0;
    if ((status != 0 && status != 503) || std::chrono::steady_clock::now() > deadline)
      return status;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
}

}  // namespace

checkout_load::checkout_load(std::vector<std::string> urls, int threads) : urls_(std::move(urls)) {
  for (int t = 0; t < threads; ++t)
    threads_.emplace_back([this, t] { run(t); });
}

checkout_load::~checkout_load() {
  stop();
}

void checkout_load::stop() {
  stopping_.store(true);
  for (auto& thread : threads_) {
    if (thread.joinable())
      thread.join();
  }
}

std::set<std::string> checkout_load::held() const {
  std::lock_guard lock(mutex_);
  return held_;
}

std::set<std::string> checkout_load::released() const {
  std::lock_guard lock(mutex_);
  return released_;
}

ledger_check check_ledger(const std::string& url, const checkout_load& load) {
  auto c = client_for(url);
  ledger_check check;
  for (const auto& id : load.held()) {
    const int status = settled_status(*c, "POST", "/v1/leases/" + id + "/renew");
    if (status != 200) {
      ++check.not_renewed;
      std::printf("ledger: held lease %s: renew answered %d\n", id.c_str(), status);
    }
  }
  for (const auto& id : load.released()) {
    const int status = settled_status(*c, "GET", "/v1/leases/" + id);
    if (status != 404) {
      ++check.came_back;
      std::printf("ledger: released lease %s: read answered %d\n", id.c_str(), status);
    }
  }
  return check;
}

void checkout_load::run(int thread) {
  std::vector<std::unique_ptr<client::http_client>> clients;
  for (const auto& url : urls_)
    clients.push_back(client_for(url));
  std::size_t node = static_cast<std::size_t>(thread) % clients.size();
  for (int i = 0; !stopping_.load(); ++i) {
    const std::string body = nlohmann::json{
        {"client_id", "load-" + std::to_string(thread) + "-" + std::to_string(i)},
        {"edition", "vWS"}}.dump();
    auto answer = clients[node]->request("POST", "/v1/leases", body, "application/json");
    auto* response = std::get_if<client::http_response>(&answer);
    if (!response) {
      ++unanswered_;
      node = (node + 1) % clients.size();
      continue;
    }
    if (response->status != 201) {
      // A standby (503) or a node between roles: the next node, as an agent would.
      node = (node + 1) % clients.size();
      continue;
    }
    ++granted_;
    const std::string id = nlohmann::json::parse(response->body)["lease"]["id"];
    if (i % 5 != 0) {
      std::lock_guard lock(mutex_);
      held_.insert(id);
      continue;
    }
    auto release = clients[node]->request("DELETE", "/v1/leases/" + id);
    auto* released = std::get_if<client::http_response>(&release);
    std::lock_guard lock(mutex_);
    if (released && released->status == 204) {
      released_.insert(id);
    } else if (!released || released->status >= 500) {
      // Unknown whether the release committed: no answer, or a 503 from a node whose database
      // went away during the commit (it may have committed there). Neither held nor released.
      ++unanswered_;
    } else {
      held_.insert(id);
    }
  }
}

}  // namespace vgls::testing
