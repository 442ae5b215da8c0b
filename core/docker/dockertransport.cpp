// SPDX-License-Identifier: GPL-3.0-or-later
#include "docker/dockertransport.h"

#include "util/logging.h"

#include <QHash>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <curl/curl.h>
#include <mutex>
#include <thread>
#include <vector>

namespace codalab::docker {

namespace {

// A non-streaming answer larger than this is refused: no Engine answer we parse comes near it.
constexpr qsizetype MaxBufferedBody = 64 * 1024 * 1024;
constexpr long ConnectTimeoutMs = 10000;

struct Transfer
{
    quint64 id = 0;
    DockerTransport *owner = nullptr;
    TransportRequest request;
    CURL *easy = nullptr;
    curl_slist *headers = nullptr;
    QByteArray url;
    QByteArray buffer;
    QByteArray contentType;
    bool tooLarge = false;
    char errorBuffer[CURL_ERROR_SIZE] = {};

    ~Transfer()
    {
        if (easy) {
            curl_easy_cleanup(easy);
        }
        if (headers) {
            curl_slist_free_all(headers);
        }
    }

    long status() const
    {
        long code = 0;
        curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &code);
        return code;
    }
};

size_t onWrite(char *data, size_t size, size_t count, void *userData)
{
    auto *t = static_cast<Transfer *>(userData);
    const size_t length = size * count;
    const long status = t->status();
    if (t->request.streaming && status >= 200 && status < 300) {
        Q_EMIT t->owner->chunkReceived(t->id, QByteArray(data, qsizetype(length)));
        return length;
    }
    if (t->buffer.size() + qsizetype(length) > MaxBufferedBody) {
        t->tooLarge = true;
        return 0; // makes curl fail the transfer with CURLE_WRITE_ERROR
    }
    t->buffer.append(data, qsizetype(length));
    return length;
}

size_t onHeader(char *data, size_t size, size_t count, void *userData)
{
    auto *t = static_cast<Transfer *>(userData);
    const size_t length = size * count;
    const QByteArray line = QByteArray(data, qsizetype(length)).trimmed();
    constexpr QByteArrayView prefix("content-type:");
    if (line.size() > prefix.size() && line.left(prefix.size()).toLower() == prefix) {
        t->contentType = line.mid(prefix.size()).trimmed();
    }
    return length;
}

void ensureCurlGlobalInit()
{
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

} // namespace

struct DockerTransport::Private
{
    DockerTransport *q = nullptr;
    CURLM *multi = nullptr;
    std::thread thread;
    std::mutex mutex;
    std::vector<std::unique_ptr<Transfer>> pending; // guarded by mutex
    std::vector<quint64> cancels; // guarded by mutex
    bool stopping = false; // guarded by mutex
    std::atomic<quint64> nextId { 1 };
    QHash<quint64, Transfer *> active; // transport thread only
    std::vector<std::unique_ptr<Transfer>> owned; // transport thread only

    void run();
    void startTransfer(std::unique_ptr<Transfer> transfer);
    void finishTransfer(Transfer *transfer, CURLcode code);
    void dropTransfer(Transfer *transfer);
    DockerResult classify(Transfer *transfer, CURLcode code) const;
};

DockerTransport::DockerTransport(DockerEndpoint endpoint, QObject *parent)
    : QObject(parent)
    , m_endpoint(std::move(endpoint))
    , d(std::make_unique<Private>())
{
    qRegisterMetaType<DockerResult>();
    ensureCurlGlobalInit();
    d->q = this;
    d->multi = curl_multi_init();
    d->thread = std::thread([this] { d->run(); });
}

DockerTransport::~DockerTransport()
{
    {
        std::lock_guard lock(d->mutex);
        d->stopping = true;
    }
    curl_multi_wakeup(d->multi);
    d->thread.join();
    for (auto &t : d->owned) {
        curl_multi_remove_handle(d->multi, t->easy);
    }
    d->owned.clear();
    curl_multi_cleanup(d->multi);
}

quint64 DockerTransport::submit(TransportRequest request)
{
    auto transfer = std::make_unique<Transfer>();
    transfer->id = d->nextId++;
    transfer->owner = this;
    transfer->request = std::move(request);
    const quint64 id = transfer->id;
    {
        std::lock_guard lock(d->mutex);
        d->pending.push_back(std::move(transfer));
    }
    curl_multi_wakeup(d->multi);
    return id;
}

void DockerTransport::cancel(quint64 id)
{
    {
        std::lock_guard lock(d->mutex);
        d->cancels.push_back(id);
    }
    curl_multi_wakeup(d->multi);
}

void DockerTransport::Private::run()
{
    for (;;) {
        std::vector<std::unique_ptr<Transfer>> toStart;
        std::vector<quint64> toCancel;
        {
            std::lock_guard lock(mutex);
            if (stopping) {
                return;
            }
            toStart.swap(pending);
            toCancel.swap(cancels);
        }
        for (auto &t : toStart) {
            startTransfer(std::move(t));
        }
        for (quint64 id : toCancel) {
            // Starts were handled first, so an unknown id is one that already finished.
            if (Transfer *t = active.value(id)) {
                dropTransfer(t);
            }
        }
        int running = 0;
        curl_multi_perform(multi, &running);
        int queued = 0;
        while (CURLMsg *msg = curl_multi_info_read(multi, &queued)) {
            if (msg->msg != CURLMSG_DONE) {
                continue;
            }
            Transfer *t = nullptr;
            curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &t);
            finishTransfer(t, msg->data.result);
        }
        curl_multi_poll(multi, nullptr, 0, 1000, nullptr);
    }
}

