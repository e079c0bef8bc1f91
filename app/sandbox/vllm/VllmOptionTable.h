// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace ApoloDeploy::Sandbox {

// One argparse action of vLLM v0.7.2's OpenAI server parser (cli_args.make_arg_parser +
// AsyncEngineArgs.add_cli_args), in registration order, so errors, usage and the logged
// Namespace(...) come out the way the real parser prints them.
struct VllmOption
{
    enum class Kind {
        StoreTrue,       // --enforce-eager
        BooleanOptional, // --enable-prefix-caching / --no-enable-prefix-caching
        OptionalBool,    // --enable-chunked-prefill [True|False] (StoreBoolean, nargs="?")
        String,
        Int,
        Float,
        Choice,
        StringList, // nargs="+"
    };
    QStringList flags; // "--tensor-parallel-size", "-tp"
    QString dest;      // "tensor_parallel_size"
    Kind kind = Kind::String;
    QString defaultRepr; // Python repr of the default, as Namespace(...) prints it
    QStringList choices;

    // "--tensor-parallel-size/-tp", the name argparse uses in error messages.
    QString displayName() const { return flags.join(QLatin1Char('/')); }
    bool takesValue() const { return kind != Kind::StoreTrue && kind != Kind::BooleanOptional; }
};

const QList<VllmOption> &vllmServerOptions();

} // namespace ApoloDeploy::Sandbox
