// SPDX-License-Identifier: GPL-3.0-or-later
#include "flow/FlowExpressions.h"

#include <QCoreApplication>
#include <QRegularExpression>

namespace ApoloDeploy::FlowExpressions {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("FlowExpressions", text);
}

enum class TokenKind { Name, Number, String, Operator, Punct, Error };

struct Token
{
    TokenKind kind;
    QString text;
    qsizetype offset;
};

bool isNameStart(QChar c)
{
    return (c >= QLatin1Char('a') && c <= QLatin1Char('z')) || (c >= QLatin1Char('A') && c <= QLatin1Char('Z'));
}

bool isNameChar(QChar c)
{
    return isNameStart(c) || c.isDigit() || c == QLatin1Char('_');
}

QList<Token> tokenize(const QString &body, QList<Problem> &problems, qsizetype base)
{
    static const QStringList twoCharOps{QStringLiteral("=="), QStringLiteral("!="), QStringLiteral("<="),
                                        QStringLiteral(">=")};
    QList<Token> tokens;
    qsizetype i = 0;
    while (i < body.size()) {
        const QChar c = body.at(i);
        if (c == QLatin1Char(' ') || c == QLatin1Char('\t') || c == QLatin1Char('\n') || c == QLatin1Char('\r')) {
            ++i;
        } else if (isNameStart(c)) {
            qsizetype j = i;
            while (j < body.size() && isNameChar(body.at(j)))
                ++j;
            tokens.append({TokenKind::Name, body.mid(i, j - i), i});
            i = j;
        } else if (c.isDigit()) {
            qsizetype j = i;
            while (j < body.size() &&
                   (body.at(j).isLetterOrNumber() || body.at(j) == QLatin1Char('_') || body.at(j) == QLatin1Char('.')))
                ++j;
            tokens.append({TokenKind::Number, body.mid(i, j - i), i});
            i = j;
        } else if (c == QLatin1Char('\'') || c == QLatin1Char('"')) {
            const qsizetype end = body.indexOf(c, i + 1);
            if (end < 0) {
                problems.append({base + i, tr("This string is never closed."), tr("Add the closing %1.").arg(c),
                                 QStringLiteral("expr-unterminated-string")});
                return tokens;
            }
            tokens.append({TokenKind::String, body.mid(i + 1, end - i - 1), i});
            i = end + 1;
        } else {
            const QString two = body.mid(i, 2);
            const bool isTwo = twoCharOps.contains(two);
            const QString op = isTwo ? two : QString(c);
            const bool isOperator = isTwo || QStringLiteral("<>+-*/%|").contains(c);
            if (isOperator) {
                const qsizetype next = i + op.size();
                // apolo-flow's lexer needs a space or tab after a binary operator ("1==1" fails).
                if (op != QLatin1String("-") && next < body.size() && body.at(next) != QLatin1Char(' ') &&
                    body.at(next) != QLatin1Char('\t'))
                    problems.append({base + i, tr("apolo-flow needs a space after the operator '%1'.").arg(op),
                                     tr("Write '%1 ' followed by the operand.").arg(op),
                                     QStringLiteral("expr-operator-space")});
                tokens.append({TokenKind::Operator, op, i});
                i = next;
            } else if (QStringLiteral("()[]{},.:").contains(c)) {
                tokens.append({TokenKind::Punct, QString(c), i});
                ++i;
            } else {
                problems.append({base + i, tr("Unexpected character '%1' in the expression.").arg(c),
                                 tr("Remove it or put it inside a quoted string."),
                                 QStringLiteral("expr-bad-character")});
                ++i;
            }
        }
    }
    return tokens;
}

} // namespace

QStringList knownFunctions()
{
    return {QStringLiteral("len"),          QStringLiteral("int"),         QStringLiteral("range"),
            QStringLiteral("str"),          QStringLiteral("lower"),       QStringLiteral("upper"),
            QStringLiteral("fmt"),          QStringLiteral("replace"),     QStringLiteral("join"),
            QStringLiteral("keys"),         QStringLiteral("values"),      QStringLiteral("to_json"),
            QStringLiteral("from_json"),    QStringLiteral("hash_files"),  QStringLiteral("upload"),
            QStringLiteral("parse_volume"), QStringLiteral("inspect_job"), QStringLiteral("success"),
            QStringLiteral("failure"),      QStringLiteral("always"),      QStringLiteral("nothing")};
}

QStringList knownContexts()
{
    return {QStringLiteral("flow"),   QStringLiteral("project"), QStringLiteral("git"),
            QStringLiteral("env"),    QStringLiteral("tags"),    QStringLiteral("volumes"),
            QStringLiteral("images"), QStringLiteral("params"),  QStringLiteral("multi")};
}

ScanResult scan(const QString &text)
{
    ScanResult result;
    qsizetype i = 0;
    while (i < text.size()) {
        const qsizetype curly = text.indexOf(QLatin1String("${{"), i);
        const qsizetype square = text.indexOf(QLatin1String("$[["), i);
        if (curly < 0 && square < 0)
            break;
        const bool isSquare = curly < 0 || (square >= 0 && square < curly);
        const qsizetype start = isSquare ? square : curly;
        const QLatin1String closing = isSquare ? QLatin1String("]]") : QLatin1String("}}");
        const qsizetype end = text.indexOf(closing, start + 3);
        if (end < 0) {
            result.problems.append({start, tr("The template is never closed."), tr("Close it with '%1'.").arg(closing),
                                    QStringLiteral("expr-unterminated")});
            break;
        }
        result.templates.append({start, end + 2 - start, text.mid(start + 3, end - start - 3), isSquare});
        i = end + 2;
    }
    return result;
}

