// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonObject>
#include <QJsonValue>
#include <QMetaType>
#include <QString>

namespace codalab::worker {

/// A failed control-socket call, as a JSON-RPC 2.0 error object: the standard codes below, the client's
/// TransportError when the worker could not be asked, and application codes >= 1 chosen by the worker's
/// handler. `message` is ready to show to a user; `data` is optional detail (omitted when null).
/// A default-constructed ControlError (code 0) means "no error".
struct ControlError
{
    enum Code : int {
        None = 0,
        ParseError = -32700, ///< the line was not JSON
        InvalidRequest = -32600, ///< JSON, but not a JSON-RPC 2.0 request (or the line was too long)
        MethodNotFound = -32601,
        InvalidParams = -32602,
        InternalError = -32603,
        TransportError = -32000, ///< client side: no worker, it went away, it did not answer in time
    };

    int code = None;
    QString message;
    QJsonValue data;

    bool isError() const { return code != None; }
    explicit operator bool() const { return isError(); }

    static ControlError make(int code, QString message, QJsonValue data = {});
    static ControlError invalidRequest(const QString &why);
    static ControlError methodNotFound(const QString &method);
    static ControlError invalidParams(const QString &why);

    /// The "error" member of a JSON-RPC response.
    QJsonObject toJson() const;
    /// The whole JSON-RPC error response to the request with this id (null when it could not be read).
    QJsonObject toResponse(const QJsonValue &id) const;
    /// Reads a response's "error" member; a malformed one becomes a TransportError saying so.
    static ControlError fromJson(const QJsonValue &value);
};

} // namespace codalab::worker

Q_DECLARE_METATYPE(codalab::worker::ControlError)
