// The media downloader against a real PostgreSQL, a fake media server on loopback and a media
// volume of the test's own: what it does when its own disk, not the download, is the problem.
#include "media/media_downloader.h"

#include <gtest/gtest.h>
#include <sys/mount.h>
#include <unistd.h>

#include <filesystem>

#include "tests/support/fake_clock.h"
#include "tests/support/fake_provider.h"
#include "tests/support/test_database.h"

namespace sac::media {
namespace {

using namespace std::chrono_literals;

// A 1 MB tmpfs for the media store (only root may mount one; the test is skipped otherwise).
class SmallMediaVolume {
 public:
  SmallMediaVolume()
      : dir_(std::filesystem::temp_directory_path() /
             ("sac_media_volume_" + std::to_string(::getpid()))) {
    std::filesystem::create_directories(dir_);
    mounted_ = ::geteuid() == 0 && Mount("size=1m");
  }
  ~SmallMediaVolume() {
    if (mounted_) ::umount2(dir_.c_str(), MNT_DETACH);
    std::filesystem::remove_all(dir_);
  }
  bool mounted() const { return mounted_; }
  const std::filesystem::path& dir() const { return dir_; }
  // The operator grows the volume (the files on it stay).
  bool Grow() { return ::mount("tmpfs", dir_.c_str(), "tmpfs", MS_REMOUNT, "size=16m") == 0; }

