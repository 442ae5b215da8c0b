// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "support/httptestclient.h"

#include <QJsonArray>
#include <QJsonObject>

namespace codalab::test {

/// What `cl run` sends as metadata: every user-settable key with its default, `overrides` on top.
QJsonObject runMetadata(const QString &name, const QJsonObject &overrides = {});
/// {"data": [{"type": "bundles", "attributes": {...}}]} for POST /rest/bundles.
QJsonObject bundleBody(const QString &type, const QString &command, const QJsonObject &metadata,
    const QJsonArray &dependencies = {});
/// The id of the first resource of a JSON:API answer ("data" a list or one object).
QString firstId(const HttpResult &result);
/// The caller's home worksheet uuid (REQUIREs success).
QString homeWorksheet(HttpTestClient &client);
/// A dataset bundle on the home worksheet; with `filename`, `contents` uploaded as it (REQUIREs success).
QString createDataset(HttpTestClient &client, const QString &name, const QString &filename = {},
    const QByteArray &contents = {});

} // namespace codalab::test
