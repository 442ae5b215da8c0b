// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QString>

#include <atomic>
#include <memory>

class QTimer;

namespace codalab::util {
class TaskLink;
}

namespace codalab::worker {

/// Measures how many bytes a run directory holds while the run writes to it, for the check-in's
/// `disk_utilization` and the disk limit (codalab-protocol.md §4.3).
///
/// A pass adds up `lstat` sizes as `du --apparent-size -b` does and as upstream's get_path_size() does:
/// the directory itself and every directory, file and symlink below it, symlinks by their own size and
/// never followed, a file with several hard links once. Entries that vanish or cannot be read during a
/// pass are skipped. Passes run on QThreadPool::globalInstance(), never two at once, the first at once
/// and each next one `intervalMs` after the previous one ended or nine times as long as it took,
/// whichever is later, so measuring keeps the disk busy at most ~10 % of the time.
///
/// Usage: connect measured(), emitted on this object's thread after each pass, then start(); stop() or
/// delete it when the run is done. Deleting it while a pass runs is safe: the pass stops early and its
/// result is dropped. A directory that does not exist (yet) gives no measured() and leaves lastSize().
class DirectorySizer : public QObject
{
    Q_OBJECT
public:
    explicit DirectorySizer(QString directory, QObject *parent = nullptr);
    ~DirectorySizer() override;

    void start(int intervalMs = 1000);
    void stop();
    bool isRunning() const { return m_running; }
    /// -1 before the first pass completed.
    qint64 lastSize() const { return m_lastSize; }
    const QString &directory() const { return m_directory; }

    /// One pass, synchronously, on the calling thread: the sum described above, or -1 when `directory`
    /// is not a readable directory or `cancel` became true.
    static qint64 measure(const QString &directory, const std::atomic<bool> *cancel = nullptr);

Q_SIGNALS:
    void measured(qint64 bytes);

private:
    void startPass();
    void onPassDone(quint64 generation, qint64 bytes, qint64 elapsedMs);

    QString m_directory;
    QTimer *m_timer;
    std::shared_ptr<util::TaskLink> m_link;
    std::shared_ptr<std::atomic<bool>> m_cancelPass; ///< of the pass in flight
    quint64 m_generation = 0; ///< bumped by each start(): a pass from before a stop() is not reported
    int m_intervalMs = 1000;
    qint64 m_lastSize = -1;
    bool m_running = false;
    bool m_passInFlight = false;
};

} // namespace codalab::worker
