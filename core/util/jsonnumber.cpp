// SPDX-License-Identifier: GPL-3.0-or-later
#include "util/jsonnumber.h"

#include <cmath>
#include <limits>

namespace codalab::util {

qint64 jsonInt64(const QJsonValue &value, qint64 fallback)
{
    if (!value.isDouble()) {
        return fallback;
    }
    const double d = value.toDouble();
    if (std::isnan(d)) {
        return 0;
    }
    constexpr double Limit = 9223372036854775808.0; // 2^63, exact in a double
    if (d >= Limit) {
        return std::numeric_limits<qint64>::max();
    }
    if (d < -Limit) {
        return std::numeric_limits<qint64>::min();
    }
    return qint64(d);
}

} // namespace codalab::util