 private:
  bool Mount(const char* size) {
    const std::string options = std::string(size) + ",mode=0700";
    return ::mount("tmpfs", dir_.c_str(), "tmpfs", 0, options.c_str()) == 0;
  }
  std::filesystem::path dir_;
  bool mounted_ = false;
};

// Bad input #34, the media half: a photo fetched while the media volume is full is not given up
// on after its five attempts, nor lost with its boleta: it waits, the attempt given back each
// time, and is stored once there is room.
TEST(MediaDownloaderTest, APhotoFetchedWhileTheVolumeIsFullWaitsForRoomAndIsThenStored) {
  SmallMediaVolume volume;
  if (!volume.mounted()) GTEST_SKIP() << "cannot mount a volume for the test (not root)";
  testing::TestDatabase db;
  HttpResponse photo;
  photo.content_type = "image/jpeg";
  photo.body = "\xFF\xD8\xFF\xE0" + std::string(2 * 1024 * 1024, 'x');
  testing::FakeProvider app("GET", "/fotos/{id}", photo);
  db.Execute("INSERT INTO boleta (folio, channel, text, status, created_at, updated_at,"
             "  status_changed_at) VALUES ('2026-000001', 'open311', 'bache', 'por_clasificar', now(),"
             "  now(), now())");
  db.Execute("INSERT INTO boleta_media (boleta_id, kind, provider_media_id, mime_type,"
             "  download_state)"
             " SELECT id, 'image', '" + app.BaseUrl() +
             "/fotos/1', 'image/jpeg', 'pending' FROM boleta");
  storage::Database database(db.Settings());
  testing::FakeClock clock;
  clock.Set(std::chrono::system_clock::now());
  const MediaStore store(volume.dir());
  FetchLimits limits;
  limits.allow_private_addresses = true;  // the fake server is on 127.0.0.1
  QueueSettings settings;
  settings.max_attempts = 3;
  MediaDownloader downloader(database, {}, {"127.0.0.1"}, store, limits, settings, clock);

  for (int attempt = 0; attempt < 6; ++attempt) {
    auto ran = downloader.RunOnce();
    ASSERT_TRUE(ran && *ran) << "attempt " << attempt;
    EXPECT_EQ(db.Scalar("SELECT download_state || ' ' || attempts FROM boleta_media"), "pending 0")
        << "more than max_attempts tries, none counted against the download";
    auto waiting = downloader.RunOnce();
    ASSERT_TRUE(waiting);
    EXPECT_FALSE(*waiting) << "it waits a minute before the next";
    clock.Advance(61s);
  }
  EXPECT_NE(db.Scalar("SELECT last_error FROM boleta_media").find("media volume full"),
            std::string::npos);
  EXPECT_EQ(db.Scalar("SELECT status FROM boleta"), "por_clasificar")
      << "the boleta goes on meanwhile";

  ASSERT_TRUE(volume.Grow());
  auto ran = downloader.RunOnce();
  ASSERT_TRUE(ran && *ran);
  EXPECT_EQ(db.Scalar("SELECT download_state || ' ' || size_bytes FROM boleta_media"),
            "stored " + std::to_string(photo.body.size()));
  EXPECT_EQ(app.Requests().size(), 7u) << "fetched again each time, stored the last";
}

// ASVS 5.2.2, bad input #24's type half: what a provider or the app says a file is counts only
// when its bytes agree. A "photo" that is HTML is kept as a download, never shown inline; a
// photo sent as a document or with the wrong image type is shown as what it is.
TEST(MediaDownloaderTest, AFilesTypeIsWhatItsBytesShowWhenItClaimsOrIsAnImage) {
  testing::TestDatabase db;
  const auto serve = [](std::string type, std::string body) {
    HttpResponse response;
    response.content_type = std::move(type);
    response.body = std::move(body);
    return response;
  };
  const std::string jpeg = "\xFF\xD8\xFF\xE0" + std::string(64, 'x');
  const std::string png = "\x89PNG\r\n\x1A\n" + std::string(64, 'x');
  testing::FakeProvider app({
      {"GET", "/html", serve("image/jpeg", "<html><script>alert(1)</script></html>")},
      {"GET", "/png", serve("image/jpeg", png)},
      {"GET", "/document", serve("application/octet-stream", jpeg)},
      {"GET", "/voice", serve("audio/ogg", "OggS" + std::string(64, 'x'))},
  });
  db.Execute("INSERT INTO boleta (folio, channel, text, status, created_at, updated_at,"
             "  status_changed_at) VALUES ('2026-000001', 'open311', 'bache', 'por_clasificar', now(),"
             "  now(), now())");
  // As the channels record them: the declared type, or '' when the message said none.
  db.Execute("INSERT INTO boleta_media (boleta_id, kind, provider_media_id, mime_type,"
             "  download_state) SELECT b.id, v.kind, '" + app.BaseUrl() + "' || v.path, v.mime,"
             "  'pending' FROM boleta b, (VALUES ('image', '/html', 'image/jpeg'),"
             "  ('image', '/png', 'image/jpeg'), ('document', '/document', ''),"
             "  ('audio', '/voice', 'audio/ogg')) AS v(kind, path, mime)");
  storage::Database database(db.Settings());
  testing::FakeClock clock;
  clock.Set(std::chrono::system_clock::now());
  const auto dir = std::filesystem::temp_directory_path() /
                   ("sac_media_types_" + std::to_string(::getpid()));
  const MediaStore store(dir);
  FetchLimits limits;
  limits.allow_private_addresses = true;  // the fake server is on 127.0.0.1
  MediaDownloader downloader(database, {}, {"127.0.0.1"}, store, limits, QueueSettings{}, clock);
  for (int i = 0; i < 4; ++i) {
    auto ran = downloader.RunOnce();
    ASSERT_TRUE(ran && *ran) << i;
  }
  std::filesystem::remove_all(dir);
  EXPECT_EQ(db.Scalar("SELECT string_agg(substring(provider_media_id FROM '/[a-z]+$') || ' ' ||"
                      "  download_state || ' ' || mime_type, ', ' ORDER BY id) FROM boleta_media"),
            "/html stored application/octet-stream, /png stored image/png, "
            "/document stored image/jpeg, /voice stored audio/ogg");
}

// ASVS 1.3.6 / 13.2.4: an app's photo is fetched only from a host the municipality registered
// (`[channels.open311] media_hosts`). A request naming another host is refused when it comes
// (open311_test); one stored before the host was taken off the list is blocked, never fetched.
TEST(MediaDownloaderTest, AnAppsPhotoIsFetchedOnlyFromARegisteredHost) {
  testing::TestDatabase db;
  HttpResponse photo;
  photo.content_type = "image/jpeg";
  photo.body = "\xFF\xD8\xFF\xE0" + std::string(64, 'x');
  testing::FakeProvider app("GET", "/fotos/{id}", photo);
  db.Execute("INSERT INTO boleta (folio, channel, text, status, created_at, updated_at,"
             "  status_changed_at) VALUES ('2026-000001', 'open311', 'bache', 'por_clasificar', now(),"
             "  now(), now())");
  db.Execute("INSERT INTO boleta_media (boleta_id, kind, provider_media_id, mime_type,"
             "  download_state) SELECT id, 'image', '" + app.BaseUrl() +
             "/fotos/1', 'image/jpeg', 'pending' FROM boleta");
  storage::Database database(db.Settings());
  testing::FakeClock clock;
  clock.Set(std::chrono::system_clock::now());
  const auto dir = std::filesystem::temp_directory_path() /
                   ("sac_media_hosts_" + std::to_string(::getpid()));
  const MediaStore store(dir);
  FetchLimits limits;
  limits.allow_private_addresses = true;  // the fake server is on 127.0.0.1
  for (const std::vector<std::string>& hosts :
       {std::vector<std::string>{}, std::vector<std::string>{"fotos.mazatlan.gob.mx", ".example.mx"}}) {
    MediaDownloader downloader(database, {}, hosts, store, limits, QueueSettings{}, clock);
    auto ran = downloader.RunOnce();
    ASSERT_TRUE(ran && *ran);
    EXPECT_EQ(db.Scalar("SELECT download_state || ' ' || attempts FROM boleta_media"), "blocked 1");
    db.Execute("UPDATE boleta_media SET download_state = 'pending', attempts = 0,"
               "  next_attempt_at = now() - interval '1 day'");
  }
  EXPECT_TRUE(app.Requests().empty()) << "nothing was asked of an unregistered host";

  MediaDownloader downloader(database, {}, {"127.0.0.1"}, store, limits, QueueSettings{}, clock);
  auto ran = downloader.RunOnce();
  ASSERT_TRUE(ran && *ran);
  std::filesystem::remove_all(dir);
  EXPECT_EQ(db.Scalar("SELECT download_state FROM boleta_media"), "stored");
}

// A channel that only knows where its files are (the downloader asks nothing else).
class FilesAt final : public Channel {
 public:
  explicit FilesAt(std::string base) : base_(std::move(base)) {}
  std::string_view Name() const override { return "whatsapp"; }
  std::size_t MaxBodyBytes() const override { return 0; }
  std::optional<HttpResponse> AnswerHandshake(const HttpRequest&) const override { return {}; }
  Status Verify(const HttpRequest&) const override { return {}; }
  Result<ParsedWebhook> Parse(const HttpRequest&) const override {
    return MakeError(Errc::kInternal, "not a provider");
  }
  Result<MediaSource> LocateMedia(const std::string& id) override {
    return MediaSource{base_ + "/" + id, {}, {"127.0.0.1"}};
  }
  SendOutcome Send(const OutboundMessage&) override { return SendOutcome::Permanent("no"); }

