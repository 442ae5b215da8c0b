// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "localserver/httpresponse.h"

#include <QPointer>
#include <QTcpSocket>

#include <functional>
#include <memory>

namespace codalab::localserver {

/// Answers one request, now or later (a check-in long poll keeps its responder for seconds). Copies share
/// one answer: the first send() wins. If the client has gone meanwhile, send() does nothing.
///
/// The connection that made it learns through `onDone` when the answer has been handed to the socket in
/// full (a streamed file: its last chunk), so that it reads the next request only then and answers stay
/// in order; with `closeAfter` the answer says "Connection: close".
class HttpResponder
{
public:
    explicit HttpResponder(QTcpSocket *socket, bool closeAfter = false, std::function<void()> onDone = {});

    void send(const HttpResponse &response) const;
    /// Sends `head` (its body ignored) and then `length` bytes of the file from `offset`, read in chunks as
    /// the socket drains, so a multi-gigabyte file never sits in memory.
    void sendFile(HttpResponse head, const QString &path, qint64 offset, qint64 length) const;
    bool isSent() const { return m_state->sent; }
    /// False once the client closed the connection.
    bool isConnected() const;

private:
    struct State
    {
        QPointer<QTcpSocket> socket;
        bool sent = false;
        bool closeAfter = false;
        std::function<void()> onDone;
    };
    QByteArray wire(HttpResponse response) const;
    static void done(const std::shared_ptr<State> &state);

    std::shared_ptr<State> m_state;
};

} // namespace codalab::localserver
