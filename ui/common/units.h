// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QCoreApplication>
#include <QDateTime>
#include <QJsonArray>
#include <QString>

namespace codalab::ui {

/// How every page writes numbers: sizes in binary units ("1.2 GiB"),
/// durations as a clock ("0:12:03"), ages ("3 s ago"), CPU lists as ranges ("0-3,8") and short uuids.
class Units
{
    Q_DECLARE_TR_FUNCTIONS(Units)
public:
    Units() = delete;

    /// 0 → "0 B", 1536 → "1.5 KiB", 2 GiB → "2 GiB", 150 GiB → "150 GiB" (one decimal below 100, none
    /// when whole).
    static QString bytes(double bytes);
    /// 723 → "0:12:03", 90061 → "1d 1:01:01"; a negative value counts as 0.
    static QString duration(qint64 seconds);
    /// A moment near `now` as every page writes it, in the locale's short formats: the time alone today
    /// ("00:59"), with the weekday within a week ("Sun 00:59"), with the date otherwise.
    static QString moment(const QDateTime &at, const QDateTime &now);
    /// 3 → "3 s ago", 150 → "2 min ago", 7200 → "2 h ago", 200000 → "2 d ago"; below 0 → "just now".
    static QString ago(qint64 seconds);
    /// [0,1,2,3,8,10,11] → "0-3,8,10-11" (sorted first); [] → "".
    static QString cpuRanges(const QJsonArray &cpus);
    /// "0x" and the next 6 hex digits, as `cl` shows bundles.
    static QString shortUuid(const QString &uuid);
    /// "45 %" of a fraction 0..1.
    static QString percent(double fraction);
    /// How far a transfer is: "1.5 MiB of 3 MiB (50 %)", or "1.5 MiB" while the total is unknown (0).
    static QString transferred(qint64 done, qint64 total);
    /// GPUs given by uuid, named from the status's `gpus` list: "GPU 0 (NVIDIA H100), GPU 1 (...)"; a uuid
    /// the list lacks is shown as it is. [] → "".
    static QString gpus(const QJsonArray &uuids, const QJsonArray &statusGpus);
};

} // namespace codalab::ui
