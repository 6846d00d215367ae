// HTML for the staff web, escaped by default. Pages are written as C++ that appends to an Html:
// every value goes through Text() or Attr(), which escape it; only string literals of our own
// markup go through Markup(). A citizen's text can never become markup, a script or an attribute.
#pragma once

#include <string>
#include <string_view>

namespace sac::web {

// &, <, >, " and ' as entities: safe in element content and in quoted attribute values.
std::string Escape(std::string_view text);

class Html {
 public:
  // Our own markup. Takes only literals (const char arrays), so a runtime string cannot be
  // passed by mistake; values go through Text/Attr.
  template <std::size_t N>
  Html& Markup(const char (&literal)[N]) {
    out_.append(literal, N - 1);
    return *this;
  }
  Html& Text(std::string_view value) {
    out_ += Escape(value);
    return *this;
  }
  // ` name="value"`, the value escaped.
  Html& Attr(std::string_view name, std::string_view value);
  Html& Number(long long value) {
    out_ += std::to_string(value);
    return *this;
  }
  // JSON for a <script type="application/json"> block: a script element's text is not
  // HTML-decoded, so instead of entities <, > and & become \u003c, \u003e, \u0026 (the same
  // JSON, and no "</script>" can end the block early).
  Html& JsonData(std::string_view json);
  // Another Html fragment (already safe by construction).
  Html& Append(const Html& other) {
    out_ += other.out_;
    return *this;
  }

  const std::string& str() const { return out_; }
  std::string Take() { return std::move(out_); }

 private:
  std::string out_;
};

}  // namespace sac::web
