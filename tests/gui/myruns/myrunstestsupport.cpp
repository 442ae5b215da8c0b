// SPDX-License-Identifier: GPL-3.0-or-later
#include "myruns/myrunstestsupport.h"

#include "myruns/myrunsmodel.h"
#include "server/codalabclient.h"
#include "server/runsubmission.h"
#include "support/guitestsupport.h"
#include "support/spinuntil.h"

#include <QJsonArray>
#include <QSignalSpy>

#include <catch2/catch.hpp>

namespace codalab::test {

server::RunRequest testRun(const QString &command, const QString &name)
{
    server::RunRequest r;
    r.command = command;
    r.name = name;
    r.image = QStringLiteral("codalab-test/busybox:latest");
    r.memory = QStringLiteral("64m");
    return r;
}

QString submit(server::CodaLabClient &client, const server::RunRequest &request)
{
    server::RunSubmission *submission = client.submitRun(request);
    QSignalSpy done(submission, &server::RunSubmission::finished);
    REQUIRE(done.wait(30000));
    const auto result = done.first().first().value<server::ApiResult>();
    INFO(result.error.message.toStdString());
    REQUIRE(result.ok());
    return result.json.object()[QLatin1String("data")]
        .toArray()
        .first()
        .toObject()[QLatin1String("id")]
        .toString();
}

QJsonObject fetchBundle(server::CodaLabClient &client, const QString &uuid)
{
    const server::ApiResult r = waitApi(client.bundle(uuid));
    REQUIRE(r.ok());
    return r.json.object()[QLatin1String("data")].toObject();
}

QString serverState(server::CodaLabClient &client, const QString &uuid)
{
    return fetchBundle(client, uuid)[QLatin1String("attributes")]
        .toObject()[QLatin1String("state")]
        .toString();
}

bool waitServerState(server::CodaLabClient &client, const QString &uuid, const QString &state, int timeoutMs)
{
    return spinUntil([&] { return serverState(client, uuid) == state; }, timeoutMs, 100);
}

bool refreshAndWait(ui::MyRunsModel &model)
{
    // A search already in flight predates the caller's changes: wait for the one queued behind it too.
    QSignalSpy refreshed(&model, &ui::MyRunsModel::refreshed);
    model.refresh();
    REQUIRE(spinUntil([&] { return !refreshed.isEmpty() && !model.isRefreshing(); }, 30000));
    return refreshed.last().first().toBool();
}

QString modelState(const ui::MyRunsModel &model, const QString &uuid)
{
    const int row = model.rowOf(uuid);
    return row < 0 ? QString() : model.index(row, ui::MyRunsModel::StateColumn).data().toString();
}

} // namespace codalab::test
