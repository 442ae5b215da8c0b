// SPDX-License-Identifier: GPL-3.0-or-later
// The upstream `cl` CLI's uploads and downloads, on the wire as it sends them: cl upload of every archive
// kind (chunked PUT, absolute-form request line, quota calls while the body is open), cl upload -c, cl
// download and cl cat.
#include "localserver/clrequests.h"
#include "localserverfixture.h"
#include "util/gzipcodec.h"
#include "util/safearchive.h"
#include "util/tarbuilder.h"

#include <QBuffer>
#include <QDir>
#include <QFile>
#include <QTemporaryDir>

#include <archive.h>
#include <archive_entry.h>

using namespace codalab::test;
using namespace Qt::StringLiterals;

namespace {

enum class Packing { Zip, TarBz2, Bz2 };

la_ssize_t appendTo(archive *, void *out, const void *buffer, size_t length)
{
    static_cast<QByteArray *>(out)->append(static_cast<const char *>(buffer), qsizetype(length));
    return la_ssize_t(length);
}

/// An archive TarBuilder does not make: zip (as `zip -r`), tar.bz2, or one bzip2-compressed file. Names
/// ending in '/' are directories.
QByteArray packed(Packing packing, const QList<QPair<QByteArray, QByteArray>> &members)
{
    QByteArray out;
    archive *a = archive_write_new();
    if (packing == Packing::Zip) {
        archive_write_set_format_zip(a);
    } else if (packing == Packing::TarBz2) {
        archive_write_set_format_pax_restricted(a);
        archive_write_add_filter_bzip2(a);
    } else {
        archive_write_set_format_raw(a);
        archive_write_add_filter_bzip2(a);
    }
    archive_write_set_bytes_in_last_block(a, 1);
    REQUIRE(archive_write_open(a, &out, nullptr, appendTo, nullptr) == ARCHIVE_OK);
    for (const auto &[name, content] : members) {
        archive_entry *e = archive_entry_new();
        archive_entry_set_pathname(e, name.constData());
        const bool dir = name.endsWith('/');
        archive_entry_set_filetype(e, dir ? AE_IFDIR : AE_IFREG);
        archive_entry_set_perm(e, dir ? 0755 : 0644);
        archive_entry_set_size(e, dir ? 0 : content.size());
        REQUIRE(archive_write_header(a, e) == ARCHIVE_OK);
        if (!dir) {
            REQUIRE(archive_write_data(a, content.constData(), size_t(content.size())) == content.size());
        }
        archive_entry_free(e);
    }
    REQUIRE(archive_write_close(a) == ARCHIVE_OK);
    archive_write_free(a);
    return out;
}

/// The bundle's tree from GET .../contents/info/?depth=5: "name" for files (with "=size"), "name/" for
/// directories, sorted; or the single "=size" of a bundle that is one file.
QStringList tree(ClRequests &cl, const QString &uuid)
{
    const QJsonObject info = cl.contentsInfo(uuid, {}, 5);
    QStringList out;
    if (info["type"_L1].toString() == "file"_L1) {
        return { u"=%1"_s.arg(info["size"_L1].toInteger()) };
    }
    std::function<void(const QJsonArray &, const QString &)> walk
        = [&](const QJsonArray &entries, const QString &prefix) {
              for (const QJsonValue &entry : entries) {
                  const QString name = prefix + entry["name"_L1].toString();
                  if (entry["type"_L1].toString() == "directory"_L1) {
                      out << name + u'/';
                      walk(entry["contents"_L1].toArray(), name + u'/');
                  } else {
                      out << u"%1=%2"_s.arg(name).arg(entry["size"_L1].toInteger());
                  }
              }
          };
    walk(info["contents"_L1].toArray(), {});
    out.sort();
    return out;
}

/// GET .../contents/blob/<path>?support_redirect=1 with Accept-Encoding: gzip, as `cl download` and `cl cat`.
HttpResult blob(ClRequests &cl, const QString &uuid, const QString &path, ClParams params = {})
{
    params.prepend({ u"support_redirect"_s, 1 });
    return cl.request("GET", u"/bundles/%1/contents/blob/%2"_s.arg(uuid, path), params, {},
        { { "Accept-Encoding", "gzip" } });
}

QByteArray fileBlob(ClRequests &cl, const QString &uuid, const QString &path, const ClParams &params = {})
{
    const HttpResult r = blob(cl, uuid, path, params);
    INFO(r.body.left(300).toStdString());
    REQUIRE(r.status == 200);
    // urllib: gzip is undone by the client, identity or none taken as is, anything else an error.
    const QByteArray encoding = r.header("Content-Encoding");
    REQUIRE((encoding.isEmpty() || encoding == "identity" || encoding == "gzip"));
    return encoding == "gzip" ? codalab::util::GzipCodec::decompress(r.body, 1 << 26).value_or("<bad gzip>")
                              : r.body;
}

const QByteArray aText = "alpha\n";
const QByteArray bText = "beta beta\n";

} // namespace

