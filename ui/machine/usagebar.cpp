// SPDX-License-Identifier: GPL-3.0-or-later
#include "machine/usagebar.h"

namespace codalab::ui {

namespace {
constexpr int Steps = 1000; // finer than percent, so a large disk's last gigabytes still move the bar
} // namespace

UsageBar::UsageBar(QWidget *parent)
    : QProgressBar(parent)
{
    setRange(0, Steps);
    setValue(0);
    setFormat(QString());
}

void UsageBar::setUsage(double used, double total, const QString &text)
{
    setValue(total > 0 ? qBound(0, int(used / total * Steps), Steps) : 0);
    setFormat(text);
    setAccessibleDescription(text);
}

} // namespace codalab::ui
