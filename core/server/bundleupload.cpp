// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/bundleupload.h"

#include "server/apijob.h"
#include "server/bundletype.h"
#include "server/chunkedput.h"
#include "server/metadatakey.h"
#include "server/serverconnection.h"
#include "server/tokenmanager.h"
#include "util/boundedpipe.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QThreadPool>

namespace codalab::server {

BundleUpload::BundleUpload(ServerConnection *connection, UploadRequest request, QObject *parent)
    : QObject(parent)
    , m_connection(connection)
    , m_request(std::move(request))
    , m_link(std::make_shared<util::TaskLink>(this))
{
    m_ticker.setInterval(200);
    connect(&m_ticker, &QTimer::timeout, this, [this] {
        Q_EMIT progress(m_read.load(), m_total);
        // Every byte of the files is read: what is left is the server unpacking them.
        if (m_stage == Stage::Sending && m_read.load() >= m_total && m_total > 0) {
            setStage(Stage::Unpacking);
        }
    });
}

BundleUpload::~BundleUpload()
{
    m_link->detach();
    stopThreads();
}

void BundleUpload::stopThreads()
{
    if (m_pipe) {
        m_pipe->abort(QStringLiteral("Cancelled"));
    }
    if (m_producer.joinable()) {
        m_producer.join();
    }
    if (m_transfer.joinable()) {
        m_transfer.join();
    }
}

void BundleUpload::setStage(Stage stage)
{
    if (m_stage != stage) {
        m_stage = stage;
        Q_EMIT stageChanged(stage);
    }
}

void BundleUpload::start()
{
    setStage(Stage::Preparing);
    Q_EMIT stageChanged(Stage::Preparing);
    // Counting a big folder's bytes reads every directory: not on the caller's thread.
    QThreadPool::globalInstance()->start(
        [paths = m_request.paths, pack = m_request.pack, link = m_link, self = this] {
            QString error;
            auto source = UploadSource::inspect(paths, pack, &error);
            link->post([self, source, error] {
                if (!source) {
                    self->finish({ false, false, {}, error });
                    return;
                }
                self->m_source = source;
                self->m_total = source->totalBytes();
                self->create();
            });
        });
}

void BundleUpload::create()
{
    if (m_cancelled) {
        finish({ false, true, {}, QStringLiteral("Cancelled") });
        return;
    }
    setStage(Stage::Creating);
    const QString name = m_request.name.isEmpty() ? m_source->defaultName() : m_request.name;
    // Every key of a dataset, as `cl upload` sends them.
    const QJsonObject metadata { { MetadataKey::Name, name },
        { MetadataKey::Description, m_request.description },
        { MetadataKey::Tags, QJsonArray::fromStringList(m_request.tags) },
        { MetadataKey::License, QString() }, { MetadataKey::SourceUrl, QString() },
        { MetadataKey::LinkUrl, QString() }, { MetadataKey::LinkFormat, QString() },
        { MetadataKey::Store, QString() } };
    const QJsonObject body { { QStringLiteral("data"),
        QJsonArray { QJsonObject { { QStringLiteral("type"), QStringLiteral("bundles") },
            { QStringLiteral("attributes"),
                QJsonObject { { QStringLiteral("bundle_type"), BundleType::Dataset },
                    { QStringLiteral("metadata"), metadata } } } } } } };
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("worksheet"), m_request.worksheetUuid);
    query.addQueryItem(QStringLiteral("wait_for_upload"), QStringLiteral("1"));
    ApiJob *job = m_connection->sendJson("POST", QStringLiteral("/bundles"), body, query);
    connect(job, &ApiJob::finished, this, [this](const ApiResult &r) {
        if (!r.ok()) {
            finish({ false, false, {}, r.error.message });
            return;
        }
        const QJsonValue data = r.json.object().value(QLatin1String("data"));
        m_bundleUuid = (data.isArray() ? data.toArray().first() : data)
                           .toObject()
                           .value(QLatin1String("id"))
                           .toString();
        if (m_cancelled) {
            finish({ false, true, m_bundleUuid, QStringLiteral("Cancelled") });
            return;
        }
        TokenManager *tokens = m_connection->tokenManager();
        if (!tokens) {
            send({});
            return;
        }
        tokens->withToken(this, [this](const QString &token, const ApiError &error) {
            if (error) {
                finish({ false, false, m_bundleUuid, error.message });
            } else {
                send(token);
            }
        });
    });
}

