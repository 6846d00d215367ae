// The staff web's escaping and request checks: a citizen's text never becomes markup, cookies are
// read exactly, and only our own origin may post.
#include "web/html.h"

#include <gtest/gtest.h>

#include "web/staff_session.h"

namespace sac::web {
namespace {

TEST(HtmlTest, EveryValueIsEscapedInContentAndAttributes) {
  EXPECT_EQ(Escape(R"(<script>alert("x")</script> & 'y')"),
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;");
  Html html;
  html.Markup("<p").Attr("title", "\" onmouseover=\"alert(1)").Markup(">")
      .Text("<img src=x onerror=alert(1)>").Markup("</p>");
  EXPECT_EQ(html.str(),
            "<p title=\"&quot; onmouseover=&quot;alert(1)\">"
            "&lt;img src=x onerror=alert(1)&gt;</p>");
  EXPECT_EQ(Escape("Colonia Juárez ñ 🚰"), "Colonia Juárez ñ 🚰") << "UTF-8 passes untouched";
}

TEST(HtmlTest, JsonForAScriptBlockCannotCloseIt) {
  Html html;
  html.JsonData(R"({"texto":"</script><script>alert(1)</script> & más"})");
  EXPECT_EQ(html.str(),
            R"({"texto":"\u003c/script\u003e\u003cscript\u003ealert(1)\u003c/script\u003e \u0026 más"})");
}

HttpRequest WithHeaders(std::vector<std::pair<std::string, std::string>> headers) {
  HttpRequest request;
  request.method = "POST";
  for (auto& [name, value] : headers) request.headers.Add(name, value);
  return request;
}

TEST(StaffSessionTest, CookiesAreReadByExactName) {
  const auto request = WithHeaders({{"Cookie", "x_sac_sesion=no; sac_sesion=abc123; otra=1"}});
  EXPECT_EQ(CookieValue(request, "sac_sesion"), "abc123");
  EXPECT_EQ(CookieValue(request, "otra"), "1");
  EXPECT_EQ(CookieValue(request, "sac"), std::nullopt);
  EXPECT_EQ(CookieValue(WithHeaders({}), "sac_sesion"), std::nullopt);
}

TEST(StaffSessionTest, OnlyOurOwnOriginMayPost) {
  EXPECT_TRUE(IsSameOrigin(WithHeaders({{"Host", "sac.mazatlan.gob.mx"},
                                         {"Origin", "https://sac.mazatlan.gob.mx"}})));
  EXPECT_TRUE(IsSameOrigin(WithHeaders({{"Host", "127.0.0.1:8080"},
                                         {"Referer", "http://127.0.0.1:8080/login"}})))
      << "no Origin: the Referer's origin";
  EXPECT_FALSE(IsSameOrigin(WithHeaders({{"Host", "sac.mazatlan.gob.mx"},
                                          {"Origin", "https://sac.mazatlan.gob.mx.evil.example"}})));
  EXPECT_FALSE(IsSameOrigin(WithHeaders({{"Host", "sac.mazatlan.gob.mx"},
                                          {"Origin", "null"}})));
  EXPECT_FALSE(IsSameOrigin(WithHeaders({{"Host", "sac.mazatlan.gob.mx"}})))
      << "neither Origin nor Referer";
  EXPECT_FALSE(IsSameOrigin(WithHeaders({{"Origin", "https://sac.mazatlan.gob.mx"}})))
      << "no Host";
}

}  // namespace
}  // namespace sac::web
