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

// A boleta of the app waiting for its files, a media store of its own, a clock and the limits
// of a test (the fake servers listen on 127.0.0.1).
class MediaDownloaderTest : public ::testing::Test {
 protected:
  MediaDownloaderTest()
      : dir_(std::filesystem::temp_directory_path() /
             ("sac_media_downloads_" + std::to_string(::getpid()))),
        store_(dir_) {
    clock_.Set(std::chrono::system_clock::now());
    limits_.allow_private_addresses = true;
    db_.Execute("INSERT INTO boleta (folio, channel, text, status, created_at, updated_at,"
                "  status_changed_at) VALUES ('2026-000001', 'open311', 'bache', 'por_clasificar',"
                "  now(), now(), now())");
  }
  ~MediaDownloaderTest() override { std::filesystem::remove_all(dir_); }

  // A file of the boleta still to fetch, as a channel records it (`channel` '': the boleta's).
  void AddMedia(const std::string& id, const std::string& kind = "image",
                const std::string& mime = "image/jpeg", const std::string& channel = "") {
    // Due since a minute before the test's clock started.
    db_.Execute("INSERT INTO boleta_media (boleta_id, kind, provider_media_id, mime_type,"
                "  download_state, channel, next_attempt_at) SELECT id, '" + kind + "', '" + id +
                "', '" + mime + "', 'pending', nullif('" + channel + "', ''), now() - interval "
                "'1 minute' FROM boleta");
  }

  static HttpResponse Serving(std::string type, std::string body) {
    HttpResponse response;
    response.content_type = std::move(type);
    response.body = std::move(body);
    return response;
  }

  testing::TestDatabase db_;
  storage::Database database_{db_.Settings()};
  testing::FakeClock clock_;
  std::filesystem::path dir_;
  MediaStore store_;
  FetchLimits limits_;
};

// Bad input #34, the media half: a photo fetched while the media volume is full is not given up
// on after its five attempts, nor lost with its boleta: it waits, the attempt given back each
// time, and is stored once there is room.
TEST_F(MediaDownloaderTest, APhotoFetchedWhileTheVolumeIsFullWaitsForRoomAndIsThenStored) {
  SmallMediaVolume volume;
  if (!volume.mounted()) GTEST_SKIP() << "cannot mount a volume for the test (not root)";
  const HttpResponse photo =
      Serving("image/jpeg", "\xFF\xD8\xFF\xE0" + std::string(2 * 1024 * 1024, 'x'));
  testing::FakeProvider app("GET", "/fotos/{id}", photo);
  AddMedia(app.BaseUrl() + "/fotos/1");
  const MediaStore small(volume.dir());
  QueueSettings settings;
  settings.max_attempts = 3;
  MediaDownloader downloader(database_, {}, {"127.0.0.1"}, small, limits_, settings, clock_);

  for (int attempt = 0; attempt < 6; ++attempt) {
    auto ran = downloader.RunOnce();
    ASSERT_TRUE(ran && *ran) << "attempt " << attempt;
    EXPECT_EQ(db_.Scalar("SELECT download_state || ' ' || attempts FROM boleta_media"), "pending 0")
        << "more than max_attempts tries, none counted against the download";
    auto waiting = downloader.RunOnce();
    ASSERT_TRUE(waiting);
    EXPECT_FALSE(*waiting) << "it waits a minute before the next";
    clock_.Advance(61s);
  }
  EXPECT_NE(db_.Scalar("SELECT last_error FROM boleta_media").find("media volume full"),
            std::string::npos);
  EXPECT_EQ(db_.Scalar("SELECT status FROM boleta"), "por_clasificar")
      << "the boleta goes on meanwhile";

  ASSERT_TRUE(volume.Grow());
  auto ran = downloader.RunOnce();
  ASSERT_TRUE(ran && *ran);
  EXPECT_EQ(db_.Scalar("SELECT download_state || ' ' || size_bytes FROM boleta_media"),
            "stored " + std::to_string(photo.body.size()));
  EXPECT_EQ(app.Requests().size(), 7u) << "fetched again each time, stored the last";
}

