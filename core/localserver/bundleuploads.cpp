// SPDX-License-Identifier: GPL-3.0-or-later
#include "localserver/bundleuploads.h"

#include "localserver/bundlestore.h"
#include "localserver/localhttpserver.h"
#include "localserver/permission.h"
#include "localserver/quotameter.h"
#include "server/bundlestate.h"
#include "server/metadatakey.h"
#include "util/safearchive.h"
#include "util/targetinfo.h"
#include "util/treecopy.h"

#include <QBuffer>
#include <QDir>
#include <QFile>
#include <QThreadPool>

namespace codalab::localserver {

using server::BundleState;

namespace {

enum class Kind { Directory, File, Raw };

/// What upstream makes of a body by its name: archives unpack to a directory, .gz/.bz2 to one file.
Kind kindOf(const QString &filename, bool unpack)
{
    if (!unpack) {
        return Kind::Raw;
    }
    for (const char *ext : { ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz", ".tar", ".zip" }) {
        if (filename.endsWith(QLatin1String(ext), Qt::CaseInsensitive)) {
            return Kind::Directory;
        }
    }
    if (filename.endsWith(QLatin1String(".gz"), Qt::CaseInsensitive)
        || filename.endsWith(QLatin1String(".bz2"), Qt::CaseInsensitive)) {
        return Kind::File;
    }
    return Kind::Raw;
}

} // namespace

/// One upload between the request and its answer.
struct BundleUploads::Job
{
    explicit Job(HttpResponder r)
        : responder(std::move(r))
    { }

