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
