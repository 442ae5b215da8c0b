// SPDX-License-Identifier: GPL-3.0-or-later
#include "tray/traymenu.h"

#include "common/units.h"

#include <QAction>
#include <QJsonArray>

namespace codalab::ui {

TrayMenu::TrayMenu(QWidget *parent)
    : QMenu(parent)
{
    setObjectName(QStringLiteral("trayMenu"));
    setToolTipsVisible(true);
    const auto named = [](QAction *action, const char *name) {
        action->setObjectName(QLatin1String(name));
        return action;
    };
    m_statusLine = named(addAction(QString()), "statusLine");
    m_statusLine->setEnabled(false);
    addSeparator();

    m_start = named(addAction(tr("S&tart the worker")), "startAction");
    m_start->setToolTip(tr("Start codalab-worker on this computer now"));
    m_available = named(addAction(tr("&Available for new runs")), "availableAction");
    m_available->setCheckable(true);
    m_available->setToolTip(tr("Unticked, the worker takes no new runs; the runs it has go on."));
    const struct
    {
        int hours;
        QString text;
        const char *name;
    } snoozes[] = { { 1, tr("Snooze for &1 hour"), "snooze1hAction" },
        { 3, tr("Snooze for &3 hours"), "snooze3hAction" },
        { 8, tr("Snooze for &8 hours"), "snooze8hAction" } };
    for (const auto &s : snoozes) {
        QAction *action = named(addAction(s.text), s.name);
        action->setData(s.hours * 3600);
        action->setToolTip(
            tr("Take no new runs for %n hour(s), then become available again.", nullptr, s.hours));
        m_snooze << action;
    }
    m_drain = named(addAction(tr("&Drain (finish current runs, take no new ones)")), "drainAction");
    m_stop = named(addAction(tr("&Stop and give runs back…")), "stopAction");
    m_stop->setToolTip(tr("Stop the worker now; its unfinished runs go back to the server to start again."));
    m_gpuEnd = addSeparator();

    m_submit = named(addAction(tr("Su&bmit run…")), "submitAction");
    m_open = named(addAction(tr("&Open CodaLab Desktop")), "openAction");
    addSeparator();
    m_quit = named(addAction(tr("&Quit")), "quitAction");
    m_quit->setMenuRole(QAction::QuitRole);

    setState(TrayState::fromStatus(false, {}), {});
}

QString TrayMenu::gpuLabel(const QJsonObject &gpu, int position)
{
    const int index = gpu.value(QLatin1String("index")).toInt(position);
    const QString name = gpu.value(QLatin1String("name")).toString();
    const double mib = gpu.value(QLatin1String("memory_total_mib")).toDouble();
    // "&0" gives the first ten GPUs a key of their own.
    const QString number = index < 10 ? QStringLiteral("&%1").arg(index) : QString::number(index);
    if (name.isEmpty()) {
        return tr("GPU %1: %2").arg(number, gpu.value(QLatin1String("uuid")).toString());
    }
    if (mib <= 0) {
        return tr("GPU %1: %2").arg(number, name);
    }
    const QString memory = Units::bytes(mib * 1024 * 1024);
    return tr("GPU %1: %2 (%3)").arg(number, name, memory);
}

void TrayMenu::updateGpus(const QJsonArray &gpus, bool enabled)
{
    QStringList labels;
    for (int i = 0; i < gpus.size(); ++i) {
        const QJsonObject gpu = gpus.at(i).toObject();
        labels << gpu.value(QLatin1String("uuid")).toString() + QLatin1Char('\n') + gpuLabel(gpu, i);
    }
    if (labels != m_gpuLabels) {
        qDeleteAll(m_gpus);
        m_gpus.clear();
        m_gpuLabels = labels;
        // The entries sit between Stop and the separator before Submit, under a separator of their own.
        if (!gpus.isEmpty()) {
            QAction *separator = new QAction(this);
            separator->setSeparator(true);
            insertAction(m_gpuEnd, separator);
            m_gpus << separator;
        }
        for (int i = 0; i < gpus.size(); ++i) {
            const QJsonObject gpu = gpus.at(i).toObject();
            auto *action = new QAction(gpuLabel(gpu, i), this);
            action->setObjectName(QStringLiteral("gpuAction%1").arg(i));
            action->setCheckable(true);
            action->setData(gpu.value(QLatin1String("uuid")).toString());
            action->setToolTip(tr("Lend this GPU to CodaLab runs. A run already using it keeps it."));
            connect(action, &QAction::triggered, this,
                [this, action](bool checked) { Q_EMIT gpuToggled(action->data().toString(), checked); });
            insertAction(m_gpuEnd, action);
            m_gpus << action;
        }
    }
    int i = 0;
    for (QAction *action : std::as_const(m_gpus)) {
        if (action->isSeparator()) {
            continue;
        }
        action->setChecked(gpus.at(i++).toObject().value(QLatin1String("enabled")).toBool(true));
        action->setEnabled(enabled);
    }
}

void TrayMenu::setState(const TrayState &state, const QJsonObject &status)
{
    const QString summary = state.summary();
    QString line
        = summary.size() > MaxStatusChars ? summary.left(MaxStatusChars - 1) + QChar(0x2026) : summary;
    m_statusLine->setText(line.replace(QLatin1Char('&'), QLatin1String("&&"))); // no mnemonic from a reason
    m_statusLine->setToolTip(summary);

    const QString availability = state.availability();
    const bool commands = state.canCommand() && availability != QLatin1String("stopping");
    m_available->setEnabled(commands);
    m_available->setChecked(availability == QLatin1String("available"));
    for (QAction *action : std::as_const(m_snooze)) {
        action->setEnabled(commands);
    }
    m_drain->setEnabled(
        commands && availability != QLatin1String("draining") && availability != QLatin1String("drained"));
    m_stop->setEnabled(commands);
    // Only while no worker answers: the one action that helps then.
    m_start->setVisible(state.kind() == TrayState::Kind::Offline && !state.canCommand());
    updateGpus(status.value(QLatin1String("gpus")).toArray(), commands);
}

} // namespace codalab::ui
