// SPDX-License-Identifier: GPL-3.0-or-later
#include "localserver/workerhub.h"

#include "localserver/checkinfields.h"
#include "localserver/jsonapi.h"
#include "localserver/localhttpserver.h"
#include "server/bundlestate.h"

#include <QDateTime>
#include <QJsonDocument>

#include <optional>

namespace codalab::localserver {

using server::BundleState;

namespace {

const QStringList reportKeys { QStringLiteral("uuid"), QStringLiteral("run_status"),
    QStringLiteral("bundle_start_time"), QStringLiteral("container_time_total"),
    QStringLiteral("container_time_user"), QStringLiteral("container_time_system"),
    QStringLiteral("docker_image"), QStringLiteral("state"), QStringLiteral("remote"),
    QStringLiteral("exitcode"), QStringLiteral("failure_message"), QStringLiteral("bundle_profile_stats"),
    QStringLiteral("disk_utilization") };
const QStringList profileStages { QStringLiteral("RUN_STAGE.PREPARING"), QStringLiteral("RUN_STAGE.RUNNING"),
    QStringLiteral("RUN_STAGE.CLEANING_UP"), QStringLiteral("RUN_STAGE.UPLOADING_RESULTS") };

qint64 now()
{
    return QDateTime::currentSecsSinceEpoch();
}

} // namespace

WorkerHub::WorkerHub(
    BundleStore &bundles, const LocalServerConfig &config, QString bundlesDir, QObject *parent)
    : QObject(parent)
    , m_bundles(bundles)
    , m_reconciler(bundles)
    , m_config(config)
    , m_bundlesDir(std::move(bundlesDir))
{
    m_startedAt = now();
    m_housekeeping.setInterval(1000);
    connect(&m_housekeeping, &QTimer::timeout, this, &WorkerHub::housekeeping);
    m_housekeeping.start();
}

void WorkerHub::install(LocalHttpServer &http)
{
    using A = LocalHttpServer::Auth;
    const QString worker = QStringLiteral("/rest/workers/([^/]+)/");
    http.addRoute("POST", worker + QStringLiteral("checkin"), A::Required,
        [this](HttpRequest &r, const HttpResponder &s) { checkin(r, s); });
    http.addRoute("POST", worker + QStringLiteral("start_bundle/(0x[0-9a-f]{32})"), A::Required,
        [this](HttpRequest &r, const HttpResponder &s) { startBundle(r, s); });
    http.addRoute("POST", worker + QStringLiteral("reply/(\\d+)"), A::Required,
        [this](HttpRequest &r, const HttpResponder &s) { reply(r, s, false); });
    http.addRoute(
        "POST", worker + QStringLiteral("reply_data/(\\d+)"), A::Required,
        [this](HttpRequest &r, const HttpResponder &s) { reply(r, s, true); }, LocalHttpServer::Body::Large);
    http.addRoute("GET", QStringLiteral("/rest/workers/info"), A::Required,
        [this](HttpRequest &r, const HttpResponder &s) { info(r, s); });
}

void WorkerHub::changed()
{
    if (onChanged) {
        onChanged();
    }
}

bool WorkerHub::send(const QString &workerKey, const QJsonObject &message)
{
    auto it = m_workers.find(workerKey);
    if (it == m_workers.end()) {
        return false;
    }
    it->messages.append(message);
    if (it->pendingCheckin) {
        deliver(*it, false);
    }
    return true;
}

WorkerState *WorkerHub::workerOf(const BundleRecord &bundle)
{
    auto it = m_workers.find(bundle.workerUserId + QLatin1Char('/') + bundle.workerId);
    return it == m_workers.end() ? nullptr : &*it;
}

void WorkerHub::wake(const QString &workerId)
{
    for (WorkerState &w : m_workers) {
        if (w.workerId != workerId) {
            continue;
        }
        if (w.pendingCheckin) {
            deliver(w, true);
        } else {
            // The worker's check-in is on its way, built before the news: it must not sit out the poll.
            w.wakeRequested = true;
        }
    }
}

void WorkerHub::deliver(WorkerState &worker, bool idle)
{
    if (!worker.pendingCheckin) {
        return;
    }
    QJsonValue message; // null when there is nothing to say
    if (!worker.messages.isEmpty()) {
        message = worker.messages.takeFirst();
    } else if (!idle) {
        return;
    }
    const HttpResponder responder = *worker.pendingCheckin;
    worker.pendingCheckin.reset();
    responder.send(HttpResponse::json(QJsonDocument(QJsonArray { message })));
    // mark_finalized went out: the bundle takes its final state now (upstream does it right after).
    const QJsonObject sent = message.toObject();
    if (sent.value(QLatin1String("type")).toString() == QLatin1String("mark_finalized")) {
        auto bundle = m_bundles.get(sent.value(QLatin1String("uuid")).toString());
        if (bundle && bundle->state == BundleState::Finalizing) {
            const QString failure = bundle->metadata.value(QLatin1String("failure_message")).toString();
            const int exitcode = bundle->metadata.value(QLatin1String("exitcode")).toInt();
            bundle->state = failure.contains(QLatin1String("Kill requested")) ? BundleState::Killed
                : (!failure.isEmpty() || exitcode != 0)                       ? BundleState::Failed
                                                                              : BundleState::Ready;
            bundle->workerId.clear();
            bundle->workerUserId.clear();
            m_bundles.update(*bundle);
            changed();
        }
    }
}

void WorkerHub::checkin(HttpRequest &request, const HttpResponder &responder)
{
    QString error;
    const auto parsed = JsonApi::objectBody(request, QStringLiteral("check-in"), &error);
    if (!parsed) {
        responder.send(HttpResponse::error(400, error));
        return;
    }
    const QJsonObject body = *parsed;
    for (const char *key : { "runs", "dependencies" }) {
        if (!body.value(QLatin1String(key)).isArray()) {
            responder.send(HttpResponse::error(
                400, QStringLiteral("Missing key or not a list: %1").arg(QLatin1String(key))));
            return;
        }
    }
    if (!CheckinFields::check(body, &error)) {
        responder.send(HttpResponse::error(400, QStringLiteral("Invalid check-in: %1").arg(error)));
        return;
    }
    const QString workerId = request.captures.value(0);
    WorkerState &w = m_workers[request.user->id + QLatin1Char('/') + workerId];
    w.userId = request.user->id;
    w.workerId = workerId;
    w.tag = body.value(QLatin1String("tag")).toString();
    w.groupName = body.value(QLatin1String("group_name")).toString();
    w.cpus = body.value(QLatin1String("cpus")).toInt();
    w.gpus = body.value(QLatin1String("gpus")).toInt();
    w.memoryBytes = body.value(QLatin1String("memory_bytes")).toInteger();
    w.freeDiskBytes = body.value(QLatin1String("free_disk_bytes")).toInteger();
    w.sharedFileSystem = body.value(QLatin1String("shared_file_system")).toBool();
    w.tagExclusive = !w.tag.isEmpty() && body.value(QLatin1String("tag_exclusive")).toBool();
    w.exitAfterNumRuns = body.contains(QLatin1String("exit_after_num_runs"))
        ? body.value(QLatin1String("exit_after_num_runs")).toInt()
        : 999999999;
    w.isTerminating = body.value(QLatin1String("is_terminating")).toBool();
    w.preemptible = body.value(QLatin1String("preemptible")).toBool();
    w.dependencies = body.value(QLatin1String("dependencies")).toArray();
    w.checkinTime = now();
    w.runUuids.clear();
    for (const QJsonValue &run : body.value(QLatin1String("runs")).toArray()) {
        w.runUuids.insert(run.toObject().value(QLatin1String("uuid")).toString());
        applyReport(w, run.toObject());
    }
    m_reconciler.unclaimed(w);
    // Never two check-ins in flight for one worker: the older one is answered now, empty.
    if (w.pendingCheckin) {
        const HttpResponder older = *w.pendingCheckin;
        w.pendingCheckin.reset();
        older.send(HttpResponse::json(QJsonDocument(QJsonArray { QJsonValue() })));
    }
    w.pendingCheckin = responder;
    const quint64 serial = m_nextSerial++;
    w.pendingSerial = serial;
    if (!w.messages.isEmpty()) {
        deliver(w, false);
    } else {
        const QString key = w.key();
        QTimer::singleShot(m_config.checkinWaitMs, this, [this, key, serial] {
            auto it = m_workers.find(key);
            if (it != m_workers.end() && it->pendingSerial == serial) {
                deliver(*it, true);
            }
        });
    }
    changed(); // a check-in may free resources or bring a new worker
    auto woken = m_workers.find(request.user->id + QLatin1Char('/') + workerId);
    if (woken != m_workers.end() && woken->wakeRequested && woken->pendingSerial == serial) {
        woken->wakeRequested = false;
        deliver(*woken, true);
    }
}

void WorkerHub::applyReport(WorkerState &worker, const QJsonObject &report)
{
    for (const QString &key : reportKeys) {
        if (!report.contains(key)) {
            return; // upstream drops a report that lacks a required key
        }
    }
    const QJsonValue profile = report.value(QLatin1String("bundle_profile_stats"));
    if (!profile.isNull()) {
        for (const QString &stage : profileStages) {
            if (!profile.toObject().contains(stage)) {
                return;
            }
        }
    }
    const QString uuid = report.value(QLatin1String("uuid")).toString();
    const QString state = report.value(QLatin1String("state")).toString();
    auto bundle = m_bundles.get(uuid);
    if (!bundle || bundle->isFinal()) {
        // A late report must not reopen a finished bundle. A worker still finalizing one missed its
        // mark_finalized (sent just before a server restart): without it the worker would keep it forever.
        if (state == BundleState::Finalizing) {
            queueMarkFinalized(worker, uuid);
        }
        return;
    }
    const bool ours = bundle->workerId == worker.workerId && bundle->workerUserId == worker.userId;
    if (!ours && bundle->state != BundleState::WorkerOffline) {
        return;
    }
    QJsonObject &m = bundle->metadata;
    if (state == BundleState::Staged) {
        bundle->state = BundleState::Staged;
        bundle->workerId.clear();
        bundle->workerUserId.clear();
        RunReconciler::clearRunMetadata(m);
        m_bundles.update(*bundle);
        return;
    }
    if (state != BundleState::Preparing && state != BundleState::Running
        && state != BundleState::Finalizing) {
        return;
    }
    bundle->workerId = worker.workerId;
    bundle->workerUserId = worker.userId;
    m.insert(QStringLiteral("run_status"), report.value(QLatin1String("run_status")));
    m.insert(QStringLiteral("last_updated"), now());
    m.insert(QStringLiteral("time"), report.value(QLatin1String("container_time_total")));
    m.insert(QStringLiteral("time_user"), report.value(QLatin1String("container_time_user")));
    m.insert(QStringLiteral("time_system"), report.value(QLatin1String("container_time_system")));
    m.insert(QStringLiteral("remote"), report.value(QLatin1String("remote")));
    m.insert(QStringLiteral("cpu_usage"), report.value(QLatin1String("cpu_usage")).toDouble());
    m.insert(QStringLiteral("memory_usage"), report.value(QLatin1String("memory_usage")).toDouble());
    // A finalizing run has uploaded its results, and the upload measured their size exactly; the worker's own
    // figure may be older (a run of a second ends before its first measurement) and must not overwrite it.
    if (state != BundleState::Finalizing || !m.contains(QLatin1String("data_size"))) {
        m.insert(QStringLiteral("data_size"), report.value(QLatin1String("disk_utilization")).toInteger());
    }
    if (!report.value(QLatin1String("docker_image")).isNull()) {
        m.insert(QStringLiteral("docker_image"), report.value(QLatin1String("docker_image")));
    }
    if (profile.isObject()) {
        const QJsonObject p = profile.toObject();
        m.insert(QStringLiteral("time_preparing"),
            p.value(profileStages[0]).toObject().value(QLatin1String("elapsed")));
        m.insert(QStringLiteral("time_running"),
            p.value(profileStages[1]).toObject().value(QLatin1String("elapsed")));
        m.insert(QStringLiteral("time_cleaning_up"),
            p.value(profileStages[2]).toObject().value(QLatin1String("elapsed")));
        m.insert(QStringLiteral("time_uploading_results"),
            p.value(profileStages[3]).toObject().value(QLatin1String("elapsed")));
    }
    if (state == BundleState::Finalizing) {
        const QJsonValue exitcode = report.value(QLatin1String("exitcode"));
        QJsonValue failure = report.value(QLatin1String("failure_message"));
        if (failure.isNull() && !exitcode.isNull() && exitcode.toInt() != 0) {
            failure = QStringLiteral("Exit code %1").arg(exitcode.toInt());
        }
        m.insert(QStringLiteral("exitcode"), exitcode);
        m.insert(QStringLiteral("failure_message"), failure);
        bundle->state = BundleState::Finalizing;
        m_bundles.update(*bundle);
        queueMarkFinalized(worker, bundle->uuid);
        return;
    }
    bundle->state = state;
    m_bundles.update(*bundle);
}

void WorkerHub::queueMarkFinalized(WorkerState &worker, const QString &uuid)
{
    if (worker.finalizeQueued.contains(uuid)) {
        return;
    }
    worker.finalizeQueued.insert(uuid);
    worker.messages.append(QJsonObject {
        { QStringLiteral("type"), QStringLiteral("mark_finalized") }, { QStringLiteral("uuid"), uuid } });
}

void WorkerHub::startBundle(HttpRequest &request, const HttpResponder &responder)
{
    QString error;
    const auto parsed = JsonApi::objectBody(request, QStringLiteral("start_bundle"), &error);
    if (!parsed) {
        responder.send(HttpResponse::error(400, error));
        return;
    }
    const QJsonObject body = *parsed;
    const QJsonValue startTime = body.value(QLatin1String("start_time"));
    const QJsonValue hostnameValue = body.value(QLatin1String("hostname"));
    if ((!startTime.isUndefined() && !startTime.isDouble())
        || (!hostnameValue.isUndefined() && !hostnameValue.isString())) {
        responder.send(HttpResponse::error(
            400, QStringLiteral("Invalid start_bundle: start_time must be a number and hostname a string")));
        return;
    }
    auto bundle = m_bundles.get(request.captures.value(1));
    const bool assigned = bundle && bundle->state == BundleState::Starting
        && bundle->workerId == request.captures.value(0) && bundle->workerUserId == request.user->id;
    if (!assigned) {
        responder.send(HttpResponse::bytes("false", "application/json"));
        return;
    }
    const QString hostname = hostnameValue.toString();
    QJsonObject &m = bundle->metadata;
    bundle->state = BundleState::Preparing;
    m.insert(QStringLiteral("run_status"),
        QStringLiteral(
            "Waiting for worker to download bundle dependencies and Docker image to run the bundle."));
    m.insert(QStringLiteral("started"),
        body.contains(QLatin1String("start_time")) ? body.value(QLatin1String("start_time")).toInteger()
                                                   : now());
    m.insert(QStringLiteral("last_updated"), now());
    m.insert(QStringLiteral("remote"), hostname);
    QJsonArray history = m.value(QLatin1String("remote_history")).toArray();
    history.append(hostname);
    m.insert(QStringLiteral("remote_history"), history);
    const WorkerState *worker = workerOf(*bundle);
    m.insert(QStringLiteral("on_preemptible_worker"), worker && worker->preemptible);
    m_bundles.update(*bundle);
    responder.send(HttpResponse::bytes("true", "application/json"));
    changed();
}

int WorkerHub::openSocket(ReplyHandler handler, int timeoutMs)
{
    const int id = m_nextSocket++;
    auto *timer = new QTimer(this);
    timer->setSingleShot(true);
    connect(timer, &QTimer::timeout, this, [this, id] {
        const PendingReply pending = m_replies.take(id);
        if (pending.timer) {
            pending.timer->deleteLater();
            pending.handler(
                QJsonObject { { QStringLiteral("error_code"), 500 },
                    { QStringLiteral("error_message"), QStringLiteral("Unable to reach worker") } },
                {}, false);
        }
    });
    timer->start(timeoutMs);
    m_replies.insert(id, PendingReply { std::move(handler), timer, {} });
    return id;
}

void WorkerHub::reply(HttpRequest &request, const HttpResponder &responder, bool isData)
{
    const int socket = request.captures.value(1).toInt();
    if (!m_replies.contains(socket)
        || !m_workers.contains(request.user->id + QLatin1Char('/') + request.captures.value(0))) {
        responder.send(HttpResponse::error(403, QStringLiteral("Not your socket ID!")));
        return;
    }
    // A malformed reply still ends the user's wait, with an error rather than a made-up answer.
    QString error;
    std::optional<QJsonObject> message;
    if (isData) {
        const QString header = request.queryValue(QStringLiteral("header_message"));
        const QJsonDocument doc = QJsonDocument::fromJson(header.toUtf8());
        message = header.isEmpty() ? QJsonObject()
            : doc.isObject()       ? std::optional(doc.object())
                                   : std::nullopt;
        error = QStringLiteral("header_message must be a JSON object");
    } else {
        message = JsonApi::objectBody(request, QStringLiteral("reply"), &error);
    }
    const PendingReply pending = m_replies.take(socket);
    pending.timer->stop();
    pending.timer->deleteLater();
    if (!message) {
        pending.handler(
            QJsonObject { { QStringLiteral("error_code"), 500 },
                { QStringLiteral("error_message"), QStringLiteral("The worker sent a malformed reply") } },
            {}, false);
        responder.send(HttpResponse::error(400, error));
        return;
    }
    pending.handler(*message, isData ? request.body : QByteArray(), isData);
    responder.send(HttpResponse::json(QJsonObject {}));
}

void WorkerHub::info(HttpRequest &request, const HttpResponder &responder)
{
    QJsonArray data;
    for (const WorkerState &w : std::as_const(m_workers)) {
        if (w.userId != request.user->id && !request.user->isRoot) {
            continue;
        }
        int cpusInUse = 0;
        int gpusInUse = 0;
        QJsonArray runs;
        BundleQuery q;
        q.states = { BundleState::Starting, BundleState::Preparing, BundleState::Running,
            BundleState::Finalizing };
        for (const BundleRecord &b : m_bundles.search(q)) {
            if (b.workerId == w.workerId && b.workerUserId == w.userId) {
                runs.append(b.uuid);
                cpusInUse += b.metadata.value(QLatin1String("request_cpus")).toInt();
                gpusInUse += b.metadata.value(QLatin1String("request_gpus")).toInt();
            }
        }
        data.append(QJsonObject { { QStringLiteral("worker_id"), w.workerId },
            { QStringLiteral("user_id"), w.userId }, { QStringLiteral("group_uuid"), QJsonValue() },
            { QStringLiteral("tag"), w.tag.isEmpty() ? QJsonValue() : QJsonValue(w.tag) },
            { QStringLiteral("cpus"), w.cpus }, { QStringLiteral("gpus"), w.gpus },
            { QStringLiteral("memory_bytes"), w.memoryBytes },
            { QStringLiteral("free_disk_bytes"), w.freeDiskBytes },
            { QStringLiteral("checkin_time"), w.checkinTime }, { QStringLiteral("socket_id"), 0 },
            { QStringLiteral("run_uuids"), runs },
            { QStringLiteral("shared_file_system"), w.sharedFileSystem },
            { QStringLiteral("tag_exclusive"), w.tagExclusive },
            { QStringLiteral("exit_after_num_runs"), w.exitAfterNumRuns },
            { QStringLiteral("is_terminating"), w.isTerminating },
            { QStringLiteral("preemptible"), w.preemptible }, { QStringLiteral("cpus_in_use"), cpusInUse },
            { QStringLiteral("gpus_in_use"), gpusInUse } });
    }
    responder.send(HttpResponse::json(QJsonObject { { QStringLiteral("data"), data } }));
}

void WorkerHub::housekeeping()
{
    const qint64 t = now();
    bool anyChange = false;
    // Workers that stopped checking in.
    for (auto it = m_workers.begin(); it != m_workers.end();) {
        if (t - it->checkinTime < m_config.workerTimeoutSec) {
            ++it;
            continue;
        }
        m_reconciler.workerGone(*it);
        if (it->pendingCheckin) {
            it->pendingCheckin->send(HttpResponse::json(QJsonDocument(QJsonArray { QJsonValue() })));
        }
        it = m_workers.erase(it);
        anyChange = true;
    }
    if (!m_absentChecked && t - m_startedAt >= m_config.workerTimeoutSec) {
        m_absentChecked = true;
        // After a restart: runs whose workers did not come back.
        anyChange = m_reconciler.absent([this](const BundleRecord &b) { return workerOf(b) != nullptr; })
            || anyChange;
    }
    anyChange
        = m_reconciler.startingTimedOut(t, m_config.startingTimeoutSec) || anyChange; // given, never started
    if (anyChange) {
        changed();
    }
}

} // namespace codalab::localserver
