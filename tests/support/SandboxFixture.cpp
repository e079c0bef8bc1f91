// SPDX-License-Identifier: GPL-3.0-or-later
#include "SandboxFixture.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QPointer>
#include <QRandomGenerator>
#include <QTest>
#include <QUuid>

namespace ApoloDeploy::Test {

namespace {

constexpr int kStartTimeoutMs = 15000;
constexpr int kRequestTimeoutMs = 15000;

QByteArray base64Url(const QByteArray &bytes)
{
    return bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

// An unverifiable but well-formed JWT, so clients that read the user name from the token
// (as the SDK does) find SandboxFixture::userName.
QByteArray makeToken()
{
    const QByteArray header =
        QJsonDocument(QJsonObject{{"alg", "HS256"}, {"typ", "JWT"}}).toJson(QJsonDocument::Compact);
    const QJsonObject claims{{"https://platform.neuromation.io/user", QString::fromLatin1(SandboxFixture::userName)},
                             {"identity", QString::fromLatin1(SandboxFixture::userName)},
                             {"jti", QUuid::createUuid().toString(QUuid::WithoutBraces)}};
    QByteArray signature(32, Qt::Uninitialized);
    for (char &c : signature)
        c = char(QRandomGenerator::global()->bounded(256));
    return base64Url(header) + '.' + base64Url(QJsonDocument(claims).toJson(QJsonDocument::Compact)) + '.' +
           base64Url(signature);
}

QNetworkAccessManager &network()
{
    static QNetworkAccessManager *manager = new QNetworkAccessManager(QCoreApplication::instance());
    return *manager;
}

} // namespace

QByteArray SandboxFixture::Reply::header(const QByteArray &name) const
{
    for (const auto &[key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

QJsonObject SandboxFixture::Reply::json() const
{
    return QJsonDocument::fromJson(body).object();
}

SandboxFixture::SandboxFixture()
    : SandboxFixture(Options{})
{}

SandboxFixture::SandboxFixture(const Options &options)
    : m_options(options)
    , m_token(makeToken())
{}

SandboxFixture::~SandboxFixture()
{
    stop();
}

bool SandboxFixture::start()
{
    if (isRunning())
        return true;
    return launch();
}

bool SandboxFixture::restart()
{
    stop();
    return launch();
}

bool SandboxFixture::launch()
{
    m_error.clear();
    m_apiUrl.clear();
    m_output.clear();
    const QString binary = qEnvironmentVariable("ADC_SANDBOX_BIN");
    if (binary.isEmpty()) {
        m_error = QStringLiteral("ADC_SANDBOX_BIN is not set: register the test with adc_add_test(... SANDBOX)");
        return false;
    }
    QStringList arguments{QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--speed"),
                          QString::number(m_options.speed)};
    if (!m_options.faults.isEmpty())
        arguments << QStringLiteral("--faults") << m_options.faults;
    if (!m_options.statePath.isEmpty())
        arguments << QStringLiteral("--state") << m_options.statePath;
    arguments << m_options.extraArguments;

    m_process = new QProcess;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("APOLO_SANDBOX_TOKEN"), QString::fromLatin1(m_token)); // never in argv
    m_process->setProcessEnvironment(environment);
    m_process->setProcessChannelMode(QProcess::MergedChannels);
    QObject::connect(m_process, &QProcess::readyRead, m_process, [this] {
        m_output += m_process->readAll();
        if (!m_apiUrl.isEmpty())
            return;
        static const QByteArray marker = "apolo-sandbox ready ";
        const qsizetype at = m_output.indexOf(marker);
        const qsizetype end = at < 0 ? -1 : m_output.indexOf('\n', at);
        if (end > at)
            m_apiUrl = QUrl(QString::fromUtf8(m_output.mid(at + marker.size(), end - at - marker.size()).trimmed()));
    });
    m_process->start(binary, arguments);
    if (!QTest::qWaitFor([this] { return !m_apiUrl.isEmpty() || m_process->state() == QProcess::NotRunning; },
                         kStartTimeoutMs) ||
        m_apiUrl.isEmpty()) {
        m_error = QStringLiteral("apolo-sandbox did not become ready: %1 (output: %2)")
                      .arg(m_process->errorString(), QString::fromUtf8(m_output));
        stop();
        return false;
    }
    return true;
}

void SandboxFixture::stop()
{
    if (!m_process)
        return;
    if (m_process->state() != QProcess::NotRunning) {
        m_process->terminate();
        if (!QTest::qWaitFor([this] { return m_process->state() == QProcess::NotRunning; }, 5000)) {
            m_process->kill();
            m_process->waitForFinished(2000);
        }
    }
    m_output += m_process->readAll();
    delete m_process;
    m_process = nullptr;
}

bool SandboxFixture::isRunning() const
{
    return m_process && m_process->state() == QProcess::Running && !m_apiUrl.isEmpty();
}

QUrl SandboxFixture::baseUrl() const
{
    QUrl base = m_apiUrl;
    base.setPath(QString());
    return base;
}

QUrl SandboxFixture::url(const QString &pathBelowApi) const
{
    if (pathBelowApi.startsWith(QLatin1String("http")))
        return QUrl(pathBelowApi);
    QString path = pathBelowApi;
    if (!path.startsWith(u'/'))
        path.prepend(u'/');
    return QUrl(m_apiUrl.toString() + path);
}

SandboxFixture::Reply SandboxFixture::send(const QByteArray &method, const QString &path, const QByteArray &body,
                                           const QList<QPair<QByteArray, QByteArray>> &headers, bool withToken)
{
    QNetworkRequest request(url(path));
    // Tests see what the server answered, redirects included (the OAuth page answers 302).
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    if (withToken)
        request.setRawHeader("Authorization", "Bearer " + m_token);
    if (!body.isEmpty())
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    for (const auto &[name, value] : headers)
        request.setRawHeader(name, value);
    QPointer<QNetworkReply> reply = network().sendCustomRequest(request, method, body);
    Reply result;
    if (!QTest::qWaitFor([&] { return !reply || reply->isFinished(); }, kRequestTimeoutMs) || !reply) {
        if (reply)
            reply->abort();
        return result;
    }
    result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    result.body = reply->readAll();
    for (const auto &pair : reply->rawHeaderPairs())
        result.headers.append(pair);
    reply->deleteLater();
    return result;
}

SandboxFixture::Reply SandboxFixture::postJson(const QString &path, const QJsonObject &json)
{
    return send("POST", path, QJsonDocument(json).toJson(QJsonDocument::Compact));
}

SandboxFixture::Reply SandboxFixture::createJob(const QJsonObject &fields)
{
    QJsonObject payload{{"image", "busybox:latest"},
                        {"command", "sleep 3600"},
                        {"preset_name", "cpu-small"},
                        {"cluster_name", QString::fromLatin1(clusterName)},
                        {"org_name", QString::fromLatin1(orgName)},
                        {"project_name", QString::fromLatin1(projectName)}};
    for (auto it = fields.begin(); it != fields.end(); ++it) {
        if (it.value().isUndefined())
            payload.remove(it.key());
        else
            payload.insert(it.key(), it.value());
    }
    return postJson(QStringLiteral("jobs?from_preset"), payload);
}

QJsonObject SandboxFixture::waitForStatus(const QString &jobId, const QString &wanted, int timeoutMs)
{
    static const QStringList finished{QStringLiteral("succeeded"), QStringLiteral("failed"),
                                      QStringLiteral("cancelled")};
    QJsonObject job;
    const QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        job = get(QStringLiteral("jobs/") + jobId).json();
        const QString status = job.value(QLatin1String("status")).toString();
        if (status == wanted || finished.contains(status))
            return job;
        // Yield to the event loop a little between polls (not a condition wait: the condition is above).
        QTest::qWait(20);
    }
    return job;
}

bool SandboxFixture::control(const QJsonObject &changes)
{
    return postJson(baseUrl().toString() + QStringLiteral("/_sandbox/control"), changes).status == 200;
}

QJsonObject SandboxFixture::controlState()
{
    return get(baseUrl().toString() + QStringLiteral("/_sandbox/control")).json();
}

bool SandboxFixture::setBalance(const QString &credits)
{
    return control({{"balance", credits.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(credits)}});
}

bool SandboxFixture::setJobsQuota(int maxRunningJobs)
{
    return control(
        {{"max_running_jobs", maxRunningJobs < 0 ? QJsonValue(QJsonValue::Null) : QJsonValue(maxRunningJobs)}});
}

bool SandboxFixture::setFaults(const QString &spec)
{
    return control({{"faults", spec}});
}

bool SandboxFixture::setSpeed(double simulatedSecondsPerSecond)
{
    return control({{"speed", simulatedSecondsPerSecond}});
}

bool SandboxFixture::setTokenExpirySeconds(int seconds)
{
    return control({{"token_expiry_seconds", seconds}});
}

} // namespace ApoloDeploy::Test
