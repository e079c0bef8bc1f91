// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QString>

namespace ApoloDeploy::FlowExpressions {

// One `${{ … }}` or `$[[ … ]]` template inside a scalar. Both spellings mean the same thing;
// when a template is evaluated depends on the field, not on the brackets (apolo-flow.md §2).
struct Template
{
    qsizetype start = 0;  // offset of '$' in the scalar
    qsizetype length = 0; // up to and including the closing brackets
    QString body;         // between the brackets, untrimmed
    bool squareBrackets = false;
};

struct Problem
{
    qsizetype offset = 0; // in the scalar
    QString message;
    QString fix;
    QString code;
};

struct ScanResult
{
    QList<Template> templates;
    QList<Problem> problems; // unterminated templates
};

ScanResult scan(const QString &text);
bool containsTemplate(const QString &text);
// True when the whole (trimmed) text is exactly one template: what int/bool/list fields need.
bool isSingleTemplate(const QString &text);

// Lexical and name checks of one template body, as apolo-flow's tokenizer and parser would
// report them: unterminated strings, unbalanced brackets, operators without the required
// following space, unknown functions and contexts. `offsetBase` is added to every offset.
QList<Problem> checkBody(const QString &body, qsizetype offsetBase);

struct InspectJobCall
{
    QString jobId;        // the string argument
    QString attribute;    // ".internal_hostname_named" -> "internal_hostname_named"; may be empty
    qsizetype offset = 0; // of "inspect_job" in the body
};
QList<InspectJobCall> inspectJobCalls(const QString &body);

// "volumes.hf_cache.ref_rw" -> {"volumes", "hf_cache", "ref_rw"} for every dotted reference
// that starts at a context name.
QList<QStringList> contextReferences(const QString &body);

QStringList knownFunctions();
QStringList knownContexts();

} // namespace ApoloDeploy::FlowExpressions
