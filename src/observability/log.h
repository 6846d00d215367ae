// Structured logging: one JSON object per line on stdout, one named logger per module.
//
//   log::Logger logger("intake");
//   logger.Info("webhook stored", {{"channel", "whatsapp"}, {"messages", 2}});
//   → {"ts":"...","level":"info","module":"intake","msg":"webhook stored","channel":"whatsapp",...}
//
// Personal data (phones, names, message texts, addresses) and secrets never go into fields above
// debug level. spdlog stays inside log.cc.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>

namespace spdlog {
class logger;
}

namespace sac::log {

enum class Level { kDebug, kInfo, kWarn, kError, kOff };

std::optional<Level> ParseLevel(std::string_view name);

// Sets the minimum level of every logger, present and future. Call once from main.
void SetLevel(Level level);

struct Field {
  template <class T, std::enable_if_t<std::is_integral_v<T> && !std::is_same_v<T, bool>, int> = 0>
  Field(std::string_view k, T v) : key(k), value(static_cast<std::int64_t>(v)) {}
  Field(std::string_view k, std::string_view v) : key(k), value(v) {}
  Field(std::string_view k, const char* v) : key(k), value(std::string_view(v)) {}
  Field(std::string_view k, const std::string& v) : key(k), value(std::string_view(v)) {}
  Field(std::string_view k, double v) : key(k), value(v) {}
  Field(std::string_view k, bool v) : key(k), value(v) {}

  std::string_view key;
  std::variant<std::string_view, std::int64_t, double, bool> value;
};

class Logger {
 public:
  explicit Logger(std::string module);

  void Debug(std::string_view message, std::initializer_list<Field> fields = {}) const;
  void Info(std::string_view message, std::initializer_list<Field> fields = {}) const;
  void Warn(std::string_view message, std::initializer_list<Field> fields = {}) const;
  void Error(std::string_view message, std::initializer_list<Field> fields = {}) const;

 private:
  void Write(Level level, std::string_view message, std::initializer_list<Field> fields) const;

  std::shared_ptr<spdlog::logger> impl_;
};

// The JSON members for a message and its fields (without braces); exposed for tests.
std::string FormatEvent(std::string_view message, std::initializer_list<Field> fields);

}  // namespace sac::log
