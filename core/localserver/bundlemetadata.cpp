// SPDX-License-Identifier: GPL-3.0-or-later
#include "localserver/bundlemetadata.h"

#include "localserver/bundlerecord.h"
#include "server/bundlestate.h"
#include "server/bundletype.h"
#include "server/metadatakey.h"
#include "util/bytesize.h"
#include "util/duration.h"

#include <QDateTime>
#include <QJsonArray>
#include <QRegularExpression>

namespace codalab::localserver {

namespace {

// The keys `cl run` always sends (codalab/bundles/run_bundle.py METADATA_SPECS minus the hidden `store`).
const QStringList runKeys { QStringLiteral("name"), QStringLiteral("description"), QStringLiteral("tags"),
    QStringLiteral("allow_failed_dependencies"), QStringLiteral("request_docker_image"),
    QStringLiteral("request_time"), QStringLiteral("request_memory"), QStringLiteral("request_disk"),
    QStringLiteral("request_cpus"), QStringLiteral("request_gpus"), QStringLiteral("request_queue"),
    QStringLiteral("request_priority"), QStringLiteral("request_network"),
    QStringLiteral("exclude_patterns") };

// Every metadata key of each bundle type, generated ones included (upstream's METADATA_SPECS of NamedBundle,
// UploadedBundle, DerivedBundle, MakeBundle and RunBundle): any other is "Unexpected metadata key".
const QStringList namedKeys { QStringLiteral("name"), QStringLiteral("description"), QStringLiteral("tags"),
    QStringLiteral("created"), QStringLiteral("data_size"), QStringLiteral("failure_message"),
    QStringLiteral("error_traceback") };
const QStringList uploadedKeys { QStringLiteral("license"), QStringLiteral("source_url"),
    QStringLiteral("link_url"), QStringLiteral("link_format"), QStringLiteral("store") };
const QStringList makeKeys { QStringLiteral("allow_failed_dependencies"), QStringLiteral("staged_status"),
    QStringLiteral("store") };
const QStringList runOnlyKeys { QStringLiteral("cpu_usage"), QStringLiteral("memory_usage"),
    QStringLiteral("store"), QStringLiteral("actions"), QStringLiteral("time"), QStringLiteral("time_user"),
    QStringLiteral("time_system"), QStringLiteral("memory"), QStringLiteral("memory_max"),
    QStringLiteral("started"), QStringLiteral("last_updated"), QStringLiteral("run_status"),
    QStringLiteral("staged_status"), QStringLiteral("time_preparing"), QStringLiteral("time_running"),
    QStringLiteral("time_cleaning_up"), QStringLiteral("time_uploading_results"),
    QStringLiteral("docker_image"), QStringLiteral("exitcode"), QStringLiteral("job_handle"),
    QStringLiteral("remote"), QStringLiteral("remote_history"), QStringLiteral("on_preemptible_worker") };

bool isKnownKey(const QString &bundleType, const QString &key)
{
    if (namedKeys.contains(key)) {
        return true;
    }
    if (bundleType == server::BundleType::Dataset || bundleType == server::BundleType::Program) {
        return uploadedKeys.contains(key);
    }
    if (bundleType == server::BundleType::Make) {
        return makeKeys.contains(key);
    }
    if (bundleType == server::BundleType::Run) {
        return runKeys.contains(key) || runOnlyKeys.contains(key);
    }
    return true; // a type this server does not know is refused elsewhere
}

// Null values come back as these, as upstream stores them.
QJsonValue storedNull(const QString &key)
{
    if (key == QLatin1String("request_priority") || key == QLatin1String("request_cpus")
        || key == QLatin1String("request_gpus")) {
        return 0;
    }
    if (key == QLatin1String("tags") || key == QLatin1String("exclude_patterns")) {
        return QJsonArray();
    }
    return QString();
}

} // namespace

bool BundleMetadata::isValidName(const QString &name)
{
    static const QRegularExpression pattern(QStringLiteral("^[a-zA-Z_][a-zA-Z0-9_.\\-]*$"));
    return pattern.match(name).hasMatch();
}

bool BundleMetadata::checkValue(const QString &key, const QJsonValue &value, QString *error)
{
    if (value.isNull()) {
        return true;
    }
    if (key == QLatin1String("name") && !isValidName(value.toString())) {
        *error
            = QStringLiteral("Names must match ^[a-zA-Z_][a-zA-Z0-9_\\.\\-]*$, was %1").arg(value.toString());
        return false;
    }
    if ((key == QLatin1String("request_memory") || key == QLatin1String("request_disk"))
        && !value.toString().isEmpty() && !util::ByteSize::parse(value.toString())) {
        *error = QStringLiteral("Invalid %1: %2 (expected a size like 3, 3k, 3m, 3g)")
                     .arg(key, value.toString());
        return false;
    }
    if (key == QLatin1String("request_time") && !value.toString().isEmpty()
        && !util::Duration::parse(value.toString())) {
        *error = QStringLiteral("Invalid request_time: %1 (expected a duration like 30, 30s, 5m, 3h, 2d)")
                     .arg(value.toString());
        return false;
    }
    if ((key == QLatin1String("request_cpus") || key == QLatin1String("request_gpus")
            || key == QLatin1String("request_priority"))
        && !value.isDouble()) {
        *error = QStringLiteral("%1 must be an integer").arg(key);
        return false;
    }
    if ((key == QLatin1String("request_cpus") || key == QLatin1String("request_gpus"))
        && value.toDouble() < 0) {
        *error = QStringLiteral("%1 must not be negative").arg(key);
        return false;
    }
    if ((key == QLatin1String("tags") || key == QLatin1String("exclude_patterns")) && !value.isArray()) {
        *error = QStringLiteral("%1 must be a list").arg(key);
        return false;
    }
    return true;
}

std::optional<QJsonObject> BundleMetadata::forCreate(
    const QString &bundleType, const QJsonObject &metadata, QString *error)
{
    const QStringList required
        = bundleType == QLatin1String("run") ? runKeys : QStringList { QStringLiteral("name") };
    for (const QString &key : required) {
        if (!metadata.contains(key)) {
            *error = QStringLiteral("Missing metadata key: %1").arg(key);
            return std::nullopt;
        }
    }
    QJsonObject stored;
    for (auto it = metadata.begin(); it != metadata.end(); ++it) {
        if (!isKnownKey(bundleType, it.key())) {
            *error = QStringLiteral("Unexpected metadata key: %1").arg(it.key());
            return std::nullopt;
        }
        if (!checkValue(it.key(), it.value(), error)) {
            return std::nullopt;
        }
        stored.insert(it.key(), it.value().isNull() ? storedNull(it.key()) : it.value());
    }
    // Every key of the type is there, with upstream's defaults, as upstream's collapse_dicts fills them in.
    const auto fill = [&stored](const QString &key, const QJsonValue &value) {
        if (!stored.contains(key)) {
            stored.insert(key, value);
        }
    };
    if (bundleType != server::BundleType::Run) {
        fill(server::MetadataKey::Description, QString());
        fill(server::MetadataKey::Tags, QJsonArray());
    }
    if (bundleType == server::BundleType::Dataset || bundleType == server::BundleType::Program) {
        for (const QLatin1String key : { server::MetadataKey::License, server::MetadataKey::SourceUrl,
                 server::MetadataKey::LinkUrl, server::MetadataKey::LinkFormat }) {
            fill(key, QString());
        }
    }
    if (bundleType == server::BundleType::Make) {
        fill(server::MetadataKey::AllowFailedDependencies, false);
    }
    if (!stored.contains(QLatin1String("store"))) {
        stored.insert(QLatin1String("store"), QString());
    }
    stored.insert(QLatin1String("created"), QDateTime::currentSecsSinceEpoch());
    return stored;
}

bool BundleMetadata::checkEdit(const BundleRecord &bundle, const QJsonObject &changes, QString *error)
{
    const bool started = !server::BundleState::isBeforeStart(bundle.state);
    for (auto it = changes.begin(); it != changes.end(); ++it) {
        if (!isKnownKey(bundle.bundleType, it.key())) {
            *error = QStringLiteral("Unexpected metadata key: %1").arg(it.key());
            return false;
        }
        if (started && isRequestKey(it.key())) {
            *error = QStringLiteral("Cannot change %1 once the bundle has started").arg(it.key());
            return false;
        }
        if (!checkValue(it.key(), it.value(), error)) {
            return false;
        }
    }
    return true;
}

} // namespace codalab::localserver
