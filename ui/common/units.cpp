// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/units.h"

#include <QList>
#include <QLocale>

#include <algorithm>
#include <cmath>

namespace codalab::ui {

QString Units::bytes(double bytes)
{
    static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB" };
    double value = qMax(0.0, bytes);
    int unit = 0;
    while (value >= 1024 && unit < 5) {
        value /= 1024;
        ++unit;
    }
    const QString number = (unit == 0 || value >= 100 || value == std::floor(value))
        ? QString::number(qRound64(value))
        : QString::number(value, 'f', 1);
    // "1023.96 KiB" rounds to "1024.0"; say "1 MiB" instead.
    if (unit < 5 && unit > 0 && number == QLatin1String("1024")) {
        return tr("%1 %2").arg(QStringLiteral("1"), QLatin1String(units[unit + 1]));
    }
    return tr("%1 %2").arg(number, QLatin1String(units[unit]));
}

QString Units::duration(qint64 seconds)
{
    const qint64 s = qMax<qint64>(0, seconds);
    const qint64 days = s / 86400;
    const QString clock = QStringLiteral("%1:%2:%3")
                              .arg((s % 86400) / 3600)
                              .arg((s % 3600) / 60, 2, 10, QLatin1Char('0'))
                              .arg(s % 60, 2, 10, QLatin1Char('0'));
    return days > 0 ? tr("%1d %2").arg(days).arg(clock) : clock;
}

QString Units::moment(const QDateTime &at, const QDateTime &now)
{
    const QLocale locale;
    const QDateTime local = at.toLocalTime();
    const qint64 days = now.toLocalTime().date().daysTo(local.date());
    if (days == 0) {
        return locale.toString(local.time(), QLocale::ShortFormat);
    }
    if (days > 0 && days < 7) {
        return locale.dayName(local.date().dayOfWeek(), QLocale::ShortFormat) + QLatin1Char(' ')
            + locale.toString(local.time(), QLocale::ShortFormat);
    }
    return locale.toString(local, QLocale::ShortFormat);
}

QString Units::ago(qint64 seconds)
{
    if (seconds < 0) {
        return tr("just now");
    }
    if (seconds < 60) {
        return tr("%1 s ago").arg(seconds);
    }
    if (seconds < 3600) {
        return tr("%1 min ago").arg(seconds / 60);
    }
    if (seconds < 86400) {
        return tr("%1 h ago").arg(seconds / 3600);
    }
    return tr("%1 d ago").arg(seconds / 86400);
}

QString Units::cpuRanges(const QJsonArray &cpus)
{
    QList<int> list;
    for (const QJsonValue &v : cpus) {
        list.append(v.toInt());
    }
    std::sort(list.begin(), list.end());
    list.erase(std::unique(list.begin(), list.end()), list.end());
    QStringList parts;
    for (int i = 0; i < list.size();) {
        int j = i;
        while (j + 1 < list.size() && list.at(j + 1) == list.at(j) + 1) {
            ++j;
        }
        parts.append(
            j == i ? QString::number(list.at(i)) : QStringLiteral("%1-%2").arg(list.at(i)).arg(list.at(j)));
        i = j + 1;
    }
    return parts.join(QLatin1Char(','));
}

QString Units::shortUuid(const QString &uuid)
{
    return uuid.left(8);
}

QString Units::percent(double fraction)
{
    return tr("%1 %").arg(qRound(qMax(0.0, fraction) * 100));
}

QString Units::transferred(qint64 done, qint64 total)
{
    if (total <= 0) {
        return bytes(double(done));
    }
    return tr("%1 of %2 (%3)")
        .arg(bytes(double(done)), bytes(double(total)), percent(double(done) / double(total)));
}

QString Units::gpus(const QJsonArray &uuids, const QJsonArray &statusGpus)
{
    QStringList names;
    for (const QJsonValue &u : uuids) {
        QString name = u.toString();
        for (const QJsonValue &g : statusGpus) {
            if (g[QLatin1String("uuid")].toString() == u.toString()) {
                const QString model = g[QLatin1String("name")].toString();
                name = model.isEmpty() ? tr("GPU %1").arg(g[QLatin1String("index")].toInt())
                                       : tr("GPU %1 (%2)").arg(g[QLatin1String("index")].toInt()).arg(model);
            }
        }
        names.append(name);
    }
    return names.join(QStringLiteral(", "));
}

} // namespace codalab::ui
