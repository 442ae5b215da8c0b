// SPDX-License-Identifier: GPL-3.0-or-later
#include "docker/imagepull.h"
#include "docker/pullprogress.h"

#include <catch2/catch.hpp>

using namespace codalab::docker;

namespace {

// The shape of a real pull stream (dockerd 20.10), two layers.
const QByteArray pullStream = R"({"status":"Pulling from library/busybox","id":"latest"}
{"status":"Pulling fs layer","progressDetail":{},"id":"aaa"}
{"status":"Pulling fs layer","progressDetail":{},"id":"bbb"}
{"status":"Downloading","progressDetail":{"current":1000000,"total":2000000},"progress":"[=>  ]","id":"aaa"}
{"status":"Downloading","progressDetail":{"current":500000,"total":1000000},"progress":"[=>  ]","id":"bbb"}
{"status":"Download complete","progressDetail":{},"id":"bbb"}
{"status":"Pull complete","progressDetail":{},"id":"bbb"}
{"status":"Downloading","progressDetail":{"current":2000000,"total":2000000},"progress":"[===>]","id":"aaa"}
{"status":"Pull complete","progressDetail":{},"id":"aaa"}
{"status":"Digest: sha256:0123456789abcdef"}
{"status":"Status: Downloaded newer image for busybox:latest"}
)";

} // namespace

TEST_CASE("pull progress sums the layers' bytes as they download", "[pull]")
{
    const QList<QByteArray> lines = pullStream.split('\n');
    PullProgress p;
    for (int i = 0; i < 5; ++i) {
        CHECK(p.feed(QByteArray(lines[i] + '\n')));
    }
    CHECK(p.status().lastStatus == QLatin1String("Downloading"));
    CHECK(p.status().currentBytes == 1500000);
    CHECK(p.status().totalBytes == 3000000);
    CHECK(p.status().layers == 2);
    CHECK(p.status().layersDone == 0);
    CHECK(p.status().text() == QLatin1String("Downloading 1.5MB/3.0MB (50% done)"));
    CHECK_FALSE(p.feed("")); // nothing new
}

TEST_CASE("pull progress ends complete with the digest for any split of the stream", "[pull]")
{
    for (qsizetype piece : { qsizetype(1), qsizetype(17), pullStream.size() }) {
        PullProgress p;
        for (qsizetype pos = 0; pos < pullStream.size(); pos += piece) {
            p.feed(QByteArrayView(pullStream).sliced(pos, qMin(piece, pullStream.size() - pos)));
        }
        p.finish();
        CHECK_FALSE(p.hasError());
        CHECK(p.status().layers == 2);
        CHECK(p.status().layersDone == 2);
        CHECK(p.status().currentBytes == 3000000);
        CHECK(p.status().totalBytes == 3000000);
        CHECK(p.digest() == QLatin1String("sha256:0123456789abcdef"));
    }
}

TEST_CASE("an error line ends the pull with the registry's message", "[pull]")
{
    PullProgress p;
    p.feed(R"({"status":"Pulling from library/nope","id":"latest"})"
           "\n"
           R"({"errorDetail":{"message":"manifest unknown"},"error":"manifest unknown"})"
           "\n");
    REQUIRE(p.hasError());
    CHECK(p.errorString() == QLatin1String("manifest unknown"));
}

TEST_CASE(
    "a malformed progress line is an error, and a last line without newline is read at the end", "[pull]")
{
    PullProgress bad;
    bad.feed("{not json}\n");
    CHECK(bad.hasError());
    CHECK(bad.errorString().startsWith(QLatin1String("Malformed pull progress")));

    PullProgress tail;
    tail.feed(R"({"error":"no route"})");
    CHECK_FALSE(tail.hasError());
    tail.finish();
    CHECK(tail.errorString() == QLatin1String("no route"));
}

TEST_CASE("image references split into fromImage and tag as the Engine wants them", "[pull]")
{
    using P = std::pair<QString, QString>;
    CHECK(ImagePull::splitReference(QStringLiteral("busybox"))
        == P { QStringLiteral("busybox"), QStringLiteral("latest") });
    CHECK(ImagePull::splitReference(QStringLiteral("codalab/default-cpu:1.2"))
        == P { QStringLiteral("codalab/default-cpu"), QStringLiteral("1.2") });
    CHECK(ImagePull::splitReference(QStringLiteral("localhost:5000/img"))
        == P { QStringLiteral("localhost:5000/img"), QStringLiteral("latest") });
    CHECK(ImagePull::splitReference(QStringLiteral("localhost:5000/img:v1"))
        == P { QStringLiteral("localhost:5000/img"), QStringLiteral("v1") });
    CHECK(ImagePull::splitReference(QStringLiteral("img@sha256:abc"))
        == P { QStringLiteral("img@sha256:abc"), QString() });
}
