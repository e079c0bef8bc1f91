// SPDX-License-Identifier: GPL-3.0-or-later
#include "flow/FlowWriter.h"

#include "flow/Yaml11Scalar.h"

#include <yaml-cpp/yaml.h>

namespace ApoloDeploy {

namespace {

void emitScalar(YAML::Emitter &out, const FlowScalar &value, bool forceQuotes = false)
{
    const std::string text = value.text.toStdString();
    if (value.text.contains(QLatin1Char('\n')))
        out << YAML::Literal << text;
    else if (forceQuotes || !value.plain ||
             (value.plain && Yaml11Scalar::resolvePlain(value.text).type == Yaml11Scalar::Type::Null))
        out << YAML::DoubleQuoted << text;
    else
        out << text;
}

void emitList(YAML::Emitter &out, const char *key, const QList<FlowScalar> &items)
{
    if (items.isEmpty())
        return;
    out << YAML::Key << key << YAML::Value;
    // A single whole-list expression is written as the scalar it was.
    if (items.size() == 1 && items.constFirst().text.trimmed().startsWith(QLatin1String("${{")) &&
        items.constFirst().text.contains(QLatin1Char('['))) {
        emitScalar(out, items.constFirst());
        return;
    }
    out << YAML::BeginSeq;
    for (const FlowScalar &item : items)
        emitScalar(out, item);
    out << YAML::EndSeq;
}

void emitEnv(YAML::Emitter &out, const FlowEnv &env)
{
    if (env.isEmpty())
        return;
    out << YAML::Key << "env" << YAML::Value;
    if (env.size() == 1 && env.constFirst().first.isEmpty()) {
        emitScalar(out, env.constFirst().second);
        return;
    }
    out << YAML::BeginMap;
    for (const auto &[name, value] : env) {
        // Keys such as `yes` or `010` would be re-typed by PyYAML as well.
        if (Yaml11Scalar::changesWhenLoaded(name))
            out << YAML::Key << YAML::DoubleQuoted << name.toStdString();
        else
            out << YAML::Key << name.toStdString();
        out << YAML::Value;
        emitScalar(out, value, true);
    }
    out << YAML::EndMap;
}

void emitField(YAML::Emitter &out, const char *key, const FlowScalar &value)
{
    if (!value.isSet())
        return;
    out << YAML::Key << key << YAML::Value;
    emitScalar(out, value);
}

} // namespace

QByteArray FlowWriter::write(const LiveFlow &flow, const QString &headerComment)
{
    YAML::Emitter out;
    out.SetIndent(2);
    out << YAML::BeginMap;
    out << YAML::Key << "kind" << YAML::Value
        << (flow.kind.isSet() ? flow.kind.text.toStdString() : std::string("live"));
    emitField(out, "id", flow.id);
    emitField(out, "title", flow.title);
    const FlowDefaults &d = flow.defaults;
    const bool hasDefaults = !d.env.isEmpty() || !d.volumes.isEmpty() || !d.tags.isEmpty() || d.workdir.isSet() ||
                             d.lifeSpan.isSet() || d.scheduleTimeout.isSet() || d.preset.isSet();
    if (hasDefaults) {
        out << YAML::Key << "defaults" << YAML::Value << YAML::BeginMap;
        emitField(out, "preset", d.preset);
        emitField(out, "life_span", d.lifeSpan);
        emitField(out, "schedule_timeout", d.scheduleTimeout);
        emitField(out, "workdir", d.workdir);
        emitList(out, "tags", d.tags);
        emitList(out, "volumes", d.volumes);
        emitEnv(out, d.env);
        out << YAML::EndMap;
    }
    if (!flow.volumes.isEmpty()) {
        out << YAML::Key << "volumes" << YAML::Value << YAML::BeginMap;
        for (const FlowVolume &volume : flow.volumes) {
            out << YAML::Key << volume.id.toStdString() << YAML::Value << YAML::BeginMap;
            emitField(out, "remote", volume.remote);
            emitField(out, "mount", volume.mount);
            emitField(out, "local", volume.local);
            emitField(out, "read_only", volume.readOnly);
            out << YAML::EndMap;
        }
        out << YAML::EndMap;
    }
    out << YAML::Key << "jobs" << YAML::Value << YAML::BeginMap;
    for (const FlowJob &job : flow.jobs) {
        out << YAML::Key << job.id.toStdString() << YAML::Value << YAML::BeginMap;
        for (const auto &[key, value] : job.scalars)
            emitField(out, key.toUtf8().constData(), value);
        emitList(out, "mixins", job.mixins);
        emitList(out, "volumes", job.volumes);
        emitList(out, "tags", job.tags);
        emitList(out, "port_forward", job.portForward);
        emitEnv(out, job.env);
        out << YAML::EndMap;
    }
    out << YAML::EndMap;
    out << YAML::EndMap;
    QByteArray header;
    if (!headerComment.isEmpty()) {
        for (const QString &line : headerComment.split(QLatin1Char('\n')))
            header += '#' + line.toUtf8() + '\n';
    }
    return header + QByteArray(out.c_str()) + '\n';
}

} // namespace ApoloDeploy
