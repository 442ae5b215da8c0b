// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonObject>

namespace codalab::worker {

class Worker;

/// The body of a check-in (codalab-protocol.md §3.2), exactly the keys upstream's worker sends, integers
/// where the server compares numbers, and a report for every run the server should still hear of.
class CheckinBody
{
public:
    CheckinBody() = delete;
    static QJsonObject build(const Worker &worker);
};

} // namespace codalab::worker