TEST_CASE("cl upload of a file: create uploading, a null bundle_conn_str, a chunked absolute-form PUT "
          "with the quota calls answered meanwhile",
    "[localserver][cli]")
{
    LocalServerFixture f;
    auto cl = ClRequests::login(QUrl(f.server->url()), u"codalab"_s, f.password);
    const QString home = cl->home();
    QByteArray data;
    for (int i = 0; data.size() < 40 * 1024; ++i) {
        data += "line " + QByteArray::number(i) + '\n'; // three chunks of 16 KiB
    }
    ClUploadResult put;
    const QString uuid = cl->upload(home,
        ClRequests::uploadMetadata(u"somefile.txt"_s,
            QJsonObject {
                { u"description"_s, u"données 📦"_s }, { u"tags"_s, QJsonArray { u"été"_s, u"🏷"_s } } }),
        u"somefile.txt"_s, data, false, &put);
    INFO(put.body.toStdString());
    CHECK(put.status == 200); // upload_util accepts exactly 200
    CHECK(put.incrementStatus == 200);
    CHECK(put.userDuringUpload["disk_used"_L1].toInteger() >= 16 * 1024);
    CHECK(
        put.userDuringUpload["disk_quota"_L1].toInteger() > put.userDuringUpload["disk_used"_L1].toInteger());

    const QJsonObject bundle = cl->fetch(u"bundles"_s, uuid).toObject();
    CHECK(bundle["state"_L1].toString() == "ready"_L1);
    CHECK(bundle["metadata"_L1]["data_size"_L1].toInteger() == data.size());
    CHECK(bundle["metadata"_L1]["description"_L1].toString() == u"données 📦"_s);
    CHECK(bundle["metadata"_L1]["tags"_L1].toArray() == QJsonArray { u"été"_s, u"🏷"_s });
    CHECK(tree(*cl, uuid) == QStringList { u"=%1"_s.arg(data.size()) });
    CHECK(fileBlob(*cl, uuid, {}) == data);
    // The bundle is on the worksheet it was uploaded to.
    const QJsonObject ws = cl->fetch(u"worksheets"_s, home,
                                 { { u"include"_s, QStringList { u"items"_s, u"items.bundle"_s } } })
                               .toObject();
    REQUIRE(ws["items"_L1].toArray().size() == 1);
    CHECK(ws["items"_L1][0]["bundle"_L1]["uuid"_L1].toString() == uuid);
}

