// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonObject>

namespace codalab::worker {

class Run;
class Worker;

/// The control socket's `status` answer: availability, server connection, slots with their CPU and GPU sets
/// and runs, every run's stage and usage, the machine, the GPUs and the caches. One schema, documented in
/// the README, shared by the GUI and `codalab-worker status`.
class WorkerStatus
{
public:
    WorkerStatus() = delete;
    static QJsonObject build(const Worker &worker);
    /// One run as `status` lists it (also the `runEnded` event's data).
    static QJsonObject run(const Run &run);
};

} // namespace codalab::worker
