// SPDX-License-Identifier: GPL-3.0-or-later
// LogView over local files: the tail of a 3 GB sparse file, following growth, truncation, the start, loading
// earlier lines, a search 40 MB in, a file that appears only after the view opened it or vanishes after it
// was shown, searched text with "%2" in it, and a hidden view that reads nothing.
#include "logs/localfilelogsource.h"
#include "logs/logsearchbar.h"
#include "logs/logtextedit.h"
#include "logs/logview.h"
#include "support/spinuntil.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>

#include <catch2/catch.hpp>

using namespace codalab;
using test::spinUntil;
using ui::LogView;

namespace {

constexpr qint64 MiB = 1024 * 1024;

void write(const QString &path, const QByteArray &data, QIODevice::OpenMode mode = QIODevice::Append)
{
    QFile file(path);
    REQUIRE(file.open(QIODevice::WriteOnly | mode));
    REQUIRE(file.write(data) == data.size());
}

QByteArray lines(int from, int to, const QByteArray &prefix = "line ")
{
    QByteArray out;
    for (int i = from; i <= to; ++i) {
        out += prefix + QByteArray::number(i) + '\n';
    }
    return out;
}

/// A view on `path`, shown (hidden views do not poll), polling fast.
struct ViewFixture
{
    LogView view;
    explicit ViewFixture(const QString &path)
    {
        view.resize(900, 500);
        view.setPollIntervalMs(20);
        view.show();
        view.setSource(new ui::LocalFileLogSource(path));
    }
    bool waitText(const QString &text, int timeoutMs = 10000)
    {
        return spinUntil([&] { return view.text().contains(text); }, timeoutMs);
    }
    bool waitSearch(bool *found)
    {
        QSignalSpy done(&view, &LogView::searchFinished);
        if (!spinUntil([&] { return !done.isEmpty(); }, 60000)) {
            return false;
        }
        *found = done.first().first().toBool();
        return true;
    }
};

} // namespace

TEST_CASE("the tail of a 3 GB sparse file shows at once, within the window", "[gui][logs][view]")
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("stdout"));
    write(path, "the very first line\n", QIODevice::Truncate);
    {
        QFile file(path);
        REQUIRE(file.open(QIODevice::ReadWrite));
        REQUIRE(file.resize(3 * 1024 * MiB)); // sparse: no disk, and nothing a reader could afford to load
    }
    write(path, "\n" + lines(1, 200, "epoch "));
    const qint64 size = QFileInfo(path).size();

    ViewFixture f(path);
    REQUIRE(f.waitText(QStringLiteral("epoch 200\n")));
    CHECK(f.view.text().contains(QLatin1String("epoch 1\n")));
    CHECK(f.view.fileSize() == size);
    CHECK(f.view.windowEnd() == size);
    CHECK(f.view.windowEnd() - f.view.windowStart() <= f.view.windowBytes());
    CHECK(f.view.text().size() <= f.view.windowBytes());
    CHECK(f.view.isFollowing());
    CHECK(f.view.positionText().endsWith(QLatin1String(" of 3.0 GiB"))); // Units::bytes, as every page

    // The start is one click away, and shows the first line.
    f.view.jumpToStart();
    REQUIRE(f.waitText(QStringLiteral("the very first line")));
    CHECK(f.view.windowStart() == 0);
    CHECK(f.view.windowEnd() - f.view.windowStart() <= f.view.windowBytes());
    CHECK_FALSE(f.view.isFollowing());
    CHECK(f.view.positionText().startsWith(QLatin1String("Showing the first")));
}

