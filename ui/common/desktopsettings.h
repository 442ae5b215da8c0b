// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QString>
#include <QStringList>

class QSettings;

namespace codalab::ui {

/// The desktop's own settings, typed, over the application's QSettings (`~/.config/CodaLab/CodaLab
/// Desktop.conf`; tests pass an INI file). Never a secret: passwords go to the keychain (SecretStore).
///
/// Usage: construct with a QSettings that outlives this object; read with the getters and write with the
/// setters, which save at once and emit changed(). The worker's settings here are what the desktop starts
/// its worker with (WorkerLauncher turns them into codalab-worker flags).
class DesktopSettings : public QObject
{
    Q_OBJECT
public:
    enum class Notification { RunFinished, RunFailed, WorkerOffline, DiskLow };
    static constexpr int MaxRecentImages = 10;

    explicit DesktopSettings(QSettings *settings, QObject *parent = nullptr);

    QSettings *settings() const { return m_settings; }

    bool notificationEnabled(Notification kind) const;
    void setNotificationEnabled(Notification kind, bool enabled);

    bool startMinimized() const;
    void setStartMinimized(bool on);
    bool startAtLogin() const;
    void setStartAtLogin(bool on);
    /// The tray icon in the panel's own colour (its theme's -symbolic icon) instead of the state colours.
    bool monochromeTrayIcon() const;
    void setMonochromeTrayIcon(bool on);
    /// Set once the user was told that there is no system tray.
    /// Whether closing the window still says that the desktop goes on in the tray (until "Don't show this
    /// again").
    bool hiddenToTrayNotice() const;
    void setHiddenToTrayNotice(bool on);
    bool noTrayHintShown() const;
    void setNoTrayHintShown(bool shown);

    /// Most recent first, without duplicates.
    QStringList recentImages() const;
    void addRecentImage(const QString &image);

    // The worker the desktop starts.
    bool manageWorker() const; ///< start codalab-worker when none runs (default true)
    void setManageWorker(bool on);
    int workerSlots() const; ///< default 1
    void setWorkerSlots(int slotCount);
    QString workerCpuset() const; ///< "0-3,6"; empty: all CPUs
    void setWorkerCpuset(const QString &cpuset);
    QStringList workerGpus() const; ///< GPU uuids lent; empty: all
    void setWorkerGpus(const QStringList &uuids);
    QString workerWorkDir() const; ///< empty: codalab-worker's default
    void setWorkerWorkDir(const QString &dir);
    QString maxWorkDirSize() const; ///< "10g"; empty: no cap
    void setMaxWorkDirSize(const QString &size);
    QString maxImageCacheSize() const; ///< empty: no cap
    void setMaxImageCacheSize(const QString &size);
    QString workerTag() const;
    void setWorkerTag(const QString &tag);
    bool workerTagExclusive() const;
    void setWorkerTagExclusive(bool on);

Q_SIGNALS:
    void changed();

private:
    void write(const QString &key, const QVariant &value);

    QSettings *m_settings;
};

} // namespace codalab::ui
