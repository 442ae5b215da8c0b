// SPDX-License-Identifier: GPL-3.0-or-later
#include "worker/statefile.h"

#include <QDateTime>
#include <QFile>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QSaveFile>

namespace codalab::worker {

StateFile::StateFile(QString path, QString what)
    : m_path(std::move(path))
    , m_what(std::move(what))
{ }

std::optional<QJsonObject> StateFile::read(
    QString *error, QString *warning, const std::function<bool(const QJsonObject &)> &valid)
{
    QFile file(m_path);
    if (!file.exists()) {
        return QJsonObject();
    }
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read the %1 %2: %3").arg(m_what, m_path, file.errorString());
        return std::nullopt;
    }
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &parseError);
    file.close();
    if (doc.isObject() && (!valid || valid(doc.object()))) {
        return doc.object();
    }
    const QString aside
        = m_path + QStringLiteral(".corrupt-") + QString::number(QDateTime::currentSecsSinceEpoch());
    QFile::remove(aside);
    QFile::rename(m_path, aside);
    *warning
        = QStringLiteral("the %1 %2 is not valid (%3); it was moved to %4 and the worker starts without it")
              .arg(m_what, m_path,
                  parseError.error != QJsonParseError::NoError
                      ? parseError.errorString()
                      : QStringLiteral("not what this version writes"),
                  aside);
    return QJsonObject();
}

QJsonObject StateFile::load(QString *warning)
{
    QString error;
    const auto state = read(&error, warning);
    if (!state) {
        *warning = error;
    }
    return state.value_or(QJsonObject());
}

bool StateFile::save(const QJsonObject &state, QString *error)
{
    QSaveFile file(m_path);
    const QByteArray data = QJsonDocument(state).toJson(QJsonDocument::Compact);
    // QSaveFile::commit() flushes, fsyncs and renames over the old file; nothing is replaced on failure.
    if (!file.open(QIODevice::WriteOnly) || file.write(data) != data.size() || !file.commit()) {
        *error = file.errorString();
        return false;
    }
    return true;
}

} // namespace codalab::worker
