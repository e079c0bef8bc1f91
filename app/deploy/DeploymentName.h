// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

namespace ApoloDeploy {

// A valid deployment name suggested from a model id when the user gives none, e.g.
// "cognitivecomputations/DeepSeek-R1-AWQ" -> "deepseek-r1-awq". Short enough that every job name
// derived from it stays within the platform's 40 characters; "llm" when nothing usable is left.
QString suggestDeploymentName(const QString &modelId);

} // namespace ApoloDeploy
