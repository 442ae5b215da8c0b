// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/workerapi.h"

#include "server/contentsdownload.h"
#include "server/serverconnection.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace codalab::server {

WorkerApi::WorkerApi(ServerConnection *connection, QString workerId, QObject *parent)
    : QObject(parent)
    , m_connection(connection)
    , m_workerId(std::move(workerId))
    , m_path(QStringLiteral("/workers/") + QString::fromLatin1(QUrl::toPercentEncoding(m_workerId)))
{ }

ApiJob *WorkerApi::checkin(const QJsonObject &body)
{
    ApiCall call;
    call.method = "POST";
    call.path = m_path + QStringLiteral("/checkin");
    call.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
    call.contentType = "application/json";
    call.timeoutMs = CheckinTimeoutMs;
    call.maxAttempts = 1;
    return m_connection->send(std::move(call));
}

ApiJob *WorkerApi::startBundle(const QString &uuid, const QString &hostname, qint64 startTime)
{
    return m_connection->sendJson("POST", m_path + QStringLiteral("/start_bundle/") + uuid,
        QJsonObject {
            { QStringLiteral("hostname"), hostname }, { QStringLiteral("start_time"), startTime } });
}

ApiJob *WorkerApi::reply(int socketId, const QJsonObject &message)
{
    return m_connection->sendJson("POST", m_path + QStringLiteral("/reply/%1").arg(socketId), message);
}

namespace {
/// reply_data: the header as a query parameter (upstream's worker always sends {}), the bytes as the body.
ApiCall replyDataCall(const QString &workerPath, int socketId, const QJsonObject &header)
{
    ApiCall call;
    call.method = "POST";
    call.path = workerPath + QStringLiteral("/reply_data/%1").arg(socketId);
    call.query.addQueryItem(QStringLiteral("header_message"),
        QString::fromLatin1(QUrl::toPercentEncoding(
            QString::fromUtf8(QJsonDocument(header).toJson(QJsonDocument::Compact)))));
    call.contentType = "application/octet-stream";
    return call;
}
} // namespace

ApiJob *WorkerApi::replyData(int socketId, const QByteArray &data, const QJsonObject &header)
{
    ApiCall call = replyDataCall(m_path, socketId, header);
    call.body = data;
    return m_connection->send(std::move(call));
}

ApiJob *WorkerApi::replyDataFile(int socketId, const QString &path, const QJsonObject &header)
{
    ApiCall call = replyDataCall(m_path, socketId, header);
    call.bodyFile = path;
    call.timeoutMs = 300000; // Qt's transfer timeout counts a stall, not the whole transfer
    return m_connection->send(std::move(call));
}

ContentsDownload *WorkerApi::downloadDependency(
    const QString &uuid, const QString &path, const QString &target, const util::ArchiveLimits &limits)
{
    auto *download = new ContentsDownload(m_connection, uuid, path, target, limits, this);
    download->start();
    return download;
}

ApiJob *WorkerApi::uploadResults(const QString &uuid, const QString &archivePath, const QString &store)
{
    ApiCall call;
    call.method = "PUT";
    call.path = QStringLiteral("/bundles/%1/contents/blob/").arg(uuid);
    call.query.addQueryItem(QStringLiteral("filename"), QStringLiteral("bundle.tar.gz"));
    call.query.addQueryItem(QStringLiteral("finalize_on_success"), QStringLiteral("0"));
    call.query.addQueryItem(QStringLiteral("store"), store);
    call.bodyFile = archivePath;
    call.contentType = "application/octet-stream";
    call.timeoutMs = 300000; // Qt's transfer timeout counts a stall, not the whole upload
    return m_connection->send(std::move(call));
}

} // namespace codalab::server
