// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QTabWidget>

namespace codalab::ui {

class LogView;

/// A run's stdout and stderr, a tab each, named with their sizes ("stdout (21 B)"). After restart() it
/// puts the tab that has text in front once it knows: stdout when it has any, else stderr when that has
/// some (a run that only printed a traceback). A tab the user (or any caller) chose stays.
class RunLogTabs : public QTabWidget
{
    Q_OBJECT
public:
    explicit RunLogTabs(QWidget *parent = nullptr);

    LogView *stdoutView() const { return m_stdout; }
    LogView *stderrView() const { return m_stderr; }

    /// stdout in front, and the tab picked again once the sizes are known (a new run is shown).
    void restart();
    /// Nothing to pick until restart().
    void stopPicking() { m_picked = true; }

private:
    void updateLabels();
    void pick();
    void setCurrentQuietly(QWidget *tab);

    LogView *m_stdout;
    LogView *m_stderr;
    bool m_picked = true; ///< the tab was chosen (by this, once, or by the user): it stays
    bool m_picking = false;
};

} // namespace codalab::ui
