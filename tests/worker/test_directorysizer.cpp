// SPDX-License-Identifier: GPL-3.0-or-later
// DirectorySizer: what a pass counts, and polling on the thread pool while the run directory changes.
#include "worker/directorysizer.h"

#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QThreadPool>

#include <catch2/catch.hpp>
#include <sys/stat.h>
#include <unistd.h>

using codalab::worker::DirectorySizer;

namespace {

void writeFile(const QString &path, qint64 size)
{
    REQUIRE(QDir().mkpath(QFileInfo(path).absolutePath()));
    QFile file(path);
    REQUIRE(file.open(QIODevice::WriteOnly));
    REQUIRE(file.write(QByteArray(size, 'x')) == size);
}

// What lstat() says about one entry: the unit of what DirectorySizer adds up.
qint64 lstatSize(const QString &path)
{
    struct stat st;
    REQUIRE(::lstat(QFile::encodeName(path).constData(), &st) == 0);
    return st.st_size;
}

} // namespace

TEST_CASE("a directory's size is the sum of its entries as lstat sees them", "[worker][sizer]")
{
    QTemporaryDir run;
    const QString root = run.path();
    writeFile(root + QStringLiteral("/stdout"), 1000);
    writeFile(root + QStringLiteral("/stderr"), 0);
    writeFile(root + QStringLiteral("/out/a/b/c.bin"), 123456);
    REQUIRE(QDir(root).mkpath(QStringLiteral("empty")));
    // A directory's own size may change as entries are added (tmpfs counts them): read it when needed.
    const auto directories = [&root] {
        qint64 sum = 0;
        for (const QString &dir : { QString(), QStringLiteral("/out"), QStringLiteral("/out/a"),
                 QStringLiteral("/out/a/b"), QStringLiteral("/empty") }) {
            sum += lstatSize(root + dir);
        }
        return sum;
    };
    const qint64 files = 1000 + 0 + 123456;
    CHECK(DirectorySizer::measure(root) == files + directories());
    CHECK(DirectorySizer::measure(root + QStringLiteral("/")) == files + directories());

    SECTION("symlinks count as themselves and are never followed")
    {
        QTemporaryDir outside;
        writeFile(outside.filePath(QStringLiteral("big")), 1 << 20);
        REQUIRE(QFile::link(outside.filePath(QStringLiteral("big")), root + QStringLiteral("/big-link")));
        REQUIRE(QFile::link(outside.path(), root + QStringLiteral("/dir-link")));
        REQUIRE(::symlink("nowhere", QFile::encodeName(root + QStringLiteral("/dangling")).constData()) == 0);
        const qint64 links = lstatSize(root + QStringLiteral("/big-link"))
            + lstatSize(root + QStringLiteral("/dir-link")) + lstatSize(root + QStringLiteral("/dangling"));
        CHECK(links < 1000); // the targets' lengths, nothing of what they point at
        CHECK(DirectorySizer::measure(root) == files + links + directories());
    }
    SECTION("a file with several hard links counts once")
    {
        writeFile(root + QStringLiteral("/model.bin"), 50000);
        REQUIRE(::link(QFile::encodeName(root + QStringLiteral("/model.bin")).constData(),
                    QFile::encodeName(root + QStringLiteral("/out/a/model-copy.bin")).constData())
            == 0);
        CHECK(DirectorySizer::measure(root) == files + 50000 + directories());
    }
    SECTION("what is not a readable directory measures -1")
    {
        CHECK(DirectorySizer::measure(root + QStringLiteral("/missing")) == -1);
        CHECK(DirectorySizer::measure(root + QStringLiteral("/stdout")) == -1);
        CHECK(DirectorySizer::measure(QString()) == -1);
        const std::atomic<bool> cancelled { true };
        CHECK(DirectorySizer::measure(root, &cancelled) == -1);
    }
}

TEST_CASE("a polling DirectorySizer follows a growing directory", "[worker][sizer]")
{
    QTemporaryDir run;
    writeFile(run.filePath(QStringLiteral("stdout")), 10);
    DirectorySizer sizer(run.path());
    CHECK(sizer.lastSize() == -1);
    QSignalSpy measured(&sizer, &DirectorySizer::measured);
    sizer.start(20);
    REQUIRE(measured.wait(10000));
    CHECK(measured.first().first().toLongLong() == DirectorySizer::measure(run.path()));
    CHECK(sizer.lastSize() == measured.first().first().toLongLong());

    writeFile(run.filePath(QStringLiteral("out/weights.bin")), 3 << 20);
    const qint64 grown = DirectorySizer::measure(run.path());
    REQUIRE(QTest::qWaitFor([&] { return sizer.lastSize() == grown; }, 10000));
    CHECK(measured.last().first().toLongLong() == grown);

    sizer.stop();
    CHECK_FALSE(sizer.isRunning());
    QThreadPool::globalInstance()->waitForDone();
    QCoreApplication::processEvents();
    const int count = int(measured.size());
    writeFile(run.filePath(QStringLiteral("more")), 100);
    QTest::qWait(100);
    CHECK(measured.size() == count); // stopped means no more passes
    CHECK(sizer.lastSize() == grown);

    sizer.start(20); // and it can be started again
    REQUIRE(measured.wait(10000));
    CHECK(sizer.lastSize() == DirectorySizer::measure(run.path()));
}

TEST_CASE("a DirectorySizer waits for its directory to appear", "[worker][sizer]")
{
    QTemporaryDir parent;
    const QString dir = parent.filePath(QStringLiteral("run"));
    DirectorySizer sizer(dir);
    QSignalSpy measured(&sizer, &DirectorySizer::measured);
    sizer.start(20);
    QTest::qWait(100);
    CHECK(measured.isEmpty());
    CHECK(sizer.lastSize() == -1);
    writeFile(dir + QStringLiteral("/stdout"), 5);
    REQUIRE(measured.wait(10000));
    CHECK(sizer.lastSize() == DirectorySizer::measure(dir));
}

TEST_CASE("deleting a DirectorySizer while a pass runs is safe", "[worker][sizer]")
{
    QTemporaryDir run;
    for (int d = 0; d < 20; ++d) {
        for (int f = 0; f < 100; ++f) {
            writeFile(run.filePath(QStringLiteral("d%1/f%2").arg(d).arg(f)), f);
        }
    }
    for (int round = 0; round < 20; ++round) {
        auto *sizer = new DirectorySizer(run.path());
        sizer->start(1);
        if (round % 2) {
            QThread::usleep(round * 200); // let some passes get further before the delete
        }
        delete sizer;
    }
    // The passes end on their own and queue nothing for the deleted sizers (ASan would see it).
    QThreadPool::globalInstance()->waitForDone();
    QCoreApplication::processEvents();

    DirectorySizer kept(run.path());
    QSignalSpy measured(&kept, &DirectorySizer::measured);
    kept.start(1);
    kept.stop(); // stop while the first pass runs, then start again: one pass at a time, reported once
    kept.start(1);
    REQUIRE(measured.wait(10000));
    CHECK(measured.first().first().toLongLong() == DirectorySizer::measure(run.path()));
}
