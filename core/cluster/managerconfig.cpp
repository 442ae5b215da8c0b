// SPDX-License-Identifier: GPL-3.0-or-later
#include "cluster/managerconfig.h"

#include <QRegularExpression>

namespace codalab::cluster {

QString ManagerConfig::jobNameStem() const
{
    return jobNamePrefix + QLatin1Char('-') + tag + QLatin1Char('-');
}

bool ManagerConfig::validate(QString *error) const
{
    // The tag goes into job names and a worker's flags: keep it to what `cl run --request-queue` users type.
    static const QRegularExpression word(QStringLiteral("^[A-Za-z0-9_.-]+$"));
    if (serverUrl.isEmpty()) {
        *error = QStringLiteral("--server URL is required");
    } else if (tag.isEmpty() || !word.match(tag).hasMatch()) {
        *error
            = QStringLiteral("--tag TAG is required (letters, digits, '_', '.', '-'): the manager serves the "
                             "runs of one queue tag");
    } else if (!word.match(jobNamePrefix).hasMatch()) {
        *error = QStringLiteral("--job-name-prefix may hold letters, digits, '_', '.', '-'");
    } else if (maxWorkers < 1) {
        *error = QStringLiteral("--max-workers must be at least 1");
    } else if (minWorkers < 0 || minWorkers > maxWorkers) {
        *error = QStringLiteral("--min-workers must be between 0 and --max-workers (%1)").arg(maxWorkers);
    } else if (runsPerJob < 1) {
        *error = QStringLiteral("--runs-per-job must be at least 1");
    } else if (pollSeconds < 1 || idleSeconds < 1 || maxFailures < 1) {
        *error = QStringLiteral("--poll-seconds, --idle-seconds and --max-failures must be at least 1");
    } else if (!sshHost.isEmpty() && passwordFile.isEmpty()) {
        // sbatch passes its environment to the job, but ssh does not pass ours to sbatch.
        *error = QStringLiteral("--ssh needs --password-file: a file on the cluster (mode 0600) the jobs' "
                                "workers read, since ssh does not carry CODALAB_USERNAME/CODALAB_PASSWORD");
    } else if (logDir.isEmpty()) {
        *error = QStringLiteral("--log-dir DIR is required");
    } else {
        return true;
    }
    return false;
}

} // namespace codalab::cluster
