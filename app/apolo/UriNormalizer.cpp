// SPDX-License-Identifier: GPL-3.0-or-later
#include "apolo/UriNormalizer.h"

#include <QCoreApplication>

namespace ApoloDeploy::UriNormalizer {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("UriNormalizer", text);
}

ApoloError invalid(const QString &uri, const QString &why)
{
    ApoloError error;
    error.kind = ApoloError::Kind::Validation;
    error.message = tr("Invalid platform URI '%1': %2.").arg(uri, why);
    error.hint = tr("Write it as scheme:path (in the current project), scheme:/project/path (in the org) or "
                    "scheme://cluster/org/project/path; quote '#' and '?' as %23 and %3F.");
    return error;
}

} // namespace

bool isPlatformScheme(const QString &scheme)
{
    static const QStringList schemes{QStringLiteral("storage"), QStringLiteral("image"), QStringLiteral("job"),
                                     QStringLiteral("secret"),  QStringLiteral("disk"),  QStringLiteral("blob"),
                                     QStringLiteral("flow")};
    return schemes.contains(scheme);
}

bool isSecretReference(const QString &value)
{
    return value.startsWith(QLatin1String("secret:"));
}

ApoloResult<QString> normalize(const QString &uri, const QString &expectedScheme, const ProjectScope &scope)
{
    const qsizetype colon = uri.indexOf(u':');
    if (colon <= 0)
        return invalid(uri, tr("it has no scheme (expected '%1:')").arg(expectedScheme));
    const QString scheme = uri.left(colon);
    if (scheme != expectedScheme)
        return invalid(uri, tr("the scheme is '%1', expected '%2'").arg(scheme, expectedScheme));
    if (uri.contains(u'#') || uri.contains(u'?'))
        return invalid(uri, tr("'#' and '?' are not allowed"));
    QString rest = uri.mid(colon + 1);

    if (rest.startsWith(QLatin1String("//"))) {
        const QString authorityAndPath = rest.mid(2);
        const qsizetype slash = authorityAndPath.indexOf(u'/');
        const QString authority = slash < 0 ? authorityAndPath : authorityAndPath.left(slash);
        if (authority.contains(u'@'))
            return invalid(uri, tr("a user or password is not allowed"));
        if (authority.contains(u':'))
            return invalid(uri, tr("a port is not allowed"));
        if (!authority.isEmpty()) {
            const QString path = slash < 0 ? QString() : authorityAndPath.mid(slash);
            return QString(scheme + QLatin1String("://") + authority + path);
        }
        // "scheme:///path": no host, absolute path.
        rest = slash < 0 ? QString() : authorityAndPath.mid(slash);
    }
    if (rest.startsWith(u'~'))
        return invalid(uri, tr("'~' is not expanded in platform URIs"));
    if (scope.cluster.isEmpty() || scope.org.isEmpty())
        return invalid(uri, tr("no cluster and org are selected to resolve it against"));
    if (rest.startsWith(u'/')) {
        // Org relative: the first path element names a project of the org.
        while (rest.startsWith(QLatin1String("//")))
            rest.remove(0, 1);
        return QString(scheme + QLatin1String("://") + scope.cluster + u'/' + scope.org + rest);
    }
    if (scope.project.isEmpty())
        return invalid(uri, tr("no project is selected to resolve it against"));
    QString normalized = scheme + QLatin1String("://") + scope.cluster + u'/' + scope.org + u'/' + scope.project;
    if (!rest.isEmpty())
        normalized += u'/' + rest;
    return normalized;
}

} // namespace ApoloDeploy::UriNormalizer
