// A printable document SAC writes (the meeting pack, a citizen's data): A4 pages of headings,
// lines, wrapped paragraphs and tables that continue on the next page with their header, a
// footer with the page number on every page. libharu with the PDF base-14 Helvetica (no font
// files to ship): text is converted from UTF-8 to WinAnsi, which holds every Spanish letter.
// libharu stays inside pdf_document.cc.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sac::reports {

// UTF-8 → Windows-1252 for the base-14 fonts: Latin-1 letters as they are, “ ” ‘ ’ – — … € as
// WinAnsi has them, anything else (emoji, other scripts) as '?'. Malformed bytes become '?'.
std::string ToWinAnsi(std::string_view utf8);

struct PdfColumn {
  std::string title;
  float width;  // points; the last column may take what is left of the line
};

class PdfDocument {
 public:
  enum class Orientation { kPortrait, kLandscape };
  PdfDocument(std::string title, Orientation orientation);
  ~PdfDocument();
  PdfDocument(const PdfDocument&) = delete;
  PdfDocument& operator=(const PdfDocument&) = delete;

  // The footer of pages started from now on ("SAC · … · página N" is added).
  void SetFooter(std::string footer) { footer_ = std::move(footer); }
  void NewPage();
  // One line of text, cut with "…" if it does not fit the width.
  void Line(std::string_view text, float size = 9, bool bold = false, float advance = 0);
  // Text wrapped at words over as many lines (and pages) as it needs.
  void Paragraph(std::string_view text, float size = 9);
  void Space(float points);
  // A table with a heading; on a page break the heading (with "· continúa") and the column
  // names are repeated. Cells are cut to their column.
  void Table(std::string_view heading, const std::vector<PdfColumn>& columns,
             const std::vector<std::vector<std::string>>& rows);

  // The PDF's bytes; nullopt when libharu failed at any point (logged).
  std::optional<std::string> Finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::string footer_;
};

}  // namespace sac::reports
