// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "system/gpuinfo.h"

#include <QHash>
#include <QList>
#include <QSet>
#include <QString>
#include <QStringList>

#include <optional>

namespace codalab::worker {

/// The CPUs and GPUs one run holds.
struct Allocation
{
    QList<int> cpus;
    QStringList gpuUuids;
};

/// Hands each run a disjoint CPU set and GPU set out of the worker's --cpuset/--gpuset, within --slots
/// concurrent runs (codalab-protocol.md §8). A GPU switched off keeps serving the run that holds it and is
/// not offered again; runs on other GPUs are untouched.
class ResourceAllocator
{
public:
    ResourceAllocator(QList<int> cpuset, QStringList gpuUuids, int slotCount);

    /// "ALL" (or empty) → every CPU this process may use; else "0,2,4-7", each one checked against them.
    static std::optional<QList<int>> parseCpuset(
        const QString &spec, const QList<int> &available, QString *error);
    /// "ALL" → every GPU; "" or "NONE" → none; else indices or UUIDs ("0,GPU-ab…"), checked against `gpus`.
    static std::optional<QStringList> parseGpuset(
        const QString &spec, const QList<system::GpuInfo> &gpus, QString *error);

    /// The first free CPUs and enabled GPUs, or nullopt and *why when the run does not fit now.
    std::optional<Allocation> allocate(const QString &run, int cpus, int gpus, QString *why = nullptr);
    /// Takes back what a run held, e.g. after a restart, as it was; false if it clashes with a holder.
    bool restore(const QString &run, const Allocation &allocation);
    void release(const QString &run);
    std::optional<Allocation> allocationOf(const QString &run) const
    {
        return m_held.contains(run) ? std::optional(m_held.value(run)) : std::nullopt;
    }

    void setSlotCount(int count) { m_slots = qMax(0, count); }
    int slotCount() const { return m_slots; }
    int freeSlots() const { return qMax(0, m_slots - int(m_held.size())); }
    void setGpuEnabled(const QString &uuid, bool enabled);
    bool isGpuEnabled(const QString &uuid) const { return !m_disabledGpus.contains(uuid); }

    /// What a check-in advertises: every CPU of the set, and the GPUs that are on or still in use.
    int advertisedCpus() const { return int(m_cpuset.size()); }
    int advertisedGpus() const;
    /// `exit_after_num_runs` for a check-in: never more runs than free slots.
    int runsToOffer(int runsLeft) const { return qMin(freeSlots(), qMax(0, runsLeft)); }

private:
    QList<int> m_cpuset;
    QStringList m_gpus;
    int m_slots;
    QSet<QString> m_disabledGpus;
    QHash<QString, Allocation> m_held;
};

} // namespace codalab::worker
