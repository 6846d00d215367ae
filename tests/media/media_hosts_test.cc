// Which hosts media may come from: the channels' CDN lists and an Open311 app's registered hosts.
#include "media/media_hosts.h"

#include <gtest/gtest.h>

namespace sac::media {
namespace {

TEST(MediaHostsTest, AnExactNameOrAnyNameBelowADottedEntry) {
  const std::vector<std::string> allowed{"fotos.mazatlan.gob.mx", ".fbcdn.net"};
  EXPECT_TRUE(HostAllowed("fotos.mazatlan.gob.mx", allowed));
  EXPECT_TRUE(HostAllowed("scontent.xx.fbcdn.net", allowed));
  EXPECT_FALSE(HostAllowed("fbcdn.net", allowed)) << "below it, not the domain itself";
  EXPECT_FALSE(HostAllowed("evilfbcdn.net", allowed));
  EXPECT_FALSE(HostAllowed("fotos.mazatlan.gob.mx.evil.mx", allowed));
  EXPECT_FALSE(HostAllowed("otra.mazatlan.gob.mx", allowed));
  EXPECT_FALSE(HostAllowed("", allowed));
  EXPECT_FALSE(HostAllowed("fotos.mazatlan.gob.mx", {})) << "an empty list allows nothing";
}

TEST(MediaHostsTest, AnAppsPhotoUrlMustBeHttpsOnARegisteredHost) {
  const std::vector<std::string> allowed{"fotos.mazatlan.gob.mx"};
  EXPECT_TRUE(HttpsUrlOnAllowedHost("https://fotos.mazatlan.gob.mx/m/1.jpg", allowed));
  EXPECT_TRUE(HttpsUrlOnAllowedHost("HTTPS://Fotos.Mazatlan.GOB.mx/m/1.jpg", allowed))
      << "scheme and host are case-insensitive";
  EXPECT_TRUE(HttpsUrlOnAllowedHost("https://fotos.mazatlan.gob.mx:8443/m/1.jpg", allowed));
  const std::vector<std::string> refused{
      "http://fotos.mazatlan.gob.mx/m/1.jpg", "https://fotos.mazatlan.gob.mx@10.0.0.1/m/1.jpg",
      "https://10.0.0.1/fotos.mazatlan.gob.mx/1.jpg", "https://fotos.mazatlan.gob.mx.evil.mx/1",
      "ftp://fotos.mazatlan.gob.mx/1", "https:///m/1.jpg", "no es una url",
      "https://evil.example%2F.fotos.mazatlan.gob.mx/1", "https://evil%00.fotos.mazatlan.gob.mx/1",
      "https://fotos.mazatlan.gob.mx./1", "https://[::1]/fotos.mazatlan.gob.mx",
      "https://fotos.mazatlan.gob.mx/" + std::string(2048, 'a')};
  for (const std::string& url : refused) {
    SCOPED_TRACE(url.substr(0, 80));
    EXPECT_FALSE(HttpsUrlOnAllowedHost(url, allowed));
  }
}

TEST(MediaHostsTest, TheRegisteredListHoldsOnlyHostNamesAndNarrowDomains) {
  EXPECT_TRUE(CheckHostList({}));
  EXPECT_TRUE(CheckHostList({"fotos.mazatlan.gob.mx", ".mazatlan.gob.mx", "cdn-1.example.mx"}));
  for (const std::string entry : {"https://fotos.mazatlan.gob.mx", "fotos.mazatlan.gob.mx:443",
                                  "fotos.mazatlan.gob.mx/m", "*.mazatlan.gob.mx", ".mx", ".",
                                  "", "Fotos.Mazatlan.gob.mx", "a..mx", "-a.mx", "a-.mx"}) {
    SCOPED_TRACE(entry);
    auto checked = CheckHostList({"fotos.mazatlan.gob.mx", entry});
    ASSERT_FALSE(checked);
    EXPECT_NE(checked.error().message.find(entry), std::string::npos) << "names the entry";
  }
}

}  // namespace
}  // namespace sac::media
