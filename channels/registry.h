// The built-in channels, listed explicitly: adding a channel is one line in registry.cc.
#pragma once

#include <memory>
#include <vector>

#include "config/config.h"
#include "core/channel.h"
#include "core/http_client.h"

namespace sac::channels {

// The enabled channels of `config.channels`, configured. `http` must outlive them.
std::vector<std::unique_ptr<Channel>> BuildChannels(const Config& config, HttpClient& http);

}  // namespace sac::channels
