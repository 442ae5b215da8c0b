// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QString>
#include <QStringList>

class QWidget;

namespace codalab::ui {

/// The worker as a systemd user service: codalab-worker.service, which the package installs and the user
/// enables with `systemctl --user enable --now codalab-worker`. Once it is enabled, systemd owns the worker:
/// the desktop asks systemd to start or restart it instead of starting a second worker of its own, which
/// would fight the service over the control socket and the same runs.
///
/// Usage: `if (service->isEnabled()) service->start();` and watch finished(). Tests pass their own
/// configuration directories and a fake systemctl.
class WorkerService : public QObject
{
    Q_OBJECT
public:
    static constexpr const char *UnitName = "codalab-worker.service";

    /// `configDirs`: where `systemctl enable` puts its links (default: defaultConfigDirs()).
    /// `systemctl`: the program that talks to the user's service manager.
    explicit WorkerService(QStringList configDirs = defaultConfigDirs(),
        QString systemctl = QStringLiteral("systemctl"), QObject *parent = nullptr);

    /// $XDG_CONFIG_HOME/systemd/user (per user) and /etc/systemd/user (`systemctl --global enable`).
    static QStringList defaultConfigDirs();

    /// The file the unit reads the worker's flags from: $XDG_CONFIG_HOME/CodaLab/worker.env (default
    /// ~/.config/CodaLab/worker.env), as `CODALAB_WORKER_ARGS=...`.
    static QString environmentFile();

    /// Another unit the same way (an instance of the worker manager's template:
    /// "codalab-worker-manager@TAG.service"); default UnitName.
    void setUnit(const QString &unit) { m_unit = unit; }
    QString unit() const { return m_unit; }

    /// True when a `*.wants` directory in one of the configuration directories holds the unit.
    bool isEnabled() const;
    /// When the service is enabled, says (in a box over `parent`) that settings do not reach the worker,
    /// which systemd starts with the unit's flags, and where those go; `applied`: what did take effect. False
    /// (and nothing shown) when the service is not enabled.
    bool explainFlags(QWidget *parent, const QString &applied) const;

    /// `systemctl --user start|restart codalab-worker.service`, without blocking; finished() says how it
    /// went.
    void start();
    void restart();

Q_SIGNALS:
    /// `message`: systemctl's own words when it failed (e.g. "Unit codalab-worker.service not found.").
    void finished(bool ok, const QString &message);

private:
    void run(const QString &verb);

    QStringList m_configDirs;
    QString m_systemctl;
    QString m_unit = QLatin1String(UnitName);
};

} // namespace codalab::ui
