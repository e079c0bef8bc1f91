// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/SingleInstance.h"

#include <QFile>
#include <QLocalServer>
#include <QLocalSocket>
#include <QSignalSpy>
#include <QSysInfo>
#include <QTemporaryDir>
#include <QTest>

using namespace ApoloDeploy;

class TestSingleInstance : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void firstInstance_isPrimary();
    void secondInstance_raisesPrimary();
    void primaryGone_nextInstanceTakesOver();
    void staleLockOfDeadProcess_isTakenOver();
    void differentFolders_areIndependent();
    void unreachablePrimary_reportsError();
};

void TestSingleInstance::firstInstance_isPrimary()
{
    QTemporaryDir dir;
    SingleInstance first(dir.path());
    QVERIFY(first.tryBecomePrimary());
    QVERIFY(QFile::exists(first.lockFilePath()));
    QVERIFY(first.lockFilePath().startsWith(dir.path()));
}

void TestSingleInstance::secondInstance_raisesPrimary()
{
    QTemporaryDir dir;
    SingleInstance primary(dir.path());
    QVERIFY(primary.tryBecomePrimary());
    SingleInstance second(dir.path());
    QVERIFY(!second.tryBecomePrimary());
    QCOMPARE(second.serverName(), primary.serverName());

    QSignalSpy raised(&primary, &SingleInstance::raiseRequested);
    QSignalSpy handedOff(&second, &SingleInstance::handOffFinished);
    second.requestRaise();
    QTRY_COMPARE(handedOff.count(), 1);
    QCOMPARE(handedOff.first().at(0).toBool(), true);
    QCOMPARE(raised.count(), 1);
}

void TestSingleInstance::primaryGone_nextInstanceTakesOver()
{
    QTemporaryDir dir;
    {
        SingleInstance primary(dir.path());
        QVERIFY(primary.tryBecomePrimary());
    }
    SingleInstance next(dir.path());
    QVERIFY(next.tryBecomePrimary());
}

void TestSingleInstance::staleLockOfDeadProcess_isTakenOver()
{
    QTemporaryDir dir;
    SingleInstance crashed(dir.path());
    // QLockFile's format: pid, application name, host name. PID 2^22+1 is above Linux's
    // pid_max, so no such process can exist.
    QFile lock(crashed.lockFilePath());
    QVERIFY(lock.open(QIODevice::WriteOnly));
    lock.write("4194305\napolo-deploy\n" + QSysInfo::machineHostName().toUtf8() + '\n');
    lock.close();
    QVERIFY(crashed.tryBecomePrimary());
}

void TestSingleInstance::differentFolders_areIndependent()
{
    QTemporaryDir first;
    QTemporaryDir second;
    SingleInstance a(first.path());
    SingleInstance b(second.path());
    QVERIFY(a.tryBecomePrimary());
    QVERIFY(b.tryBecomePrimary());
    QVERIFY(a.serverName() != b.serverName());
}

void TestSingleInstance::unreachablePrimary_reportsError()
{
    QTemporaryDir dir;
    SingleInstance primary(dir.path());
    QVERIFY(primary.tryBecomePrimary());
    SingleInstance second(dir.path());
    QVERIFY(!second.tryBecomePrimary());
    // The primary's socket disappears (e.g. /tmp was cleaned) while it still holds the lock.
    QVERIFY(QLocalServer::removeServer(primary.serverName()));
    QSignalSpy handedOff(&second, &SingleInstance::handOffFinished);
    second.requestRaise();
    QTRY_COMPARE(handedOff.count(), 1);
    QCOMPARE(handedOff.first().at(0).toBool(), false);
    QVERIFY(handedOff.first().at(1).toString().contains(QLatin1String("already running")));
}

QTEST_GUILESS_MAIN(TestSingleInstance)
#include "tst_singleinstance.moc"
