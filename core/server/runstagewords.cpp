// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/runstagewords.h"

namespace codalab::server {

QString RunStageWords::of(QStringView protocolName)
{
    QStringView name = protocolName.trimmed();
    if (name.startsWith(QLatin1String("RUN_STAGE."))) {
        name = name.mid(10);
    }
    // Every stage upstream has reads as its name in lower case with spaces ("uploading results"), except
    // the one whose name is jargon.
    if (name == QLatin1String("RESTAGED")) {
        return QStringLiteral("given back to the server");
    }
    return name.toString().toLower().replace(QLatin1Char('_'), QLatin1Char(' '));
}

} // namespace codalab::server
