// SPDX-License-Identifier: GPL-3.0-or-later
#include "sandbox/SandboxLogging.h"

namespace ApoloDeploy::Sandbox {
Q_LOGGING_CATEGORY(lcSandbox, "adc.sandbox")
} // namespace ApoloDeploy::Sandbox
