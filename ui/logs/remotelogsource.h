// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "logs/logsource.h"

#include <QList>
#include <QPointer>

namespace codalab::server {
class ApiJob;
class CodaLabClient;
} // namespace codalab::server

namespace codalab::ui {

/// A file of a bundle on a CodaLab server ("stdout" or "stderr" of a run on another worker), read over the
/// REST API: its size from contents/info, its bytes with Range reads of contents/blob. A 404 for the
/// size means the run has not written the file yet (Missing). Search reads chunks of 1 MiB.
///
/// Usage: RemoteLogSource source(client, uuid, QStringLiteral("stdout")); then the LogSource requests.
/// Jobs still running when it is destroyed are cancelled.
class RemoteLogSource : public LogSource
{
    Q_OBJECT
public:
    /// `client` must outlive this source.
    RemoteLogSource(server::CodaLabClient *client, QString uuid, QString path, QObject *parent = nullptr);
    ~RemoteLogSource() override;

    QString uuid() const { return m_uuid; }
    QString path() const { return m_path; }

    int requestSize() override;
    int requestRange(qint64 offset, qint64 length) override;
    qint64 searchChunkBytes() const override { return 1024 * 1024; }
    QString displayName() const override { return m_path; }

private:
    void track(server::ApiJob *job);

    server::CodaLabClient *m_client;
    QString m_uuid;
    QString m_path;
    QList<QPointer<server::ApiJob>> m_jobs;
};

} // namespace codalab::ui
