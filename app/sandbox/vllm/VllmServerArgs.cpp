// SPDX-License-Identifier: GPL-3.0-or-later
#include "sandbox/vllm/VllmServerArgs.h"

#include "sandbox/vllm/VllmOptionTable.h"

#include <QRegularExpression>

namespace ApoloDeploy::Sandbox {

namespace {

using Kind = VllmOption::Kind;

const QString kPythonSitePackages = QStringLiteral("/usr/local/lib/python3.12/dist-packages");

QString pythonRepr(const QString &text)
{
    QString escaped = text;
    escaped.replace(QLatin1Char('\\'), QStringLiteral("\\\\")).replace(QLatin1Char('\''), QStringLiteral("\\'"));
    return QLatin1Char('\'') % escaped % QLatin1Char('\'');
}

QString pythonFloatRepr(double value)
{
    QString text = QString::number(value, 'g', 15);
    if (!text.contains(QLatin1Char('.')) && !text.contains(QLatin1Char('e')))
        text += QStringLiteral(".0");
    return text;
}

bool looksLikeOption(const QString &arg)
{
    static const QRegularExpression negativeNumber(QStringLiteral("^-\\d+$|^-\\d*\\.\\d+$"));
    return arg.startsWith(QLatin1Char('-')) && arg.size() > 1 && !negativeNumber.match(arg).hasMatch();
}

// FlexibleArgumentParser accepts --max_model_len as --max-model-len.
QString normaliseUnderscores(const QString &arg)
{
    if (!arg.startsWith(QStringLiteral("--")))
        return arg;
    const qsizetype eq = arg.indexOf(QLatin1Char('='));
    QString key = eq < 0 ? arg : arg.left(eq);
    key.replace(QLatin1Char('_'), QLatin1Char('-'));
    return eq < 0 ? key : key + arg.mid(eq);
}

QString metavar(const VllmOption &option)
{
    const QString upper = option.dest.toUpper();
    switch (option.kind) {
    case Kind::StoreTrue: return {};
    case Kind::BooleanOptional: return {};
    case Kind::Choice: return QLatin1Char('{') % option.choices.join(QLatin1Char(',')) % QLatin1Char('}');
    case Kind::OptionalBool: return QLatin1Char('[') % upper % QLatin1Char(']');
    case Kind::StringList: return upper % QStringLiteral(" [") % upper % QStringLiteral(" ...]");
    default: return upper;
    }
}

QString usageText(const QString &prog)
{
    QStringList parts{QStringLiteral("[-h]")};
    for (const VllmOption &option : vllmServerOptions()) {
        if (option.kind == Kind::BooleanOptional) {
            parts << QLatin1Char('[') % option.flags.join(QStringLiteral(" | ")) % QLatin1Char(']');
            continue;
        }
        const QString var = metavar(option);
        parts << QLatin1Char('[') % option.flags.first() % (var.isEmpty() ? QString() : QLatin1Char(' ') % var) %
                     QLatin1Char(']');
    }
    // argparse wraps at the terminal width minus 2 (COLUMNS is unset in a container: 80).
    const QString lead = QStringLiteral("usage: ") % prog % QLatin1Char(' ');
    const QString indent(lead.size(), QLatin1Char(' '));
    QStringList lines;
    QString line = lead;
    for (const QString &part : parts) {
        if (line.size() > indent.size() && line.size() + part.size() > 78) {
            lines << line.trimmed().prepend(lines.isEmpty() ? QString() : indent);
            line = indent;
        }
        line += part % QLatin1Char(' ');
    }
    lines << (lines.isEmpty() ? line.trimmed() : indent + line.trimmed());
    return lines.join(QLatin1Char('\n'));
}

QString choiceList(const VllmOption &option)
{
    const bool numeric = option.dest == QLatin1String("block_size");
    QStringList shown;
    for (const QString &choice : option.choices)
        shown << ((numeric || choice == QLatin1String("None")) ? choice : pythonRepr(choice));
    return shown.join(QStringLiteral(", "));
}

struct ParseState
{
    QString prog;
    QString usage;
    QHash<QString, QString> values; // dest -> Python repr
    QHash<QString, QStringList> lists;
    QStringList extras;
    QString error;

