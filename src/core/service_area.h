// The area the municipality attends, as a box of latitudes and longitudes ([area] in the
// configuration). A pin outside it is not where a municipal problem is: a phone without a fix
// sends 0,0, an app may swap latitude and longitude or drop a sign, a visitor may share where they
// are. The default is the municipality of Mazatlán with a margin around it; it does not follow
// the border, so a point in a neighbouring municipality near it passes.
#pragma once

namespace sac {

struct ServiceArea {
  double south = 22.85;
  double west = -106.65;
  double north = 23.95;
  double east = -105.65;

  bool Contains(double latitude, double longitude) const {
    return latitude >= south && latitude <= north && longitude >= west && longitude <= east;
  }
};

}  // namespace sac
