// SPDX-License-Identifier: GPL-3.0-or-later
// codalab-local-server under faults (issue #8): killed mid-transaction, then oversized and malformed HTTP.
// Each test prints its figures.
#include "localserver/bundlestore.h"
#include "localserver/httprequestparser.h"
#include "rawhttp.h"
#include "storecheck.h"
#include "support/sanitizers.h"

#include <QElapsedTimer>
#include <QTemporaryDir>

#include <cstdio>

using namespace codalab::test;

namespace {

/// Spins the event loop for `ms` (the load runs meanwhile).
void runFor(int ms)
{
    spinUntil([] { return false; }, ms);
}

QByteArray bearer(const HttpTestClient &c)
{
    return "Authorization: Bearer " + c.token().toLatin1() + "\r\n";
}

QStringList tmpEntries(const QString &dir)
{
    return QDir(dir).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden);
}

double mib(qint64 kib)
{
    return double(kib) / 1024.0;
}

} // namespace

TEST_CASE("killed with SIGKILL under load, the server restarts consistent and keeps every acknowledged write",
    "[localserver][faults][kill]")
{
    QTemporaryDir dir;
    ServerProcess server(dir.path());
    Acknowledged acks;
    LoadWorkerRuns held[2];
    constexpr int Kills = 3;
    for (int kill = 1; kill <= Kills + 1; ++kill) {
        server.start();
        if (kill > 1) {
            const StoreFigures f = checkRestartedStore(server, acks);
            std::printf("  after restart %d: %d bundles listed, %d readable, %d ready with their files; "
                        "%d of %lld acknowledged writes lost; integrity_check %s\n",
                kill - 1, f.listed, f.readable, f.ready, f.lostAcknowledged,
                qint64(
                    acks.created.size() + acks.uploaded.size() + acks.results.size() + acks.finalized.size()),
                qPrintable(f.integrity));
        }
        if (kill > Kills) {
            break;
        }
        HttpTestClient cli(server.url());
        cli.login(QStringLiteral("codalab"), server.password());
        const HttpResult workerToken = cli.passwordGrant(
            QStringLiteral("codalab_worker_client"), QStringLiteral("codalab"), server.password());
        REQUIRE(workerToken.status == 200);
        const QString token = workerToken.json.object()[QLatin1String("access_token")].toString();
        const QString worksheet = homeWorksheet(cli);
        // Six users (two with 2 MiB uploads, so that some are cut off mid-way) and two workers.
        std::vector<std::unique_ptr<LoadClient>> clients;
        for (int i = 0; i < 6; ++i) {
            clients.push_back(std::make_unique<LoadClient>(
                server.url(), cli.token(), worksheet, i, acks, i < 2 ? 2 * 1024 * 1024 : 16 * 1024));
        }
        std::vector<std::unique_ptr<LoadWorker>> workers;
        for (int i = 0; i < 2; ++i) {
            workers.push_back(std::make_unique<LoadWorker>(
                server.url(), token, QStringLiteral("load-w%1").arg(i), held[i], acks));
        }
        // An upload that is half-way in when the kill comes: its body file must be gone after the restart.
        const QString slowTarget = createDataset(cli, QStringLiteral("slow%1").arg(kill));
        RawHttp slow(server.url());
        slow.send("PUT /rest/bundles/" + slowTarget.toLatin1()
            + "/contents/blob/?filename=big.bin HTTP/1.1\r\n"
              "Host: 127.0.0.1\r\n"
            + bearer(cli) + "Content-Length: 67108864\r\n\r\n");
        CHECK(slow.stream(8 * 1024 * 1024) == 8 * 1024 * 1024);

        for (auto &c : clients) {
            c->start();
        }
        for (auto &w : workers) {
            w->start();
        }
        runFor(2000);
        int sent = 0;
        for (auto &c : clients) {
            sent += c->requests();
        }
        for (auto &w : workers) {
            sent += w->requests();
        }
        const qsizetype created = acks.created.size();
        server.kill();
        std::printf(
            "kill -9 #%d after 2 s of load (%d requests from 6 clients and 2 workers): %lld creations, "
            "%lld uploads, %lld results, %lld finalizations acknowledged so far; left behind: %s\n",
            kill, sent, qint64(created), qint64(acks.uploaded.size()), qint64(acks.results.size()),
            qint64(acks.finalized.size()), qPrintable(leftovers(server)));
        CHECK(!tmpEntries(server.tmpDir()).isEmpty()); // the slow upload's body file, at least
        runFor(100); // the clients see their connections fail
    }
    std::printf("  recovery, as the server logged it:\n");
    for (const QByteArray &line : server.log().split('\n')) {
        if (line.contains("Recovery:")) {
            std::printf("    %s\n", line.constData());
        }
    }
    CHECK(server.log().contains("Recovery: removed")); // the slow uploads' body files, at least

    // Work on: every run, whatever the kills cut, ends finalized (mark_finalized lost in a kill is sent
    // again).
    HttpTestClient cli(server.url());
    cli.login(QStringLiteral("codalab"), server.password());
    const QString token = cli.passwordGrant(QStringLiteral("codalab_worker_client"),
                                 QStringLiteral("codalab"), server.password())
                              .json.object()[QLatin1String("access_token")]
                              .toString();
    std::vector<std::unique_ptr<LoadWorker>> workers;
    for (int i = 0; i < 2; ++i) {
        workers.push_back(std::make_unique<LoadWorker>(
            server.url(), token, QStringLiteral("load-w%1").arg(i), held[i], acks));
        workers.back()->start();
    }
    QElapsedTimer drain;
    drain.start();
    // Runs not final yet (datasets whose upload never came stay created, as they should).
    QStringList unfinished;
    qsizetype runs = 0;
    spinUntil(
        [&] {
            unfinished.clear();
            runs = 0;
            const QHash<QString, QJsonObject> bundles = listedBundles(cli);
            for (auto it = bundles.begin(); it != bundles.end(); ++it) {
                const QString state = it.value()[QLatin1String("state")].toString();
                if (it.value()[QLatin1String("bundle_type")].toString() == QLatin1String("run")) {
                    ++runs;
                    if (state != QLatin1String("ready")) {
                        unfinished << it.key() + QLatin1Char(' ') + state;
                    }
                }
            }
            return unfinished.isEmpty();
        },
        60000, 200);
    std::printf("  after the last restart the workers finished all %lld runs in %.1f s; %lld unfinished\n",
        qint64(runs), drain.elapsed() / 1000.0, qint64(unfinished.size()));
    INFO(unfinished.join(QStringLiteral(", ")).toStdString());
    CHECK(unfinished.isEmpty());
    CHECK(checkRestartedStore(server, acks).lostAcknowledged == 0);
}

