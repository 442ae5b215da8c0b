// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDialog>
#include <QJsonObject>
#include <QList>

class QCheckBox;
class QLabel;
class QLineEdit;
class QSpinBox;
class QVBoxLayout;

namespace codalab::ui {

class AutostartFile;
class DesktopSettings;

/// Settings: the worker (slots, CPU set, the GPUs it lends, work dir, cache caps, tag and tag-exclusive),
/// start-up and tray (start at login, start minimised, monochrome tray icon) and notifications.
///
/// Usage: construct with the settings, the autostart entry and the worker's last status (for the GPU picker
/// and the CPUs it may use), exec() or open(). On OK every field is checked (a bad CPU set or size is marked
/// where it is and the dialog stays open), then saved. workerRestartNeeded() then says whether a flag the
/// running worker cannot change live (CPU set, work dir, caps, tag) changed; slots and GPUs are applied live
/// by the caller (DesktopApp) through the control socket.
class SettingsDialog : public QDialog
{
    Q_OBJECT
public:
    SettingsDialog(DesktopSettings *settings, AutostartFile *autostart, const QJsonObject &workerStatus,
        QWidget *parent = nullptr);

    bool workerRestartNeeded() const { return m_restartNeeded; }
    /// The GPU uuids checked in the picker: empty for all of them, {"NONE"} for none.
    QStringList chosenGpus() const;

    void accept() override;
    /// Says under the notification choices which way notifications go (NotificationSender::pathText()).
    void setNotificationPath(const QString &text);

private:
    bool checkFields();
    void mark(QWidget *field, const QString &error);

    DesktopSettings *m_settings;
    AutostartFile *m_autostart;
    QJsonObject m_status;
    bool m_restartNeeded = false;

    QSpinBox *m_slots;
    QLineEdit *m_cpuset;
    QList<QCheckBox *> m_gpuBoxes;
    QLineEdit *m_workDir;
    QLineEdit *m_maxWorkDir;
    QLineEdit *m_maxImages;
    QLineEdit *m_tag;
    QCheckBox *m_tagExclusive;
    QCheckBox *m_startAtLogin;
    QCheckBox *m_startMinimized;
    QCheckBox *m_monochromeTray;
    QList<QCheckBox *> m_notifications;
    QCheckBox *m_manageWorker = nullptr;
    QLabel *m_error;
    QLabel *m_notificationPath = nullptr;
};

} // namespace codalab::ui
