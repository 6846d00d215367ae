#include "channels/open311/open311_format.h"

#include <boost/json/serialize.hpp>

#include <cmath>
#include <cstdio>

namespace sac::channels::open311 {
namespace {

namespace bj = boost::json;

void AppendEscaped(std::string& out, std::string_view text) {
  for (const char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default:
        // XML 1.0 cannot carry most control characters, not even escaped.
        if (static_cast<unsigned char>(c) >= 0x20 || c == '\t' || c == '\n' || c == '\r') {
          out.push_back(c);
        }
    }
  }
}

std::string Singular(std::string_view plural) {
  if (plural.size() > 1 && plural.back() == 's') plural.remove_suffix(1);
  return std::string(plural);
}

void AppendValue(std::string& out, std::string_view name, const bj::value& value);

void AppendObject(std::string& out, const bj::object& object) {
  for (const auto& [key, value] : object) {
    AppendValue(out, key, value);
  }
}

void AppendValue(std::string& out, std::string_view name, const bj::value& value) {
  out += "<";
  out += name;
  out += ">";
  switch (value.kind()) {
    case bj::kind::object:
      AppendObject(out, value.get_object());
      break;
    case bj::kind::array:
      for (const bj::value& item : value.get_array()) AppendValue(out, Singular(name), item);
      break;
    case bj::kind::string:
      AppendEscaped(out, value.get_string());
      break;
    case bj::kind::bool_:
      out += value.get_bool() ? "true" : "false";
      break;
    case bj::kind::int64:
      out += std::to_string(value.get_int64());
      break;
    case bj::kind::uint64:
      out += std::to_string(value.get_uint64());
      break;
    case bj::kind::double_: {
      char number[32];
      std::snprintf(number, sizeof number, "%.7f", value.get_double());
      out += number;
      break;
    }
    case bj::kind::null:
      break;
  }
  out += "</";
  out += name;
  out += ">";
}

}  // namespace

std::optional<NameAndFormat> SplitFormat(std::string_view segment) {
  for (const auto& [suffix, format] : {std::pair{std::string_view(".json"), Format::kJson},
                                       std::pair{std::string_view(".xml"), Format::kXml}}) {
    if (segment.size() > suffix.size() && segment.substr(segment.size() - suffix.size()) == suffix) {
      return NameAndFormat{std::string(segment.substr(0, segment.size() - suffix.size())), format};
    }
  }
  return std::nullopt;
}

HttpResponse Answer(int status, const bj::value& document, Format format,
                    std::string_view list_element, std::string_view item_element) {
  HttpResponse response;
  response.status = status;
  if (format == Format::kJson) {
    response.content_type = "application/json; charset=utf-8";
    response.body = bj::serialize(document);
    return response;
  }
  response.content_type = "text/xml; charset=utf-8";
  std::string& out = response.body;
  out = "<?xml version=\"1.0\" encoding=\"utf-8\"?>";
  if (document.is_array()) {
    out += "<";
    out += list_element;
    out += ">";
    for (const bj::value& item : document.get_array()) AppendValue(out, item_element, item);
    out += "</";
    out += list_element;
    out += ">";
  } else {
    AppendValue(out, list_element, document);
  }
  return response;
}

HttpResponse ErrorAnswer(int status, std::string_view description, Format format) {
  const bj::array errors{bj::object{{"code", status}, {"description", description}}};
  return Answer(status, errors, format, "errors", "error");
}

}  // namespace sac::channels::open311