    bool fail(const QString &message)
    {
        if (error.isEmpty())
            error = message;
        return false;
    }
};

bool storeValue(ParseState &state, const VllmOption &option, const QString &value)
{
    const QString name = QStringLiteral("argument ") % option.displayName() % QStringLiteral(": ");
    switch (option.kind) {
    case Kind::Int: {
        bool ok = false;
        const int number = value.trimmed().toInt(&ok);
        if (!ok)
            return state.fail(name % QStringLiteral("invalid int value: ") % pythonRepr(value));
        state.values.insert(option.dest, QString::number(number));
        return true;
    }
    case Kind::Float: {
        bool ok = false;
        const double number = value.trimmed().toDouble(&ok);
        if (!ok)
            return state.fail(name % QStringLiteral("invalid float value: ") % pythonRepr(value));
        state.values.insert(option.dest, pythonFloatRepr(number));
        return true;
    }
    case Kind::Choice:
        if (!option.choices.contains(value)) {
            const bool numeric = option.dest == QLatin1String("block_size");
            return state.fail(name % QStringLiteral("invalid choice: ") % (numeric ? value : pythonRepr(value)) %
                              QStringLiteral(" (choose from ") % choiceList(option) % QLatin1Char(')'));
        }
        state.values.insert(option.dest, option.dest == QLatin1String("block_size") ? value : pythonRepr(value));
        return true;
    case Kind::OptionalBool:
        if (value.compare(QLatin1String("true"), Qt::CaseInsensitive) == 0)
            state.values.insert(option.dest, QStringLiteral("True"));
        else if (value.compare(QLatin1String("false"), Qt::CaseInsensitive) == 0)
            state.values.insert(option.dest, QStringLiteral("False"));
        else
            return state.fail(QStringLiteral("Invalid boolean value: ") % value %
                              QStringLiteral(". Expected 'true' or 'false'."));
        return true;
    default: state.values.insert(option.dest, pythonRepr(value)); return true;
    }
}

const VllmOption *findOption(ParseState &state, const QString &flag, bool *negated)
{
    *negated = false;
    QList<const VllmOption *> prefixMatches;
    QStringList prefixFlags;
    for (const VllmOption &option : vllmServerOptions()) {
        for (const QString &candidate : option.flags) {
            if (candidate == flag) {
                *negated = candidate.startsWith(QStringLiteral("--no-"));
                return &option;
            }
            // argparse's allow_abbrev: a unique prefix of a long option selects it.
            if (flag.startsWith(QStringLiteral("--")) && candidate.startsWith(flag)) {
                prefixMatches << &option;
                prefixFlags << candidate;
            }
        }
    }
    if (prefixMatches.size() == 1) {
        *negated = prefixFlags.first().startsWith(QStringLiteral("--no-"));
        return prefixMatches.first();
    }
    if (prefixMatches.size() > 1)
        state.fail(QStringLiteral("ambiguous option: ") % flag % QStringLiteral(" could match ") %
                   prefixFlags.join(QStringLiteral(", ")));
    return nullptr;
}

void consumeArguments(ParseState &state, const QStringList &argv, bool wantsModelTag, QString *modelTag)
{
    for (qsizetype i = 0; i < argv.size() && state.error.isEmpty(); ++i) {
        const QString arg = normaliseUnderscores(argv.at(i));
        if (!looksLikeOption(arg) || arg == QLatin1String("--")) {
            if (wantsModelTag && modelTag->isNull())
                *modelTag = arg;
            else if (arg != QLatin1String("--"))
                state.extras << arg;
            continue;
        }
        const qsizetype eq = arg.indexOf(QLatin1Char('='));
        const QString flag = eq < 0 ? arg : arg.left(eq);
        const std::optional<QString> explicitValue = eq < 0 ? std::nullopt : std::optional<QString>(arg.mid(eq + 1));
        bool negated = false;
        const VllmOption *option = findOption(state, flag, &negated);
        if (!state.error.isEmpty())
            return;
        if (!option) {
            state.extras << argv.at(i);
            continue;
        }
        const QString name = QStringLiteral("argument ") % option->displayName() % QStringLiteral(": ");
        if (!option->takesValue()) {
            if (explicitValue) {
                state.fail(name % QStringLiteral("ignored explicit argument ") % pythonRepr(*explicitValue));
                return;
            }
            state.values.insert(option->dest, negated ? QStringLiteral("False") : QStringLiteral("True"));
            continue;
        }
        if (option->kind == Kind::StringList) {
            QStringList items;
            if (explicitValue)
                items << *explicitValue;
            while (!explicitValue && i + 1 < argv.size() && !looksLikeOption(argv.at(i + 1)))
                items << argv.at(++i);
            if (items.isEmpty()) {
                state.fail(name % QStringLiteral("expected at least one argument"));
                return;
            }
            state.lists.insert(option->dest, items);
            QStringList reprs;
            for (const QString &item : items)
                reprs << pythonRepr(item);
            state.values.insert(option->dest, QLatin1Char('[') % reprs.join(QStringLiteral(", ")) % QLatin1Char(']'));
            continue;
        }
        if (option->kind == Kind::OptionalBool && !explicitValue &&
            (i + 1 >= argv.size() || looksLikeOption(argv.at(i + 1)))) {
            state.values.insert(option->dest, QStringLiteral("True"));
            continue;
        }
        QString value;
        if (explicitValue) {
            value = *explicitValue;
        } else if (i + 1 < argv.size() && !looksLikeOption(argv.at(i + 1))) {
            value = argv.at(++i);
        } else {
            state.fail(name % QStringLiteral("expected one argument"));
            return;
        }
        storeValue(state, *option, value);
    }
}

QString unquote(const QString &repr)
{
    if (repr.size() >= 2 && repr.startsWith(QLatin1Char('\'')) && repr.endsWith(QLatin1Char('\'')))
        return repr.mid(1, repr.size() - 2).replace(QStringLiteral("\\'"), QStringLiteral("'"));
    return repr == QLatin1String("None") ? QString() : repr;
}

QString validationTraceback(const QString &message)
{
    return QStringLiteral("Traceback (most recent call last):\n"
                          "  File \"<frozen runpy>\", line 198, in _run_module_as_main\n"
                          "  File \"<frozen runpy>\", line 88, in _run_code\n  File \"") %
           kPythonSitePackages %
           QStringLiteral("/vllm/entrypoints/openai/api_server.py\", line 911, in <module>\n"
                          "    validate_parsed_serve_args(args)\n  File \"") %
           kPythonSitePackages %
           QStringLiteral("/vllm/entrypoints/openai/cli_args.py\", line 285, in validate_parsed_serve_args\n"
                          "    raise TypeError(\"") %
           message % QStringLiteral("\")\nTypeError: ") % message % QLatin1Char('\n');
}

} // namespace

QString VllmServerArgs::namespaceRepr() const
{
    QStringList pairs;
    for (const auto &[dest, repr] : namespaceValues)
        pairs << dest % QLatin1Char('=') % repr;
    return QStringLiteral("Namespace(") % pairs.join(QStringLiteral(", ")) % QLatin1Char(')');
}

VllmArgsParseResult parseVllmServerArgs(const QStringList &argv, VllmEntrypoint entrypoint,
                                        const QHash<QString, QString> &env)
{
    VllmArgsParseResult result;
    const bool serve = entrypoint == VllmEntrypoint::VllmServe;
    ParseState state;
    state.prog = serve ? QStringLiteral("vllm serve") : QStringLiteral("api_server.py");
    state.usage = serve ? QStringLiteral("usage: vllm serve <model_tag> [options]") : usageText(state.prog);
    if (argv.contains(QLatin1String("-h")) || argv.contains(QLatin1String("--help"))) {
        result.errorText = state.usage + QLatin1Char('\n');
        result.exitCode = 0;
        return result;
    }
    QString modelTag;
    consumeArguments(state, argv, serve, &modelTag);
    if (state.error.isEmpty() && serve && modelTag.isNull())
        state.error = QStringLiteral("the following arguments are required: model_tag");
    if (!state.error.isEmpty()) {
        result.exitCode = 2;
        result.errorText = state.usage % QLatin1Char('\n') % state.prog % QStringLiteral(": error: ") % state.error %
                           QLatin1Char('\n');
        return result;
    }
    if (!state.extras.isEmpty()) {
        // Unknown arguments surface from the top-level parser only after every known one parsed.
        const QString prog = serve ? QStringLiteral("vllm") : state.prog;
        const QString usage = serve ? QStringLiteral("usage: vllm [-h] [-v] {chat,complete,serve} ...") : state.usage;
        result.exitCode = 2;
        result.errorText = usage % QLatin1Char('\n') % prog % QStringLiteral(": error: unrecognized arguments: ") %
                           state.extras.join(QLatin1Char(' ')) % QLatin1Char('\n');
        return result;
    }

    VllmServerArgs &args = result.args;
    args.entrypoint = entrypoint;
    if (serve) {
        args.namespaceValues << qMakePair(QStringLiteral("subparser"), QStringLiteral("'serve'"))
                             << qMakePair(QStringLiteral("model_tag"), pythonRepr(modelTag))
                             << qMakePair(QStringLiteral("config"), QStringLiteral("''"));
        state.values.insert(QStringLiteral("model"), pythonRepr(modelTag));
    }
    for (const VllmOption &option : vllmServerOptions())
        args.namespaceValues << qMakePair(option.dest, state.values.value(option.dest, option.defaultRepr));
    if (serve)
        args.namespaceValues << qMakePair(QStringLiteral("dispatch_function"),
                                          QStringLiteral("<function serve at 0x7f3c2a1b9e40>"));

    auto text = [&](const char *dest) { return unquote(state.values.value(QString::fromLatin1(dest))); };
    auto has = [&](const char *dest) { return state.values.contains(QString::fromLatin1(dest)); };
    auto flag = [&](const char *dest) {
        return state.values.value(QString::fromLatin1(dest)) == QLatin1String("True");
    };
    if (has("model"))
        args.model = text("model");
    args.tokenizer = text("tokenizer");
    args.servedModelNames = state.lists.value(QStringLiteral("served_model_name"));
    if (has("tensor_parallel_size"))
        args.tensorParallel = text("tensor_parallel_size").toInt();
    if (has("pipeline_parallel_size"))
        args.pipelineParallel = text("pipeline_parallel_size").toInt();
    if (has("max_model_len"))
        args.maxModelLen = text("max_model_len").toInt();
    if (has("gpu_memory_utilization"))
        args.gpuMemoryUtilization = text("gpu_memory_utilization").toDouble();
    args.enforceEager = flag("enforce_eager");
    if (has("dtype"))
        args.dtype = text("dtype");
    args.quantization = text("quantization");
    if (has("kv_cache_dtype"))
        args.kvCacheDtype = text("kv_cache_dtype");
    args.trustRemoteCode = flag("trust_remote_code");
    args.enableReasoning = flag("enable_reasoning");
    args.reasoningParser = text("reasoning_parser");
    args.enableAutoToolChoice = flag("enable_auto_tool_choice");
    args.toolCallParser = text("tool_call_parser");
    args.apiKey = env.value(QStringLiteral("VLLM_API_KEY"));
    if (args.apiKey.isEmpty())
        args.apiKey = text("api_key");
    args.host = text("host");
    if (has("port"))
        args.port = text("port").toInt();
    if (has("max_num_seqs"))
        args.maxNumSeqs = text("max_num_seqs").toInt();
    if (has("max_num_batched_tokens"))
        args.maxNumBatchedTokens = text("max_num_batched_tokens").toInt();
    if (has("block_size"))
        args.blockSize = text("block_size").toInt();
    if (has("swap_space"))
        args.swapSpaceGiB = text("swap_space").toDouble();
    args.distributedExecutorBackend = text("distributed_executor_backend");
    if (has("enable_chunked_prefill"))
        args.enableChunkedPrefill = flag("enable_chunked_prefill");
    args.disableLogRequests = flag("disable_log_requests");
    args.disableLogStats = flag("disable_log_stats");
    args.chatTemplate = text("chat_template");

    // validate_parsed_serve_args: these raise TypeError before the server banner.
    QString typeError;
    if (args.enableAutoToolChoice && args.toolCallParser.isEmpty())
        typeError = QStringLiteral("Error: --enable-auto-tool-choice requires --tool-call-parser");
    else if (args.enableReasoning && args.reasoningParser.isEmpty())
        typeError = QStringLiteral("Error: --enable-reasoning requires --reasoning-parser");
    else if (args.enableAutoToolChoice && args.enableReasoning)
        // Seen in the 0.7.x source; the exact 0.7.2 wording is UNCONFIRMED (vllm.md §3).
        typeError = QStringLiteral("Error: --enable-auto-tool-choice and --enable-reasoning cannot be enabled at the "
                                   "same time");
    if (!typeError.isEmpty()) {
        result.exitCode = 1;
        result.errorText = validationTraceback(typeError);
        return result;
    }
    result.ok = true;
    return result;
}

} // namespace ApoloDeploy::Sandbox
