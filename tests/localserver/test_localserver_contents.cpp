// SPDX-License-Identifier: GPL-3.0-or-later
// codalab-local-server: bundle contents, uploaded and read over real HTTP on 127.0.0.1.
#include "localserverfixture.h"
#include "support/codalabtestdata.h"
#include "util/gzipcodec.h"
#include "util/safearchive.h"
#include "util/tarbuilder.h"

#include <QBuffer>
#include <QCryptographicHash>
#include <QDir>
#include <QJsonArray>

#include <sys/stat.h>

using namespace codalab::test;

namespace {

HttpResult upload(HttpTestClient &c, const QString &uuid, const QString &filename, const QByteArray &data)
{
    return c.send("PUT", QStringLiteral("/rest/bundles/%1/contents/blob/?filename=%2").arg(uuid, filename),
        data, "application/octet-stream");
}

QJsonObject bundleAttributes(HttpTestClient &c, const QString &uuid)
{
    return c.get(QStringLiteral("/rest/bundles/") + uuid)
        .json.object()[QLatin1String("data")]
        .toObject()[QLatin1String("attributes")]
        .toObject();
}

QByteArray numberedLines(int count)
{
    QByteArray out;
    for (int i = 1; i <= count; ++i) {
        out += "line " + QByteArray::number(i) + '\n';
    }
    return out;
}

} // namespace

TEST_CASE("an uploaded archive becomes the bundle's contents and it is ready", "[localserver][contents]")
{
    LocalServerFixture f;
    auto c = f.root();
    const QString uuid = createDataset(*c, QStringLiteral("data"));
    CHECK(bundleAttributes(*c, uuid)[QLatin1String("state")].toString() == QLatin1String("uploading"));
    const QByteArray tar = TarBuilder()
                               .dir("./sub")
                               .file("./sub/a.txt", numberedLines(100))
                               .file("./run.sh", "echo hi\n", 0755)
                               .finish();
    HttpResult r = upload(*c, uuid, QStringLiteral("data.tar.gz"), tar);
    INFO(r.body.toStdString());
    REQUIRE(r.status == 200);
    const QJsonObject attributes = bundleAttributes(*c, uuid);
    CHECK(attributes[QLatin1String("state")].toString() == QLatin1String("ready"));
    CHECK(attributes[QLatin1String("metadata")].toObject()[QLatin1String("data_size")].toInteger()
        == numberedLines(100).size() + 8);

    r = c->get(QStringLiteral("/rest/bundles/%1/contents/info/?depth=2").arg(uuid));
    REQUIRE(r.status == 200);
    const QJsonObject info = r.json.object()[QLatin1String("data")].toObject();
    CHECK(info[QLatin1String("type")].toString() == QLatin1String("directory"));
    CHECK(info[QLatin1String("resolved_target")].toObject()[QLatin1String("bundle_uuid")].toString() == uuid);
    const QJsonArray contents = info[QLatin1String("contents")].toArray();
    REQUIRE(contents.size() == 2);
    CHECK(contents[0].toObject()[QLatin1String("name")].toString() == QLatin1String("run.sh"));
    CHECK(contents[0].toObject()[QLatin1String("perm")].toInt() == 0755);
    CHECK(contents[1]
              .toObject()[QLatin1String("contents")]
              .toArray()
              .first()
              .toObject()[QLatin1String("size")]
              .toInt()
        == numberedLines(100).size());

    r = c->get(QStringLiteral("/rest/bundles/%1/contents/info/sub/a.txt").arg(uuid));
    CHECK(r.json.object()[QLatin1String("data")].toObject()[QLatin1String("type")].toString()
        == QLatin1String("file"));
    CHECK(c->get(QStringLiteral("/rest/bundles/%1/contents/info/missing").arg(uuid)).status == 404);

    SECTION("a restart keeps the contents")
    {
        f.restart();
        HttpTestClient again { QUrl(f.server->url()) };
        again.setToken(c->token());
        CHECK(
            again.get(QStringLiteral("/rest/bundles/%1/contents/blob/run.sh").arg(uuid)).body == "echo hi\n");
    }
}

