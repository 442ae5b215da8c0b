// SPDX-License-Identifier: GPL-3.0-or-later
// The server's answer to a worker check-in, as the worker reads it: the body decoded as ApiJob does, split
// into messages as CheckinLoop does (an array, or one object from older servers), and each message handed
// to what Worker::handleMessage hands it to:
// * run: RunRecord::fromRunMessage, then what the worker does with a record (state file round trip, run
//   report, container spec, limit messages); an accepted record never has a dependency that escapes;
// * read: RunFileReader::answer on a small run directory, with the message's path and read_args; a path
//   with ".." or a leading "/" is refused, a symlink out of the run directory is not followed;
// * write: RunFileReader::write; nothing outside the run directory changes.
#include "fuzzsupport.h"
#include "util/bundleuuid.h"
#include "worker/runcontainer.h"
#include "worker/runfilereader.h"
#include "worker/runrecord.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>

using codalab::fuzz::check;
using namespace codalab::worker;

namespace {

const QString Secret = QStringLiteral("outside the run directory");

/// base/run: stdout, sub/file.txt, escape -> ../outside, dep (a hidden dependency link);
/// base/outside/secret; base/tmp for data answers.
struct RunFiles
{
    QTemporaryDir base;
    QString run = base.filePath(QStringLiteral("run"));
    QString outside = base.filePath(QStringLiteral("outside"));
    QString tmp = base.filePath(QStringLiteral("tmp"));

    RunFiles()
    {
        QDir().mkpath(run + QStringLiteral("/sub"));
        QDir().mkpath(run + QStringLiteral("/dep"));
        QDir().mkpath(outside);
        QDir().mkpath(tmp);
        write(run + QStringLiteral("/stdout"), "hello\nworld\n");
        write(run + QStringLiteral("/sub/file.txt"), "line 1\nline 2\nline 3\n");
        write(outside + QStringLiteral("/secret"), Secret.toUtf8());
        QFile::link(QStringLiteral("../outside"), run + QStringLiteral("/escape"));
    }
    static void write(const QString &path, const QByteArray &content)
    {
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly) || f.write(content) != content.size()) {
            codalab::fuzz::fail("cannot set up the run directory", path);
        }
    }
    void checkOutsideUnchanged() const
    {
        const QStringList entries
            = QDir(outside).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden);
        check(entries == QStringList { QStringLiteral("secret") },
            "nothing is added outside the run directory", entries.join(QLatin1Char(' ')));
        QFile f(outside + QStringLiteral("/secret"));
        check(f.open(QIODevice::ReadOnly) && f.readAll() == Secret.toUtf8(),
            "a file outside the run directory is not changed");
        const QStringList top
            = QDir(base.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden);
        check(top == QStringList { QStringLiteral("outside"), QStringLiteral("run"), QStringLiteral("tmp") },
            "nothing is added next to the run directory", top.join(QLatin1Char(' ')));
    }
};

bool escapes(const QString &path)
{
    return path.startsWith(QLatin1Char('/')) || path.split(QLatin1Char('/')).contains(QStringLiteral(".."));
}

void handleRun(const QJsonObject &message)
{
    QString error;
    const std::optional<RunRecord> record = RunRecord::fromRunMessage(message, &error);
    if (!record) {
        check(!error.isEmpty(), "a refused run message says why");
        return;
    }
    check(codalab::util::BundleUuid::isValid(record->uuid), "an accepted run has a valid uuid", record->uuid);
    check(!record->resources.dockerImage.isEmpty() && record->resources.cpus >= 0
            && record->resources.gpus >= 0,
        "an accepted run has an image and no negative resources");
    for (const RunDependency &d : record->dependencies) {
        check(!d.childPath.isEmpty() && !escapes(d.childPath)
                && !d.parentPath.split(QLatin1Char('/')).contains(QStringLiteral("..")),
            "an accepted dependency stays inside the run",
            d.childPath + QLatin1String(" <- ") + d.parentPath);
    }
    // The state file keeps a record as it is.
    const QJsonObject json = record->toJson();
    const std::optional<RunRecord> back = RunRecord::fromJson(json, &error);
    check(back.has_value(), "a record read from a run message survives the state file", error);
    check(back->toJson() == json, "the state file's JSON round-trips",
        QString::fromUtf8(QJsonDocument(json).toJson(QJsonDocument::Compact)));

    const QJsonObject report = record->report(QStringLiteral("fuzz-worker"), 1000.0);
    for (const char *key : { "uuid", "run_status", "state", "bundle_profile_stats", "docker_image" }) {
        check(report.contains(QLatin1String(key)), "a run report has the keys the server requires",
            QLatin1String(key));
    }

    RunRecord running = *record;
    running.allocation = Allocation { { 0 }, {} };
    running.containerStartMs = 1000;
    running.maxMemoryBytes = qint64(1) << 40;
    running.diskUtilization = qint64(1) << 40;
    RunContainer::Inputs inputs { QStringLiteral("/work/runs/x"), {}, QStringLiteral("1000:1000") };
    for (const RunDependency &d : record->dependencies) {
        inputs.mounts.append({ QStringLiteral("/cache/") + d.parentUuid, d.childPath });
    }
    WorkerConfig config;
    config.id = QStringLiteral("fuzz-worker");
    const codalab::docker::ContainerSpec spec = RunContainer::spec(running, config, inputs);
    check(spec.name == RunContainer::containerName(record->uuid), "the container is named after the run");
    const QString mountRoot = QLatin1Char('/') + record->uuid + QStringLiteral("_dependencies/");
    for (qsizetype i = 1; i < spec.mounts.size(); ++i) {
        check(spec.mounts[i].readOnly && spec.mounts[i].containerPath.startsWith(mountRoot),
            "dependencies are mounted read-only under /<uuid>_dependencies/", spec.mounts[i].containerPath);
    }
    RunContainer::limitExceeded(running, 1000 + (qint64(1) << 40));
}

