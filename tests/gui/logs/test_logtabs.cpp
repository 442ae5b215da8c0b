// SPDX-License-Identifier: GPL-3.0-or-later
// Which tab a run's logs open on, and what an empty one says (#15 item 23): the tab that has text (stderr
// when the run wrote only there), a choice of the user's kept, an empty-state text that agrees with the
// size in the tab whatever answer came last, and the failure message of a run that ended without output.
#include "localserver/localserverfixture.h"
#include "logs/logsource.h"
#include "logs/logspage.h"
#include "logs/logtextedit.h"
#include "logs/logview.h"
#include "server/codalabclient.h"
#include "support/guitestsupport.h"
#include "support/spinuntil.h"

#include <QFile>
#include <QJsonArray>
#include <QTabWidget>
#include <QTemporaryDir>

#include <catch2/catch.hpp>

using namespace codalab;
using test::spinUntil;
using ui::LogsPage;
using ui::LogView;

namespace {

void write(const QString &path, const QByteArray &data)
{
    QFile file(path);
    REQUIRE(file.open(QIODevice::WriteOnly | QIODevice::Append));
    REQUIRE(file.write(data) == data.size());
}

QTabWidget *tabsOf(LogsPage &page)
{
    auto *tabs = page.findChild<QTabWidget *>();
    REQUIRE(tabs);
    return tabs;
}

/// A file whose size is answered and whose bytes are not, until release(): the moment between the two.
class HeldSource : public ui::LogSource
{
public:
    explicit HeldSource(qint64 size)
        : m_size(size)
    { }
    int requestSize() override
    {
        const int id = nextRequestId();
        QMetaObject::invokeMethod(
            this, [this, id] { Q_EMIT sizeKnown(id, m_size); }, Qt::QueuedConnection);
        return id;
    }
    int requestRange(qint64 offset, qint64) override
    {
        m_pending = { nextRequestId(), offset };
        return m_pending.first;
    }
    void release(const QByteArray &data) { Q_EMIT rangeRead(m_pending.first, m_pending.second, data); }
    bool isAsked() const { return m_pending.first > 0; }
    qint64 searchChunkBytes() const override { return 1024; }
    QString displayName() const override { return QStringLiteral("stdout"); }

private:
    qint64 m_size;
    QPair<int, qint64> m_pending { 0, 0 };
};

} // namespace

TEST_CASE("a run's logs open on the tab that has text", "[gui][logs][page][tabs]")
{
    QTemporaryDir dir;
    LogsPage page;
    page.resize(900, 500);
    page.show();
    QTabWidget *tabs = tabsOf(page);

    SECTION("only stderr: stderr, also when stdout exists but is empty")
    {
        const bool emptyStdout = GENERATE(false, true);
        if (emptyStdout) {
            write(dir.filePath(QStringLiteral("stdout")), {});
        }
        write(dir.filePath(QStringLiteral("stderr")), "Traceback (most recent call last):\n");
        page.showLocalRun(QStringLiteral("0xabc"), dir.path());
        REQUIRE(spinUntil([&] { return tabs->currentWidget() == page.stderrView(); }, 10000));
        REQUIRE(spinUntil(
            [&] { return page.stderrView()->text().startsWith(QLatin1String("Traceback")); }, 10000));
        CHECK(tabs->tabText(1) == QLatin1String("stderr (35 B)"));
    }
    SECTION("stdout has text: stdout, whatever stderr has")
    {
        write(dir.filePath(QStringLiteral("stdout")), "step 1\n");
        write(dir.filePath(QStringLiteral("stderr")), "warning\n");
        page.showLocalRun(QStringLiteral("0xabc"), dir.path());
        REQUIRE(spinUntil([&] { return page.stderrView()->fileSize() == 8; }, 10000));
        REQUIRE(spinUntil([&] { return page.stdoutView()->fileSize() == 7; }, 10000));
        CHECK(tabs->currentWidget() == page.stdoutView());
    }
    SECTION("neither yet: stdout, then the first that gets text; the user's choice stays")
    {
        page.showLocalRun(QStringLiteral("0xabc"), dir.path());
        REQUIRE(spinUntil([&] { return page.stderrView()->fileSize() == ui::LogSource::Missing; }, 10000));
        CHECK(tabs->currentWidget() == page.stdoutView());
        write(dir.filePath(QStringLiteral("stderr")), "warning\n");
        REQUIRE(spinUntil([&] { return tabs->currentWidget() == page.stderrView(); }, 10000));

        // The next run: stdout in front again; the user goes to stderr and stays there as stdout grows.
        QTemporaryDir next;
        page.showLocalRun(QStringLiteral("0xdef"), next.path());
        CHECK(tabs->currentWidget() == page.stdoutView());
        tabs->setCurrentWidget(page.stderrView());
        write(next.filePath(QStringLiteral("stdout")), "step 1\n");
        REQUIRE(spinUntil([&] { return page.stdoutView()->fileSize() == 7; }, 10000));
        CHECK(tabs->currentWidget() == page.stderrView());
    }
}

