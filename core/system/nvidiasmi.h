// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <functional>

class QObject;

namespace codalab::system {

/// Runs nvidia-smi without blocking, the one way GpuProbe (the GPUs) and GpuProcessProbe (their processes)
/// both need: found on PATH unless a path is given, its standard output or why there is none (failed,
/// could not start, no answer within TimeoutMs), said once.
class NvidiaSmi
{
public:
    NvidiaSmi() = delete;

    using Done = std::function<void(const QByteArray &output, const QString &error)>;
    static constexpr int TimeoutMs = 15000;

    /// `program` itself when it holds a '/', else where PATH has it; empty when nowhere.
    static QString find(const QString &program);
    /// Starts `path` with `arguments` as a child of `parent`; `done` comes once, with the output or the
    /// error (named by `what`, e.g. "nvidia-smi").
    static void run(
        QObject *parent, const QString &path, const QStringList &arguments, const QString &what, Done done);
};

} // namespace codalab::system
