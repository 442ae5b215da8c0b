// SPDX-License-Identifier: GPL-3.0-or-later
#include "localserver/contentroutes.h"

#include "localserver/jsonapi.h"
#include "localserver/localhttpserver.h"
#include "server/bundlestate.h"
#include "util/gzipcodec.h"
#include "util/safearchive.h"
#include "util/targetinfo.h"
#include "util/targzwriter.h"

#include <QBuffer>
#include <QDir>
#include <QRegularExpression>
#include <QTemporaryFile>
#include <QThreadPool>

namespace codalab::localserver {

using server::BundleState;

namespace {

constexpr qint64 MaxInMemoryGzip = 64 * 1024 * 1024;

/// Head and tail lines as upstream's summarize_file: long lines cut, the gap marked.
QByteArray summarize(QFile &file, int head, int tail, int maxLineLength, const QByteArray &truncation)
{
    QList<QByteArray> lines;
    while (!file.atEnd()) {
        lines.append(file.readLine());
    }
    const auto cut = [maxLineLength](QByteArray line) {
        const bool newline = line.endsWith('\n');
        if (newline) {
            line.chop(1);
        }
        if (maxLineLength > 0 && line.size() > maxLineLength) {
            line = line.left(maxLineLength) + " ...";
        }
        return newline ? line + '\n' : line;
    };
    QByteArray out;
    if (head + tail >= lines.size()) {
        for (const QByteArray &l : std::as_const(lines)) {
            out += cut(l);
        }
        return out;
    }
    for (int i = 0; i < head; ++i) {
        out += cut(lines.at(i));
    }
    if (head > 0 && tail > 0) {
        out += truncation;
    }
    for (qsizetype i = lines.size() - tail; i < lines.size(); ++i) {
        out += cut(lines.at(i));
    }
    return out;
}

} // namespace

ContentRoutes::ContentRoutes(BundleStore &bundles, QString bundlesDir, QString tmpDir)
    : m_link(std::make_shared<util::TaskLink>(this))
    , m_bundles(bundles)
    , m_bundlesDir(std::move(bundlesDir))
    , m_tmpDir(std::move(tmpDir))
{ }

std::optional<BundleRecord> ContentRoutes::findBundle(
    const HttpRequest &request, const HttpResponder &responder) const
{
    auto bundle = m_bundles.get(request.captures.value(0));
    if (!bundle) {
        responder.send(HttpResponse::error(
            404, QStringLiteral("Not found: '/bundles/%1'").arg(request.captures.value(0))));
    }
    return bundle;
}

std::optional<ContentRoutes::Target> ContentRoutes::localTarget(const BundleRecord &bundle,
    const QString &subpath, bool info, const HttpRequest &request, const HttpResponder &responder) const
{
    if (workerReader && workerReader(bundle, subpath, info, request, responder)) {
        return std::nullopt; // its worker answers
    }
    QString error;
    auto target = resolve(bundle, subpath, &error);
    if (!target) {
        responder.send(HttpResponse::error(404, error));
    }
    return target;
}

QString ContentRoutes::bundlePath(const QString &uuid) const
{
    return QDir(m_bundlesDir).filePath(uuid);
}

void ContentRoutes::install(LocalHttpServer &http)
{
    using A = LocalHttpServer::Auth;
    const QString base = QStringLiteral("/rest/bundles/(0x[0-9a-f]{32})/contents/");
    http.addRoute("GET", base + QStringLiteral("info(/.*)?"), A::Required,
        [this](HttpRequest &r, const HttpResponder &s) { info(r, s); });
    http.addRoute("GET", base + QStringLiteral("blob(/.*)?"), A::Required,
        [this](HttpRequest &r, const HttpResponder &s) { blob(r, s); });
}

std::optional<ContentRoutes::Target> ContentRoutes::resolve(
    const BundleRecord &bundle, const QString &subpath, QString *error) const
{
    const QStringList parts = subpath.split(QLatin1Char('/'), Qt::SkipEmptyParts);
    if (parts.contains(QLatin1String("..")) || parts.contains(QLatin1String("."))) {
        *error = QStringLiteral("%1/%2 is not inside the bundle.").arg(bundle.uuid, subpath);
        return std::nullopt;
    }
    const QString clean = parts.join(QLatin1Char('/'));
    const QString root = bundlePath(bundle.uuid);
    const QString path = clean.isEmpty() ? root : root + QLatin1Char('/') + clean;
    const QFileInfo info(path);
    // A path that is not in the bundle but under a dependency key is read from the parent bundle (upstream's
    // get_target_info): the bundle's own files first, so a finished make names itself, not its parent.
    const bool own = info.exists() || info.isSymLink();
    for (const DependencyRecord &d : own ? QList<DependencyRecord>() : bundle.dependencies) {
        if (clean == d.childPath || clean.startsWith(d.childPath + QLatin1Char('/'))) {
            const auto parent = m_bundles.get(d.parentUuid);
            if (!parent) {
                break;
            }
            const QString rest = clean.mid(d.childPath.size() + 1);
            QStringList inParent { d.parentPath };
            inParent << rest;
            inParent.removeAll(QString());
            return resolve(*parent, inParent.join(QLatin1Char('/')), error);
        }
    }
    // Refuse what a symlink inside the bundle would reach outside of it.
    const QString canonicalRoot = QFileInfo(root).canonicalFilePath();
    const QString canonicalDir = QFileInfo(info.absolutePath()).canonicalFilePath();
    if (!canonicalRoot.isEmpty() && !clean.isEmpty() && !canonicalDir.isEmpty()
        && canonicalDir != canonicalRoot && !canonicalDir.startsWith(canonicalRoot + QLatin1Char('/'))) {
        *error = QStringLiteral("%1/%2 is not inside the bundle.").arg(bundle.uuid, subpath);
        return std::nullopt;
    }
    if (!info.exists() && !info.isSymLink()) {
        *error = QStringLiteral("Path '%1' in bundle %2 not found").arg(clean, bundle.uuid);
        return std::nullopt;
    }
    return Target { bundle.uuid, clean, path };
}

void ContentRoutes::info(HttpRequest &request, const HttpResponder &responder)
{
    auto bundle = findBundle(request, responder);
    if (!bundle) {
        return;
    }
    const QString subpath = request.captures.value(1).mid(1);
    if (bundle->state == BundleState::Preparing || bundle->state == BundleState::Starting) {
        responder.send(HttpResponse::error(
            404, QStringLiteral("Bundle %1 hasn't started running yet").arg(bundle->uuid)));
        return;
    }
    const auto target = localTarget(*bundle, subpath, true, request, responder);
    if (!target) {
        return;
    }
    const int depth = request.queryValue(QStringLiteral("depth")).isEmpty()
        ? 1
        : request.queryValue(QStringLiteral("depth")).toInt();
    const QString name = target->name();
    auto found = util::TargetInfo::of(target->fsPath, name, qBound(0, depth, 20));
    if (!found) {
        responder.send(HttpResponse::error(404,
            QStringLiteral("Path '%1' in bundle %2 not found").arg(target->subpath, target->bundleUuid)));
        return;
    }
    QJsonObject info = *found;
    info.insert(QStringLiteral("resolved_target"),
        QJsonObject { { QStringLiteral("bundle_uuid"), target->bundleUuid },
            { QStringLiteral("subpath"), target->subpath } });
    responder.send(JsonApi::document(info));
}

void ContentRoutes::blob(HttpRequest &request, const HttpResponder &responder)
{
    auto bundle = findBundle(request, responder);
    if (!bundle) {
        return;
    }
    const QString subpath = request.captures.value(1).mid(1);
    const auto target = localTarget(*bundle, subpath, false, request, responder);
    if (!target) {
        return;
    }
    const QFileInfo file(target->fsPath);
    const QString name = target->name();
    if (file.isSymLink()) {
        responder.send(HttpResponse::error(
            403, QStringLiteral("%1 is a symbolic link; it cannot be downloaded").arg(target->subpath)));
        return;
    }
    const bool gzip = request.header("accept-encoding").contains("gzip");
    if (file.isDir()) {
        // Directories always go out as .tar.gz, written to a temporary file on a pool thread (the server
        // answers others meanwhile) and streamed from it.
        const QString archivePath = m_tmpDir.isEmpty()
            ? QDir::temp().filePath(QStringLiteral("codalab-XXXXXX.tar.gz"))
            : QDir(m_tmpDir).filePath(QStringLiteral("download-XXXXXX.tar.gz"));
        const QString source = target->fsPath;
        QThreadPool::globalInstance()->start([archivePath, source, name, responder, link = m_link] {
            QTemporaryFile archive(archivePath);
            archive.setAutoRemove(false);
            util::ArchiveResult made;
            if (!archive.open()) {
                made.error = QStringLiteral("Cannot make a temporary file: %1").arg(archive.errorString());
            } else {
                // The fastest gzip: the archive crosses a local socket and is unpacked at once, so time spent
                // compressing harder costs more than the bytes it saves (a 300 MB folder: 9 s at 6, 3 s at
                // 1).
                util::TarGzWriter::Options options;
                options.compressionLevel = 1;
                made = util::TarGzWriter::write(
                    { util::TarGzWriter::Member { source, QString() } }, &archive, options);
                archive.close();
            }
            const qint64 size = util::TargetInfo::diskSize(source);
            const QString path = archive.fileName();
            link->post([made, size, path, name, responder] {
                if (!made.ok) {
                    QFile::remove(path);
                    responder.send(HttpResponse::error(500, made.error));
                    return;
                }
                HttpResponse head = HttpResponse::bytes({}, "application/gzip");
                head.withHeader("Target-Type", "directory")
                    .withHeader("X-CodaLab-Target-Size", QByteArray::number(size))
                    .withHeader("Content-Encoding", "identity")
                    .withHeader(
                        "Content-Disposition", "attachment; filename=\"" + name.toUtf8() + ".tar.gz\"");
                responder.sendFile(head, path, 0, QFileInfo(path).size());
                QFile::remove(path); // the open handle keeps the data until the stream ends
            });
        });
        return;
    }
    HttpResponse response = HttpResponse::bytes({}, "text/plain");
    response.withHeader("Target-Type", "file")
        .withHeader("X-CodaLab-Target-Size", QByteArray::number(file.size()))
        .withHeader("Content-Disposition", "inline; filename=\"" + name.toUtf8() + '"');
    QFile f(target->fsPath);
    if (!f.open(QIODevice::ReadOnly)) {
        responder.send(HttpResponse::error(500, QStringLiteral("Cannot read %1").arg(target->subpath)));
        return;
    }
    qint64 offset = 0;
    qint64 length = file.size();
    const QString head = request.queryValue(QStringLiteral("head"));
    const QString tail = request.queryValue(QStringLiteral("tail"));
    const QByteArray range = request.header("range");
    if (!head.isEmpty() || !tail.isEmpty()) {
        const QString maxLine = request.queryValue(QStringLiteral("max_line_length"));
        QString truncation = request.queryValue(QStringLiteral("truncation_text"));
        if (truncation.isEmpty()) {
            truncation = QStringLiteral("\n... [truncated] ...\n\n");
        }
        response.body = summarize(
            f, head.toInt(), tail.toInt(), maxLine.isEmpty() ? 128 : maxLine.toInt(), truncation.toUtf8());
    } else if (!range.isEmpty()) {
        // Inclusive end, answered 200 with exactly those bytes, as upstream does.
        static const QRegularExpression pattern(QStringLiteral("^bytes=(\\d+)-(\\d*)$"));
        const QRegularExpressionMatch m = pattern.match(QString::fromLatin1(range));
        if (!m.hasMatch()) {
            responder.send(HttpResponse::error(
                400, QStringLiteral("Unsupported Range: %1").arg(QString::fromLatin1(range))));
            return;
        }
        offset = qMin(m.captured(1).toLongLong(), file.size());
        const qint64 end
            = m.captured(2).isEmpty() ? file.size() - 1 : qMin(m.captured(2).toLongLong(), file.size() - 1);
        length = qMax<qint64>(0, end - offset + 1);
        if (length <= MaxInMemoryGzip) {
            f.seek(offset);
            response.body = f.read(length);
        }
    } else if (gzip && length <= MaxInMemoryGzip) {
        response.body = f.readAll();
    }
    if (!response.body.isNull() || length == 0) {
        if (gzip) {
            response.body = util::GzipCodec::compress(response.body);
            response.withHeader("Content-Encoding", "gzip");
        } else {
            response.withHeader("Content-Encoding", "identity");
        }
        responder.send(response);
        return;
    }
    response.withHeader("Content-Encoding", "identity");
    responder.sendFile(response, target->fsPath, offset, length);
}

} // namespace codalab::localserver
