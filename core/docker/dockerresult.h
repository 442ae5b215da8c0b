// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "docker/dockererror.h"

#include <QByteArray>
#include <QJsonDocument>
#include <QMetaType>

namespace codalab::docker {

/// What one Engine API call produced: an error, or a status with its body (and the body as JSON when it is
/// JSON).
struct DockerResult
{
    DockerError error;
    int httpStatus = 0;
    QByteArray body; ///< the whole body (non-streaming requests, and any error body)
    QByteArray contentType;
    QJsonDocument json; ///< filled by DockerReply when the body is JSON

    bool ok() const { return !error.isError(); }
};

} // namespace codalab::docker

Q_DECLARE_METATYPE(codalab::docker::DockerResult)
