// The pieces under the e-mail channel: the MIME parser and its limits, charsets, HTML to text,
// reply trimming, multipart/form-data, and the messages we send.
#include "channels/email/mime_mail.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>

#include "channels/email/charset.h"
#include "channels/email/form_data.h"
#include "channels/email/html_text.h"
#include "channels/email/inbound_mail.h"
#include "channels/email/outgoing_mail.h"
#include "channels/email/reply_text.h"

namespace sac::channels::email {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* kHeaders = "From: Vecina <vecina@correo.example>\r\nSubject: Bache\r\n";

std::string Mail(const std::string& headers_and_body) { return kHeaders + headers_and_body; }

ParsedMail Parsed(const std::string& raw) {
  auto mail = ParseMime(raw);
  EXPECT_TRUE(mail) << mail.error().message;
  return mail ? *mail : ParsedMail{};
}

template <class F>
double Milliseconds(F&& run) {
  const auto start = std::chrono::steady_clock::now();
  run();
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

// --- MIME limits (reliability-anchors §7 items 18-21) ---------------------------------------------

TEST(MimeLimitsTest, DeepNestingIsRefusedQuickly) {
  std::string raw = kHeaders;
  for (int i = 0; i < 1000; ++i) {
    raw += "Content-Type: multipart/mixed; boundary=\"b" + std::to_string(i) + "\"\r\n\r\n--b" +
           std::to_string(i) + "\r\n";
  }
  raw += "Content-Type: text/plain\r\n\r\nhola\r\n";
  for (int i = 999; i >= 0; --i) raw += "--b" + std::to_string(i) + "--\r\n";
  Result<ParsedMail> mail = ParsedMail{};
  EXPECT_LT(Milliseconds([&] { mail = ParseMime(raw); }), 200);
  ASSERT_FALSE(mail);
  EXPECT_TRUE(IsOverLimits(mail.error()));
  EXPECT_THAT(mail.error().message, HasSubstr("nested deeper than 10"));
}

TEST(MimeLimitsTest, ThousandsOfPartsAreRefusedQuickly) {
  std::string raw = Mail("Content-Type: multipart/mixed; boundary=x\r\n\r\n");
  for (int i = 0; i < 100000; ++i) raw += "--x\r\n\r\n";
  raw += "--x--\r\n";
  Result<ParsedMail> mail = ParsedMail{};
  EXPECT_LT(Milliseconds([&] { mail = ParseMime(raw); }), 200);
  ASSERT_FALSE(mail);
  EXPECT_THAT(mail.error().message, HasSubstr("more than 100 parts"));
}

TEST(MimeLimitsTest, AttachedMessagesCountAsNesting) {
  std::string raw = kHeaders;
  for (int i = 0; i < 20; ++i) raw += "Content-Type: message/rfc822\r\n\r\nFrom: x@correo.example\r\n";
  raw += "Content-Type: text/plain\r\n\r\nhola\r\n";
  auto mail = ParseMime(raw);
  ASSERT_FALSE(mail);
  EXPECT_TRUE(IsOverLimits(mail.error()));
}

TEST(MimeLimitsTest, WithinTheLimitsIsFine) {
  std::string raw = Mail("Content-Type: multipart/mixed; boundary=x\r\n\r\n");
  for (int i = 0; i < 98; ++i) raw += "--x\r\nContent-Type: text/plain\r\n\r\nparte\r\n";
  raw += "--x--\r\n";
  EXPECT_TRUE(ParseMime(raw));
  MimeLimits small;
  small.max_bytes = 100;
  auto big = ParseMime(raw, small);
  ASSERT_FALSE(big);
  EXPECT_THAT(big.error().message, HasSubstr("larger than 100 bytes"));
}

// Bad input #20: a mail whose attachment is too big to keep is read from its first bytes, without
// the part they ran out in.
TEST(MimeLimitsTest, AMailCutShortKeepsTheTextAndLeavesOutThePartItWasCutIn) {
  const std::string raw = Mail(
      "Content-Type: multipart/mixed; boundary=\"fuera\"\r\n\r\n"
      "--fuera\r\nContent-Type: multipart/alternative; boundary=alt\r\n\r\n"
      "--alt\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nHay un bache enorme en la calle\r\n"
      "--alt\r\nContent-Type: text/html\r\n\r\n<p>Hay un bache enorme en la calle</p>\r\n--alt--\r\n"
      "--fuera\r\nContent-Type: image/jpeg; name=foto.jpg\r\nContent-Transfer-Encoding: base64\r\n\r\n"
      "/9j/4AAQSkZJRgABAQ\r\n--fuera\r\nContent-Type: video/mp4; name=video.mp4\r\n"
      "Content-Transfer-Encoding: base64\r\n\r\nAAAAIGZ0eXBpc29tAAACAGlzb21pc28yYXZjMW1wNDEAAAAIZnJlZQ");
  auto whole = WholePartsOf(raw, MimeLimits{});  // cut in the middle of the video's base64
  ASSERT_TRUE(whole) << whole.error().message;
  EXPECT_TRUE(whole->ends_with("/9j/4AAQSkZJRgABAQ\r\n--fuera--\r\n")) << *whole;
  const ParsedMail mail = Parsed(*whole);
  EXPECT_THAT(mail.text, HasSubstr("Hay un bache enorme"));
  ASSERT_EQ(mail.attachments.size(), 1u) << "the photo came whole; the video did not";
  EXPECT_EQ(mail.attachments[0].filename, "foto.jpg");

  // Cut inside the inner multipart: the html part goes, both multiparts are closed.
  const std::string inner = raw.substr(0, raw.find("<p>Hay") + 6);
  auto closed = WholePartsOf(inner, MimeLimits{});
  ASSERT_TRUE(closed) << closed.error().message;
  EXPECT_TRUE(closed->ends_with("en la calle\r\n--alt--\r\n--fuera--\r\n")) << *closed;
  EXPECT_THAT(Parsed(*closed).text, HasSubstr("Hay un bache enorme"));

  // A mail with bare LF line endings (as Postfix pipes it) is closed with LF: with CRLF, the
  // part before the closing line would lose its last byte.
  std::string lf = raw;
  for (std::size_t at = lf.find("\r\n"); at != std::string::npos; at = lf.find("\r\n", at)) lf.erase(at, 1);
  auto whole_lf = WholePartsOf(lf, MimeLimits{});
  ASSERT_TRUE(whole_lf) << whole_lf.error().message;
  EXPECT_TRUE(whole_lf->ends_with("/9j/4AAQSkZJRgABAQ\n--fuera--\n")) << *whole_lf;
  const ParsedMail lf_mail = Parsed(*whole_lf);
  EXPECT_THAT(lf_mail.text, HasSubstr("Hay un bache enorme en la calle"));
  ASSERT_EQ(lf_mail.attachments.size(), 1u);
  EXPECT_EQ(lf_mail.attachments[0].bytes, Parsed(*whole).attachments[0].bytes) << "whole, to the byte";

  // The closing lines must fit in the limit: when they would not, the cut moves out a part.
  MimeLimits tight;
  tight.max_bytes = closed->size() - 1;  // one byte short of the cut inside the alternative
  auto outer = WholePartsOf(inner, tight);
  ASSERT_TRUE(outer) << outer.error().message;
  EXPECT_LE(outer->size(), tight.max_bytes);
  EXPECT_TRUE(outer->ends_with("--fuera--\r\n"));
  EXPECT_THAT(*outer, Not(HasSubstr("Hay un bache"))) << "the alternative part went whole";

  // Nothing whole to keep: a single-part mail, or bytes that end before the first part.
  EXPECT_FALSE(WholePartsOf(Mail("Content-Type: text/plain\r\n\r\nHay un bache"), MimeLimits{}));
  EXPECT_FALSE(WholePartsOf(raw.substr(0, raw.find("--fuera")), MimeLimits{}));
}

TEST(MimeParserTest, BogusCharsetsBrokenWordsAndLongLinesAreReadBestEffort) {
  std::string raw =
      "From: =?utf-8?q?=ZZ=?= <x@correo.example>\r\n"
      "Subject: =?bogus?B?!!!?= =?utf-8?B?w6E=?= =?iso-8859-1?q?Cami=F3n?=\r\n"
      "Content-Type: text/plain; charset=x-no-such-charset\r\n\r\n" +
      std::string(1024 * 1024, 'a') + "\xE1";
  const ParsedMail mail = Parsed(raw);
  EXPECT_EQ(mail.from_address, "x@correo.example");
  EXPECT_THAT(mail.subject, HasSubstr("Camión"));
  EXPECT_EQ(mail.text.size(), 1024u * 1024 + 2) << "the last byte read as windows-1252 á";
}

TEST(MimeParserTest, WithoutASenderItIsNotAMailWeCanUse) {
  EXPECT_FALSE(ParseMime("Subject: hola\r\n\r\ncuerpo\r\n"));
  EXPECT_FALSE(ParseMime(""));
  EXPECT_TRUE(ParseMime("Return-Path: <a@correo.example>\r\n\r\ncuerpo\r\n"));
}

TEST(MimeParserTest, AMailWithoutMessageIdIsKeyedByItsBytes) {
  const std::string raw = Mail("\r\nHay un bache en la Av. del Mar.\r\n");
  const ReceivedMail received = ToReceivedMail(Parsed(raw), RawMessageId(raw), {});
  ASSERT_EQ(received.parsed.messages.size(), 1u);
  EXPECT_EQ(received.parsed.messages[0].external_id, RawMessageId(raw));
  EXPECT_THAT(RawMessageId(raw), ::testing::StartsWith("sha256:"));
  EXPECT_EQ(UsableMessageId("<a b@c>"), "") << "spaces";
  EXPECT_EQ(UsableMessageId(std::string(300, 'a') + "@c"), "") << "too long";
  EXPECT_EQ(UsableMessageId(" <abc@d.example> "), "abc@d.example");
}

TEST(MimeParserTest, Latin1LabelsAreReadAsWindows1252) {
  const ParsedMail mail = Parsed(Mail(
      "Content-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
      "\x93Urgente\x94 \x96 cami\xF3n\r\n"));
  EXPECT_EQ(mail.text, "“Urgente” – camión");
  EXPECT_EQ(ToUtf8("\x93hola\x94", "ISO-8859-1"), "“hola”");
  EXPECT_EQ(ToUtf8("cami\xC3\xB3n", "iso-8859-1"), "camión") << "mislabelled UTF-8";
  EXPECT_EQ(ToUtf8("cami\xF3n", ""), "camión");
  EXPECT_EQ(ToUtf8("\xA4", "iso-8859-15"), "€") << "ICU knows the other charsets";
  EXPECT_EQ(ToUtf8("a\0b\r\nc", "utf-8").find('\0'), std::string::npos);
  EXPECT_EQ(FixC1Controls("\xC2\x93" "hola" "\xC2\x94"), "“hola”");
}

TEST(MimeParserTest, AutomaticMailIsRecognised) {
  const auto automatic = [](const std::string& header) {
    return Parsed(Mail(header + "\r\n\r\nfuera de la oficina\r\n")).automatic.has_value();
  };
  EXPECT_TRUE(automatic("Auto-Submitted: auto-generated"));
  EXPECT_FALSE(automatic("Auto-Submitted: no"));
  EXPECT_TRUE(automatic("Precedence: bulk"));
  EXPECT_TRUE(automatic("Precedence: list"));
  EXPECT_FALSE(automatic("Precedence: normal"));
  EXPECT_TRUE(automatic("X-Autoreply: yes"));
  EXPECT_TRUE(automatic("List-Id: <vecinos.lists.example>"));
  EXPECT_TRUE(automatic("Return-Path: <>"));
  EXPECT_TRUE(automatic("X-Auto-Response-Suppress: All"));
  EXPECT_FALSE(automatic("X-Mailer: Outlook"));
  EXPECT_TRUE(Parsed("From: MAILER-DAEMON@mx.example\r\n\r\nx\r\n").automatic.has_value());
  EXPECT_TRUE(Parsed("From: a@b.example\r\nSubject: Respuesta automática: hola\r\n\r\nx\r\n")
                  .automatic.has_value());
}

TEST(MimeParserTest, ADelayWarningIsNotAFailure) {
  const std::string raw =
      "From: MAILER-DAEMON@mx.example\r\nContent-Type: multipart/report; "
      "report-type=delivery-status; boundary=r\r\n\r\n--r\r\nContent-Type: text/plain\r\n\r\n"
      "delayed\r\n--r\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx\r\n\r\n"
      "Final-Recipient: rfc822; a@b.example\r\nAction: delayed\r\nStatus: 4.4.1\r\n"
      "\r\n--r\r\nContent-Type: text/rfc822-headers\r\n\r\nMessage-ID: <sac.1.x@municipio.example>\r\n"
      "\r\n--r--\r\n";
  const ParsedMail mail = Parsed(raw);
  ASSERT_TRUE(mail.bounce);
  EXPECT_EQ(mail.bounce->action, "delayed");
  const ReceivedMail received = ToReceivedMail(mail, RawMessageId(raw), {});
  EXPECT_TRUE(received.parsed.updates.empty());
  ASSERT_EQ(received.parsed.messages.size(), 1u) << "kept, as an automatic message";
  EXPECT_EQ(received.parsed.messages[0].type, MessageType::kAutoReply);
}

TEST(MimeParserTest, AlternativesPreferPlainTextButKeepEveryFile) {
  const std::string raw = Mail(
      "Content-Type: multipart/alternative; boundary=a\r\n\r\n"
      "--a\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nTexto plano\r\n"
      "--a\r\nContent-Type: multipart/related; boundary=r\r\n\r\n"
      "--r\r\nContent-Type: text/html\r\n\r\n<p>Texto <b>HTML</b></p>\r\n"
      "--r\r\nContent-Type: image/jpeg\r\nContent-Transfer-Encoding: base64\r\n\r\n/9j/4AAQ\r\n"
      "--r--\r\n--a--\r\n");
  const ParsedMail mail = Parsed(raw);
  EXPECT_EQ(mail.text, "Texto plano");
  ASSERT_EQ(mail.attachments.size(), 1u) << "the photo of the HTML alternative";
  EXPECT_EQ(mail.attachments[0].mime_type, "image/jpeg");
}

TEST(MimeParserTest, FlowedTextIsJoined) {
  const ParsedMail mail = Parsed(Mail(
      "Content-Type: text/plain; charset=utf-8; format=flowed; delsp=yes\r\n\r\n"
      "Hay un bache muy grande en la es \r\nquina de la calle.\r\n"));
  EXPECT_EQ(mail.text, "Hay un bache muy grande en la esquina de la calle.");
}

TEST(MimeParserTest, AttachmentsKeepTheirNameWithoutAPath) {
  const ParsedMail mail = Parsed(Mail(
      "Content-Type: multipart/mixed; boundary=m\r\n\r\n--m\r\nContent-Type: text/plain\r\n\r\nve foto\r\n"
      "--m\r\nContent-Type: application/pdf; name=\"..\\\\..\\\\oficio.pdf\"\r\n"
      "Content-Disposition: attachment; filename*=UTF-8''..%2F..%2Foficio%20n%C3%BAm.pdf\r\n\r\n%PDF-1.4\r\n"
      "--m\r\nContent-Type: application/pgp-signature\r\n\r\nsig\r\n--m--\r\n"));
  ASSERT_EQ(mail.attachments.size(), 1u) << "signatures are noise";
  EXPECT_EQ(mail.attachments[0].filename, "oficio núm.pdf");
  EXPECT_EQ(mail.attachments[0].mime_type, "application/pdf");
}

// --- Petition text and threading ------------------------------------------------------------------

TEST(InboundMailTest, RepliesAreStrippedToTheNewWords) {
  const char* cases[][2] = {
      {"Sigue igual.\n\nOn Tue, Mar 10, 2026 at 10:02 AM Atención <a@b.example> wrote:\n> antes",
       "Sigue igual."},
      {"Sigue igual.\n\nEl mar., 10 mar. 2026 10:02, Atención Ciudadana <\na@b.example> escribió:\n\n> x",
       "Sigue igual."},
      {"Sigue igual.\n-----Mensaje original-----\nDe: Atención\nEnviado: martes\n", "Sigue igual."},
      {"Sigue igual.\n\n________________________________\nDe: Atención Ciudadana\nEnviado: martes, 10 "
       "de marzo\nPara: Vecina\nAsunto: Folio 2026-000123",
       "Sigue igual."},
      {"Sigue igual.\n\nFrom: Atención\nSent: Tuesday\nTo: me\nSubject: x", "Sigue igual."},
      {"> cita de arriba\n\nMi respuesta abajo.\n\nSent from my Galaxy", "Mi respuesta abajo."},
      {"Hay basura.\n\n-- \nJuan Pérez\nCel. 669", "Hay basura."},
      {"Hay basura.\n\nObtener Outlook para Android", "Hay basura."},
      {"> todo es cita\n> nada más", "> todo es cita\n> nada más"},
      {"Primera línea\n\n\n\nSegunda   \n", "Primera línea\n\nSegunda"},
  };
  for (const auto& [text, expected] : cases) {
    EXPECT_EQ(StripQuotedReply(text), expected) << text;
  }
}

TEST(InboundMailTest, TheSubjectLeadsUnlessItOnlyNamesTheThread) {
  EXPECT_EQ(PetitionText("Bache en Av. del Mar", "Es enorme."), "Bache en Av. del Mar\n\nEs enorme.");
  EXPECT_EQ(PetitionText("RE: Folio 2026-000123 - Atención", "Sigue."), "Sigue.");
  EXPECT_EQ(PetitionText("Re: Re[2]: algo", "Sigue."), "Sigue.");
  EXPECT_EQ(PetitionText("RV: Bache en Av. del Mar", "Reenvío."), "Bache en Av. del Mar\n\nReenvío.")
      << "RV is Spanish Outlook's forward";
  EXPECT_EQ(PetitionText("(sin asunto)", "Texto."), "Texto.");
  EXPECT_EQ(PetitionText("Bache", ""), "Bache");
  EXPECT_LE(PetitionText("", std::string(100000, 'x')).size(), kMaxTextBytes + 3);
  EXPECT_TRUE(IsReplySubject("Re: hola"));
  EXPECT_FALSE(IsReplySubject("Reporte: hola"));
  EXPECT_EQ(PlusAddressFolio({"atencion@municipio.example", "boleta+MZT-2026-000123@municipio.example"}),
            "2026-000123");
  EXPECT_EQ(PlusAddressFolio({"boleta+hola@municipio.example"}), "");
}

TEST(InboundMailTest, OurOwnMessageIdsWinWhenThreading) {
  ParsedMail mail;
  mail.from_address = "vecina@correo.example";
  mail.text = "Gracias";
  mail.in_reply_to = "otro@correo.example";
  mail.references = {"sac.7.abc@municipio.example", "otro@correo.example"};
  OwnMailbox own{"atencion@municipio.example", "municipio.example"};
  EXPECT_EQ(ToReceivedMail(mail, "k", own).parsed.messages[0].context_id,
            "sac.7.abc@municipio.example");
  own.domain.clear();
  EXPECT_EQ(ToReceivedMail(mail, "k", own).parsed.messages[0].context_id, "otro@correo.example");

  mail.from_address = "atencion@municipio.example";  // our own reply came back: a loop
  EXPECT_EQ(ToReceivedMail(mail, "k", {"atencion@municipio.example", "municipio.example"})
                .parsed.messages[0]
                .type,
            MessageType::kAutoReply);
}

// --- HTML -----------------------------------------------------------------------------------------

TEST(HtmlTextTest, VisibleTextOnly) {
  EXPECT_EQ(HtmlToText("<html><head><title>t</title><style>p{color:red}</style></head><body>"
                       "<div style=\"display: none\">preheader <b>oculto</b></div>"
                       "<span style='font-size:0px'>x</span><p>Hola&nbsp;&amp; adi&oacute;s</p>"
                       "<script>alert(1)</script><img src=\"https://t.example/p.gif\" width=1>"
                       "<p>Calle&#32;Ju&#xe1;rez<br>n&uacute;m. 5</p><div hidden>no</div>"
                       "<!-- comentario --><p>a &lt; b</p></body></html>"),
            "Hola & adiós\n\nCalle Juárez\nnúm. 5\n\na < b");
  EXPECT_EQ(HtmlToText("<p>Nuevo</p><blockquote><p>citado</p></blockquote>"), "Nuevo\n\n> citado");
  EXPECT_EQ(HtmlToText("<p style=\"font-size:0.9em\">visible</p>"), "visible");
  EXPECT_EQ(HtmlToText("<div style=display:none>sin cerrar"), "");
  EXPECT_EQ(HtmlToText("a <b unclosed"), "a");
}

// --- multipart/form-data --------------------------------------------------------------------------

TEST(FormDataTest, ReadsFieldsAndFilesExactly) {
  const std::string body =
      "--B\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\nl\xEDnea 1\nl\xEDnea 2\r\n"
      "--B\r\nContent-Disposition: form-data; name=\"attachment1\"; filename=\"foto.jpg\"\r\n"
      "Content-Type: image/jpeg\r\n\r\n\xFF\xD8\r\n--B--\r\n";
  auto fields = ParseFormData(body, "B");
  ASSERT_TRUE(fields) << fields.error().message;
  ASSERT_EQ(fields->size(), 2u);
  EXPECT_EQ((*fields)[0].value, "l\xEDnea 1\nl\xEDnea 2");
  EXPECT_EQ((*fields)[1].filename, "foto.jpg");
  EXPECT_EQ((*fields)[1].value, "\xFF\xD8");
  EXPECT_EQ(MultipartBoundary("multipart/form-data; boundary=\"xYzZY\""), "xYzZY");
  for (const char* bad : {"", "--B\r\nno colon\r\n\r\nx\r\n--B--", "--B\r\n\r\nx\r\n--B--",
                          "--B\r\nContent-Disposition: form-data; name=a\r\n\r\nnever closed",
                          "--B\r\nContent-Disposition: attachment; name=a\r\n\r\nx\r\n--B--"}) {
    EXPECT_FALSE(ParseFormData(bad, "B")) << bad;
  }
  std::string many;
  for (int i = 0; i < 300; ++i) many += "--B\r\nContent-Disposition: form-data; name=a\r\n\r\nx\r\n";
  EXPECT_FALSE(ParseFormData(many + "--B--", "B", 256));
}

// --- What we send ---------------------------------------------------------------------------------

TEST(OutgoingMailTest, HeadersAreEncodedAndCannotBeInjected) {
  OutgoingMail mail;
  mail.from_address = "atencion@municipio.example";
  mail.from_name = "Atención \"Ciudadana\"\r\nBcc: x@evil.example";
  mail.to = "vecina@correo.example";
  mail.subject = "Folio 2026-000123\r\nBcc: x@evil.example";
  mail.message_id = "sac.1.abc@municipio.example";
  mail.in_reply_to = "id@correo.example";
  mail.text = std::string(200, 'x') + "\n.\nfin con espacio \nUna línea larga con acentos: " +
              std::string(100, 'a');
  mail.date = TimePoint(std::chrono::seconds(1773169544));
  const std::string message = BuildMail(mail);
  const std::string headers = message.substr(0, message.find("\r\n\r\n"));
  EXPECT_THAT(headers, HasSubstr("Date: Tue, 10 Mar 2026 19:05:44 +0000"));
  EXPECT_THAT(headers, Not(HasSubstr("\r\nBcc")));
  EXPECT_THAT(headers, HasSubstr("Subject: Folio 2026-000123  Bcc: x@evil.example"))
      << "the line break became spaces: one header";
  EXPECT_THAT(headers, HasSubstr("From: =?UTF-8?B?"));
  for (std::size_t start = 0; start < message.size();) {
    const std::size_t end = message.find("\r\n", start);
    ASSERT_NE(end, std::string::npos) << "every line ends in CRLF";
    EXPECT_LE(end - start, 78u) << message.substr(start, end - start);
    start = end + 2;
  }
  EXPECT_THAT(message, HasSubstr("fin con espacio=20\r\n")) << "trailing spaces survive";
  EXPECT_EQ(EncodeHeaderText("hola"), "hola");
  EXPECT_EQ(EncodeHeaderText("=?no?="), "=?UTF-8?B?PT9ubz89?=") << "looks encoded: encode it";
  EXPECT_TRUE(IsMailAddress("a.b+c@municipio.example"));
  for (const char* bad : {"", "a", "a@b", "@b.example", "a@b@c.example", "a b@c.example",
                          "a@b.example>", "a@b.example\r\n", "\"a\"@b.example"}) {
    EXPECT_FALSE(IsMailAddress(bad)) << bad;
  }
  EXPECT_FALSE(IsThreadableId("sha256:abc"));
  EXPECT_TRUE(IsThreadableId("abc@d.example"));
}

}  // namespace
}  // namespace sac::channels::email
