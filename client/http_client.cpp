// Synchronous calls built from Beast's asynchronous operations, so that every step (connect, TLS
// handshake, write, read) has a deadline: each call runs a private io_context until the step
// completes or its timer closes the socket.
#include "client/http_client.h"

#include <openssl/ssl.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/version.hpp>
#include <boost/system/error_code.hpp>

namespace vgls::client {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace ssl = boost::asio::ssl;
using tcp = asio::ip::tcp;

namespace {

constexpr std::size_t max_answer_bytes = 64 * 1024 * 1024;

std::string base64(std::string_view in) {
  static constexpr char alphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    const unsigned n = (static_cast<unsigned char>(in[i]) << 16) |
                       (static_cast<unsigned char>(in[i + 1]) << 8) |
                       static_cast<unsigned char>(in[i + 2]);
    out += alphabet[(n >> 18) & 63];
    out += alphabet[(n >> 12) & 63];
    out += alphabet[(n >> 6) & 63];
    out += alphabet[n & 63];
  }
  if (i + 1 == in.size()) {
    const unsigned n = static_cast<unsigned char>(in[i]) << 16;
    out += alphabet[(n >> 18) & 63];
    out += alphabet[(n >> 12) & 63];
    out += "==";
  } else if (i + 2 == in.size()) {
    const unsigned n =
        (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8);
    out += alphabet[(n >> 18) & 63];
    out += alphabet[(n >> 12) & 63];
    out += alphabet[(n >> 6) & 63];
    out += '=';
  }
  return out;
}

}  // namespace

struct http_client::impl {
  asio::io_context io;
  std::optional<ssl::context> tls_context;
  std::optional<beast::tcp_stream> plain;
  std::optional<beast::ssl_stream<beast::tcp_stream>> secure;
  beast::flat_buffer buffer;
  bool connected = false;

  beast::tcp_stream& tcp() { return secure ? beast::get_lowest_layer(*secure) : *plain; }

  // Runs the io_context until the operation started by `start` calls its handler.
  template <class Start>
  beast::error_code run(Start&& start) {
    beast::error_code result = asio::error::would_block;
    start([&result](beast::error_code ec, auto&&...) { result = ec; });
    io.restart();
    io.run();
    return result;
  }

  void disconnect() {
    beast::error_code ignored;
    if (plain || secure)
      tcp().socket().close(ignored);
    plain.reset();
    secure.reset();
    buffer.clear();
    connected = false;
  }
};

http_client::http_client(server_url server, client_options options)
    : server_(std::move(server)), options_(std::move(options)), impl_(std::make_unique<impl>()) {}

http_client::~http_client() {
  if (impl_)
    impl_->disconnect();
}

std::variant<http_response, transport_error> http_client::request(std::string_view method,
                                                                  std::string_view target,
                                                                  std::string_view body,
                                                                  std::string_view content_type) {
  auto& s = *impl_;
  const auto where = [this](std::string_view what, const beast::error_code& ec) {
    return transport_error{std::string(what) + " " + server_.text + ": " + ec.message()};
  };

  // A kept-alive connection the server has since closed fails on first use; one fresh attempt
  // then is safe because nothing reached the server.
  for (int attempt = 0; attempt < 2; ++attempt) {
    const bool reused = s.connected;
    if (!s.connected) {
      beast::error_code ec;
      tcp::resolver resolver(s.io);
      const auto endpoints = resolver.resolve(server_.host, server_.port, ec);
      if (ec)
        return where("cannot resolve", ec);
      if (server_.tls) {
        if (!s.tls_context) {
          s.tls_context.emplace(ssl::context::tls_client);
          s.tls_context->set_verify_mode(ssl::verify_peer);
          if (options_.ca_file) {
            s.tls_context->load_verify_file(*options_.ca_file, ec);
            if (ec)
              return where("cannot load CA file " + *options_.ca_file + " for", ec);
          } else {
            s.tls_context->set_default_verify_paths(ec);
          }
        }
        s.secure.emplace(s.io, *s.tls_context);
        // SSL_set_tlsext_host_name is a macro with a C cast; this is what it expands to.
        if (SSL_ctrl(s.secure->native_handle(), SSL_CTRL_SET_TLSEXT_HOSTNAME,
                     TLSEXT_NAMETYPE_host_name, const_cast<char*>(server_.host.c_str())) != 1) {
          return transport_error{"cannot set TLS server name for " + server_.text};
        }
        s.secure->set_verify_callback(ssl::host_name_verification(server_.host));
      } else {
        s.plain.emplace(s.io);
      }
      s.tcp().expires_after(options_.connect_timeout);
      ec = s.run([&](auto handler) { s.tcp().async_connect(endpoints, std::move(handler)); });
      if (ec) {
        s.disconnect();
        return where("cannot connect to", ec);
      }
      if (s.secure) {
        s.tcp().expires_after(options_.connect_timeout);
        ec = s.run([&](auto handler) {
          s.secure->async_handshake(ssl::stream_base::client, std::move(handler));
        });
        if (ec) {
          s.disconnect();
          return where("TLS handshake failed with", ec);
        }
      }
      s.connected = true;
    }

    http::request<http::string_body> req{http::string_to_verb(method), std::string(target), 11};
    req.set(http::field::host, server_.host);
    req.set(http::field::user_agent, "vgls/" VGLS_VERSION);
    if (options_.bearer_token) {
      req.set(http::field::authorization, "Bearer " + *options_.bearer_token);
    } else if (options_.basic_password) {
      req.set(http::field::authorization, "Basic " + base64("admin:" + *options_.basic_password));
    }
    if (!body.empty()) {
      req.set(http::field::content_type, content_type);
      req.body() = std::string(body);
    }
    req.keep_alive(true);
    req.prepare_payload();

    s.tcp().expires_after(options_.request_timeout);
    beast::error_code ec = s.run([&](auto handler) {
      if (s.secure) {
        http::async_write(*s.secure, req, std::move(handler));
      } else {
        http::async_write(*s.plain, req, std::move(handler));
      }
    });
    http::response_parser<http::string_body> parser;
    parser.body_limit(max_answer_bytes);
    if (!ec) {
      ec = s.run([&](auto handler) {
        if (s.secure) {
          http::async_read(*s.secure, s.buffer, parser, std::move(handler));
        } else {
          http::async_read(*s.plain, s.buffer, parser, std::move(handler));
        }
      });
    }
    if (ec) {
      s.disconnect();
      const bool stale = ec == http::error::end_of_stream || ec == asio::error::connection_reset ||
                         ec == asio::error::broken_pipe || ec == asio::error::eof;
      if (reused && stale && attempt == 0)
        continue;
      return where("no answer from", ec);
    }

    auto res = parser.release();
    http_response out;
    out.status = static_cast<int>(res.result_int());
    out.body = std::move(res.body());
    for (const auto& field : res) {
      out.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    }
    if (!res.keep_alive())
      s.disconnect();
    return out;
  }
  return transport_error{"no answer from " + server_.text};
}

}  // namespace vgls::client
