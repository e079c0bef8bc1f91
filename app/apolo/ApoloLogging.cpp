// SPDX-License-Identifier: GPL-3.0-or-later
#include "apolo/ApoloLogging.h"

namespace ApoloDeploy {
Q_LOGGING_CATEGORY(lcApolo, "adc.apolo")
} // namespace ApoloDeploy
