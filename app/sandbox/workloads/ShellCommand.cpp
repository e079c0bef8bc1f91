// SPDX-License-Identifier: GPL-3.0-or-later
#include "sandbox/workloads/ShellCommand.h"

namespace ApoloDeploy::Sandbox {

namespace {

// Splits words and, when operators is set, also the control operators into their own tokens
// ("&&", "||", ";", "&", "\n"), marked by a leading NUL so a quoted "&&" stays a word.
QStringList tokenize(const QString &text, bool operators, QString *error)
{
    QStringList tokens;
    QString word;
    bool inWord = false;
    enum class Quote { None, Single, Double } quote = Quote::None;
    auto flush = [&] {
        if (inWord)
            tokens << word;
        word.clear();
        inWord = false;
    };
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (quote == Quote::Single) {
            if (c == QLatin1Char('\''))
                quote = Quote::None;
            else
                word += c;
            continue;
        }
        if (quote == Quote::Double) {
            if (c == QLatin1Char('"')) {
                quote = Quote::None;
            } else if (c == QLatin1Char('\\') && i + 1 < text.size() &&
                       QStringLiteral("\"\\$`\n").contains(text.at(i + 1))) {
                if (text.at(++i) != QLatin1Char('\n'))
                    word += text.at(i);
            } else {
                word += c;
            }
            continue;
        }
        if (c == QLatin1Char('\\') && i + 1 < text.size()) {
            if (text.at(++i) != QLatin1Char('\n')) { // backslash-newline continues the line
                word += text.at(i);
                inWord = true;
            }
            continue;
        }
        if (c == QLatin1Char('\'') || c == QLatin1Char('"')) {
            quote = c == QLatin1Char('\'') ? Quote::Single : Quote::Double;
            inWord = true;
            continue;
        }
        if (c == QLatin1Char('#') && !inWord) { // a comment runs to the end of the line
            while (i + 1 < text.size() && text.at(i + 1) != QLatin1Char('\n'))
                ++i;
            continue;
        }
        if (operators &&
            (c == QLatin1Char(';') || c == QLatin1Char('&') || c == QLatin1Char('|') || c == QLatin1Char('\n'))) {
            flush();
            QString op(c);
            if ((c == QLatin1Char('&') || c == QLatin1Char('|')) && i + 1 < text.size() && text.at(i + 1) == c)
                op += text.at(++i);
            tokens << QChar(0) + op;
            continue;
        }
        if (c.isSpace()) {
            flush();
            continue;
        }
        word += c;
        inWord = true;
    }
    if (quote != Quote::None) {
        if (error)
            *error = QStringLiteral("unexpected EOF while looking for matching `%1'")
                         .arg(quote == Quote::Single ? QLatin1Char('\'') : QLatin1Char('"'));
        return {};
    }
    flush();
    return tokens;
}

bool isShell(const QString &program)
{
    const QString name = program.section(QLatin1Char('/'), -1);
    return name == QLatin1String("bash") || name == QLatin1String("sh") || name == QLatin1String("dash");
}

} // namespace

QStringList splitShellWords(const QString &text, QString *error)
{
    return tokenize(text, false, error);
}

ShellParse parseShellList(const QString &script)
{
    ShellParse parse;
    const QStringList tokens = tokenize(script, true, &parse.error);
    if (!parse.error.isEmpty())
        return parse;
    ShellStep current;
    ShellStep::Join nextJoin = ShellStep::Join::First;
    auto finishCommand = [&](ShellStep::Join joinAfter) {
        if (!current.argv.isEmpty()) {
            current.join = parse.steps.isEmpty() ? ShellStep::Join::First : nextJoin;
            parse.steps << current;
            nextJoin = joinAfter;
        } else if (joinAfter == ShellStep::Join::IfSuccess || joinAfter == ShellStep::Join::IfFailure) {
            parse.error =
                QStringLiteral("syntax error near unexpected token `%1'")
                    .arg(joinAfter == ShellStep::Join::IfSuccess ? QStringLiteral("&&") : QStringLiteral("||"));
        }
        current = ShellStep();
    };
    for (const QString &token : tokens) {
        if (!token.startsWith(QChar(0))) {
            current.argv << token;
            continue;
        }
        const QString op = token.mid(1);
        if (op == QLatin1String("&&"))
            finishCommand(ShellStep::Join::IfSuccess);
        else if (op == QLatin1String("||"))
            finishCommand(ShellStep::Join::IfFailure);
        else if (op == QLatin1String("&"))
            finishCommand(ShellStep::Join::Background);
        else if (op == QLatin1String("|"))
            finishCommand(ShellStep::Join::Always); // pipes: the sandbox runs both sides in turn
        else if (!current.argv.isEmpty() || nextJoin == ShellStep::Join::First ||
                 nextJoin == ShellStep::Join::Background)
            finishCommand(ShellStep::Join::Always);
        if (!parse.error.isEmpty())
            return parse;
    }
    finishCommand(ShellStep::Join::Always);
    return parse;
}

ShellParse containerSteps(const QStringList &imageEntrypoint, const QString &entrypointOverride, const QString &command)
{
    ShellParse parse;
    QString error;
    QStringList argv =
        entrypointOverride.trimmed().isEmpty() ? imageEntrypoint : splitShellWords(entrypointOverride, &error);
    argv += splitShellWords(command, &error);
    if (!error.isEmpty()) {
        parse.error = error;
        return parse;
    }
    if (argv.size() >= 3 && isShell(argv.first()) && argv.at(1).startsWith(QLatin1Char('-')) &&
        argv.at(1).contains(QLatin1Char('c')))
        return parseShellList(argv.at(2));
    if (!argv.isEmpty())
        parse.steps << ShellStep{argv, ShellStep::Join::First};
    return parse;
}

} // namespace ApoloDeploy::Sandbox
