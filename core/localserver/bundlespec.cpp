// SPDX-License-Identifier: GPL-3.0-or-later
#include "localserver/bundlespec.h"

#include "localserver/bundlestore.h"
#include "localserver/worksheetspec.h"
#include "localserver/worksheetstore.h"
#include "server/metadatakey.h"
#include "util/bundleuuid.h"

#include <QRegularExpression>

namespace codalab::localserver {

QStringList BundleSpec::worksheetBundles(const QString &worksheetUuid) const
{
    QStringList out;
    const QList<WorksheetItemRecord> items = m_worksheets.items(worksheetUuid);
    for (auto it = items.crbegin(); it != items.crend(); ++it) {
        if (it->type == WorksheetItemRecord::Bundle && !it->bundleUuid.isEmpty()) {
            out << it->bundleUuid;
        }
    }
    return out;
}

BundleSpec::Result BundleSpec::resolve(
    const QString &rawSpec, const QString &worksheetUuid, const UserRecord &user) const
{
    static const QRegularExpression prefixPattern(QStringLiteral("^0x[0-9a-f]{1,31}$"));
    static const QRegularExpression namePattern(
        QStringLiteral("^([a-zA-Z_%][a-zA-Z0-9_.%*\\-]*)?(\\^(\\d*))?$"));
    const QString spec = rawSpec.trimmed();
    if (spec.isEmpty()) {
        return { std::nullopt, 400, QStringLiteral("Tried to expand empty bundle_spec!") };
    }
    if (spec.contains(QLatin1Char('/'))) {
        // <worksheet>/<bundle> (and <worksheet>//<bundle>): the bundle on that worksheet.
        const qsizetype slash = spec.indexOf(QLatin1Char('/'));
        const auto ws = WorksheetSpec::resolve(m_worksheets, spec.left(slash), worksheetUuid, user);
        if (!ws.worksheet) {
            return { std::nullopt, ws.status, ws.error };
        }
        QString rest = spec.mid(slash + 1);
        if (rest.startsWith(QLatin1Char('/'))) {
            rest = rest.mid(1);
        }
        return resolve(rest, ws.worksheet->uuid, user);
    }
    if (util::BundleUuid::isValid(spec)) {
        auto bundle = m_bundles.get(spec);
        if (!bundle) {
            return { std::nullopt, 404, QStringLiteral("Bundle %1 not found").arg(spec) };
        }
        return { bundle, 200, {} };
    }
    if (prefixPattern.match(spec).hasMatch()) {
        BundleQuery q;
        q.uuidPrefix = spec;
        q.limit = 2;
        const QList<BundleRecord> found = m_bundles.search(q);
        if (found.isEmpty()) {
            return { std::nullopt, 404,
                QStringLiteral("uuid prefix %1 doesn't match any bundles").arg(spec) };
        }
        if (found.size() > 1) {
            return { std::nullopt, 400, QStringLiteral("More than one bundle has uuid prefix %1").arg(spec) };
        }
        return { found.first(), 200, {} };
    }
    const QRegularExpressionMatch m = namePattern.match(spec);
    if (!m.hasMatch()) {
        return { std::nullopt, 400, QStringLiteral("Invalid bundle_spec: %1").arg(spec) };
    }
    QString name = m.captured(1);
    name.replace(QLatin1String(".*"), QLatin1String("%"));
    const int index = m.captured(3).isEmpty() ? 1 : m.captured(3).toInt();
    QStringList candidates;
    if (!worksheetUuid.isEmpty() && worksheetUuid != QLatin1String("None")) {
        candidates = worksheetBundles(worksheetUuid);
    } else if (name.isEmpty()) {
        return { std::nullopt, 400, QStringLiteral("Nothing is specified") };
    }
    QList<BundleRecord> matches;
    if (!candidates.isEmpty() || (!worksheetUuid.isEmpty() && worksheetUuid != QLatin1String("None"))) {
        const QRegularExpression wildcard(QLatin1Char('^')
            + QRegularExpression::escape(name).replace(QLatin1String("%"), QLatin1String(".*"))
            + QLatin1Char('$'));
        for (const QString &uuid : std::as_const(candidates)) {
            const auto bundle = m_bundles.get(uuid);
            if (!bundle) {
                continue;
            }
            const QString bundleName = bundle->metadata.value(server::MetadataKey::Name).toString();
            if (name.isEmpty() || wildcard.match(bundleName).hasMatch()) {
                matches << *bundle;
            }
        }
    } else {
        BundleQuery q;
        q.conditions << (name.contains(QLatin1Char('%'))
                ? QStringLiteral("json_extract(metadata, '$.name') LIKE ?")
                : QStringLiteral("json_extract(metadata, '$.name') = ?"));
        q.values << name;
        q.limit = index;
        matches = m_bundles.search(q);
    }
    if (name.isEmpty()) {
        if (index < 1 || index > matches.size()) {
            return { std::nullopt, 400,
                QStringLiteral("%1 bundles, index %2 out of bounds").arg(matches.size()).arg(index) };
        }
        return { matches.at(index - 1), 200, {} };
    }
    if (matches.isEmpty()) {
        return { std::nullopt, 404, QStringLiteral("bundle spec %1 doesn't match any bundles").arg(spec) };
    }
    if (index < 1 || index > matches.size()) {
        return { std::nullopt, 400,
            QStringLiteral("bundle spec %1 matches %2 bundles, index %3 out of bounds")
                .arg(name)
                .arg(matches.size())
                .arg(index) };
    }
    return { matches.at(index - 1), 200, {} };
}

} // namespace codalab::localserver
