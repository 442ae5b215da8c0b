// SPDX-License-Identifier: GPL-3.0-or-later
#include "localserver/worksheetspec.h"

#include "localserver/worksheetstore.h"
#include "util/bundleuuid.h"

#include <QRegularExpression>

namespace codalab::localserver {

WorksheetSpec::Result WorksheetSpec::resolve(
    WorksheetStore &worksheets, const QString &rawSpec, const QString &base, const UserRecord &user)
{
    static const QRegularExpression prefixPattern(QStringLiteral("^0x[0-9a-f]{1,31}$"));
    const QString spec = rawSpec.trimmed();
    Result result;
    if (spec.isEmpty() || spec == QLatin1String("/")) {
        QString error;
        result.worksheet = worksheets.home(user, &error);
        if (!result.worksheet) {
            return { std::nullopt, 500, QStringLiteral("Cannot create the home worksheet: %1").arg(error) };
        }
        return result;
    }
    const bool isUuid = util::BundleUuid::isValid(spec);
    const bool isPrefix = isUuid || prefixPattern.match(spec).hasMatch();
    if (!isPrefix && !WorksheetStore::isValidName(spec)) {
        return { std::nullopt, 400,
            QStringLiteral(
                "Invalid name '%1'. Name must start with a letter or underscore and can only contain "
                "letters, digits, underscores, periods, and dashes.")
                .arg(spec) };
    }
    const QString prefix = isPrefix ? spec : QString();
    const QString name = isPrefix ? QString() : spec;
    QList<WorksheetRecord> found;
    if (!base.isEmpty() && base != QLatin1String("None")) {
        found = worksheets.find(prefix, name, base);
    }
    if (found.isEmpty()) {
        found = worksheets.find(prefix, name);
    }
    const QString what = isPrefix ? QStringLiteral("uuid starting with '%1'").arg(spec)
                                  : QStringLiteral("name '%1'").arg(spec);
    if (found.isEmpty()) {
        return { std::nullopt, 404, QStringLiteral("No worksheet found with %1").arg(what) };
    }
    if (found.size() > 1) {
        QString list;
        for (const WorksheetRecord &ws : std::as_const(found)) {
            list += QStringLiteral("\n  Worksheet(uuid='%1', name='%2')").arg(ws.uuid, ws.name);
        }
        return { std::nullopt, 400, QStringLiteral("Found multiple worksheets with %1:%2").arg(what, list) };
    }
    result.worksheet = found.first();
    return result;
}

} // namespace codalab::localserver