void DockerTransport::Private::startTransfer(std::unique_ptr<Transfer> transfer)
{
    Transfer *t = transfer.get();
    const DockerEndpoint &ep = q->endpoint();
    t->easy = curl_easy_init();
    const QByteArray base
        = ep.isUnixSocket() ? QByteArrayLiteral("http://docker") : "http://" + ep.hostPort.toUtf8();
    t->url = base + '/' + ApiVersion + t->request.path;
    curl_easy_setopt(t->easy, CURLOPT_URL, t->url.constData());
    if (ep.isUnixSocket()) {
        curl_easy_setopt(t->easy, CURLOPT_UNIX_SOCKET_PATH, ep.socketPath.toLocal8Bit().constData());
    }
    curl_easy_setopt(t->easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(t->easy, CURLOPT_PRIVATE, t);
    curl_easy_setopt(t->easy, CURLOPT_ERRORBUFFER, t->errorBuffer);
    curl_easy_setopt(t->easy, CURLOPT_WRITEFUNCTION, &onWrite);
    curl_easy_setopt(t->easy, CURLOPT_WRITEDATA, t);
    curl_easy_setopt(t->easy, CURLOPT_HEADERFUNCTION, &onHeader);
    curl_easy_setopt(t->easy, CURLOPT_HEADERDATA, t);
    curl_easy_setopt(t->easy, CURLOPT_CONNECTTIMEOUT_MS, ConnectTimeoutMs);
    if (t->request.timeoutMs > 0) {
        curl_easy_setopt(t->easy, CURLOPT_TIMEOUT_MS, long(t->request.timeoutMs));
    }
    if (t->request.idleTimeoutSec > 0) {
        curl_easy_setopt(t->easy, CURLOPT_LOW_SPEED_LIMIT, 1L);
        curl_easy_setopt(t->easy, CURLOPT_LOW_SPEED_TIME, long(t->request.idleTimeoutSec));
    }
    t->headers = curl_slist_append(t->headers, "Expect:");
    if (t->request.method == "POST" || t->request.method == "PUT") {
        if (!t->request.body.isEmpty()) {
            t->headers = curl_slist_append(t->headers, "Content-Type: application/json");
        }
        curl_easy_setopt(t->easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(t->request.body.size()));
        curl_easy_setopt(t->easy, CURLOPT_POSTFIELDS, t->request.body.constData());
    }
    curl_easy_setopt(t->easy, CURLOPT_CUSTOMREQUEST, t->request.method.constData());
    curl_easy_setopt(t->easy, CURLOPT_HTTPHEADER, t->headers);
    qCDebug(lcDocker) << t->request.method << t->request.path;
    active.insert(t->id, t);
    owned.push_back(std::move(transfer));
    curl_multi_add_handle(multi, t->easy);
}

void DockerTransport::Private::dropTransfer(Transfer *transfer)
{
    active.remove(transfer->id);
    curl_multi_remove_handle(multi, transfer->easy);
    std::erase_if(owned, [transfer](const auto &p) { return p.get() == transfer; });
}

void DockerTransport::Private::finishTransfer(Transfer *transfer, CURLcode code)
{
    const DockerResult result = classify(transfer, code);
    const quint64 id = transfer->id;
    dropTransfer(transfer);
    Q_EMIT q->finished(id, result);
}

DockerResult DockerTransport::Private::classify(Transfer *t, CURLcode code) const
{
    DockerResult r;
    r.httpStatus = int(t->status());
    r.body = t->buffer;
    r.contentType = t->contentType;
    const QString where = q->endpoint().describe();
    using Kind = DockerError::Kind;
    if (code == CURLE_OK) {
        if (r.httpStatus >= 400) {
            r.error = DockerError::fromHttp(r.httpStatus, r.body);
        }
        return r;
    }
    const QString detail = t->errorBuffer[0] ? QString::fromLocal8Bit(t->errorBuffer)
                                             : QString::fromLatin1(curl_easy_strerror(code));
    switch (code) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST: {
        long osErrno = 0;
        curl_easy_getinfo(t->easy, CURLINFO_OS_ERRNO, &osErrno);
        if (osErrno == EACCES || osErrno == EPERM) {
            r.error = DockerError::make(Kind::PermissionDenied,
                QStringLiteral(
                    "Permission denied on the Docker socket %1: add your user to the 'docker' group "
                    "(sudo usermod -aG docker $USER), then log out and back in")
                    .arg(where));
        } else {
            const QString reason = osErrno ? QString::fromLocal8Bit(std::strerror(int(osErrno))) : detail;
            r.error = DockerError::make(Kind::Unreachable,
                QStringLiteral("Docker is not reachable at %1: %2 (is dockerd running?)").arg(where, reason));
        }
        break;
    }
    case CURLE_OPERATION_TIMEDOUT:
        r.error = DockerError::make(Kind::Timeout,
            t->request.idleTimeoutSec > 0 ? QStringLiteral("Docker sent nothing for %1 s on %2")
                                                .arg(t->request.idleTimeoutSec)
                                                .arg(QString::fromUtf8(t->request.path))
                                          : QStringLiteral("Docker did not answer in time on %1: %2")
                                                .arg(QString::fromUtf8(t->request.path), detail));
        break;
    case CURLE_WRITE_ERROR:
        if (t->tooLarge) {
            r.error = DockerError::make(Kind::Protocol,
                QStringLiteral("Docker's answer to %1 is larger than %2 MiB")
                    .arg(QString::fromUtf8(t->request.path))
                    .arg(MaxBufferedBody >> 20));
            break;
        }
        [[fallthrough]];
    default:
        r.error = DockerError::make(
            Kind::Unreachable, QStringLiteral("Connection to Docker at %1 failed: %2").arg(where, detail));
        break;
    }
    return r;
}

} // namespace codalab::docker
