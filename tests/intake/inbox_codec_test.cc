#include "intake/inbox_codec.h"

#include <gtest/gtest.h>

namespace sac::intake {
namespace {

TEST(InboxCodecTest, MessagesRoundTrip) {
  InboundMessage message;
  message.channel = "whatsapp";
  message.account_id = "110220330440550";
  message.external_id = "wamid.X";
  message.sender_id = "5216691234501";
  message.sender_phone = "+526691234501";
  message.sender_name = "María";
  message.type = MessageType::kImage;
  message.text = "luminaria \"fundida\"\n";
  message.context_id = "wamid.Y";
  message.edit_of = "wamid.W";
  message.callback_id = "cb1";
  message.sent_at = 1773159323;
  message.media = {Media{"mid", MessageType::kImage, "image/jpeg", "abc", "foto.jpg", false},
                   Media{"mid2", MessageType::kDocument, "application/pdf", "", "oficio.pdf", false}};
  message.location = GeoPoint{23.2418, -106.4112, "Parque", "Av. del Mar"};

  auto decoded = DecodeMessage(EncodeMessage(message));
  ASSERT_TRUE(decoded) << decoded.error().message;
  EXPECT_EQ(decoded->external_id, message.external_id);
  EXPECT_EQ(decoded->sender_phone, message.sender_phone);
  EXPECT_EQ(decoded->sender_name, message.sender_name);
  EXPECT_EQ(decoded->type, MessageType::kImage);
  EXPECT_EQ(decoded->text, message.text);
  EXPECT_EQ(decoded->edit_of, "wamid.W");
  EXPECT_EQ(decoded->callback_id, "cb1");
  EXPECT_EQ(decoded->sent_at, message.sent_at);
  ASSERT_EQ(decoded->media.size(), 2u);
  EXPECT_EQ(decoded->media[0].provider_media_id, "mid");
  EXPECT_EQ(decoded->media[1].kind, MessageType::kDocument);
  EXPECT_EQ(decoded->media[1].filename, "oficio.pdf");
  ASSERT_TRUE(decoded->location);
  EXPECT_DOUBLE_EQ(decoded->location->latitude, 23.2418);
  EXPECT_DOUBLE_EQ(decoded->location->longitude, -106.4112);
}

TEST(InboxCodecTest, ReadsRowsStoredWithASingleMediaObject) {
  auto decoded = DecodeMessage(
      R"({"channel":"whatsapp","external_id":"w","sender_id":"5","type":"audio",)"
      R"("media":{"provider_media_id":"m1","mime_type":"audio/ogg","voice":true}})");
  ASSERT_TRUE(decoded) << decoded.error().message;
  ASSERT_EQ(decoded->media.size(), 1u);
  EXPECT_EQ(decoded->media[0].kind, MessageType::kAudio) << "the message's type";
  EXPECT_TRUE(decoded->media[0].voice);
}

TEST(InboxCodecTest, UpdatesRoundTrip) {
  DeliveryUpdate update{"whatsapp", "wamid.Z", DeliveryState::kFailed, 1773340000, "131047",
                        "Re-engagement message", "", 0};
  auto decoded = DecodeUpdate(EncodeUpdate(update));
  ASSERT_TRUE(decoded);
  EXPECT_EQ(decoded->state, DeliveryState::kFailed);
  EXPECT_EQ(decoded->error_code, "131047");

  DeliveryUpdate watermark{"messenger", "", DeliveryState::kRead, 1773340000, "", "", "PSID1",
                           1773340000123};
  auto read = DecodeUpdate(EncodeUpdate(watermark));
  ASSERT_TRUE(read);
  EXPECT_EQ(read->recipient_id, "PSID1");
  EXPECT_EQ(read->watermark, 1773340000123);
  EXPECT_FALSE(read->recipient_unreachable);

  DeliveryUpdate bounce{"email", "sac.1.x@municipio.example", DeliveryState::kFailed, 0, "5.1.1",
                        "mailbox does not exist", "", 0};
  bounce.recipient_unreachable = true;
  auto dead = DecodeUpdate(EncodeUpdate(bounce));
  ASSERT_TRUE(dead);
  EXPECT_TRUE(dead->recipient_unreachable);
}

TEST(InboxCodecTest, RejectsWhatItDidNotWrite) {
  EXPECT_FALSE(DecodeMessage("[]"));
  EXPECT_FALSE(DecodeMessage(R"({"type":"telepathy"})"));
  EXPECT_FALSE(DecodeUpdate(R"({"state":"lost"})"));
}

}  // namespace
}  // namespace sac::intake
