// SPDX-License-Identifier: GPL-3.0-or-later
// Benchmark of the Logs pane (issue #8: "GUI tail of a 2 GB file: no event-loop stall over 50 ms"): a
// LogView, shown on the offscreen platform, over a sparse file of --gigabytes GB whose last lines and a
// marker in the middle are real text. Prints the time to the first text, then the longest gap between the
// ticks of a 10 ms QTimer (the worst event-loop stall) while it opens the file, follows a writer thread
// appending
// --rate lines a second for --seconds seconds, searches to the marker, searches the whole file for text that
// is not there, and jumps to the start and back to the end. Prints figures; never fails on time.
//
//   bench_log_tail [--gigabytes N] [--seconds N] [--rate LINES_PER_SECOND]
#include "logs/localfilelogsource.h"
#include "logs/logview.h"
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
#include <thread>

using namespace codalab;

namespace {

/// The longest time between two ticks of a 10 ms timer while it runs.
class StallMeter
{
public:
    StallMeter()
    {
        m_timer.setInterval(10);
        m_timer.setTimerType(Qt::PreciseTimer);
        QObject::connect(&m_timer, &QTimer::timeout, [this]() {
            m_worst = qMax(m_worst, m_clock.restart());
            ++m_ticks;
        });
    }
    void start()
    {
        m_worst = 0;
        m_ticks = 0;
        m_clock.start();
        m_timer.start();
    }
    qint64 stop()
    {
        m_timer.stop();
        return qMax(m_worst, m_clock.elapsed());
    }
    int ticks() const { return m_ticks; }

private:
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_worst = 0;
    int m_ticks = 0;
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

} // namespace

int main(int argc, char *argv[])
{
    if (!qEnvironmentVariableIsSet("QT_QPA_PLATFORM")) {
        qputenv("QT_QPA_PLATFORM", "offscreen");
    }
    QApplication app(argc, argv);
    qint64 gigabytes = 2;
    int seconds = 5;
    int rate = 20000;
    const QStringList args = app.arguments();
    for (int i = 1; i + 1 < args.size(); i += 2) {
        if (args.at(i) == QLatin1String("--gigabytes")) {
            gigabytes = args.at(i + 1).toLongLong();
        } else if (args.at(i) == QLatin1String("--seconds")) {
            seconds = args.at(i + 1).toInt();
        } else if (args.at(i) == QLatin1String("--rate")) {
            rate = args.at(i + 1).toInt();
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
    std::printf("file: %lld bytes (sparse), window %lld bytes, Qt %s, platform %s\n",
        static_cast<long long>(QFileInfo(path).size()),
        static_cast<long long>(ui::LogView::DefaultWindowBytes), qVersion(),
        qPrintable(QGuiApplication::platformName()));

    ui::LogView view;
    view.resize(1000, 600);
    view.show();
    StallMeter meter;
    QElapsedTimer clock;

    meter.start();
    clock.start();
    view.setSource(new ui::LocalFileLogSource(path));
    test::spinUntil([&] { return view.text().contains(QLatin1String("step 5000 ")); }, 60000, 1);
    report("open: time to the last lines on screen", clock.elapsed(), meter.stop());

    // A writer thread appends lines as a busy training run would.
    std::atomic<bool> writing { true };
    std::atomic<qint64> written { 0 };
    std::thread writer([&]() {
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly | QIODevice::Append)) {
            return;
        }
        int line = 0;
        QElapsedTimer sinceStart;
        sinceStart.start();
        while (writing) {
            const int due = int(sinceStart.elapsed() * rate / 1000);
            QByteArray batch;
            for (; line < due; ++line) {
                batch += "following " + QByteArray::number(line) + " loss=0.4187 acc=0.8812\n";
            }
            file.write(batch);
            file.flush();
            written += batch.size();
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
    });
    meter.start();
    clock.start();
    test::spinUntil([] { return false; }, seconds * 1000, 1);
    writing = false;
    writer.join();
    const qint64 finalSize = QFileInfo(path).size();
    test::spinUntil([&] { return view.windowEnd() >= finalSize; }, 30000, 1);
    report(qPrintable(QStringLiteral("follow: %1 lines/s for %2 s, then caught up").arg(rate).arg(seconds)),
        clock.elapsed(), meter.stop());
    std::printf("  appended %lld bytes; window %lld bytes, %d lines in the widget\n",
        static_cast<long long>(written.load()), static_cast<long long>(view.windowEnd() - view.windowStart()),
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
