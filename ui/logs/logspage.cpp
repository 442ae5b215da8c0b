// SPDX-License-Identifier: GPL-3.0-or-later
#include "logs/logspage.h"

#include "common/workerruns.h"
#include "logs/localfilelogsource.h"
#include "logs/logview.h"
#include "logs/remotelogsource.h"
#include "logs/runlogtabs.h"
#include "server/apijob.h"
#include "server/bundlestate.h"
#include "server/codalabclient.h"
#include "server/metadatakey.h"

#include <QDir>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QStackedWidget>
#include <QVBoxLayout>

namespace codalab::ui {

namespace {

constexpr int BundlePollMs = 3000;
/// REST reads cost the server more than a stat: poll remote files less often.
constexpr int RemotePollMs = 2000;
constexpr int LocalPollMs = 500;
/// A finished run writes nothing more; its files are still polled now and then, in case they are replaced.
constexpr int FinishedPollMs = 30000;

/// The server's own list (ready, failed, killed): worker_offline is not final, the run goes on when its
/// worker returns.
bool isFinal(const QString &state)
{
    return server::BundleState::isFinal(state);
}

QLabel *titleLabel(QWidget *parent)
{
    auto *label = new QLabel(parent);
    QFont font = label->font();
    font.setPointSizeF(font.pointSizeF() * 1.25);
    font.setBold(true);
    label->setFont(font);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    return label;
}

} // namespace

LogsPage::LogsPage(QWidget *parent)
    : QWidget(parent)
    , m_stack(new QStackedWidget(this))
    , m_empty(new QLabel(this))
    , m_runPage(new QWidget(this))
    , m_title(titleLabel(m_runPage))
    , m_followLabel(new QLabel(tr("Following the newest run of this computer's worker."), this))
    , m_followButton(new QPushButton(tr("Follow newest &run"), this))
    , m_notice(new QLabel(m_runPage))
    , m_tabs(new RunLogTabs(m_runPage))
    , m_stdout(m_tabs->stdoutView())
    , m_stderr(m_tabs->stderrView())
    , m_workerPage(new QWidget(this))
    , m_workerTitle(titleLabel(m_workerPage))
    , m_workerLog(new LogView(m_workerPage))
{
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setWordWrap(true);
    m_empty->setEnabled(false); // greyed, as a hint and not content

    m_followLabel->setEnabled(false);
    m_followButton->setToolTip(
        tr("Show the newest run of this computer's worker, and each newer one as soon as it starts"));
    auto *followBar = new QHBoxLayout;
    followBar->addStretch(1);
    followBar->addWidget(m_followLabel);
    followBar->addWidget(m_followButton);

    m_notice->setWordWrap(true);
    m_notice->setTextFormat(Qt::PlainText);
    m_notice->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    // Fixed dark-on-light colours, as the run details' notice: readable on light and dark themes alike.
    m_notice->setStyleSheet(QStringLiteral("QLabel { background: #fde7e9; color: #5f0a12; border: 1px solid "
                                           "#e8a0a8; border-radius: 4px; padding: 6px; }"));
    m_notice->hide();

    // The tab behind still follows its file while the page shows, so its size in the tab stays current.
    m_stdout->setVisibilityScope(this);
    m_stderr->setVisibilityScope(this);
    auto *runLayout = new QVBoxLayout(m_runPage);
    runLayout->addWidget(m_title);
    runLayout->addWidget(m_notice);
    runLayout->addWidget(m_tabs, 1);

    auto *workerLayout = new QVBoxLayout(m_workerPage);
    workerLayout->addWidget(m_workerTitle);
    workerLayout->addWidget(m_workerLog, 1);

    m_stack->addWidget(m_empty);
    m_stack->addWidget(m_runPage);
    m_stack->addWidget(m_workerPage);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(followBar);
    layout->addWidget(m_stack, 1);

    connect(m_followButton, &QPushButton::clicked, this, &LogsPage::followNewestRun);
    m_bundleTimer.setInterval(BundlePollMs);
    connect(&m_bundleTimer, &QTimer::timeout, this, &LogsPage::pollBundle);
    reset();
    updateEmptyText();
    updateFollowBar();
}

void LogsPage::setClient(server::CodaLabClient *client)
{
    m_defaultClient = client;
}

void LogsPage::reset()
{
    m_bundleTimer.stop();
    if (m_bundleJob) {
        m_bundleJob->cancel();
    }
    m_stack->setCurrentWidget(m_empty);
    m_tabs->stopPicking(); // nothing to pick from until a run is opened
    m_stdout->setSource(nullptr);
    m_stderr->setSource(nullptr);
    m_workerLog->setSource(nullptr);
    m_uuid.clear();
    m_localRun = false;
    m_shownStart = 0;
    m_state.clear();
    m_name.clear();
    m_client = nullptr;
    setFailure({});
    updateTitle();
    updateFollowBar();
}

void LogsPage::clear()
{
    followNewestRun();
}

void LogsPage::setFollowing(bool following)
{
    if (following != m_following) {
        m_following = following;
        Q_EMIT followingChanged(following);
    }
    updateEmptyText();
    updateFollowBar();
}

void LogsPage::followNewestRun()
{
    setFollowing(true);
    if (WorkerRuns::newest(m_status).isEmpty()) {
        reset();
        return;
    }
    m_shownStart = 0; // whatever is shown, the newest run replaces it
    followStatus();
}

void LogsPage::setWorkerStatus(const QJsonObject &status)
{
    m_status = status;
    if (WorkerRuns::knowsRuns(status)) {
        if (isShowingLocalRun()) {
            const QJsonObject run = WorkerRuns::find(status, m_uuid);
            if (!run.isEmpty()) {
                setRunState(run.value(QLatin1String("state")).toString());
                setFailure(run.value(QLatin1String("failure_message")).toString());
            } else if (m_defaultClient) {
                // The run left the worker (finished and uploaded): its directory goes, its output is on the
                // server.
                switchToRemote(m_defaultClient);
            }
        }
        if (m_following) {
            followStatus();
        }
    }
    updateEmptyText();
}

void LogsPage::followStatus()
{
    const QJsonObject newest = WorkerRuns::newest(m_status);
    if (newest.isEmpty()) {
        return; // a finished run stays in view until another starts
    }
    const QString uuid = newest.value(QLatin1String("uuid")).toString();
    const bool showing = m_stack->currentWidget() == m_runPage;
    if (showing && uuid == m_uuid) {
        m_shownStart = WorkerRuns::startTime(newest); // picked before, followed from now on
        return;
    }
    if (showing && WorkerRuns::startTime(newest) <= m_shownStart) {
        return; // an older run that goes on after the one shown ended
    }
    openLocal(uuid, WorkerRuns::runDir(newest));
    m_shownStart = WorkerRuns::startTime(newest);
    setRunState(newest.value(QLatin1String("state")).toString());
    setFailure(newest.value(QLatin1String("failure_message")).toString());
}

void LogsPage::showRunPage(const QString &uuid)
{
    reset();
    m_uuid = uuid;
    m_stdout->setMissingText(tr("The run has not written anything to stdout yet."));
    m_stderr->setMissingText(tr("The run has not written anything to stderr yet."));
    m_stack->setCurrentWidget(m_runPage);
    updateFollowBar();
}

void LogsPage::showRun(const QString &uuid)
{
    const QJsonObject run = WorkerRuns::find(m_status, uuid);
    if (!WorkerRuns::runDir(run).isEmpty()) {
        showLocalRun(uuid, WorkerRuns::runDir(run));
    } else if (m_defaultClient) {
        showRemoteRun(m_defaultClient, uuid);
    } else {
        setFollowing(false);
        reset();
        m_empty->setText(tr("Run %1 is not on this computer's worker, and no server is connected to read "
                            "it from.")
                             .arg(uuid.left(10)));
    }
}

void LogsPage::showLocalRun(const QString &uuid, const QString &runDir)
{
    setFollowing(false);
    openLocal(uuid, runDir);
    const QJsonObject run = WorkerRuns::find(m_status, uuid);
    if (!run.isEmpty()) {
        m_shownStart = WorkerRuns::startTime(run);
        setRunState(run.value(QLatin1String("state")).toString());
        setFailure(run.value(QLatin1String("failure_message")).toString());
    }
}

void LogsPage::openLocal(const QString &uuid, const QString &runDir)
{
    showRunPage(uuid);
    const QDir dir(runDir);
    m_stdout->setPollIntervalMs(LocalPollMs);
    m_stderr->setPollIntervalMs(LocalPollMs);
    m_stdout->setSource(new LocalFileLogSource(dir.filePath(QStringLiteral("stdout"))));
    m_stderr->setSource(new LocalFileLogSource(dir.filePath(QStringLiteral("stderr"))));
    // The worker deletes the run's directory once the run is done and uploaded.
    const QString removed = tr("The file was removed — the run finished; its output is on the server.");
    m_stdout->setRemovedText(removed);
    m_stderr->setRemovedText(removed);
    m_localRun = true;
    m_tabs->restart(); // the tab that has text, once the sizes are known
    updateTitle();
}

void LogsPage::showRemoteRun(server::CodaLabClient *client, const QString &uuid)
{
    setFollowing(false);
    openRemote(client, uuid);
}

void LogsPage::openRemote(server::CodaLabClient *client, const QString &uuid)
{
    showRunPage(uuid);
    m_client = client;
    m_stdout->setPollIntervalMs(RemotePollMs);
    m_stderr->setPollIntervalMs(RemotePollMs);
    m_stdout->setSource(new RemoteLogSource(client, uuid, QStringLiteral("stdout")));
    m_stderr->setSource(new RemoteLogSource(client, uuid, QStringLiteral("stderr")));
    setRemoteRemovedText();
    m_tabs->restart();
    updateTitle();
    startBundlePolling();
}

void LogsPage::switchToRemote(server::CodaLabClient *client)
{
    if (!isShowingLocalRun() || !client) {
        return;
    }
    // The views keep their text and place; only where they read from changes.
    m_localRun = false;
    m_client = client;
    const int pollMs = isFinal(m_state) ? FinishedPollMs : RemotePollMs;
    m_stdout->setPollIntervalMs(pollMs);
    m_stderr->setPollIntervalMs(pollMs);
    m_stdout->replaceSource(new RemoteLogSource(client, m_uuid, QStringLiteral("stdout")));
    m_stderr->replaceSource(new RemoteLogSource(client, m_uuid, QStringLiteral("stderr")));
    setRemoteRemovedText();
    startBundlePolling();
}

QString LogsPage::currentRunUuid() const
{
    return m_stack->currentWidget() == m_runPage ? m_uuid : QString();
}

bool LogsPage::isShowingLocalRun() const
{
    return m_localRun && m_stack->currentWidget() == m_runPage;
}

void LogsPage::setRemoteRemovedText()
{
    const QString text = tr("The server has no copy of this file now; this is what was read before.");
    m_stdout->setRemovedText(text);
    m_stderr->setRemovedText(text);
}

void LogsPage::startBundlePolling()
{
    // Only while someone looks: showEvent() starts it otherwise.
    if (isVisible() && m_client && !isFinal(m_state)) {
        pollBundle();
        m_bundleTimer.start();
    }
}

void LogsPage::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (m_client && !m_bundleJob && !isFinal(m_state)) {
        pollBundle(); // what changed while hidden, at once
        m_bundleTimer.start();
    } else if (m_client && m_name.isEmpty()) {
        pollBundle(); // opened while hidden: the name and state are still unknown
    }
}

