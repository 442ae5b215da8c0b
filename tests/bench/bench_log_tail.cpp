// SPDX-License-Identifier: GPL-3.0-or-later
// Benchmark P5 of the Logs pane (issue #8: "the GUI tailing a 2 GB stdout that grows at 50 MB/s: largest
// event-loop stall < 50 ms"): a LogView, shown on the offscreen platform, over a sparse file of --gigabytes
// GB whose last lines and a marker in the middle are real text. The stall is the longest gap between the
// ticks of a 10 ms QTimer. The follow step runs twice in this process, a writer thread appending --mbps MB/s
// of log lines for --seconds seconds each time: first with the view showing no file (the baseline: what the
// writer and the machine cost the event loop), then with the view following the file; it prints both, their
// ratio, the rate reached and whether the view caught up with the end once the writer stopped. The other
// steps time opening the file, searching to the marker, searching the whole file for text that is not
// there, and jumping to the start and back. Prints figures; never fails on time.
//
//   bench_log_tail [--gigabytes N] [--seconds N] [--mbps MB_PER_SECOND]
#include "logs/localfilelogsource.h"
#include "logs/logview.h"
#include "support/procstatus.h"
#include "support/spinuntil.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTimer>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <thread>
#include <utility>

using namespace codalab;

namespace {

/// The longest time between two ticks of a 10 ms timer while it runs, and how many gaps were over 50 ms.
class StallMeter
{
public:
    StallMeter()
    {
        m_timer.setInterval(10);
        m_timer.setTimerType(Qt::PreciseTimer);
        QObject::connect(&m_timer, &QTimer::timeout, [this]() {
            const qint64 gap = m_clock.restart();
            m_worst = qMax(m_worst, gap);
            m_over50 += gap > 50 ? 1 : 0;
            ++m_ticks;
        });
    }
    void start()
    {
        m_worst = 0;
        m_ticks = 0;
        m_over50 = 0;
        m_clock.start();
        m_timer.start();
    }
    qint64 stop()
    {
        m_timer.stop();
        return qMax(m_worst, m_clock.elapsed());
    }
    int ticks() const { return m_ticks; }
    int gapsOver50() const { return m_over50; }

private:
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_worst = 0;
    int m_ticks = 0;
    int m_over50 = 0;
};

void report(const char *phase, qint64 elapsedMs, qint64 worstGapMs)
{
    std::printf("%-44s %8lld ms   longest gap between 10 ms ticks: %4lld ms%s\n", phase,
        static_cast<long long>(elapsedMs), static_cast<long long>(worstGapMs),
        worstGapMs > 50 ? "   (over 50 ms)" : "");
    std::fflush(stdout);
}

QByteArray textLines(int count, const char *prefix)
{
    QByteArray out;
    for (int i = 1; i <= count; ++i) {
        out += prefix + QByteArray::number(i) + " loss=0.4187 acc=0.8812 lr=0.001 time=0.412s\n";
    }
    return out;
}

bool waitSearch(ui::LogView &view, const QString &text, bool *found)
{
    QSignalSpy done(&view, &ui::LogView::searchFinished);
    view.find(text);
    if (!test::spinUntil([&] { return !done.isEmpty(); }, 600000, 1)) {
        return false;
    }
    *found = done.first().first().toBool();
    return true;
}

/// What one follow step's writer did.
struct Written
{
    qint64 bytes = 0;
    double seconds = 0;
    double mbps() const { return seconds > 0 ? double(bytes) / 1e6 / seconds : 0; }
};

/// Appends whole log lines to `path` at `mbps` MB/s (10^6 bytes) from a thread of its own for `seconds`,
/// while this thread's event loop runs; returns once the writer has stopped. The lines come from a block made
/// once, so that the writer costs the machine little more than the writes themselves.
Written appendAtRate(const QString &path, double mbps, int seconds)
{
    QByteArray block;
    for (int line = 0; block.size() < 64 * 1024; ++line) {
        block += "following " + QByteArray::number(line) + " loss=0.4187 acc=0.8812 lr=0.001 time=0.412s\n";
    }
    std::atomic<bool> writing { true };
    Written written;
    std::thread writer([&]() {
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly | QIODevice::Append | QIODevice::Unbuffered)) {
            std::fprintf(stderr, "cannot append to %s\n", qPrintable(path));
            return;
        }
        QElapsedTimer clock;
        clock.start();
        while (writing) {
            const auto due = qint64(double(clock.nsecsElapsed()) / 1e9 * mbps * 1e6);
            while (written.bytes + block.size() <= due) {
                if (file.write(block) != block.size()) {
                    std::fprintf(stderr, "cannot append to %s\n", qPrintable(path));
                    return;
                }
                written.bytes += block.size();
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
        }
        written.seconds = double(clock.nsecsElapsed()) / 1e9;
    });
    test::spinUntil([] { return false; }, seconds * 1000, 100);
    writing = false;
    writer.join();
    return written;
}

} // namespace

