// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QStringList>

#include <optional>

namespace codalab::localserver {

/// A worksheet row: what upstream's worksheet table and its tags hold.
struct WorksheetRecord
{
    QString uuid;
    QString name;
    QString title; ///< null until set
    QString ownerId;
    QStringList tags;
    qint64 frozen = 0; ///< epoch seconds it was frozen; 0 = not frozen
    bool isAnonymous = false;
    qint64 dateCreated = 0;
    qint64 dateLastModified = 0;
};

/// One line of a worksheet: text (`markup`), a `directive` (% ...), a `bundle` or a `worksheet` link.
struct WorksheetItemRecord
{
    static constexpr QLatin1String Markup { "markup" };
    static constexpr QLatin1String Directive { "directive" };
    static constexpr QLatin1String Bundle { "bundle" };
    static constexpr QLatin1String Worksheet { "worksheet" };

    qint64 id = 0;
    QString worksheetUuid;
    QString type;
    QString value;
    QString bundleUuid; ///< bundle items
    QString subworksheetUuid; ///< worksheet items
    std::optional<qint64> sortKey; ///< unset: ordered by id
};

} // namespace codalab::localserver
