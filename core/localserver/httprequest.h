// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "localserver/serverstore.h"

#include <QByteArray>
#include <QFile>
#include <QHash>
#include <QStringList>
#include <QUrlQuery>

#include <memory>

namespace codalab::localserver {

/// A request as the route handlers see it: what HttpConnection parsed, with the path captures and the
/// authenticated user. Copies may be kept past the handler (an answer that comes later).
struct HttpRequest
{
    QByteArray method; ///< "GET", "POST", ...
    QString path; ///< percent-decoded, without the query
    QByteArray rawPath; ///< as sent, for paths whose escapes matter (contents paths)
    QUrlQuery query;
    QHash<QByteArray, QByteArray> headers; ///< lower-case names
    QByteArray body; ///< the body, unless the route takes it as a file
    /// The body of a route that takes large uploads, streamed to a temporary file as it arrived (open, at its
    /// start); removed with the last copy of the request. Null for other routes.
    std::shared_ptr<QFile> bodyFile;
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