TEST_CASE(
    "a start puts back what a kill left half-done on disk, and says so", "[localserver][faults][recovery]")
{
    LocalServerFixture f;
    auto c = f.root();
    const QString ready = createDataset(*c, QStringLiteral("ready"), QStringLiteral("a.txt"), "kept\n");
    const QString swapped
        = createDataset(*c, QStringLiteral("swapped"), QStringLiteral("b.txt"), "old contents\n");
    const QString lost = createDataset(*c, QStringLiteral("lost"), QStringLiteral("c.txt"), "gone\n");
    const QString noDir = createRun(*c, QStringLiteral("nodir")); // a run has its directory from the start
    f.server.reset();

    // What kills at the worst moments leave: a body file, an upload being unpacked, a swap cut between its
    // two renames, a delete cut between the row and the files, a create cut between the row and the files.
    const QDir bundles(f.dataDir.filePath(QStringLiteral("bundles")));
    const QString tmp = f.dataDir.filePath(QStringLiteral("tmp"));
    QDir().mkpath(tmp);
    QFile(QDir(tmp).filePath(QStringLiteral("upload-abc123"))).open(QIODevice::WriteOnly);
    bundles.mkpath(ready + QStringLiteral(".incoming/half"));
    bundles.mkpath(QLatin1Char('.') + ready + QStringLiteral(".incoming.partial-x1y2z3/half"));
    QFile(bundles.filePath(ready + QStringLiteral(".incoming.Ab12Cd"))).open(QIODevice::WriteOnly);
    REQUIRE(QFile::rename(bundles.filePath(swapped), bundles.filePath(swapped + QStringLiteral(".old"))));
    const QString orphan = QStringLiteral("0x") + QString(32, QLatin1Char('d'));
    bundles.mkpath(orphan + QStringLiteral("/leftover"));
    REQUIRE(QFile::remove(bundles.filePath(lost)));
    REQUIRE(bundles.exists(noDir));
    REQUIRE(QDir(bundles.filePath(noDir)).removeRecursively());
    bundles.mkpath(QStringLiteral("not-a-bundle"));

    f.start();
    const codalab::localserver::RecoveryReport &report = f.server->recovery();
    for (const QString &line : report.lines()) {
        std::printf("recovery: %s\n", qPrintable(line));
    }
    CHECK(report.tmpFilesRemoved == 1);
    CHECK(report.unfinishedUploadsRemoved == 3);
    CHECK(report.swapsCompleted == 1);
    CHECK(report.orphanDirsRemoved == 1);
    CHECK(report.missingDirsMade == 1);
    CHECK(report.lostContents == QStringList { lost });
    CHECK(report.strangers == QStringList { QStringLiteral("not-a-bundle") });
    CHECK(tmpEntries(tmp).isEmpty());
    CHECK(bundles.entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden)
              .filter(QStringLiteral("incoming"))
              .isEmpty());
    CHECK_FALSE(bundles.exists(orphan));
    CHECK(bundles.exists(noDir));

    c = f.root();
    CHECK(c->get(QStringLiteral("/rest/bundles/%1/contents/blob/").arg(ready)).body == "kept\n");
    CHECK(c->get(QStringLiteral("/rest/bundles/%1/contents/blob/").arg(swapped)).body == "old contents\n");
    const HttpResult gone = c->get(QStringLiteral("/rest/bundles/%1/contents/info/").arg(lost));
    CHECK(gone.status == 404); // said plainly, not shown as an empty bundle
    f.restart(); // repaired once: only the loss is still reported
    const codalab::localserver::RecoveryReport &again = f.server->recovery();
    CHECK(again.tmpFilesRemoved + again.unfinishedUploadsRemoved + again.swapsCompleted
            + again.orphanDirsRemoved + again.missingDirsMade
        == 0);
    CHECK(again.lostContents == QStringList { lost });
}

