// SPDX-License-Identifier: GPL-3.0-or-later
#include "chat/ChatLogging.h"

namespace ApoloDeploy {
Q_LOGGING_CATEGORY(lcChat, "adc.chat")
} // namespace ApoloDeploy
