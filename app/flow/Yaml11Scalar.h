// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

namespace ApoloDeploy::Yaml11Scalar {

// How PyYAML's SafeLoader (YAML 1.1, apolo-flow's loader) types a *plain* scalar. yaml-cpp keeps
// the raw text, so the importer applies these rules itself (specs/apolo-flow.md §8).
enum class Type { String, Null, Bool, Int, Float };

struct Resolved
{
    Type type = Type::String;
    // Python's str() of the loaded value: what apolo-flow puts into a string field
    // ("yes" -> "True", "010" -> "8", "12:30" -> "750", "0x1F" -> "31", "1_000" -> "1000").
    QString pythonText;
    bool boolValue = false;
};

Resolved resolvePlain(const QString &text);

// True when a plain scalar would not reach a string field as written.
bool changesWhenLoaded(const QString &plainText);

QString typeName(Type type);

} // namespace ApoloDeploy::Yaml11Scalar
