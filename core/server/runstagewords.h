// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QStringView>

namespace codalab::server {

/// The words a user reads for a run's stage inside a worker. The protocol names stages "RUN_STAGE.PREPARING"
/// and so on (upstream codalab/worker/worker_run_state.py `RunStage`; codalab-protocol.md §4.1): that
/// spelling stays on the wire, in the state file and in the control socket's `stage`; logs and the desktop
/// show these words instead.
class RunStageWords
{
public:
    RunStageWords() = delete;

    /// "RUN_STAGE.CLEANING_UP" → "cleaning up"; a name without the prefix is taken as it is, and an unknown
    /// stage reads as its name in lower case with spaces, so a newer worker's stage still reads sensibly.
    static QString of(QStringView protocolName);
};

} // namespace codalab::server
