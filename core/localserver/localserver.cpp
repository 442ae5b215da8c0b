// SPDX-License-Identifier: GPL-3.0-or-later
#include "localserver/localserver.h"

#include "localserver/authroutes.h"

#include <QDir>
#include <QFile>
#include <QLoggingCategory>
#include <QRandomGenerator>
#include <QSaveFile>

Q_LOGGING_CATEGORY(lcLocalServer, "codalab.localserver", QtInfoMsg)

namespace codalab::localserver {

namespace {

QString randomPassword()
{
    static const char alphabet[] = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    QString password;
    for (int i = 0; i < 20; ++i) {
        password += QLatin1Char(alphabet[QRandomGenerator::system()->bounded(int(sizeof(alphabet) - 1))]);
    }
    return password;
}

bool writePrivateFile(const QString &path, const QByteArray &content, QString *error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        *error = QStringLiteral("Cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    file.write(content);
    if (!file.commit()) {
        *error = QStringLiteral("Cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

} // namespace

LocalServer::LocalServer(LocalServerConfig config, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
{
    if (m_config.dataDir.isEmpty()) {
        m_config.dataDir = LocalServerConfig::defaultDataDir();
    }
}

LocalServer::~LocalServer() = default;

QString LocalServer::passwordFile() const
{
    return QDir(m_config.dataDir).filePath(QStringLiteral("codalab-password"));
}

QString LocalServer::urlFile() const
{
    return QDir(m_config.dataDir).filePath(QStringLiteral("server-url"));
}

QString LocalServer::url() const
{
    return QStringLiteral("http://127.0.0.1:%1").arg(port());
}

bool LocalServer::start(QString *error)
{
    if (!m_store.open(m_config.dataDir, error)) {
        return false;
    }
    if (m_store.userCount() == 0) {
        const QString password = randomPassword();
        if (!m_store.createUser(QStringLiteral("codalab"), password, true, error)
            || !writePrivateFile(passwordFile(), "codalab\n" + password.toUtf8() + '\n', error)) {
            return false;
        }
        m_initialPassword = password;
    }
    const QString bundlesDir = QDir(m_config.dataDir).filePath(QStringLiteral("bundles"));
    const QString tmpDir = QDir(m_config.dataDir).filePath(QStringLiteral("tmp"));
    QDir().mkpath(bundlesDir);
    m_bundles = std::make_unique<BundleStore>(m_store);
    m_worksheets = std::make_unique<WorksheetStore>(m_store);
    m_recovery = StoreRecovery::run(*m_bundles, bundlesDir, tmpDir);
    for (const QString &line : m_recovery.lines()) {
        if (m_recovery.lostContents.isEmpty()) {
            qCInfo(lcLocalServer).noquote() << "Recovery:" << line;
        } else {
            qCWarning(lcLocalServer).noquote() << "Recovery:" << line;
        }
    }
    HttpLimits limits;
    limits.maxRequestBytes = m_config.maxRequestBytes;
    limits.maxUploadBytes = m_config.maxUploadBytes;
    limits.maxLargeBytes = m_config.maxReplyBytes;
    limits.tmpDir = tmpDir;
    m_http = new LocalHttpServer(m_store, limits, this);
    AuthRoutes::install(*m_http, m_store, m_config);
    m_quotas = std::make_unique<QuotaMeter>(*m_bundles, m_config);
    m_userJson = std::make_unique<UserJson>(*m_quotas);
    m_bundleJson = std::make_unique<BundleJson>(*m_bundles);
    m_bundleDocument
        = std::make_unique<BundleDocument>(*m_bundleJson, *m_bundles, m_store, *m_worksheets, *m_userJson);
    m_worksheetJson
        = std::make_unique<WorksheetJson>(m_store, *m_worksheets, *m_bundles, *m_bundleJson, *m_userJson);
    m_userRoutes = std::make_unique<UserRoutes>(m_store, *m_bundles, *m_quotas);
    m_userRoutes->install(*m_http);
    m_worksheetRoutes = std::make_unique<WorksheetRoutes>(*m_worksheets, *m_worksheetJson);
    m_worksheetRoutes->install(*m_http);
    m_interpreter = std::make_unique<WorksheetInterpreter>(*m_worksheets, *m_bundles, m_store, *m_bundleJson);
    m_interpretRoutes
        = std::make_unique<InterpretRoutes>(*m_worksheets, *m_bundles, *m_interpreter, bundlesDir);
    m_interpretRoutes->install(*m_http);
    m_bundleRoutes = std::make_unique<BundleRoutes>(
        m_store, *m_bundles, *m_worksheets, *m_bundleDocument, *m_quotas, bundlesDir);
    m_bundleRoutes->install(*m_http);
    m_bundleRemoval = std::make_unique<BundleRemoval>(*m_bundles, *m_worksheets, bundlesDir);
    m_bundleRemoval->install(*m_http);
    m_bundleActions = std::make_unique<BundleActions>(*m_bundles);
    m_bundleActions->install(*m_http);
    m_contentRoutes = std::make_unique<ContentRoutes>(*m_bundles, bundlesDir, tmpDir);
    m_contentRoutes->install(*m_http);
    m_uploads = new BundleUploads(m_store, *m_bundles, *m_quotas, bundlesDir, this);
    m_uploads->install(*m_http);
    m_workers = new WorkerHub(*m_bundles, m_config, bundlesDir, this);
    m_workers->install(*m_http);
    m_scheduler = new Scheduler(*m_bundles, *m_workers, m_config, bundlesDir, this);
    const auto schedule = [this] { m_scheduler->scheduleSoon(); };
    m_workers->onChanged = schedule;
    m_bundleRoutes->onChanged = schedule;
    m_bundleRemoval->onChanged = schedule;
    m_bundleActions->onChanged = schedule;
    m_uploads->onChanged = schedule;
    m_maker = new BundleMaker(*m_bundles, m_store, *m_quotas, bundlesDir, this);
    m_maker->onChanged = schedule;
    m_scheduler->maker = [this](const BundleRecord &b) { m_maker->make(b); };
    m_bundleActions->messenger = [this](const BundleRecord &bundle, const QJsonObject &message) {
        const WorkerState *worker = m_workers->workerOf(bundle);
        return worker && m_workers->send(worker->key(), message);
    };
    m_readProxy = std::make_unique<WorkerReadProxy>(*m_workers);
    m_contentRoutes->workerReader = [this](const BundleRecord &bundle, const QString &subpath, bool info,
                                        const HttpRequest &request, const HttpResponder &responder) {
        return m_readProxy->read(bundle, subpath, info, request, responder);
    };
    m_scheduler->scheduleSoon(); // bundles left staged or created by an earlier run
    if (!m_http->listenLocal(m_config.port, error)) {
        return false;
    }
    return writePrivateFile(urlFile(), url().toUtf8() + '\n', error);
}

bool LocalServer::setPassword(const QString &name, const QString &password, QString *error)
{
    if (password.isEmpty()) {
        *error = QStringLiteral("The password is empty");
        return false;
    }
    const auto user = m_store.userByName(name);
    if (!user) {
        *error = QStringLiteral("No user %1").arg(name);
        return false;
    }
    if (!m_store.setPassword(user->id, password, error)) {
        return false;
    }
    // The file holds the first user's login (worker --local and the desktop read it): keep it true.
    QFile file(passwordFile());
    if (file.open(QIODevice::ReadOnly) && QString::fromUtf8(file.readLine()).trimmed() == name) {
        file.close();
        return writePrivateFile(passwordFile(), name.toUtf8() + '\n' + password.toUtf8() + '\n', error);
    }
    return true;
}

QString LocalServer::addUser(const QString &name, QString *error)
{
    const QString password = randomPassword();
    return m_store.createUser(name, password, false, error) ? password : QString();
}

} // namespace codalab::localserver
