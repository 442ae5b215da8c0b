// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

/// `codalab-worker submit [--request-docker-image IMG] [--request-queue TAG] CMD`: creates a run as
/// `cl run CMD` does and follows its stdout and stderr until it is final (`cl run -t`), for headless
/// machines and the README's run command. Exit codes: 0 ready, 1 failed or killed, 2 usage, 4 no server.
class SubmitCommand
{
public:
    SubmitCommand() = delete;
    static int run(const QString &serverUrl, const QString &passwordFile, const QString &command,
        const QString &image, const QString &queue);
};