 private:
  std::string base_;
};

// A citizen who reported in the app sends the photo later on WhatsApp, quoting the folio: the
// file is the WhatsApp channel's to locate, whatever channel the boleta came on.
TEST(MediaDownloaderTest, AFileIsAskedOfTheChannelItCameThroughNotTheBoletas) {
  testing::TestDatabase db;
  HttpResponse photo;
  photo.content_type = "image/jpeg";
  photo.body = "\xFF\xD8\xFF\xE0" + std::string(64, 'x');
  testing::FakeProvider cdn("GET", "/{id}", photo);
  FilesAt whatsapp(cdn.BaseUrl());
  db.Execute("INSERT INTO boleta (folio, channel, text, status, created_at, updated_at,"
             "  status_changed_at) VALUES ('2026-000001', 'open311', 'bache', 'por_clasificar', now(),"
             "  now(), now())");
  db.Execute("INSERT INTO boleta_media (boleta_id, kind, provider_media_id, mime_type,"
             "  download_state, channel) SELECT id, 'image', 'wamid-foto', 'image/jpeg', 'pending',"
             "  'whatsapp' FROM boleta");
  storage::Database database(db.Settings());
  testing::FakeClock clock;
  clock.Set(std::chrono::system_clock::now());
  const auto dir = std::filesystem::temp_directory_path() /
                   ("sac_media_channel_" + std::to_string(::getpid()));
  const MediaStore store(dir);
  FetchLimits limits;
  limits.allow_private_addresses = true;  // the fake CDN is on 127.0.0.1
  MediaDownloader downloader(database, {{"whatsapp", &whatsapp}}, {}, store, limits,
                             QueueSettings{}, clock);
  auto ran = downloader.RunOnce();
  ASSERT_TRUE(ran && *ran);
  std::filesystem::remove_all(dir);
  EXPECT_EQ(db.Scalar("SELECT download_state FROM boleta_media"), "stored")
      << "not taken for an app's photo URL (and blocked): " << db.Scalar("SELECT coalesce(last_error, '') FROM boleta_media");
  ASSERT_EQ(cdn.Requests().size(), 1u);
  EXPECT_EQ(cdn.Requests().at(0).path, "/wamid-foto");
}

}  // namespace
}  // namespace sac::media
