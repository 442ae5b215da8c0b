// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>
#include <QTemporaryDir>

namespace codalab::test {

/// tests/system/fake-nvidia-smi as `nvidia-smi`, first on PATH for this process and the workers it starts,
/// for as long as it lives: two GPUs, and the per-process answers (compute apps, pmon) a test writes with
/// setApps() / setPmon() (empty until then). The environment is put back when it goes.
class FakeNvidiaSmi
{
public:
    /// `script`: the fake's path (the test target's FAKE_NVIDIA_SMI).
    explicit FakeNvidiaSmi(const QString &script);
    ~FakeNvidiaSmi();
    FakeNvidiaSmi(const FakeNvidiaSmi &) = delete;
    FakeNvidiaSmi &operator=(const FakeNvidiaSmi &) = delete;

    /// `--query-compute-apps` lines: "pid, gpu_uuid, used_memory_MiB".
    void setApps(const QByteArray &csv);
    /// `pmon -c 1 -s um` output, headers included.
    void setPmon(const QByteArray &table);
    /// The first GPU's uuid, as the fake lists it.
    static QString gpu0() { return QStringLiteral("GPU-5c3d8b0e-1f2a-4b6c-9d7e-0a1b2c3d4e5f"); }

private:
    QTemporaryDir m_bin;
    QByteArray m_oldPath;
    QString m_apps;
    QString m_pmon;
};

} // namespace codalab::test
