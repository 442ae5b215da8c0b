// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QLocalServer>
#include <QTemporaryDir>

#include <functional>

namespace codalab::test {

/// A stand-in Docker Engine on a unix socket for the failures a real daemon will not produce on demand:
/// malformed JSON, a broken log stream, a connection dropped mid-answer. Each request is answered by
/// the handler with raw HTTP bytes; an empty answer closes the connection without a word, and Hold keeps
/// it open in silence.
class ScriptedEngine : public QObject
{
    Q_OBJECT
public:
    using Handler = std::function<QByteArray(const QByteArray &method, const QByteArray &path)>;
    static constexpr QByteArrayView Hold = "<hold>";

    explicit ScriptedEngine(Handler handler);
    QString socketPath() const { return m_dir.filePath(QStringLiteral("engine.sock")); }
    QString dockerHost() const { return QStringLiteral("unix://") + socketPath(); }
    int requests() const { return m_requests; }

    static QByteArray response(int status, const QByteArray &contentType, const QByteArray &body);

private:
    QTemporaryDir m_dir;
    QLocalServer m_server;
    Handler m_handler;
    int m_requests = 0;
};

} // namespace codalab::test