void LogsPage::hideEvent(QHideEvent *event)
{
    QWidget::hideEvent(event);
    m_bundleTimer.stop();
}

void LogsPage::showWorkerLog(const QString &path)
{
    setFollowing(false);
    reset();
    m_workerLog->setPollIntervalMs(LocalPollMs);
    m_workerLog->setMissingText(tr("The worker has not written its log yet."));
    m_workerLog->setSource(new LocalFileLogSource(path));
    m_workerTitle->setText(tr("Worker log"));
    m_workerTitle->setToolTip(QDir::toNativeSeparators(path));
    m_stack->setCurrentWidget(m_workerPage);
    updateFollowBar();
    Q_EMIT titleChanged(title());
}

void LogsPage::setRunState(const QString &state)
{
    if (state != m_state) {
        m_state = state;
        updateTitle();
        setFailure(m_failure); // "Killed: …" or "Failed: …" once the state says so
    }
    if (isFinal(state)) {
        m_stdout->setPollIntervalMs(FinishedPollMs);
        m_stderr->setPollIntervalMs(FinishedPollMs);
    }
}

void LogsPage::setFailure(const QString &message)
{
    m_failure = message;
    QString text = message;
    if (!message.isEmpty() && m_state == server::BundleState::Killed) {
        text = tr("Killed: %1").arg(message);
    } else if (!message.isEmpty() && m_state == server::BundleState::Failed) {
        text = tr("Failed: %1").arg(message);
    }
    m_notice->setText(text);
    m_notice->setVisible(!text.isEmpty());
}

