// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "support/guitestsupport.h"

#include <QJsonObject>
#include <QString>

namespace codalab::server {
class CodaLabClient;
}

namespace codalab::ui {
class MyRunsModel;
}

namespace codalab::test {

/// One refresh of the model, waited for; whether it succeeded.
bool refreshAndWait(ui::MyRunsModel &model);
/// The state column of the run's row, empty when the model has no such row.
QString modelState(const ui::MyRunsModel &model, const QString &uuid);

} // namespace codalab::test