void handleRead(const QJsonObject &message, RunFiles &files)
{
    const QString uuid = message.value(QLatin1String("uuid")).toString();
    const QString path = message.value(QLatin1String("path")).toString();
    const QJsonObject args = message.value(QLatin1String("read_args")).toObject();
    const ReadAnswer answer
        = RunFileReader::answer(files.run, uuid, path, args, { QStringLiteral("dep") }, files.tmp);
    if (answer.isData) {
        check(!answer.dataFile.isEmpty() && QFileInfo(answer.dataFile).absolutePath() == files.tmp,
            "a data answer's body waits in the temporary directory", answer.dataFile);
        QFile::remove(answer.dataFile);
    }
    const QStringList parts = path.split(QLatin1Char('/'), Qt::SkipEmptyParts);
    const bool hidden = !parts.isEmpty() && parts.first() == QLatin1String("dep");
    const bool throughLink = parts.size() > 1 && parts.first() == QLatin1String("escape");
    if (escapes(path) || hidden || throughLink) {
        check(!answer.isData && answer.errorCode() != 0,
            "a path out of the run directory, through a symlink or to a hidden entry is refused", path);
    }
    const QByteArray json = QJsonDocument(answer.json).toJson(QJsonDocument::Compact);
    check(!json.contains(Secret.toUtf8()), "nothing from outside the run directory is answered");
    check(QDir(files.tmp).isEmpty(), "no temporary file is left behind");
}

void handleWrite(const QJsonObject &message, RunFiles &files)
{
    const QString subpath = message.value(QLatin1String("subpath")).toString();
    const QByteArray text = message.value(QLatin1String("string")).toString().toUtf8();
    QString error;
    const bool ok = RunFileReader::write(files.run, subpath, text, { QStringLiteral("dep") }, &error);
    check(ok || !error.isEmpty(), "a refused write says why", subpath);
    if (escapes(subpath)) {
        check(!ok, "a write out of the run directory is refused", subpath);
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    codalab::fuzz::ensureApp();
    const QByteArray body = codalab::fuzz::bytes(data, size);
    QJsonParseError parseError {};
    const QJsonDocument json = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        return 0; // ApiJob reports it as MalformedJson; nothing reaches the worker
    }
    QJsonArray messages;
    for (const QJsonValue &m : json.isArray() ? json.array() : QJsonArray { json.object() }) {
        if (m.isObject()) {
            messages.append(m);
        }
    }
    std::optional<RunFiles> files;
    for (const QJsonValue &m : std::as_const(messages)) {
        const QJsonObject message = m.toObject();
        const QString type = message.value(QLatin1String("type")).toString();
        if (type == QLatin1String("run")) {
            handleRun(message);
        } else if (type == QLatin1String("read") || type == QLatin1String("write")) {
            if (!files) {
                files.emplace();
            }
            if (type == QLatin1String("read")) {
                handleRead(message, *files);
            } else {
                handleWrite(message, *files);
            }
        } else if (type == QLatin1String("kill")) {
            Q_UNUSED(message.value(QLatin1String("kill_message")).toString());
        }
    }
    if (files) {
        files->checkOutsideUnchanged();
    }
    return 0;
}
