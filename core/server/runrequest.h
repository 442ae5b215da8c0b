// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace codalab::server {

/// Everything `cl run` takes, validated as upstream validates it, rendered as the bundle-create body
/// the CLI sends and as the equivalent `cl run ...` command line.
struct RunRequest
{
    struct Dependency
    {
        QString key; ///< child_path: where it appears in the run's directory
        QString target; ///< [<worksheet>//]<bundle>[/<subpath>] as typed, or an absolute local path to upload
        QString parentUuid; ///< filled in once the target is resolved
        QString parentPath;

        friend bool operator==(const Dependency &, const Dependency &) = default;
    };

    QString command;
    QString image; ///< empty: the server's default
    QString queue; ///< worker tag
    int cpus = 1;
    int gpus = 0;
    QString memory = QStringLiteral("2g");
    QString disk; ///< empty: the server decides
    QString time;
    bool network = true;
    std::optional<int> priority;
    QString name; ///< empty: derived from the command as upstream does
    QString description;
    QStringList tags;
    QList<Dependency> dependencies;
    QStringList excludePatterns;
    QString worksheet; ///< spec; empty: home
    bool allowFailedDependencies = false;

    /// `run-<first word>`, cleaned to upstream's name rules, at most 32 characters.
    static QString defaultName(const QString &command);
    QString effectiveName() const { return name.isEmpty() ? defaultName(command) : name; }
    /// "key:target", or ":target" whose key is the subpath or bundle name (a local path's: its base name).
    static std::optional<Dependency> parseDependency(const QString &keyTarget, QString *error);
    /// A target that is a file or folder of this computer (an absolute path: a bundle spec never starts with
    /// "/"), uploaded as a bundle before the run is created.
    static bool isLocalTarget(const QString &target) { return target.startsWith(QLatin1Char('/')); }
    /// Every problem, each naming its field; empty when the request can be sent.
    QStringList validate() const;
    /// {"data": [{"type": "bundles", "attributes": {...}}]} with every user-settable key, as `cl run` sends.
    QJsonObject toCreateBody() const;
    QString toClCommand() const;

    /// The request a bundle was created with, from its resource as GET /rest/bundles returns it
    /// ({"attributes": {...}}; bare attributes are taken too), so that submitting it again runs the same.
    /// Each dependency's target is "<parent_uuid>[/<parent_path>]", already resolved. The server stores a
    /// missing value as "" or 0 (codalab-protocol.md 5.3): request_priority 0 comes back as no priority
    /// (the scheduler orders both alike), request_cpus 0 as 1, a missing request_network as true. The
    /// worksheet is not part of a bundle: it stays empty (home).
    static RunRequest fromBundle(const QJsonObject &bundle);

    friend bool operator==(const RunRequest &, const RunRequest &) = default;
};

} // namespace codalab::server
