// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/CoreLogging.h"

namespace ApoloDeploy {
Q_LOGGING_CATEGORY(lcCore, "adc.core")
Q_LOGGING_CATEGORY(lcSettings, "adc.core.settings")
Q_LOGGING_CATEGORY(lcSecrets, "adc.core.secrets")
} // namespace ApoloDeploy
