// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "localserver/httprequest.h"
#include "localserver/httpresponder.h"

namespace codalab::localserver {

class BundleStore;
class LocalHttpServer;
class WorksheetStore;

/// DELETE /rest/bundles (`cl rm`): refused, with upstream's words, while other bundles depend on one (all
/// of them go with `-r`; `--force` leaves them dangling), while one is being made or run, when one is
/// frozen or on a frozen worksheet, and (without `--force`) when one is on several worksheets. `-d` removes
/// only the contents, `--dry-run` nothing. Answers `{"meta": {"ids": [...]}}`.
class BundleRemoval
{
public:
    BundleRemoval(BundleStore &bundles, WorksheetStore &worksheets, QString bundlesDir);
    void install(LocalHttpServer &http);

    std::function<void()> onChanged;

private:
    void remove(HttpRequest &request, const HttpResponder &responder);
    QString describe(const QString &uuid) const;

    BundleStore &m_bundles;
    WorksheetStore &m_worksheets;
    QString m_bundlesDir;
};

} // namespace codalab::localserver
