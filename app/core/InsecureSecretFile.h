// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/SecretStore.h"

#include <QCoreApplication>

namespace ApoloDeploy {

// The explicit, opt-in plaintext fallback used by SecretStore when no Secret Service is
// reachable and the user allowed it (Settings::Key::AllowInsecureSecretFallback).
//
// One owner-only (0600) JSON file in Settings::localDirectory(), apart from settings.ini, whose
// name and "warning" field say that it is not encrypted. Values are base64 so that binary
// secrets survive; that is an encoding, not protection. Writes go through QSaveFile so a crash
// never leaves a half-written file. The file is tiny, so synchronous I/O is acceptable.
class InsecureSecretFile final
{
    Q_DECLARE_TR_FUNCTIONS(ApoloDeploy::InsecureSecretFile)

public:
    explicit InsecureSecretFile(QString filePath = defaultFilePath());

    static QString defaultFilePath();
    QString filePath() const { return m_filePath; }

    SecretResult read(const QString &key) const;
    SecretResult write(const QString &key, const QByteArray &value);
    // ok when an entry was removed, notFound when there was none (and the file is untouched).
    SecretResult remove(const QString &key);
    bool contains(const QString &key) const;

private:
    struct Contents;
    bool load(Contents *contents, QString *error) const;
    bool save(const Contents &contents, QString *error);

    QString m_filePath;
};

} // namespace ApoloDeploy
