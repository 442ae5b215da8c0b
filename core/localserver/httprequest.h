// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "localserver/serverstore.h"

#include <QByteArray>
#include <QHash>
#include <QStringList>
#include <QUrlQuery>

namespace codalab::localserver {

/// A request as the route handlers see it: copied out of Qt HttpServer's request (which cannot be kept
/// past its handler), with the path captures and the authenticated user.
struct HttpRequest
{
    QByteArray method; ///< "GET", "POST", ...
    QString path; ///< percent-decoded, without the query
    QByteArray rawPath; ///< as sent, for paths whose escapes matter (contents paths)
    QUrlQuery query;
    QHash<QByteArray, QByteArray> headers; ///< lower-case names
    QByteArray body;
    QStringList captures; ///< the route pattern's groups
    std::optional<UserRecord> user;

    QByteArray header(const QByteArray &name) const { return headers.value(name.toLower()); }
    QString queryValue(const QString &key) const { return query.queryItemValue(key, QUrl::FullyDecoded); }
    QStringList queryValues(const QString &key) const
    {
        return query.allQueryItemValues(key, QUrl::FullyDecoded);
    }
    bool queryFlag(const QString &key) const
    {
        const QString v = queryValue(key);
        return v == QLatin1String("1") || v.compare(QLatin1String("true"), Qt::CaseInsensitive) == 0;
    }
};

} // namespace codalab::localserver