TEST_CASE("reads: whole file, inclusive Range, head and tail, gzip, directories as tar.gz",
    "[localserver][contents]")
{
    LocalServerFixture f;
    auto c = f.root();
    const QString uuid = createDataset(*c, QStringLiteral("lines"));
    const QByteArray lines = numberedLines(1000);
    REQUIRE(upload(*c, uuid, QStringLiteral("d.tar.gz"),
                TarBuilder().file("./out.txt", lines).file("./d/x", "x").finish())
                .status
        == 200);
    const QString file = QStringLiteral("/rest/bundles/%1/contents/blob/out.txt").arg(uuid);

    HttpResult r = c->get(file);
    REQUIRE(r.status == 200);
    CHECK(r.body == lines);
    CHECK(r.header("Target-Type") == "file");
    CHECK(r.header("X-CodaLab-Target-Size") == QByteArray::number(lines.size()));

    r = c->get(file, { { "Range", "bytes=0-3" } });
    CHECK(r.status == 200);
    CHECK(r.body == "line");
    r = c->get(file, { { "Range", "bytes=5-" } });
    CHECK(r.body == lines.mid(5));
    r = c->get(file,
        { { "Range",
            "bytes=" + QByteArray::number(lines.size() - 4) + '-'
                + QByteArray::number(lines.size() + 100) } });
    CHECK(r.body == "000\n");
    r = c->get(file,
        { { "Range",
            "bytes=" + QByteArray::number(lines.size() + 10) + "-"
                + QByteArray::number(lines.size() + 20) } });
    CHECK(r.body.isEmpty()); // past the end: nothing, as `cl run -t` expects when it caught up

    r = c->get(file + QStringLiteral("?tail=2"));
    CHECK(r.body == "line 999\nline 1000\n");
    r = c->get(file + QStringLiteral("?head=1&tail=1&truncation_text=[...]%0A"));
    CHECK(r.body == "line 1\n[...]\nline 1000\n");

    // QNetworkAccessManager would decompress on its own; ask for gzip explicitly to see the bytes.
    r = c->get(file, { { "Accept-Encoding", "gzip" } });
    const QByteArray body = r.header("Content-Encoding") == "gzip" ? r.body : QByteArray();
    if (!body.isEmpty()) {
        CHECK(codalab::util::GzipCodec::decompress(body, 1 << 20).value_or(QByteArray()) == lines);
    } else {
        CHECK(r.body == lines); // the client already decoded it
    }

    r = c->get(QStringLiteral("/rest/bundles/%1/contents/blob/").arg(uuid));
    REQUIRE(r.status == 200);
    CHECK(r.header("Target-Type") == "directory");
    QTemporaryDir unpacked;
    QBuffer archive(&r.body);
    archive.open(QIODevice::ReadOnly);
    const auto result = codalab::util::SafeArchive::extract(&archive, unpacked.filePath(QStringLiteral("x")));
    INFO(result.error.toStdString());
    REQUIRE(result.ok);
    QFile out(unpacked.filePath(QStringLiteral("x/out.txt")));
    REQUIRE(out.open(QIODevice::ReadOnly));
    CHECK(out.readAll() == lines);
}

TEST_CASE("a large file is streamed whole and in ranges", "[localserver][contents]")
{
    LocalServerFixture f;
    auto c = f.root();
    const QString uuid = createDataset(*c, QStringLiteral("big"));
    QByteArray big(80 * 1024 * 1024, 'a');
    for (qsizetype i = 0; i < big.size(); i += 4096) {
        big[i] = char('0' + (i / 4096) % 10);
    }
    REQUIRE(upload(*c, uuid, QStringLiteral("big.bin"), big).status == 200);
    const auto digest = [](const QByteArray &data) {
        return QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex();
    };
    HttpResult r = c->get(QStringLiteral("/rest/bundles/%1/contents/blob/").arg(uuid));
    REQUIRE(r.status == 200);
    CHECK(r.body.size() == big.size());
    CHECK(digest(r.body) == digest(big)); // hashes: a failing compare of 80 MB would print 80 MB
    r = c->get(
        QStringLiteral("/rest/bundles/%1/contents/blob/").arg(uuid), { { "Range", "bytes=40960000-" } });
    CHECK(r.body.size() == big.size() - 40960000);
    CHECK(digest(r.body) == digest(big.mid(40960000)));
}

