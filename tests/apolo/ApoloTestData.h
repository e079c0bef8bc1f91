// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QFile>
#include <QTest>

// Reads a fixture from tests/data/apolo (composed from specs/apolo-api.md).
inline QByteArray apoloFixture(const char *name)
{
    QFile file(QStringLiteral(ADC_TEST_DATA_DIR "/apolo/") + QLatin1String(name));
    if (!file.open(QIODevice::ReadOnly))
        qFatal("missing fixture %s", name);
    return file.readAll();
}
