#include "reports/pdf_document.h"

#include <hpdf.h>

#include "observability/log.h"

namespace sac::reports {
namespace {

const log::Logger& PdfLog() {
  static const log::Logger logger("reports");
  return logger;
}

// libharu reports errors through a C callback: never throw through it, only remember.
struct PdfErrors {
  HPDF_STATUS first = HPDF_OK;
  HPDF_STATUS detail = 0;
};
void OnPdfError(HPDF_STATUS error, HPDF_STATUS detail, void* user_data) {
  auto* errors = static_cast<PdfErrors*>(user_data);
  if (errors->first == HPDF_OK) {
    errors->first = error;
    errors->detail = detail;
  }
}

constexpr float kMargin = 36;
constexpr float kRowHeight = 12;
constexpr float kCellSize = 8.5f;

std::string OneLine(std::string text) {
  for (char& c : text) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  return text;
}

}  // namespace

std::string ToWinAnsi(std::string_view utf8) {
  std::string out;
  out.reserve(utf8.size());
  for (std::size_t i = 0; i < utf8.size();) {
    const auto byte = static_cast<unsigned char>(utf8[i]);
    char32_t code = 0;
    std::size_t length = 0;
    if (byte < 0x80) {
      code = byte;
      length = 1;
    } else if ((byte & 0xE0) == 0xC0) {
      code = byte & 0x1F;
      length = 2;
    } else if ((byte & 0xF0) == 0xE0) {
      code = byte & 0x0F;
      length = 3;
    } else if ((byte & 0xF8) == 0xF0) {
      code = byte & 0x07;
      length = 4;
    } else {
      out += '?';
      ++i;
      continue;
    }
    bool valid = i + length <= utf8.size();
    for (std::size_t k = 1; valid && k < length; ++k) {
      const auto next = static_cast<unsigned char>(utf8[i + k]);
      valid = (next & 0xC0) == 0x80;
      code = (code << 6) | (next & 0x3F);
    }
    if (!valid) {
      out += '?';
      ++i;
      continue;
    }
    i += length;
    if (code == U'\n') {
      out += '\n';  // kept for paragraphs; lines and cells turn it into a space
    } else if (code < 0x20) {
      out += ' ';
    } else if (code < 0x80 || (code >= 0xA0 && code <= 0xFF)) {
      out += static_cast<char>(code);
    } else {
      switch (code) {
        case U'€': out += '\x80'; break;
        case U'‚': out += '\x82'; break;
        case U'„': out += '\x84'; break;
        case U'…': out += '\x85'; break;
        case U'‘': out += '\x91'; break;
        case U'’': out += '\x92'; break;
        case U'“': out += '\x93'; break;
        case U'”': out += '\x94'; break;
        case U'•': out += '\x95'; break;
        case U'–': out += '\x96'; break;
        case U'—': out += '\x97'; break;
        default: out += '?';
      }
    }
  }
  return out;
}

struct PdfDocument::Impl {
  PdfErrors errors;
  HPDF_Doc pdf = nullptr;
  HPDF_Font regular = nullptr;
  HPDF_Font bold = nullptr;
  HPDF_Page page = nullptr;
  float width = 0;
  float height = 0;
  float y = 0;  // the top of the space left on the page
  int page_number = 0;
  bool landscape = false;

  void Write(HPDF_Font font, float size, float x, float baseline, const std::string& winansi) {
    HPDF_Page_BeginText(page);
    HPDF_Page_SetFontAndSize(page, font, size);
    HPDF_Page_TextOut(page, x, baseline, winansi.c_str());
    HPDF_Page_EndText(page);
  }

  // The (WinAnsi) text cut with "…" to fit `room` points.
  std::string Fit(HPDF_Font font, float size, std::string text, float room) {
    HPDF_Page_SetFontAndSize(page, font, size);
    if (HPDF_Page_TextWidth(page, text.c_str()) <= room) return text;
    // WinAnsi is one byte per character: shorten until it fits with the ellipsis (0x85).
    std::size_t length = text.size();
    std::string cut;
    do {
      length = length > 8 ? length - length / 8 : length - 1;
      cut = text.substr(0, length) + "\x85";
    } while (length > 0 && HPDF_Page_TextWidth(page, cut.c_str()) > room);
    while (length < text.size()) {  // grow back one character at a time to the widest that fits
      std::string longer = text.substr(0, length + 1) + "\x85";
      if (HPDF_Page_TextWidth(page, longer.c_str()) > room) break;
      cut = std::move(longer);
      ++length;
    }
    return cut;
  }

