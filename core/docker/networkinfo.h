// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonObject>
#include <QMap>
#include <QString>
#include <QStringList>

namespace codalab::docker {

/// A network from an inspect answer.
struct NetworkInfo
{
    QString id;
    QString name;
    QString driver;
    bool internal = false;
    QStringList containerIds; ///< containers attached now
    QMap<QString, QString> labels;

    static NetworkInfo fromInspect(const QJsonObject &json);
};

} // namespace codalab::docker
