// SPDX-License-Identifier: GPL-3.0-or-later
// Checks a restarted codalab-local-server against what its clients were told before it was killed.
#pragma once

#include "loadgenerator.h"
#include "serverprocess.h"

#include <QDir>

namespace codalab::test {

/// What a restarted server held, for the test's figures.
struct StoreFigures
{
    int listed = 0; ///< bundles GET /rest/bundles lists
    int readable = 0; ///< of those, GET /rest/bundles/<uuid> answers 200
    int ready = 0; ///< of those, ready with their files readable
    int lostAcknowledged = 0; ///< acknowledged writes not found (must be 0)
    QString integrity;
};

/// Bundle uuid -> attributes, as the API lists them.
inline QHash<QString, QJsonObject> listedBundles(HttpTestClient &c)
{
    const HttpResult r = c.get(QStringLiteral("/rest/bundles?keywords=.limit=1000000"));
    REQUIRE(r.status == 200);
    QHash<QString, QJsonObject> bundles;
    for (const QJsonValue &b : r.json.object()[QLatin1String("data")].toArray()) {
        bundles.insert(b[QLatin1String("id")].toString(), b[QLatin1String("attributes")].toObject());
    }
    return bundles;
}

/// Bundle uuid -> state, as the API lists them.
inline QHash<QString, QString> listedStates(HttpTestClient &c)
{
    QHash<QString, QString> states;
    const QHash<QString, QJsonObject> bundles = listedBundles(c);
    for (auto it = bundles.begin(); it != bundles.end(); ++it) {
        states.insert(it.key(), it.value()[QLatin1String("state")].toString());
    }
    return states;
}

/// After a restart: SQLite's integrity check passes; every listed bundle reads back; every acknowledged
/// create, upload, result and finalization is there; every ready bundle has its files; the bundles
/// directory holds exactly the listed bundles but those still uploading (no leftover of an upload, no
/// orphan); tmp/ is empty.
inline StoreFigures checkRestartedStore(ServerProcess &server, const Acknowledged &acks)
{
    StoreFigures figures;
    figures.integrity = server.integrityCheck();
    CHECK(figures.integrity == QLatin1String("ok"));
    HttpTestClient c(server.url());
    c.login(QStringLiteral("codalab"), server.password());
    const QHash<QString, QString> states = listedStates(c);
    figures.listed = int(states.size());
    for (auto it = states.begin(); it != states.end(); ++it) {
        const int status = c.get(QStringLiteral("/rest/bundles/") + it.key()).status;
        CHECK(status == 200);
        figures.readable += status == 200 ? 1 : 0;
        if (it.value() == QLatin1String("ready")) {
            const int info = c.get(QStringLiteral("/rest/bundles/%1/contents/info/").arg(it.key())).status;
            INFO("ready bundle " << it.key().toStdString() << " has no readable contents");
            CHECK(info == 200);
            figures.ready += info == 200 ? 1 : 0;
        }
    }
    const auto lost = [&figures](bool found, const QString &what) {
        INFO(what.toStdString());
        CHECK(found);
        figures.lostAcknowledged += found ? 0 : 1;
    };
    for (const QString &uuid : acks.created) {
        lost(states.contains(uuid), QStringLiteral("acknowledged create of ") + uuid);
    }
    for (auto it = acks.uploaded.begin(); it != acks.uploaded.end(); ++it) {
        const HttpResult blob
            = c.get(QStringLiteral("/rest/bundles/%1/contents/blob/data.txt").arg(it.key()));
        lost(states.value(it.key()) == QLatin1String("ready") && blob.body == it.value(),
            QStringLiteral("acknowledged upload to ") + it.key());
    }
    for (auto it = acks.results.begin(); it != acks.results.end(); ++it) {
        const HttpResult blob = c.get(QStringLiteral("/rest/bundles/%1/contents/blob/stdout").arg(it.key()));
        lost(blob.body == it.value(), QStringLiteral("acknowledged results of ") + it.key());
    }
    for (const QString &uuid : acks.finalized) {
        lost(states.value(uuid) == QLatin1String("ready"),
            QStringLiteral("acknowledged finalization of ") + uuid);
    }
    // On disk: one entry per bundle, nothing else; nothing left in tmp.
    const QStringList entries
        = QDir(server.bundlesDir()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden);
    const QSet<QString> onDisk(entries.begin(), entries.end());
    QStringList extra;
    QStringList missing;
    for (const QString &name : onDisk) {
        if (!states.contains(name)) {
            extra << name;
        }
    }
    for (auto it = states.begin(); it != states.end(); ++it) {
        // An upload not yet complete has no contents, as upstream's; every other bundle has its directory.
        if (!onDisk.contains(it.key()) && it.value() != QLatin1String("uploading")) {
            missing << it.key() + QLatin1Char(' ') + it.value();
        }
    }
    INFO("on disk, no bundle's: " << extra.join(QStringLiteral(", ")).toStdString());
    INFO("bundles without contents: " << missing.join(QStringLiteral(", ")).toStdString());
    CHECK(extra.isEmpty());
    CHECK(missing.isEmpty());
    const QStringList tmp
        = QDir(server.tmpDir()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden);
    INFO("in tmp: " << tmp.join(QStringLiteral(", ")).toStdString());
    CHECK(tmp.isEmpty());
    return figures;
}

/// Leftovers in a data directory right after a kill: files in tmp/, <uuid>.incoming and <uuid>.old.
inline QString leftovers(const ServerProcess &server)
{
    const QStringList all
        = QDir(server.bundlesDir()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden);
    return QStringLiteral("%1 file(s) in tmp/, %2 unpacking upload(s), %3 .old")
        .arg(QDir(server.tmpDir()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot).size())
        .arg(all.filter(QStringLiteral(".incoming")).size())
        .arg(all.filter(QStringLiteral(".old")).size());
}

} // namespace codalab::test
