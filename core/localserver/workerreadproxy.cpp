// SPDX-License-Identifier: GPL-3.0-or-later
#include "localserver/workerreadproxy.h"

#include "localserver/jsonapi.h"
#include "localserver/workerhub.h"
#include "server/bundlestate.h"
#include "util/gzipcodec.h"

#include <QRegularExpression>

namespace codalab::localserver {

using server::BundleState;

namespace {

constexpr qint64 MaxReplyBytes = qint64(2) << 30;

/// A worker's error reply ({"error_code", "error_message"}) as an HTTP answer, or nullopt when it is none.
std::optional<HttpResponse> errorOf(const QJsonObject &reply)
{
    if (!reply.contains(QLatin1String("error_code"))) {
        return std::nullopt;
    }
    return HttpResponse::error(reply.value(QLatin1String("error_code")).toInt(500),
        reply.value(QLatin1String("error_message")).toString());
}

} // namespace

void WorkerReadProxy::sendRead(const QString &workerKey, const BundleRecord &bundle, const QString &subpath,
    const QJsonObject &readArgs, std::function<void(const QJsonObject &, const QByteArray &, bool)> onReply)
{
    const int socket = m_workers.openSocket(std::move(onReply));
    m_workers.send(workerKey,
        QJsonObject { { QStringLiteral("type"), QStringLiteral("read") },
            { QStringLiteral("socket_id"), socket }, { QStringLiteral("uuid"), bundle.uuid },
            { QStringLiteral("path"), subpath }, { QStringLiteral("read_args"), readArgs } });
}

bool WorkerReadProxy::read(const BundleRecord &bundle, const QString &subpath, bool info,
    const HttpRequest &request, const HttpResponder &responder)
{
    if (bundle.state != BundleState::Running) {
        return false;
    }
    const WorkerState *worker = m_workers.workerOf(bundle);
    if (!worker || worker->sharedFileSystem) {
        return false;
    }
    const QString key = worker->key();
    if (info) {
        const QString depth = request.queryValue(QStringLiteral("depth"));
        sendRead(key, bundle, subpath,
            QJsonObject { { QStringLiteral("type"), QStringLiteral("get_target_info") },
                { QStringLiteral("depth"), depth.isEmpty() ? 1 : depth.toInt() } },
            [responder, uuid = bundle.uuid, subpath](const QJsonObject &reply, const QByteArray &, bool) {
                if (const auto error = errorOf(reply)) {
                    responder.send(*error);
                    return;
                }
                QJsonObject target = reply.value(QLatin1String("target_info")).toObject();
                target.insert(QStringLiteral("resolved_target"),
                    QJsonObject {
                        { QStringLiteral("bundle_uuid"), uuid }, { QStringLiteral("subpath"), subpath } });
                responder.send(JsonApi::document(target));
            });
        return true;
    }
    // A blob: ask what the target is, then read it the way its type needs.
    sendRead(key, bundle, subpath,
        QJsonObject {
            { QStringLiteral("type"), QStringLiteral("get_target_info") }, { QStringLiteral("depth"), 0 } },
        [this, key, bundle, subpath, request, responder](const QJsonObject &reply, const QByteArray &, bool) {
            if (const auto error = errorOf(reply)) {
                responder.send(*error);
                return;
            }
            readBlob(key, bundle, subpath, request, responder,
                reply.value(QLatin1String("target_info")).toObject().value(QLatin1String("type")).toString());
        });
    return true;
}

void WorkerReadProxy::readBlob(const QString &workerKey, const BundleRecord &bundle, const QString &subpath,
    const HttpRequest &request, const HttpResponder &responder, const QString &type)
{
    QJsonObject args;
    const QByteArray range = request.header("range");
    static const QRegularExpression rangePattern(QStringLiteral("^bytes=(\\d+)-(\\d*)$"));
    const QRegularExpressionMatch m = rangePattern.match(QString::fromLatin1(range));
    if (type == QLatin1String("directory")) {
        args.insert(QStringLiteral("type"), QStringLiteral("stream_directory"));
    } else if (type == QLatin1String("link")) {
        responder.send(HttpResponse::error(
            403, QStringLiteral("%1 is a symbolic link; it cannot be downloaded").arg(subpath)));
        return;
    } else if (!request.queryValue(QStringLiteral("head")).isEmpty()
        || !request.queryValue(QStringLiteral("tail")).isEmpty()) {
        const QString maxLine = request.queryValue(QStringLiteral("max_line_length"));
        QString truncation = request.queryValue(QStringLiteral("truncation_text"));
        args = QJsonObject { { QStringLiteral("type"), QStringLiteral("summarize_file") },
            { QStringLiteral("num_head_lines"), request.queryValue(QStringLiteral("head")).toInt() },
            { QStringLiteral("num_tail_lines"), request.queryValue(QStringLiteral("tail")).toInt() },
            { QStringLiteral("max_line_length"), maxLine.isEmpty() ? 128 : maxLine.toInt() },
            { QStringLiteral("truncation_text"),
                truncation.isEmpty() ? QStringLiteral("\n... [truncated] ...\n\n") : truncation } };
    } else if (m.hasMatch()) {
        const qint64 offset = m.captured(1).toLongLong();
        const qint64 length
            = m.captured(2).isEmpty() ? MaxReplyBytes : m.captured(2).toLongLong() - offset + 1;
        args = QJsonObject { { QStringLiteral("type"), QStringLiteral("read_file_section") },
            { QStringLiteral("offset"), offset }, { QStringLiteral("length"), qMax<qint64>(0, length) } };
    } else {
        args.insert(QStringLiteral("type"), QStringLiteral("stream_file"));
    }
    const bool directory = type == QLatin1String("directory");
    const bool wantsGzip = request.header("accept-encoding").contains("gzip");
    sendRead(workerKey, bundle, subpath, args,
        [responder, directory, wantsGzip, subpath](
            const QJsonObject &reply, const QByteArray &data, bool isData) {
            if (!isData) {
                responder.send(errorOf(reply).value_or(
                    HttpResponse::error(500, QStringLiteral("The worker answered without data"))));
                return;
            }
            const QByteArray name
                = (subpath.isEmpty() ? QStringLiteral("contents") : subpath.section(QLatin1Char('/'), -1))
                      .toUtf8();
            if (directory) {
                HttpResponse r = HttpResponse::bytes(data, "application/gzip");
                r.withHeader("Target-Type", "directory").withHeader("Content-Encoding", "identity");
                r.withHeader("Content-Disposition", "attachment; filename=\"" + name + ".tar.gz\"");
                responder.send(r);
                return;
            }
            // The worker always gzips file data; pass it on as is when the user takes gzip.
            HttpResponse r = HttpResponse::bytes(data, "text/plain");
            r.withHeader("Target-Type", "file")
                .withHeader("Content-Disposition", "inline; filename=\"" + name + '"');
            if (wantsGzip) {
                r.withHeader("Content-Encoding", "gzip");
            } else {
                const auto plain = util::GzipCodec::decompress(data, MaxReplyBytes);
                if (!plain) {
                    responder.send(
                        HttpResponse::error(500, QStringLiteral("The worker sent data that is not gzip")));
                    return;
                }
                r.body = *plain;
                r.withHeader("Content-Encoding", "identity");
            }
            responder.send(r);
        });
}

} // namespace codalab::localserver