TEST_CASE(
    "following shows appended lines; truncation reloads; the start is the first line", "[gui][logs][view]")
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("stdout"));
    write(path, lines(1, 50), QIODevice::Truncate);
    ViewFixture f(path);
    REQUIRE(f.waitText(QStringLiteral("line 50\n")));

    write(path, lines(51, 60));
    REQUIRE(f.waitText(QStringLiteral("line 60\n")));
    CHECK(f.view.text().count(QLatin1String("line 51\n")) == 1); // only the new bytes were added
    CHECK(f.view.textEdit()->isAtBottom());

    // A line written in two parts, split inside a UTF-8 sequence, shows whole.
    const QByteArray accent = QStringLiteral("é").toUtf8();
    write(path, "loss=0.1 caf" + accent.left(1));
    REQUIRE(f.waitText(QStringLiteral("loss=0.1 caf")));
    write(path, accent.mid(1) + "\n");
    REQUIRE(f.waitText(QStringLiteral("loss=0.1 café\n")));

    // Truncated and rewritten shorter: the view starts again from the new end.
    write(path, "restarted\n", QIODevice::Truncate);
    REQUIRE(spinUntil([&] { return f.view.text() == QLatin1String("restarted\n"); }, 10000));
    CHECK(f.view.statusText().contains(QLatin1String("truncated")));
    write(path, lines(1, 3, "again "));
    REQUIRE(f.waitText(QStringLiteral("again 3\n")));
    CHECK(f.view.text().startsWith(QLatin1String("restarted\n")));
}

TEST_CASE("a window that is scrolled back loads earlier lines and trims the end", "[gui][logs][view]")
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("stdout"));
    write(path, lines(1, 200000), QIODevice::Truncate); // about 2.2 MB
    LogView view;
    view.resize(900, 500);
    view.setWindowBytes(256 * 1024);
    view.setPollIntervalMs(20);
    view.show();
    view.setSource(new ui::LocalFileLogSource(path));
    REQUIRE(spinUntil([&] { return view.text().endsWith(QLatin1String("line 200000\n")); }, 10000));
    const qint64 start = view.windowStart();
    REQUIRE(start > 0);

    QSignalSpy changed(&view, &LogView::windowChanged);
    view.loadEarlier();
    REQUIRE(spinUntil([&] { return view.windowStart() < start && !view.textEdit()->isBusy(); }, 10000));
    CHECK(view.windowEnd() - view.windowStart() <= 256 * 1024);
    CHECK(view.text().startsWith(QLatin1String("line "))); // whole lines only
    CHECK_FALSE(view.text().contains(QLatin1String("line 200000\n"))); // the end was trimmed
    CHECK_FALSE(view.isFollowing());

    // Following again goes back to the end.
    view.jumpToEnd();
    REQUIRE(spinUntil([&] { return view.text().endsWith(QLatin1String("line 200000\n")); }, 10000));
    CHECK(view.isFollowing());
}

TEST_CASE("a search finds a marker 40 MB in, shows it and selects it", "[gui][logs][view][search]")
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("stdout"));
    const QByteArray filler = lines(1, 100000, "step "); // about 1 MB
    {
        QFile file(path);
        REQUIRE(file.open(QIODevice::WriteOnly));
        while (file.size() < 40 * MiB) {
            REQUIRE(file.write(filler) == filler.size());
        }
        REQUIRE(file.write("checkpoint saved, MARKER-42 reached\n") > 0);
        for (int i = 0; i < 5; ++i) {
            REQUIRE(file.write(filler) == filler.size());
        }
    }
    const qint64 markerOffset = 40 * MiB + (filler.size() - (40 * MiB) % filler.size()) % filler.size();
    ViewFixture f(path);
    REQUIRE(f.waitText(QStringLiteral("step 100000\n")));
    REQUIRE(f.view.windowStart() > markerOffset);

    f.view.find(QStringLiteral("marker-42")); // case-insensitive by default; wraps past the end
    bool found = false;
    REQUIRE(f.waitSearch(&found));
    REQUIRE(found);
    REQUIRE(spinUntil([&] { return f.view.selectedText() == QLatin1String("MARKER-42"); }, 10000));
    CHECK(f.view.windowStart() <= markerOffset);
    CHECK(f.view.windowEnd() > markerOffset);
    CHECK_FALSE(f.view.isFollowing());
    CHECK(f.view.statusText().contains(QLatin1String("wrapping")));

    f.view.find(QStringLiteral("MARKER-42"), false, Qt::CaseSensitive); // the only one: found again
    REQUIRE(f.waitSearch(&found));
    CHECK(found);

    f.view.find(QStringLiteral("no such text anywhere"));
    REQUIRE(f.waitSearch(&found));
    CHECK_FALSE(found);
    CHECK(f.view.statusText().contains(QLatin1String("No match")));
    CHECK(f.view.selectedText() == QLatin1String("MARKER-42")); // a failed search leaves the match shown
}

