// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "server/apierror.h"

#include <QJsonDocument>
#include <QList>
#include <QPair>

namespace codalab::server {

/// What one REST call produced.
struct ApiResult
{
    ApiError error;
    int httpStatus = 0;
    QByteArray body;
    QJsonDocument json; ///< when the answer was `Content-Type: application/json`
    QList<QPair<QByteArray, QByteArray>> headers;
    int attempts = 0; ///< 1 unless transient failures were retried

    bool ok() const { return !error.isError(); }
    QByteArray header(const QByteArray &name) const
    {
        for (const auto &[key, value] : headers) {
            if (key.compare(name, Qt::CaseInsensitive) == 0) {
                return value;
            }
        }
        return {};
    }
};

} // namespace codalab::server

Q_DECLARE_METATYPE(codalab::server::ApiResult)
