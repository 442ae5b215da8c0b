// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QTimer>

#include <functional>

namespace codalab::worker {

/// When a state file is written. Each write is a new file, an fsync and a rename, and a short run changes its
/// record a dozen times in a third of a second: what a restart needs (a run taken, a stage reached, an image
/// pulled) is written in the next turn of the event loop, progress (a status line, a sample, a last-used
/// time) at most every delay. The owner writes once more when it is destroyed.
class SaveScheduler : public QObject
{
    Q_OBJECT

public:
    static constexpr int DefaultDelayMs = 1000;

    explicit SaveScheduler(
        std::function<void()> save, QObject *parent = nullptr, int delayMs = DefaultDelayMs);

    /// Asks for a write: in this turn's wake when `urgent`, else within the delay.
    void request(bool urgent = true);
    /// Whether a write was asked for and not made yet.
    bool pending() const;
    /// Called by the owner after it wrote its state itself: what was pending is written.
    void written();

private:
    void saveNow();

    std::function<void()> m_save;
    QTimer m_delay;
    bool m_soon = false; ///< a write is queued for the next turn
    bool m_later
        = false; ///< a write waits for m_delay (a single-shot timer is no longer active in its timeout)
};

} // namespace codalab::worker
