// SPDX-License-Identifier: GPL-3.0-or-later
// The Sign In dialog driven like a user, against apolo-sandbox over loopback: a refused token, a
// pasted token, and the browser flow (the "browser" is a handler that follows the authorize
// redirect to the console's loopback callback). Needs a Secret Service: ./dev test provides one.
#include "apolo/ApoloClient.h"
#include "apolo/PlatformSession.h"
#include "support/SandboxFixture.h"
#include "support/TempConfig.h"
#include "ui/SignInDialog.h"

#include <QApplication>
#include <QDesktopServices>
#include <QLabel>
#include <QLineEdit>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>

using namespace ApoloDeploy;
using namespace ApoloDeploy::Test;

// Stands in for the system browser: opens the authorize URL and follows its redirects, which end
// at the dialog's 127.0.0.1 callback.
class FakeBrowser : public QObject
{
    Q_OBJECT

public:
    QList<QUrl> opened;

public Q_SLOTS:
    void openUrl(const QUrl &url)
    {
        opened << url;
        QNetworkRequest request(url);
        request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::NoLessSafeRedirectPolicy);
        QNetworkReply *reply = m_network.get(request);
        connect(reply, &QNetworkReply::finished, reply, &QObject::deleteLater);
    }

private:
    QNetworkAccessManager m_network;
};

class tst_SignInDialog : public QObject
{
    Q_OBJECT

private:
    TempConfig m_config;
    std::unique_ptr<SandboxFixture> m_sandbox;

    std::unique_ptr<PlatformSession> newSession()
    {
        PlatformSession::Options options;
        options.global.apiUrl = m_sandbox->apiUrl();
        options.allowSandboxFallback = false;
        return std::make_unique<PlatformSession>(options);
    }

private Q_SLOTS:
    void initTestCase()
    {
        qunsetenv("APOLO_DEPLOY_TOKEN");
        m_sandbox = std::make_unique<SandboxFixture>();
        QVERIFY2(m_sandbox->start(), qPrintable(m_sandbox->errorString()));
    }

    void token_refusedStaysOpenThenAcceptedSignsIn()
    {
        std::unique_ptr<PlatformSession> session = newSession();
        SignInDialog dialog(session.get());
        dialog.findChild<QLineEdit *>(QStringLiteral("apiUrlLineEdit"))->setText(m_sandbox->apiUrlString());
        auto *token = dialog.findChild<QLineEdit *>(QStringLiteral("tokenLineEdit"));
        auto *use = dialog.findChild<QPushButton *>(QStringLiteral("tokenSignInButton"));
        auto *status = dialog.findChild<QLabel *>(QStringLiteral("signInStatusLabel"));
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QVERIFY(!use->isEnabled());

        QTest::keyClicks(token, QStringLiteral("not-a-token"));
        QVERIFY(use->isEnabled());
        QTest::mouseClick(use, Qt::LeftButton);
        QVERIFY(token->text().isEmpty()); // never left on screen
        QTRY_VERIFY_WITH_TIMEOUT(status->text().contains(QLatin1String("did not accept")), 10000);
        QVERIFY(status->text().contains(QLatin1String("apolo config show-token")));
        if (const QString dir = qEnvironmentVariable("ADC_SCREENSHOT_DIR"); !dir.isEmpty())
            QVERIFY(dialog.grab().save(dir + QStringLiteral("/sign-in-dialog.png")));
        QVERIFY(dialog.isVisible());
        QVERIFY(session->state() != PlatformSession::State::Platform);

        QSignalSpy signedIn(&dialog, &SignInDialog::signedIn);
        token->setText(QString::fromLatin1(m_sandbox->token()));
        QTest::keyClick(token, Qt::Key_Return);
        QTRY_COMPARE_WITH_TIMEOUT(signedIn.size(), 1, 10000);
        QTRY_VERIFY(!dialog.isVisible());
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
        QCOMPARE(session->state(), PlatformSession::State::Platform);
        QVERIFY(!session->scope().project.isEmpty());

        // The next start finds the token in the keychain.
        std::unique_ptr<PlatformSession> later = newSession();
        QSignalSpy ready(later.get(), &PlatformSession::ready);
        later->connectToPlatform();
        QTRY_COMPARE_WITH_TIMEOUT(ready.size(), 1, 10000);
        QCOMPARE(later->state(), PlatformSession::State::Platform);
        bool signedOut = false;
        later->signOut([&](const ApoloError &error) {
            QVERIFY(!error.isError());
            signedOut = true;
        });
        QTRY_VERIFY(signedOut);
    }

    void browser_opensTheAuthorizePageAndSignsIn()
    {
        FakeBrowser browser;
        QDesktopServices::setUrlHandler(QStringLiteral("http"), &browser, "openUrl");
        std::unique_ptr<PlatformSession> session = newSession();
        SignInDialog dialog(session.get());
        dialog.findChild<QLineEdit *>(QStringLiteral("apiUrlLineEdit"))->setText(m_sandbox->apiUrlString());
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QSignalSpy signedIn(&dialog, &SignInDialog::signedIn);
        QTest::mouseClick(dialog.findChild<QPushButton *>(QStringLiteral("browserSignInButton")), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(signedIn.size(), 1, 15000);
        QDesktopServices::unsetUrlHandler(QStringLiteral("http"));
        QCOMPARE(browser.opened.size(), 1);
        QCOMPARE(browser.opened.first().host(), QStringLiteral("127.0.0.1"));
        QVERIFY(browser.opened.first().query().contains(QLatin1String("code_challenge_method=S256")));
        QCOMPARE(session->state(), PlatformSession::State::Platform);
        // A browser login can renew itself.
        QVERIFY(session->client()->credentials().canRefresh());
    }

    void badApiUrl_isExplainedBeforeAnythingIsSent()
    {
        std::unique_ptr<PlatformSession> session = newSession();
        SignInDialog dialog(session.get());
        dialog.findChild<QLineEdit *>(QStringLiteral("apiUrlLineEdit"))
            ->setText(QStringLiteral("http://api.example.com"));
        dialog.show();
        QTest::mouseClick(dialog.findChild<QPushButton *>(QStringLiteral("browserSignInButton")), Qt::LeftButton);
        auto *status = dialog.findChild<QLabel *>(QStringLiteral("signInStatusLabel"));
        QVERIFY2(status->text().contains(QLatin1String("https")), qPrintable(status->text()));
        QCOMPARE(session->state(), PlatformSession::State::SignedOut);
    }
};

QTEST_MAIN(tst_SignInDialog)
#include "tst_signindialog.moc"
