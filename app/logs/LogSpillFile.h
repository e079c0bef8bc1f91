// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QFile>
#include <QString>

namespace ApoloDeploy::Logs {

// The whole stream of one job on disk, so "Save full log" can write everything since the job
// started while the view keeps only the newest lines (CONTRIBUTING rule 7: bounded memory).
// Lines are stored exactly as received (platform timestamp included, ANSI kept), deduplicated.
class LogSpillFile
{
public:
    // <cache>/logs/<jobId>.log; the folder is created on open().
    static QString defaultPath(const QString &jobId);

    explicit LogSpillFile(QString path);
    ~LogSpillFile();

    // Starts an empty file (the stream is replayed from the job's start on every follow).
    bool open();
    void append(const QByteArray &rawLine);
    void flush();
    QString path() const { return m_path; }
    QString errorString() const { return m_error; }
    qint64 bytesWritten() const { return m_bytes; }
    qint64 linesWritten() const { return m_lines; }

    // Writes the spilled log to target: with the platform timestamps or without them, ANSI
    // colours removed (a saved log is read in editors, not terminals).
    bool saveTo(const QString &target, bool withTimestamps, QString *error) const;

private:
    QString m_path;
    static constexpr qsizetype bufferBytes = 64 * 1024;
    QFile m_file;
    QByteArray m_buffer;
    QString m_error;
    qint64 m_bytes = 0;
    qint64 m_lines = 0;
    bool m_failed = false;
};

} // namespace ApoloDeploy::Logs
