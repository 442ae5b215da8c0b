// SPDX-License-Identifier: GPL-3.0-or-later
#include "support/codalabtestdata.h"

#include <catch2/catch.hpp>

namespace codalab::test {

QJsonObject runMetadata(const QString &name, const QJsonObject &overrides)
{
    QJsonObject m { { QStringLiteral("name"), name }, { QStringLiteral("description"), QString() },
        { QStringLiteral("tags"), QJsonArray() }, { QStringLiteral("allow_failed_dependencies"), false },
        { QStringLiteral("request_docker_image"), QJsonValue() },
        { QStringLiteral("request_time"), QJsonValue() },
        { QStringLiteral("request_memory"), QStringLiteral("2g") },
        { QStringLiteral("request_disk"), QJsonValue() }, { QStringLiteral("request_cpus"), 1 },
        { QStringLiteral("request_gpus"), 0 }, { QStringLiteral("request_queue"), QJsonValue() },
        { QStringLiteral("request_priority"), QJsonValue() }, { QStringLiteral("request_network"), true },
        { QStringLiteral("exclude_patterns"), QJsonArray() }, { QStringLiteral("store"), QJsonValue() } };
    for (auto it = overrides.begin(); it != overrides.end(); ++it) {
        m.insert(it.key(), it.value());
    }
    return m;
}

QJsonObject bundleBody(
    const QString &type, const QString &command, const QJsonObject &metadata, const QJsonArray &dependencies)
{
    QJsonObject attributes { { QStringLiteral("bundle_type"), type },
        { QStringLiteral("metadata"), metadata }, { QStringLiteral("dependencies"), dependencies } };
    if (!command.isEmpty()) {
        attributes.insert(QStringLiteral("command"), command);
    }
    return QJsonObject { { QStringLiteral("data"),
        QJsonArray { QJsonObject { { QStringLiteral("type"), QStringLiteral("bundles") },
            { QStringLiteral("attributes"), attributes } } } } };
}

QString firstId(const HttpResult &result)
{
    const QJsonValue data = result.json.object().value(QLatin1String("data"));
    const QJsonObject first = data.isArray() ? data.toArray().first().toObject() : data.toObject();
    return first.value(QLatin1String("id")).toString();
}

QString homeWorksheet(HttpTestClient &client)
{
    const HttpResult r = client.get(QStringLiteral("/rest/worksheets?specs=/"));
    REQUIRE(r.status == 200);
    return firstId(r);
}

QString createDataset(
    HttpTestClient &client, const QString &name, const QString &filename, const QByteArray &contents)
{
    const HttpResult made = client.post(QStringLiteral("/rest/bundles?worksheet=") + homeWorksheet(client),
        bundleBody(QStringLiteral("dataset"), QString(), QJsonObject { { QStringLiteral("name"), name } }));
    REQUIRE(made.status == 200);
    const QString uuid = firstId(made);
    if (!filename.isEmpty()) {
        const HttpResult uploaded = client.send("PUT",
            QStringLiteral("/rest/bundles/%1/contents/blob/?filename=%2").arg(uuid, filename), contents,
            "application/octet-stream");
        REQUIRE(uploaded.status == 200);
    }
    return uuid;
}

} // namespace codalab::test
