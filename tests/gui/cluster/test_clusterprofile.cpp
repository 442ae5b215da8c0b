// SPDX-License-Identifier: GPL-3.0-or-later
// ClusterProfile: what makes a profile unusable (said before anything starts), the manager's command line,
// and profiles kept in the settings.
#include "cluster/clusterprofile.h"

#include <QSettings>
#include <QTemporaryDir>

#include <catch2/catch.hpp>

using codalab::ui::ClusterProfile;

namespace {

ClusterProfile lab()
{
    ClusterProfile p;
    p.name = QStringLiteral("lab");
    p.tag = QStringLiteral("slurm-lab");
    p.partition = QStringLiteral("gpu");
    p.account = QStringLiteral("nlp");
    p.gpuType = QStringLiteral("a100");
    p.maxWorkers = 8;
    p.minWorkers = 1;
    p.idleSeconds = 120;
    p.workerArgs = QStringLiteral("  --shared-memory-size-gb   4 ");
    p.sbatchArgs = { QStringLiteral("--qos=normal"), QStringLiteral("-C") };
    return p;
}

QString after(const QStringList &args, const char *flag)
{
    const qsizetype i = args.indexOf(QLatin1String(flag));
    return i >= 0 && i + 1 < args.size() ? args.at(i + 1) : QStringLiteral("<missing>");
}

} // namespace

TEST_CASE("a profile becomes the manager's command line", "[gui][cluster][profile]")
{
    const QStringList a = lab().managerArguments(QStringLiteral("http://127.0.0.1:2900"));
    CHECK(a.first() == QLatin1String("slurm"));
    CHECK(after(a, "--server") == QLatin1String("http://127.0.0.1:2900"));
    CHECK(after(a, "--tag") == QLatin1String("slurm-lab"));
    CHECK(after(a, "--max-workers") == QLatin1String("8"));
    CHECK(after(a, "--min-workers") == QLatin1String("1"));
    CHECK(after(a, "--idle-seconds") == QLatin1String("120"));
    CHECK(after(a, "--partition") == QLatin1String("gpu"));
    CHECK(after(a, "--account") == QLatin1String("nlp"));
    CHECK(after(a, "--gpu-type") == QLatin1String("a100"));
    CHECK(after(a, "--worker-args") == QLatin1String("--shared-memory-size-gb 4"));
    CHECK(after(a, "--control-socket") == lab().socketPath());
    // An sbatch argument that starts with '-' stays the option's value.
    CHECK(a.contains(QLatin1String("--sbatch-arg=-C")));
    CHECK(a.contains(QLatin1String("--sbatch-arg=--qos=normal")));
    CHECK_FALSE(a.contains(QLatin1String("--ssh"))); // this machine's Slurm
    CHECK_FALSE(a.contains(QLatin1String("--password-file"))); // the environment, through sbatch
    CHECK(lab().socketPath().endsWith(QLatin1String("manager-slurm-lab.sock")));
    CHECK(lab().managerLogPath().endsWith(QLatin1String("/CodaLab/manager-slurm-lab.log")));
    ClusterProfile remote = lab();
    remote.sshHost = QStringLiteral("login.example.org");
    remote.logDir = QStringLiteral("/shared/codalab/logs");
    remote.passwordFile = QStringLiteral("/shared/codalab/pass");
    const QStringList r = remote.managerArguments(QStringLiteral("https://cl.example.org"));
    CHECK(after(r, "--ssh") == QLatin1String("login.example.org"));
    CHECK(after(r, "--log-dir") == QLatin1String("/shared/codalab/logs"));
    CHECK(after(r, "--password-file") == QLatin1String("/shared/codalab/pass"));
}

TEST_CASE("a profile the manager could not run says why, field by field", "[gui][cluster][profile]")
{
    CHECK(lab().validate().isEmpty());
    ClusterProfile p = lab();
    p.tag = QStringLiteral("two words");
    CHECK(p.validate().join(QLatin1Char(' ')).contains(QLatin1String("Queue tag")));
    p = lab();
    p.minWorkers = 9;
    CHECK(p.validate().join(QLatin1Char(' ')).contains(QLatin1String("Spare jobs")));
    p = lab();
    p.maxWorkers = 0;
    CHECK(p.validate().join(QLatin1Char(' ')).contains(QLatin1String("Jobs at most")));
    // Over ssh the environment does not reach the jobs: the cluster-side paths are needed.
    p = lab();
    p.sshHost = QStringLiteral("login");
    CHECK(p.validate().join(QLatin1Char(' ')).contains(QLatin1String("password file")));
    p.logDir = QStringLiteral("logs");
    p.passwordFile = QStringLiteral("/home/me/.codalab-pass");
    CHECK(p.validate().join(QLatin1Char(' ')).contains(QLatin1String("Log directory: an absolute path")));
    p.sshHost = QStringLiteral("login node");
    p.logDir = QStringLiteral("/home/me/logs");
    CHECK(p.validate().join(QLatin1Char(' ')).contains(QLatin1String("Login node")));
    // Two profiles with one name or one tag would fight over one control socket.
    ClusterProfile other = lab();
    other.name = QStringLiteral("other");
    const QStringList clash = lab().validate({ other });
    CHECK(clash.join(QLatin1Char(' ')).contains(QLatin1String("cluster other serves slurm-lab")));
    other.tag = QStringLiteral("else");
    CHECK(lab().validate({ other }).isEmpty());
    other.name = lab().name;
    CHECK(lab()
              .validate({ other })
              .join(QLatin1Char(' '))
              .contains(QLatin1String("another cluster is called lab")));
}

TEST_CASE("profiles are kept in the settings, in order", "[gui][cluster][profile]")
{
    QTemporaryDir dir;
    QSettings settings(dir.filePath(QStringLiteral("desktop.conf")), QSettings::IniFormat);
    ClusterProfile second = lab();
    second.name = QStringLiteral("hpc");
    second.tag = QStringLiteral("hpc");
    second.sshHost = QStringLiteral("hpc-login");
    second.logDir = QStringLiteral("/scratch/logs");
    second.passwordFile = QStringLiteral("/home/me/.pw");
    ClusterProfile::save(&settings, { lab(), second });
    QSettings reread(dir.filePath(QStringLiteral("desktop.conf")), QSettings::IniFormat);
    const QList<ClusterProfile> back = ClusterProfile::load(&reread);
    REQUIRE(back.size() == 2);
    CHECK(back[0] == lab());
    CHECK(back[1] == second);
    ClusterProfile::save(&settings, { second });
    CHECK(ClusterProfile::load(&settings).size() == 1);
}
