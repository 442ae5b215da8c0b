// SPDX-License-Identifier: GPL-3.0-or-later
#include "worker/controlserver.h"

#include "util/logging.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLocalServer>
#include <QLocalSocket>
#include <QTimer>

#include <exception>
#include <unistd.h>

namespace codalab::worker {

namespace {

/// Reading from a client pauses while this much of its output is unread, and resumes once it drains,
/// so a client that pipelines requests without reading answers holds the server to about this much.
constexpr qint64 PauseReadingAt = 1024 * 1024;
constexpr qint64 ReadChunk = 64 * 1024;
constexpr int ListenBacklog = 64;
constexpr int CloseGraceMs = 5000;

QByteArray toLine(const QJsonValue &message)
{
    const QJsonDocument document
        = message.isArray() ? QJsonDocument(message.toArray()) : QJsonDocument(message.toObject());
    return document.toJson(QJsonDocument::Compact) + '\n';
}

QJsonObject answer(const QJsonValue &id, const QJsonValue &result)
{
    return { { QStringLiteral("jsonrpc"), QStringLiteral("2.0") }, { QStringLiteral("id"), id },
        { QStringLiteral("result"), result } };
}

QJsonObject invalidRequest(const QJsonValue &id, const QString &why)
{
    return ControlError::invalidRequest(why).toResponse(id);
}

} // namespace

struct ControlServer::Client
{
    QByteArray buffer; ///< unprocessed input: [lineStart, size) is the current line so far
    qsizetype lineStart = 0;
    qsizetype scanFrom = 0; ///< where to look for the next newline
    bool subscribed = false;
    bool paused = false; ///< too much unread output; reading resumes from bytesWritten
    bool closing = false; ///< gone, or closing after an error: nothing more is read or written
};

ControlServer::ControlServer(QString socketPath, Handler handler, QObject *parent)
    : QObject(parent)
    // A relative name would make QLocalSocket look in /tmp, so the path is made absolute here.
    , m_socketFile(QDir::cleanPath(QDir::current().absoluteFilePath(socketPath)))
    , m_handler(std::move(handler))
    , m_server(new QLocalServer(this))
{
    m_server->setMaxPendingConnections(ListenBacklog);
    connect(m_server, &QLocalServer::newConnection, this, &ControlServer::onNewConnection);
}

ControlServer::~ControlServer()
{
    for (auto it = m_clients.cbegin(); it != m_clients.cend(); ++it) {
        it.value()->closing = true;
        it.key()->disconnect(this);
        it.key()->abort();
    }
    m_clients.clear();
    m_server->close();
    m_socketFile.remove();
}

bool ControlServer::listen(QString *error)
{
    const auto fail = [&](const QString &message) {
        qCWarning(lcControl).noquote() << "control socket:" << message;
        if (error) {
            *error = message;
        }
        return false;
    };
    if (m_server->isListening()) {
        return fail(QStringLiteral("already listening on %1").arg(socketPath()));
    }
    QString why;
    const int fd = m_socketFile.create(ListenBacklog, &why);
    if (fd < 0) {
        return fail(why);
    }
    if (!m_server->listen(qintptr(fd))) {
        ::close(fd);
        m_socketFile.remove();
        return fail(QStringLiteral("cannot listen on %1: %2").arg(socketPath(), m_server->errorString()));
    }
    qCInfo(lcControl).noquote() << "control socket listening on" << socketPath();
    return true;
}

bool ControlServer::isListening() const
{
    return m_server->isListening();
}

void ControlServer::publish(const QString &event, const QJsonValue &data)
{
    const QByteArray line = toLine(QJsonObject { { QStringLiteral("jsonrpc"), QStringLiteral("2.0") },
        { QStringLiteral("method"), QStringLiteral("event") },
        { QStringLiteral("params"),
            QJsonObject { { QStringLiteral("event"), event }, { QStringLiteral("data"), data } } } });
    const QList<QLocalSocket *> sockets = m_clients.keys();
    for (QLocalSocket *socket : sockets) {
        const std::shared_ptr<Client> client = m_clients.value(socket);
        if (client && client->subscribed) {
            write(socket, line);
        }
    }
}

void ControlServer::onNewConnection()
{
    while (QLocalSocket *socket = m_server->nextPendingConnection()) {
        // Bounded, so that Qt stops reading from a client whose input we are not taking (paused).
        socket->setReadBufferSize(4 * ReadChunk);
        m_clients.insert(socket, std::make_shared<Client>());
        connect(socket, &QLocalSocket::readyRead, this, [this, socket] { processInput(socket); });
        connect(socket, &QLocalSocket::bytesWritten, this, [this, socket] {
            const std::shared_ptr<Client> client = m_clients.value(socket);
            if (client && client->paused && socket->bytesToWrite() < PauseReadingAt) {
                processInput(socket);
            }
        });
        connect(socket, &QLocalSocket::disconnected, this, [this, socket] { onDisconnected(socket); });
        qCDebug(lcControl) << "control client connected;" << m_clients.size() << "now";
        if (socket->bytesAvailable() > 0) {
            processInput(socket);
        }
    }
}

void ControlServer::onDisconnected(QLocalSocket *socket)
{
    if (const std::shared_ptr<Client> client = m_clients.take(socket)) {
        client->closing = true;
    }
    socket->disconnect(this);
    socket->deleteLater();
    qCDebug(lcControl) << "control client disconnected;" << m_clients.size() << "left";
}

void ControlServer::processInput(QLocalSocket *socket)
{
    const std::shared_ptr<Client> client = m_clients.value(socket);
    while (client && !client->closing) {
        if (socket->bytesToWrite() >= PauseReadingAt) {
            client->paused = true;
            return;
        }
        client->paused = false;
        QByteArray &buffer = client->buffer;
        const qsizetype newline = buffer.indexOf('\n', client->scanFrom);
        if (newline < 0) {
            if (buffer.size() - client->lineStart > MaxLineBytes) {
                refuseLongLine(socket);
                return;
            }
            buffer.remove(0, client->lineStart); // compact once per read, not once per line
            client->lineStart = 0;
            client->scanFrom = buffer.size();
            if (socket->bytesAvailable() <= 0) {
                return;
            }
            buffer.append(socket->read(ReadChunk));
            continue;
        }
        const qsizetype start = client->lineStart;
        client->lineStart = client->scanFrom = newline + 1;
        if (newline - start > MaxLineBytes) {
            refuseLongLine(socket);
            return;
        }
        handleLine(socket, buffer.mid(start, newline - start));
    }
}

void ControlServer::handleLine(QLocalSocket *socket, QByteArray line)
{
    line = line.trimmed(); // also drops the '\r' of CRLF line ends
    if (line.isEmpty()) {
        return; // blank lines are harmless keep-alives, not requests
    }
    QJsonParseError parseError {};
    const QJsonDocument document = QJsonDocument::fromJson(line, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        // Qt takes only an object or an array at the top level: a bare scalar is valid JSON, just not a
        // request, and JSON-RPC answers that with "invalid request".
        if (line.front() != '{' && line.front() != '[') {
            const QJsonDocument wrapped = QJsonDocument::fromJson('[' + line + ']');
            if (wrapped.isArray() && wrapped.array().size() == 1) {
                send(socket, invalidRequest(QJsonValue::Null, QStringLiteral("not a JSON object")));
                return;
            }
        }
        send(socket,
            ControlError::make(ControlError::ParseError,
                QStringLiteral("parse error at byte %1: %2")
                    .arg(parseError.offset)
                    .arg(parseError.errorString()))
                .toResponse(QJsonValue::Null));
        return;
    }
    if (document.isObject()) {
        if (const std::optional<QJsonObject> reply = dispatch(socket, document.object())) {
            send(socket, *reply);
        }
        return;
    }
    const QJsonArray batch = document.array();
    if (batch.isEmpty()) {
        send(socket, invalidRequest(QJsonValue::Null, QStringLiteral("empty batch")));
        return;
    }
    QJsonArray replies;
    for (const QJsonValue &request : batch) {
        if (const std::optional<QJsonObject> reply = dispatch(socket, request)) {
            replies.append(*reply);
        }
    }
    if (!replies.isEmpty()) {
        send(socket, replies);
    }
}

std::optional<QJsonObject> ControlServer::dispatch(QLocalSocket *socket, const QJsonValue &value)
{
    if (!value.isObject()) {
        return invalidRequest(QJsonValue::Null, QStringLiteral("not a JSON object"));
    }
    const QJsonObject request = value.toObject();
    const bool expectsAnswer = request.contains(QStringLiteral("id"));
    const QJsonValue id = request.value(QStringLiteral("id"));
    if (expectsAnswer && !id.isString() && !id.isDouble() && !id.isNull()) {
        return invalidRequest(QJsonValue::Null, QStringLiteral("\"id\" must be a string, a number or null"));
    }
    const QJsonValue replyId = expectsAnswer ? id : QJsonValue(QJsonValue::Null);
    if (request.value(QStringLiteral("jsonrpc")) != QJsonValue(QStringLiteral("2.0"))) {
        return invalidRequest(replyId, QStringLiteral("\"jsonrpc\" must be \"2.0\""));
    }
    const QJsonValue method = request.value(QStringLiteral("method"));
    if (!method.isString()) {
        return invalidRequest(replyId, QStringLiteral("\"method\" must be a string"));
    }
    const QJsonValue params = request.value(QStringLiteral("params"));
    if (!params.isUndefined() && !params.isArray() && !params.isObject()) {
        return invalidRequest(replyId, QStringLiteral("\"params\" must be an array or an object"));
    }
    ControlError error;
    const QJsonValue result = invoke(socket, method.toString(), params, &error);
    if (!expectsAnswer) {
        return std::nullopt;
    }
    return error ? error.toResponse(id) : answer(id, result);
}

QJsonValue ControlServer::invoke(
    QLocalSocket *socket, const QString &method, const QJsonValue &params, ControlError *error)
{
    if (method == QLatin1String("rpc.ping")) {
        return QStringLiteral("pong");
    }
    if (method == QLatin1String("subscribe") || method == QLatin1String("unsubscribe")) {
        if (const std::shared_ptr<Client> client = m_clients.value(socket)) {
            client->subscribed = method == QLatin1String("subscribe");
        }
        return true;
    }
    // "rpc." names are JSON-RPC's own; the worker's handler never sees them.
    if (method.startsWith(QLatin1String("rpc.")) || !m_handler) {
        *error = ControlError::methodNotFound(method);
        return {};
    }
    QJsonValue result;
    // An exception must not unwind through Qt's event loop, and the client deserves an answer.
    try {
        result = m_handler(method, params, error);
    } catch (const std::exception &exception) {
        *error = ControlError::make(ControlError::InternalError,
            QStringLiteral("internal error in %1: %2").arg(method, QString::fromLocal8Bit(exception.what())));
    } catch (...) {
        *error = ControlError::make(
            ControlError::InternalError, QStringLiteral("internal error in %1").arg(method));
    }
    if (!error->isError() && result.isUndefined()) {
        *error = ControlError::methodNotFound(method);
    }
    return result;
}

bool ControlServer::send(QLocalSocket *socket, const QJsonValue &message)
{
    return write(socket, toLine(message));
}

bool ControlServer::write(QLocalSocket *socket, const QByteArray &bytes)
{
    const std::shared_ptr<Client> client = m_clients.value(socket);
    if (!client || client->closing) {
        return false;
    }
    if (socket->bytesToWrite() + bytes.size() > MaxOutputBytes) {
        drop(socket, QStringLiteral("over %1 MiB of unread output").arg(MaxOutputBytes >> 20));
        return false;
    }
    socket->write(bytes);
    return true;
}

void ControlServer::refuseLongLine(QLocalSocket *socket)
{
    const std::shared_ptr<Client> client = m_clients.value(socket);
    if (!client) {
        return;
    }
    qCWarning(lcControl) << "control client sent a line over" << (MaxLineBytes >> 20) << "MiB; closing it";
    send(socket,
        invalidRequest(QJsonValue::Null,
            QStringLiteral("line longer than %1 MiB; closing the connection").arg(MaxLineBytes >> 20)));
    client->closing = true;
    client->buffer.clear();
    // A client that never reads could keep a graceful close pending for ever.
    QTimer::singleShot(CloseGraceMs, socket, [socket] { socket->abort(); });
    socket->disconnectFromServer();
}

void ControlServer::drop(QLocalSocket *socket, const QString &why)
{
    const std::shared_ptr<Client> client = m_clients.take(socket);
    if (!client) {
        return;
    }
    client->closing = true;
    qCWarning(lcControl).noquote() << "dropping a control client:" << why;
    socket->disconnect(this);
    socket->abort();
    socket->deleteLater();
}

QString ControlServer::defaultSocketPath(const QString &workerId)
{
    const QString runtime = qEnvironmentVariable("XDG_RUNTIME_DIR");
    const QString dir = !runtime.isEmpty() && QDir::isAbsolutePath(runtime)
        ? QDir::cleanPath(runtime) + QStringLiteral("/codalab")
        : QDir::homePath() + QStringLiteral("/.local/state/CodaLab");
    QString id;
    for (const QChar c : workerId) {
        const bool safe = (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9')
            || c == u'-' || c == u'_' || c == u'.';
        id += safe ? c : u'_';
    }
    if (id.isEmpty()) {
        id = QStringLiteral("default");
    }
    const auto pathFor = [&dir](const QString &name) -> QString {
        return dir + QStringLiteral("/worker-%1.sock").arg(name);
    };
    const QString path = pathFor(id);
    if (QFile::encodeName(path).size() <= ControlSocketFile::MaxPathBytes) {
        return path;
    }
    // Too long for a socket address: keep what fits of the id and a hash of all of it, so that two long ids
    // sharing a prefix still get different sockets.
    const QString hash = QString::fromLatin1(
        QCryptographicHash::hash(workerId.toUtf8(), QCryptographicHash::Sha256).toHex().left(12));
    const qsizetype room = ControlSocketFile::MaxPathBytes - QFile::encodeName(pathFor(hash)).size() - 1;
    if (room <= 0) {
        return pathFor(hash); // listen() explains if even this does not fit
    }
    return pathFor(id.left(room) + u'-' + hash);
}

} // namespace codalab::worker
