// SPDX-License-Identifier: GPL-3.0-or-later
#include "worker/statefile.h"

#include <QDateTime>
#include <QFile>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QSaveFile>

namespace codalab::worker {

StateFile::StateFile(QString path)
    : m_path(std::move(path))
{ }

QJsonObject StateFile::load(QString *warning)
{
    QFile file(m_path);
    if (!file.exists()) {
        return {};
    }
    if (!file.open(QIODevice::ReadOnly)) {
        *warning = QStringLiteral("cannot read the state file %1: %2").arg(m_path, file.errorString());
        return {};
    }
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &parseError);
    file.close();
    if (doc.isObject()) {
        return doc.object();
    }
    const QString aside
        = m_path + QStringLiteral(".corrupt-") + QString::number(QDateTime::currentSecsSinceEpoch());
    QFile::rename(m_path, aside);
    *warning = QStringLiteral("the state file %1 is corrupt (%2); it was moved to %3 and the worker starts "
                              "without the runs it listed")
                   .arg(m_path,
                       parseError.error != QJsonParseError::NoError ? parseError.errorString()
                                                                    : QStringLiteral("not a JSON object"),
                       aside);
    return {};
}

bool StateFile::save(const QJsonObject &state, QString *error)
{
    QSaveFile file(m_path);
    if (!file.open(QIODevice::WriteOnly)) {
        *error = file.errorString();
        return false;
    }
    const QByteArray data = QJsonDocument(state).toJson(QJsonDocument::Compact);
    if (file.write(data) != data.size()) {
        *error = file.errorString();
        file.cancelWriting();
        return false;
    }
    // QSaveFile::commit() flushes, fsyncs and renames over the old file.
    if (!file.commit()) {
        *error = file.errorString();
        return false;
    }
    return true;
}

} // namespace codalab::worker
