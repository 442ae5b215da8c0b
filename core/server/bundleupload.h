// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "server/uploadsource.h"
#include "util/tasklink.h"

#include <QObject>
#include <QPointer>
#include <QTimer>

#include <atomic>
#include <memory>
#include <thread>

namespace codalab::util {
class BoundedPipe;
}

namespace codalab::server {

class ServerConnection;

/// What to upload and as what bundle.
struct UploadRequest
{
    QStringList paths; ///< files and folders
    bool pack = false; ///< archives stay packed
    QString worksheetUuid; ///< where the bundle goes
    QString name; ///< empty: the name upstream would give it (UploadSource::defaultName())
    QString description;
    QStringList tags;
};

struct UploadResult
{
    bool ok = false;
    bool cancelled = false;
    QString bundleUuid;
    QString error; ///< in words, for the user
};

/// Uploads local files and folders as a new dataset bundle, as `cl upload` does: the bundle is created
/// `uploading` on the worksheet, then its contents are sent in one chunked PUT, a folder packed into a
/// tar.gz on the fly on one thread while the network sends it from another (ChunkedPut), with never more
/// than a few MiB of it in memory. The server unpacks it and the bundle is `ready`.
///
/// Usage: start(); progress() a few times a second while sending (bytes read of the files and their total);
/// finished() once. cancel() stops the transfer and deletes the half-made bundle; a failure deletes it too
/// and says why (the server's words: a refused name, a quota, a full disk; or the network's: server gone).
/// The job deletes itself after finished().
class BundleUpload : public QObject
{
    Q_OBJECT
public:
    enum class Stage { Preparing, Creating, Sending, Unpacking };
    Q_ENUM(Stage)

    BundleUpload(ServerConnection *connection, UploadRequest request, QObject *parent = nullptr);
    ~BundleUpload() override;

    void start();
    void cancel();
    Stage stage() const { return m_stage; }
    qint64 bytesRead() const { return m_read.load(); }
    qint64 totalBytes() const { return m_total; }
    const QString &bundleUuid() const { return m_bundleUuid; }
    const UploadRequest &request() const { return m_request; }

Q_SIGNALS:
    void stageChanged(codalab::server::BundleUpload::Stage stage);
    void progress(qint64 bytesRead, qint64 totalBytes);
    void finished(const codalab::server::UploadResult &result);

private:
    void setStage(Stage stage);
    void create();
    void send(const QString &token);
    void onSent(int status, const QByteArray &body, const QString &error);
    void finish(UploadResult result);
    void stopThreads();

    ServerConnection *m_connection;
    UploadRequest m_request;
    std::optional<UploadSource> m_source;
    Stage m_stage = Stage::Preparing;
    QString m_bundleUuid;
    qint64 m_total = 0;
    std::atomic<qint64> m_read { 0 };
    std::atomic<qint64> m_sent { 0 };
    std::atomic<bool> m_cancelled { false };
    std::shared_ptr<util::BoundedPipe> m_pipe;
    std::thread m_producer;
    std::thread m_transfer;
    QTimer m_ticker;
    std::shared_ptr<util::TaskLink> m_link;
    bool m_done = false;
};

} // namespace codalab::server

Q_DECLARE_METATYPE(codalab::server::UploadResult)
