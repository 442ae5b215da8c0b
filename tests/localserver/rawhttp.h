// SPDX-License-Identifier: GPL-3.0-or-later
// A raw HTTP client for what no well-behaved client sends: garbage, lies about sizes, requests cut off.
#pragma once

#include "support/spinuntil.h"

#include <QTcpSocket>
#include <QUrl>

#include <catch2/catch.hpp>

namespace codalab::test {

/// One TCP connection to a server, written byte for byte as the test says. Everything waits by spinning
/// the event loop, so the server may live in the same process.
///
/// Usage: RawHttp c(url); c.send("GET / HTTP/1.1\r\n..."); REQUIRE(c.waitAnswer()); CHECK(c.status() == 400).
class RawHttp
{
public:
    explicit RawHttp(const QUrl &server)
    {
        QObject::connect(&m_socket, &QTcpSocket::readyRead, [this] { m_received += m_socket.readAll(); });
        QObject::connect(&m_socket, &QTcpSocket::disconnected, [this] { m_closed = true; });
        QObject::connect(&m_socket, &QTcpSocket::errorOccurred, [this] {
            m_received += m_socket.readAll();
            m_closed = m_socket.state() != QAbstractSocket::ConnectedState;
        });
        m_socket.connectToHost(server.host(), quint16(server.port()));
        REQUIRE(spinUntil([this] { return m_socket.state() == QAbstractSocket::ConnectedState; }, 5000));
    }

    /// Writes `bytes` and waits until they left, or the server closed.
    void send(const QByteArray &bytes)
    {
        m_socket.write(bytes);
        spinUntil([this] { return m_socket.bytesToWrite() == 0 || m_closed; }, 30000, 1);
    }

    /// Streams `count` filler bytes with at most 1 MiB queued, as a client uploading a large body does. Stops
    /// early once the server answers or closes; returns how many bytes went out.
    qint64 stream(qint64 count, char fill = 'x')
    {
        constexpr qint64 Queue = 1024 * 1024;
        const QByteArray block(256 * 1024, fill);
        qint64 written = 0;
        while (written < count && !m_closed && m_received.isEmpty()) {
            if (m_socket.bytesToWrite() < Queue) {
                const qint64 n = qMin<qint64>(block.size(), count - written);
                m_socket.write(block.constData(), n);
                written += n;
                continue;
            }
            if (!spinUntil(
                    [&] { return m_socket.bytesToWrite() < Queue || m_closed || !m_received.isEmpty(); },
                    30000, 1)) {
                break; // the server stopped reading
            }
        }
        spinUntil(
            [this] { return m_socket.bytesToWrite() == 0 || m_closed || !m_received.isEmpty(); }, 30000, 1);
        return written - m_socket.bytesToWrite();
    }

    /// Waits for one whole answer (its head, and the body its Content-Length announces) or the close.
    bool waitAnswer(int timeoutMs = 15000)
    {
        return spinUntil([this] { return complete() || m_closed; }, timeoutMs, 1) && complete();
    }
    /// Waits until the server closed the connection.
    bool waitClosed(int timeoutMs = 10000)
    {
        return spinUntil([this] { return m_closed; }, timeoutMs, 1);
    }

    int status() const { return head().mid(9, 3).toInt(); }
    QByteArray head() const
    {
        const QByteArray answer = finalAnswer();
        return answer.left(answer.indexOf("\r\n\r\n"));
    }
    QByteArray body() const
    {
        const QByteArray answer = finalAnswer();
        const qsizetype end = answer.indexOf("\r\n\r\n");
        return end < 0 ? QByteArray() : answer.mid(end + 4, contentLength());
    }
    QByteArray header(const QByteArray &name) const
    {
        for (const QByteArray &line : head().split('\n')) {
            if (line.toLower().startsWith(QByteArray(name.toLower() + ':'))) {
                return line.mid(name.size() + 1).trimmed();
            }
        }
        return {};
    }
    bool closed() const { return m_closed; }
    const QByteArray &received() const { return m_received; }
    void abort() { m_socket.abort(); }

private:
    /// The answer after any "100 Continue".
    QByteArray finalAnswer() const
    {
        QByteArray answer = m_received;
        while (answer.startsWith("HTTP/1.1 100 ")) {
            answer = answer.mid(answer.indexOf("\r\n\r\n") + 4);
        }
        return answer;
    }
    qint64 contentLength() const { return header("Content-Length").toLongLong(); }
    bool complete() const
    {
        const QByteArray answer = finalAnswer();
        const qsizetype end = answer.indexOf("\r\n\r\n");
        return end >= 0 && answer.size() >= end + 4 + contentLength();
    }

    QTcpSocket m_socket;
    QByteArray m_received;
    bool m_closed = false;
};

} // namespace codalab::test
