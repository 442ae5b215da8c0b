// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>
#include <QUrl>

#include <atomic>

namespace codalab::util {
class BoundedPipe;
}

namespace codalab::server {

/// One HTTP PUT whose body is read from a BoundedPipe as it is produced and sent with chunked transfer
/// encoding, as upstream's CLI sends an upload (codalab-protocol.md §3.8): the length is not known
/// beforehand, and no more of the body than the pipe holds is ever in memory. Qt 6.4's network stack
/// cannot send such a body (it reads a sequential device whole first), so this uses libcurl.
///
/// Usage: run() blocks until the answer is in or the transfer failed: call it on a thread of its own. The
/// pipe's abort() (a cancel) makes it return at once; `sent` counts body bytes handed to the network.
class ChunkedPut
{
public:
    struct Result
    {
        int status = 0; ///< the HTTP status; 0 when no answer came
        QByteArray body;
        QString error; ///< transport error, or the pipe's abort reason
    };

    ChunkedPut() = delete;
    static Result run(const QUrl &url, const QList<QPair<QByteArray, QByteArray>> &headers,
        util::BoundedPipe &pipe, std::atomic<qint64> *sent);
};

} // namespace codalab::server