TEST_CASE("an empty view says what the size in its tab says", "[gui][logs][page][tabs]")
{
    LogsPage page;
    page.resize(900, 500);
    page.show();
    QTemporaryDir dir;
    page.showLocalRun(QStringLiteral("0xabc"), dir.path());
    QTabWidget *tabs = tabsOf(page);
    LogView *view = page.stdoutView();
    REQUIRE(spinUntil([&] { return view->fileSize() == ui::LogSource::Missing; }, 10000));
    CHECK(tabs->tabText(0) == QLatin1String("stdout"));
    CHECK(view->textEdit()->placeholderText()
        == QLatin1String("The run has not written anything to stdout yet."));

    // The size is known before the bytes are: the view says it reads them, not that there are none.
    auto *source = new HeldSource(21);
    view->setSource(source);
    CHECK(tabs->tabText(0) == QLatin1String("stdout")); // the old size went with the old file
    REQUIRE(spinUntil([&] { return source->isAsked(); }, 10000));
    CHECK(tabs->tabText(0) == QLatin1String("stdout (21 B)"));
    CHECK(view->text().isEmpty());
    const QString placeholder = view->textEdit()->placeholderText();
    INFO(placeholder.toStdString());
    CHECK(placeholder == QStringLiteral("Reading stdout (21 B)…"));
    source->release("twenty-one bytes here");
    CHECK(view->text() == QLatin1String("twenty-one bytes here"));

    // An empty file is empty in both places.
    view->setSource(new HeldSource(0));
    REQUIRE(spinUntil([&] { return view->fileSize() == 0; }, 10000));
    CHECK(tabs->tabText(0) == QLatin1String("stdout (0 B)"));
    CHECK(view->textEdit()->placeholderText() == QLatin1String("stdout is empty."));
}

TEST_CASE("a run that ended without output shows why", "[gui][logs][page][tabs]")
{
    SECTION("killed while staged, read from the server")
    {
        test::LocalServerFixture server;
        test::ClientSession session(server.server->url(), QStringLiteral("codalab"), server.password);
        const QString uuid = test::submit(session.client, test::testRun(QStringLiteral("sleep 9")));
        REQUIRE(test::waitServerState(session.client, uuid, QStringLiteral("staged"), 20000));
        REQUIRE(test::waitApi(session.client.kill(uuid)).ok());
        LogsPage page;
        page.resize(900, 500);
        page.show();
        page.showRemoteRun(&session.client, uuid);
        REQUIRE(
            spinUntil([&] { return page.noticeText() == QLatin1String("Killed: Kill requested"); }, 20000));
        CHECK(page.title().endsWith(QStringLiteral("— killed")));
    }
    SECTION("on this computer's worker, from its status")
    {
        QTemporaryDir dir;
        LogsPage page;
        page.resize(900, 500);
        page.show();
        QJsonObject run { { QStringLiteral("uuid"), QStringLiteral("0xabc") },
            { QStringLiteral("bundle_start_time"), 100.0 }, { QStringLiteral("run_dir"), dir.path() },
            { QStringLiteral("state"), QStringLiteral("running") },
            { QStringLiteral("failure_message"), QJsonValue() } };
        const auto status = [&run] { return QJsonObject { { QStringLiteral("runs"), QJsonArray { run } } }; };
        page.setWorkerStatus(status());
        REQUIRE(page.currentRunUuid() == QLatin1String("0xabc"));
        CHECK(page.noticeText().isEmpty());
        run[QLatin1String("state")] = QStringLiteral("finalizing");
        run[QLatin1String("failure_message")] = QStringLiteral("Out of memory");
        page.setWorkerStatus(status());
        CHECK(page.noticeText() == QLatin1String("Out of memory"));
    }
}