    BundleRecord bundle;
    HttpResponder responder;
    std::shared_ptr<QFile> bodyFile; ///< kept, so the streamed body outlives the request
    QByteArray body; ///< a body that came in memory
    Kind kind = Kind::Raw;
    bool finalizeOnSuccess = true;
    bool finalizeOnFailure = false;
    QString stateOnSuccess;
    util::ArchiveLimits limits;
    QString budgetReason;
    QString incoming;
    // Filled in on the pool thread:
    util::ArchiveResult result;
    qint64 dataSize = 0;
};

BundleUploads::BundleUploads(
    ServerStore &store, BundleStore &bundles, const QuotaMeter &quotas, QString bundlesDir, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_bundles(bundles)
    , m_quotas(quotas)
    , m_bundlesDir(std::move(bundlesDir))
    , m_link(std::make_shared<util::TaskLink>(this))
{ }

BundleUploads::~BundleUploads()
{
    m_link->detach();
}

void BundleUploads::install(LocalHttpServer &http)
{
    http.addRoute(
        "PUT", QStringLiteral("/rest/bundles/(0x[0-9a-f]{32})/contents/blob/?"),
        LocalHttpServer::Auth::Required, [this](HttpRequest &r, const HttpResponder &s) { upload(r, s); },
        LocalHttpServer::Body::File);
}

void BundleUploads::fail(
    BundleRecord bundle, const HttpResponder &responder, bool finalize, const QString &message, int status)
{
    const QString text = QStringLiteral("Upload failed: %1").arg(message);
    if (finalize) {
        bundle.state = BundleState::Failed;
        bundle.metadata.insert(server::MetadataKey::FailureMessage, text);
        bundle.metadata.insert(server::MetadataKey::DataSize, 0);
        m_bundles.update(bundle);
        if (onChanged) {
            onChanged();
        }
    }
    responder.send(HttpResponse::error(status, text));
}

void BundleUploads::upload(HttpRequest &request, const HttpResponder &responder)
{
    auto bundle = m_bundles.get(request.captures.value(0));
    if (!bundle) {
        responder.send(HttpResponse::error(
            404, QStringLiteral("Not found: '/bundles/%1'").arg(request.captures.value(0))));
        return;
    }
    if (const auto refusal = Permission::refuseUnlessAll(
            bundle->ownerId, *request.user, QStringLiteral("bundle"), bundle->uuid)) {
        responder.send(*refusal);
        return;
    }
    if (bundle->isFinal()) {
        responder.send(HttpResponse::error(
            403, QStringLiteral("Contents cannot be modified, bundle already finalized.")));
        return;
    }
    if (request.query.hasQueryItem(QStringLiteral("urls"))) {
        responder.send(HttpResponse::error(400,
            QStringLiteral(
                "codalab-local-server does not fetch URLs (it reaches no network): download the file and "
                "upload it")));
        return;
    }
    if (m_inProgress.contains(bundle->uuid)) {
        responder.send(HttpResponse::error(
            409, QStringLiteral("An upload to bundle %1 is in progress").arg(bundle->uuid)));
        return;
    }
    auto job = std::make_shared<Job>(responder);
    job->finalizeOnSuccess = request.queryValue(QStringLiteral("finalize_on_success")).isEmpty()
        || request.queryFlag(QStringLiteral("finalize_on_success"));
    job->finalizeOnFailure = request.queryFlag(QStringLiteral("finalize_on_failure"));
    job->stateOnSuccess = request.queryValue(QStringLiteral("state_on_success"));
    if (job->stateOnSuccess.isEmpty()) {
        job->stateOnSuccess = BundleState::Ready;
    }
    if (job->finalizeOnSuccess && !BundleState::isFinal(job->stateOnSuccess)) {
        responder.send(HttpResponse::error(400,
            QStringLiteral("state_on_success must be a final state (ready, failed or killed), not '%1'")
                .arg(job->stateOnSuccess)));
        return;
    }
    QString filename = request.queryValue(QStringLiteral("filename"));
    if (filename.isEmpty()) {
        filename = QStringLiteral("contents");
    }
    const bool unpack = request.queryValue(QStringLiteral("unpack")).isEmpty()
        || request.queryFlag(QStringLiteral("unpack"));
    job->kind = kindOf(filename, unpack);
    job->bundle = *bundle;
    job->bodyFile = request.bodyFile;
    job->body = request.bodyFile ? QByteArray() : request.body;
    // The owner pays, whoever sends it (root, or a worker uploading a run's results).
    const auto owner = m_store.userById(bundle->ownerId);
    const QuotaMeter::Budget budget = owner ? m_quotas.diskBudget(*owner) : QuotaMeter::Budget { 0, {} };
    // What the bundle holds now is replaced, so it counts as free.
    job->limits.maxBytes
        = budget.bytes + qint64(bundle->metadata.value(server::MetadataKey::DataSize).toDouble());
    job->limits.allowZip = true;
    job->limits.maxRatio
        = 2000; // bzip2 and xz have no ratio ceiling of their own; maxBytes is the real bound
    job->budgetReason = budget.reason;
    // Unpacked next to the bundle and swapped in only when complete: a refused upload changes nothing.
    job->incoming = QDir(m_bundlesDir).filePath(bundle->uuid + QStringLiteral(".incoming"));
    util::TreeCopy::remove(job->incoming);
    m_inProgress.insert(bundle->uuid);

    QThreadPool::globalInstance()->start([job, link = m_link, self = this] {
        QBuffer buffer(&job->body);
        QFile file(job->bodyFile ? job->bodyFile->fileName() : QString());
        QIODevice *body = job->bodyFile ? static_cast<QIODevice *>(&file) : &buffer;
        if (!body->open(QIODevice::ReadOnly)) {
            job->result.error = QStringLiteral("Cannot read the upload: %1").arg(body->errorString());
        } else if (job->kind == Kind::Directory) {
            job->result = util::SafeArchive::extract(body, job->incoming, job->limits);
        } else if (job->kind == Kind::File) {
            job->result = util::SafeArchive::decompressFile(body, job->incoming, job->limits);
        } else if (body->size() > job->limits.maxBytes) {
            job->result.error
                = QStringLiteral("%1 bytes is more than the %2").arg(body->size()).arg(job->budgetReason);
        } else if (job->bodyFile) {
            // A plain file is the body itself: it moves into place rather than being copied.
            file.close();
            job->result.ok = QFile::rename(file.fileName(), job->incoming)
                && QFile::setPermissions(job->incoming,
                    QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadGroup
                        | QFileDevice::ReadOther);
            job->result.error
                = job->result.ok ? QString() : QStringLiteral("Cannot move the upload into place");
        } else {
            QFile out(job->incoming);
            job->result.ok = out.open(QIODevice::WriteOnly) && out.write(job->body) == job->body.size();
            job->result.error = job->result.ok ? QString() : out.errorString();
        }
        if (job->result.ok) {
            job->dataSize = util::TargetInfo::diskSize(job->incoming);
        }
        link->post([self, job] { self->finish(job); });
    });
}

void BundleUploads::finish(const std::shared_ptr<Job> &job)
{
    m_inProgress.remove(job->bundle.uuid);
    const auto bundle = m_bundles.get(job->bundle.uuid);
    if (!job->result.ok) {
        util::TreeCopy::remove(job->incoming);
        QString message = job->result.error;
        // SafeArchive names the byte limit ("... past the limit of 20k (20480 bytes)"), a plain file says
        // "more than": say which limit that was, the owner's quota or the server's disk.
        const bool overBudget = message.contains(QLatin1String("more than"))
            || message.contains(QStringLiteral("(%1 bytes)").arg(job->limits.maxBytes));
        if (overBudget && !job->budgetReason.isEmpty() && !message.contains(job->budgetReason)) {
            message += QStringLiteral(" (%1)").arg(job->budgetReason);
        }
        if (bundle) {
            fail(*bundle, job->responder, job->finalizeOnFailure, message);
        } else {
            job->responder.send(HttpResponse::error(400, QStringLiteral("Upload failed: %1").arg(message)));
        }
        return;
    }
    if (!bundle || bundle->isFinal()) {
        // Deleted or killed while its contents arrived: they have nowhere to go.
        util::TreeCopy::remove(job->incoming);
        job->responder.send(bundle
                ? HttpResponse::error(
                    403, QStringLiteral("Contents cannot be modified, bundle already finalized."))
                : HttpResponse::error(404, QStringLiteral("Not found: '/bundles/%1'").arg(job->bundle.uuid)));
        return;
    }
    const QString target = QDir(m_bundlesDir).filePath(bundle->uuid);
    const QString old = target + QStringLiteral(".old");
    util::TreeCopy::remove(old);
    QFile::rename(target, old);
    if (!QFile::rename(job->incoming, target)) {
        QFile::rename(old, target);
        util::TreeCopy::remove(job->incoming);
        fail(*bundle, job->responder, job->finalizeOnFailure,
            QStringLiteral("Cannot put the upload in place"), 500);
        return;
    }
    // A big tree takes a while to delete: off the event loop (StoreRecovery removes a .old a kill left).
    QThreadPool::globalInstance()->start([old] { util::TreeCopy::remove(old); });
    BundleRecord updated = *bundle;
    updated.metadata.insert(server::MetadataKey::DataSize, job->dataSize);
    if (job->finalizeOnSuccess) {
        updated.state = job->stateOnSuccess;
    }
    m_bundles.update(updated);
    job->responder.send(HttpResponse::json(QJsonObject {}));
    if (onChanged) {
        onChanged();
    }
}

} // namespace codalab::localserver
