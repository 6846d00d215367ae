#include "reports/meeting_pack_pdf.h"

#include <hpdf.h>

#include <algorithm>
#include <cstdio>
#include <memory>

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

constexpr float kPageWidth = 842;  // A4 landscape, in points
constexpr float kPageHeight = 595;
constexpr float kMargin = 36;
constexpr float kRowHeight = 12;
constexpr float kBodySize = 8.5f;

struct Column {
  const char* title;
  float width;
};
// Folio, estado, categoría, colonia, canalizada, días hábiles, plazo, atraso / sin leer, petición.
constexpr Column kColumns[] = {{"Folio", 62},    {"Estado", 66},     {"Categoría", 100},
                               {"Colonia", 98},  {"Canalizada", 52}, {"Días háb.", 44},
                               {"Plazo", 52},    {"Atraso", 50},     {"Petición", 246}};

std::string ShortDate(const workflow::LocalTime& local, TimePoint instant) {
  const std::chrono::year_month_day day(local.LocalDate(instant));
  char text[48];
  std::snprintf(text, sizeof text, "%02u/%02u/%04d", static_cast<unsigned>(day.day()),
                static_cast<unsigned>(day.month()), static_cast<int>(day.year()));
  return text;
}

// "30/11/2026 19:40": the time of the pack, Mazatlán time.
std::string ShortDateTime(const workflow::LocalTime& local, TimePoint instant) {
  const auto since_midnight = instant - local.StartOfDay(local.LocalDate(instant));
  const int minutes = static_cast<int>(std::clamp<long long>(
      std::chrono::duration_cast<std::chrono::minutes>(since_midnight).count(), 0, 24 * 60 - 1));
  char clock[32];
  std::snprintf(clock, sizeof clock, "%02d:%02d", minutes / 60, minutes % 60);
  return ShortDate(local, instant) + " " + clock;
}

// Writes pages; starts a new one when the current is full, repeating the running header.
class PackWriter {
 public:
  PackWriter(HPDF_Doc pdf, const workflow::LocalTime& local, TimePoint as_of)
      : pdf_(pdf), local_(local), as_of_(as_of) {
    regular_ = HPDF_GetFont(pdf_, "Helvetica", "WinAnsiEncoding");
    bold_ = HPDF_GetFont(pdf_, "Helvetica-Bold", "WinAnsiEncoding");
  }

  void Section(const MeetingSection& section) {
    dependencia_ = section.dependencia_name;
    NewPage();
    Line(bold_, 15, "Reunión mensual · " + section.dependencia_name, 20);
    Line(regular_, 9, "Situación al " + ShortDateTime(local_, as_of_) + " (hora de Mazatlán)", 16);
    const int pending = section.PendingTotal();
    char summary[256];
    std::snprintf(summary, sizeof summary,
                  "Pendientes: %d   ·   Vencidas: %zu   ·   Sin leer: %d   ·   Por vencer: %d   ·   "
                  "En inconformidad: %d   ·   Atendidas este mes: %d (%d en plazo)",
                  pending, section.overdue.size(), section.unread_total, section.due_soon,
                  section.in_dispute, section.attended_this_month,
                  section.attended_on_time_this_month);
    Line(bold_, 9.5f, summary, 20);
    if (pending == 0) {
      Line(regular_, 10, "Sin boletas pendientes.", 14);
      return;
    }
    List("Vencidas", section.overdue, Age::kOverdue);
    List("Sin leer", section.unread, Age::kUnread);
    List("Pendientes en plazo", section.pending, Age::kNone);
  }

  void Empty() {
    dependencia_.clear();
    NewPage();
    Line(bold_, 15, "Reunión mensual", 20);
    Line(regular_, 10, "No hay dependencias activas que mostrar.", 14);
  }

 private:
  enum class Age { kOverdue, kUnread, kNone };

  void NewPage() {
    page_ = HPDF_AddPage(pdf_);
    HPDF_Page_SetSize(page_, HPDF_PAGE_SIZE_A4, HPDF_PAGE_LANDSCAPE);
    ++page_number_;
    y_ = kPageHeight - kMargin;
    // Footer: who, when, which page — a printed pack gets shuffled.
    std::string footer = "SAC · Municipio de Mazatlán · " + ShortDate(local_, as_of_);
    if (!dependencia_.empty()) footer += " · " + dependencia_;
    footer += " · página " + std::to_string(page_number_);
    Write(regular_, 7.5f, kMargin, kMargin - 14, footer);
  }

  void Write(HPDF_Font font, float size, float x, float y, const std::string& utf8) {
    const std::string text = ToWinAnsi(utf8);
    HPDF_Page_BeginText(page_);
    HPDF_Page_SetFontAndSize(page_, font, size);
    HPDF_Page_TextOut(page_, x, y, text.c_str());
    HPDF_Page_EndText(page_);
  }

  // y_ is the top of the space left on the page; a line takes `advance` points of it.
  void Line(HPDF_Font font, float size, const std::string& text, float advance) {
    if (y_ - advance < kMargin) NewPage();
    Write(font, size, kMargin, y_ - size, text);
    y_ -= advance;
  }