void BundleUpload::send(const QString &token)
{
    setStage(Stage::Sending);
    QUrlQuery query;
    query.addQueryItem(
        QStringLiteral("filename"), QString::fromLatin1(QUrl::toPercentEncoding(m_source->filename())));
    query.addQueryItem(
        QStringLiteral("unpack"), m_source->unpack() ? QStringLiteral("1") : QStringLiteral("0"));
    query.addQueryItem(QStringLiteral("state_on_success"), QStringLiteral("ready"));
    query.addQueryItem(QStringLiteral("finalize_on_success"), QStringLiteral("1"));
    query.addQueryItem(QStringLiteral("finalize_on_failure"), QStringLiteral("1"));
    const QNetworkRequest prepared = m_connection->prepareRequest(
        QStringLiteral("/bundles/%1/contents/blob/").arg(m_bundleUuid), query, 0);
    QList<QPair<QByteArray, QByteArray>> headers;
    for (const QByteArray &name : prepared.rawHeaderList()) {
        headers.append({ name, prepared.rawHeader(name) });
    }
    if (!prepared.hasRawHeader("User-Agent")) {
        headers.append({ "User-Agent", prepared.header(QNetworkRequest::UserAgentHeader).toByteArray() });
    }
    if (!token.isEmpty()) {
        headers.append({ "Authorization", "Bearer " + token.toLatin1() });
    }
    const QString host = m_connection->serverUrl().host();
    if (host == QLatin1String("127.0.0.1") || host == QLatin1String("localhost")
        || host == QLatin1String("::1")) {
        m_source->setCompressionLevel(1);
    }
    m_pipe = std::make_shared<util::BoundedPipe>();
    m_ticker.start();
    // The packer fills the pipe while the network empties it: neither waits for the whole.
    m_producer = std::thread([pipe = m_pipe, source = *m_source, read = &m_read, cancelled = &m_cancelled] {
        auto out = pipe->writer();
        QString error;
        const bool ok = source.write(
            out.get(),
            [read, cancelled](qint64 n) {
                read->fetch_add(n);
                return !cancelled->load();
            },
            &error);
        if (ok) {
            pipe->closeWrite();
        } else {
            pipe->abort(cancelled->load() ? QStringLiteral("Cancelled") : error);
        }
    });
    m_transfer = std::thread(
        [url = prepared.url(), headers, pipe = m_pipe, sent = &m_sent, link = m_link, self = this] {
            const ChunkedPut::Result result = ChunkedPut::run(url, headers, *pipe, sent);
            // Whatever the answer, the packer has no reader any more.
            pipe->abort(result.error.isEmpty() ? QStringLiteral("The server answered") : result.error);
            link->post([self, result] { self->onSent(result.status, result.body, result.error); });
        });
}

void BundleUpload::onSent(int status, const QByteArray &body, const QString &error)
{
    m_ticker.stop();
    stopThreads();
    Q_EMIT progress(m_read.load(), m_total);
    if (m_cancelled) {
        finish({ false, true, m_bundleUuid, QStringLiteral("Cancelled") });
    } else if (status == 200) {
        finish({ true, false, m_bundleUuid, {} });
    } else if (status == 0) {
        finish({ false, false, m_bundleUuid,
            QStringLiteral("The upload stopped: %1")
                .arg(error.isEmpty() ? QStringLiteral("no answer") : error) });
    } else {
        const QString words = QString::fromUtf8(body).trimmed();
        finish({ false, false, m_bundleUuid,
            words.isEmpty() ? QStringLiteral("The server refused the upload (HTTP %1)").arg(status)
                            : words });
    }
}

void BundleUpload::cancel()
{
    if (m_done) {
        return;
    }
    m_cancelled = true;
    if (m_pipe) {
        m_pipe->abort(QStringLiteral("Cancelled")); // wakes both threads; onSent() then finishes
    }
}

void BundleUpload::finish(UploadResult result)
{
    if (m_done) {
        return;
    }
    m_done = true;
    m_ticker.stop();
    if (!result.ok && !m_bundleUuid.isEmpty()) {
        // A half-made bundle is of no use to anyone: it goes, whatever stopped the upload.
        const QJsonObject body { { QStringLiteral("data"),
            QJsonArray { QJsonObject { { QStringLiteral("id"), m_bundleUuid },
                { QStringLiteral("type"), QStringLiteral("bundles") } } } } };
        QUrlQuery query;
        query.addQueryItem(QStringLiteral("force"), QStringLiteral("1"));
        m_connection->sendJson("DELETE", QStringLiteral("/bundles"), body, query);
    }
    Q_EMIT finished(result);
    deleteLater();
}

} // namespace codalab::server
