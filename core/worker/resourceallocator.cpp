// SPDX-License-Identifier: GPL-3.0-or-later
#include "worker/resourceallocator.h"

namespace codalab::worker {

ResourceAllocator::ResourceAllocator(QList<int> cpuset, QStringList gpuUuids, int slotCount)
    : m_cpuset(std::move(cpuset))
    , m_gpus(std::move(gpuUuids))
    , m_slots(qMax(0, slotCount))
{ }

std::optional<QList<int>> ResourceAllocator::parseCpuset(
    const QString &spec, const QList<int> &available, QString *error)
{
    const QString s = spec.trimmed();
    if (s.isEmpty() || s.compare(QLatin1String("ALL"), Qt::CaseInsensitive) == 0) {
        return available;
    }
    QList<int> cpus;
    for (const QString &part : s.split(QLatin1Char(','))) {
        const QStringList range = part.trimmed().split(QLatin1Char('-'));
        bool okFirst = false;
        bool okLast = false;
        const int first = range.value(0).toInt(&okFirst);
        const int last = range.size() == 2 ? range.value(1).toInt(&okLast) : first;
        if (!okFirst || (range.size() == 2 && !okLast) || range.size() > 2 || last < first) {
            *error = QStringLiteral("--cpuset %1: '%2' is not a CPU number or range").arg(spec, part);
            return std::nullopt;
        }
        for (int cpu = first; cpu <= last; ++cpu) {
            if (!available.contains(cpu)) {
                *error = QStringLiteral("--cpuset %1: CPU %2 is not available to this process")
                             .arg(spec)
                             .arg(cpu);
                return std::nullopt;
            }
            if (!cpus.contains(cpu)) {
                cpus.append(cpu);
            }
        }
    }
    return cpus;
}

std::optional<QStringList> ResourceAllocator::parseGpuset(
    const QString &spec, const QList<system::GpuInfo> &gpus, QString *error)
{
    const QString s = spec.trimmed();
    QStringList out;
    if (s.compare(QLatin1String("ALL"), Qt::CaseInsensitive) == 0) {
        for (const system::GpuInfo &g : gpus) {
            out.append(g.uuid);
        }
        return out;
    }
    if (s.isEmpty() || s.compare(QLatin1String("NONE"), Qt::CaseInsensitive) == 0) {
        return out;
    }
    for (const QString &raw : s.split(QLatin1Char(','))) {
        const QString part = raw.trimmed();
        bool isIndex = false;
        const int index = part.toInt(&isIndex);
        const auto it = std::find_if(gpus.begin(), gpus.end(),
            [&](const system::GpuInfo &g) { return isIndex ? g.index == index : g.uuid == part; });
        if (it == gpus.end()) {
            *error = QStringLiteral("--gpuset %1: no GPU %2 on this machine (nvidia-smi lists %3)")
                         .arg(spec, part)
                         .arg(gpus.isEmpty() ? QStringLiteral("none") : QString::number(gpus.size()));
            return std::nullopt;
        }
        if (!out.contains(it->uuid)) {
            out.append(it->uuid);
        }
    }
    return out;
}

std::optional<Allocation> ResourceAllocator::allocate(const QString &run, int cpus, int gpus, QString *why)
{
    const auto refuse = [why](const QString &reason) {
        if (why) {
            *why = reason;
        }
        return std::nullopt;
    };
    if (m_held.contains(run)) {
        return m_held.value(run);
    }
    if (freeSlots() == 0) {
        return refuse(QStringLiteral("all %1 slots are busy").arg(m_slots));
    }
    QSet<int> usedCpus;
    QSet<QString> usedGpus;
    for (const Allocation &a : std::as_const(m_held)) {
        usedCpus.unite(QSet<int>(a.cpus.begin(), a.cpus.end()));
        usedGpus.unite(QSet<QString>(a.gpuUuids.begin(), a.gpuUuids.end()));
    }
    Allocation allocation;
    for (int cpu : std::as_const(m_cpuset)) {
        if (allocation.cpus.size() < cpus && !usedCpus.contains(cpu)) {
            allocation.cpus.append(cpu);
        }
    }
    for (const QString &gpu : std::as_const(m_gpus)) {
        if (allocation.gpuUuids.size() < gpus && !usedGpus.contains(gpu) && !m_disabledGpus.contains(gpu)) {
            allocation.gpuUuids.append(gpu);
        }
    }
    if (allocation.cpus.size() < cpus) {
        return refuse(QStringLiteral("needs %1 CPUs, %2 free").arg(cpus).arg(allocation.cpus.size()));
    }
    if (allocation.gpuUuids.size() < gpus) {
        return refuse(QStringLiteral("needs %1 GPUs, %2 free").arg(gpus).arg(allocation.gpuUuids.size()));
    }
    m_held.insert(run, allocation);
    return allocation;
}

bool ResourceAllocator::restore(const QString &run, const Allocation &allocation)
{
    for (auto it = m_held.cbegin(); it != m_held.cend(); ++it) {
        if (it.key() == run) {
            continue;
        }
        for (int cpu : allocation.cpus) {
            if (it->cpus.contains(cpu)) {
                return false;
            }
        }
        for (const QString &gpu : allocation.gpuUuids) {
            if (it->gpuUuids.contains(gpu)) {
                return false;
            }
        }
    }
    m_held.insert(run, allocation);
    return true;
}

void ResourceAllocator::release(const QString &run)
{
    m_held.remove(run);
}

void ResourceAllocator::setGpuEnabled(const QString &uuid, bool enabled)
{
    if (enabled) {
        m_disabledGpus.remove(uuid);
    } else {
        m_disabledGpus.insert(uuid);
    }
}

int ResourceAllocator::advertisedGpus() const
{
    int count = 0;
    for (const QString &gpu : m_gpus) {
        const bool inUse = std::any_of(
            m_held.cbegin(), m_held.cend(), [&gpu](const Allocation &a) { return a.gpuUuids.contains(gpu); });
        count += (!m_disabledGpus.contains(gpu) || inUse) ? 1 : 0;
    }
    return count;
}

} // namespace codalab::worker
