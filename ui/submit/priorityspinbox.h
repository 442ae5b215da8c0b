// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QSpinBox>

#include <optional>

namespace codalab::ui {

/// A run's priority: "default" (no request_priority: the server's order) or a number, negative ones
/// queued behind runs without a priority as upstream does it.
///
/// Usage: priority() / setPriority(). "default" is the spin box's minimum; the arrows step default, 0, 1,
/// ... (and back), while negative priorities are typed.
class PrioritySpinBox : public QSpinBox
{
    Q_OBJECT
public:
    static constexpr int Limit = 1000000;

    explicit PrioritySpinBox(QWidget *parent = nullptr);

    std::optional<int> priority() const;
    void setPriority(std::optional<int> priority);
    void stepBy(int steps) override;
};

} // namespace codalab::ui
