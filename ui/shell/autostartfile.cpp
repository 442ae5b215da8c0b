// SPDX-License-Identifier: GPL-3.0-or-later
#include "shell/autostartfile.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

namespace codalab::ui {

AutostartFile::AutostartFile(const QString &program, const QString &configHome)
    : m_program(program)
{
    QString home = configHome;
    if (home.isEmpty()) {
        home = qEnvironmentVariable("XDG_CONFIG_HOME");
        if (home.isEmpty() || !QDir::isAbsolutePath(home)) {
            home = QDir::homePath() + QStringLiteral("/.config");
        }
    }
    m_path = QDir::cleanPath(home) + QStringLiteral("/autostart/org.codalab.Desktop.desktop");
}

bool AutostartFile::isEnabled() const
{
    return QFileInfo::exists(m_path);
}

QString AutostartFile::contents() const
{
    // Exec quoting per the Desktop Entry spec: a path with spaces goes in double quotes.
    QString exec = m_program;
    if (exec.contains(QLatin1Char(' '))) {
        exec = QLatin1Char('"') + exec + QLatin1Char('"');
    }
    return QStringLiteral("[Desktop Entry]\n"
                          "Type=Application\n"
                          "Name=CodaLab Desktop\n"
                          "Comment=Lend this computer to CodaLab and watch your runs\n"
                          "Exec=%1\n"
                          "Icon=org.codalab.Desktop\n"
                          "Terminal=false\n"
                          "X-GNOME-Autostart-enabled=true\n")
        .arg(exec);
}

bool AutostartFile::setEnabled(bool enabled, QString *error)
{
    if (!enabled) {
        if (QFileInfo::exists(m_path) && !QFile::remove(m_path)) {
            *error = QCoreApplication::translate("AutostartFile", "Cannot remove %1").arg(m_path);
            return false;
        }
        return true;
    }
    if (!QDir().mkpath(QFileInfo(m_path).absolutePath())) {
        *error = QCoreApplication::translate("AutostartFile", "Cannot create %1")
                     .arg(QFileInfo(m_path).absolutePath());
        return false;
    }
    QSaveFile file(m_path);
    if (!file.open(QIODevice::WriteOnly) || file.write(contents().toUtf8()) < 0 || !file.commit()) {
        *error = QCoreApplication::translate("AutostartFile", "Cannot write %1: %2")
                     .arg(m_path, file.errorString());
        return false;
    }
    return true;
}

} // namespace codalab::ui
