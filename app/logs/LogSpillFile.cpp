// SPDX-License-Identifier: GPL-3.0-or-later
#include "logs/LogSpillFile.h"

#include "logs/LineNormalizer.h"
#include "logs/LogsLogging.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QSaveFile>
#include <QStandardPaths>

namespace ApoloDeploy::Logs {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("Logs", text);
}

QString safeFileName(QString name)
{
    for (QChar &c : name) {
        if (!c.isLetterOrNumber() && c != QLatin1Char('-') && c != QLatin1Char('_') && c != QLatin1Char('.'))
            c = QLatin1Char('_');
    }
    return name;
}

} // namespace

QString LogSpillFile::defaultPath(const QString &jobId)
{
    return QStandardPaths::writableLocation(QStandardPaths::CacheLocation) + QStringLiteral("/logs/") +
           safeFileName(jobId) + QStringLiteral(".log");
}

LogSpillFile::LogSpillFile(QString path)
    : m_path(std::move(path))
{}

LogSpillFile::~LogSpillFile()
{
    flush();
}

bool LogSpillFile::open()
{
    QDir().mkpath(QFileInfo(m_path).absolutePath());
    m_file.setFileName(m_path);
    // Lines are gathered in m_buffer: one write per ~64 KB instead of two per line.
    if (!m_file.open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Unbuffered)) {
        m_error = tr("Cannot write the log copy %1: %2").arg(m_path, m_file.errorString());
        m_failed = true;
        qCWarning(lcLogs).noquote() << m_error;
        return false;
    }
    m_failed = false;
    m_bytes = m_lines = 0;
    return true;
}

void LogSpillFile::append(const QByteArray &rawLine)
{
    if (m_failed || !m_file.isOpen())
        return;
    m_buffer.append(rawLine).append('\n');
    m_bytes += rawLine.size() + 1;
    ++m_lines;
    if (m_buffer.size() >= bufferBytes)
        flush();
}

void LogSpillFile::flush()
{
    if (m_failed || !m_file.isOpen() || m_buffer.isEmpty())
        return;
    if (m_file.write(m_buffer) != m_buffer.size()) {
        m_error = tr("Writing the log copy %1 failed: %2. Lines after this point are only in the view.")
                      .arg(m_path, m_file.errorString());
        m_failed = true;
        qCWarning(lcLogs).noquote() << m_error;
    }
    m_buffer.clear();
}

bool LogSpillFile::saveTo(const QString &target, bool withTimestamps, QString *error) const
{
    const_cast<LogSpillFile *>(this)->flush();
    QFile source(m_path);
    if (!source.open(QIODevice::ReadOnly)) {
        if (error)
            *error = tr("Cannot read the log copy %1: %2").arg(m_path, source.errorString());
        return false;
    }
    QSaveFile out(target);
    if (!out.open(QIODevice::WriteOnly)) {
        if (error)
            *error = tr("Cannot write %1: %2").arg(target, out.errorString());
        return false;
    }
    while (!source.atEnd()) {
        const QByteArray raw = source.readLine();
        QString line = QString::fromUtf8(raw);
        if (!withTimestamps)
            line.remove(0, LineNormalizer::platformTimestampPrefixLength(line));
        if (line.contains(QChar(0x1B)))
            line = LineNormalizer::stripAnsi(line);
        out.write(line.toUtf8());
    }
    if (!out.commit()) {
        if (error)
            *error = tr("Cannot write %1: %2").arg(target, out.errorString());
        return false;
    }
    return true;
}

} // namespace ApoloDeploy::Logs