bool containsTemplate(const QString &text)
{
    return text.contains(QLatin1String("${{")) || text.contains(QLatin1String("$[["));
}

bool isSingleTemplate(const QString &text)
{
    const QString trimmed = text.trimmed();
    const ScanResult result = scan(trimmed);
    return result.problems.isEmpty() && result.templates.size() == 1 && result.templates.constFirst().start == 0 &&
           result.templates.constFirst().length == trimmed.size();
}

QList<Problem> checkBody(const QString &body, qsizetype offsetBase)
{
    static const QStringList keywords{QStringLiteral("True"), QStringLiteral("False"), QStringLiteral("None"),
                                      QStringLiteral("and"),  QStringLiteral("or"),    QStringLiteral("not"),
                                      QStringLiteral("if"),   QStringLiteral("else"),  QStringLiteral("for"),
                                      QStringLiteral("in")};
    QList<Problem> problems;
    if (body.trimmed().isEmpty()) {
        problems.append({offsetBase, tr("The template is empty."), tr("Put an expression inside, or remove it."),
                         QStringLiteral("expr-empty")});
        return problems;
    }
    const QList<Token> tokens = tokenize(body, problems, offsetBase);
    const bool hasComprehension = std::any_of(tokens.cbegin(), tokens.cend(), [](const Token &t) {
        return t.kind == TokenKind::Name && t.text == QLatin1String("for");
    });
    QString openers;
    for (qsizetype n = 0; n < tokens.size(); ++n) {
        const Token &t = tokens.at(n);
        if (t.kind == TokenKind::Punct && QStringLiteral("([{").contains(t.text)) {
            openers += t.text;
        } else if (t.kind == TokenKind::Punct && QStringLiteral(")]}").contains(t.text)) {
            const QChar expected = t.text == QLatin1String(")")   ? QLatin1Char('(')
                                   : t.text == QLatin1String("]") ? QLatin1Char('[')
                                                                  : QLatin1Char('{');
            if (openers.isEmpty() || openers.back() != expected) {
                problems.append({offsetBase + t.offset, tr("'%1' does not close anything.").arg(t.text),
                                 tr("Remove it or add the matching opening bracket."),
                                 QStringLiteral("expr-unbalanced")});
                return problems;
            }
            openers.chop(1);
        } else if (t.kind == TokenKind::Name && !keywords.contains(t.text)) {
            const bool afterDot =
                n > 0 && tokens.at(n - 1).text == QLatin1String(".") && tokens.at(n - 1).kind == TokenKind::Punct;
            const bool isCall = n + 1 < tokens.size() && tokens.at(n + 1).text == QLatin1String("(");
            if (afterDot)
                continue;
            if (isCall && !knownFunctions().contains(t.text))
                problems.append({offsetBase + t.offset, tr("apolo-flow has no function '%1'.").arg(t.text),
                                 tr("Use one of: %1.").arg(knownFunctions().join(QStringLiteral(", "))),
                                 QStringLiteral("expr-unknown-function")});
            else if (!isCall && !hasComprehension && !knownContexts().contains(t.text))
                problems.append({offsetBase + t.offset, tr("'%1' is not a context of live flows.").arg(t.text),
                                 tr("Use one of: %1.").arg(knownContexts().join(QStringLiteral(", "))),
                                 QStringLiteral("expr-unknown-context")});
        }
    }
    if (!openers.isEmpty())
        problems.append({offsetBase + body.size(), tr("'%1' is never closed.").arg(openers.back()),
                         tr("Add the closing bracket (and a space before '}}' or ']]' if they would touch)."),
                         QStringLiteral("expr-unbalanced")});
    return problems;
}

QList<InspectJobCall> inspectJobCalls(const QString &body)
{
    static const QRegularExpression call(
        QStringLiteral("inspect_job\\s*\\(\\s*(['\"])([^'\"]*)\\1[^)]*\\)(?:\\s*\\.\\s*([A-Za-z_][A-Za-z0-9_]*))?"));
    QList<InspectJobCall> calls;
    for (auto it = call.globalMatch(body); it.hasNext();) {
        const QRegularExpressionMatch match = it.next();
        calls.append({match.captured(2), match.captured(3), match.capturedStart()});
    }
    return calls;
}

QList<QStringList> contextReferences(const QString &body)
{
    static const QRegularExpression reference(
        QStringLiteral("(?<![\\w.'\"])([A-Za-z][A-Za-z0-9_]*(?:\\.[A-Za-z_][A-Za-z0-9_]*)+)"));
    QList<QStringList> references;
    for (auto it = reference.globalMatch(body); it.hasNext();) {
        const QStringList parts = it.next().captured(1).split(QLatin1Char('.'));
        if (knownContexts().contains(parts.constFirst()))
            references.append(parts);
    }
    return references;
}

} // namespace ApoloDeploy::FlowExpressions