TEST_CASE("runs cut off by a restart: a lost start is staged again, a lost mark_finalized is sent again",
    "[localserver][faults][recovery]")
{
    LocalServerFixture f(fast);
    auto user = f.root();
    const QString finishing = createRun(*user, QStringLiteral("finishing"));
    const QString starting = createRun(*user, QStringLiteral("starting"));
    settle();
    {
        ScriptedWorker worker(f, QStringLiteral("w1"));
        REQUIRE(worker.checkinUntilMessage().size() == 1);
        REQUIRE(worker.startBundle(finishing));
        // The next run goes out with this answer; mark_finalized waits in memory for the next check-in.
        const QJsonArray messages
            = worker.checkin({ ScriptedWorker::report(finishing, QStringLiteral("finalizing"), 0) });
        REQUIRE(messages.size() == 1);
        CHECK(messages.first()[QLatin1String("bundle")][QLatin1String("uuid")].toString() == starting);
    }
    CHECK(stateOf(*user, finishing) == QLatin1String("finalizing"));
    CHECK(stateOf(*user, starting) == QLatin1String("starting"));
    f.restart(); // the queued mark_finalized and run message die with the process
    CHECK(f.server->recovery().runsRequeued == 1);
    user = f.root();
    CHECK(stateOf(*user, starting) == QLatin1String("staged"));

    ScriptedWorker worker(f, QStringLiteral("w1"));
    const QJsonArray messages
        = worker.checkin({ ScriptedWorker::report(finishing, QStringLiteral("finalizing"), 0) });
    REQUIRE(messages.size() == 1);
    CHECK(messages.first()[QLatin1String("type")].toString() == QLatin1String("mark_finalized"));
    CHECK(stateOf(*user, finishing) == QLatin1String("ready"));
    // The worker missed that answer too and reports it again: it is told again, the bundle stays ready.
    ScriptedWorker again(
        f, QStringLiteral("w2"), QJsonObject { { QStringLiteral("cpus"), 0 } }, worker.http().token());
    const QJsonArray repeat
        = again.checkin({ ScriptedWorker::report(finishing, QStringLiteral("finalizing"), 0) });
    REQUIRE(repeat.size() == 1);
    CHECK(repeat.first()[QLatin1String("type")].toString() == QLatin1String("mark_finalized"));
    CHECK(stateOf(*user, finishing) == QLatin1String("ready"));
    // The staged run goes out again.
    const QJsonArray run = worker.checkinUntilMessage();
    REQUIRE(run.size() == 1);
    CHECK(run.first()[QLatin1String("bundle")][QLatin1String("uuid")].toString() == starting);
}

