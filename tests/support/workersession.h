// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "server/apijob.h"
#include "server/serverconnection.h"
#include "server/tokenmanager.h"
#include "server/workerapi.h"
#include "support/clientsession.h"

#include <QNetworkAccessManager>

namespace codalab::test {

/// The worker side of the protocol as a test drives it by hand: WorkerApi for worker `id`, logged in as
/// `codalab` with the worker's client id.
struct WorkerSession
{
    QNetworkAccessManager nam;
    server::ServerConnection connection { &nam };
    server::TokenManager tokens;
    server::WorkerApi api;

    WorkerSession(const QString &serverUrl, const QString &password, const QString &id);
};

} // namespace codalab::test
