// SPDX-License-Identifier: GPL-3.0-or-later
#include "util/bundleuuid.h"

#include <QSet>

#include <catch2/catch.hpp>

using codalab::util::BundleUuid;

TEST_CASE("generated bundle UUIDs are 0x and 32 lowercase hex digits, random version 4", "[uuid]")
{
    QSet<QString> seen;
    for (int i = 0; i < 2000; ++i) {
        const QString uuid = BundleUuid::generate();
        REQUIRE(uuid.size() == 34);
        REQUIRE(uuid.startsWith(QLatin1String("0x")));
        REQUIRE(BundleUuid::isValid(uuid));
        REQUIRE(uuid == uuid.toLower());
        // uuid4().hex: version nibble 4, variant bits 10xx.
        REQUIRE(uuid.at(2 + 12) == QLatin1Char('4'));
        REQUIRE(QStringLiteral("89ab").contains(uuid.at(2 + 16)));
        seen.insert(uuid);
    }
    CHECK(seen.size() == 2000);
}

TEST_CASE("isValid is exactly ^0x[0-9a-f]{32}$", "[uuid]")
{
    const QString digits = QStringLiteral("0123456789abcdef0123456789abcdef");
    CHECK(BundleUuid::isValid(QString(QLatin1String("0x") + digits)));
    CHECK_FALSE(BundleUuid::isValid(digits));
    CHECK_FALSE(BundleUuid::isValid(QString(QLatin1String("0X") + digits)));
    CHECK_FALSE(BundleUuid::isValid(QString(QLatin1String("0x") + digits.toUpper())));
    CHECK_FALSE(BundleUuid::isValid(QString(QLatin1String("0x") + digits.chopped(1))));
    CHECK_FALSE(BundleUuid::isValid(QString(QLatin1String("0x") + digits + QLatin1Char('0'))));
    CHECK_FALSE(BundleUuid::isValid(QString(QLatin1String("0x") + digits.chopped(1) + QLatin1Char('g'))));
    CHECK_FALSE(BundleUuid::isValid(QString(QLatin1String(" 0x") + digits.chopped(1))));
    CHECK_FALSE(BundleUuid::isValid(QString(QLatin1String("0x") + digits.chopped(1) + QLatin1Char('\n'))));
    CHECK_FALSE(BundleUuid::isValid(QString()));
}

TEST_CASE("isPrefix is ^0x[0-9a-f]{1,32}$", "[uuid]")
{
    CHECK(BundleUuid::isPrefix(QStringLiteral("0x0")));
    CHECK(BundleUuid::isPrefix(QStringLiteral("0xabc")));
    CHECK(BundleUuid::isPrefix(QStringLiteral("0x0123456789abcdef0123456789abcde")));
    CHECK(BundleUuid::isPrefix(QStringLiteral("0x0123456789abcdef0123456789abcdef")));
    CHECK_FALSE(BundleUuid::isPrefix(QStringLiteral("0x")));
    CHECK_FALSE(BundleUuid::isPrefix(QStringLiteral("0x0123456789abcdef0123456789abcdef0")));
    CHECK_FALSE(BundleUuid::isPrefix(QStringLiteral("0xABC")));
    CHECK_FALSE(BundleUuid::isPrefix(QStringLiteral("abc")));
    CHECK_FALSE(BundleUuid::isPrefix(QStringLiteral("0xab-c")));
    CHECK_FALSE(BundleUuid::isPrefix(QString()));
}