TEST_CASE("a search of a huge file can be cancelled", "[gui][logs][view][search]")
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("stdout"));
    write(path, "only line\n", QIODevice::Truncate);
    {
        QFile file(path);
        REQUIRE(file.open(QIODevice::ReadWrite));
        REQUIRE(file.resize(8 * 1024 * MiB));
    }
    ViewFixture f(path);
    REQUIRE(spinUntil([&] { return f.view.fileSize() == 8 * 1024 * MiB; }, 10000));
    QSignalSpy done(&f.view, &LogView::searchFinished);
    f.view.find(QStringLiteral("never there"));
    CHECK(f.view.isSearching());
    spinUntil([] { return false; }, 100);
    f.view.cancelSearch();
    CHECK_FALSE(f.view.isSearching());
    CHECK(f.view.statusText().contains(QLatin1String("cancelled")));
    spinUntil([] { return false; }, 300);
    CHECK(done.isEmpty());
}

TEST_CASE("a file that does not exist yet shows as soon as it is written", "[gui][logs][view]")
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("stderr"));
    ViewFixture f(path);
    REQUIRE(spinUntil([&] { return f.view.fileSize() == ui::LogSource::Missing; }, 10000));
    CHECK(f.view.textEdit()->placeholderText().contains(QLatin1String("stderr")));
    CHECK(f.view.positionText() == QLatin1String("Not written yet"));
    CHECK(f.view.statusText().isEmpty()); // not an error

    write(path, "warning: the first thing written\n", QIODevice::Truncate);
    REQUIRE(f.waitText(QStringLiteral("warning: the first thing written\n")));
    write(path, "and more\n");
    REQUIRE(f.waitText(QStringLiteral("and more\n")));
}

TEST_CASE("a file removed after it was shown keeps its text, and the view says so", "[gui][logs][view]")
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("stdout"));
    write(path, lines(1, 20, "epoch "), QIODevice::Truncate);
    ViewFixture f(path);
    f.view.setRemovedText(QStringLiteral("gone: the run finished"));
    REQUIRE(f.waitText(QStringLiteral("epoch 20\n")));

    // The worker deletes the run's directory when the run is done.
    QSignalSpy sizes(&f.view, &LogView::sizeChanged);
    REQUIRE(QFile::remove(path));
    REQUIRE(spinUntil([&] { return f.view.fileSize() == ui::LogSource::Missing; }, 10000));
    CHECK(f.view.text().contains(QLatin1String("epoch 1\n")));
    CHECK(f.view.text().contains(QLatin1String("epoch 20\n")));
    CHECK(f.view.statusText() == QLatin1String("gone: the run finished"));
    CHECK(f.view.positionText() == QLatin1String("Removed"));
    CHECK(sizes.last().first().toLongLong() == ui::LogSource::Missing);

    // Written again (a rerun in the same place): shown afresh, and the notice goes.
    write(path, "second life\n", QIODevice::Truncate);
    REQUIRE(spinUntil([&] { return f.view.text() == QLatin1String("second life\n"); }, 10000));
    CHECK(f.view.statusText().isEmpty());
}

TEST_CASE("a hidden view reads nothing, and catches up when shown", "[gui][logs][view]")
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("stdout"));
    write(path, lines(1, 10), QIODevice::Truncate);
    LogView view;
    view.resize(900, 500);
    view.setPollIntervalMs(10);
    auto *source = new ui::LocalFileLogSource(path);
    QSignalSpy sizes(source, &ui::LogSource::sizeKnown);
    QSignalSpy ranges(source, &ui::LogSource::rangeRead);
    view.setSource(source); // never shown yet: not even the size is asked for
    spinUntil([] { return false; }, 300);
    CHECK(sizes.isEmpty());
    CHECK(ranges.isEmpty());
    CHECK(view.text().isEmpty());

    view.show();
    REQUIRE(spinUntil([&] { return view.text().contains(QLatin1String("line 10\n")); }, 10000));

    view.hide();
    spinUntil([] { return false; }, 100); // an answer already on its way may still come
    sizes.clear();
    ranges.clear();
    write(path, lines(11, 20));
    spinUntil([] { return false; }, 400); // 40 polls if the timer ran
    CHECK(sizes.isEmpty());
    CHECK(ranges.isEmpty());
    CHECK_FALSE(view.text().contains(QLatin1String("line 20\n")));

    view.show();
    REQUIRE(spinUntil([&] { return view.text().contains(QLatin1String("line 20\n")); }, 10000));
}

