// SPDX-License-Identifier: GPL-3.0-or-later
#include "deploy/DeploymentName.h"

namespace ApoloDeploy {

namespace {

// Room for the longest derived suffix ("-worker-NN", "-server") under the 40-character limit.
constexpr qsizetype maxSuggestedLength = 24;

} // namespace

QString suggestDeploymentName(const QString &modelId)
{
    // Job names are [a-z] then [a-z0-9] runs joined by single dashes (apolo-api.md §3.2).
    const QString base = modelId.section(u'/', -1).toLower();
    QString name;
    for (const QChar c : base) {
        const bool letter = c >= u'a' && c <= u'z';
        const bool digit = c >= u'0' && c <= u'9';
        if (name.isEmpty() && !letter)
            continue;
        if (letter || digit)
            name += c;
        else if (!name.endsWith(u'-'))
            name += u'-';
    }
    name.truncate(maxSuggestedLength);
    while (name.endsWith(u'-'))
        name.chop(1);
    return name.size() >= 3 ? name : QStringLiteral("llm");
}

} // namespace ApoloDeploy
