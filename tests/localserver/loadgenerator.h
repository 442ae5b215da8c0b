// SPDX-License-Identifier: GPL-3.0-or-later
// Clients and workers that keep a local server busy with many requests in flight, and remember every
// write the server acknowledged, so that a test can kill the server at any moment and look for them after.
#pragma once

#include "scriptedworker.h"
#include "util/tarbuilder.h"

#include <QJsonArray>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QUrlQuery>

#include <functional>
#include <map>

namespace codalab::test {

/// What the server answered 2xx to. A restart must lose none of it.
struct Acknowledged
{
    QSet<QString> created; ///< bundles a create answer named
    QHash<QString, QByteArray> uploaded; ///< dataset uuid -> the data.txt its upload held
    QHash<QString, QByteArray> results; ///< run uuid -> the stdout its worker uploaded
    QSet<QString> finalized; ///< runs whose worker got mark_finalized
};

/// Sends requests one after another over its own QNetworkAccessManager, never blocking: each answer starts
/// the next request. A transport error (the server was killed) ends its loop.
class AsyncHttp
{
public:
    AsyncHttp(QUrl base, QString token)
        : m_base(std::move(base))
        , m_token(std::move(token))
    { }
    virtual ~AsyncHttp() = default;

    bool stopped() const { return m_stopped; }
    int requests() const { return m_requests; }

protected:
    using Done = std::function<void(int status, const QByteArray &body)>;

    void send(const QByteArray &method, const QString &path, const QUrlQuery &query, const QByteArray &body,
        const QByteArray &contentType, Done done)
    {
        if (m_stopped) {
            return;
        }
        QUrl url = m_base.resolved(QUrl(path));
        url.setQuery(query);
        QNetworkRequest request(url);
        request.setRawHeader("Authorization", "Bearer " + m_token.toLatin1());
        request.setRawHeader("X-Requested-With", "XMLHttpRequest");
        request.setHeader(QNetworkRequest::ContentTypeHeader, contentType);
        QNetworkReply *reply = m_nam.sendCustomRequest(request, method, body);
        ++m_requests;
        QObject::connect(reply, &QNetworkReply::finished, &m_context, [this, reply, done = std::move(done)] {
            reply->deleteLater();
            const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            if (status == 0) {
                m_stopped = true; // no answer: the server is gone
                return;
            }
            done(status, reply->readAll());
        });
    }

    /// CHECKs a 2xx answer; anything else stops the loop (a REQUIRE would throw through Qt's event loop).
    bool ok(int status, const QByteArray &body, const char *what)
    {
        if (status >= 200 && status < 300) {
            return true;
        }
        FAIL_CHECK(what << " answered " << status << ": " << body.left(300).toStdString());
        m_stopped = true;
        return false;
    }

    static QString firstUuid(const QByteArray &body)
    {
        const QJsonValue data = QJsonDocument::fromJson(body).object().value(QLatin1String("data"));
        return (data.isArray() ? data.toArray().first() : data)
            .toObject()
            .value(QLatin1String("id"))
            .toString();
    }

    bool m_stopped = false;

private:
    QUrl m_base;
    QString m_token;
    QNetworkAccessManager m_nam;
    QObject m_context;
    int m_requests = 0;
};

/// A `cl` user in a loop: create a dataset, upload its contents, create a run; again.
class LoadClient : public AsyncHttp
{
public:
    LoadClient(QUrl base, QString token, QString worksheet, int index, Acknowledged &acks, int payloadBytes)
        : AsyncHttp(std::move(base), std::move(token))
        , m_worksheet(std::move(worksheet))
        , m_index(index)
        , m_acks(acks)
        , m_payloadBytes(payloadBytes)
    { }

    void start() { createDataset(); }

private:
    void create(const QJsonObject &body, const std::function<void(const QString &)> &then)
    {
        QUrlQuery query;
        query.addQueryItem(QStringLiteral("worksheet"), m_worksheet);
        send("POST", QStringLiteral("/rest/bundles"), query, QJsonDocument(body).toJson(), "application/json",
            [this, then](int status, const QByteArray &answer) {
                if (!ok(status, answer, "create")) {
                    return;
                }
                const QString uuid = firstUuid(answer);
                m_acks.created.insert(uuid);
                then(uuid);
            });
    }

    void createDataset()
    {
        const QString name = QStringLiteral("load%1_%2").arg(m_index).arg(++m_round);
        create(bundleBody(
                   QStringLiteral("dataset"), QString(), QJsonObject { { QStringLiteral("name"), name } }),
            [this](const QString &uuid) { upload(uuid); });
    }

    void upload(const QString &uuid)
    {
        const QByteArray data
            = "dataset " + uuid.toLatin1() + '\n' + QByteArray(m_payloadBytes, char('a' + m_round % 26));
        QUrlQuery query;
        query.addQueryItem(QStringLiteral("filename"), QStringLiteral("data.tar.gz"));
        send("PUT", QStringLiteral("/rest/bundles/%1/contents/blob/").arg(uuid), query,
            TarBuilder().file("./data.txt", data).finish(), "application/octet-stream",
            [this, uuid, data](int status, const QByteArray &answer) {
                if (!ok(status, answer, "upload")) {
                    return;
                }
                m_acks.uploaded.insert(uuid, data);
                createRun();
            });
    }

    void createRun()
    {
        create(bundleBody(QStringLiteral("run"), QStringLiteral("echo hi"),
                   runMetadata(QStringLiteral("run%1_%2").arg(m_index).arg(m_round))),
            [this](const QString &) { createDataset(); });
    }

