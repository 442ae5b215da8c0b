// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "server/apiresult.h"
#include "server/runrequest.h"

#include <QObject>

namespace codalab::server {

class CodaLabClient;

/// `cl run` as a job: validate, find the worksheet, resolve every dependency target, create the bundle.
/// finished() comes once, with the created bundle's JSON:API answer or the first error (an invalid
/// request fails before anything is sent); the object deletes itself afterwards.
class RunSubmission : public QObject
{
    Q_OBJECT
public:
    RunSubmission(CodaLabClient *client, RunRequest request, QObject *parent);
    void start();
    /// The uuid of the created bundle, once finished.
    const QString &bundleUuid() const { return m_uuid; }

Q_SIGNALS:
    void finished(const codalab::server::ApiResult &result);

private:
    void resolveNext(int index);
    void create();
    void fail(const ApiError &error);

    CodaLabClient *m_client;
    RunRequest m_request;
    QString m_worksheetUuid;
    QString m_uuid;
};

} // namespace codalab::server