TEST_CASE("hostile uploads are refused and change nothing", "[localserver][contents][hostile]")
{
    LocalServerFixture f;
    auto c = f.root();
    const QString uuid = createDataset(*c, QStringLiteral("target"));
    // Not finalized, so later uploads may still replace it (a finished bundle's contents are final, 403).
    REQUIRE(upload(*c, uuid, QStringLiteral("ok.tar.gz&finalize_on_success=0"),
                TarBuilder().file("./keep.txt", "kept").finish())
                .status
        == 200);
    const QDir data(f.dataDir.path());
    const QStringList before = data.entryList(QDir::AllEntries | QDir::NoDotAndDotDot);

    const QList<std::pair<const char *, QByteArray>> hostile {
        { "../evil", TarBuilder().file("../evil", "x").finish() },
        { "/abs/evil", TarBuilder().file("/abs/evil", "x").finish() },
        { "link", TarBuilder().symlink("./link", "/etc").file("./link/passwd", "x").finish() },
        { "hard", TarBuilder().hardlink("./hard", "../../outside").finish() },
        { "dev", TarBuilder().special("./dev", S_IFCHR).finish() },
    };
    for (const auto &[member, tar] : hostile) {
        const HttpResult r = upload(*c, uuid, QStringLiteral("bad.tar.gz"), tar);
        INFO(member);
        CHECK(r.status == 400);
        CHECK(r.body.startsWith("Upload failed: "));
        CHECK(r.body.contains(member));
    }
    CHECK(data.entryList(QDir::AllEntries | QDir::NoDotAndDotDot)
        == before); // nothing written beside the store
    CHECK_FALSE(QFile::exists(QStringLiteral("/abs/evil")));
    CHECK(c->get(QStringLiteral("/rest/bundles/%1/contents/blob/keep.txt").arg(uuid)).body
        == "kept"); // old contents intact
}

TEST_CASE("paths that leave the bundle are not found, dependency keys lead into the parent",
    "[localserver][contents]")
{
    LocalServerFixture f;
    auto c = f.root();
    const QString parent = createDataset(*c, QStringLiteral("parent"));
    REQUIRE(upload(*c, parent, QStringLiteral("p.tar.gz"),
                TarBuilder().file("./sub/file.txt", "from the parent").finish())
                .status
        == 200);
    // Sent raw: QUrl would remove the dot segments before they left the client.
    const QByteArray escape = c->raw("GET /rest/bundles/" + parent.toLatin1()
        + "/contents/blob/sub/../../../codalab.sqlite HTTP/1.1\r\nHost: 127.0.0.1\r\n"
          "X-Requested-With: XMLHttpRequest\r\nAuthorization: Bearer "
        + c->token().toLatin1() + "\r\n\r\n");
    INFO(escape.toStdString());
    CHECK(escape.startsWith("HTTP/1.1 404"));
    CHECK(escape.contains("is not inside the bundle."));
    HttpResult r
        = c->get(QStringLiteral("/rest/bundles/%1/contents/blob/sub%2F..%2F..%2Fcodalab.sqlite").arg(parent));
    CHECK(r.status == 404);

    // A run whose dependency key "in" is the parent's "sub": in/file.txt reads the parent's file.
    codalab::localserver::BundleStore bundles(f.server->store());
    codalab::localserver::BundleRecord run;
    run.uuid = QStringLiteral("0x") + QString(32, QLatin1Char('c'));
    run.bundleType = QStringLiteral("run");
    run.ownerId = QStringLiteral("0");
    run.state = QStringLiteral("ready");
    run.dependencies = { { run.uuid, QStringLiteral("in"), parent, QStringLiteral("sub") } };
    QString error;
    REQUIRE(bundles.insert(run, QString(), &error));
    QDir(f.dataDir.filePath(QStringLiteral("bundles"))).mkpath(run.uuid);
    r = c->get(QStringLiteral("/rest/bundles/%1/contents/blob/in/file.txt").arg(run.uuid));
    CHECK(r.body == "from the parent");
    r = c->get(QStringLiteral("/rest/bundles/%1/contents/info/in").arg(run.uuid));
    const QJsonObject resolved
        = r.json.object()[QLatin1String("data")].toObject()[QLatin1String("resolved_target")].toObject();
    CHECK(resolved[QLatin1String("bundle_uuid")].toString() == parent);
    CHECK(resolved[QLatin1String("subpath")].toString() == QLatin1String("sub"));
}

TEST_CASE("an upload over the size limit gets 413 and changes nothing", "[localserver][contents][errors]")
{
    LocalServerFixture f([](codalab::localserver::LocalServerConfig &c) { c.maxUploadBytes = 1024; });
    auto c = f.root();
    const QString uuid = createDataset(*c, QStringLiteral("small"));
    const HttpResult r = upload(*c, uuid, QStringLiteral("big.bin"), QByteArray(4096, 'x'));
    CHECK(r.status == 413);
    CHECK(r.body.contains("larger than the limit of 1024 bytes"));
    CHECK(bundleAttributes(*c, uuid)[QLatin1String("state")].toString() == QLatin1String("uploading"));
}