int main(int argc, char *argv[])
{
    if (!qEnvironmentVariableIsSet("QT_QPA_PLATFORM")) {
        qputenv("QT_QPA_PLATFORM", "offscreen");
    }
    QApplication app(argc, argv);
    qint64 gigabytes = 2;
    int seconds = 10;
    double mbps = 50;
    const QStringList args = app.arguments();
    for (int i = 1; i < args.size(); i += 2) {
        const QString value = i + 1 < args.size() ? args.at(i + 1) : QString();
        bool ok = false;
        if (args.at(i) == QLatin1String("--gigabytes")) {
            gigabytes = value.toLongLong(&ok);
            ok = ok && gigabytes > 0;
        } else if (args.at(i) == QLatin1String("--seconds")) {
            seconds = value.toInt(&ok);
            ok = ok && seconds > 0;
        } else if (args.at(i) == QLatin1String("--mbps")) {
            mbps = value.toDouble(&ok);
            ok = ok && mbps > 0;
        }
        if (!ok) {
            std::fprintf(
                stderr, "usage: bench_log_tail [--gigabytes N] [--seconds N] [--mbps MB_PER_SECOND]\n");
            return 2;
        }
    }

    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("stdout"));
    const qint64 size = gigabytes * 1024 * 1024 * 1024;
    {
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly) || !file.write("first line\n") || !file.resize(size)
            || !file.seek(size / 2) || !file.write("\nMARKER in the middle\n") || !file.seek(size)
            || !file.write("\n" + textLines(5000, "step "))) {
            std::fprintf(stderr, "cannot make the sparse file %s\n", qPrintable(path));
            return 1;
        }
    }
    std::printf("file: %lld bytes (sparse), window %lld bytes, Qt %s, platform %s, %s\n",
        static_cast<long long>(QFileInfo(path).size()),
        static_cast<long long>(ui::LogView::DefaultWindowBytes), qVersion(),
        qPrintable(QGuiApplication::platformName()), codalab::test::loadAverageText().constData());

    ui::LogView view;
    view.resize(1000, 600);
    view.show();
    StallMeter meter;
    QElapsedTimer clock;

    // The baseline: the same writer, the view shown but with no file.
    meter.start();
    const Written idle = appendAtRate(path, mbps, seconds);
    const qint64 baselineStall = meter.stop();
    std::printf("follow baseline: writer at %.0f MB/s for %d s, the view showing no file: reached %.1f MB/s, "
                "longest gap between 10 ms ticks %lld ms (%d ticks, %d gaps over 50 ms)\n",
        mbps, seconds, idle.mbps(), static_cast<long long>(baselineStall), meter.ticks(), meter.gapsOver50());

    meter.start();
    clock.start();
    view.setSource(new ui::LocalFileLogSource(path));
    test::spinUntil([&] { return view.windowEnd() >= QFileInfo(path).size(); }, 60000, 1);
    report("open: time to the last lines on screen", clock.elapsed(), meter.stop());

    int updates = 0;
    QObject::connect(&view, &ui::LogView::windowChanged, &view, [&updates] { ++updates; });
    meter.start();
    const Written followed = appendAtRate(path, mbps, seconds);
    const qint64 followStall = meter.stop();
    const int followTicks = meter.ticks();
    const int followOver50 = meter.gapsOver50();
    const int followUpdates = std::exchange(updates, 0);
    const qint64 finalSize = QFileInfo(path).size();
    meter.start();
    clock.start();
    const bool keptUp = test::spinUntil([&] { return view.windowEnd() >= finalSize; }, 30000, 1);
    const qint64 catchUpMs = clock.elapsed();
    const qint64 catchUpStall = meter.stop();
    std::printf("follow: writer at %.0f MB/s for %d s, the view following: reached %.1f MB/s, longest gap "
                "between 10 ms ticks %lld ms (%d ticks, %d gaps over 50 ms; the window changed %d times)%s\n",
        mbps, seconds, followed.mbps(), static_cast<long long>(followStall), followTicks, followOver50,
        followUpdates, followStall > 50 ? "   (over 50 ms)" : "");
    std::printf("  ratio to the baseline: %.2f (%lld ms / %lld ms); caught up with the end after the writer "
                "stopped: %s, in %lld ms (longest gap %lld ms)\n",
        double(followStall) / double(qMax<qint64>(1, baselineStall)), static_cast<long long>(followStall),
        static_cast<long long>(baselineStall), keptUp ? "yes" : "NO", static_cast<long long>(catchUpMs),
        static_cast<long long>(catchUpStall));
    std::printf("  file now %lld bytes; window %lld bytes, %d lines in the widget\n",
        static_cast<long long>(finalSize), static_cast<long long>(view.windowEnd() - view.windowStart()),
        int(view.text().count(QLatin1Char('\n'))));

    bool found = false;
    meter.start();
    clock.start();
    const bool searched = waitSearch(view, QStringLiteral("marker in the middle"), &found);
    test::spinUntil([&] { return !view.selectedText().isEmpty(); }, 30000, 1);
    report("search: to a marker half-way (wrapping)", clock.elapsed(), meter.stop());
    std::printf(
        "  found: %s, selected \"%s\"\n", searched && found ? "yes" : "no", qPrintable(view.selectedText()));

    meter.start();
    clock.start();
    const bool scanned = waitSearch(view, QStringLiteral("text that is nowhere"), &found);
    report("search: the whole file, no match", clock.elapsed(), meter.stop());
    std::printf("  finished: %s, found: %s\n", scanned ? "yes" : "no", found ? "yes" : "no");

    meter.start();
    clock.start();
    view.jumpToStart();
    test::spinUntil([&] { return view.text().startsWith(QLatin1String("first line")); }, 30000, 1);
    report("jump to the start", clock.elapsed(), meter.stop());

    meter.start();
    clock.start();
    view.jumpToEnd();
    test::spinUntil([&] { return view.windowEnd() >= finalSize && view.isFollowing(); }, 30000, 1);
    report("jump to the end", clock.elapsed(), meter.stop());
    return 0;
}
