// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "server/runrequest.h"

#include <QJsonObject>
#include <QString>

namespace codalab::server {
class CodaLabClient;
}

namespace codalab::ui {
class MyRunsModel;
}

namespace codalab::test {

/// A run of the offline test image, with its name set so that it reads back unchanged.
server::RunRequest testRun(const QString &command, const QString &name);
/// Submits as `cl run` does; REQUIREs success; the new bundle's uuid.
QString submit(server::CodaLabClient &client, const server::RunRequest &request);
/// The bundle resource as the server has it now.
QJsonObject fetchBundle(server::CodaLabClient &client, const QString &uuid);
QString serverState(server::CodaLabClient &client, const QString &uuid);
/// Waits until the server has the bundle in `state`; false after timeoutMs.
bool waitServerState(server::CodaLabClient &client, const QString &uuid, const QString &state, int timeoutMs);
/// One refresh of the model, waited for; whether it succeeded.
bool refreshAndWait(ui::MyRunsModel &model);
/// The state column of the run's row, empty when the model has no such row.
QString modelState(const ui::MyRunsModel &model, const QString &uuid);

} // namespace codalab::test