namespace {

/// A fresh codalab-local-server process with a logged-in client and a dataset to upload to.
struct HostileSetup
{
    QTemporaryDir dir;
    ServerProcess server { dir.path() };
    std::unique_ptr<HttpTestClient> cli;
    QString dataset;

    HostileSetup()
    {
        server.start();
        cli = std::make_unique<HttpTestClient>(server.url());
        cli->login(QStringLiteral("codalab"), server.password());
        dataset = createDataset(*cli, QStringLiteral("target"));
    }
    QByteArray auth() const { return "Host: 127.0.0.1\r\n" + bearer(*cli); }
    /// The server is alive and answers an ordinary request.
    bool serving() const { return server.running() && cli->get(QStringLiteral("/rest/user")).status == 200; }
    qsizetype bundleCount() const { return listedStates(*cli).size(); }
};

} // namespace

TEST_CASE("oversized requests are refused before they are read and the server's memory stays flat",
    "[localserver][faults][http]")
{
    HostileSetup s;
    const QByteArray create = "POST /rest/bundles?worksheet=" + homeWorksheet(*s.cli).toLatin1()
        + " HTTP/1.1\r\n" + s.auth() + "Content-Type: application/json\r\n";
    const QByteArray upload = "PUT /rest/bundles/" + s.dataset.toLatin1()
        + "/contents/blob/?filename=x.bin HTTP/1.1\r\n" + s.auth();
    struct Case
    {
        const char *name;
        std::function<void(RawHttp &)> send;
        int status;
        const char *message;
    };
    const QByteArray pads = [] {
        QByteArray out;
        for (int i = 0; out.size() < 4 * 1024 * 1024; ++i) {
            out += "X-Pad-" + QByteArray::number(i) + ": " + QByteArray(1000, 'p') + "\r\n";
        }
        return out;
    }();
    const QList<Case> cases {
        { "a 64 MiB JSON body to POST /rest/bundles, streamed",
            [&](RawHttp &c) {
                c.send(create + "Content-Length: 67108864\r\n\r\n");
                c.stream(64 * 1024 * 1024, ' ');
            },
            413, "larger than the limit of 16777216 bytes" },
        { "Content-Length: 10 GiB to POST /rest/bundles, no body",
            [&](RawHttp &c) { c.send(create + "Content-Length: 10737418240\r\n\r\n"); }, 413,
            "Request body of 10737418240 bytes is larger than the limit of 16777216 bytes" },
        { "Content-Length: 2 TiB to a contents upload",
            [&](RawHttp &c) { c.send(upload + "Content-Length: 2199023255552\r\n\r\n"); }, 413,
            "larger than the limit of 1099511627776 bytes" },
        { "a 20 MiB chunked JSON body",
            [&](RawHttp &c) {
                c.send(create + "Transfer-Encoding: chunked\r\n\r\n");
                const QByteArray chunk = "100000\r\n" + QByteArray(1024 * 1024, ' ') + "\r\n";
                for (int i = 0; i < 20 && !c.closed() && c.received().isEmpty(); ++i) {
                    c.send(chunk);
                }
            },
            413, "Request body is larger than the limit of 16777216 bytes" },
        { "4 MiB of header lines",
            [&](RawHttp &c) { c.send("GET /rest/user HTTP/1.1\r\n" + s.auth() + pads + "\r\n"); }, 431,
            "The request headers are larger than the limit of 81920 bytes" },
        { "one header line of 4 MiB",
            [&](RawHttp &c) {
                c.send("GET /rest/user HTTP/1.1\r\n" + s.auth() + "X-Big: " + QByteArray(4 << 20, 'b')
                    + "\r\n\r\n");
            },
            431, "larger than the limit of 81920 bytes" },
        { "a URL of 1 MiB",
            [&](RawHttp &c) {
                c.send("GET /rest/bundles?keywords=" + QByteArray(1 << 20, 'u') + " HTTP/1.1\r\n" + s.auth()
                    + "\r\n");
            },
            414, "The request line is longer than the limit of 65536 bytes" },
    };
    qint64 worstGrowth = 0;
    for (const Case &c : cases) {
        INFO(c.name);
        s.server.resetPeak();
        const qint64 before = s.server.rssKiB();
        QElapsedTimer timer;
        timer.start();
        RawHttp raw(s.server.url());
        c.send(raw);
        REQUIRE(raw.waitAnswer());
        CHECK(raw.status() == c.status);
        CHECK(raw.body().contains(c.message));
        CHECK(raw.header("Connection") == "close");
        CHECK(raw.waitClosed());
        const qint64 growth = s.server.peakKiB() - before;
        worstGrowth = qMax(worstGrowth, growth);
        std::printf("%-52s -> %d in %4lld ms, server RSS peak +%.1f MiB: %s\n", c.name, raw.status(),
            timer.elapsed(), mib(growth), raw.body().constData());
        // At most the 16 MiB a JSON body may have is held (a chunked one grows its buffer by doubling),
        // never what the client claims or sends past it.
        if (!UnderAddressSanitizer) { // its quarantine keeps freed blocks resident: RSS is no bound there
            CHECK(growth < 40 * 1024);
        }
        CHECK(s.serving());
    }
    CHECK(tmpEntries(s.server.tmpDir()).isEmpty());
    std::printf("worst RSS peak growth over %lld oversized requests: %.1f MiB\n", qint64(cases.size()),
        mib(worstGrowth));
}

