// SPDX-License-Identifier: GPL-3.0-or-later
// LogPane: lines from a stream reach the view in batches; phase bar, diagnosis card, readiness
// and failure signals; follow mode and the "new lines" pill; remembered toggles. Streams are fed
// through LogStream::ingest (the same path as network bytes), so no platform is needed.

#include "core/Settings.h"
#include "logs/LogFollower.h"
#include "models/LogFilterModel.h"
#include "models/LogLineModel.h"
#include "support/TempConfig.h"
#include "ui/LogPane.h"
#include "ui/logs/DiagnosisCard.h"
#include "ui/logs/LaunchPhaseBar.h"

#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QFile>
#include <QGuiApplication>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollBar>
#include <QShortcut>
#include <QSignalSpy>
#include <QTest>
#include <QToolButton>

using namespace ApoloDeploy;
using namespace ApoloDeploy::Logs;

class TestLogPane : public QObject
{
    Q_OBJECT

private:
    static QByteArray fixture(const char *name)
    {
        QFile file(QStringLiteral(ADC_TEST_DATA_DIR "/logs/") + QLatin1String(name));
        return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
    }

    // A stream without a platform client, adopted by the pane's follower like a followed job.
    static LogStream *feedJob(LogPane &pane, const QString &jobId, const QString &label, const QByteArray &bytes)
    {
        LogStream::Options options;
        options.jobId = jobId;
        options.label = label;
        options.spill = false;
        auto *stream = new LogStream(nullptr, options);
        pane.follower()->adopt(stream);
        pane.followJob(jobId, label); // already followed: only makes it the primary job
        // Frames of arbitrary size, as the WebSocket delivers them.
        for (qsizetype pos = 0; pos < bytes.size(); pos += 777)
            stream->ingest(bytes.mid(pos, 777));
        stream->finishIngest();
        return stream;
    }

    // With ADC_SCREENSHOT_DIR set (docs/screenshots), the pane as a user sees it.
    static void saveScreenshot(LogPane &pane, const char *name)
    {
        const QString dir = qEnvironmentVariable("ADC_SCREENSHOT_DIR");
        if (dir.isEmpty())
            return;
        QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
        QVERIFY(pane.grab().save(dir + QLatin1Char('/') + QLatin1String(name)));
    }

    Test::TempConfig m_config;

private Q_SLOTS:
    void readyLog_showsPhasesMetricsAndSignalsReady()
    {
        LogPane pane;
        pane.resize(1100, 600);
        pane.show();
        QSignalSpy ready(&pane, &LogPane::serverReady);
        feedJob(pane, QStringLiteral("job-1"), QStringLiteral("ray-worker"), fixture("vllm-0.7.2-r1-tp8pp2-ready.log"));
        QTRY_COMPARE(ready.count(), 1);
        QCOMPARE(ready.at(0).at(0).toString(), QStringLiteral("job-1"));
        QTRY_COMPARE(pane.lineModel()->rowCount(), 56);
        auto *phaseBar = pane.findChild<LaunchPhaseBar *>(QStringLiteral("launchPhaseBar"));
        QVERIFY(phaseBar->phaseText().contains(QStringLiteral("Ready")));
        QVERIFY(!pane.findChild<DiagnosisCard *>(QStringLiteral("diagnosisCard"))->isVisible());
        QVERIFY(
            pane.findChild<QLabel *>(QStringLiteral("phaseDetailLabel"))
                ->text()
                .contains(QStringLiteral("KV cache 42.0 GiB")) ||
            pane.findChild<QLabel *>(QStringLiteral("phaseDetailLabel"))->text().contains(QStringLiteral("KV cache")));
    }

    void failingLog_showsDiagnosisAndSignalsFailure()
    {
        LogPane pane;
        pane.show();
        QSignalSpy failed(&pane, &LogPane::jobFailed);
        feedJob(pane, QStringLiteral("job-2"), QStringLiteral("vllm"), fixture("vllm-0.7.2-kv-too-small.log"));
        QTRY_COMPARE(failed.count(), 1);
        const auto diagnosis = failed.at(0).at(1).value<Diagnosis>();
        QCOMPARE(diagnosis.kind, QStringLiteral("kv_cache_too_small"));
        auto *card = pane.findChild<DiagnosisCard *>(QStringLiteral("diagnosisCard"));
        QTRY_VERIFY(card->isVisible());
        QVERIFY(card->hintText().contains(QStringLiteral("--max-model-len 13360")));
    }

