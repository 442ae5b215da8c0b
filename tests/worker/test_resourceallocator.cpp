// SPDX-License-Identifier: GPL-3.0-or-later
#include "worker/resourceallocator.h"

#include <QSet>

#include <catch2/catch.hpp>

using namespace codalab::worker;
using codalab::system::GpuInfo;

namespace {
QList<GpuInfo> twoGpus()
{
    GpuInfo a;
    a.index = 0;
    a.uuid = QStringLiteral("GPU-aaaa");
    GpuInfo b;
    b.index = 1;
    b.uuid = QStringLiteral("GPU-bbbb");
    return { a, b };
}
} // namespace

TEST_CASE("the --cpuset and --gpuset flags parse as upstream's do, checked against the machine",
    "[worker][resources]")
{
    QString error;
    const QList<int> machine { 0, 1, 2, 3, 4, 5, 6, 7 };
    CHECK(ResourceAllocator::parseCpuset(QStringLiteral("ALL"), machine, &error) == machine);
    CHECK(ResourceAllocator::parseCpuset(QStringLiteral("0,2,4-6"), machine, &error)
        == QList<int> { 0, 2, 4, 5, 6 });
    CHECK_FALSE(ResourceAllocator::parseCpuset(QStringLiteral("0,9"), machine, &error));
    CHECK(error == QLatin1String("--cpuset 0,9: CPU 9 is not available to this process"));
    CHECK_FALSE(ResourceAllocator::parseCpuset(QStringLiteral("3-1"), machine, &error));
    CHECK_FALSE(ResourceAllocator::parseCpuset(QStringLiteral("x"), machine, &error));

    CHECK(ResourceAllocator::parseGpuset(QStringLiteral("ALL"), twoGpus(), &error)
        == QStringList { QStringLiteral("GPU-aaaa"), QStringLiteral("GPU-bbbb") });
    CHECK(ResourceAllocator::parseGpuset(QStringLiteral("NONE"), twoGpus(), &error)->isEmpty());
    CHECK(ResourceAllocator::parseGpuset(QString(), twoGpus(), &error)->isEmpty());
    CHECK(ResourceAllocator::parseGpuset(QStringLiteral("1,GPU-aaaa"), twoGpus(), &error)
        == QStringList { QStringLiteral("GPU-bbbb"), QStringLiteral("GPU-aaaa") });
    CHECK_FALSE(ResourceAllocator::parseGpuset(QStringLiteral("2"), twoGpus(), &error));
    CHECK(error.contains(QLatin1String("no GPU 2 on this machine")));
}

TEST_CASE("runs get disjoint CPU and GPU sets within the slots", "[worker][resources]")
{
    ResourceAllocator a({ 0, 1, 2, 3, 4, 5 }, { QStringLiteral("GPU-aaaa"), QStringLiteral("GPU-bbbb") }, 3);
    const auto first = a.allocate(QStringLiteral("r1"), 2, 1);
    const auto second = a.allocate(QStringLiteral("r2"), 3, 1);
    REQUIRE(first);
    REQUIRE(second);
    CHECK(first->cpus == QList<int> { 0, 1 });
    CHECK(second->cpus == QList<int> { 2, 3, 4 });
    CHECK(first->gpuUuids != second->gpuUuids);
    QString why;
    CHECK_FALSE(a.allocate(QStringLiteral("r3"), 2, 0, &why)); // one CPU left
    CHECK(why == QLatin1String("needs 2 CPUs, 1 free"));
    CHECK_FALSE(a.allocate(QStringLiteral("r3"), 1, 1, &why));
    CHECK(why == QLatin1String("needs 1 GPUs, 0 free"));
    const auto third = a.allocate(QStringLiteral("r3"), 1, 0);
    REQUIRE(third);
    CHECK(third->cpus == QList<int> { 5 });
    CHECK(a.freeSlots() == 0);
    CHECK(a.runsToOffer(10) == 0);
    a.release(QStringLiteral("r2"));
    CHECK(a.freeSlots() == 1);
    CHECK(a.runsToOffer(10) == 1);
    CHECK(a.runsToOffer(0) == 0);
    const auto again = a.allocate(QStringLiteral("r4"), 3, 1);
    REQUIRE(again);
    CHECK(again->cpus == QList<int> { 2, 3, 4 }); // what r2 gave back
    CHECK(a.allocate(QStringLiteral("r4"), 3, 1)->cpus == again->cpus); // asking twice holds nothing more

    SECTION("no slot free: refused whatever is left")
    {
        ResourceAllocator one({ 0, 1 }, {}, 1);
        REQUIRE(one.allocate(QStringLiteral("a"), 1, 0));
        CHECK_FALSE(one.allocate(QStringLiteral("b"), 1, 0, &why));
        CHECK(why == QLatin1String("all 1 slots are busy"));
    }
}

TEST_CASE("a GPU switched off finishes its run and is then no longer offered", "[worker][resources]")
{
    ResourceAllocator a({ 0, 1, 2, 3 }, { QStringLiteral("GPU-aaaa"), QStringLiteral("GPU-bbbb") }, 4);
    const auto onA = a.allocate(QStringLiteral("r1"), 1, 1);
    REQUIRE(onA);
    REQUIRE(onA->gpuUuids == QStringList { QStringLiteral("GPU-aaaa") });
    a.setGpuEnabled(QStringLiteral("GPU-aaaa"), false);
    CHECK(a.allocationOf(QStringLiteral("r1"))->gpuUuids
        == QStringList { QStringLiteral("GPU-aaaa") }); // untouched
    CHECK(a.advertisedGpus() == 2); // still in use, still counted
    a.release(QStringLiteral("r1"));
    CHECK(a.advertisedGpus() == 1);
    const auto next = a.allocate(QStringLiteral("r2"), 1, 1);
    REQUIRE(next);
    CHECK(next->gpuUuids == QStringList { QStringLiteral("GPU-bbbb") });
    QString why;
    CHECK_FALSE(a.allocate(QStringLiteral("r3"), 1, 1, &why));
    a.setGpuEnabled(QStringLiteral("GPU-aaaa"), true);
    CHECK(a.allocate(QStringLiteral("r3"), 1, 1)->gpuUuids == QStringList { QStringLiteral("GPU-aaaa") });
}

TEST_CASE("allocations restored after a restart keep their sets and refuse clashes", "[worker][resources]")
{
    ResourceAllocator a({ 0, 1, 2, 3 }, { QStringLiteral("GPU-aaaa") }, 2);
    REQUIRE(a.restore(QStringLiteral("old"), Allocation { { 2, 3 }, { QStringLiteral("GPU-aaaa") } }));
    CHECK_FALSE(a.restore(QStringLiteral("clash"), Allocation { { 3 }, {} }));
    const auto fresh = a.allocate(QStringLiteral("new"), 2, 0);
    REQUIRE(fresh);
    CHECK(fresh->cpus == QList<int> { 0, 1 });
    CHECK(a.advertisedCpus() == 4);
}
