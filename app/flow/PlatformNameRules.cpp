// SPDX-License-Identifier: GPL-3.0-or-later
#include "flow/PlatformNameRules.h"

#include <QCoreApplication>
#include <QRegularExpression>

namespace ApoloDeploy::PlatformNameRules {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("PlatformNameRules", text);
}

bool isSafeShellChar(QChar c)
{
    // Python's shlex.quote leaves words made of these characters bare.
    return c.isLetterOrNumber() || QStringLiteral("@%+=:,./-_").contains(c);
}

} // namespace

QString checkJobName(const QString &name)
{
    static const QRegularExpression pattern(QStringLiteral("^[a-z](?:-?[a-z0-9])*$"));
    if (name.size() < jobNameMinLength || name.size() > jobNameMaxLength)
        return tr("'%1' has %2 characters; a job name needs 3 to 40.").arg(name).arg(name.size());
    if (!pattern.match(name).hasMatch())
        return tr("'%1' is not a valid job name: use lower-case letters, digits and single dashes, "
                  "starting with a letter and not ending with a dash.")
            .arg(name);
    if (name.startsWith(QLatin1String("job-")))
        return tr("'%1' starts with 'job-', which the platform reserves for job ids; pick another name.").arg(name);
    return {};
}

QString checkTag(const QString &tag)
{
    static const QRegularExpression whitespace(QStringLiteral("\\s"));
    if (tag.isEmpty() || tag.size() > tagMaxLength)
        return tr("The tag '%1' must have 1 to 256 characters.").arg(tag.left(40));
    if (whitespace.match(tag).hasMatch())
        return tr("The tag '%1' contains whitespace, which the platform refuses.").arg(tag);
    return {};
}

QString checkVolumeUri(const QString &uri)
{
    static const QRegularExpression form(QStringLiteral("^(storage|disk):(//[^/]+)?(/?[^:?#]*)$"));
    if (uri.isEmpty())
        return tr("The volume is empty; write e.g. storage:hf-cache.");
    const QRegularExpressionMatch match = form.match(uri);
    if (!match.hasMatch())
        return tr("'%1' is not a storage URI; write storage:FOLDER (in the current project), "
                  "storage:/PROJECT/FOLDER or storage://CLUSTER/ORG/PROJECT/FOLDER, without ':', '?' or '#' in the "
                  "path.")
            .arg(uri);
    if (match.captured(3).split(QLatin1Char('/')).contains(QStringLiteral("..")))
        return tr("'%1' contains '..'; the platform refuses parent references in storage paths.").arg(uri);
    return {};
}

QString checkMountPath(const QString &path)
{
    if (!path.startsWith(QLatin1Char('/')))
        return tr("The mount path '%1' must be absolute (start with /).").arg(path);
    if (path.contains(QLatin1Char(':')))
        return tr("The mount path '%1' contains ':', which splits volume strings; remove it.").arg(path);
    return {};
}

QString checkSecretName(const QString &name)
{
    // platform-secrets validators.py: ^(?!\.$|\.\.)[A-Za-z0-9_\-.]+$, 1-253 characters.
    static const QRegularExpression pattern(QStringLiteral("^(?!\\.$|\\.\\.)[A-Za-z0-9_\\-.]+$"));
    if (name.isEmpty() || name.size() > 253 || !pattern.match(name).hasMatch())
        return tr("'%1' is not a valid secret name: use letters, digits, '_', '-' and '.' "
                  "(as in 'apolo secret add HF_TOKEN …').")
            .arg(name);
    return {};
}

QString checkEnvName(const QString &name)
{
    static const QRegularExpression pattern(QStringLiteral("^[A-Za-z_][A-Za-z0-9_]*$"));
    if (!pattern.match(name).hasMatch())
        return tr("'%1' is not a valid environment variable name: use letters, digits and '_', "
                  "not starting with a digit.")
            .arg(name);
    return {};
}

QString checkImage(const QString &image)
{
    static const QRegularExpression pattern(
        QStringLiteral("^(image:)?[a-z0-9]+(?:[._-]+[a-z0-9]+)*(?::[0-9]+)?(?:/[a-z0-9]+(?:[._-]+[a-z0-9]+)*)*"
                       "(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$"));
    if (image.isEmpty())
        return tr("The image is empty; the default is vllm/vllm-openai:v0.7.2.");
    if (!pattern.match(image).hasMatch())
        return tr("'%1' is not a valid image reference; write e.g. vllm/vllm-openai:v0.7.2.").arg(image);
    return {};
}

bool isFlowIdentifier(const QString &id)
{
    static const QRegularExpression identifier(QStringLiteral("^[A-Za-z_][A-Za-z0-9_]*$"));
    if (!identifier.match(id).hasMatch())
        return false;
    // Python's str.isupper(): at least one cased character and all cased ones upper-case.
    bool hasLetter = false;
    for (const QChar c : id) {
        if (c.isLower())
            return true;
        hasLetter = hasLetter || c.isUpper();
    }
    return !hasLetter;
}

QString shellQuote(const QString &word)
{
    if (word.isEmpty())
        return QStringLiteral("''");
    if (std::all_of(word.cbegin(), word.cend(), isSafeShellChar))
        return word;
    QString quoted = word;
    quoted.replace(QLatin1Char('\''), QLatin1String("'\"'\"'"));
    return QLatin1Char('\'') + quoted + QLatin1Char('\'');
}

QString shellJoin(const QStringList &words)
{
    QStringList quoted;
    quoted.reserve(words.size());
    for (const QString &word : words)
        quoted << shellQuote(word);
    return quoted.join(QLatin1Char(' '));
}

bool shellSplit(const QString &text, QStringList *words)
{
    words->clear();
    QString current;
    bool inWord = false;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (c.isSpace()) {
            if (inWord)
                words->append(std::exchange(current, QString()));
            inWord = false;
        } else if (c == QLatin1Char('\'')) {
            const qsizetype end = text.indexOf(QLatin1Char('\''), i + 1);
            if (end < 0)
                return false;
            current += text.mid(i + 1, end - i - 1);
            i = end;
            inWord = true;
        } else if (c == QLatin1Char('"')) {
            qsizetype j = i + 1;
            for (; j < text.size() && text.at(j) != QLatin1Char('"'); ++j) {
                // Inside double quotes a backslash escapes only these (POSIX shlex).
                if (text.at(j) == QLatin1Char('\\') && j + 1 < text.size() &&
                    QStringLiteral("\\\"$`").contains(text.at(j + 1)))
                    ++j;
                current += text.at(j);
            }
            if (j >= text.size())
                return false;
            i = j;
            inWord = true;
        } else if (c == QLatin1Char('\\')) {
            if (i + 1 >= text.size())
                return false;
            current += text.at(++i);
            inWord = true;
        } else {
            current += c;
            inWord = true;
        }
    }
    if (inWord)
        words->append(current);
    return true;
}

} // namespace ApoloDeploy::PlatformNameRules