    void mergedJobs_filterByOrigin()
    {
        LogPane pane;
        feedJob(pane, QStringLiteral("job-h"), QStringLiteral("ray-head"),
                "2025-01-01T00:00:00Z Ray runtime started.\n");
        feedJob(pane, QStringLiteral("job-w"), QStringLiteral("vllm"),
                "2025-01-01T00:00:01Z INFO:     Application startup complete.\n");
        QTRY_COMPARE(pane.filterModel()->rowCount(), 2);
        pane.filterModel()->setOrigins({QStringLiteral("ray-head")});
        QCOMPARE(pane.filterModel()->rowCount(), 1);
        QCOMPARE(pane.filterModel()->index(0, 0).data(LogLineModel::JobRole).toString(), QStringLiteral("ray-head"));
    }

    void view_showsTheFilterOnlyWhileOneIsSet()
    {
        LogPane pane;
        feedJob(pane, QStringLiteral("job-w"), QStringLiteral("vllm"),
                "2025-01-01T00:00:00Z INFO 02-16 19:33:51 worker.py:1] fine\n"
                "2025-01-01T00:00:01Z ERROR 02-16 19:33:52 worker.py:2] broken\n");
        QTRY_COMPARE(pane.lineModel()->rowCount(), 2);
        auto *view = pane.findChild<QListView *>(QStringLiteral("logListView"));
        auto *level = pane.findChild<QComboBox *>(QStringLiteral("levelComboBox"));
        QCOMPARE(view->model(), pane.lineModel()); // unfiltered: no proxy in the way
        level->setCurrentIndex(level->findData(int(LogLevel::Error)));
        QCOMPARE(view->model(), pane.filterModel());
        QCOMPARE(view->model()->rowCount(), 1);
        // Copy takes the selected row's line through whichever model is shown.
        view->setCurrentIndex(view->model()->index(0, 0));
        view->selectionModel()->select(view->model()->index(0, 0), QItemSelectionModel::ClearAndSelect);
        const QList<QShortcut *> shortcuts = pane.findChildren<QShortcut *>();
        const auto copy = std::find_if(shortcuts.cbegin(), shortcuts.cend(), [](const QShortcut *shortcut) {
            return shortcut->key() == QKeySequence(QKeySequence::Copy);
        });
        QVERIFY(copy != shortcuts.cend());
        Q_EMIT(*copy)->activated();
        QVERIFY(QGuiApplication::clipboard()->text().endsWith(QLatin1String("broken")));
        level->setCurrentIndex(level->findData(int(LogLevel::Unknown)));
        QCOMPARE(view->model(), pane.lineModel());
        QCOMPARE(view->model()->rowCount(), 2);
    }

    void scrollingUp_pausesFollowAndCountsNewLines()
    {
        LogPane pane;
        pane.resize(800, 300);
        pane.show();
        QVERIFY(QTest::qWaitForWindowExposed(&pane));
        QByteArray many;
        for (int i = 0; i < 500; ++i)
            many += "2025-01-01T00:00:00Z INFO 01-01 00:00:00 x.py:1] line " + QByteArray::number(i) + '\n';
        LogStream *stream = feedJob(pane, QStringLiteral("job-3"), QStringLiteral("vllm"), many);
        QTRY_COMPARE(pane.lineModel()->rowCount(), 500);
        auto *view = pane.findChild<QListView *>(QStringLiteral("logListView"));
        QTRY_COMPARE(view->verticalScrollBar()->value(), view->verticalScrollBar()->maximum());
        QVERIFY(pane.isFollowing());

        view->verticalScrollBar()->setValue(0); // the user scrolls up
        QVERIFY(!pane.isFollowing());
        stream->ingest("2025-01-01T00:00:01Z one more\n2025-01-01T00:00:01Z and another\n");
        QTRY_COMPARE(pane.newLinesWhilePaused(), 2);
        auto *pill = pane.findChild<QPushButton *>(QStringLiteral("newLinesPushButton"));
        QVERIFY(pill->isVisible());
        QVERIFY(pill->text().contains(QStringLiteral("2")));
        QCOMPARE(view->verticalScrollBar()->value(), 0);

        pill->click();
        QVERIFY(pane.isFollowing());
        QVERIFY(!pill->isVisible());
        QCOMPARE(view->verticalScrollBar()->value(), view->verticalScrollBar()->maximum());
    }

