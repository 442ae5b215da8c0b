// SPDX-License-Identifier: GPL-3.0-or-later
#include "worker/runhistorystore.h"

#include "util/bundleuuid.h"
#include "worker/statefile.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>

namespace codalab::worker {

RunHistoryStore::RunHistoryStore(QString dir, int keep)
    : m_dir(std::move(dir))
    , m_keep(qMax(1, keep))
{ }

QJsonObject RunHistoryStore::document(const RunRecord &run, bool finished)
{
    return { { QStringLiteral("uuid"), run.uuid }, { QStringLiteral("finished"), finished },
        { QStringLiteral("memoryLimit"), double(run.resources.memoryBytes) },
        { QStringLiteral("gpuMemoryTotal"), double(run.gpuMemoryTotalBytes) },
        { QStringLiteral("samplesPerPoint"), run.history.samplesPerPoint() },
        { QStringLiteral("samples"), run.history.samplesJson() } };
}

QString RunHistoryStore::pathOf(const QString &uuid) const
{
    return m_dir + QLatin1Char('/') + uuid + QStringLiteral(".json");
}

bool RunHistoryStore::save(const QJsonObject &document, QString *error)
{
    const QString uuid = document.value(QLatin1String("uuid")).toString();
    if (!util::BundleUuid::isValid(uuid)) {
        *error = QStringLiteral("a run history without a bundle uuid");
        return false;
    }
    if (!QDir().mkpath(m_dir)) {
        *error = QStringLiteral("cannot create %1").arg(m_dir);
        return false;
    }
    QString why;
    if (!StateFile(pathOf(uuid), QStringLiteral("run history")).save(document, &why)) {
        *error = QStringLiteral("cannot write %1: %2").arg(pathOf(uuid), why);
        return false;
    }
    prune();
    return true;
}

void RunHistoryStore::prune()
{
    // Newest first; the one just written is among them.
    const QFileInfoList files = QDir(m_dir).entryInfoList(
        { QStringLiteral("0x*.json") }, QDir::Files | QDir::NoDotAndDotDot, QDir::Time);
    for (qsizetype i = m_keep; i < files.size(); ++i) {
        QFile::remove(files.at(i).filePath());
    }
}

std::optional<QJsonObject> RunHistoryStore::load(const QString &uuid, QString *error) const
{
    if (!util::BundleUuid::isValid(uuid)) {
        return std::nullopt;
    }
    QFile file(pathOf(uuid));
    if (!file.exists()) {
        return std::nullopt;
    }
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read %1: %2").arg(file.fileName(), file.errorString());
        return std::nullopt;
    }
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (!doc.isObject() || doc.object().value(QLatin1String("uuid")).toString() != uuid) {
        *error = QStringLiteral("%1 is not a run history: %2")
                     .arg(file.fileName(),
                         parseError.error != QJsonParseError::NoError ? parseError.errorString()
                                                                      : QStringLiteral("not this run's"));
        return std::nullopt;
    }
    return doc.object();
}

} // namespace codalab::worker