// ASVS 5.2.2, bad input #24's type half: what a provider or the app says a file is counts only
// when its bytes agree. A "photo" that is HTML is kept as a download, never shown inline; a
// photo sent as a document or with the wrong image type is shown as what it is.
TEST_F(MediaDownloaderTest, AFilesTypeIsWhatItsBytesShowWhenItClaimsOrIsAnImage) {
  const std::string jpeg = "\xFF\xD8\xFF\xE0" + std::string(64, 'x');
  const std::string png = "\x89PNG\r\n\x1A\n" + std::string(64, 'x');
  testing::FakeProvider app({
      {"GET", "/html", Serving("image/jpeg", "<html><script>alert(1)</script></html>")},
      {"GET", "/png", Serving("image/jpeg", png)},
      {"GET", "/document", Serving("application/octet-stream", jpeg)},
      {"GET", "/voice", Serving("audio/ogg", "OggS" + std::string(64, 'x'))},
  });
  // As the channels record them: the declared type, or '' when the message said none.
  AddMedia(app.BaseUrl() + "/html", "image", "image/jpeg");
  AddMedia(app.BaseUrl() + "/png", "image", "image/jpeg");
  AddMedia(app.BaseUrl() + "/document", "document", "");
  AddMedia(app.BaseUrl() + "/voice", "audio", "audio/ogg");
  MediaDownloader downloader(database_, {}, {"127.0.0.1"}, store_, limits_, QueueSettings{},
                             clock_);
  for (int i = 0; i < 4; ++i) {
    auto ran = downloader.RunOnce();
    ASSERT_TRUE(ran && *ran) << i;
  }
  EXPECT_EQ(db_.Scalar("SELECT string_agg(substring(provider_media_id FROM '/[a-z]+$') || ' ' ||"
                      "  download_state || ' ' || mime_type, ', ' ORDER BY id) FROM boleta_media"),
            "/html stored application/octet-stream, /png stored image/png, "
            "/document stored image/jpeg, /voice stored audio/ogg");
}

// ASVS 1.3.6 / 13.2.4: an app's photo is fetched only from a host the municipality registered
// (`[channels.open311] media_hosts`). A request naming another host is refused when it comes
// (open311_test); one stored before the host was taken off the list is blocked, never fetched.
TEST_F(MediaDownloaderTest, AnAppsPhotoIsFetchedOnlyFromARegisteredHost) {
  testing::FakeProvider app("GET", "/fotos/{id}",
                            Serving("image/jpeg", "\xFF\xD8\xFF\xE0" + std::string(64, 'x')));
  AddMedia(app.BaseUrl() + "/fotos/1");
  const std::vector<std::vector<std::string>> unregistered = {
      {}, {"fotos.mazatlan.gob.mx", ".example.mx"}};
  for (const std::vector<std::string>& hosts : unregistered) {
    MediaDownloader downloader(database_, {}, hosts, store_, limits_, QueueSettings{}, clock_);
    auto ran = downloader.RunOnce();
    ASSERT_TRUE(ran && *ran);
    EXPECT_EQ(db_.Scalar("SELECT download_state || ' ' || attempts FROM boleta_media"),
              "blocked 1");
    db_.Execute("UPDATE boleta_media SET download_state = 'pending', attempts = 0,"
                "  next_attempt_at = now() - interval '1 day'");
  }
  EXPECT_TRUE(app.Requests().empty()) << "nothing was asked of an unregistered host";

  MediaDownloader downloader(database_, {}, {"127.0.0.1"}, store_, limits_, QueueSettings{},
                             clock_);
  auto ran = downloader.RunOnce();
  ASSERT_TRUE(ran && *ran);
  EXPECT_EQ(db_.Scalar("SELECT download_state FROM boleta_media"), "stored");
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
TEST_F(MediaDownloaderTest, AFileIsAskedOfTheChannelItCameThroughNotTheBoletas) {
  testing::FakeProvider cdn("GET", "/{id}",
                            Serving("image/jpeg", "\xFF\xD8\xFF\xE0" + std::string(64, 'x')));
  FilesAt whatsapp(cdn.BaseUrl());
  AddMedia("wamid-foto", "image", "image/jpeg", "whatsapp");  // on the app's boleta
  MediaDownloader downloader(database_, {{"whatsapp", &whatsapp}}, {}, store_, limits_,
                             QueueSettings{}, clock_);
  auto ran = downloader.RunOnce();
  ASSERT_TRUE(ran && *ran);
  EXPECT_EQ(db_.Scalar("SELECT download_state FROM boleta_media"), "stored")
      << "not taken for an app's photo URL: "
      << db_.Scalar("SELECT coalesce(last_error, '') FROM boleta_media");
  ASSERT_EQ(cdn.Requests().size(), 1u);
  EXPECT_EQ(cdn.Requests().at(0).path, "/wamid-foto");
}

}  // namespace
}  // namespace sac::media