    void toggles_areRemembered()
    {
        {
            LogPane pane;
            pane.findChild<QCheckBox *>(QStringLiteral("wrapCheckBox"))->setChecked(true);
            pane.findChild<QCheckBox *>(QStringLiteral("timestampsCheckBox"))->setChecked(false);
        }
        QCOMPARE(Settings::instance().value(Settings::Key::LogWrap).toBool(), true);
        QCOMPARE(Settings::instance().value(Settings::Key::LogTimestamps).toBool(), false);
        LogPane again;
        QVERIFY(again.findChild<QCheckBox *>(QStringLiteral("wrapCheckBox"))->isChecked());
        QVERIFY(!again.findChild<QCheckBox *>(QStringLiteral("timestampsCheckBox"))->isChecked());
        Settings::instance().setValue(Settings::Key::LogWrap, false);
        Settings::instance().setValue(Settings::Key::LogTimestamps, true);
    }

    void search_selectsNextMatch()
    {
        LogPane pane;
        pane.show();
        feedJob(pane, QStringLiteral("job-4"), QStringLiteral("vllm"), fixture("vllm-0.7.2-r1-tp8pp2-ready.log"));
        QTRY_VERIFY(pane.lineModel()->rowCount() > 50);
        auto *search = pane.findChild<QLineEdit *>(QStringLiteral("searchLineEdit"));
        search->setText(QStringLiteral("cuda blocks"));
        pane.findChild<QToolButton *>(QStringLiteral("findNextToolButton"))->click();
        auto *view = pane.findChild<QListView *>(QStringLiteral("logListView"));
        QVERIFY(view->currentIndex().data(LogLineModel::TextRole).toString().contains(QStringLiteral("# CUDA blocks")));
        QVERIFY(!pane.isFollowing());
    }

    void startupInProgress_showsLoadingPercentAndEta()
    {
        // DeepSeek-R1 AWQ on 2 x 8 H100 as apolo-sandbox logs it, cut off while the weights load.
        const QByteArray log = fixture("sandbox-r1-tp8pp2-ready.log");
        const qsizetype cut = log.indexOf('\n', log.indexOf("shards:  62% Completed"));
        QVERIFY(cut > 0);
        LogPane pane;
        pane.resize(1280, 720);
        pane.show();
        feedJob(pane, QStringLiteral("job-5"), QStringLiteral("r1-server"), log.first(cut + 1));
        auto *phaseBar = pane.findChild<LaunchPhaseBar *>(QStringLiteral("launchPhaseBar"));
        QTRY_VERIFY(phaseBar->phaseText().contains(QStringLiteral("Loading weights")));
        QCOMPARE(phaseBar->progressValue(), 62);
        QVERIFY(pane.findChild<QProgressBar *>(QStringLiteral("phaseProgressBar"))
                    ->format()
                    .contains(QStringLiteral("ETA 01:04")));
        const QString detail = pane.findChild<QLabel *>(QStringLiteral("phaseDetailLabel"))->text();
        QVERIFY2(detail.contains(QStringLiteral("TP 8 × PP 2")) && detail.contains(QStringLiteral("46 of 74 shards")),
                 qPrintable(detail));
        QVERIFY(!pane.findChild<DiagnosisCard *>(QStringLiteral("diagnosisCard"))->isVisible());
        saveScreenshot(pane, "log-pane.png");
    }

    void sandboxKvCacheFailure_cardShowsTheFix()
    {
        LogPane pane;
        pane.resize(1280, 720);
        pane.show();
        QSignalSpy failed(&pane, &LogPane::jobFailed);
        feedJob(pane, QStringLiteral("job-6"), QStringLiteral("r1-server"), fixture("sandbox-r1-kv-too-small.log"));
        QTRY_COMPARE(failed.count(), 1);
        auto *card = pane.findChild<DiagnosisCard *>(QStringLiteral("diagnosisCard"));
        QTRY_VERIFY(card->isVisible());
        QVERIFY(card->hintText().contains(QStringLiteral("--max-model-len 147536")));
        auto *phaseBar = pane.findChild<LaunchPhaseBar *>(QStringLiteral("launchPhaseBar"));
        QVERIFY(phaseBar->phaseText().contains(QStringLiteral("Failed during")));
        // The card took room from the view; following, it still ends on the ValueError.
        auto *view = pane.findChild<QListView *>(QStringLiteral("logListView"));
        QTRY_COMPARE(view->verticalScrollBar()->value(), view->verticalScrollBar()->maximum());
        QVERIFY(view->verticalScrollBar()->maximum() > 0);
        QVERIFY(pane.isFollowing());
        saveScreenshot(pane, "log-pane-diagnosis.png");
    }
};

QTEST_MAIN(TestLogPane)
#include "tst_logpane.moc"
