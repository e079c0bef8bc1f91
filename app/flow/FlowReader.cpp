// SPDX-License-Identifier: GPL-3.0-or-later
#include "flow/FlowReader.h"

#include "flow/FlowExpressions.h"
#include "flow/PlatformNameRules.h"
#include "flow/Yaml11Scalar.h"

#include <QCoreApplication>

#include <yaml-cpp/yaml.h>

namespace ApoloDeploy {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("FlowReader", text);
}

QString str(const std::string &s)
{
    return QString::fromStdString(s);
}

FlowPosition positionOf(const YAML::Node &node)
{
    const YAML::Mark mark = node.Mark();
    if (mark.line < 0)
        return {};
    return {mark.line + 1, mark.column + 1};
}

QStringList actionCallKeys()
{
    return {QStringLiteral("action"), QStringLiteral("module"), QStringLiteral("args"), QStringLiteral("params")};
}

QStringList imageKeys()
{
    return {QStringLiteral("ref"),          QStringLiteral("context"),       QStringLiteral("dockerfile"),
            QStringLiteral("build_args"),   QStringLiteral("env"),           QStringLiteral("volumes"),
            QStringLiteral("build_preset"), QStringLiteral("force_rebuild"), QStringLiteral("extra_kaniko_args")};
}

class Reader
{
public:
    FlowReadResult result;

    void issue(FlowIssue::Severity severity, const YAML::Node &node, const QString &message, const QString &fix,
               const char *code)
    {
        result.issues.append({severity, positionOf(node), message, fix, QString::fromLatin1(code)});
    }
    void error(const YAML::Node &node, const QString &message, const QString &fix, const char *code)
    {
        issue(FlowIssue::Severity::Error, node, message, fix, code);
    }

    FlowScalar scalar(const YAML::Node &node, const QString &where)
    {
        if (!node.IsScalar() && !node.IsNull()) {
            error(node, tr("%1 must be a single value, not a list or a mapping.").arg(where),
                  tr("Write one value (or one ${{ … }} expression)."), "expected-scalar");
            return {};
        }
        FlowScalar value;
        value.present = true;
        value.text = node.IsNull() ? QString() : str(node.Scalar());
        // yaml-cpp tags plain scalars "?" and quoted or block scalars "!" (singledocparser.cpp).
        value.plain = node.IsNull() || node.Tag() == "?";
        value.position = positionOf(node);
        return value;
    }

    // A list, or a single expression producing one.
    QList<FlowScalar> list(const YAML::Node &node, const QString &where)
    {
        QList<FlowScalar> items;
        if (node.IsScalar() && FlowExpressions::isSingleTemplate(str(node.Scalar()))) {
            items.append(scalar(node, where));
        } else if (node.IsSequence()) {
            for (const YAML::Node &item : node)
                items.append(scalar(item, where));
        } else if (!node.IsNull()) {
            error(node, tr("%1 must be a list.").arg(where),
                  tr("Write a YAML list ('- item' lines) or one ${{ [...] }} expression."), "expected-list");
        }
        return items;
    }

    FlowEnv env(const YAML::Node &node, const QString &where)
    {
        FlowEnv entries;
        if (node.IsScalar() && FlowExpressions::isSingleTemplate(str(node.Scalar()))) {
            entries.append({QString(), scalar(node, where)});
        } else if (node.IsMap()) {
            for (auto it = node.begin(); it != node.end(); ++it) {
                FlowScalar key = scalar(it->first, where);
                entries.append({key.text, scalar(it->second, tr("%1.%2").arg(where, key.text))});
                // yaml-cpp marks an empty value at the next token: point at the key instead.
                entries.last().second.position = it->second.IsNull() ? key.position : positionOf(it->second);
                // PyYAML would load a key such as `yes` or `010` as a bool or int.
                if (key.plain && Yaml11Scalar::resolvePlain(key.text).type != Yaml11Scalar::Type::String)
                    issue(FlowIssue::Severity::Warning, it->first,
                          tr("The key '%1' is loaded as %2 %3 under YAML 1.1, not as the text you wrote.")
                              .arg(key.text, Yaml11Scalar::typeName(Yaml11Scalar::resolvePlain(key.text).type),
                                   Yaml11Scalar::resolvePlain(key.text).pythonText),
                          tr("Quote it: \"%1\".").arg(key.text), "yaml11-key");
            }
        } else if (!node.IsNull()) {
            error(node, tr("%1 must be a mapping of NAME: value.").arg(where), tr("Write 'NAME: \"value\"' lines."),
                  "expected-map");
        }
        return entries;
    }

