// The p-th quantile (0..1) of a benchmark's samples, nearest rank over the sorted samples; 0 when
// there are none.
#pragma once

#include <algorithm>
#include <cstddef>
#include <vector>

namespace sac::bench {

inline double Percentile(std::vector<double> samples, double p) {
  if (samples.empty()) return 0;
  std::sort(samples.begin(), samples.end());
  return samples[static_cast<std::size_t>(p * static_cast<double>(samples.size() - 1))];
}

}  // namespace sac::bench
