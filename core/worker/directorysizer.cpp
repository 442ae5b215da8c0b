// SPDX-License-Identifier: GPL-3.0-or-later
#include "worker/directorysizer.h"

#include "util/logging.h"
#include "util/tasklink.h"

#include <QElapsedTimer>
#include <QFile>
#include <QList>
#include <QPair>
#include <QSet>
#include <QThreadPool>
#include <QTimer>

#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>

namespace codalab::worker {

DirectorySizer::DirectorySizer(QString directory, QObject *parent)
    : QObject(parent)
    , m_directory(std::move(directory))
    , m_timer(new QTimer(this))
    , m_link(std::make_shared<util::TaskLink>(this))
{
    m_timer->setSingleShot(true);
    connect(m_timer, &QTimer::timeout, this, &DirectorySizer::startPass);
}

DirectorySizer::~DirectorySizer()
{
    // First, so that a pass ending now cannot queue anything for this object any more.
    m_link->detach();
    if (m_cancelPass) {
        m_cancelPass->store(true);
    }
}

void DirectorySizer::start(int intervalMs)
{
    m_intervalMs = qMax(1, intervalMs);
    if (m_running) {
        return;
    }
    m_running = true;
    ++m_generation;
    if (!m_passInFlight) { // else the pass from before stop() ends soon and starts the next one
        startPass();
    }
}

void DirectorySizer::stop()
{
    m_running = false;
    m_timer->stop();
    if (m_cancelPass) {
        m_cancelPass->store(true);
    }
}

void DirectorySizer::startPass()
{
    if (!m_running || m_passInFlight) {
        return;
    }
    m_passInFlight = true;
    m_cancelPass = std::make_shared<std::atomic<bool>>(false);
    // `self` is only used in the call posted back, which runs only while this object exists (TaskLink).
    QThreadPool::globalInstance()->start([self = this, link = m_link, cancel = m_cancelPass,
                                             directory = m_directory, generation = m_generation] {
        QElapsedTimer clock;
        clock.start();
        const qint64 bytes = measure(directory, cancel.get());
        const qint64 elapsedMs = clock.elapsed();
        link->post([self, generation, bytes, elapsedMs] { self->onPassDone(generation, bytes, elapsedMs); });
    });
}

void DirectorySizer::onPassDone(quint64 generation, qint64 bytes, qint64 elapsedMs)
{
    m_passInFlight = false;
    m_cancelPass.reset();
    if (!m_running) {
        return;
    }
    if (generation != m_generation) {
        startPass(); // stopped and started again while that pass ran: this is the new start's first pass
        return;
    }
    // Nine times the pass's own duration keeps the duty cycle at ~10 %; an hour bounds a pathological pass.
    m_timer->start(int(qMin<qint64>(qMax<qint64>(m_intervalMs, 9 * elapsedMs), 3600 * 1000)));
    if (bytes < 0) {
        qCDebug(lcWorkerRun) << "Cannot measure" << m_directory << "(not a readable directory yet)";
        return;
    }
    m_lastSize = bytes;
    Q_EMIT measured(bytes); // last: a listener may stop or delete this object
}

qint64 DirectorySizer::measure(const QString &directory, const std::atomic<bool> *cancel)
{
    const auto cancelled = [cancel] { return cancel && cancel->load(std::memory_order_relaxed); };
    const QByteArray root = QFile::encodeName(directory);
    struct stat st;
    if (root.isEmpty() || ::stat(root.constData(), &st) != 0 || !S_ISDIR(st.st_mode)) {
        return -1;
    }
    qint64 total = st.st_size;
    QSet<QPair<quint64, quint64>> linkedFiles; // (device, inode) of files with more than one name
    QList<QByteArray> pending { root }; // a list, not recursion: a deep tree cannot exhaust the stack
    while (!pending.isEmpty()) {
        const QByteArray path = pending.takeLast();
        DIR *dir = ::opendir(path.constData());
        if (!dir) {
            continue; // removed meanwhile, or not readable: there is nothing of it to count
        }
        const int fd = ::dirfd(dir);
        while (const dirent *entry = ::readdir(dir)) {
            if (cancelled()) {
                ::closedir(dir);
                return -1;
            }
            if (std::strcmp(entry->d_name, ".") == 0 || std::strcmp(entry->d_name, "..") == 0) {
                continue;
            }
            struct stat child;
            if (::fstatat(fd, entry->d_name, &child, AT_SYMLINK_NOFOLLOW) != 0) {
                continue;
            }
            if (S_ISDIR(child.st_mode)) {
                pending.append(path + '/' + entry->d_name);
            } else if (child.st_nlink > 1) {
                const QPair<quint64, quint64> key(quint64(child.st_dev), quint64(child.st_ino));
                if (linkedFiles.contains(key)) {
                    continue;
                }
                linkedFiles.insert(key);
            }
            total += child.st_size;
        }
        ::closedir(dir);
    }
    return total;
}

} // namespace codalab::worker
