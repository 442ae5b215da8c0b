// SPDX-License-Identifier: GPL-3.0-or-later
// The byte window behind a LogView (partial lines, split UTF-8, carriage returns, trimming, offsets) and
// LogSearch over a source with tiny chunks, so matches straddle chunk boundaries.
#include "logs/logsearch.h"
#include "logs/logsource.h"
#include "logs/logwindow.h"
#include "support/spinuntil.h"

#include <QSignalSpy>
#include <QTimer>

#include <catch2/catch.hpp>

using namespace codalab;
using ui::LogWindow;

namespace {

/// A log in memory, answering later as a real source does, with chunks of a few bytes.
class MemoryLogSource : public ui::LogSource
{
public:
    explicit MemoryLogSource(QByteArray data)
        : m_data(std::move(data))
    { }
    int requestSize() override
    {
        const int request = nextRequestId();
        QTimer::singleShot(0, this, [this, request]() { Q_EMIT sizeKnown(request, m_data.size()); });
        return request;
    }
    int requestRange(qint64 offset, qint64 length) override
    {
        const int request = nextRequestId();
        ++reads;
        QTimer::singleShot(0, this, [this, request, offset, length]() {
            Q_EMIT rangeRead(request, offset, m_data.mid(offset, length));
        });
        return request;
    }
    qint64 searchChunkBytes() const override { return 7; }
    QString displayName() const override { return QStringLiteral("memory"); }
    int reads = 0;

private:
    QByteArray m_data;
};

struct SearchOutcome
{
    qint64 offset = -1;
    bool wrapped = false;
    bool done = false;
};

SearchOutcome search(ui::LogSource &source, const QByteArray &needle, qint64 from, bool backwards,
    Qt::CaseSensitivity cs = Qt::CaseSensitive)
{
    ui::LogSearch s(&source, needle, cs);
    SearchOutcome outcome;
    QObject::connect(&s, &ui::LogSearch::found, [&](qint64 offset, bool wrapped) {
        outcome = { offset, wrapped, true };
    });
    QObject::connect(&s, &ui::LogSearch::notFound, [&]() { outcome.done = true; });
    QObject::connect(&s, &ui::LogSearch::failed, [&]() { outcome.done = true; });
    QSignalSpy sizes(&source, &ui::LogSource::sizeKnown);
    source.requestSize();
    REQUIRE(sizes.wait(5000));
    s.start(from, sizes.first().at(1).toLongLong(), backwards);
    REQUIRE(test::spinUntil([&] { return outcome.done; }, 10000));
    return outcome;
}

} // namespace

TEST_CASE(
    "a window from the start of a file shows whole lines and holds back a partial one", "[logs][window]")
{
    LogWindow w;
    CHECK(w.reset(0, "one\ntwo\nthr", false) == QLatin1String("one\ntwo\n"));
    CHECK(w.shownEnd() == 8);
    CHECK(w.end() == 11); // the partial line waits for the rest
    CHECK_FALSE(w.atFileEnd());
    CHECK(w.append("ee\nfour", true) == QLatin1String("three\nfour"));
    CHECK(w.end() == 18);
    CHECK(w.atFileEnd());
}

TEST_CASE("a window starting mid-line drops that partial first line", "[logs][window]")
{
    LogWindow w;
    CHECK(w.reset(100, "tail of a line\nnext line\nlast", true) == QLatin1String("next line\nlast"));
    CHECK(w.start() == 115);
    CHECK(w.contains(115));
    CHECK_FALSE(w.contains(114));
    // However long (the zeros before the end of a sparse file).
    const QByteArray huge(3 * 1024 * 1024, '\0');
    CHECK(w.reset(100, huge + "\nend\n", true) == QLatin1String("end\n"));
    // Unless nothing would be left.
    CHECK(w.reset(100, "one line\n", true) == QLatin1String("one line\n"));
    CHECK(w.start() == 100);
}

TEST_CASE(
    "a line longer than MaxLineBytes is shown in pieces, and offsets count the breaks", "[logs][window]")
{
    constexpr int Max = int(LogWindow::MaxLineBytes);
    LogWindow w;
    const QByteArray longLine = QByteArray(Max * 2 + 10, 'a') + "HIT" + "\n";
    const QString text = w.reset(0, "short\n" + longLine + "next\n", true);
    CHECK(text.count(QLatin1Char('\n')) == 5); // short, two full pieces, the rest, next
    CHECK(w.lineBreaks() == 5);
    CHECK(text.indexOf(QLatin1String("HIT")) == w.charPosition(6 + Max * 2 + 10));
    CHECK(w.lineOffset(1) == 6);
    CHECK(w.lineOffset(2) == 6 + Max);
    CHECK(w.lineOffset(3) == 6 + 2 * Max);
    CHECK(w.lineOffset(4) == 6 + longLine.size());
    // A piece continues across appends, and UTF-8 is never cut.
    LogWindow a;
    const QByteArray euro = "\xe2\x82\xac";
    a.reset(0, QByteArray(Max, 'b'), true);
    const QString more = a.append(euro + "c\n", true);
    CHECK(more == QStringLiteral("\n€c\n"));
    CHECK(a.charPosition(Max) == Max + 1); // the euro sign comes after the break
    // Trimming at a break removes it with the piece before it.
    const int before = int(text.size());
    const int removed = w.trimFront(w.shownBytes() - 100, 1000);
    CHECK(removed == 6 + Max + 1); // "short\n", the first piece and its break
    CHECK(w.start() == 6 + Max);
    CHECK(w.lineBreaks() == 3);
    CHECK(w.charPosition(6 + Max * 2 + 10) == text.indexOf(QLatin1String("HIT")) - removed);
    CHECK(before - removed == w.charPosition(w.shownEnd()));
}

