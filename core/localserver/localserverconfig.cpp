// SPDX-License-Identifier: GPL-3.0-or-later
#include "localserver/localserverconfig.h"

#include <QDir>
#include <QStandardPaths>

namespace codalab::localserver {

QString LocalServerConfig::defaultDataDir()
{
    // GenericDataLocation keeps the path independent of the executable's name.
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation)
        + QStringLiteral("/CodaLab/local-server");
}

} // namespace codalab::localserver