TEST_CASE(
    "a 1 GiB upload is streamed to disk and one cut off leaves nothing behind", "[localserver][faults][http]")
{
    constexpr qint64 GiB = qint64(1) << 30;
    HostileSetup s;
    const QByteArray head = "PUT /rest/bundles/" + s.dataset.toLatin1()
        + "/contents/blob/?filename=big.bin HTTP/1.1\r\n" + s.auth()
        + "Content-Length: " + QByteArray::number(GiB) + "\r\n\r\n";
    s.server.resetPeak();
    qint64 before = s.server.rssKiB();
    QElapsedTimer timer;
    timer.start();
    {
        RawHttp raw(s.server.url());
        raw.send(head);
        CHECK(raw.stream(GiB) == GiB);
        REQUIRE(raw.waitAnswer(120000));
        CHECK(raw.status() == 200);
    }
    const qint64 growth = s.server.peakKiB() - before;
    std::printf("1 GiB upload streamed in %.1f s (%.0f MiB/s): server RSS peak +%.1f MiB (was %.1f MiB)\n",
        timer.elapsed() / 1000.0, 1024.0 * 1000.0 / double(qMax<qint64>(1, timer.elapsed())), mib(growth),
        mib(before));
    if (!UnderAddressSanitizer) {
        CHECK(growth < 64 * 1024);
    }
    const QJsonObject a = s.cli->get(QStringLiteral("/rest/bundles/") + s.dataset)
                              .json.object()[QLatin1String("data")][QLatin1String("attributes")]
                              .toObject();
    CHECK(a[QLatin1String("state")].toString() == QLatin1String("ready"));
    CHECK(a[QLatin1String("metadata")][QLatin1String("data_size")].toInteger() == GiB);
    CHECK(QFileInfo(QDir(s.server.bundlesDir()).filePath(s.dataset)).size() == GiB);
    CHECK(tmpEntries(s.server.tmpDir()).isEmpty());

    // The same upload cut off after 256 MiB: the body file goes with the connection, the bundle is unchanged.
    const QString other = createDataset(*s.cli, QStringLiteral("cut"));
    {
        RawHttp raw(s.server.url());
        raw.send("PUT /rest/bundles/" + other.toLatin1() + "/contents/blob/?filename=big.bin HTTP/1.1\r\n"
            + s.auth() + "Content-Length: " + QByteArray::number(GiB) + "\r\n\r\n");
        CHECK(raw.stream(256 * 1024 * 1024) == 256 * 1024 * 1024);
        CHECK(tmpEntries(s.server.tmpDir()).size() == 1);
        raw.abort();
    }
    CHECK(spinUntil([&] { return tmpEntries(s.server.tmpDir()).isEmpty(); }, 10000));
    CHECK(stateOf(*s.cli, other) == QLatin1String("uploading"));
    CHECK(s.serving());
}

