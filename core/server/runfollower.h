// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "server/apierror.h"

#include <QObject>
#include <QPointer>
#include <QTimer>

namespace codalab::server {

class ApiJob;
class CodaLabClient;

/// Follows a run's stdout and stderr as `cl run -t` does: about once a second it reads the bundle's state
/// and each file from where it left off, in 16 KiB ranges until a short read, and stops once the state is
/// final and both files are drained. One poll at a time, never two.
///
/// Usage: connect output(), stateChanged() and finished(), then start(). finished() comes once.
class RunFollower : public QObject
{
    Q_OBJECT
public:
    RunFollower(CodaLabClient *client, QString uuid, QObject *parent = nullptr);

    void setIntervalMs(int ms) { m_timer.setInterval(ms); }
    void start();
    void stop();
    qint64 offset(int stream) const { return m_offsets[stream]; }

    static constexpr qint64 ChunkBytes = 16 * 1024;

Q_SIGNALS:
    /// stream 0 is stdout, 1 stderr.
    void output(int stream, const QByteArray &data);
    void stateChanged(const QString &state);
    void finished(const QString &finalState, const codalab::server::ApiError &error);

private:
    void poll();
    void readNext(int stream);
    void roundDone();

    CodaLabClient *m_client;
    QString m_uuid;
    QTimer m_timer;
    QString m_state;
    qint64 m_offsets[2] = { 0, 0 };
    bool m_polling = false;
    bool m_final = false;
    int m_failures = 0;
    QPointer<ApiJob> m_job;
};

} // namespace codalab::server
