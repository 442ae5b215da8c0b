// SPDX-License-Identifier: GPL-3.0-or-later
#include "submit/priorityspinbox.h"

namespace codalab::ui {

PrioritySpinBox::PrioritySpinBox(QWidget *parent)
    : QSpinBox(parent)
{
    // One below the lowest priority stands for "none given".
    setRange(-Limit - 1, Limit);
    setSpecialValueText(tr("default"));
    setValue(minimum());
    setToolTip(tr("Higher runs first; a negative priority (typed) waits behind runs that have none"));
}

std::optional<int> PrioritySpinBox::priority() const
{
    return value() == minimum() ? std::nullopt : std::optional(value());
}

void PrioritySpinBox::setPriority(std::optional<int> priority)
{
    setValue(priority ? qBound(-Limit, *priority, Limit) : minimum());
}

void PrioritySpinBox::stepBy(int steps)
{
    if (value() == minimum() && steps > 0) {
        setValue(0);
        return;
    }
    if (value() == 0 && steps < 0) {
        // Negative priorities are rare (typed, not stepped to); below 0 the arrows go back to "default".
        setValue(minimum());
        return;
    }
    QSpinBox::stepBy(steps);
}

} // namespace codalab::ui