    // Keys in strict mode: unknown keys are errors, as apolo-flow's parse_dict raises.
    bool checkKeys(const YAML::Node &map, const QStringList &allowed, const QString &where)
    {
        bool ok = true;
        for (auto it = map.begin(); it != map.end(); ++it) {
            const QString key = str(it->first.Scalar());
            if (!allowed.contains(key)) {
                error(it->first, tr("Unknown key '%1' in %2.").arg(key, where),
                      tr("Remove it; allowed keys are: %1.").arg(allowed.join(QStringLiteral(", "))), "unknown-key");
                ok = false;
            }
        }
        return ok;
    }

    QString id(const YAML::Node &key, const QString &what)
    {
        const FlowScalar id = scalar(key, what);
        if (!id.plain || !PlatformNameRules::isFlowIdentifier(id.text)) {
            QString suggestion = id.text.toLower();
            suggestion.replace(QLatin1Char('-'), QLatin1Char('_'));
            if (suggestion.isEmpty() || suggestion.at(0).isDigit())
                suggestion.prepend(QLatin1Char('_'));
            error(key,
                  tr("'%1' is not a valid %2 id: apolo-flow ids are Python identifiers (letters, digits, '_', "
                     "no leading digit) and not ALL-CAPS.")
                      .arg(id.text, what),
                  tr("Rename it to '%1'.").arg(suggestion), "bad-id");
        }
        return id.text;
    }

    void readDefaults(const YAML::Node &node)
    {
        if (!node.IsMap()) {
            error(node, tr("defaults must be a mapping."), QString(), "expected-map");
            return;
        }
        checkKeys(node, FlowReader::defaultsKeys(), QStringLiteral("defaults"));
        FlowDefaults &d = result.flow.defaults;
        if (node["env"])
            d.env = env(node["env"], QStringLiteral("defaults.env"));
        if (node["volumes"])
            d.volumes = list(node["volumes"], QStringLiteral("defaults.volumes"));
        if (node["tags"])
            d.tags = list(node["tags"], QStringLiteral("defaults.tags"));
        if (node["workdir"])
            d.workdir = scalar(node["workdir"], QStringLiteral("defaults.workdir"));
        if (node["life_span"])
            d.lifeSpan = scalar(node["life_span"], QStringLiteral("defaults.life_span"));
        if (node["schedule_timeout"])
            d.scheduleTimeout = scalar(node["schedule_timeout"], QStringLiteral("defaults.schedule_timeout"));
        if (node["preset"])
            d.preset = scalar(node["preset"], QStringLiteral("defaults.preset"));
    }

    void readVolumes(const YAML::Node &node)
    {
        if (!node.IsMap()) {
            error(node, tr("volumes must be a mapping of volume ids."), QString(), "expected-map");
            return;
        }
        for (auto it = node.begin(); it != node.end(); ++it) {
            FlowVolume volume;
            volume.id = id(it->first, tr("volume"));
            volume.position = positionOf(it->first);
            const YAML::Node body = it->second;
            if (!body.IsMap()) {
                error(body, tr("Volume '%1' must be a mapping with remote and mount.").arg(volume.id), QString(),
                      "expected-map");
                continue;
            }
            checkKeys(body, FlowReader::volumeKeys(), tr("volume '%1'").arg(volume.id));
            const QString where = QStringLiteral("volumes.") + volume.id;
            if (body["remote"])
                volume.remote = scalar(body["remote"], where + QStringLiteral(".remote"));
            else
                error(it->first, tr("Volume '%1' has no remote.").arg(volume.id), tr("Add 'remote: storage:FOLDER'."),
                      "missing-key");
            if (body["mount"])
                volume.mount = scalar(body["mount"], where + QStringLiteral(".mount"));
            else
                error(it->first, tr("Volume '%1' has no mount.").arg(volume.id), tr("Add 'mount: /path/in/container'."),
                      "missing-key");
            if (body["local"])
                volume.local = scalar(body["local"], where + QStringLiteral(".local"));
            if (body["read_only"])
                volume.readOnly = scalar(body["read_only"], where + QStringLiteral(".read_only"));
            result.flow.volumes.append(volume);
        }
    }