  // The text cut (with "…") to fit `width` at the body size.
  std::string Fit(HPDF_Font font, const std::string& utf8, float width) {
    std::string text = ToWinAnsi(utf8);
    for (char& c : text) {
      if (c == '\n' || c == '\r' || c == '\t') c = ' ';
    }
    HPDF_Page_SetFontAndSize(page_, font, kBodySize);
    if (HPDF_Page_TextWidth(page_, text.c_str()) <= width) return text;
    // WinAnsi is one byte per character: shorten until it fits with the ellipsis (0x85).
    std::size_t length = text.size();
    std::string cut;
    do {
      length = length > 8 ? length - length / 8 : length - 1;
      cut = text.substr(0, length) + "\x85";
    } while (length > 0 && HPDF_Page_TextWidth(page_, cut.c_str()) > width);
    while (length < text.size()) {  // grow back one character at a time to the widest that fits
      std::string longer = text.substr(0, length + 1) + "\x85";
      if (HPDF_Page_TextWidth(page_, longer.c_str()) > width) break;
      cut = std::move(longer);
      ++length;
    }
    return cut;
  }

  // One table row in the next kRowHeight points.
  void Cells(HPDF_Font font, const std::vector<std::string>& cells) {
    const float baseline = y_ - kRowHeight + 3.5f;
    float x = kMargin;
    HPDF_Page_BeginText(page_);
    for (std::size_t i = 0; i < cells.size(); ++i) {
      const std::string text = Fit(font, cells[i], kColumns[i].width - 4);
      HPDF_Page_SetFontAndSize(page_, font, kBodySize);
      HPDF_Page_TextOut(page_, x, baseline, text.c_str());
      x += kColumns[i].width;
    }
    HPDF_Page_EndText(page_);
    y_ -= kRowHeight;
  }

  void TableHeader(const std::string& title) {
    Line(bold_, 11, title, 16);
    // A light band behind the column names.
    HPDF_Page_SetRGBFill(page_, 0.9f, 0.92f, 0.95f);
    HPDF_Page_Rectangle(page_, kMargin - 2, y_ - kRowHeight, kPageWidth - 2 * kMargin + 4, kRowHeight);
    HPDF_Page_Fill(page_);
    HPDF_Page_SetRGBFill(page_, 0, 0, 0);
    std::vector<std::string> titles;
    for (const Column& column : kColumns) titles.emplace_back(column.title);
    Cells(bold_, titles);
  }

  void List(const std::string& title, const std::vector<MeetingBoleta>& boletas, Age age) {
    if (boletas.empty()) return;
    y_ -= 8;
    if (y_ - 3 * kRowHeight - 16 < kMargin) NewPage();
    const std::string heading = title + " (" + std::to_string(boletas.size()) + ")";
    TableHeader(heading);
    for (const MeetingBoleta& boleta : boletas) {
      if (y_ - kRowHeight < kMargin) {
        NewPage();
        TableHeader(heading + " · continúa");
      }
      std::string late;
      if (age == Age::kOverdue) late = std::to_string(boleta.business_days_overdue) + " días";
      if (age == Age::kUnread) late = "sin leer " + std::to_string(boleta.business_days_unread) + " d";
      std::string status = workflow::StatusLabel(boleta.status);
      if (age == Age::kOverdue && boleta.unread) status += ", sin leer";
      Cells(regular_, {boleta.folio, status, boleta.categoria, boleta.colonia,
                       ShortDate(local_, boleta.routed_at), std::to_string(boleta.business_days_held),
                       ShortDate(local_, boleta.due_at), late, boleta.text});
    }
  }

  HPDF_Doc pdf_;
  const workflow::LocalTime& local_;
  TimePoint as_of_;
  HPDF_Font regular_ = nullptr;
  HPDF_Font bold_ = nullptr;
  HPDF_Page page_ = nullptr;
  int page_number_ = 0;
  float y_ = 0;
  std::string dependencia_;
};

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
    if (code < 0x20) {
      out += ' ';  // control characters print as nothing useful
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

std::optional<std::string> MeetingPackPdf(const MeetingPack& pack, const workflow::LocalTime& local) {
  PdfErrors errors;
  const std::unique_ptr<std::remove_pointer_t<HPDF_Doc>, void (*)(HPDF_Doc)> pdf(
      HPDF_New(OnPdfError, &errors), HPDF_Free);
  if (!pdf) return std::nullopt;
  HPDF_SetCompressionMode(pdf.get(), HPDF_COMP_ALL);
  HPDF_SetInfoAttr(pdf.get(), HPDF_INFO_TITLE, ToWinAnsi("Reunión mensual · SAC Mazatlán").c_str());
  HPDF_SetInfoAttr(pdf.get(), HPDF_INFO_CREATOR, "SAC");
  PackWriter writer(pdf.get(), local, pack.as_of);
  if (pack.sections.empty()) writer.Empty();
  for (const MeetingSection& section : pack.sections) writer.Section(section);
  if (errors.first == HPDF_OK) HPDF_SaveToStream(pdf.get());
  if (errors.first != HPDF_OK) {
    PdfLog().Error("meeting pack PDF failed",
                   {{"hpdf_error", static_cast<std::int64_t>(errors.first)},
                    {"hpdf_detail", static_cast<std::int64_t>(errors.detail)}});
    return std::nullopt;
  }
  std::string bytes(HPDF_GetStreamSize(pdf.get()), '\0');
  HPDF_UINT32 size = static_cast<HPDF_UINT32>(bytes.size());
  HPDF_ReadFromStream(pdf.get(), reinterpret_cast<HPDF_BYTE*>(bytes.data()), &size);
  bytes.resize(size);
  return bytes;
}

}  // namespace sac::reports
