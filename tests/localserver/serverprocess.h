// SPDX-License-Identifier: GPL-3.0-or-later
// The codalab-local-server executable as a child process, for tests that kill it or measure its memory.
#pragma once

#include "support/procstatus.h"
#include "support/spinuntil.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QUrl>
#include <QUuid>

#include <catch2/catch.hpp>

namespace codalab::test {

/// A codalab-local-server process on a data directory that outlives it: start() it, kill() it with
/// SIGKILL, start() it again on the same data. Its stderr (the server's log) is kept across starts.
class ServerProcess
{
public:
    explicit ServerProcess(QString dataDir)
        : m_dataDir(std::move(dataDir))
    { }
    ~ServerProcess()
    {
        if (m_process && m_process->state() != QProcess::NotRunning) {
            m_process->kill();
            m_process->waitForFinished(5000);
        }
    }
    ServerProcess(const ServerProcess &) = delete;
    ServerProcess &operator=(const ServerProcess &) = delete;

    /// Starts the server and waits until it listens (REQUIREs it).
    void start()
    {
        m_process = std::make_unique<QProcess>();
        m_out.clear();
        QObject::connect(m_process.get(), &QProcess::readyReadStandardOutput,
            [this] { m_out += m_process->readAllStandardOutput(); });
        QObject::connect(m_process.get(), &QProcess::readyReadStandardError,
            [this] { m_log += m_process->readAllStandardError(); });
        m_process->start(QStringLiteral(CODALAB_LOCAL_SERVER_BIN),
            { QStringLiteral("--data-dir"), m_dataDir, QStringLiteral("--port"), QStringLiteral("0") });
        REQUIRE(m_process->waitForStarted(10000));
        static const QRegularExpression listening(
            QStringLiteral("listening on (http://127\\.0\\.0\\.1:\\d+)"));
        QRegularExpressionMatch match;
        const bool up = spinUntil(
            [&] {
                match = listening.match(QString::fromUtf8(m_out));
                return match.hasMatch() || m_process->state() == QProcess::NotRunning;
            },
            30000);
        INFO(m_log.toStdString());
        REQUIRE(up);
        REQUIRE(match.hasMatch());
        m_url = QUrl(match.captured(1));
        QFile passwordFile(QDir(m_dataDir).filePath(QStringLiteral("codalab-password")));
        REQUIRE(passwordFile.open(QIODevice::ReadOnly));
        m_password = QString::fromUtf8(passwordFile.readAll()).split(QLatin1Char('\n')).value(1);
    }

    /// SIGKILL: no handler runs, nothing is flushed that the kernel does not already have.
    void kill()
    {
        m_process->kill();
        REQUIRE(m_process->waitForFinished(10000));
        m_log += m_process->readAllStandardError();
    }

    bool running() const { return m_process && m_process->state() == QProcess::Running; }
    qint64 pid() const { return m_process ? m_process->processId() : 0; }
    const QUrl &url() const { return m_url; }
    const QString &password() const { return m_password; }
    const QString &dataDir() const { return m_dataDir; }
    QString bundlesDir() const { return QDir(m_dataDir).filePath(QStringLiteral("bundles")); }
    QString tmpDir() const { return QDir(m_dataDir).filePath(QStringLiteral("tmp")); }
    /// What the server logged so far (stderr), across all its starts.
    const QByteArray &log()
    {
        if (m_process) {
            m_log += m_process->readAllStandardError();
        }
        return m_log;
    }

    /// Resident memory now, and the peak since resetPeak(), in KiB.
    qint64 rssKiB() const { return procStatusKiB(pid(), "VmRSS:"); }
    qint64 peakKiB() const { return procStatusKiB(pid(), "VmHWM:"); }
    /// Makes the peak the current size (Linux: "5" in clear_refs), so peakKiB() measures what follows.
    void resetPeak() const
    {
        QFile refs(QStringLiteral("/proc/%1/clear_refs").arg(pid()));
        REQUIRE(refs.open(QIODevice::WriteOnly));
        REQUIRE(refs.write("5") == 1);
    }

    /// `PRAGMA integrity_check` of the database, read-only on a connection of its own.
    QString integrityCheck() const
    {
        const QString name = QStringLiteral("integrity-") + QUuid::createUuid().toString(QUuid::Id128);
        QString result;
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
            db.setDatabaseName(QDir(m_dataDir).filePath(QStringLiteral("codalab.sqlite")));
            db.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY;QSQLITE_BUSY_TIMEOUT=10000"));
            if (!db.open()) {
                return QStringLiteral("cannot open");
            }
            QSqlQuery q(db);
            q.exec(QStringLiteral("PRAGMA integrity_check"));
            QStringList lines;
            while (q.next()) {
                lines << q.value(0).toString();
            }
            result = lines.join(QLatin1Char('\n'));
            db.close();
        }
        QSqlDatabase::removeDatabase(name);
        return result;
    }

private:
    QString m_dataDir;
    std::unique_ptr<QProcess> m_process;
    QByteArray m_out;
    QByteArray m_log;
    QUrl m_url;
    QString m_password;
};

} // namespace codalab::test
