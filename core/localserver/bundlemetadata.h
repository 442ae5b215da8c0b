// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonObject>
#include <QString>

#include <optional>

namespace codalab::localserver {

struct BundleRecord;

/// Checks and completes the metadata a client sends when it creates or edits a bundle, as upstream's
/// bundle classes do: the keys of the type, required keys, the name pattern, sizes and durations, nulls
/// stored as "" or 0.
class BundleMetadata
{
public:
    /// For creation: every user-settable key of the type must be present (a run without one is
    /// 400 "Missing metadata key: <key>"). Returns the metadata to store, or nullopt and *error.
    static std::optional<QJsonObject> forCreate(
        const QString &bundleType, const QJsonObject &metadata, QString *error);
    /// Validates an edit: keys of the bundle's type only, the request_* keys locked once it started.
    static bool checkEdit(const BundleRecord &bundle, const QJsonObject &changes, QString *error);

    static bool isValidName(const QString &name);
    static bool isRequestKey(const QString &key) { return key.startsWith(QLatin1String("request_")); }

private:
    static bool checkValue(const QString &key, const QJsonValue &value, QString *error);
};

} // namespace codalab::localserver
