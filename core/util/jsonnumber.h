// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonValue>

namespace codalab::util {

/// A JSON number as qint64, clamped to qint64's range; `fallback` when it is not a number, NaN as 0.
/// `qint64(value.toDouble())` is undefined behaviour for 1e30 or infinity, and servers and state files are
/// input we do not control.
qint64 jsonInt64(const QJsonValue &value, qint64 fallback = 0);

} // namespace codalab::util
