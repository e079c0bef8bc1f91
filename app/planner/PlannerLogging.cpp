// SPDX-License-Identifier: GPL-3.0-or-later
#include "planner/PlannerLogging.h"

namespace ApoloDeploy {
Q_LOGGING_CATEGORY(lcPlanner, "adc.planner")
} // namespace ApoloDeploy
