// SPDX-License-Identifier: GPL-3.0-or-later
#include "docker/pullprogress.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace codalab::docker {

namespace {

// Decimal units as the Docker CLI prints them, so the figures match what users see in a terminal.
QString decimalSize(qint64 bytes)
{
    static const char *const units[] = { "B", "kB", "MB", "GB", "TB" };
    double value = double(bytes);
    int unit = 0;
    while (value >= 1000.0 && unit < 4) {
        value /= 1000.0;
        ++unit;
    }
    return QString::number(value, 'f', unit == 0 ? 0 : 1) + QLatin1String(units[unit]);
}

} // namespace

QString PullStatus::text() const
{
    if (totalBytes <= 0) {
        return lastStatus;
    }
    const int percent = int(100 * currentBytes / totalBytes);
    return QStringLiteral("%1 %2/%3 (%4% done)")
        .arg(lastStatus, decimalSize(currentBytes), decimalSize(totalBytes))
        .arg(percent);
}

bool PullProgress::feed(QByteArrayView data)
{
    bool changed = false;
    m_partial.append(data);
    qsizetype newline = 0;
    while (!hasError() && (newline = m_partial.indexOf('\n')) >= 0) {
        const QByteArray line = m_partial.left(newline).trimmed();
        m_partial.remove(0, newline + 1);
        if (!line.isEmpty()) {
            changed = readLine(line) || changed;
        }
    }
    return changed;
}

bool PullProgress::finish()
{
    const QByteArray line = m_partial.trimmed();
    m_partial.clear();
    return !line.isEmpty() && !hasError() && readLine(line);
}

bool PullProgress::readLine(const QByteArray &line)
{
    QJsonParseError parseError {};
    const QJsonDocument doc = QJsonDocument::fromJson(line, &parseError);
    if (!doc.isObject()) {
        m_error = QStringLiteral("Malformed pull progress from Docker: %1").arg(parseError.errorString());
        return false;
    }
    const QJsonObject object = doc.object();
    if (object.contains(QLatin1String("error"))) {
        const QString detail = object.value(QLatin1String("errorDetail"))
                                   .toObject()
                                   .value(QLatin1String("message"))
                                   .toString();
        m_error = detail.isEmpty() ? object.value(QLatin1String("error")).toString() : detail;
        if (m_error.isEmpty()) {
            m_error = QStringLiteral("unknown error");
        }
        return false;
    }
    const QString status = object.value(QLatin1String("status")).toString();
    if (status.startsWith(QLatin1String("Digest: "))) {
        m_digest = status.mid(8).trimmed();
    }
    const QString layer = object.value(QLatin1String("id")).toString();
    const QJsonObject detail = object.value(QLatin1String("progressDetail")).toObject();
    // Only the download phase carries byte counts worth summing; extraction repeats the same sizes.
    if (!layer.isEmpty() && status == QLatin1String("Downloading")
        && detail.contains(QLatin1String("total"))) {
        m_layerBytes[layer] = { detail.value(QLatin1String("current")).toInteger(),
            detail.value(QLatin1String("total")).toInteger() };
    }
    if (!layer.isEmpty()
        && (status == QLatin1String("Pull complete") || status == QLatin1String("Already exists"))) {
        m_layerDone[layer] = true;
        if (m_layerBytes.contains(layer)) {
            m_layerBytes[layer].first = m_layerBytes[layer].second;
        }
    } else if (!layer.isEmpty() && !m_layerDone.contains(layer)
        && !status.startsWith(QLatin1String("Pulling from"))) {
        m_layerDone.insert(layer, false);
    }
    m_status.lastStatus = status;
    m_status.currentBytes = 0;
    m_status.totalBytes = 0;
    for (const auto &[current, total] : std::as_const(m_layerBytes)) {
        m_status.currentBytes += current;
        m_status.totalBytes += total;
    }
    m_status.layers = int(m_layerDone.size());
    m_status.layersDone = int(std::count(m_layerDone.cbegin(), m_layerDone.cend(), true));
    return true;
}

} // namespace codalab::docker
