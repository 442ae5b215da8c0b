// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/codalabclient.h"

#include "server/runsubmission.h"
#include "server/serverconnection.h"

#include <QJsonArray>
#include <QJsonObject>

namespace codalab::server {

namespace {
QString encodePath(const QString &path)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(path, "/"));
}
} // namespace

CodaLabClient::CodaLabClient(ServerConnection *connection, QObject *parent)
    : QObject(parent)
    , m_connection(connection)
{ }

ApiJob *CodaLabClient::currentUser()
{
    return m_connection->getJson(QStringLiteral("/user"));
}

ApiJob *CodaLabClient::worksheet(const QString &spec)
{
    QUrlQuery q;
    q.addQueryItem(QStringLiteral("specs"), QString::fromLatin1(QUrl::toPercentEncoding(spec)));
    return m_connection->getJson(QStringLiteral("/worksheets"), q);
}

ApiJob *CodaLabClient::resolveBundles(const QStringList &specs, const QString &worksheetUuid)
{
    QUrlQuery q;
    if (!worksheetUuid.isEmpty()) {
        q.addQueryItem(QStringLiteral("worksheet"), worksheetUuid);
    }
    for (const QString &spec : specs) {
        q.addQueryItem(QStringLiteral("specs"), QString::fromLatin1(QUrl::toPercentEncoding(spec)));
    }
    return m_connection->getJson(QStringLiteral("/bundles"), q);
}

ApiJob *CodaLabClient::bundle(const QString &uuid)
{
    return m_connection->getJson(QStringLiteral("/bundles/") + uuid);
}

ApiJob *CodaLabClient::search(const QStringList &keywords)
{
    QUrlQuery q;
    for (const QString &k : keywords) {
        q.addQueryItem(QStringLiteral("keywords"), QString::fromLatin1(QUrl::toPercentEncoding(k)));
    }
    return m_connection->getJson(QStringLiteral("/bundles"), q);
}

ApiJob *CodaLabClient::createRun(const RunRequest &request, const QString &worksheetUuid)
{
    QUrlQuery q;
    q.addQueryItem(QStringLiteral("worksheet"), worksheetUuid);
    return m_connection->sendJson("POST", QStringLiteral("/bundles"), request.toCreateBody(), q);
}

RunSubmission *CodaLabClient::submitRun(const RunRequest &request)
{
    auto *submission = new RunSubmission(this, request, this);
    submission->start();
    return submission;
}

ApiJob *CodaLabClient::contentsInfo(const QString &uuid, const QString &path, int depth)
{
    QUrlQuery q;
    q.addQueryItem(QStringLiteral("depth"), QString::number(depth));
    return m_connection->getJson(
        QStringLiteral("/bundles/%1/contents/info/%2").arg(uuid, encodePath(path)), q);
}

ApiJob *CodaLabClient::readRange(const QString &uuid, const QString &path, qint64 offset, qint64 length)
{
    ApiCall call;
    call.path = QStringLiteral("/bundles/%1/contents/blob/%2").arg(uuid, encodePath(path));
    call.headers.append({ "Range",
        "bytes=" + QByteArray::number(offset) + '-'
            + QByteArray::number(offset + qMax<qint64>(length, 1) - 1) });
    return m_connection->send(std::move(call));
}

ApiJob *CodaLabClient::tail(const QString &uuid, const QString &path, int lines, int maxLineLength)
{
    QUrlQuery q;
    q.addQueryItem(QStringLiteral("tail"), QString::number(lines));
    q.addQueryItem(QStringLiteral("max_line_length"), QString::number(maxLineLength));
    return m_connection->getJson(
        QStringLiteral("/bundles/%1/contents/blob/%2").arg(uuid, encodePath(path)), q);
}

ApiJob *CodaLabClient::kill(const QString &uuid)
{
    return m_connection->sendJson("POST", QStringLiteral("/bundle-actions"),
        QJsonObject { { QStringLiteral("data"),
            QJsonArray { QJsonObject { { QStringLiteral("type"), QStringLiteral("bundle-actions") },
                { QStringLiteral("attributes"),
                    QJsonObject { { QStringLiteral("type"), QStringLiteral("kill") },
                        { QStringLiteral("uuid"), uuid } } } } } } });
}

ApiJob *CodaLabClient::user(const QString &id)
{
    return m_connection->getJson(
        QStringLiteral("/users/") + QString::fromLatin1(QUrl::toPercentEncoding(id)));
}

ApiJob *CodaLabClient::workersInfo()
{
    return m_connection->getJson(QStringLiteral("/workers/info"));
}

ApiJob *CodaLabClient::worksheetItems(const QString &uuid)
{
    QUrlQuery q;
    q.addQueryItem(QStringLiteral("include"), QStringLiteral("owner,items,items.bundle,items.bundle.owner"));
    return m_connection->getJson(QStringLiteral("/worksheets/") + uuid, q);
}

ApiJob *CodaLabClient::worksheets(const QStringList &keywords, int limit)
{
    QUrlQuery q;
    for (const QString &k : keywords) {
        q.addQueryItem(QStringLiteral("keywords"), QString::fromLatin1(QUrl::toPercentEncoding(k)));
    }
    q.addQueryItem(QStringLiteral("keywords"), QStringLiteral(".limit=%1").arg(limit));
    return m_connection->getJson(QStringLiteral("/worksheets"), q);
}

ApiJob *CodaLabClient::createWorksheet(const QString &name)
{
    return m_connection->sendJson("POST", QStringLiteral("/worksheets"),
        QJsonObject { { QStringLiteral("data"),
            QJsonArray { QJsonObject { { QStringLiteral("type"), QStringLiteral("worksheets") },
                { QStringLiteral("attributes"), QJsonObject { { QStringLiteral("name"), name } } } } } } });
}

ApiJob *CodaLabClient::editBundle(const QString &uuid, const QJsonObject &metadata)
{
    return m_connection->sendJson("PATCH", QStringLiteral("/bundles"),
        QJsonObject { { QStringLiteral("data"),
            QJsonArray { QJsonObject { { QStringLiteral("type"), QStringLiteral("bundles") },
                { QStringLiteral("id"), uuid },
                { QStringLiteral("attributes"),
                    QJsonObject { { QStringLiteral("metadata"), metadata } } } } } } });
}

ApiJob *CodaLabClient::deleteBundles(const QStringList &uuids, bool force, bool recursive)
{
    QJsonArray data;
    for (const QString &uuid : uuids) {
        data.append(QJsonObject {
            { QStringLiteral("id"), uuid }, { QStringLiteral("type"), QStringLiteral("bundles") } });
    }
    QUrlQuery q;
    q.addQueryItem(QStringLiteral("force"), force ? QStringLiteral("1") : QStringLiteral("0"));
    q.addQueryItem(QStringLiteral("recursive"), recursive ? QStringLiteral("1") : QStringLiteral("0"));
    return m_connection->sendJson(
        "DELETE", QStringLiteral("/bundles"), QJsonObject { { QStringLiteral("data"), data } }, q);
}

} // namespace codalab::server
