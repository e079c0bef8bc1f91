// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/InsecureSecretFile.h"

#include "core/CoreLogging.h"
#include "core/Settings.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

namespace ApoloDeploy {

namespace {

constexpr auto secretsField = "secrets";
constexpr auto warningField = "warning";

} // namespace

struct InsecureSecretFile::Contents
{
    QJsonObject secrets; // key -> base64 value
};

InsecureSecretFile::InsecureSecretFile(QString filePath)
    : m_filePath(std::move(filePath))
{}

QString InsecureSecretFile::defaultFilePath()
{
    return Settings::localDirectory() + QStringLiteral("/insecure-secrets-NOT-ENCRYPTED.json");
}

bool InsecureSecretFile::load(Contents *contents, QString *error) const
{
    QFile file(m_filePath);
    if (!file.exists())
        return true;
    if (!file.open(QIODevice::ReadOnly)) {
        *error = tr("Could not read the insecure secret file %1: %2.").arg(m_filePath, file.errorString());
        return false;
    }
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        *error = tr("The insecure secret file %1 is damaged (%2). Delete it and sign in again.")
                     .arg(m_filePath, parseError.errorString());
        return false;
    }
    contents->secrets = document.object().value(QLatin1String(secretsField)).toObject();
    return true;
}

bool InsecureSecretFile::save(const Contents &contents, QString *error)
{
    if (!QDir().mkpath(QFileInfo(m_filePath).absolutePath())) {
        *error = tr("Could not create the folder for %1.").arg(m_filePath);
        return false;
    }
    QJsonObject root;
    root.insert(QLatin1String(warningField),
                QStringLiteral("NOT ENCRYPTED. Apolo Deploy Console keeps secrets here only because the "
                               "insecure fallback was allowed and no system keychain was available. "
                               "Anyone who can read this file can use these credentials."));
    root.insert(QLatin1String(secretsField), contents.secrets);

    QSaveFile file(m_filePath);
    if (!file.open(QIODevice::WriteOnly)) {
        *error = tr("Could not write the insecure secret file %1: %2.").arg(m_filePath, file.errorString());
        return false;
    }
    // The temporary file is restricted before a single secret byte goes into it.
    if (!file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner)) {
        file.cancelWriting();
        *error = tr("Could not make %1 private to your user account.").arg(m_filePath);
        return false;
    }
    file.write(QJsonDocument(root).toJson(QJsonDocument::Indented));
    if (!file.commit()) {
        *error = tr("Could not write the insecure secret file %1: %2.").arg(m_filePath, file.errorString());
        return false;
    }
    return true;
}

SecretResult InsecureSecretFile::read(const QString &key) const
{
    SecretResult result;
    Contents contents;
    if (!load(&contents, &result.error))
        return result;
    const QJsonValue value = contents.secrets.value(key);
    if (!value.isString()) {
        result.notFound = true;
        result.error = tr("No secret is stored under “%1”.").arg(key);
        return result;
    }
    result.ok = true;
    result.value = QByteArray::fromBase64(value.toString().toLatin1());
    return result;
}

SecretResult InsecureSecretFile::write(const QString &key, const QByteArray &value)
{
    SecretResult result;
    Contents contents;
    if (!load(&contents, &result.error))
        return result;
    contents.secrets.insert(key, QString::fromLatin1(value.toBase64()));
    result.ok = save(contents, &result.error);
    if (result.ok)
        qCWarning(lcSecrets).noquote() << "stored a secret in the insecure fallback file" << m_filePath;
    return result;
}

SecretResult InsecureSecretFile::remove(const QString &key)
{
    SecretResult result;
    Contents contents;
    if (!load(&contents, &result.error))
        return result;
    if (!contents.secrets.contains(key)) {
        result.notFound = true;
        return result;
    }
    contents.secrets.remove(key);
    if (contents.secrets.isEmpty()) {
        // Leave nothing behind once the last secret is gone.
        result.ok = QFile::remove(m_filePath);
        if (!result.ok)
            result.error = tr("Could not delete the insecure secret file %1.").arg(m_filePath);
        return result;
    }
    result.ok = save(contents, &result.error);
    return result;
}

bool InsecureSecretFile::contains(const QString &key) const
{
    Contents contents;
    QString ignored;
    return load(&contents, &ignored) && contents.secrets.contains(key);
}

} // namespace ApoloDeploy
