// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

namespace codalab::ui {

/// "Start at login" as the XDG autostart spec has it: a desktop entry in $XDG_CONFIG_HOME/autostart
/// (default ~/.config/autostart) that starts codalab-desktop; the "start minimised" setting decides whether
/// it opens its window or stays in the tray.
class AutostartFile
{
public:
    /// `configHome`: empty for $XDG_CONFIG_HOME (or ~/.config); tests pass a temporary directory.
    /// `program`: the executable the entry starts.
    AutostartFile(const QString &program, const QString &configHome = {});

    QString path() const { return m_path; }
    bool isEnabled() const;
    /// Writes or removes the entry; false with *error when that fails.
    bool setEnabled(bool enabled, QString *error);
    /// The entry's text.
    QString contents() const;

private:
    QString m_program;
    QString m_path;
};

} // namespace codalab::ui
