// SPDX-License-Identifier: GPL-3.0-or-later
// Benchmark: create + start + wait + remove of one short container through DockerClient, against
// `docker run --rm --network none` on the same image. Prints medians and their ratio; never fails on time.
//
//   bench_docker_lifecycle [--runs N] [--image IMAGE]
#include "docker/containerspec.h"
#include "docker/dockerclient.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonObject>
#include <QProcess>
#include <QTextStream>

#include <algorithm>

using namespace codalab::docker;

namespace {

// Bench code only: product code never nests event loops.
DockerResult wait(DockerReply *reply)
{
    DockerResult result;
    QEventLoop loop;
    QObject::connect(reply, &DockerReply::finished, &loop, [&](const DockerResult &r) {
        result = r;
        loop.quit();
    });
    loop.exec();
    return result;
}

bool runWithClient(DockerClient &client, const QString &image, QString *error)
{
    ContainerSpec spec;
    spec.image = image;
    spec.cmd = { QStringLiteral("/bin/true") };
    spec.networkMode = QStringLiteral("none");
    spec.labels.insert(QStringLiteral("codalab-test"), QStringLiteral("1"));
    DockerResult r = wait(client.createContainer(spec));
    const QString id = r.json.object().value(QLatin1String("Id")).toString();
    if (!r.error) {
        r = wait(client.startContainer(id));
    }
    if (!r.error) {
        r = wait(client.waitContainer(id));
    }
    if (!r.error) {
        r = wait(client.removeContainer(id, false));
    }
    if (r.error) {
        *error = r.error.message;
    }
    return !r.error;
}

bool runWithCli(const QString &image, QString *error)
{
    QProcess p;
    p.start(QStringLiteral("docker"),
        { QStringLiteral("run"), QStringLiteral("--rm"), QStringLiteral("--network"), QStringLiteral("none"),
            QStringLiteral("--label"), QStringLiteral("codalab-test=1"), image,
            QStringLiteral("/bin/true") });
    if (!p.waitForFinished(60000) || p.exitCode() != 0) {
        *error = QString::fromUtf8(p.readAllStandardError());
        return false;
    }
    return true;
}

double median(QList<double> values)
{
    std::sort(values.begin(), values.end());
    return values.isEmpty() ? 0.0 : values[values.size() / 2];
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    const QCommandLineOption runsOption(
        QStringLiteral("runs"), QStringLiteral("Repetitions"), QStringLiteral("N"), QStringLiteral("10"));
    const QCommandLineOption imageOption(QStringLiteral("image"), QStringLiteral("Image"),
        QStringLiteral("IMAGE"), QStringLiteral("codalab-test/busybox:latest"));
    parser.addOptions({ runsOption, imageOption });
    parser.process(app);
    const int runs = qMax(1, parser.value(runsOption).toInt());
    const QString image = parser.value(imageOption);

    QTextStream out(stdout);
    DockerClient client;
    QList<double> ours;
    QList<double> cli;
    QString error;
    // One warm-up each, then alternate so both see the same daemon state.
    if (!runWithClient(client, image, &error) || !runWithCli(image, &error)) {
        out << "bench_docker_lifecycle: cannot run containers: " << error << '\n';
        return 1;
    }
    for (int i = 0; i < runs; ++i) {
        QElapsedTimer t;
        t.start();
        if (!runWithClient(client, image, &error)) {
            out << "client run failed: " << error << '\n';
            return 1;
        }
        ours.append(double(t.nsecsElapsed()) / 1e6);
        t.restart();
        if (!runWithCli(image, &error)) {
            out << "CLI run failed: " << error << '\n';
            return 1;
        }
        cli.append(double(t.nsecsElapsed()) / 1e6);
    }
    const double a = median(ours);
    const double b = median(cli);
    const auto fastest = [](const QList<double> &v) { return *std::min_element(v.begin(), v.end()); };
    out << "create+start+wait+remove of /bin/true in " << image << ", " << runs << " runs each\n";
    out << QStringLiteral("  DockerClient      median %1 ms (fastest %2 ms)\n")
               .arg(a, 0, 'f', 1)
               .arg(fastest(ours), 0, 'f', 1);
    out << QStringLiteral("  docker run --rm   median %1 ms (fastest %2 ms)\n")
               .arg(b, 0, 'f', 1)
               .arg(fastest(cli), 0, 'f', 1);
    out << QStringLiteral("  ratio client/CLI  %1 (below 1.00: our client is faster)\n")
               .arg(a / b, 0, 'f', 2);
    return 0;
}
