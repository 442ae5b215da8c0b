// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Catch2 prints a QString as its text (not as a list of {?}), so a failed comparison shows both strings.

#include <QString>

#include <catch2/catch.hpp>

namespace Catch {
template<> struct StringMaker<QString>
{
    static std::string convert(const QString &s) { return '"' + s.toStdString() + '"'; }
};
} // namespace Catch
