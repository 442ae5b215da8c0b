// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/desktopsettings.h"

#include <QSettings>

namespace codalab::ui {

namespace {

QString notificationKey(DesktopSettings::Notification kind)
{
    switch (kind) {
    case DesktopSettings::Notification::RunFinished:
        return QStringLiteral("notifications/runFinished");
    case DesktopSettings::Notification::RunFailed:
        return QStringLiteral("notifications/runFailed");
    case DesktopSettings::Notification::WorkerOffline:
        return QStringLiteral("notifications/workerOffline");
    case DesktopSettings::Notification::DiskLow:
        return QStringLiteral("notifications/diskLow");
    }
    return {};
}

} // namespace

DesktopSettings::DesktopSettings(QSettings *settings, QObject *parent)
    : QObject(parent)
    , m_settings(settings)
{ }

void DesktopSettings::write(const QString &key, const QVariant &value)
{
    if (m_settings->value(key) == value) {
        return;
    }
    m_settings->setValue(key, value);
    m_settings->sync();
    Q_EMIT changed();
}

bool DesktopSettings::notificationEnabled(Notification kind) const
{
    return m_settings->value(notificationKey(kind), true).toBool();
}

void DesktopSettings::setNotificationEnabled(Notification kind, bool enabled)
{
    write(notificationKey(kind), enabled);
}

bool DesktopSettings::startMinimized() const
{
    return m_settings->value(QStringLiteral("ui/startMinimized"), false).toBool();
}

void DesktopSettings::setStartMinimized(bool on)
{
    write(QStringLiteral("ui/startMinimized"), on);
}

bool DesktopSettings::startAtLogin() const
{
    return m_settings->value(QStringLiteral("ui/startAtLogin"), false).toBool();
}

void DesktopSettings::setStartAtLogin(bool on)
{
    write(QStringLiteral("ui/startAtLogin"), on);
}

bool DesktopSettings::monochromeTrayIcon() const
{
    return m_settings->value(QStringLiteral("ui/monochromeTrayIcon"), false).toBool();
}

void DesktopSettings::setMonochromeTrayIcon(bool on)
{
    write(QStringLiteral("ui/monochromeTrayIcon"), on);
}

bool DesktopSettings::hiddenToTrayNotice() const
{
    return m_settings->value(QStringLiteral("ui/hiddenToTrayNotice"), true).toBool();
}

void DesktopSettings::setHiddenToTrayNotice(bool on)
{
    write(QStringLiteral("ui/hiddenToTrayNotice"), on);
}

bool DesktopSettings::noTrayHintShown() const
{
    return m_settings->value(QStringLiteral("ui/noTrayHintShown"), false).toBool();
}

void DesktopSettings::setNoTrayHintShown(bool shown)
{
    write(QStringLiteral("ui/noTrayHintShown"), shown);
}

QStringList DesktopSettings::recentImages() const
{
    return m_settings->value(QStringLiteral("submit/recentImages")).toStringList();
}

void DesktopSettings::addRecentImage(const QString &image)
{
    const QString trimmed = image.trimmed();
    if (trimmed.isEmpty()) {
        return;
    }
    QStringList images = recentImages();
    images.removeAll(trimmed);
    images.prepend(trimmed);
    while (images.size() > MaxRecentImages) {
        images.removeLast();
    }
    write(QStringLiteral("submit/recentImages"), images);
}

bool DesktopSettings::manageWorker() const
{
    return m_settings->value(QStringLiteral("worker/manage"), true).toBool();
}

void DesktopSettings::setManageWorker(bool on)
{
    write(QStringLiteral("worker/manage"), on);
}

int DesktopSettings::workerSlots() const
{
    return qMax(1, m_settings->value(QStringLiteral("worker/slots"), 1).toInt());
}

void DesktopSettings::setWorkerSlots(int slotCount)
{
    write(QStringLiteral("worker/slots"), qMax(1, slotCount));
}

QString DesktopSettings::workerCpuset() const
{
    return m_settings->value(QStringLiteral("worker/cpuset")).toString();
}

void DesktopSettings::setWorkerCpuset(const QString &cpuset)
{
    write(QStringLiteral("worker/cpuset"), cpuset.trimmed());
}

QStringList DesktopSettings::workerGpus() const
{
    return m_settings->value(QStringLiteral("worker/gpus")).toStringList();
}

void DesktopSettings::setWorkerGpus(const QStringList &uuids)
{
    write(QStringLiteral("worker/gpus"), uuids);
}

QString DesktopSettings::workerWorkDir() const
{
    return m_settings->value(QStringLiteral("worker/workDir")).toString();
}

void DesktopSettings::setWorkerWorkDir(const QString &dir)
{
    write(QStringLiteral("worker/workDir"), dir.trimmed());
}

QString DesktopSettings::maxWorkDirSize() const
{
    return m_settings->value(QStringLiteral("worker/maxWorkDirSize")).toString();
}

void DesktopSettings::setMaxWorkDirSize(const QString &size)
{
    write(QStringLiteral("worker/maxWorkDirSize"), size.trimmed());
}

QString DesktopSettings::maxImageCacheSize() const
{
    return m_settings->value(QStringLiteral("worker/maxImageCacheSize")).toString();
}

void DesktopSettings::setMaxImageCacheSize(const QString &size)
{
    write(QStringLiteral("worker/maxImageCacheSize"), size.trimmed());
}

QString DesktopSettings::workerTag() const
{
    return m_settings->value(QStringLiteral("worker/tag")).toString();
}

void DesktopSettings::setWorkerTag(const QString &tag)
{
    write(QStringLiteral("worker/tag"), tag.trimmed());
}

bool DesktopSettings::workerTagExclusive() const
{
    return m_settings->value(QStringLiteral("worker/tagExclusive"), false).toBool();
}

void DesktopSettings::setWorkerTagExclusive(bool on)
{
    write(QStringLiteral("worker/tagExclusive"), on);
}

} // namespace codalab::ui
