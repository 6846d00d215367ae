#include "http/multipart.h"

#include <gtest/gtest.h>

namespace sac::http {
namespace {

constexpr std::string_view kType = "multipart/form-data; boundary=----sacBoundary7MA4YWxk";

// The whole literal, NUL bytes included.
template <std::size_t N>
std::string Body(const char (&parts)[N]) {
  return std::string(parts, N - 1);
}

TEST(MultipartTest, ReadsFieldsAndFilesAsABrowserSendsThem) {
  const std::string body = Body(
      "------sacBoundary7MA4YWxk\r\n"
      "Content-Disposition: form-data; name=\"texto\"\r\n\r\n"
      "fuga en la calle\r\nsegunda línea\r\n"
      "------sacBoundary7MA4YWxk\r\n"
      "Content-Disposition: form-data; name=\"foto\"; filename=\"IMG 001.jpg\"\r\n"
      "Content-Type: image/jpeg\r\n\r\n"
      "\xFF\xD8\xFF\xE0\r\n--not-a-boundary\x00\x01"
      "\r\n------sacBoundary7MA4YWxk--\r\n");
  const auto parts = ParseMultipart(kType, body, 10);
  ASSERT_TRUE(parts) << parts.error().message;
  ASSERT_EQ(parts->size(), 2u);
  EXPECT_EQ((*parts)[0].name, "texto");
  EXPECT_EQ((*parts)[0].filename, "");
  EXPECT_EQ((*parts)[0].data, "fuga en la calle\r\nsegunda línea");
  EXPECT_EQ((*parts)[1].name, "foto");
  EXPECT_EQ((*parts)[1].filename, "IMG 001.jpg");
  EXPECT_EQ((*parts)[1].content_type, "image/jpeg");
  EXPECT_EQ((*parts)[1].data, std::string_view("\xFF\xD8\xFF\xE0\r\n--not-a-boundary\x00\x01", 24));
}

TEST(MultipartTest, TheBoundaryMayBeQuotedAndTheTypeAnyCase) {
  EXPECT_EQ(MultipartBoundary("Multipart/Form-Data; boundary=\"a b\""), "a b");
  EXPECT_EQ(MultipartBoundary("multipart/form-data; charset=utf-8; boundary=xyz"), "xyz");
  EXPECT_EQ(MultipartBoundary("application/x-www-form-urlencoded"), "");
  EXPECT_EQ(MultipartBoundary("multipart/form-data"), "");
  EXPECT_EQ(MultipartBoundary("multipart/form-data; boundary=" + std::string(71, 'x')), "");
  const auto parts = ParseMultipart("multipart/form-data; boundary=\"a b\"",
                                    "--a b\r\nContent-Disposition: form-data; name=x\r\n\r\n1\r\n--a b--", 5);
  ASSERT_TRUE(parts);
  EXPECT_EQ(parts->at(0).name, "x");
}

TEST(MultipartTest, ABackslashInAFilenameIsJustACharacter) {
  const std::string body = Body(
      "------sacBoundary7MA4YWxk\r\n"
      "Content-Disposition: form-data; name=\"foto\"; filename=\"C:\\fotos\\bache.jpg\"\r\n\r\n"
      "x\r\n------sacBoundary7MA4YWxk--");
  const auto parts = ParseMultipart(kType, body, 5);
  ASSERT_TRUE(parts) << parts.error().message;
  EXPECT_EQ(parts->at(0).filename, "C:\\fotos\\bache.jpg");
}

TEST(MultipartTest, RefusesWhatDoesNotFollowTheStructure) {
  const std::string head = "------sacBoundary7MA4YWxk\r\n";
  const std::string field = "Content-Disposition: form-data; name=\"a\"\r\n\r\nvalor";
  EXPECT_FALSE(ParseMultipart("multipart/form-data", head + field, 5)) << "no boundary";
  EXPECT_FALSE(ParseMultipart(kType, "sin partes", 5));
  EXPECT_FALSE(ParseMultipart(kType, head + field, 5)) << "unterminated";
  EXPECT_FALSE(ParseMultipart(kType, head + "Content-Disposition: form-data; name=\"a\"\r\nvalor", 5))
      << "no end of headers";
  EXPECT_FALSE(ParseMultipart(kType, head + "Content-Disposition: form-data\r\n\r\nx\r\n"
                                            "------sacBoundary7MA4YWxk--", 5))
      << "a part without a name";
  EXPECT_FALSE(ParseMultipart(kType, head + "basura sin dos puntos\r\n\r\nx\r\n"
                                            "------sacBoundary7MA4YWxk--", 5));
  std::string many;
  for (int i = 0; i < 6; ++i) many += head + field + "\r\n";
  many += "------sacBoundary7MA4YWxk--";
  EXPECT_FALSE(ParseMultipart(kType, many, 5)) << "too many parts";
  EXPECT_TRUE(ParseMultipart(kType, many, 6));
}

}  // namespace
}  // namespace sac::http