QString LogsPage::noticeText() const
{
    return m_notice->isHidden() ? QString() : m_notice->text();
}

void LogsPage::pollBundle()
{
    if (!m_client || m_bundleJob || !isVisible()) {
        return; // one request at a time, and none while nobody looks
    }
    m_bundleJob = m_client->bundle(m_uuid);
    connect(m_bundleJob, &server::ApiJob::finished, this, [this](const server::ApiResult &result) {
        if (!result.ok()) {
            return; // the title keeps the last state; the views say what fails
        }
        const QJsonObject attributes = result.json.object()
                                           .value(QLatin1String("data"))
                                           .toObject()
                                           .value(QLatin1String("attributes"))
                                           .toObject();
        const QJsonObject metadata = attributes.value(QLatin1String("metadata")).toObject();
        m_name = metadata.value(server::MetadataKey::Name).toString();
        m_failure = metadata.value(server::MetadataKey::FailureMessage).toString();
        setRunState(attributes.value(QLatin1String("state")).toString());
        setFailure(m_failure);
        updateTitle();
        if (isFinal(m_state)) {
            m_bundleTimer.stop();
        }
    });
}

QString LogsPage::title() const
{
    if (m_stack->currentWidget() == m_workerPage) {
        return m_workerTitle->text();
    }
    return m_title->text();
}

