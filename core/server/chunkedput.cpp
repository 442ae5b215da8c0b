// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/chunkedput.h"

#include "util/boundedpipe.h"

#include <curl/curl.h>
#include <memory>
#include <mutex>

namespace codalab::server {

namespace {

struct Transfer
{
    util::BoundedPipe *pipe = nullptr;
    std::atomic<qint64> *sent = nullptr;
    QByteArray response;
};

size_t readBody(char *buffer, size_t size, size_t count, void *data)
{
    auto *t = static_cast<Transfer *>(data);
    const qint64 n = t->pipe->read(buffer, qint64(size * count));
    if (n < 0) {
        return CURL_READFUNC_ABORT;
    }
    if (t->sent) {
        t->sent->fetch_add(n);
    }
    return size_t(n);
}

size_t writeResponse(char *buffer, size_t size, size_t count, void *data)
{
    auto *t = static_cast<Transfer *>(data);
    // An answer to an upload is a few words; more than 1 MiB of it is not one.
    if (t->response.size() < (1 << 20)) {
        t->response.append(buffer, qsizetype(size * count));
    }
    return size * count;
}

int progressCheck(void *data, curl_off_t, curl_off_t, curl_off_t, curl_off_t)
{
    // A cancel while curl waits for the server's answer (the body is all sent, nothing reads the pipe).
    return static_cast<Transfer *>(data)->pipe->isAborted() ? 1 : 0;
}

} // namespace

ChunkedPut::Result ChunkedPut::run(const QUrl &url, const QList<QPair<QByteArray, QByteArray>> &headers,
    util::BoundedPipe &pipe, std::atomic<qint64> *sent)
{
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
    Result result;
    std::unique_ptr<CURL, void (*)(CURL *)> easy(curl_easy_init(), curl_easy_cleanup);
    if (!easy) {
        result.error = QStringLiteral("Cannot start a transfer (libcurl)");
        return result;
    }
    Transfer transfer { &pipe, sent, {} };
    curl_slist *list = nullptr;
    for (const auto &[name, value] : headers) {
        list = curl_slist_append(list, QByteArray(name + ": " + value).constData());
    }
    list = curl_slist_append(list, "Transfer-Encoding: chunked");
    list = curl_slist_append(list, "Expect:"); // no 100-continue round trip: the server reads the body anyway
    std::unique_ptr<curl_slist, void (*)(curl_slist *)> headerList(list, curl_slist_free_all);
    const QByteArray target = url.toEncoded();
    CURL *e = easy.get();
    curl_easy_setopt(e, CURLOPT_URL, target.constData());
    curl_easy_setopt(e, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, headerList.get());
    curl_easy_setopt(e, CURLOPT_READFUNCTION, readBody);
    curl_easy_setopt(e, CURLOPT_READDATA, &transfer);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, writeResponse);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, &transfer);
    curl_easy_setopt(e, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(e, CURLOPT_XFERINFOFUNCTION, progressCheck);
    curl_easy_setopt(e, CURLOPT_XFERINFODATA, &transfer);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT, 30L);
    // A server that takes nothing for five minutes is gone; unpacking a big upload at the end takes long,
    // but the server answers only then, so the answer wait is bounded by that and not by this.
    curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, 300L);
    curl_easy_setopt(e, CURLOPT_BUFFERSIZE, 256L * 1024L);
    curl_easy_setopt(e, CURLOPT_UPLOAD_BUFFERSIZE, 256L * 1024L);
    const CURLcode code = curl_easy_perform(e);
    long status = 0;
    curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status);
    result.status = int(status);
    result.body = transfer.response;
    if (pipe.isAborted()) {
        result.error = pipe.abortReason();
        result.status = 0;
    } else if (code != CURLE_OK) {
        result.error = QString::fromUtf8(curl_easy_strerror(code));
    }
    return result;
}

} // namespace codalab::server