TEST_CASE(
    "malformed HTTP gets a clear 4xx or 5xx and the server goes on serving", "[localserver][faults][http]")
{
    HostileSetup s;
    const qsizetype bundles = s.bundleCount();
    QByteArray garbage(512, '\0');
    for (int i = 0; i < garbage.size(); ++i) {
        garbage[i] = char((i * 7919) % 251);
    }
    const QByteArray user = "GET /rest/user HTTP/1.1\r\n" + s.auth();
    const QByteArray post = "POST /rest/bundles?worksheet=" + homeWorksheet(*s.cli).toLatin1()
        + " HTTP/1.1\r\n" + s.auth() + "Content-Type: application/json\r\n";
    const struct
    {
        const char *name;
        QByteArray request;
        int status;
        const char *message;
    } cases[] = {
        { "binary garbage", garbage, 400, "is not an HTTP request line" },
        { "a word and a newline", "HELLO\r\n\r\n", 400,
            "'HELLO\\x0d\\x0a\\x0d\\x0a' is not an HTTP request line" },
        { "no HTTP version", "GET /rest/user\r\nHost: x\r\n\r\n", 400, "expected METHOD /path HTTP/1.1" },
        { "HTTP/2.0", "GET /rest/user HTTP/2.0\r\nHost: x\r\n\r\n", 505,
            "HTTP version HTTP/2.0 is not supported" },
        { "a space in the path", "GET /rest/us er HTTP/1.1\r\nHost: x\r\n\r\n", 400,
            "Malformed request line" },
        { "a control byte in the path", "GET /rest/\x01user HTTP/1.1\r\nHost: x\r\n\r\n", 400,
            "must be percent-encoded" },
        { "no Host", "GET /rest/user HTTP/1.1\r\n\r\n", 400, "needs a Host header" },
        { "a header without a colon", user + "Broken header\r\n\r\n", 400, "Malformed header line" },
        { "a folded header", user + "X-A: 1\r\n  folded\r\n\r\n", 400, "Folded header lines" },
        { "a NUL in a header", user + QByteArray("X-A: a\0b\r\n\r\n", 12), 400, "control character" },
        { "Content-Length: abc", post + "Content-Length: abc\r\n\r\n", 400, "Invalid Content-Length 'abc'" },
        { "Content-Length: -5", post + "Content-Length: -5\r\n\r\n{}", 400, "Invalid Content-Length '-5'" },
        { "two Content-Lengths", post + "Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}", 400,
            "Invalid Content-Length" },
        { "Content-Length and chunked", post + "Content-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n", 400,
            "both Content-Length and Transfer-Encoding" },
        { "Transfer-Encoding: gzip", post + "Transfer-Encoding: gzip\r\n\r\n", 501,
            "'gzip' is not supported" },
        { "a bad chunk size", post + "Transfer-Encoding: chunked\r\n\r\nzz\r\n", 400,
            "invalid chunk size 'zz'" },
        { "a chunk longer than said", post + "Transfer-Encoding: chunked\r\n\r\n2\r\n{}}\r\n", 400,
            "longer than its size says" },
        { "an unknown Expect", post + "Expect: 200-ok\r\nContent-Length: 2\r\n\r\n", 417,
            "Expect: 200-ok is not supported" },
    };
    for (const auto &c : cases) {
        INFO(c.name);
        RawHttp raw(s.server.url());
        raw.send(c.request);
        REQUIRE(raw.waitAnswer());
        std::printf("%-28s -> %d %s\n", c.name, raw.status(), raw.body().constData());
        CHECK(raw.status() == c.status);
        CHECK(raw.body().contains(c.message));
        CHECK(raw.waitClosed());
        CHECK(s.serving());
    }
    // Requests cut off half-way: nothing is made of them, no body file is left, and nobody else waits.
    const QByteArray halves[] = {
        "GET /rest/us",
        post + "Content-Length: 1000\r\n\r\n{\"data\": [{\"type\": \"bundles\"",
        "PUT /rest/bundles/" + s.dataset.toLatin1() + "/contents/blob/?filename=x.bin HTTP/1.1\r\n" + s.auth()
            + "Content-Length: 10485760\r\n\r\n" + QByteArray(1024 * 1024, 'h'),
    };
    for (const QByteArray &half : halves) {
        RawHttp raw(s.server.url());
        raw.send(half);
        runFor(50);
        raw.abort();
        CHECK(raw.received().isEmpty());
    }
    CHECK(spinUntil([&] { return tmpEntries(s.server.tmpDir()).isEmpty(); }, 10000));
    CHECK(s.bundleCount() == bundles);
    CHECK(stateOf(*s.cli, s.dataset) == QLatin1String("uploading"));
    // Two requests in one write are answered in order on one connection.
    RawHttp twice(s.server.url());
    twice.send(user + "\r\n" + "GET /rest/nothing HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    CHECK(twice.waitClosed());
    CHECK(twice.received().startsWith("HTTP/1.1 200 OK"));
    CHECK(twice.received().contains("HTTP/1.1 404 Not Found"));
    CHECK(s.serving());
}

TEST_CASE("JSON of the wrong shape at each route a worker or cl uses gets 400 with a clear message",
    "[localserver][faults][http]")
{
    LocalServerFixture f(fast);
    auto cl = f.root();
    ScriptedWorker worker(f, QStringLiteral("w1"));
    const QString ws = homeWorksheet(*cl);
    const QString run = createRun(*cl, QStringLiteral("r"));
    const QString data = createDataset(*cl, QStringLiteral("d"));
    const qsizetype bundles = listedStates(*cl).size();
    const QString create = QStringLiteral("/rest/bundles?worksheet=") + ws;
    const QByteArray json = "application/json";
    const QByteArray runMeta = QJsonDocument(runMetadata(QStringLiteral("x"))).toJson(QJsonDocument::Compact);
    const QString checkin = QStringLiteral("/rest/workers/w1/checkin");
    const QString start = QStringLiteral("/rest/workers/w1/start_bundle/") + run;
    const QString blob = QStringLiteral("/rest/bundles/%1/contents/blob/").arg(data);
    const struct
    {
        HttpTestClient *client;
        QByteArray method;
        QString path;
        QByteArray body;
        QByteArray contentType;
        int status;
        const char *message;
    } cases[] = {
        { cl.get(), "POST", create, "\xff\xfe{\"data\": []}", json, 400, "Invalid JSON" },
        { cl.get(), "POST", create, "{\"data\": []}", "text/plain", 400, "The body must be JSON" },
        { cl.get(), "POST", create, "[]", json, 400, "no \"data\" list" },
        { cl.get(), "POST", create, "{\"data\": 5}", json, 400, "no \"data\" list" },
        { cl.get(), "POST", create, "{\"data\": [1]}", json, 400, "\"data\" items must be objects" },
        { cl.get(), "POST", create, "{\"data\": [{\"attributes\": \"x\"}]}", json, 400,
            "needs an \"attributes\" object" },
        { cl.get(), "POST", create,
            R"({"data": [{"attributes": {"bundle_type": "dataset", "metadata": []}}]})", json, 400,
            "\"metadata\" must be an object" },
        { cl.get(), "POST", create, R"({"data": [{"attributes": {"bundle_type": 7}}]})", json, 400,
            "\"bundle_type\" must be a string" },
        { cl.get(), "POST", create,
            R"({"data": [{"attributes": {"bundle_type": "run", "command": "x", "dependencies": {}, "metadata": )"
                + runMeta + "}}]}",
            json, 400, "\"dependencies\" must be a list" },
        { cl.get(), "POST", create,
            R"({"data": [{"attributes": {"bundle_type": "run", "command": "x", "dependencies": [{"parent_uuid": 5}], "metadata": )"
                + runMeta + "}}]}",
            json, 400, "Dependency \"parent_uuid\" must be a string" },
        { cl.get(), "PATCH", QStringLiteral("/rest/bundles"), "{\"data\": \"x\"}", json, 400,
            "no \"data\" list" },
        { cl.get(), "DELETE", QStringLiteral("/rest/bundles"), "{}", json, 400, "no \"data\" list" },
        { cl.get(), "POST", QStringLiteral("/rest/bundle-actions"),
            R"({"data": [{"attributes": {"type": "kill"}}]})", json, 400, "needs the \"uuid\" of a bundle" },
        { cl.get(), "POST", QStringLiteral("/rest/worksheets"), R"({"data": [{"attributes": {"name": 5}}]})",
            json, 400, "\"name\" must be a string" },
        { cl.get(), "PUT", blob + QStringLiteral("?filename=x.tar.gz"), "not a tar",
            "application/octet-stream", 400, "Upload failed" },
        { cl.get(), "PUT", blob + QStringLiteral("?filename=x.txt&state_on_success=banana"), "x",
            "application/octet-stream", 400, "state_on_success must be a final state" },
        { &worker.http(), "POST", checkin, "\xff{}", json, 400, "Invalid JSON in the check-in body" },
        { &worker.http(), "POST", checkin, "[]", json, 400, "The check-in body must be a JSON object" },
        { &worker.http(), "POST", checkin, R"({"runs": 5, "dependencies": []})", json, 400,
            "Missing key or not a list: runs" },
        { &worker.http(), "POST", checkin, R"({"runs": [], "dependencies": [], "cpus": "four"})", json, 400,
            "cpus must be a number" },
        { &worker.http(), "POST", checkin, R"({"runs": [7], "dependencies": []})", json, 400,
            "each of runs must be an object" },
        { &worker.http(), "POST", checkin, R"({"runs": [], "dependencies": [], "preemptible": "no"})", json,
            400, "preemptible must be true or false" },
        { &worker.http(), "POST", start, "[1]", json, 400, "The start_bundle body must be a JSON object" },
        { &worker.http(), "POST", start, R"({"start_time": "soon"})", json, 400,
            "start_time must be a number" },
        { &worker.http(), "POST", QStringLiteral("/rest/workers/w1/reply/12345"), "[]", json, 403,
            "Not your socket ID!" },
    };
    for (const auto &c : cases) {
        INFO(c.method.toStdString() << ' ' << c.path.toStdString() << ' ' << c.body.left(80).toStdString());
        const HttpResult r = c.client->send(c.method, c.path, c.body, c.contentType);
        CHECK(r.status == c.status);
        CHECK(r.body.contains(c.message));
        std::printf("%-6s %-44s -> %d %s\n", c.method.constData(),
            qPrintable(c.path.section(QLatin1Char('?'), 0, 0).left(44)), r.status,
            r.body.left(110).constData());
    }
    CHECK(listedStates(*cl).size() == bundles);
    CHECK(stateOf(*cl, data) == QLatin1String("uploading"));
    CHECK(cl->get(QStringLiteral("/rest/user")).status == 200);
}

TEST_CASE(
    "the request parser reads the same requests however the bytes are split", "[localserver][faults][parser]")
{
    using codalab::localserver::HttpRequestParser;
    // Pipelined: a chunked upload with an extension and a trailer, then a request with a Content-Length,
    // then one with none, behind a blank line as some clients leave.
    const QByteArray wire = "PUT /up?x=1 HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                            "5;ext=1\r\nhello\r\n7\r\n, world\r\n0\r\nX-Trailer: t\r\n\r\n"
                            "POST /json HTTP/1.1\nHost: h\nContent-Length: 2\n\n{}"
                            "\r\nGET http://127.0.0.1:8/abs?y HTTP/1.0\r\n\r\n";
    const QStringList expected { QStringLiteral("PUT /up?x=1 [hello, world] keep-alive"),
        QStringLiteral("POST /json [{}] keep-alive"), QStringLiteral("GET /abs?y [] close") };
    for (const int step : { 1, 2, 3, 7, 64, int(wire.size()) }) {
        INFO("fed " << step << " byte(s) at a time");
        HttpRequestParser parser;
        QStringList requests;
        QByteArray body;
        for (qsizetype at = 0; at < wire.size(); at += step) {
            parser.append(wire.mid(at, step));
            for (;;) {
                QByteArray piece;
                const HttpRequestParser::Event e = parser.next(&piece);
                REQUIRE(e != HttpRequestParser::Event::Error);
                if (e == HttpRequestParser::Event::NeedMore) {
                    break;
                }
                if (e == HttpRequestParser::Event::Head) {
                    body.clear();
                } else if (e == HttpRequestParser::Event::Body) {
                    body += piece;
                } else if (e == HttpRequestParser::Event::End) {
                    const auto &h = parser.head();
                    requests << QString::fromLatin1(h.method + ' ' + h.target + " [" + body + "] "
                        + (h.keepAlive ? "keep-alive" : "close"));
                }
            }
        }
        CHECK(requests == expected);
        CHECK(parser.betweenRequests());
    }
}
