// SPDX-License-Identifier: GPL-3.0-or-later
#include "myruns/runtimes.h"

#include "common/units.h"
#include "server/bundlestate.h"
#include "server/metadatakey.h"

#include <QStringList>

namespace codalab::ui {

namespace {

QJsonObject attributesOf(const QJsonObject &bundle)
{
    return bundle.value(QLatin1String("attributes")).toObject();
}

QJsonObject metadataOf(const QJsonObject &bundle)
{
    return attributesOf(bundle).value(QLatin1String("metadata")).toObject();
}

/// Whole seconds of a metadata time; upstream may send fractions. Nullopt when absent or not positive.
std::optional<qint64> epochOf(const QJsonObject &m, QLatin1String key)
{
    const QJsonValue v = m.value(key);
    const auto t = qint64(v.toDouble());
    return v.isDouble() && t > 0 ? std::optional(t) : std::nullopt;
}

} // namespace

std::optional<qint64> RunTimes::started(const QJsonObject &bundle)
{
    return epochOf(metadataOf(bundle), server::MetadataKey::Started);
}

std::optional<qint64> RunTimes::ended(const QJsonObject &bundle)
{
    if (!server::BundleState::isFinal(attributesOf(bundle).value(QLatin1String("state")).toString())) {
        return std::nullopt;
    }
    return epochOf(metadataOf(bundle), server::MetadataKey::LastUpdated);
}

std::optional<qint64> RunTimes::runSeconds(const QJsonObject &bundle, qint64 nowSecs)
{
    const auto start = started(bundle);
    if (!start) {
        return std::nullopt;
    }
    const QString state = attributesOf(bundle).value(QLatin1String("state")).toString();
    const auto end = server::BundleState::isFinal(state) ? ended(bundle) : std::optional(nowSecs);
    // A finished run the server kept no end for: the container's own time is all there is.
    const qint64 container = qRound64(metadataOf(bundle).value(server::MetadataKey::Time).toDouble());
    return end ? qMax<qint64>(0, qMax(*end - *start, container)) : container;
}

QString RunTimes::runText(const QJsonObject &bundle, qint64 nowSecs)
{
    const auto seconds = runSeconds(bundle, nowSecs);
    return seconds ? Units::duration(*seconds) : QString();
}

QString RunTimes::breakdown(const QJsonObject &bundle)
{
    const QJsonObject m = metadataOf(bundle);
    QStringList parts;
    const struct
    {
        const char *key;
        const char *words;
    } stages[] = { { "time_preparing", QT_TR_NOOP("preparing %1") },
        { "time_running", QT_TR_NOOP("running %1") }, { "time", QT_TR_NOOP("container %1") } };
    for (const auto &s : stages) {
        const QJsonValue v = m.value(QLatin1String(s.key));
        if (v.isDouble()) {
            parts << tr(s.words).arg(Units::duration(qRound64(v.toDouble())));
        }
    }
    return parts.join(QStringLiteral(", "));
}

QString RunTimes::key(const QJsonObject &bundle)
{
    const auto start = started(bundle);
    if (!start) {
        return {};
    }
    const auto end = ended(bundle);
    return QStringLiteral("%1-%2-%3")
        .arg(*start)
        .arg(end ? QString::number(*end) : QStringLiteral("now"))
        .arg(metadataOf(bundle).value(server::MetadataKey::Time).toDouble());
}

} // namespace codalab::ui