TEST_CASE("cl upload unpacks every archive kind as upstream, keeps --pack archives, takes several paths",
    "[localserver][cli]")
{
    LocalServerFixture f;
    auto cl = ClRequests::login(QUrl(f.server->url()), u"codalab"_s, f.password);
    const QString home = cl->home();
    // `tar czf - -C somedir .`, as the CLI packs a directory.
    const QByteArray dirTar
        = TarBuilder().dir("./").file("./a.txt", aText).dir("./sub/").file("./sub/b.txt", bText).finish();
    const QStringList dirTree { u"a.txt=6"_s, u"sub/"_s, u"sub/b.txt=10"_s };
    const QList<QPair<QByteArray, QByteArray>> members { { "a.txt", aText }, { "sub/", {} },
        { "sub/b.txt", bText } };

    struct Case
    {
        const char *what;
        QString filename;
        QByteArray data;
        bool unpack;
        QStringList expected;
    };
    const QList<Case> cases {
        { "a directory", u"somedir.tar.gz"_s, dirTar, true, dirTree },
        { "a .tgz", u"x.tgz"_s, dirTar, true, dirTree },
        { "a .tar.bz2", u"x.tar.bz2"_s, packed(Packing::TarBz2, members), true, dirTree },
        { "a .zip", u"x.zip"_s, packed(Packing::Zip, members), true, dirTree },
        { "a .gz file", u"notes.txt.gz"_s, TarBuilder::gzip(bText), true, { u"=10"_s } },
        { "a .bz2 file", u"notes.txt.bz2"_s, packed(Packing::Bz2, { { "notes.txt", aText } }), true,
            { u"=6"_s } },
        { "--pack", u"x.tar.gz"_s, dirTar, false, { u"=%1"_s.arg(dirTar.size()) } },
        // Several paths: Python's tarfile, each under its basename, no "./".
        { "several paths", u"contents.tar.gz"_s,
            TarBuilder().file("a.txt", aText).dir("somedir").file("somedir/b.txt", bText).finish(), true,
            { u"a.txt=6"_s, u"somedir/"_s, u"somedir/b.txt=10"_s } },
    };
    for (const Case &c : cases) {
        INFO(c.what);
        const QString uuid
            = cl->upload(home, ClRequests::uploadMetadata(u"x"_s), c.filename, c.data, c.unpack);
        const QJsonObject bundle = cl->fetch(u"bundles"_s, uuid).toObject();
        CHECK(bundle["state"_L1].toString() == "ready"_L1);
        CHECK(tree(*cl, uuid) == c.expected);
    }
}

TEST_CASE("cl upload -c: no wait_for_upload, still uploading until the PUT, and no contents is a 404",
    "[localserver][cli]")
{
    LocalServerFixture f;
    auto cl = ClRequests::login(QUrl(f.server->url()), u"codalab"_s, f.password);
    const QJsonObject info { { u"bundle_type"_s, u"dataset"_s },
        { u"metadata"_s, ClRequests::uploadMetadata(u"_"_s) } };
    const QJsonObject bundle
        = cl->create(u"bundles"_s, { info }, { { u"worksheet"_s, cl->home() } }).first().toObject();
    const QString uuid = bundle["id"_L1].toString();
    CHECK(bundle["uuid"_L1].toString() == uuid);
    CHECK(bundle["state"_L1].toString() == "uploading"_L1);

    // Nothing uploaded yet: cl cat / cl download get upstream's 404.
    const HttpResult none
        = cl->request("GET", u"/bundles/%1/contents/info/"_s.arg(uuid), { { u"depth"_s, 1 } });
    CHECK(none.status == 404);
    CHECK(none.body == "Path '' in bundle " + uuid.toLatin1() + " not found");
    CHECK(blob(*cl, uuid, {}).status == 404);

    const QByteArray text = u"hello contents ✓\n"_s.toUtf8();
    const ClUploadResult put = cl->putContents(uuid,
        { { u"filename"_s, u"contents"_s }, { u"unpack"_s, false }, { u"state_on_success"_s, u"ready"_s },
            { u"finalize_on_success"_s, true }, { u"use_azure_blob_beta"_s, false }, { u"store"_s, u""_s },
            { u"finalize_on_failure"_s, true } },
        text, false);
    CHECK(put.status == 200);
    CHECK(cl->fetch(u"bundles"_s, uuid)["state"_L1].toString() == "ready"_L1);
    CHECK(fileBlob(*cl, uuid, {}) == text);
    // A second PUT to a finalized bundle is refused with upstream's words.
    const ClUploadResult again = cl->putContents(uuid, { { u"filename"_s, u"contents"_s } }, "x", false);
    CHECK(again.status == 403);
    CHECK(again.body == "Contents cannot be modified, bundle already finalized.");
}

