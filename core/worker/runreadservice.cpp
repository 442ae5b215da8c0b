// SPDX-License-Identifier: GPL-3.0-or-later
#include "worker/runreadservice.h"

#include "server/apijob.h"
#include "server/workerapi.h"
#include "util/logging.h"
#include "worker/runfilereader.h"

#include <QCoreApplication>
#include <QFile>
#include <QPointer>
#include <QThreadPool>

namespace codalab::worker {

namespace {

/// The socket id of a `read` message; -1 (and a warning) when it has none, as then nobody can be answered.
int socketOf(const QJsonObject &message)
{
    const QJsonValue socket = message.value(QLatin1String("socket_id"));
    if (!socket.isDouble()) {
        qCWarning(lcWorker) << "A read message without a socket id is ignored:" << message;
        return -1;
    }
    return socket.toInt();
}

} // namespace

RunReadService::RunReadService(server::WorkerApi *api, QString tempDir, QObject *parent)
    : QObject(parent)
    , m_api(api)
    , m_tempDir(std::move(tempDir))
{ }

RunReadService::~RunReadService()
{
    // Nobody is left to remove them later; a call still sending keeps its file open until it ends.
    for (const QString &file : std::as_const(m_dataFiles)) {
        QFile::remove(file);
    }
}

void RunReadService::handleRead(const QJsonObject &message, const QString &runDir, const QStringList &hidden)
{
    const int socketId = socketOf(message);
    if (socketId < 0) {
        return;
    }
    const QString uuid = message.value(QLatin1String("uuid")).toString();
    const QString path = message.value(QLatin1String("path")).toString();
    const QJsonObject args = message.value(QLatin1String("read_args")).toObject();
    // Reading a big file or directory takes a while: off this thread, then back with the answer. Should
    // this service be gone by then, the answer's file goes too.
    QPointer<RunReadService> self(this);
    QThreadPool::globalInstance()->start(
        [self, socketId, runDir, uuid, path, args, hidden, tempDir = m_tempDir] {
            const ReadAnswer answer = RunFileReader::answer(runDir, uuid, path, args, hidden, tempDir);
            QMetaObject::invokeMethod(
                qApp,
                [self, socketId, answer] {
                    if (self) {
                        self->send(socketId, answer);
                    } else if (!answer.dataFile.isEmpty()) {
                        QFile::remove(answer.dataFile);
                    }
                },
                Qt::QueuedConnection);
        });
}

void RunReadService::replyNotRunning(const QJsonObject &message)
{
    const int socketId = socketOf(message);
    if (socketId >= 0) {
        track(m_api->reply(socketId, RunFileReader::notRunningReply()), socketId, {});
    }
}

void RunReadService::handleWrite(const QJsonObject &message, const QString &runDir, const QStringList &hidden)
{
    const QString uuid = message.value(QLatin1String("uuid")).toString();
    const QString subpath = message.value(QLatin1String("subpath")).toString();
    const QByteArray text = message.value(QLatin1String("string")).toString().toUtf8();
    QPointer<RunReadService> self(this);
    QThreadPool::globalInstance()->start([self, runDir, uuid, subpath, text, hidden] {
        QString error;
        if (!RunFileReader::write(runDir, subpath, text, hidden, &error)) {
            qCWarning(lcWorker).noquote() << "Cannot write" << subpath << "of" << uuid << "-" << error;
        }
        QMetaObject::invokeMethod(
            qApp,
            [self, uuid, subpath, error] {
                if (self) {
                    Q_EMIT self->wrote(uuid, subpath, error);
                }
            },
            Qt::QueuedConnection);
    });
}

void RunReadService::send(int socketId, const ReadAnswer &answer)
{
    if (answer.isData) {
        track(m_api->replyDataFile(socketId, answer.dataFile, answer.json), socketId, answer.dataFile);
    } else {
        track(m_api->reply(socketId, answer.json), socketId, {});
    }
}

void RunReadService::track(server::ApiJob *job, int socketId, const QString &dataFile)
{
    if (!dataFile.isEmpty()) {
        m_dataFiles.insert(job, dataFile);
        // Removed only once the job is gone: a retry reads the file again.
        connect(job, &QObject::destroyed, this, [this, job] { QFile::remove(m_dataFiles.take(job)); });
    }
    connect(job, &server::ApiJob::finished, this, [this, socketId](const server::ApiResult &result) {
        if (result.error) {
            qCWarning(lcWorker).noquote()
                << "The reply on socket" << socketId << "failed:" << result.error.message;
        }
        Q_EMIT replied(socketId, result.error);
    });
}

} // namespace codalab::worker
