// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/SignInDialog.h"

#include "apolo/ApoloClient.h"
#include "apolo/SignInFlow.h"

#include <QDesktopServices>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace ApoloDeploy {

namespace {

QGroupBox *group(const QString &title, const QString &objectName, QWidget *parent)
{
    auto *box = new QGroupBox(title, parent);
    box->setObjectName(objectName);
    return box;
}

} // namespace

SignInDialog::SignInDialog(PlatformSession *session, QWidget *parent)
    : QDialog(parent)
    , m_flow(new SignInFlow(session, this))
    , m_apiUrlEdit(new QLineEdit(this))
    , m_browserButton(new QPushButton(tr("Sign In with &Browser"), this))
    , m_tokenEdit(new QLineEdit(this))
    , m_tokenButton(new QPushButton(tr("Use &Token"), this))
    , m_apoloCliButton(new QPushButton(tr("Use the &apolo CLI Login"), this))
    , m_statusLabel(new QLabel(this))
    , m_closeButton(nullptr)
{
    setObjectName(QStringLiteral("signInDialog"));
    setWindowTitle(tr("Sign In to Apolo"));
    setWindowModality(Qt::WindowModal);

    m_apiUrlEdit->setObjectName(QStringLiteral("apiUrlLineEdit"));
    m_apiUrlEdit->setAccessibleName(tr("Apolo API URL"));
    m_apiUrlEdit->setText(SignInFlow::resolveApiUrl(QUrl()).toString());
    m_apiUrlEdit->setToolTip(tr("The platform's API address, e.g. https://api.apolo.us/api/v1"));

    m_browserButton->setObjectName(QStringLiteral("browserSignInButton"));
    m_browserButton->setDefault(true);
    m_browserButton->setToolTip(tr("Opens the platform's sign-in page; the console receives the token on "
                                   "127.0.0.1 and keeps it in the system keychain."));
    m_tokenEdit->setObjectName(QStringLiteral("tokenLineEdit"));
    m_tokenEdit->setAccessibleName(tr("Apolo token"));
    m_tokenEdit->setEchoMode(QLineEdit::Password);
    m_tokenEdit->setPlaceholderText(tr("Paste a token ('apolo config show-token' prints one)"));
    m_tokenButton->setObjectName(QStringLiteral("tokenSignInButton"));
    m_tokenButton->setEnabled(false);
    m_apoloCliButton->setObjectName(QStringLiteral("apoloCliSignInButton"));
    m_apoloCliButton->setToolTip(tr("Reads the apolo CLI's login from ~/.apolo/db without changing it."));
    m_statusLabel->setObjectName(QStringLiteral("signInStatusLabel"));
    m_statusLabel->setWordWrap(true);
    m_statusLabel->setTextInteractionFlags(Qt::TextBrowserInteraction);
    m_statusLabel->setOpenExternalLinks(true);

    auto *apiForm = new QFormLayout;
    apiForm->addRow(tr("&API URL:"), m_apiUrlEdit);

    QGroupBox *browserBox = group(tr("Recommended"), QStringLiteral("browserGroupBox"), this);
    auto *browserLayout = new QVBoxLayout(browserBox);
    browserLayout->addWidget(m_browserButton);

    QGroupBox *tokenBox = group(tr("Token"), QStringLiteral("tokenGroupBox"), this);
    auto *tokenLayout = new QHBoxLayout(tokenBox);
    tokenLayout->addWidget(m_tokenEdit, 1);
    tokenLayout->addWidget(m_tokenButton);

    QGroupBox *cliBox = group(tr("Already signed in with the apolo CLI?"), QStringLiteral("apoloCliGroupBox"), this);
    auto *cliLayout = new QVBoxLayout(cliBox);
    cliLayout->addWidget(m_apoloCliButton);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_closeButton = buttons->button(QDialogButtonBox::Cancel);
    m_closeButton->setObjectName(QStringLiteral("signInCancelButton"));

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(apiForm);
    layout->addWidget(browserBox);
    layout->addWidget(tokenBox);
    layout->addWidget(cliBox);
    layout->addWidget(m_statusLabel);
    layout->addStretch(1);
    layout->addWidget(buttons);
    resize(520, sizeHint().height());

    connect(m_tokenEdit, &QLineEdit::textChanged, this, [this](const QString &text) {
        m_tokenButton->setEnabled(!text.trimmed().isEmpty() && !m_flow->isRunning());
    });
    connect(m_tokenEdit, &QLineEdit::returnPressed, this, &SignInDialog::startToken);
    connect(m_browserButton, &QPushButton::clicked, this, &SignInDialog::startBrowser);
    connect(m_tokenButton, &QPushButton::clicked, this, &SignInDialog::startToken);
    connect(m_apoloCliButton, &QPushButton::clicked, this, &SignInDialog::startApoloCli);
    connect(buttons, &QDialogButtonBox::rejected, this, &SignInDialog::reject);
    connect(m_flow, &SignInFlow::authorizationUrlReady, this, &SignInDialog::onAuthorizationUrl);
    connect(m_flow, &SignInFlow::note, this, [this](const QString &message) { m_statusLabel->setText(message); });
    connect(m_flow, &SignInFlow::finished, this, &SignInDialog::onFinished);
}

