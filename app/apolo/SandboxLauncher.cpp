// SPDX-License-Identifier: GPL-3.0-or-later
#include "apolo/SandboxLauncher.h"

#include "apolo/ApoloLogging.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QRegularExpression>

namespace ApoloDeploy {

namespace {

constexpr QByteArrayView readyMarker = "apolo-sandbox ready ";

QByteArray base64Url(const QByteArray &bytes)
{
    return bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

QByteArray randomBytes(int count)
{
    QByteArray bytes(count, Qt::Uninitialized);
    for (char &c : bytes)
        c = char(QRandomGenerator::system()->bounded(256));
    return bytes;
}

// A well-formed (unverifiable) JWT naming the local user, so the sandbox and whoami show a
// familiar name; its random signature makes it unguessable.
QString makeSandboxToken()
{
    QString user = qEnvironmentVariable("USER").toLower();
    user.remove(QRegularExpression(QStringLiteral("[^a-z0-9-]")));
    if (user.isEmpty())
        user = QStringLiteral("sandbox-user");
    const QByteArray header = QJsonDocument(QJsonObject{{QStringLiteral("alg"), QStringLiteral("HS256")},
                                                        {QStringLiteral("typ"), QStringLiteral("JWT")}})
                                  .toJson(QJsonDocument::Compact);
    const QByteArray claims = QJsonDocument(QJsonObject{{QStringLiteral("https://platform.neuromation.io/user"), user},
                                                        {QStringLiteral("identity"), user}})
                                  .toJson(QJsonDocument::Compact);
    return QString::fromLatin1(base64Url(header) + '.' + base64Url(claims) + '.' + base64Url(randomBytes(32)));
}

} // namespace

SandboxLauncher::SandboxLauncher(QObject *parent)
    : QObject(parent)
{
    m_startTimer.setSingleShot(true);
    connect(&m_startTimer, &QTimer::timeout, this, [this] {
        fail(tr("The embedded sandbox did not start within %1 s.").arg(m_startTimer.interval() / 1000));
    });
}

SandboxLauncher::~SandboxLauncher()
{
    stop();
}

QString SandboxLauncher::defaultProgram()
{
    const QString fromEnvironment = qEnvironmentVariable("ADC_SANDBOX_BIN");
    if (!fromEnvironment.isEmpty())
        return fromEnvironment;
    return QCoreApplication::applicationDirPath() + QStringLiteral("/apolo-sandbox");
}

void SandboxLauncher::start()
{
    start(Options());
}

void SandboxLauncher::start(const Options &options)
{
    stop();
    m_ready = false;
    m_stopping = false;
    m_stdoutBuffer.clear();
    m_stderrTail.clear();
    m_apiUrl.clear();
    m_token = makeSandboxToken();
    const QString program = options.program.isEmpty() ? defaultProgram() : options.program;
    if (!QFileInfo(program).isExecutable()) {
        QTimer::singleShot(0, this, [this, program] {
            fail(tr("The embedded sandbox '%1' is missing or not executable. Reinstall apolo-deploy or set "
                    "ADC_SANDBOX_BIN.")
                     .arg(program));
        });
        return;
    }
    QStringList arguments{QStringLiteral("--port"), QStringLiteral("0")};
    // A real DeepSeek-R1 start takes 10-20 minutes; the embedded sandbox plays it 20x faster by
    // default so that trying the console takes a minute. APOLO_DEPLOY_SANDBOX_SPEED overrides it.
    double speed = options.speed;
    if (speed <= 0) {
        bool ok = false;
        speed = qEnvironmentVariable("APOLO_DEPLOY_SANDBOX_SPEED").toDouble(&ok);
        if (!ok || speed <= 0)
            speed = 20;
    }
    arguments << QStringLiteral("--speed") << QString::number(speed);
    if (!options.stateFile.isEmpty())
        arguments << QStringLiteral("--state") << options.stateFile;
    if (!options.faults.isEmpty())
        arguments << QStringLiteral("--faults") << options.faults;
    arguments << options.extraArguments;

    auto *process = new QProcess(this);
    m_process = process;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("APOLO_SANDBOX_TOKEN"), m_token); // never on the command line
    process->setProcessEnvironment(environment);
    connect(process, &QProcess::readyReadStandardOutput, this, &SandboxLauncher::onReadyRead);
    connect(process, &QProcess::readyReadStandardError, this, [this, process] {
        // Keep only the end: enough to explain a failed start.
        m_stderrTail = QString(m_stderrTail + QString::fromLocal8Bit(process->readAllStandardError())).right(2000);
    });
    connect(process, &QProcess::errorOccurred, this, [this, process](QProcess::ProcessError error) {
        if (error == QProcess::FailedToStart)
            fail(tr("Cannot start the embedded sandbox: %1").arg(process->errorString()));
    });
    connect(process, &QProcess::finished, this, [this](int exitCode, QProcess::ExitStatus status) {
        if (m_stopping)
            return;
        const QString why =
            status == QProcess::CrashExit ? tr("it crashed") : tr("it exited with code %1").arg(exitCode);
        const QString details =
            m_stderrTail.trimmed().isEmpty() ? QString() : QStringLiteral(": ") + m_stderrTail.trimmed();
        if (m_ready) {
            m_ready = false;
            Q_EMIT stopped(tr("The embedded sandbox stopped (%1)%2").arg(why, details));
        } else {
            fail(tr("The embedded sandbox failed to start (%1)%2").arg(why, details));
        }
    });
    m_startTimer.start(options.startTimeoutMs);
    qCInfo(lcApolo).noquote() << "starting" << program << arguments.join(u' ');
    process->start(program, arguments);
}

void SandboxLauncher::onReadyRead()
{
    if (!m_process)
        return;
    m_stdoutBuffer += m_process->readAllStandardOutput();
    if (m_ready) {
        m_stdoutBuffer.clear(); // later output is the sandbox's own business
        return;
    }
    for (;;) {
        const qsizetype newline = m_stdoutBuffer.indexOf('\n');
        if (newline < 0)
            break;
        const QByteArray line = m_stdoutBuffer.left(newline).trimmed();
        m_stdoutBuffer.remove(0, newline + 1);
        if (!line.startsWith(readyMarker))
            continue;
        const QUrl url(QString::fromUtf8(line.mid(readyMarker.size())), QUrl::StrictMode);
        if (!url.isValid() || url.host().isEmpty())
            return fail(tr("The embedded sandbox announced an invalid URL: %1").arg(QString::fromUtf8(line)));
        m_startTimer.stop();
        m_apiUrl = url;
        m_ready = true;
        m_stdoutBuffer.clear();
        Q_EMIT ready(url);
        return;
    }
    if (m_stdoutBuffer.size() > 64 * 1024)
        m_stdoutBuffer = m_stdoutBuffer.right(1024);
}

void SandboxLauncher::fail(const QString &message)
{
    m_startTimer.stop();
    const bool wasRunning = m_process != nullptr;
    stop();
    if (wasRunning || !message.isEmpty())
        Q_EMIT failed(message);
}

void SandboxLauncher::stop()
{
    m_startTimer.stop();
    m_ready = false;
    if (!m_process)
        return;
    m_stopping = true;
    QProcess *process = m_process;
    m_process.clear();
    process->disconnect(this);
    if (process->state() != QProcess::NotRunning && QCoreApplication::closingDown()) {
        // Destroyed with the application: no event loop is left for a grace timer, and the QProcess
        // destructor would SIGKILL the child. SIGTERM lets it save its state file and exit by itself;
        // the QProcess object is deliberately left to the process's end (it is about to exit).
        process->setParent(nullptr);
        process->terminate();
        return;
    }
    if (process->state() != QProcess::NotRunning) {
        // SIGTERM lets it save --state; SIGKILL after 3 s if it does not go, without blocking.
        // Parented to the application so it outlives this launcher but never the app (the
        // QProcess destructor kills a child that is still running at exit).
        process->setParent(QCoreApplication::instance());
        process->terminate();
        QTimer::singleShot(3000, process, [process] {
            if (process->state() != QProcess::NotRunning)
                process->kill();
        });
        connect(process, &QProcess::finished, process, &QObject::deleteLater);
    } else {
        process->deleteLater();
    }
}

} // namespace ApoloDeploy
