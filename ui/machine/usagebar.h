// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QProgressBar>

namespace codalab::ui {

/// A bar that shows how much of something is used (memory, disk, a cache against its cap), with its own
/// words on it instead of a percentage.
///
/// Usage: `bar->setUsage(used, total, tr("%1 free of %2").arg(...))`; text() of the bar is then that text
/// (also its accessible description). A total of 0 or less (no cap, not measured) leaves the bar empty.
/// The text must not hold "%p", "%v" or "%m": QProgressBar would replace them (it has no escape for '%').
class UsageBar : public QProgressBar
{
    Q_OBJECT
public:
    explicit UsageBar(QWidget *parent = nullptr);

    void setUsage(double used, double total, const QString &text);
    /// The words on the bar.
    QString usageText() const { return format(); }
};

} // namespace codalab::ui