SignInDialog::~SignInDialog() = default;

QUrl SignInDialog::apiUrl() const
{
    return QUrl(m_apiUrlEdit->text().trimmed(), QUrl::StrictMode);
}

bool SignInDialog::checkApiUrl()
{
    const QUrl url = apiUrl();
    ApoloError problem = ApoloClient::checkTransport(url);
    if (!url.isValid() || url.host().isEmpty()) {
        problem.kind = ApoloError::Kind::Validation;
        problem.message = tr("\"%1\" is not a URL.").arg(m_apiUrlEdit->text());
        problem.hint = tr("Use the platform's API address, e.g. https://api.apolo.us/api/v1");
    }
    if (!problem.isError())
        return true;
    m_statusLabel->setText(problem.toString());
    m_apiUrlEdit->setFocus();
    return false;
}

void SignInDialog::startBrowser()
{
    if (!checkApiUrl())
        return;
    setBusy(true, tr("Asking %1 how to sign in…").arg(apiUrl().host()));
    m_flow->withBrowser(apiUrl());
}

void SignInDialog::startToken()
{
    if (m_tokenEdit->text().trimmed().isEmpty() || !checkApiUrl())
        return;
    setBusy(true, tr("Checking the token with %1…").arg(apiUrl().host()));
    const QString token = m_tokenEdit->text();
    m_tokenEdit->clear(); // it is in the keychain or rejected; never left on screen
    m_flow->withToken(apiUrl(), token);
}

void SignInDialog::startApoloCli()
{
    setBusy(true, tr("Reading the apolo CLI login…"));
    m_flow->fromApoloCli(apiUrl());
}

void SignInDialog::onAuthorizationUrl(const QUrl &url)
{
    const QString address = url.toString(QUrl::FullyEncoded);
    m_statusLabel->setText(tr("Finish signing in in your browser (waiting 60 s). If it did not open, "
                              "<a href=\"%1\">open the sign-in page</a>.")
                               .arg(address.toHtmlEscaped()));
    QDesktopServices::openUrl(url);
}

void SignInDialog::onFinished(const ApoloError &error)
{
    setBusy(false);
    if (error.isError()) {
        if (error.kind == ApoloError::Kind::Cancelled)
            return;
        // The client's hint points at the sign-in itself; here the user is already in it.
        m_statusLabel->setText(error.kind == ApoloError::Kind::Unauthorized
                                   ? tr("%1\nCheck that the token is current ('apolo config show-token' prints one) "
                                        "and belongs to %2.")
                                         .arg(error.message, apiUrl().host())
                                   : error.toString());
        return;
    }
    m_statusLabel->setText(tr("Signed in."));
    Q_EMIT signedIn();
    accept();
}

void SignInDialog::setBusy(bool busy, const QString &message)
{
    if (!message.isEmpty())
        m_statusLabel->setText(message);
    m_apiUrlEdit->setEnabled(!busy);
    m_browserButton->setEnabled(!busy);
    m_tokenEdit->setEnabled(!busy);
    m_tokenButton->setEnabled(!busy && !m_tokenEdit->text().trimmed().isEmpty());
    m_apoloCliButton->setEnabled(!busy);
}

void SignInDialog::reject()
{
    // Closing while the browser is out there cancels the wait and frees the callback port.
    m_flow->cancel();
    QDialog::reject();
}

} // namespace ApoloDeploy
