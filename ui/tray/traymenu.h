// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "tray/traystate.h"

#include <QJsonObject>
#include <QList>
#include <QMenu>

class QAction;

namespace codalab::ui {

/// The tray's menu (also usable as a window menu): a first, disabled line saying what the worker does or
/// why it cannot be reached, then Available (checkable), Snooze for 1 / 3 / 8 hours, Drain, Stop and give
/// runs back…, one checkable entry per GPU ("GPU 0: NVIDIA A100 (40 GiB)"), Submit run…, Open CodaLab
/// Desktop and Quit. It only shows state: TrayController connects the actions to the worker.
///
/// Usage: `menu->setState(state, link->status())` on every status; the actions carry object names for
/// tests and for wiring (statusLine, availableAction, snooze1hAction, snooze3hAction, snooze8hAction,
/// drainAction, stopAction, gpuAction0…, submitAction, openAction, quitAction); gpuToggled() fires when
/// the user flips a GPU's entry.
class TrayMenu : public QMenu
{
    Q_OBJECT
public:
    /// Longer first lines are cut (with "…"); the whole text is the entry's tooltip.
    static constexpr int MaxStatusChars = 72;

    explicit TrayMenu(QWidget *parent = nullptr);

    void setState(const TrayState &state, const QJsonObject &status);

    QAction *statusLine() const { return m_statusLine; }
    QAction *availableAction() const { return m_available; }
    /// "Start the worker": visible while no worker answers.
    QAction *startAction() const { return m_start; }
    /// 1, 3 and 8 hours; each action's data() is the snooze in seconds.
    const QList<QAction *> &snoozeActions() const { return m_snooze; }
    QAction *drainAction() const { return m_drain; }
    QAction *stopAction() const { return m_stop; }
    /// In status order; each action's data() is the GPU's uuid.
    const QList<QAction *> &gpuActions() const { return m_gpus; }
    QAction *submitAction() const { return m_submit; }
    QAction *openAction() const { return m_open; }
    QAction *quitAction() const { return m_quit; }

Q_SIGNALS:
    void gpuToggled(const QString &uuid, bool enabled);

private:
    void updateGpus(const QJsonArray &gpus, bool enabled);
    static QString gpuLabel(const QJsonObject &gpu, int position);

    QAction *m_statusLine;
    QAction *m_start = nullptr;
    QAction *m_available;
    QList<QAction *> m_snooze;
    QAction *m_drain;
    QAction *m_stop;
    QAction *m_gpuEnd; ///< the separator the GPU entries sit before
    QList<QAction *> m_gpus;
    QStringList m_gpuLabels; ///< to rebuild the entries only when the GPUs change
    QAction *m_submit;
    QAction *m_open;
    QAction *m_quit;
};

} // namespace codalab::ui