    void readIdMap(const YAML::Node &node, const QString &what, QStringList &ids, const QStringList *allowedKeys)
    {
        if (!node.IsMap()) {
            error(node, tr("%1 must be a mapping of ids.").arg(what), QString(), "expected-map");
            return;
        }
        for (auto it = node.begin(); it != node.end(); ++it) {
            ids << id(it->first, what);
            if (allowedKeys && it->second.IsMap())
                checkKeys(it->second, *allowedKeys, tr("%1 '%2'").arg(what, ids.last()));
        }
    }

    void readJob(const YAML::Node &key, const YAML::Node &body)
    {
        FlowJob job;
        job.id = id(key, tr("job"));
        job.position = positionOf(key);
        if (!body.IsMap()) {
            error(body, tr("Job '%1' must be a mapping.").arg(job.id), QString(), "expected-map");
            return;
        }
        const QString where = QStringLiteral("jobs.") + job.id;
        if (body["action"] || body["module"]) {
            job.isActionOrModuleCall = true;
            checkKeys(body, actionCallKeys(), tr("the action/module call '%1'").arg(job.id));
            result.flow.jobs.append(job);
            return;
        }
        checkKeys(body, FlowReader::jobKeys(), tr("job '%1'").arg(job.id));
        for (auto it = body.begin(); it != body.end(); ++it) {
            const QString name = str(it->first.Scalar());
            if (!FlowReader::jobKeys().contains(name))
                continue;
            const QString field = where + QLatin1Char('.') + name;
            if (name == QLatin1String("env"))
                job.env = env(it->second, field);
            else if (name == QLatin1String("volumes"))
                job.volumes = list(it->second, field);
            else if (name == QLatin1String("tags"))
                job.tags = list(it->second, field);
            else if (name == QLatin1String("port_forward"))
                job.portForward = list(it->second, field);
            else if (name == QLatin1String("mixins"))
                job.mixins = list(it->second, field);
            else if (name == QLatin1String("params"))
                readParams(it->second, job);
            else
                job.scalars.append({name, scalar(it->second, field)});
        }
        result.flow.jobs.append(job);
    }

    void readParams(const YAML::Node &node, FlowJob &job)
    {
        if (!node.IsMap()) {
            error(node, tr("params must be a mapping of name: default."), QString(), "expected-map");
            return;
        }
        for (auto it = node.begin(); it != node.end(); ++it)
            job.paramNames << id(it->first, tr("param"));
    }

    void readRoot(const YAML::Node &root)
    {
        LiveFlow &flow = result.flow;
        for (auto it = root.begin(); it != root.end(); ++it) {
            const QString key = str(it->first.Scalar());
            if (key == QLatin1String("params") || key == QLatin1String("life_span")) {
                error(it->first, tr("'%1' is not allowed at the top of a live flow (it is batch-only).").arg(key),
                      key == QLatin1String("life_span") ? tr("Move it under 'defaults:'.")
                                                        : tr("Declare params per job under 'jobs.<id>.params'."),
                      "top-level-batch-key");
            } else if (!FlowReader::topLevelKeys().contains(key)) {
                error(it->first, tr("Unknown top-level key '%1'.").arg(key),
                      tr("Remove it; allowed keys are: %1.").arg(FlowReader::topLevelKeys().join(QStringLiteral(", "))),
                      "unknown-key");
            }
        }
        if (root["kind"])
            flow.kind = scalar(root["kind"], QStringLiteral("kind"));
        else
            error(root, tr("The file has no 'kind'."), tr("Add 'kind: live' as the first line."), "missing-kind");
        if (root["id"])
            flow.id = scalar(root["id"], QStringLiteral("id"));
        if (root["title"])
            flow.title = scalar(root["title"], QStringLiteral("title"));
        if (root["defaults"])
            readDefaults(root["defaults"]);
        if (root["volumes"])
            readVolumes(root["volumes"]);
        const QStringList images = imageKeys();
        if (root["images"])
            readIdMap(root["images"], tr("image"), flow.imageIds, &images);
        if (root["mixins"])
            readIdMap(root["mixins"], tr("mixin"), flow.mixinIds, nullptr);
        const YAML::Node jobs = root["jobs"];
        if (!jobs || jobs.IsNull() || (jobs.IsMap() && jobs.size() == 0)) {
            error(root, tr("The flow has no jobs."), tr("Add a 'jobs:' mapping with at least one job."),
                  "missing-jobs");
        } else if (!jobs.IsMap()) {
            error(jobs, tr("jobs must be a mapping of job ids."), QString(), "expected-map");
        } else {
            for (auto it = jobs.begin(); it != jobs.end(); ++it)
                readJob(it->first, it->second);
        }
    }
};

} // namespace