    QString m_worksheet;
    int m_index;
    Acknowledged &m_acks;
    int m_payloadBytes;
    int m_round = 0;
};

/// What a load worker holds between server restarts: the runs it accepted and how far each got.
struct LoadWorkerRuns
{
    enum class Stage { Running, Finalizing };
    struct Run
    {
        Stage stage = Stage::Running;
        bool reported = false; ///< sent as running in a check-in
    };
    std::map<QString, Run> runs;
};

/// A worker in a loop: check in with its runs, start what it is given, upload results, report them
/// finalizing, drop them at mark_finalized. Its work goes on while a check-in long-polls; a new check-in
/// then supersedes the waiting one, as codalab-worker does.
class LoadWorker : public AsyncHttp
{
public:
    LoadWorker(QUrl base, QString token, QString id, LoadWorkerRuns &held, Acknowledged &acks)
        : AsyncHttp(std::move(base), std::move(token))
        , m_id(std::move(id))
        , m_held(held)
        , m_acks(acks)
    { }

    void start() { checkin(); }
    bool idle() const { return m_held.runs.empty() && m_starts.isEmpty(); }

private:
    void checkin()
    {
        QJsonArray reports;
        for (auto &[uuid, run] : m_held.runs) {
            reports.append(ScriptedWorker::report(uuid,
                run.stage == LoadWorkerRuns::Stage::Running ? QStringLiteral("running")
                                                            : QStringLiteral("finalizing"),
                0));
            run.reported = true;
        }
        QJsonObject body { { QStringLiteral("tag"), QJsonValue() }, { QStringLiteral("cpus"), 8 },
            { QStringLiteral("gpus"), 0 }, { QStringLiteral("memory_bytes"), double(qint64(64) << 30) },
            { QStringLiteral("free_disk_bytes"), double(qint64(100) << 30) },
            { QStringLiteral("dependencies"), QJsonArray() }, { QStringLiteral("hostname"), m_id },
            { QStringLiteral("runs"), reports }, { QStringLiteral("shared_file_system"), false },
            { QStringLiteral("tag_exclusive"), false }, { QStringLiteral("exit_after_num_runs"), 999999 },
            { QStringLiteral("is_terminating"), false }, { QStringLiteral("preemptible"), false } };
        const int serial = ++m_checkinSerial;
        m_dirty = false;
        m_checkinInFlight = true;
        send("POST", QStringLiteral("/rest/workers/%1/checkin").arg(m_id), {}, QJsonDocument(body).toJson(),
            "application/json", [this, serial](int status, const QByteArray &answer) {
                if (!ok(status, answer, "checkin")) {
                    return;
                }
                for (const QJsonValue &m : QJsonDocument::fromJson(answer).array()) {
                    const QJsonObject message = m.toObject();
                    const QString type = message.value(QLatin1String("type")).toString();
                    if (type == QLatin1String("run")) {
                        m_starts << message.value(QLatin1String("bundle"))
                                        .toObject()
                                        .value(QLatin1String("uuid"))
                                        .toString();
                    } else if (type == QLatin1String("mark_finalized")) {
                        const QString uuid = message.value(QLatin1String("uuid")).toString();
                        m_held.runs.erase(uuid);
                        m_acks.finalized.insert(uuid);
                    }
                }
                if (serial == m_checkinSerial) {
                    m_checkinInFlight = false;
                    if (!m_working) {
                        work();
                    }
                }
            });
    }

    /// Starts what was given, then uploads the results of runs reported running; checks in after.
    void work()
    {
        m_working = true;
        if (!m_starts.isEmpty()) {
            const QString uuid = m_starts.takeFirst();
            send("POST", QStringLiteral("/rest/workers/%1/start_bundle/%2").arg(m_id, uuid), {},
                R"({"hostname": "load", "start_time": 1700000000})", "application/json",
                [this, uuid](int status, const QByteArray &answer) {
                    if (!ok(status, answer, "start_bundle")) {
                        return;
                    }
                    if (answer == "true") {
                        m_held.runs[uuid] = {};
                        m_dirty = true;
                    }
                    work();
                });
            return;
        }
        for (auto &[uuid, run] : m_held.runs) {
            if (run.stage != LoadWorkerRuns::Stage::Running || !run.reported) {
                continue;
            }
            const QByteArray stdoutText = "result of " + uuid.toLatin1() + '\n';
            QUrlQuery query;
            query.addQueryItem(QStringLiteral("filename"), QStringLiteral("bundle.tar.gz"));
            query.addQueryItem(QStringLiteral("finalize_on_success"), QStringLiteral("0"));
            send("PUT", QStringLiteral("/rest/bundles/%1/contents/blob/").arg(uuid), query,
                TarBuilder().file("./stdout", stdoutText).finish(), "application/octet-stream",
                [this, uuid = uuid, stdoutText](int status, const QByteArray &answer) {
                    if (!ok(status, answer, "results upload")) {
                        return;
                    }
                    m_acks.results.insert(uuid, stdoutText);
                    m_held.runs[uuid].stage = LoadWorkerRuns::Stage::Finalizing;
                    m_dirty = true;
                    work();
                });
            return;
        }
        m_working = false;
        // A check-in that left before these changes is superseded; one that reports them may wait.
        if (m_dirty || !m_checkinInFlight) {
            checkin();
        }
    }

    QString m_id;
    LoadWorkerRuns &m_held;
    Acknowledged &m_acks;
    QStringList m_starts;
    int m_checkinSerial = 0;
    bool m_checkinInFlight = false;
    bool m_working = false;
    bool m_dirty = false;
};

} // namespace codalab::test
