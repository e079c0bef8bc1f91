// SPDX-License-Identifier: GPL-3.0-or-later
#include "sandbox/vllm/LogScriptLine.h"

namespace ApoloDeploy::Sandbox {

LogScriptLine LogScriptLine::vllm(double at, const QString &level, const QString &source, const QString &message,
                                  const QString &prefix)
{
    LogScriptLine line;
    line.atSeconds = at;
    line.level = level;
    line.source = source;
    line.message = message;
    line.prefix = prefix;
    return line;
}

LogScriptLine LogScriptLine::raw(double at, const QString &text, const QString &prefix)
{
    LogScriptLine line;
    line.atSeconds = at;
    line.message = text;
    line.prefix = prefix;
    return line;
}

LogScriptLine LogScriptLine::ray(double at, const QString &level, const QString &source, const QString &message)
{
    LogScriptLine line = vllm(at, level, source, message);
    line.rayStyle = true;
    return line;
}

QString LogScriptLine::render(const QDateTime &whenUtc, bool bracketedSource) const
{
    const QString end = carriageReturn ? QStringLiteral("\r") : QStringLiteral("\n");
    if (level.isEmpty())
        return prefix % message % end;
    if (rayStyle) {
        return prefix % whenUtc.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss,zzz")) % QLatin1Char('\t') %
               level % QLatin1Char(' ') % source % QStringLiteral(" -- ") % message % end;
    }
    const QString stamp = whenUtc.toUTC().toString(QStringLiteral("MM-dd HH:mm:ss"));
    const QString where =
        bracketedSource ? QString(QLatin1Char('[') % source % QLatin1Char(']')) : QString(source % QLatin1Char(']'));
    // vLLM's NewLineFormatter repeats the header on every line of a multi-line message.
    QString out;
    const QStringList lines = message.split(QLatin1Char('\n'));
    for (const QString &line : lines)
        out += prefix % level % QLatin1Char(' ') % stamp % QLatin1Char(' ') % where % QLatin1Char(' ') % line % end;
    return out;
}

void appendRawBlock(LogScript &script, double at, const QString &text, const QString &prefix)
{
    QString body = text;
    if (body.endsWith(QLatin1Char('\n')))
        body.chop(1);
    for (const QString &line : body.split(QLatin1Char('\n')))
        script << LogScriptLine::raw(at, line, prefix);
}

} // namespace ApoloDeploy::Sandbox
