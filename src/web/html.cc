#include "web/html.h"

namespace sac::web {

std::string Escape(std::string_view text) {
  std::string escaped;
  escaped.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&': escaped += "&amp;"; break;
      case '<': escaped += "&lt;"; break;
      case '>': escaped += "&gt;"; break;
      case '"': escaped += "&quot;"; break;
      case '\'': escaped += "&#39;"; break;
      default: escaped += c;
    }
  }
  return escaped;
}

Html& Html::JsonData(std::string_view json) {
  for (const char c : json) {
    switch (c) {
      case '<': out_ += "\\u003c"; break;
      case '>': out_ += "\\u003e"; break;
      case '&': out_ += "\\u0026"; break;
      default: out_ += c;
    }
  }
  return *this;
}

Html& Html::Attr(std::string_view name, std::string_view value) {
  out_ += ' ';
  out_ += name;  // attribute names are always our own literals
  out_ += "=\"";
  out_ += Escape(value);
  out_ += '"';
  return *this;
}

}  // namespace sac::web
