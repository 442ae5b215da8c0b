// SPDX-License-Identifier: GPL-3.0-or-later
// English plural forms picked for tr("%n run(s)", nullptr, n) with no .qm file.
#include "common/englishplurals.h"

#include <QCoreApplication>

#include <catch2/catch.hpp>

using codalab::ui::EnglishPlurals;

namespace {
QString tr(const char *text, int n)
{
    return QCoreApplication::translate("Test", text, nullptr, n);
}
} // namespace

TEST_CASE("counts read as English once the plural translator is installed", "[gui][plurals]")
{
    CHECK(tr("%n run(s) finished", 2) == QLatin1String("2 run(s) finished")); // as written, without it
    {
        EnglishPlurals plurals;
        REQUIRE(QCoreApplication::installTranslator(&plurals));
        CHECK(tr("%n run(s) finished", 1) == QLatin1String("1 run finished"));
        CHECK(tr("%n run(s) finished", 2) == QLatin1String("2 runs finished"));
        CHECK(tr("%n run(s) finished", 0) == QLatin1String("0 runs finished"));
        CHECK(tr("%n entry(ies)", 1) == QLatin1String("1 entry"));
        CHECK(tr("%n dependency(ies)", 3) == QLatin1String("3 dependencies"));
        CHECK(tr("Asks for %n GPU(s); your worker has %1.", 2)
            == QLatin1String("Asks for 2 GPUs; your worker has %1."));
        // No count, or no marker: left alone.
        CHECK(QCoreApplication::translate("Test", "Run(s) are kept") == QLatin1String("Run(s) are kept"));
        CHECK(tr("%n failed", 2) == QLatin1String("2 failed"));
    }
    CHECK(tr("%n run(s)", 1) == QLatin1String("1 run(s)")); // uninstalled with its destruction
}
