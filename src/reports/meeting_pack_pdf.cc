#include "reports/meeting_pack_pdf.h"

#include <algorithm>
#include <cstdio>

#include "reports/pdf_document.h"

namespace sac::reports {
namespace {

// Folio, estado, categoría, colonia, canalizada, días hábiles, plazo, atraso / sin leer, petición.
const std::vector<PdfColumn>& Columns() {
  static const std::vector<PdfColumn> columns = {
      {"Folio", 62},      {"Estado", 66},    {"Categoría", 100}, {"Colonia", 98},
      {"Canalizada", 52}, {"Días háb.", 44}, {"Plazo", 52},      {"Atraso", 50},
      {"Petición", 246}};
  return columns;
}

enum class Age { kOverdue, kUnread, kNone };

void List(PdfDocument& pdf, const workflow::LocalTime& local, const std::string& title,
          const std::vector<MeetingBoleta>& boletas, Age age) {
  if (boletas.empty()) return;
  std::vector<std::vector<std::string>> rows;
  rows.reserve(boletas.size());
  for (const MeetingBoleta& boleta : boletas) {
    std::string late;
    if (age == Age::kOverdue) late = std::to_string(boleta.business_days_overdue) + " días";
    if (age == Age::kUnread) late = "sin leer " + std::to_string(boleta.business_days_unread) + " d";
    std::string status = workflow::StatusLabel(boleta.status);
    if (age == Age::kOverdue && boleta.unread) status += ", sin leer";
    rows.push_back({boleta.folio, status, boleta.categoria, boleta.colonia,
                    ShortDate(local, boleta.routed_at), std::to_string(boleta.business_days_held),
                    ShortDate(local, boleta.due_at), late, boleta.text});
  }
  pdf.Table(title + " (" + std::to_string(boletas.size()) + ")", Columns(), rows);
}

}  // namespace

std::string ShortDate(const workflow::LocalTime& local, TimePoint instant) {
  const std::chrono::year_month_day day(local.LocalDate(instant));
  char text[48];
  std::snprintf(text, sizeof text, "%02u/%02u/%04d", static_cast<unsigned>(day.day()),
                static_cast<unsigned>(day.month()), static_cast<int>(day.year()));
  return text;
}

std::string ShortDateTime(const workflow::LocalTime& local, TimePoint instant) {
  const auto since_midnight = instant - local.StartOfDay(local.LocalDate(instant));
  const int minutes = static_cast<int>(std::clamp<long long>(
      std::chrono::duration_cast<std::chrono::minutes>(since_midnight).count(), 0, 24 * 60 - 1));
  char clock[32];
  std::snprintf(clock, sizeof clock, "%02d:%02d", minutes / 60, minutes % 60);
  return ShortDate(local, instant) + " " + clock;
}

std::optional<std::string> MeetingPackPdf(const MeetingPack& pack, const workflow::LocalTime& local) {
  PdfDocument pdf("Reunión mensual · SAC Mazatlán", PdfDocument::Orientation::kLandscape);
  const std::string stamp = "SAC · Municipio de Mazatlán · " + ShortDate(local, pack.as_of);
  if (pack.sections.empty()) {
    pdf.SetFooter(stamp);
    pdf.NewPage();
    pdf.Line("Reunión mensual", 15, true, 20);
    pdf.Line("No hay dependencias activas que mostrar.", 10, false, 14);
  }
  for (const MeetingSection& section : pack.sections) {
    pdf.SetFooter(stamp + " · " + section.dependencia_name);
    pdf.NewPage();
    pdf.Line("Reunión mensual · " + section.dependencia_name, 15, true, 20);
    pdf.Line("Situación al " + ShortDateTime(local, pack.as_of) + " (hora de Mazatlán)", 9, false, 16);
    const int pending = section.PendingTotal();
    char summary[256];
    std::snprintf(summary, sizeof summary,
                  "Pendientes: %d   ·   Vencidas: %zu   ·   Sin leer: %d   ·   Por vencer: %d   ·   "
                  "En inconformidad: %d   ·   Atendidas este mes: %d (%d en plazo)",
                  pending, section.overdue.size(), section.unread_total, section.due_soon,
                  section.in_dispute, section.attended_this_month,
                  section.attended_on_time_this_month);
    pdf.Line(summary, 9.5f, true, 20);
    if (pending == 0) {
      pdf.Line("Sin boletas pendientes.", 10, false, 14);
      continue;
    }
    List(pdf, local, "Vencidas", section.overdue, Age::kOverdue);
    List(pdf, local, "Sin leer", section.unread, Age::kUnread);
    List(pdf, local, "Pendientes en plazo", section.pending, Age::kNone);
  }
  return pdf.Finish();
}

}  // namespace sac::reports
