// GeoReport v2 answers in the two formats the spec defines: JSON, and XML whose element names
// follow the JSON keys. One document model (Boost.JSON values) feeds both writers, so the two can
// never say different things.
#pragma once

#include <boost/json/value.hpp>

#include <optional>
#include <string>
#include <string_view>

#include "core/http_message.h"

namespace sac::channels::open311 {

enum class Format { kJson, kXml };

// "requests.json" → kJson and "requests"; "2026-000001.xml" → kXml and "2026-000001". nullopt
// when the name has neither extension.
struct NameAndFormat {
  std::string name;
  Format format;
};
std::optional<NameAndFormat> SplitFormat(std::string_view segment);

// `document` is an array of objects (the spec's answers all are) or an object. In XML, the array
// is `<list_element><item_element>…</item_element></list_element>`; nested arrays repeat their
// key's singular ("attributes" → <attributes><attribute>…).
HttpResponse Answer(int status, const boost::json::value& document, Format format,
                    std::string_view list_element, std::string_view item_element);

// The spec's error list: [{"code": 400, "description": "..."}], <errors><error>… in XML.
HttpResponse ErrorAnswer(int status, std::string_view description, Format format);

}  // namespace sac::channels::open311