TEST_CASE("searched text is shown as typed, \"%2\" included", "[gui][logs][view][search]")
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("stdout"));
    write(path, "only line\n", QIODevice::Truncate);
    {
        QFile file(path);
        REQUIRE(file.open(QIODevice::ReadWrite));
        REQUIRE(file.resize(64 * MiB)); // several search chunks: progress messages come
    }
    ViewFixture f(path);
    REQUIRE(spinUntil([&] { return f.view.fileSize() == 64 * MiB; }, 10000));
    QSignalSpy messages(f.view.searchBar(), &ui::LogSearchBar::message);
    f.view.find(QStringLiteral("a%2"));
    bool found = true;
    REQUIRE(f.waitSearch(&found));
    CHECK_FALSE(found);
    int progress = 0;
    for (const QList<QVariant> &message : std::as_const(messages)) {
        const QString text = message.first().toString();
        INFO(text.toStdString());
        CHECK(text.contains(QStringLiteral("“a%2”")));
        progress += text.endsWith(QLatin1String(" %"));
    }
    CHECK(progress > 0); // the progress lines, with their percentage, were among them
    CHECK(f.view.statusText() == QStringLiteral("No match for “a%2”."));
}

TEST_CASE(
    "another source for the same file keeps the text until it answers, and the place", "[gui][logs][view]")
{
    QTemporaryDir dir;
    const QString local = dir.filePath(QStringLiteral("local"));
    const QString server = dir.filePath(QStringLiteral("server"));
    write(local, lines(1, 3), QIODevice::Truncate);
    write(server, lines(1, 300000), QIODevice::Truncate); // about 3.4 MB: more than a window
    ViewFixture f(local);
    REQUIRE(f.waitText(QStringLiteral("line 3\n")));

    SECTION("a view that follows goes on following at the new source's end")
    {
        f.view.replaceSource(new ui::LocalFileLogSource(server));
        CHECK(f.view.text() == QLatin1String("line 1\nline 2\nline 3\n")); // until it answers
        REQUIRE(f.waitText(QStringLiteral("line 300000\n")));
        CHECK(f.view.isFollowing());
        CHECK(f.view.windowStart() > 0);
    }
    SECTION("a view that does not follow reopens where it was")
    {
        f.view.jumpToStart();
        REQUIRE(spinUntil([&] { return !f.view.isFollowing() && !f.view.textEdit()->isBusy(); }, 10000));
        f.view.replaceSource(new ui::LocalFileLogSource(server));
        REQUIRE(f.waitText(QStringLiteral("line 4\n")));
        CHECK(f.view.windowStart() == 0);
        CHECK_FALSE(f.view.isFollowing());
        spinUntil([] { return false; }, 300); // polls come and go: the place stays
        CHECK(f.view.windowStart() == 0);
        CHECK_FALSE(f.view.text().contains(QLatin1String("line 300000\n")));
    }
}

TEST_CASE("a window of more lines than the text holds keeps what was asked for", "[gui][logs][view][search]")
{
    // Short lines: a 2 MiB window holds more than LogTextEdit::MaxLines of them.
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("stdout"));
    write(path, lines(1, 400000, "") + "MARKER\n" + lines(1, 400000, ""), QIODevice::Truncate);
    ViewFixture f(path);
    REQUIRE(f.waitText(QStringLiteral("\n400000\n")));

    f.view.jumpToStart(); // the first line, not the window's last MaxLines
    REQUIRE(spinUntil([&] { return f.view.text().startsWith(QLatin1String("1\n2\n3\n")); }, 10000));
    CHECK(f.view.windowStart() == 0);

    f.view.find(QStringLiteral("marker")); // the match, not either end of the window read around it
    bool found = false;
    REQUIRE(f.waitSearch(&found));
    REQUIRE(found);
    REQUIRE(spinUntil([&] { return f.view.selectedText() == QLatin1String("MARKER"); }, 10000));
}
