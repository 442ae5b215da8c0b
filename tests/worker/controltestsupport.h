// SPDX-License-Identifier: GPL-3.0-or-later
// Helpers shared by the control-socket tests: a scripted handler, raw clients and socket probes.
#pragma once

#include "worker/controlcall.h"
#include "worker/controlclient.h"
#include "worker/controlserver.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocalServer>
#include <QLocalSocket>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

namespace codalab::test::control {

using namespace codalab::worker;

inline constexpr int WaitMs = 20000;

/// The worker side for these tests: a few methods with results, errors and an exception.
inline ControlServer::Handler testHandler(QStringList *seen = nullptr)
{
    return [seen](const QString &method, const QJsonValue &params, ControlError *error) -> QJsonValue {
        if (seen) {
            seen->append(method);
        }
        if (method == QLatin1String("add")) {
            const QJsonArray numbers = params.toArray();
            if (numbers.size() != 2 || !numbers.at(0).isDouble() || !numbers.at(1).isDouble()) {
                *error = ControlError::invalidParams(QStringLiteral("add takes two numbers"));
                return {};
            }
            return numbers.at(0).toDouble() + numbers.at(1).toDouble();
        }
        if (method == QLatin1String("echo")) {
            return params;
        }
        if (method == QLatin1String("busy")) {
            *error = ControlError::make(
                7, QStringLiteral("slot 2 is busy"), QJsonObject { { QStringLiteral("slot"), 2 } });
            return {};
        }
        if (method == QLatin1String("blob")) {
            return QString(params.toObject().value(QStringLiteral("size")).toInt(), u'x');
        }
        if (method == QLatin1String("note")) {
            return true;
        }
        if (method == QLatin1String("throw")) {
            throw std::runtime_error("boom");
        }
        return QJsonValue(QJsonValue::Undefined); // not ours: "method not found"
    };
}

struct CallResult
{
    QJsonValue result;
    ControlError error;
};

inline CallResult waitCall(ControlCall *call)
{
    QSignalSpy spy(call, &ControlCall::finished);
    REQUIRE(spy.wait(WaitMs));
    REQUIRE(spy.size() == 1);
    return { spy.at(0).at(0).value<QJsonValue>(), spy.at(0).at(1).value<ControlError>() };
}

inline void connectClient(ControlClient &client, const QString &path)
{
    QSignalSpy connected(&client, &ControlClient::connected);
    client.connectToServer(path);
    REQUIRE(connected.wait(WaitMs));
    REQUIRE(client.isConnected());
}

/// A line-level client, for what ControlClient never sends.
class RawClient
{
public:
    explicit RawClient(const QString &path)
    {
        m_socket.connectToServer(path);
        REQUIRE(m_socket.waitForConnected(WaitMs));
    }

    void send(const QByteArray &bytes) { m_socket.write(bytes); }
    QJsonValue next()
    {
        REQUIRE(QTest::qWaitFor([this] { return m_socket.canReadLine(); }, WaitMs));
        const QJsonDocument document = QJsonDocument::fromJson(m_socket.readLine());
        REQUIRE((document.isObject() || document.isArray()));
        return document.isArray() ? QJsonValue(document.array()) : QJsonValue(document.object());
    }
    QLocalSocket &socket() { return m_socket; }

private:
    QLocalSocket m_socket;
};

inline int errorCode(const QJsonValue &answer)
{
    return answer[QLatin1String("error")][QLatin1String("code")].toInt();
}

/// A plain unix socket file descriptor, closed on scope exit.
struct UnixFd
{
    int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
    ~UnixFd() { ::close(fd); }
    static sockaddr_un address(const QString &path)
    {
        sockaddr_un address {};
        address.sun_family = AF_UNIX;
        const QByteArray encoded = QFile::encodeName(path);
        std::memcpy(address.sun_path, encoded.constData(), size_t(encoded.size()) + 1);
        return address;
    }
    bool bind(const QString &path)
    {
        const sockaddr_un a = address(path);
        return ::bind(fd, reinterpret_cast<const sockaddr *>(&a), sizeof(a)) == 0;
    }
    bool connect(const QString &path)
    {
        const sockaddr_un a = address(path);
        return ::connect(fd, reinterpret_cast<const sockaddr *>(&a), sizeof(a)) == 0;
    }
};

inline mode_t modeOf(const QString &path)
{
    struct stat info
    {
    };
    REQUIRE(::lstat(QFile::encodeName(path).constData(), &info) == 0);
    return info.st_mode;
}

inline QByteArray request(
    const QJsonValue &id, const QString &method, const QJsonValue &params = QJsonValue::Undefined)
{
    QJsonObject object { { QStringLiteral("jsonrpc"), QStringLiteral("2.0") },
        { QStringLiteral("method"), method } };
    if (!id.isUndefined()) {
        object.insert(QStringLiteral("id"), id);
    }
    if (!params.isUndefined()) {
        object.insert(QStringLiteral("params"), params);
    }
    return QJsonDocument(object).toJson(QJsonDocument::Compact) + '\n';
}

inline const QJsonValue NoId = QJsonValue::Undefined;

} // namespace codalab::test::control