TEST_CASE("UTF-8 split between reads and carriage returns keep text and offsets in step", "[logs][window]")
{
    LogWindow w;
    const QByteArray e = QStringLiteral("é").toUtf8();
    REQUIRE(e.size() == 2);
    CHECK(w.reset(0, "caf" + e.left(1), true) == QLatin1String("caf"));
    CHECK(w.end() == 4);
    CHECK(w.append(e.mid(1) + "\n", true) == QStringLiteral("é\n"));
    // "\r\n" shows as " \n"; a lone "\r" (a progress bar) as a line break; a trailing "\r" waits.
    CHECK(w.append("dos\r\nbar 10%\rbar 20%\r", true) == QLatin1String("dos \nbar 10%\nbar 20%"));
    CHECK(w.append("\nok\n", true) == QLatin1String(" \nok\n"));
    // Offsets: "café\n" is 6 bytes and 5 characters.
    CHECK(w.charPosition(6) == 5);
    CHECK(w.lineOffset(0) == 0);
    CHECK(w.lineOffset(1) == 6);
    CHECK(w.lineOffset(2) == 6 + 5); // "dos\r\n"
    CHECK(w.lineOffset(3) == 6 + 5 + 8); // "bar 10%\r" is a line of its own
    CHECK(LogWindow::completePrefix("ab\xe2\x82") == 2);
    CHECK(LogWindow::completePrefix("ab\xe2\x82\xac") == 5);
    CHECK(LogWindow::completePrefix("ab\r") == 2);
}

TEST_CASE("trimming keeps whole lines and moves the window", "[logs][window]")
{
    LogWindow w;
    QByteArray data;
    for (int i = 0; i < 10; ++i) {
        data += "line " + QByteArray::number(i) + '\n'; // 7 bytes each
    }
    w.reset(0, data, true);
    CHECK(w.trimFront(30, 100) == 42); // the first whole lines past the excess: 6 lines
    CHECK(w.start() == 42);
    CHECK(w.shownBytes() == 28);
    CHECK(w.lineBreaks() == 4);
    CHECK(w.trimFront(100, 100) == 0);
    CHECK(w.trimFront(100, 3) == 7); // at most 3 lines
    CHECK(w.start() == 49);
    LogWindow l;
    l.reset(0, data, true);
    CHECK(w.prepend(42, "line 6\n") == QLatin1String("line 6\n"));
    CHECK(w.start() == 42);
    // From the bottom: the window no longer reaches the end of the file.
    CHECK(w.trimBack(15, 100) == 14);
    CHECK(w.shownEnd() == 56);
    CHECK(w.end() == 56);
    CHECK_FALSE(w.atFileEnd());
    CHECK(l.trimBack(1000, 2) == 56);
    CHECK(l.shownEnd() == 14);
    // A prepended chunk starting mid-line loses that partial line.
    LogWindow p;
    p.reset(20, "c\nd\n", true);
    CHECK(p.start() == 22);
    CHECK(p.prepend(16, "xx\nab\n") == QLatin1String("ab\n"));
    CHECK(p.start() == 19);
}

TEST_CASE("a search finds matches across chunk boundaries, in both directions, and wraps", "[logs][search]")
{
    // NEEDLE at 6 and 31, needle at 24.
    MemoryLogSource source("alpha NEEDLE beta\ngamma needle NEEDLE end\n");
    SECTION("forwards from the start, a match straddling the first chunk boundary")
    {
        const auto r = search(source, "NEEDLE", 0, false);
        CHECK(r.offset == 6);
        CHECK_FALSE(r.wrapped);
    }
    SECTION("forwards after the first match")
    {
        CHECK(search(source, "NEEDLE", 7, false).offset == 31);
        CHECK(source.reads > 1);
    }
    SECTION("case-insensitive")
    {
        CHECK(search(source, "NEEDLE", 7, false, Qt::CaseInsensitive).offset == 24);
    }
    SECTION("forwards past the last match wraps to the first")
    {
        const auto r = search(source, "NEEDLE", 32, false);
        CHECK(r.offset == 6);
        CHECK(r.wrapped);
    }
    SECTION("backwards from a match finds the one before it")
    {
        const auto r = search(source, "NEEDLE", 31, true);
        CHECK(r.offset == 6);
        CHECK_FALSE(r.wrapped);
    }
    SECTION("backwards before the first match wraps to the last")
    {
        const auto r = search(source, "NEEDLE", 6, true);
        CHECK(r.offset == 31);
        CHECK(r.wrapped);
    }
    SECTION("no match anywhere")
    {
        const auto r = search(source, "absent", 10, false);
        CHECK(r.done);
        CHECK(r.offset == -1);
    }
}
