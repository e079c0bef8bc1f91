// SPDX-License-Identifier: GPL-3.0-or-later
// The desktop integration files validate with the freedesktop tools, and an installed build
// (cmake --install into a temporary prefix, what CPack packs) starts and has its files in place.
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

class TestPackaging : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void desktopFile_validates();
    void metainfo_validates();
    void metainfo_releaseMatchesProjectVersion();
    void install_startsAndInstallsDesktopIntegration();

private:
    static QString run(const QString &program, const QStringList &arguments, int *exitCode);
};

QString TestPackaging::run(const QString &program, const QStringList &arguments, int *exitCode)
{
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(program, arguments);
    if (!process.waitForFinished(90000)) {
        *exitCode = -1;
        return process.errorString();
    }
    *exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    return QString::fromLocal8Bit(process.readAll());
}

void TestPackaging::desktopFile_validates()
{
    const QString tool = QStandardPaths::findExecutable(QStringLiteral("desktop-file-validate"));
    if (tool.isEmpty())
        QSKIP("desktop-file-validate is not installed (Debian: desktop-file-utils)");
    int exitCode = 0;
    const QString output = run(tool, {QStringLiteral(ADC_SOURCE_DIR "/packaging/" ADC_APP_ID ".desktop")}, &exitCode);
    QVERIFY2(exitCode == 0, qPrintable(output));
    // Hints are fine, errors and warnings are not.
    QVERIFY2(!output.contains(QLatin1String("error")) && !output.contains(QLatin1String("warning")),
             qPrintable(output));
}

void TestPackaging::metainfo_validates()
{
    const QString tool = QStandardPaths::findExecutable(QStringLiteral("appstreamcli"));
    if (tool.isEmpty())
        QSKIP("appstreamcli is not installed (Debian: appstream)");
    int exitCode = 0;
    const QString output = run(
        tool, {QStringLiteral("validate"), QStringLiteral("--no-net"), QStringLiteral(ADC_METAINFO_FILE)}, &exitCode);
    QVERIFY2(exitCode == 0, qPrintable(output));
}

void TestPackaging::metainfo_releaseMatchesProjectVersion()
{
    QFile file(QStringLiteral(ADC_METAINFO_FILE));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray text = file.readAll();
    QVERIFY(text.contains("<release version=\"" ADC_PROJECT_VERSION "\" date=\""));
    QVERIFY(!text.contains('@')); // every placeholder was substituted
}

void TestPackaging::install_startsAndInstallsDesktopIntegration()
{
    QTemporaryDir prefix;
    QVERIFY(prefix.isValid());
    int exitCode = 0;
    QString output =
        run(QStringLiteral(ADC_CMAKE_COMMAND),
            {QStringLiteral("--install"), QStringLiteral(ADC_BUILD_DIR), QStringLiteral("--prefix"), prefix.path()},
            &exitCode);
    QVERIFY2(exitCode == 0, qPrintable(output));

    output = run(prefix.filePath(QStringLiteral("bin/apolo-deploy")), {QStringLiteral("--version")}, &exitCode);
    QVERIFY2(exitCode == 0, qPrintable(output));
    QVERIFY2(output.contains(QLatin1String(ADC_PROJECT_VERSION)), qPrintable(output));

    const QDir share(prefix.filePath(QStringLiteral("share")));
    const QStringList expected{
        QStringLiteral("applications/" ADC_APP_ID ".desktop"),
        QStringLiteral("metainfo/" ADC_APP_ID ".metainfo.xml"),
        QStringLiteral("icons/hicolor/scalable/apps/" ADC_APP_ID ".svg"),
        QStringLiteral("icons/hicolor/16x16/apps/" ADC_APP_ID ".png"),
        QStringLiteral("icons/hicolor/48x48/apps/" ADC_APP_ID ".png"),
        QStringLiteral("icons/hicolor/256x256/apps/" ADC_APP_ID ".png"),
    };
    for (const QString &path : expected)
        QVERIFY2(QFile::exists(share.filePath(path)), qPrintable(path));
}

QTEST_GUILESS_MAIN(TestPackaging)
#include "tst_packaging.moc"
