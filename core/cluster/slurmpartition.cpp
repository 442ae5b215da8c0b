// SPDX-License-Identifier: GPL-3.0-or-later
#include "cluster/slurmpartition.h"

#include <QHash>
#include <QRegularExpression>

#include <algorithm>
#include <limits>

namespace codalab::cluster {

namespace {

constexpr auto Format = "%P|%a|%l|%c|%m|%G|%D";
constexpr int FieldCount = 7;

// More digits than any count or limit sinfo prints; the bound also keeps every product below from
// overflowing.
constexpr qsizetype MaxDigits = 12;

std::optional<qint64> digits(QStringView s)
{
    if (s.isEmpty() || s.size() > MaxDigits) {
        return std::nullopt;
    }
    for (QChar c : s) {
        if (c < QLatin1Char('0') || c > QLatin1Char('9')) {
            return std::nullopt;
        }
    }
    return s.toLongLong();
}

/// A time limit as sinfo prints one (%l): "infinite", "D-HH:MM:SS", "H:MM:SS", "M:SS"; and, as Slurm reads
/// them everywhere (time_str2secs), "UNLIMITED", "minutes", "days-hours" and "days-hours:minutes" too.
/// The outer optional is whether it could be read, the inner one the limit (nullopt: none).
std::optional<std::optional<qint64>> timeLimit(const QString &text)
{
    if (text.compare(QLatin1String("infinite"), Qt::CaseInsensitive) == 0
        || text.compare(QLatin1String("unlimited"), Qt::CaseInsensitive) == 0
        // sinfo's "n/a": a line without a partition record, so no limit that anything would enforce.
        || text.compare(QLatin1String("n/a"), Qt::CaseInsensitive) == 0) {
        return std::optional<qint64>();
    }
    static const QRegularExpression re(QStringLiteral("^(?:(\\d+)-)?(\\d+)(?::(\\d+))?(?::(\\d+))?$"));
    const QRegularExpressionMatch m = re.match(text);
    if (!m.hasMatch()) {
        return std::nullopt;
    }
    qint64 part[4] = {};
    for (int i = 0; i < 4; ++i) {
        if (m.hasCaptured(i + 1)) {
            const auto v = digits(m.capturedView(i + 1));
            if (!v) {
                return std::nullopt;
            }
            part[i] = *v;
        }
    }
    const bool hasDays = m.hasCaptured(1);
    const int fields = 1 + int(m.hasCaptured(3)) + int(m.hasCaptured(4));
    qint64 seconds = 0;
    if (hasDays) {
        seconds = part[0] * 86400 + part[1] * 3600 + part[2] * 60 + part[3];
    } else if (fields == 3) {
        seconds = part[1] * 3600 + part[2] * 60 + part[3];
    } else {
        // "minutes" or "minutes:seconds": Slurm's reading of one or two fields without days.
        seconds = part[1] * 60 + part[2];
    }
    return std::optional<qint64>(seconds);
}

/// A per-node count, maybe "<min>+" (nodes that differ, without --exact: the smallest is all that is known)
/// and, for CPUs, with sinfo's 1024-based suffix ("1K" for 1024 CPUs).
std::optional<qint64> count(QString text, bool suffixes)
{
    if (text.endsWith(QLatin1Char('+'))) {
        text.chop(1);
    }
    qint64 factor = 1;
    if (suffixes && !text.isEmpty()) {
        const QChar unit = text.back().toUpper();
        const int power = unit == QLatin1Char('K') ? 1 : unit == QLatin1Char('M') ? 2 : 0;
        if (power > 0) {
            factor = qint64(1) << (10 * power);
            text.chop(1);
        }
    }
    const auto v = digits(text);
    return v ? std::optional<qint64>(*v * factor) : std::nullopt;
}

/// "gres1,gres2(...)" split at the commas outside parentheses: a socket list such as "(S:0,2)" has its
/// own.
std::optional<QStringList> gresItems(const QString &text)
{
    QStringList items;
    int depth = 0;
    qsizetype start = 0;
    for (qsizetype i = 0; i <= text.size(); ++i) {
        const QChar c = i < text.size() ? text.at(i) : QLatin1Char(',');
        if (c == QLatin1Char('(')) {
            ++depth;
        } else if (c == QLatin1Char(')')) {
            if (--depth < 0) {
                return std::nullopt;
            }
        } else if (c == QLatin1Char(',') && depth == 0) {
            items << text.mid(start, i - start);
            start = i + 1;
        }
    }
    if (depth != 0) {
        return std::nullopt;
    }
    return items;
}

/// The GPUs of one node from its generic resources (%G): "(null)", "gpu:2", "gpu:a100:4(S:0-1)",
/// "gpu:a100:4,gpu:v100:2" (6), "gpu:4,mps:100" (4: MPS shares GPUs, it adds none).
std::optional<qint64> gpus(const QString &gres)
{
    if (gres.isEmpty() || gres == QLatin1String("(null)")) {
        return 0;
    }
    const auto items = gresItems(gres);
    if (!items) {
        return std::nullopt;
    }
    // name[:type][:count][(S:sockets)]; a name alone counts 1, as Slurm reads "Gres=gpu".
    static const QRegularExpression re(QStringLiteral("^([A-Za-z0-9_]+)((?::[^:()]+)*)(?:\\([^()]*\\))?$"));
    qint64 total = 0;
    for (const QString &item : *items) {
        const QRegularExpressionMatch m = re.match(item);
        if (!m.hasMatch()) {
            return std::nullopt;
        }
        if (m.capturedView(1) != QLatin1String("gpu")) {
            continue;
        }
        const QStringList rest = m.captured(2).split(QLatin1Char(':'), Qt::SkipEmptyParts);
        qint64 n = 1;
        if (!rest.isEmpty() && rest.last().front().isDigit()) {
            // The last field is the count when it is a number ("4", "1K"); otherwise it names the type.
            const auto c = rest.last().endsWith(QLatin1Char('+')) ? std::nullopt : count(rest.last(), true);
            if (!c) {
                return std::nullopt;
            }
            n = *c;
        }
        total += n;
        if (total > std::numeric_limits<int>::max()) {
            return std::nullopt;
        }
    }
    return total;
}

bool fitsInt(qint64 v)
{
    return v >= 0 && v <= std::numeric_limits<int>::max();
}

} // namespace

QStringList SlurmPartition::arguments()
{
    return { QStringLiteral("--noheader"), QStringLiteral("--exact"),
        QStringLiteral("--format=%1").arg(QLatin1String(Format)) };
}

QList<SlurmPartition> SlurmPartition::parse(const QString &sinfoOutput, QString *error)
{
    QList<SlurmPartition> out;
    QHash<QString, qsizetype> index;
    const QStringList lines = sinfoOutput.split(QLatin1Char('\n'));
    for (qsizetype n = 0; n < lines.size(); ++n) {
        const QString line = lines.at(n).trimmed();
        if (line.isEmpty()) {
            continue;
        }
        const auto fail = [&](const QString &why) {
            if (error) {
                *error = QStringLiteral("sinfo line %1: %2: %3").arg(n + 1).arg(why, line);
            }
            return QList<SlurmPartition>();
        };
        QStringList f = line.split(QLatin1Char('|'));
        if (f.size() != FieldCount) {
            return fail(QStringLiteral("expected %1 fields (%2), found %3")
                            .arg(FieldCount)
                            .arg(QLatin1String(Format))
                            .arg(f.size()));
        }
        for (QString &field : f) {
            field = field.trimmed();
        }
        SlurmPartition p;
        p.name = f[0];
        if (p.name.endsWith(QLatin1Char('*'))) {
            p.isDefault = true;
            p.name.chop(1);
        }
        if (p.name.isEmpty() || p.name.contains(QLatin1Char(' '))) {
            return fail(QStringLiteral("bad partition name"));
        }
        const auto limit = timeLimit(f[2]);
        const auto cpus = count(f[3], true);
        const auto memory = count(f[4], false);
        const auto gpuCount = gpus(f[5]);
        const auto nodes = digits(f[6]);
        p.availability = f[1].toLower();
        static const QStringList states { QStringLiteral("up"), QStringLiteral("down"),
            QStringLiteral("drain"), QStringLiteral("inactive"), QStringLiteral("inact"),
            QStringLiteral("unknown"), QStringLiteral("n/a") };
        if (!states.contains(p.availability)) {
            return fail(QStringLiteral("bad availability"));
        }
        if (!limit) {
            return fail(QStringLiteral("bad time limit"));
        }
        if (!cpus || !fitsInt(*cpus)) {
            return fail(QStringLiteral("bad CPU count"));
        }
        if (!memory) {
            return fail(QStringLiteral("bad memory size"));
        }
        if (!gpuCount) {
            return fail(QStringLiteral("bad generic resources"));
        }
        if (!nodes || !fitsInt(*nodes)) {
            return fail(QStringLiteral("bad node count"));
        }
        if (p.name == QLatin1String("n/a")) {
            // Nodes in no partition: no job can be sent to them.
            continue;
        }
        p.up = p.availability == QLatin1String("up");
        p.maxTimeSeconds = *limit;
        p.nodes = int(*nodes);
        p.maxCpusPerNode = int(*cpus);
        p.maxMemoryMiBPerNode = *memory;
        p.maxGpusPerNode = int(*gpuCount);
        const auto seen = index.constFind(p.name);
        if (seen == index.constEnd()) {
            index.insert(p.name, out.size());
            out << p;
            continue;
        }
        // Another node configuration of the same partition: the partition's own fields are the same on
        // every line; the nodes add up, and a job fits if the largest node takes it.
        SlurmPartition &merged = out[*seen];
        merged.isDefault = merged.isDefault || p.isDefault;
        if (qint64(merged.nodes) + p.nodes > std::numeric_limits<int>::max()) {
            return fail(QStringLiteral("bad node count"));
        }
        merged.nodes += p.nodes;
        merged.maxCpusPerNode = qMax(merged.maxCpusPerNode, p.maxCpusPerNode);
        merged.maxMemoryMiBPerNode = qMax(merged.maxMemoryMiBPerNode, p.maxMemoryMiBPerNode);
        merged.maxGpusPerNode = qMax(merged.maxGpusPerNode, p.maxGpusPerNode);
    }
    return out;
}

QList<SlurmPartition> SlurmPartition::select(
    const QList<SlurmPartition> &partitions, const QString &configured, QStringList *missing)
{
    QStringList names;
    for (const QString &name : configured.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        if (const QString n = name.trimmed(); !n.isEmpty() && !names.contains(n)) {
            names << n;
        }
    }
    if (names.isEmpty()) {
        for (const SlurmPartition &p : partitions) {
            if (p.isDefault) {
                return { p };
            }
        }
        return {};
    }
    QList<SlurmPartition> out;
    for (const QString &name : names) {
        const auto it = std::find_if(partitions.begin(), partitions.end(),
            [&name](const SlurmPartition &p) { return p.name == name; });
        if (it != partitions.end()) {
            out << *it;
        } else if (missing) {
            *missing << name;
        }
    }
    return out;
}

} // namespace codalab::cluster
