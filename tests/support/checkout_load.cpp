#include "tests/support/checkout_load.h"

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
    auto answer = c->request("POST", "/v1/leases/" + id + "/renew");
    auto* response = std::get_if<client::http_response>(&answer);
    if (!response || response->status != 200)
      ++check.not_renewed;
  }
  for (const auto& id : load.released()) {
    auto answer = c->request("GET", "/v1/leases/" + id);
    auto* response = std::get_if<client::http_response>(&answer);
    if (!response || response->status != 404)
      ++check.came_back;
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
    } else if (!released) {
      // Unknown whether the release committed: neither held nor released for sure.
      ++unanswered_;
    } else {
      held_.insert(id);
    }
  }
}

}  // namespace vgls::testing
