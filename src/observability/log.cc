#include "observability/log.h"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <mutex>

#include "json/escape.h"

namespace sac::log {
namespace {

// spdlog's "%v" is not escaped; our messages arrive already rendered as JSON members.
constexpr const char* kPattern =
    R"({"ts":"%Y-%m-%dT%H:%M:%S.%e%z","level":"%l","module":"%n",%v})";

std::atomic<Level>& CurrentLevel() {
  static std::atomic<Level> level{Level::kInfo};
  return level;
}

spdlog::level::level_enum ToSpdlog(Level level) {
  switch (level) {
    case Level::kDebug: return spdlog::level::debug;
    case Level::kInfo: return spdlog::level::info;
    case Level::kWarn: return spdlog::level::warn;
    case Level::kError: return spdlog::level::err;
    case Level::kOff: return spdlog::level::off;
  }
  return spdlog::level::info;
}

std::shared_ptr<spdlog::logger> GetOrCreate(const std::string& module) {
  static std::mutex mutex;
  std::lock_guard lock(mutex);
  if (auto existing = spdlog::get(module)) {
    return existing;
  }
  static auto sink = std::make_shared<spdlog::sinks::stdout_sink_mt>();
  auto logger = std::make_shared<spdlog::logger>(module, sink);
  logger->set_pattern(kPattern);
  logger->set_level(ToSpdlog(CurrentLevel().load()));
  logger->flush_on(spdlog::level::debug);  // one line per event, visible at once (journald, tests)
  spdlog::register_logger(logger);
  return logger;
}

void AppendValue(std::string& out, const Field& field) {
  if (const auto* text = std::get_if<std::string_view>(&field.value)) {
    json::AppendQuoted(out, *text);
  } else if (const auto* integer = std::get_if<std::int64_t>(&field.value)) {
    out += std::to_string(*integer);
  } else if (const auto* real = std::get_if<double>(&field.value)) {
    out += std::to_string(*real);
  } else {
    out += std::get<bool>(field.value) ? "true" : "false";
  }
}

}  // namespace

std::optional<Level> ParseLevel(std::string_view name) {
  if (name == "debug") return Level::kDebug;
  if (name == "info") return Level::kInfo;
  if (name == "warn") return Level::kWarn;
  if (name == "error") return Level::kError;
  if (name == "off") return Level::kOff;
  return std::nullopt;
}

void SetLevel(Level level) {
  CurrentLevel().store(level);
  spdlog::apply_all([&](const std::shared_ptr<spdlog::logger>& logger) {
    logger->set_level(ToSpdlog(level));
  });
}

std::string FormatEvent(std::string_view message, std::initializer_list<Field> fields) {
  std::string out = "\"msg\":";
  json::AppendQuoted(out, message);
  for (const Field& field : fields) {
    out.push_back(',');
    json::AppendQuoted(out, field.key);
    out.push_back(':');
    AppendValue(out, field);
  }
  return out;
}

Logger::Logger(std::string module) : impl_(GetOrCreate(module)) {}

void Logger::Write(Level level, std::string_view message,
                   std::initializer_list<Field> fields) const {
  const auto spd_level = ToSpdlog(level);
  if (!impl_->should_log(spd_level)) {
    return;
  }
  impl_->log(spd_level, "{}", FormatEvent(message, fields));
}

void Logger::Debug(std::string_view m, std::initializer_list<Field> f) const { Write(Level::kDebug, m, f); }
void Logger::Info(std::string_view m, std::initializer_list<Field> f) const { Write(Level::kInfo, m, f); }
void Logger::Warn(std::string_view m, std::initializer_list<Field> f) const { Write(Level::kWarn, m, f); }
void Logger::Error(std::string_view m, std::initializer_list<Field> f) const { Write(Level::kError, m, f); }

}  // namespace sac::log
