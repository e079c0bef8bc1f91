// SPDX-License-Identifier: GPL-3.0-or-later
#include "logs/LogsLogging.h"

namespace ApoloDeploy {
Q_LOGGING_CATEGORY(lcLogs, "adc.logs")
} // namespace ApoloDeploy
