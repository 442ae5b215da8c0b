// SPDX-License-Identifier: GPL-3.0-or-later
// A worker scripted as plain HTTP calls, and helpers, for the local server's worker-protocol tests.
#pragma once

#include "localserverfixture.h"
#include "support/codalabtestdata.h"
#include "util/gzipcodec.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QNetworkReply>
#include <QTest>

namespace codalab::test {

/// The server's scheduler runs from the event loop; give it a turn.
inline void settle()
{
    QTest::qWait(50);
}

class ScriptedWorker
{
public:
    /// Logs in with codalab_worker_client unless given a token: upstream keeps one token per client and
    /// user, so two workers of one user share it.
    ScriptedWorker(
        const LocalServerFixture &f, QString id, QJsonObject fields = {}, const QString &token = {})
        : m_client(QUrl(f.server->url()))
        , m_id(std::move(id))
        , m_fields(std::move(fields))
    {
        if (!token.isEmpty()) {
            m_client.setToken(token);
            return;
        }
        const HttpResult r = m_client.passwordGrant(
            QStringLiteral("codalab_worker_client"), QStringLiteral("codalab"), f.password);
        REQUIRE(r.status == 200);
        m_client.setToken(r.json.object()[QLatin1String("access_token")].toString());
    }

    QJsonObject body(const QJsonArray &runs) const
    {
        QJsonObject b { { QStringLiteral("tag"), QJsonValue() }, { QStringLiteral("cpus"), 4 },
            { QStringLiteral("gpus"), 0 }, { QStringLiteral("memory_bytes"), qint64(8) << 30 },
            { QStringLiteral("free_disk_bytes"), qint64(100) << 30 },
            { QStringLiteral("dependencies"), QJsonArray() },
            { QStringLiteral("hostname"), QStringLiteral("test-host") }, { QStringLiteral("runs"), runs },
            { QStringLiteral("shared_file_system"), false }, { QStringLiteral("tag_exclusive"), false },
            { QStringLiteral("exit_after_num_runs"), 999 }, { QStringLiteral("is_terminating"), false },
            { QStringLiteral("preemptible"), false } };
        for (auto it = m_fields.begin(); it != m_fields.end(); ++it) {
            b.insert(it.key(), it.value());
        }
        return b;
    }

    /// One check-in; returns the messages of its answer (nulls dropped).
    QJsonArray checkin(const QJsonArray &runs = {})
    {
        const HttpResult r = m_client.post(QStringLiteral("/rest/workers/%1/checkin").arg(m_id), body(runs));
        REQUIRE(r.status == 200);
        REQUIRE(r.header("Content-Type") == "application/json");
        QJsonArray messages;
        for (const QJsonValue &m : r.json.array()) {
            if (!m.isNull()) {
                messages.append(m);
            }
        }
        return messages;
    }

    /// Checks in up to three times until an answer carries messages (a run may come with the next one).
    QJsonArray checkinUntilMessage(const QJsonArray &runs = {})
    {
        QJsonArray messages;
        for (int i = 0; i < 3 && messages.isEmpty(); ++i) {
            messages = checkin(runs);
        }
        return messages;
    }

    bool startBundle(const QString &uuid)
    {
        const HttpResult r = m_client.post(QStringLiteral("/rest/workers/%1/start_bundle/%2").arg(m_id, uuid),
            QJsonObject { { QStringLiteral("hostname"), QStringLiteral("test-host") },
                { QStringLiteral("start_time"), 1700000000 } });
        REQUIRE(r.status == 200);
        return r.body == "true";
    }

    static QJsonObject report(const QString &uuid, const QString &state,
        const QJsonValue &exitcode = QJsonValue(), const QJsonValue &failure = QJsonValue())
    {
        QJsonObject stages;
        for (const char *s : { "RUN_STAGE.PREPARING", "RUN_STAGE.RUNNING", "RUN_STAGE.CLEANING_UP",
                 "RUN_STAGE.UPLOADING_RESULTS", "RUN_STAGE.FINALIZING" }) {
            stages.insert(QLatin1String(s),
                QJsonObject { { QStringLiteral("start"), 1 }, { QStringLiteral("end"), 3 },
                    { QStringLiteral("elapsed"), 2 } });
        }
        return QJsonObject { { QStringLiteral("uuid"), uuid },
            { QStringLiteral("run_status"), QStringLiteral("Running job in container.") },
            { QStringLiteral("bundle_start_time"), 1700000000 },
            { QStringLiteral("container_time_total"), 7 }, { QStringLiteral("container_time_user"), 5 },
            { QStringLiteral("container_time_system"), 1 },
            { QStringLiteral("docker_image"), QStringLiteral("codalab-test/busybox@sha256:abc") },
            { QStringLiteral("state"), state }, { QStringLiteral("remote"), QStringLiteral("test-host") },
            { QStringLiteral("exitcode"), exitcode }, { QStringLiteral("failure_message"), failure },
            { QStringLiteral("bundle_profile_stats"), stages }, { QStringLiteral("cpu_usage"), 0.5 },
            { QStringLiteral("memory_usage"), 0.25 }, { QStringLiteral("disk_utilization"), 1234 } };
    }

    HttpTestClient &http() { return m_client; }
    const QString &id() const { return m_id; }

private:
    HttpTestClient m_client;
    QString m_id;
    QJsonObject m_fields;
};

inline QString createRun(HttpTestClient &c, const QString &name, const QJsonObject &overrides = {},
    const QJsonArray &dependencies = {})
{
    const HttpResult r = c.post(QStringLiteral("/rest/bundles?worksheet=") + homeWorksheet(c),
        bundleBody(
            QStringLiteral("run"), QStringLiteral("echo hi"), runMetadata(name, overrides), dependencies));
    INFO(r.body.toStdString());
    REQUIRE(r.status == 200);
    return firstId(r);
}

inline QJsonObject attrs(HttpTestClient &c, const QString &uuid)
{
    return c.get(QStringLiteral("/rest/bundles/") + uuid)
        .json.object()[QLatin1String("data")]
        .toObject()[QLatin1String("attributes")]
        .toObject();
}

inline QString stateOf(HttpTestClient &c, const QString &uuid)
{
    return attrs(c, uuid)[QLatin1String("state")].toString();
}

inline void fast(codalab::localserver::LocalServerConfig &c)
{
    c.checkinWaitMs = 300;
}

} // namespace codalab::test