QStringList FlowReader::topLevelKeys()
{
    return {QStringLiteral("kind"),   QStringLiteral("id"),      QStringLiteral("title"),  QStringLiteral("defaults"),
            QStringLiteral("images"), QStringLiteral("volumes"), QStringLiteral("mixins"), QStringLiteral("jobs")};
}

QStringList FlowReader::jobKeys()
{
    return {QStringLiteral("image"),        QStringLiteral("name"),
            QStringLiteral("preset"),       QStringLiteral("schedule_timeout"),
            QStringLiteral("http_port"),    QStringLiteral("http_auth"),
            QStringLiteral("life_span"),    QStringLiteral("title"),
            QStringLiteral("entrypoint"),   QStringLiteral("cmd"),
            QStringLiteral("bash"),         QStringLiteral("python"),
            QStringLiteral("workdir"),      QStringLiteral("env"),
            QStringLiteral("volumes"),      QStringLiteral("tags"),
            QStringLiteral("detach"),       QStringLiteral("browse"),
            QStringLiteral("port_forward"), QStringLiteral("pass_config"),
            QStringLiteral("restart"),      QStringLiteral("multi"),
            QStringLiteral("params"),       QStringLiteral("mixins")};
}

QStringList FlowReader::defaultsKeys()
{
    return {QStringLiteral("env"),       QStringLiteral("volumes"),          QStringLiteral("workdir"),
            QStringLiteral("life_span"), QStringLiteral("schedule_timeout"), QStringLiteral("preset"),
            QStringLiteral("tags")};
}

QStringList FlowReader::volumeKeys()
{
    return {QStringLiteral("remote"), QStringLiteral("mount"), QStringLiteral("local"), QStringLiteral("read_only")};
}

FlowReadResult FlowReader::read(const QByteArray &yaml)
{
    Reader reader;
    YAML::Node root;
    try {
        root = YAML::Load(yaml.toStdString());
    } catch (const YAML::ParserException &e) {
        reader.result.issues.append({FlowIssue::Severity::Error,
                                     {e.mark.line + 1, e.mark.column + 1},
                                     tr("This is not valid YAML: %1.").arg(str(e.msg)),
                                     tr("Fix the indentation or quoting at this position."),
                                     QStringLiteral("yaml-syntax")});
        return std::move(reader.result);
    }
    if (!root.IsMap()) {
        reader.result.issues.append({FlowIssue::Severity::Error,
                                     {1, 1},
                                     tr("The file is not a YAML mapping."),
                                     tr("A live flow starts with 'kind: live' and has a 'jobs:' mapping."),
                                     QStringLiteral("not-a-mapping")});
        return std::move(reader.result);
    }
    try {
        reader.readRoot(root);
    } catch (const YAML::Exception &e) {
        reader.result.issues.append({FlowIssue::Severity::Error,
                                     {e.mark.line + 1, e.mark.column + 1},
                                     tr("Unexpected YAML structure: %1.").arg(str(e.msg)),
                                     QString(),
                                     QStringLiteral("yaml-structure")});
    }
    reader.result.parsed = true;
    return std::move(reader.result);
}

} // namespace ApoloDeploy