bool LogsPage::isEmptyState() const
{
    return m_stack->currentWidget() == m_empty;
}

QString LogsPage::emptyStateText() const
{
    return m_empty->text();
}

void LogsPage::updateEmptyText()
{
    if (m_following && WorkerRuns::knowsRuns(m_status)) {
        m_empty->setText(tr("No run on this computer's worker yet: the newest one shows here as soon as it "
                            "starts.\nTo read another run, select it on the Dashboard or in My runs."));
    } else if (m_following || m_uuid.isEmpty()) {
        m_empty->setText(tr("Select a run on the Dashboard or in My runs to see its output."));
    }
}

void LogsPage::updateFollowBar()
{
    m_followLabel->setVisible(m_following && m_stack->currentWidget() == m_runPage);
    m_followButton->setVisible(!m_following);
}

void LogsPage::updateTitle()
{
    QString text;
    if (!m_uuid.isEmpty()) {
        const QString shortId = m_uuid.left(10);
        text = m_name.isEmpty() ? tr("Run %1").arg(shortId) : tr("Run %1 (%2)").arg(shortId, m_name);
        if (!m_state.isEmpty()) {
            text = tr("%1 — %2").arg(text, m_state);
        }
    }
    m_title->setText(text);
    m_title->setToolTip(m_uuid);
    Q_EMIT titleChanged(text);
}

} // namespace codalab::ui
