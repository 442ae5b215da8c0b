// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/runrequest.h"

#include "server/uploadsource.h"
#include "util/bytesize.h"
#include "util/duration.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QRegularExpression>

namespace codalab::server {

namespace {

QString shellQuote(const QString &s)
{
    static const QRegularExpression safe(QStringLiteral("^[A-Za-z0-9_./:=,@%+-]+$"));
    if (safe.match(s).hasMatch()) {
        return s;
    }
    return QLatin1Char('\'') + QString(s).replace(QLatin1Char('\''), QLatin1String("'\"'\"'"))
        + QLatin1Char('\'');
}

QJsonValue orNull(const QString &s)
{
    return s.isEmpty() ? QJsonValue() : QJsonValue(s);
}

/// A metadata string the server may hold as a number ("request_time": 3600) or as null/"".
QString metadataString(const QJsonObject &metadata, const char *key)
{
    const QJsonValue v = metadata.value(QLatin1String(key));
    return v.isString() || v.isDouble() ? v.toVariant().toString() : QString();
}

QStringList stringList(const QJsonValue &v)
{
    QStringList out;
    for (const QJsonValue &item : v.toArray()) {
        out << item.toString();
    }
    return out;
}

} // namespace

QString RunRequest::defaultName(const QString &command)
{
    static const QRegularExpression outside(QStringLiteral("[^a-zA-Z0-9_.\\-]"));
    static const QRegularExpression dashes(QStringLiteral("-+"));
    QString name = QStringLiteral("run-")
        + command.trimmed().section(QRegularExpression(QStringLiteral("\\s+")), 0, 0);
    name.replace(outside, QStringLiteral("-"));
    name.replace(dashes, QStringLiteral("-"));
    if (!name.isEmpty() && !name.at(0).isLetter() && name.at(0) != QLatin1Char('_')) {
        name.prepend(QLatin1Char('_'));
    }
    return name.left(32);
}

std::optional<RunRequest::Dependency> RunRequest::parseDependency(const QString &keyTarget, QString *error)
{
    const qsizetype colon = keyTarget.indexOf(QLatin1Char(':'));
    if (colon < 0) {
        *error = QStringLiteral("Dependency '%1' must be key:bundle[/subpath]").arg(keyTarget);
        return std::nullopt;
    }
    Dependency d;
    d.key = keyTarget.left(colon);
    d.target = keyTarget.mid(colon + 1);
    if (d.target.isEmpty()) {
        *error = QStringLiteral("Dependency '%1' names no bundle").arg(keyTarget);
        return std::nullopt;
    }
    if (isLocalTarget(d.target)) {
        if (d.key.isEmpty()) {
            d.key = QFileInfo(QDir::cleanPath(d.target)).fileName();
        }
        return d;
    }
    // The bundle spec is what follows an optional "worksheet//"; a subpath follows the first '/'.
    const QString bundleAndPath
        = d.target.contains(QLatin1String("//")) ? d.target.section(QLatin1String("//"), 1) : d.target;
    d.parentPath = bundleAndPath.section(QLatin1Char('/'), 1);
    if (d.key.isEmpty()) {
        d.key = d.parentPath.isEmpty() ? bundleAndPath : d.parentPath.section(QLatin1Char('/'), -1);
    }
    return d;
}

QStringList RunRequest::validate() const
{
    QStringList errors;
    static const QRegularExpression namePattern(QStringLiteral("^[a-zA-Z_][a-zA-Z0-9_.\\-]*$"));
    static const QRegularExpression keyPattern(QStringLiteral("^[a-zA-Z0-9_\\-./]+$"));
    static const QRegularExpression tagPattern(QStringLiteral("^[a-zA-Z0-9\\-]*$"));
    if (command.trimmed().isEmpty()) {
        errors << QStringLiteral("command: a run needs a command");
    }
    if (!namePattern.match(effectiveName()).hasMatch()) {
        errors << QStringLiteral("name: must match ^[a-zA-Z_][a-zA-Z0-9_.-]*$");
    }
    if (cpus < 1) {
        errors << QStringLiteral("cpus: at least 1");
    }
    if (gpus < 0) {
        errors << QStringLiteral("gpus: not negative");
    }
    QString why;
    if (!memory.isEmpty()) {
        const auto bytes = util::ByteSize::parse(memory, &why);
        if (!bytes) {
            errors << QStringLiteral("memory: ") + why;
        } else if (*bytes < 4 * 1024 * 1024) {
            errors << QStringLiteral("memory: at least 4m");
        }
    }
    if (!disk.isEmpty() && !util::ByteSize::parse(disk, &why)) {
        errors << QStringLiteral("disk: ") + why;
    }
    if (!time.isEmpty() && !util::Duration::parse(time, &why)) {
        errors << QStringLiteral("time: ") + why;
    }
    if (!tagPattern.match(queue).hasMatch()) {
        errors << QStringLiteral("queue: letters, digits and '-' only");
    }
    QStringList keys;
    for (const Dependency &d : dependencies) {
        if (!keyPattern.match(d.key).hasMatch()
            || d.key.split(QLatin1Char('/')).contains(QLatin1String(".."))) {
            errors << QStringLiteral("dependency %1: keys use letters, digits and _ - . /").arg(d.key);
        }
        for (const QString &k : std::as_const(keys)) {
            if (k == d.key) {
                errors << QStringLiteral("dependency %1: the key is used twice").arg(d.key);
            } else if (d.key.startsWith(k + QLatin1Char('/')) || k.startsWith(d.key + QLatin1Char('/'))) {
                errors << QStringLiteral("dependency %1: one key may not contain another (%2)").arg(d.key, k);
            }
        }
        keys << d.key;
    }
    return errors;
}

QJsonObject RunRequest::toCreateBody() const
{
    QJsonArray deps;
    for (const Dependency &d : dependencies) {
        deps.append(QJsonObject { { QStringLiteral("child_path"), d.key },
            { QStringLiteral("parent_uuid"), d.parentUuid },
            { QStringLiteral("parent_path"), d.parentPath } });
    }
    const QJsonObject metadata { { QStringLiteral("name"), effectiveName() },
        { QStringLiteral("description"), description },
        { QStringLiteral("tags"), QJsonArray::fromStringList(tags) },
        { QStringLiteral("allow_failed_dependencies"), allowFailedDependencies },
        { QStringLiteral("request_docker_image"), orNull(image) },
        { QStringLiteral("request_time"), orNull(time) },
        { QStringLiteral("request_memory"), orNull(memory) },
        { QStringLiteral("request_disk"), orNull(disk) }, { QStringLiteral("request_cpus"), cpus },
        { QStringLiteral("request_gpus"), gpus }, { QStringLiteral("request_queue"), orNull(queue) },
        { QStringLiteral("request_priority"), priority ? QJsonValue(*priority) : QJsonValue() },
        { QStringLiteral("request_network"), network },
        { QStringLiteral("exclude_patterns"), QJsonArray::fromStringList(excludePatterns) },
        { QStringLiteral("store"), QJsonValue() } };
    return QJsonObject { { QStringLiteral("data"),
        QJsonArray { QJsonObject { { QStringLiteral("type"), QStringLiteral("bundles") },
            { QStringLiteral("attributes"),
                QJsonObject { { QStringLiteral("bundle_type"), QStringLiteral("run") },
                    { QStringLiteral("command"), command }, { QStringLiteral("metadata"), metadata },
                    { QStringLiteral("dependencies"), deps } } } } } } };
}

RunRequest RunRequest::fromBundle(const QJsonObject &bundle)
{
    const QJsonObject a = bundle.contains(QLatin1String("attributes"))
        ? bundle.value(QLatin1String("attributes")).toObject()
        : bundle;
    const QJsonObject m = a.value(QLatin1String("metadata")).toObject();
    RunRequest r;
    r.command = a.value(QLatin1String("command")).toString();
    r.image = metadataString(m, "request_docker_image");
    r.queue = metadataString(m, "request_queue");
    r.cpus = qMax(1, m.value(QLatin1String("request_cpus")).toInt(1));
    r.gpus = qMax(0, m.value(QLatin1String("request_gpus")).toInt(0));
    r.memory = metadataString(m, "request_memory");
    r.disk = metadataString(m, "request_disk");
    r.time = metadataString(m, "request_time");
    const QJsonValue network = m.value(QLatin1String("request_network"));
    r.network = network.isBool() ? network.toBool() : true;
    const int priority = m.value(QLatin1String("request_priority")).toInt(0);
    if (priority != 0) {
        r.priority = priority;
    }
    r.name = m.value(QLatin1String("name")).toString();
    r.description = m.value(QLatin1String("description")).toString();
    r.tags = stringList(m.value(QLatin1String("tags")));
    r.excludePatterns = stringList(m.value(QLatin1String("exclude_patterns")));
    r.allowFailedDependencies = m.value(QLatin1String("allow_failed_dependencies")).toBool(false);
    for (const QJsonValue &v : a.value(QLatin1String("dependencies")).toArray()) {
        const QJsonObject d = v.toObject();
        Dependency dep;
        dep.key = d.value(QLatin1String("child_path")).toString();
        dep.parentUuid = d.value(QLatin1String("parent_uuid")).toString();
        dep.parentPath = d.value(QLatin1String("parent_path")).toString();
        dep.target
            = dep.parentPath.isEmpty() ? dep.parentUuid : dep.parentUuid + QLatin1Char('/') + dep.parentPath;
        // A bundle on a server names no file of this computer: even without a parent_uuid its target must
        // not read as a local path, or toClCommand() would offer to upload one.
        while (isLocalTarget(dep.target)) {
            dep.target.remove(0, 1);
        }
        r.dependencies << dep;
    }
    return r;
}

QString RunRequest::toClCommand() const
{
    // A local folder not yet on the server is uploaded first, under the name `cl upload` gives it; one
    // already there (unchanged since it was sent) is named by its bundle.
    QStringList uploads;
    QStringList words { QStringLiteral("cl"), QStringLiteral("run") };
    for (const Dependency &d : dependencies) {
        if (isLocalTarget(d.target) && d.parentUuid.isEmpty()) {
            const QString name = UploadSource::defaultNameFor({ d.target }, false);
            uploads << QStringLiteral("cl upload %1 -n %2 && ").arg(shellQuote(d.target), name);
            words << shellQuote(d.key + QLatin1Char(':') + name);
        } else if (isLocalTarget(d.target)) {
            words << shellQuote(d.key + QLatin1Char(':') + d.parentUuid);
        } else {
            words << shellQuote(d.key + QLatin1Char(':') + d.target);
        }
    }
    words << shellQuote(command);
    const auto option = [&words](const char *flag, const QString &value) {
        if (!value.isEmpty()) {
            words << QLatin1String(flag) << shellQuote(value);
        }
    };
    if (!name.isEmpty()) {
        option("--name", name);
    }
    option("--description", description);
    option("--request-docker-image", image);
    option("--request-queue", queue);
    if (cpus != 1) {
        option("--request-cpus", QString::number(cpus));
    }
    if (gpus != 0) {
        option("--request-gpus", QString::number(gpus));
    }
    if (memory != QLatin1String("2g")) {
        option("--request-memory", memory);
    }
    option("--request-disk", disk);
    option("--request-time", time);
    if (priority) {
        option("--request-priority", QString::number(*priority));
    }
    if (!tags.isEmpty()) {
        words << QStringLiteral("--tags");
        for (const QString &t : tags) {
            words << shellQuote(t);
        }
    }
    if (!excludePatterns.isEmpty()) {
        words << QStringLiteral("--exclude-patterns");
        for (const QString &p : excludePatterns) {
            words << shellQuote(p);
        }
    }
    if (allowFailedDependencies) {
        words << QStringLiteral("--allow-failed-dependencies");
    }
    option("-w", worksheet);
    if (!network) {
        // cl run's --request-network can only ask for a network; say so rather than show a command that
        // would quietly give the run one.
        words << QStringLiteral("# no network: request_network false has no cl run flag");
    }
    return uploads.join(QString()) + words.join(QLatin1Char(' '));
}

} // namespace codalab::server
