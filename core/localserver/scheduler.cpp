// SPDX-License-Identifier: GPL-3.0-or-later
#include "localserver/scheduler.h"

#include "localserver/bundlejson.h"
#include "server/bundlestate.h"
#include "server/bundletype.h"
#include "util/bytesize.h"
#include "util/duration.h"

#include <QDir>
#include <QRandomGenerator>
#include <QTimer>

namespace codalab::localserver {

using server::BundleState;

namespace {

qint64 sizeOf(const QJsonValue &value)
{
    const QString text = value.toVariant().toString();
    return text.isEmpty() ? 0 : util::ByteSize::parse(text).value_or(0);
}

/// The worker tag a bundle asks for; `tag=X` is accepted as upstream accepts it.
QString queueOf(const BundleRecord &b)
{
    QString queue = b.metadata.value(QLatin1String("request_queue")).toString();
    return queue.startsWith(QLatin1String("tag=")) ? queue.mid(4) : queue;
}

struct Request
{
    int cpus;
    int gpus;
    qint64 memory;
    qint64 disk;
};

Request requestOf(const BundleRecord &b)
{
    const qint64 memory = sizeOf(b.metadata.value(QLatin1String("request_memory")));
    return Request { qMax(1, b.metadata.value(QLatin1String("request_cpus")).toInt()),
        b.metadata.value(QLatin1String("request_gpus")).toInt(), memory > 0 ? memory : qint64(2) << 30,
        sizeOf(b.metadata.value(QLatin1String("request_disk"))) };
}

/// Priority order within the queue: priority >= 0 first (higher first), then none, then negative; ties
/// by age, oldest first.
bool comesFirst(const BundleRecord &a, const BundleRecord &b)
{
    const int pa = a.metadata.value(QLatin1String("request_priority")).toInt();
    const int pb = b.metadata.value(QLatin1String("request_priority")).toInt();
    return pa != pb ? pa > pb : a.seq < b.seq;
}

} // namespace

Scheduler::Scheduler(BundleStore &bundles, WorkerHub &workers, const LocalServerConfig &config,
    QString bundlesDir, QObject *parent)
    : QObject(parent)
    , m_bundles(bundles)
    , m_workers(workers)
    , m_config(config)
    , m_bundlesDir(std::move(bundlesDir))
{ }

void Scheduler::scheduleSoon()
{
    if (m_pending) {
        return;
    }
    m_pending = true;
    QTimer::singleShot(0, this, [this] {
        m_pending = false;
        runOnce();
    });
}

void Scheduler::runOnce()
{
    stageCreated();
    dispatchStaged();
}

QString Scheduler::imageFor(const BundleRecord &b, const LocalServerConfig &config)
{
    QString image = b.metadata.value(QLatin1String("request_docker_image")).toString();
    if (image.isEmpty()) {
        image = b.metadata.value(QLatin1String("request_gpus")).toInt() > 0 ? config.defaultGpuImage
                                                                            : config.defaultCpuImage;
    }
    const qsizetype slash = image.lastIndexOf(QLatin1Char('/'));
    if (!image.contains(QLatin1Char('@')) && image.indexOf(QLatin1Char(':'), slash + 1) < 0) {
        image += QStringLiteral(":latest");
    }
    return image;
}

void Scheduler::stageCreated()
{
    for (BundleRecord &b : m_bundles.inStates({ BundleState::Created })) {
        const bool make = b.bundleType == server::BundleType::Make;
        if (b.bundleType != server::BundleType::Run && !make) {
            continue; // datasets become ready by their upload
        }
        QStringList failed;
        bool waiting = false;
        for (const DependencyRecord &d : std::as_const(b.dependencies)) {
            const auto parent = m_bundles.get(d.parentUuid);
            if (!parent) {
                failed << d.parentUuid;
            } else if (parent->state == BundleState::Failed || parent->state == BundleState::Killed) {
                failed << parent->uuid;
            } else if (parent->state != BundleState::Ready) {
                waiting = true;
            }
        }
        const bool allowFailed = b.metadata.value(QLatin1String("allow_failed_dependencies")).toBool();
        if (!failed.isEmpty() && !allowFailed) {
            b.state = BundleState::Failed;
            b.metadata.insert(QStringLiteral("failure_message"),
                QStringLiteral("Parent bundles failed: %1").arg(failed.join(QStringLiteral(", "))));
            m_bundles.update(b);
            continue;
        }
        if (waiting) {
            continue;
        }
        if (make) {
            // Made here, by the server, not by a worker.
            if (maker) {
                maker(b);
            }
            continue;
        }
        b.state = BundleState::Staged;
        b.metadata.insert(QStringLiteral("staged_status"),
            QStringLiteral("Bundle's dependencies are all ready. Waiting for the bundle to be assigned to a "
                           "worker to be run."));
        m_bundles.update(b);
    }
}

void Scheduler::dispatchStaged()
{
    QList<BundleRecord> staged = m_bundles.inStates({ BundleState::Staged });
    std::stable_sort(staged.begin(), staged.end(), comesFirst);
    if (staged.isEmpty()) {
        return;
    }
    // What each worker has given out already.
    QHash<QString, Request> used;
    const QList<BundleRecord> active = m_bundles.inStates(
        { BundleState::Starting, BundleState::Preparing, BundleState::Running, BundleState::Finalizing });
    for (const BundleRecord &b : active) {
        Request &u = used[b.workerUserId + QLatin1Char('/') + b.workerId];
        const Request r = requestOf(b);
        u.cpus += r.cpus;
        u.gpus += r.gpus;
        u.memory += r.memory;
        u.disk += r.disk;
    }
    for (BundleRecord &b : staged) {
        const Request want = requestOf(b);
        const QString queue = queueOf(b);
        QList<WorkerState *> fits;
        QStringList available;
        for (WorkerState &w : m_workers.workers()) {
            // The owner's own workers, and those of the root user (id "0"), which serve everyone.
            if (w.userId != b.ownerId && w.userId != QLatin1String("0")) {
                continue;
            }
            const Request u = used.value(w.key());
            available << QStringLiteral("%1 (cpus %2, gpus %3, memory %4, disk %5)")
                             .arg(w.workerId)
                             .arg(w.cpus - u.cpus)
                             .arg(w.gpus - u.gpus)
                             .arg(util::ByteSize::format(w.memoryBytes - u.memory),
                                 util::ByteSize::format(w.freeDiskBytes - u.disk));
            const bool tagOk = queue.isEmpty() ? !w.tagExclusive : queue == w.tag;
            if (!tagOk || w.isTerminating || w.exitAfterNumRuns <= 0 || w.cpus - u.cpus < want.cpus
                || w.gpus - u.gpus < want.gpus || w.memoryBytes - u.memory < want.memory
                || w.freeDiskBytes - u.disk < want.disk) {
                continue;
            }
            fits << &w;
        }
        if (fits.isEmpty()) {
            const QString status = available.isEmpty()
                ? QStringLiteral(
                    "No workers available. Start a worker (codalab-worker) that checks in with this server.")
                : QStringLiteral(
                    "No worker can meet your bundle's resource requirements%1. Available resources: [%2]")
                      .arg(queue.isEmpty() ? QString() : QStringLiteral(" with tag %1").arg(queue),
                          available.join(QStringLiteral(", ")));
            if (b.metadata.value(QLatin1String("staged_status")).toString() != status) {
                b.metadata.insert(QStringLiteral("staged_status"), status);
                m_bundles.update(b);
            }
            continue;
        }
        // Tag-exclusive workers first, then fewer GPUs (CPU runs keep off GPU machines), fewer free CPUs.
        std::stable_sort(fits.begin(), fits.end(), [&used](const WorkerState *x, const WorkerState *y) {
            if (x->tagExclusive != y->tagExclusive) {
                return x->tagExclusive;
            }
            if (x->gpus != y->gpus) {
                return x->gpus < y->gpus;
            }
            return x->cpus - used.value(x->key()).cpus < y->cpus - used.value(y->key()).cpus;
        });
        WorkerState *w = fits.first();
        b.state = BundleState::Starting;
        b.workerId = w->workerId;
        b.workerUserId = w->userId;
        b.metadata.remove(QStringLiteral("staged_status"));
        m_bundles.update(b);
        Request &u = used[w->key()];
        u.cpus += want.cpus;
        u.gpus += want.gpus;
        u.memory += want.memory;
        u.disk += want.disk;
        --w->exitAfterNumRuns;
        m_workers.send(w->key(), runMessage(b, *w));
    }
}

QJsonObject Scheduler::runMessage(const BundleRecord &b, const WorkerState &worker) const
{
    QJsonArray dependencies;
    for (const DependencyRecord &d : b.dependencies) {
        const auto parent = m_bundles.get(d.parentUuid);
        QJsonObject dep { { QStringLiteral("child_uuid"), d.childUuid },
            { QStringLiteral("child_path"), d.childPath }, { QStringLiteral("parent_uuid"), d.parentUuid },
            { QStringLiteral("parent_path"), d.parentPath },
            { QStringLiteral("parent_name"),
                parent ? parent->metadata.value(QLatin1String("name")) : QJsonValue() } };
        if (worker.sharedFileSystem) {
            dep.insert(QStringLiteral("location"), QDir(m_bundlesDir).filePath(d.parentUuid));
        }
        dependencies.append(dep);
    }
    const QString time = b.metadata.value(QLatin1String("request_time")).toVariant().toString();
    const QJsonObject bundle { { QStringLiteral("uuid"), b.uuid },
        { QStringLiteral("bundle_type"), b.bundleType }, { QStringLiteral("owner_id"), b.ownerId },
        { QStringLiteral("command"), b.command }, { QStringLiteral("state"), b.state },
        { QStringLiteral("frozen"), QJsonValue() }, { QStringLiteral("is_anonymous"), b.isAnonymous },
        { QStringLiteral("metadata"), b.metadata }, { QStringLiteral("args"), BundleJson::args(b) },
        { QStringLiteral("dependencies"), dependencies },
        { QStringLiteral("location"),
            worker.sharedFileSystem ? QJsonValue(QDir(m_bundlesDir).filePath(b.uuid)) : QJsonValue() } };
    const Request r = requestOf(b);
    const QJsonObject resources { { QStringLiteral("cpus"), r.cpus }, { QStringLiteral("gpus"), r.gpus },
        { QStringLiteral("docker_image"), imageFor(b, m_config) },
        { QStringLiteral("time"), time.isEmpty() ? 0 : util::Duration::parse(time).value_or(0) },
        { QStringLiteral("memory"), r.memory }, { QStringLiteral("disk"), r.disk },
        { QStringLiteral("network"), b.metadata.value(QLatin1String("request_network")).toBool(true) },
        { QStringLiteral("tag"), queueOf(b) }, { QStringLiteral("tag_exclusive"), worker.tagExclusive },
        { QStringLiteral("runs_left"), QJsonValue() } };
    return QJsonObject { { QStringLiteral("type"), QStringLiteral("run") },
        { QStringLiteral("bundle"), bundle }, { QStringLiteral("resources"), resources } };
}

} // namespace codalab::localserver
