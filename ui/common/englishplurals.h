// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QTranslator>

namespace codalab::ui {

/// English plural forms without a .qm file: the source strings are written as Qt's numerus convention asks,
/// "%n run(s)" and "%n entry(ies)" with tr(..., nullptr, n), and this translator picks "1 run" / "2 runs" and
/// "1 entry" / "3 entries". Strings without a count are left to the next translator (or shown as written),
/// so a real translation installed after it still wins.
///
/// Usage: install it in main() (QCoreApplication::installTranslator); tests may install one of their own.
class EnglishPlurals : public QTranslator
{
    Q_OBJECT
public:
    using QTranslator::QTranslator;

    QString translate(const char *context, const char *sourceText, const char *disambiguation = nullptr,
        int n = -1) const override;
    bool isEmpty() const override { return false; }

    /// The plural choice alone: "(s)" and "y(ies)" markers resolved for `n`.
    static QString resolve(const QString &text, int n);
};

} // namespace codalab::ui