  void Cells(HPDF_Font font, const std::vector<PdfColumn>& columns,
             const std::vector<std::string>& cells) {
    const float baseline = y - kRowHeight + 3.5f;
    float x = kMargin;
    for (std::size_t i = 0; i < cells.size() && i < columns.size(); ++i) {
      const float room = (i + 1 == columns.size() ? width - kMargin - x : columns[i].width) - 4;
      Write(font, kCellSize, x, baseline, Fit(font, kCellSize, OneLine(ToWinAnsi(cells[i])), room));
      x += columns[i].width;
    }
    y -= kRowHeight;
  }
};

PdfDocument::PdfDocument(std::string title, Orientation orientation) : impl_(new Impl) {
  impl_->landscape = orientation == Orientation::kLandscape;
  impl_->width = impl_->landscape ? 842 : 595;
  impl_->height = impl_->landscape ? 595 : 842;
  impl_->pdf = HPDF_New(OnPdfError, &impl_->errors);
  if (impl_->pdf == nullptr) return;
  HPDF_SetCompressionMode(impl_->pdf, HPDF_COMP_ALL);
  HPDF_SetInfoAttr(impl_->pdf, HPDF_INFO_TITLE, ToWinAnsi(title).c_str());
  HPDF_SetInfoAttr(impl_->pdf, HPDF_INFO_CREATOR, "SAC");
  impl_->regular = HPDF_GetFont(impl_->pdf, "Helvetica", "WinAnsiEncoding");
  impl_->bold = HPDF_GetFont(impl_->pdf, "Helvetica-Bold", "WinAnsiEncoding");
}

PdfDocument::~PdfDocument() {
  if (impl_->pdf != nullptr) HPDF_Free(impl_->pdf);
}

void PdfDocument::NewPage() {
  if (impl_->pdf == nullptr) return;
  Impl& d = *impl_;
  d.page = HPDF_AddPage(d.pdf);
  HPDF_Page_SetSize(d.page, HPDF_PAGE_SIZE_A4,
                    d.landscape ? HPDF_PAGE_LANDSCAPE : HPDF_PAGE_PORTRAIT);
  ++d.page_number;
  d.y = d.height - kMargin;
  // Every page says whose it is and which: a printed document gets shuffled.
  d.Write(d.regular, 7.5f, kMargin, kMargin - 14,
          ToWinAnsi(footer_ + (footer_.empty() ? "" : " · ") + "página " +
                    std::to_string(d.page_number)));
}

void PdfDocument::Line(std::string_view text, float size, bool bold, float advance) {
  if (impl_->pdf == nullptr) return;
  Impl& d = *impl_;
  if (advance == 0) advance = size * 1.5f;
  if (d.page == nullptr || d.y - advance < kMargin) NewPage();
  HPDF_Font font = bold ? d.bold : d.regular;
  d.Write(font, size, kMargin, d.y - size,
          d.Fit(font, size, OneLine(ToWinAnsi(text)), d.width - 2 * kMargin));
  d.y -= advance;
}

void PdfDocument::Paragraph(std::string_view text, float size) {
  if (impl_->pdf == nullptr) return;
  Impl& d = *impl_;
  const float advance = size * 1.4f;
  const float room = d.width - 2 * kMargin;
  std::string rest = ToWinAnsi(text);
  while (!rest.empty()) {
    if (d.page == nullptr || d.y - advance < kMargin) NewPage();
    HPDF_Page_SetFontAndSize(d.page, d.regular, size);
    const auto newline = rest.find('\n');
    std::string line = rest.substr(0, newline);
    // How many bytes fit, breaking at a word when it can (libharu measures WinAnsi bytes).
    HPDF_REAL used = 0;
    HPDF_UINT fits = HPDF_Page_MeasureText(d.page, line.c_str(), room, HPDF_TRUE, &used);
    if (fits == 0) fits = HPDF_Page_MeasureText(d.page, line.c_str(), room, HPDF_FALSE, &used);
    if (fits == 0) fits = 1;
    const std::size_t taken = std::min<std::size_t>(fits, line.size());
    d.Write(d.regular, size, kMargin, d.y - size, line.substr(0, taken));
    d.y -= advance;
    std::size_t next = taken;
    if (taken == line.size() && newline != std::string::npos) next = newline + 1;
    while (next < rest.size() && rest[next] == ' ') ++next;
    rest.erase(0, next);
  }
}

void PdfDocument::Space(float points) { impl_->y -= points; }

void PdfDocument::Table(std::string_view heading, const std::vector<PdfColumn>& columns,
                        const std::vector<std::vector<std::string>>& rows) {
  if (impl_->pdf == nullptr) return;
  Impl& d = *impl_;
  const auto header = [&](const std::string& title) {
    Line(title, 11, true, 16);
    // A light band behind the column names.
    HPDF_Page_SetRGBFill(d.page, 0.9f, 0.92f, 0.95f);
    HPDF_Page_Rectangle(d.page, kMargin - 2, d.y - kRowHeight, d.width - 2 * kMargin + 4, kRowHeight);
    HPDF_Page_Fill(d.page);
    HPDF_Page_SetRGBFill(d.page, 0, 0, 0);
    std::vector<std::string> titles;
    for (const PdfColumn& column : columns) titles.push_back(column.title);
    d.Cells(d.bold, columns, titles);
  };
  Space(8);
  if (d.page == nullptr || d.y - 3 * kRowHeight - 16 < kMargin) NewPage();
  header(std::string(heading));
  for (const auto& row : rows) {
    if (d.y - kRowHeight < kMargin) {
      NewPage();
      header(std::string(heading) + " · continúa");
    }
    d.Cells(d.regular, columns, row);
  }
}

std::optional<std::string> PdfDocument::Finish() {
  Impl& d = *impl_;
  if (d.pdf == nullptr) return std::nullopt;
  if (d.page == nullptr) NewPage();  // a PDF needs a page
  if (d.errors.first == HPDF_OK) HPDF_SaveToStream(d.pdf);
  if (d.errors.first != HPDF_OK) {
    PdfLog().Error("PDF failed", {{"hpdf_error", static_cast<std::int64_t>(d.errors.first)},
                                  {"hpdf_detail", static_cast<std::int64_t>(d.errors.detail)}});
    return std::nullopt;
  }
  std::string bytes(HPDF_GetStreamSize(d.pdf), '\0');
  HPDF_UINT32 size = static_cast<HPDF_UINT32>(bytes.size());
  HPDF_ReadFromStream(d.pdf, reinterpret_cast<HPDF_BYTE*>(bytes.data()), &size);
  bytes.resize(size);
  return bytes;
}

}  // namespace sac::reports
