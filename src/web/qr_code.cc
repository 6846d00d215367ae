#include "web/qr_code.h"

#include <qrencode.h>

#include <memory>
#include <stdexcept>
#include <string>

namespace sac::web {

Html QrCodeSvg(std::string_view text, std::string_view label) {
  const std::unique_ptr<QRcode, decltype(&QRcode_free)> code(
      QRcode_encodeData(static_cast<int>(text.size()),
                        reinterpret_cast<const unsigned char*>(text.data()), 0, QR_ECLEVEL_M),
      &QRcode_free);
  if (!code) {
    throw std::runtime_error("the QR code could not be drawn");
  }
  constexpr int kQuietZone = 4;
  const int width = code->width;
  std::string path;
  for (int y = 0; y < width; ++y) {
    for (int x = 0; x < width; ++x) {
      if (code->data[y * width + x] & 1) {  // bit 0: a dark module
        path += "M" + std::to_string(x + kQuietZone) + " " + std::to_string(y + kQuietZone) +
                "h1v1h-1z";
      }
    }
  }
  const std::string box = "0 0 " + std::to_string(width + 2 * kQuietZone) + " " +
                          std::to_string(width + 2 * kQuietZone);
  Html svg;
  svg.Markup(
         "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"qr\" width=\"232\" height=\"232\""
         " shape-rendering=\"crispEdges\" role=\"img\"")
      .Attr("viewBox", box)
      .Attr("aria-label", label)
      .Markup("><rect width=\"100%\" height=\"100%\" fill=\"#fff\"/><path fill=\"#000\"")
      .Attr("d", path)
      .Markup("/></svg>");
  return svg;
}

}  // namespace sac::web
