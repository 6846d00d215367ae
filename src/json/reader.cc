#include "json/reader.h"

#include <charconv>

namespace sac::json {

Result<Element> Parse(std::string_view text) {
  thread_local simdjson::dom::parser parser = [] {
    simdjson::dom::parser p;
    // Grows with larger inputs, keeping the depth cap. If this first allocation fails, parse()
    // allocates on demand and reports any failure itself.
    [[maybe_unused]] const auto error = p.allocate(64 * 1024, kMaxDepth);
    return p;
  }();
  Element root;
  const auto error = parser.parse(text.data(), text.size()).get(root);
  if (error) {
    return MakeError(Errc::kInvalidArgument,
                     std::string("malformed JSON: ") + simdjson::error_message(error));
  }
  return root;
}

std::optional<Element> Field(Element object, std::string_view key) {
  Element value;
  if (!object.is_object() || object.at_key(key).get(value)) {
    return std::nullopt;
  }
  return value;
}

std::optional<simdjson::dom::array> Array(Element object, std::string_view key) {
  simdjson::dom::array array;
  auto field = Field(object, key);
  if (!field || field->get_array().get(array)) {
    return std::nullopt;
  }
  return array;
}

std::optional<std::string_view> String(Element object, std::string_view key) {
  std::string_view value;
  auto field = Field(object, key);
  if (!field || field->get_string().get(value)) {
    return std::nullopt;
  }
  return value;
}

std::optional<std::int64_t> Integer(Element object, std::string_view key) {
  auto field = Field(object, key);
  if (!field) {
    return std::nullopt;
  }
  std::int64_t value = 0;
  if (!field->get_int64().get(value)) {
    return value;
  }
  std::string_view text;
  if (!field->get_string().get(text)) {
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error == std::errc() && end == text.data() + text.size()) {
      return value;
    }
  }
  return std::nullopt;
}

std::optional<double> Number(Element object, std::string_view key) {
  auto field = Field(object, key);
  double value = 0;
  if (!field || field->get_double().get(value)) {
    return std::nullopt;
  }
  return value;
}

std::optional<bool> Bool(Element object, std::string_view key) {
  auto field = Field(object, key);
  bool value = false;
  if (!field || field->get_bool().get(value)) {
    return std::nullopt;
  }
  return value;
}

std::string CleanText(std::string_view text) {
  std::string clean;
  clean.reserve(text.size());
  for (const char c : text) {
    if (c != '\0') {
      clean.push_back(c);
    }
  }
  return clean;
}

}  // namespace sac::json
