// SPDX-License-Identifier: GPL-3.0-or-later
#include "util/bundleuuid.h"

#include <QUuid>

namespace codalab::util {

namespace {

bool isHexRun(QStringView text, qsizetype minDigits)
{
    if (text.size() < 2 + minDigits || text.size() > 34 || !text.startsWith(QLatin1String("0x"))) {
        return false;
    }
    for (const QChar c : text.sliced(2)) {
        const bool hex = (c >= QLatin1Char('0') && c <= QLatin1Char('9'))
            || (c >= QLatin1Char('a') && c <= QLatin1Char('f'));
        if (!hex) {
            return false;
        }
    }
    return true;
}

} // namespace

QString BundleUuid::generate()
{
    // QUuid::createUuid() draws from QRandomGenerator::system() (getrandom), version 4 like uuid4();
    // Id128 is the 32 lowercase digits without braces or dashes.
    return QLatin1String("0x") + QUuid::createUuid().toString(QUuid::Id128);
}

bool BundleUuid::isValid(const QString &text)
{
    return text.size() == 34 && isHexRun(text, 32);
}

bool BundleUuid::isPrefix(const QString &text)
{
    return isHexRun(text, 1);
}

} // namespace codalab::util
