// A small synchronous HTTP/1.1 client (plain or TLS) for the agent, vglsctl, benchmarks' setup and
// end-to-end tests. One instance keeps one keep-alive connection to one server and reconnects as
// needed. Not thread-safe: use one instance per thread.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "protocol/status.h"

namespace vgls::client {

// A parsed server URL: "http://127.0.0.1:7070", "https://vgls.example:7070".
struct server_url {
  bool tls = false;
  std::string host;
  std::string port;  // "7070" when the URL names none
  std::string text;  // as given, for messages
};

// nullopt with a reason in `error` when the text is not an http(s) URL.
std::optional<server_url> parse_server_url(std::string_view text, std::string* error = nullptr);

struct client_options {
  std::chrono::milliseconds connect_timeout{3000};
  std::chrono::milliseconds request_timeout{10000};
  std::optional<std::string> ca_file;         // PEM; system roots when unset
  std::optional<std::string> bearer_token;    // sent as Authorization: Bearer …
  std::optional<std::string> basic_password;  // sent as Basic with user "admin" (status page tests)
};

struct http_response {
  int status = 0;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  // The first header of that name, case-insensitive; empty when absent.
  std::string header(std::string_view name) const;
};

// Why no answer came back: the server could not be reached, or the exchange broke.
struct transport_error {
  std::string message;
};

class http_client {
 public:
  http_client(server_url server, client_options options);
  ~http_client();
  http_client(const http_client&) = delete;
  http_client& operator=(const http_client&) = delete;

  // Sends one request and reads the answer. `body` non-empty → Content-Type: application/json.
  // Any HTTP status is an answer; only a failure to connect or exchange is a transport_error.
  std::variant<http_response, transport_error> request(
      std::string_view method, std::string_view target, std::string_view body = {},
      std::string_view content_type = "application/json");

  const server_url& server() const { return server_; }

 private:
  struct impl;
  server_url server_;
  client_options options_;
  std::unique_ptr<impl> impl_;
};

}  // namespace vgls::client
