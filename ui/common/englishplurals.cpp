// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/englishplurals.h"

namespace codalab::ui {

QString EnglishPlurals::resolve(const QString &text, int n)
{
    const bool one = n == 1;
    QString out = text;
    out.replace(QLatin1String("y(ies)"), one ? QStringLiteral("y") : QStringLiteral("ies"));
    out.replace(QLatin1String("(s)"), one ? QString() : QStringLiteral("s"));
    return out;
}

QString EnglishPlurals::translate(const char *, const char *sourceText, const char *, int n) const
{
    if (n < 0 || !sourceText) {
        return {}; // not a numerus string: nothing to choose
    }
    const QString source = QString::fromUtf8(sourceText);
    if (!source.contains(QLatin1String("(s)")) && !source.contains(QLatin1String("y(ies)"))) {
        return {};
    }
    // QCoreApplication::translate() puts the number in for %n afterwards.
    return resolve(source, n);
}

} // namespace codalab::ui
