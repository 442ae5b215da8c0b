// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace codalab::docker {

/// An image from inspect or list answers.
struct ImageInfo
{
    QString id; ///< "sha256:..."
    QStringList repoTags;
    QStringList repoDigests; ///< "name@sha256:..."; empty for images that were never pulled or pushed
    qint64 sizeBytes = 0;
    QDateTime created;

    /// The digest CodaLab reports for a run: RepoDigests[0], else the image id.
    QString digest() const { return repoDigests.isEmpty() ? id : repoDigests.first(); }

    /// The tags a user gave: repoTags without the bookkeeping tags workers put on images they cache
    /// (upstream's `codalab-image-cache/last-used:<time>`), which name no image anyone would ask for.
    QStringList userTags() const;
    static bool isBookkeepingTag(const QString &tag);

    static ImageInfo fromInspect(const QJsonObject &json);
    static ImageInfo fromListEntry(const QJsonObject &json);
};

} // namespace codalab::docker
