// SPDX-License-Identifier: GPL-3.0-or-later
#include "worker/controlerror.h"

#include <cmath>

namespace codalab::worker {

ControlError ControlError::make(int code, QString message, QJsonValue data)
{
    ControlError error;
    error.code = code;
    error.message = std::move(message);
    error.data = std::move(data);
    return error;
}

ControlError ControlError::invalidRequest(const QString &why)
{
    return make(InvalidRequest, QStringLiteral("invalid request: %1").arg(why));
}

ControlError ControlError::methodNotFound(const QString &method)
{
    return make(MethodNotFound, QStringLiteral("unknown method \"%1\"").arg(method));
}

ControlError ControlError::invalidParams(const QString &why)
{
    return make(InvalidParams, QStringLiteral("invalid params: %1").arg(why));
}

QJsonObject ControlError::toJson() const
{
    QJsonObject object { { QStringLiteral("code"), code }, { QStringLiteral("message"), message } };
    if (!data.isNull() && !data.isUndefined()) {
        object.insert(QStringLiteral("data"), data);
    }
    return object;
}

QJsonObject ControlError::toResponse(const QJsonValue &id) const
{
    return { { QStringLiteral("jsonrpc"), QStringLiteral("2.0") }, { QStringLiteral("id"), id },
        { QStringLiteral("error"), toJson() } };
}

ControlError ControlError::fromJson(const QJsonValue &value)
{
    const QJsonObject object = value.toObject();
    const QJsonValue code = object.value(QStringLiteral("code"));
    const QJsonValue message = object.value(QStringLiteral("message"));
    // The code must be a non-zero integer: 0 would read as "no error" and hide the failure.
    if (!value.isObject() || !code.isDouble() || code.toDouble() != std::trunc(code.toDouble())
        || code.toInt() == 0 || !message.isString()) {
        return make(TransportError, QStringLiteral("the worker sent a malformed error object"), value);
    }
    return make(code.toInt(), message.toString(), object.value(QStringLiteral("data")));
}

} // namespace codalab::worker