TEST_CASE("cl download and cl cat: info with resolved_target, a directory as tar.gz, a file gzip-encoded",
    "[localserver][cli]")
{
    LocalServerFixture f;
    auto cl = ClRequests::login(QUrl(f.server->url()), u"codalab"_s, f.password);
    QByteArray lines;
    for (int i = 1; i <= 30; ++i) {
        lines += "row " + QByteArray::number(i) + '\n';
    }
    const QByteArray dirTar
        = TarBuilder().dir("./").file("./a.txt", lines).dir("./sub/").file("./sub/b.txt", bText).finish();
    const QString uuid
        = cl->upload(cl->home(), ClRequests::uploadMetadata(u"somedir"_s), u"somedir.tar.gz"_s, dirTar, true);

    // cl download: info at depth 0, then the blob of resolved_target.
    const QJsonObject info = cl->contentsInfo(uuid, {}, 0);
    CHECK(info["type"_L1].toString() == "directory"_L1);
    CHECK(info["resolved_target"_L1]["bundle_uuid"_L1].toString() == uuid);
    CHECK(info["resolved_target"_L1]["subpath"_L1].toString().isEmpty());
    CHECK(!info["resolved_target"_L1]["subpath"_L1].isUndefined());
    const HttpResult dir = blob(*cl, uuid, {});
    REQUIRE(dir.status == 200);
    const QByteArray encoding = dir.header("Content-Encoding");
    CHECK((encoding.isEmpty() || encoding == "identity")); // the tar.gz is the body itself
    QBuffer tarGz(const_cast<QByteArray *>(&dir.body));
    REQUIRE(tarGz.open(QIODevice::ReadOnly));
    QTemporaryDir out;
    const auto extracted = codalab::util::SafeArchive::extract(&tarGz, out.filePath(u"somedir"_s));
    INFO(extracted.error.toStdString());
    REQUIRE(extracted.ok);
    QFile b(out.filePath(u"somedir/sub/b.txt"_s));
    REQUIRE(b.open(QIODevice::ReadOnly));
    CHECK(b.readAll() == bText);

    // A subpath: resolved_target names it; a file comes gzip-encoded when asked so.
    const QJsonObject sub = cl->contentsInfo(uuid, u"sub/b.txt"_s, 1);
    CHECK(sub["type"_L1].toString() == "file"_L1);
    CHECK(sub["name"_L1].toString() == "b.txt"_L1);
    CHECK(sub["resolved_target"_L1]["subpath"_L1].toString() == "sub/b.txt"_L1);
    const HttpResult file = blob(*cl, uuid, u"sub/b.txt"_s);
    CHECK(file.header("Content-Encoding") == "gzip");
    CHECK(fileBlob(*cl, uuid, u"sub/b.txt"_s) == bText);

    // cl cat of a directory: depth 1 entries with name, type, size, perm.
    const QJsonObject listing = cl->contentsInfo(uuid, {}, 1);
    QStringList names;
    for (const QJsonValue &entry : listing["contents"_L1].toArray()) {
        names << entry["name"_L1].toString();
        CHECK(entry["perm"_L1].isDouble());
        CHECK(entry["size"_L1].isDouble());
    }
    names.sort();
    CHECK(names == QStringList { u"a.txt"_s, u"sub"_s });
    // cl cat --head 10: the first ten lines.
    CHECK(fileBlob(*cl, uuid, u"a.txt"_s, { { u"head"_s, 10 } }) == lines.left(lines.indexOf("row 11")));
    // cl wait -t reads with a Range (inclusive end), status 200.
    const HttpResult range = cl->request("GET", u"/bundles/%1/contents/blob/a.txt"_s.arg(uuid),
        { { u"support_redirect"_s, 1 } }, {}, { { "Range", "bytes=4-9" } });
    CHECK(range.status == 200);
    CHECK(range.body == lines.mid(4, 6));

    // A path that is not there: 404 with upstream's words (cl cat prints <none>).
    const HttpResult missing
        = cl->request("GET", u"/bundles/%1/contents/info/nothere.txt"_s.arg(uuid), { { u"depth"_s, 0 } });
    CHECK(missing.status == 404);
    CHECK(missing.body == "Path 'nothere.txt' in bundle " + uuid.toLatin1() + " not found");
}
