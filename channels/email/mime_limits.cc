#include "channels/email/mime_limits.h"

#include <cctype>
#include <vector>

#include "core/ascii.h"

namespace sac::channels::email {
namespace {

constexpr std::size_t kMaxHeaderValue = 4096;  // a Content-Type longer than this is not followed

std::string_view TrimRight(std::string_view line) {
  while (!line.empty() && (line.back() == ' ' || line.back() == '\t' || line.back() == '\r')) {
    line.remove_suffix(1);
  }
  return line;
}

// The boundary parameter of a Content-Type value, "" when there is none.
std::string BoundaryOf(std::string_view value) {
  const std::string lower = AsciiLower(value);
  for (std::size_t at = lower.find("boundary"); at != std::string::npos;
       at = lower.find("boundary", at + 1)) {
    if (at > 0 && lower[at - 1] != ';' && lower[at - 1] != ' ' && lower[at - 1] != '\t') continue;
    std::size_t i = at + 8;
    while (i < value.size() && (value[i] == ' ' || value[i] == '\t')) ++i;
    if (i >= value.size() || value[i] != '=') continue;
    ++i;
    while (i < value.size() && (value[i] == ' ' || value[i] == '\t')) ++i;
    std::string boundary;
    if (i < value.size() && value[i] == '"') {
      for (++i; i < value.size() && value[i] != '"'; ++i) {
        if (value[i] == '\\' && i + 1 < value.size()) ++i;
        boundary.push_back(value[i]);
      }
    } else {
      for (; i < value.size() && value[i] != ';' && value[i] != ' ' && value[i] != '\t'; ++i) {
        boundary.push_back(value[i]);
      }
    }
    return std::string(TrimRight(boundary));
  }
  return {};
}

Error Refuse(const std::string& why) {
  return MakeError(Errc::kInvalidArgument, std::string(kOverLimits) + why);
}

// One open container: a multipart (with its boundary) or an attached message (without).
struct Frame {
  std::string boundary;
  std::size_t part_start = std::string_view::npos;  // where its current part's delimiter line begins
};

// One pass over the lines of `raw`, refusing what is over the structure limits; `open` ends with
// the containers still open where the bytes end (none for a whole mail).
Status ScanStructure(std::string_view raw, const MimeLimits& limits, std::vector<Frame>& open) {
  int parts = 1;
  bool in_headers = true;
  bool capturing = false;  // inside the (possibly folded) Content-Type header
  std::string content_type;
  std::size_t start = 0;
  while (start < raw.size()) {
    const std::size_t newline = raw.find('\n', start);
    const std::size_t end = newline == std::string_view::npos ? raw.size() : newline;
    const std::string_view line = TrimRight(raw.substr(start, end - start));
    const std::size_t line_start = start;
    start = end + 1;

    // A boundary line of any open multipart ends whatever is inside it.
    if (line.starts_with("--") && !open.empty()) {
      bool matched = false;
      for (std::size_t k = open.size(); k-- > 0;) {
        const std::string& boundary = open[k].boundary;
        if (boundary.empty() || line.size() < boundary.size() + 2 ||
            line.compare(2, boundary.size(), boundary) != 0) {
          continue;
        }
        const std::string_view rest = line.substr(boundary.size() + 2);
        if (rest == "--") {
          open.resize(k);  // the multipart is closed: its parent's body goes on
          in_headers = false;
        } else if (rest.empty()) {
          open.resize(k + 1);
          open[k].part_start = line_start;
          if (++parts > limits.max_parts) {
            return Refuse("more than " + std::to_string(limits.max_parts) + " parts");
          }
          in_headers = true;
          content_type.clear();
        } else {
          continue;
        }
        capturing = false;
        matched = true;
        break;
      }
      if (matched) continue;
    }
    if (!in_headers) continue;

    if (!line.empty()) {
      if (line.front() == ' ' || line.front() == '\t') {
        if (capturing && content_type.size() < kMaxHeaderValue) content_type += line;
      } else {
        capturing = line.size() >= 13 && AsciiLower(line.substr(0, 13)) == "content-type:";
        if (capturing) content_type = std::string(line.substr(13, kMaxHeaderValue));
      }
      continue;
    }
    // The blank line after an entity's headers: what it contains decides what comes next.
    in_headers = false;
    capturing = false;
    const std::string type = AsciiLower(content_type.substr(0, content_type.find(';')));
    const std::string_view media(TrimRight(type));
    const std::size_t first = media.find_first_not_of(" \t");
    const std::string_view kind = first == std::string_view::npos ? "" : media.substr(first);
    if (kind.starts_with("multipart/")) {
      std::string boundary = BoundaryOf(content_type);
      if (!boundary.empty()) open.push_back({std::move(boundary)});
    } else if (kind == "message/rfc822" || kind == "message/global") {
      open.push_back({});  // an attached message: its own headers follow
      in_headers = true;
      if (++parts > limits.max_parts) {
        return Refuse("more than " + std::to_string(limits.max_parts) + " parts");
      }
    }
    if (static_cast<int>(open.size()) > limits.max_depth) {
      return Refuse("nested deeper than " + std::to_string(limits.max_depth) + " levels");
    }
    content_type.clear();
  }
  return {};
}

}  // namespace

bool IsOverLimits(const Error& error) { return error.message.starts_with(kOverLimits); }

Status CheckMimeStructure(std::string_view raw, const MimeLimits& limits) {
  if (raw.size() > limits.max_bytes) {
    return Refuse("larger than " + std::to_string(limits.max_bytes) + " bytes");
  }
  std::vector<Frame> open;
  return ScanStructure(raw, limits, open);
}

Result<std::string> WholePartsOf(std::string_view prefix, const MimeLimits& limits) {
  std::vector<Frame> open;
  if (auto scanned = ScanStructure(prefix, limits, open); !scanned) return scanned.error();
  // The innermost multipart still open is where the bytes ran out: its current part is the one
  // cut short (anything open below it is inside that part), so the mail is cut where that part's
  // delimiter line begins and every multipart around it is closed. When that part had not begun
  // (the bytes ran out in a nested multipart's preamble), or the closing lines would not fit in
  // the limit, the cut moves out to the part around it.
  for (std::size_t cut = open.size(); cut-- > 0;) {
    if (open[cut].boundary.empty() || open[cut].part_start == std::string_view::npos) continue;
    const std::size_t at = open[cut].part_start;
    // The mail's own line ending (Postfix pipes mail with bare LF): a CRLF closing line after LF
    // lines would be read as one byte of line break too many, taken from the part before it.
    const std::string_view eol = at >= 2 && prefix[at - 2] == '\r' ? "\r\n" : "\n";
    std::string whole(prefix.substr(0, at));
    for (std::size_t k = cut + 1; k-- > 0;) {
      if (open[k].boundary.empty()) continue;  // an attached message ends with its container
      whole += "--" + open[k].boundary + "--";
      whole += eol;
    }
    if (whole.size() <= limits.max_bytes) return whole;
  }
  return MakeError(Errc::kInvalidArgument,
                   "the mail was cut short outside any part it could be kept without");
}

}  // namespace sac::channels::email
