// The pure half of Open311: reading a POST requests form, and answering in JSON and XML.
#include <boost/json.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "channels/open311/open311_format.h"
#include "channels/open311/service_request.h"
#include "http/query.h"

namespace sac::channels::open311 {
namespace {

using ::testing::HasSubstr;

Result<ServiceRequest> Read(std::string_view body) {
  auto form = http::ParseForm(body);
  EXPECT_TRUE(form);
  return ReadServiceRequest(form ? *form : FormParams{},
                            [](std::string_view code) { return code == "bache" || code == "fuga_agua"; },
                            {"app.example", ".mazatlan.gob.mx"});
}

TEST(ServiceRequestTest, ReadsAFullRequest) {
  auto request = Read(
      "service_code=bache&lat=23.2329&long=-106.4062&address_string=Av.+del+Mar+1200"
      "&email=Vecina%40Example.MX&phone=669+123+4501&first_name=Ana&last_name=Osuna"
      "&description=Bache+enorme+frente+al+Oxxo&media_url=https%3A%2F%2Fapp.example%2Fm%2F1.jpg"
      "&device_id=abc&api_key=secret");
  ASSERT_TRUE(request) << request.error().message;
  EXPECT_EQ(request->service_code, "bache");
  EXPECT_DOUBLE_EQ(*request->latitude, 23.2329);
  EXPECT_EQ(request->email, "vecina@example.mx");
  EXPECT_EQ(request->phone, "+526691234501");

  const InboundMessage message = ToInboundMessage(*request, "app_mazatlan", "tok1", 1773159323);
  EXPECT_EQ(message.channel, "open311");
  EXPECT_EQ(message.external_id, "tok1");
  EXPECT_EQ(message.sender_id, "vecina@example.mx") << "e-mail first";
  EXPECT_EQ(message.sender_phone, "+526691234501") << "links the app to WhatsApp and SMS";
  EXPECT_EQ(message.sender_name, "Ana Osuna");
  EXPECT_EQ(message.reply_payload, "bache") << "the citizen's categoría";
  EXPECT_EQ(message.type, MessageType::kImage);
  ASSERT_FALSE(message.media.empty());
  EXPECT_EQ(message.media[0].provider_media_id, "https://app.example/m/1.jpg");
  ASSERT_TRUE(message.location);
  EXPECT_EQ(message.location->address, "Av. del Mar 1200");
}

TEST(ServiceRequestTest, AnAddressWithoutAPinGoesWithTheTextAndAnonymousRequestsStandAlone) {
  auto request = Read("service_code=fuga_agua&address_string=col.+Juarez&description=fuga");
  ASSERT_TRUE(request);
  const InboundMessage message = ToInboundMessage(*request, "app_mazatlan", "tok2", 0);
  EXPECT_EQ(message.text, "fuga\ncol. Juarez");
  EXPECT_FALSE(message.location);
  EXPECT_EQ(message.sender_id, "app_mazatlan:anonimo:tok2");
}

TEST(ServiceRequestTest, RefusesWhatTheSpecAndCommonSenseRefuse) {
  const std::string one_mb_description = "service_code=bache&lat=23&long=-106&description=" +
                                         std::string(1000000, 'a');
  for (const std::string& body :
       {std::string("lat=23&long=-106&description=x"),                        // no service_code
        std::string("service_code=alumbrado_marciano&lat=23&long=-106&description=x"),
        std::string("service_code=bache&description=x"),                       // no location
        std::string("service_code=bache&lat=999&long=-106&description=x"),
        std::string("service_code=bache&lat=NaN&long=-106&description=x"),
        std::string("service_code=bache&lat=23&description=x"),                // long missing
        std::string("service_code=bache&lat=23&long=-106"),                    // nothing to read
        std::string("service_code=bache&lat=23&long=-106&description=x&email=no-es-correo"),
        std::string("service_code=bache&lat=23&long=-106&description=x&email=a%40b.mx%0D%0ABcc%3A+x%40evil.mx"),
        std::string("service_code=bache&lat=23&long=-106&description=x&phone=12"),
        std::string("service_code=bache&lat=23&long=-106&description=x&media_url=http%3A%2F%2F10.0.0.1%2F"),
        // https, but not from a host the municipality registered for the app's photos
        std::string("service_code=bache&lat=23&long=-106&media_url=https%3A%2F%2F10.0.0.1%2Fm.jpg"),
        std::string("service_code=bache&lat=23&long=-106&media_url=https%3A%2F%2Fapp.example.evil.mx%2F1"),
        std::string("service_code=bache&lat=23&long=-106&media_url=https%3A%2F%2Fmazatlan.gob.mx%2F1"),
        std::string("service_code=bache&lat=23&long=-106&description=a&description=b"),
        one_mb_description}) {
    SCOPED_TRACE(body.substr(0, 120));
    auto request = Read(body);
    ASSERT_FALSE(request);
    EXPECT_EQ(request.error().code, Errc::kInvalidArgument);
    EXPECT_FALSE(request.error().message.empty());
  }
}

TEST(Open311FormatTest, SplitsTheFormatExtension) {
  EXPECT_EQ(SplitFormat("requests.json")->format, Format::kJson);
  EXPECT_EQ(SplitFormat("2026-000001.xml")->name, "2026-000001");
  EXPECT_FALSE(SplitFormat("2026-000001"));
  EXPECT_FALSE(SplitFormat(".json"));
}

TEST(Open311FormatTest, XmlFollowsTheJsonKeysAndEscapes) {
  const boost::json::array document{boost::json::object{
      {"service_code", "bache"}, {"description", "<b>Bache & \"hoyo\"</b>"}, {"lat", 23.25},
      {"metadata", false}, {"attributes", boost::json::array{boost::json::object{{"code", "x"}}}},
      {"long", nullptr}}};
  const HttpResponse xml = Answer(200, document, Format::kXml, "services", "service");
  EXPECT_THAT(xml.content_type, HasSubstr("text/xml"));
  EXPECT_EQ(xml.body,
            "<?xml version=\"1.0\" encoding=\"utf-8\"?><services><service><service_code>bache</service_code>"
            "<description>&lt;b&gt;Bache &amp; &quot;hoyo&quot;&lt;/b&gt;</description><lat>23.2500000</lat>"
            "<metadata>false</metadata><attributes><attribute><code>x</code></attribute></attributes>"
            "<long></long></service></services>");
  const HttpResponse json = Answer(200, document, Format::kJson, "services", "service");
  EXPECT_THAT(json.body, HasSubstr("\"service_code\":\"bache\""));
}

TEST(Open311FormatTest, ErrorsAreTheSpecsErrorList) {
  const HttpResponse json = ErrorAnswer(400, "service_code not found", Format::kJson);
  EXPECT_EQ(json.status, 400);
  EXPECT_EQ(json.body, R"([{"code":400,"description":"service_code not found"}])");
  EXPECT_THAT(ErrorAnswer(403, "api_key", Format::kXml).body,
              HasSubstr("<errors><error><code>403</code><description>api_key</description></error></errors>"));
}

}  // namespace
}  // namespace sac::channels::open311
