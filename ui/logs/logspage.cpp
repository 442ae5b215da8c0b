// SPDX-License-Identifier: GPL-3.0-or-later
#include "logs/logspage.h"

#include "common/units.h"
#include "logs/localfilelogsource.h"
#include "logs/logview.h"
#include "logs/remotelogsource.h"
#include "server/apijob.h"
#include "server/bundlestate.h"
#include "server/codalabclient.h"

#include <QDir>
#include <QJsonObject>
#include <QLabel>
#include <QStackedWidget>
#include <QTabWidget>
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
    , m_empty(new QLabel(tr("Select a run on the Dashboard or in My runs to see its output."), this))
    , m_runPage(new QWidget(this))
    , m_title(titleLabel(m_runPage))
    , m_tabs(new QTabWidget(m_runPage))
    , m_stdout(new LogView(m_tabs))
    , m_stderr(new LogView(m_tabs))
    , m_workerPage(new QWidget(this))
    , m_workerTitle(titleLabel(m_workerPage))
    , m_workerLog(new LogView(m_workerPage))
{
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setWordWrap(true);
    m_empty->setEnabled(false); // greyed, as a hint and not content

    m_tabs->addTab(m_stdout, QString());
    m_tabs->addTab(m_stderr, QString());
    // The tab behind still follows its file while the page shows, so its size in the tab stays current.
    m_stdout->setVisibilityScope(this);
    m_stderr->setVisibilityScope(this);
    m_tabs->setDocumentMode(true);
    auto *runLayout = new QVBoxLayout(m_runPage);
    runLayout->addWidget(m_title);
    runLayout->addWidget(m_tabs, 1);

    auto *workerLayout = new QVBoxLayout(m_workerPage);
    workerLayout->addWidget(m_workerTitle);
    workerLayout->addWidget(m_workerLog, 1);

    m_stack->addWidget(m_empty);
    m_stack->addWidget(m_runPage);
    m_stack->addWidget(m_workerPage);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_stack);

    connect(m_stdout, &LogView::sizeChanged, this, &LogsPage::updateTabs);
    connect(m_stderr, &LogView::sizeChanged, this, &LogsPage::updateTabs);
    m_bundleTimer.setInterval(BundlePollMs);
    connect(&m_bundleTimer, &QTimer::timeout, this, &LogsPage::pollBundle);
    clear();
}

void LogsPage::clear()
{
    m_bundleTimer.stop();
    if (m_bundleJob) {
        m_bundleJob->cancel();
    }
    m_stdout->setSource(nullptr);
    m_stderr->setSource(nullptr);
    m_workerLog->setSource(nullptr);
    m_uuid.clear();
    m_localRun = false;
    m_state.clear();
    m_name.clear();
    m_client = nullptr;
    m_stack->setCurrentWidget(m_empty);
    updateTitle();
}

void LogsPage::showRunPage(const QString &uuid)
{
    clear();
    m_uuid = uuid;
    m_stdout->setMissingText(tr("The run has not written anything to stdout yet."));
    m_stderr->setMissingText(tr("The run has not written anything to stderr yet."));
    m_tabs->setCurrentWidget(m_stdout);
    m_stack->setCurrentWidget(m_runPage);
}

void LogsPage::showLocalRun(const QString &uuid, const QString &runDir)
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
    updateTitle();
    updateTabs();
}

void LogsPage::showRemoteRun(server::CodaLabClient *client, const QString &uuid)
{
    showRunPage(uuid);
    m_client = client;
    m_stdout->setPollIntervalMs(RemotePollMs);
    m_stderr->setPollIntervalMs(RemotePollMs);
    m_stdout->setSource(new RemoteLogSource(client, uuid, QStringLiteral("stdout")));
    m_stderr->setSource(new RemoteLogSource(client, uuid, QStringLiteral("stderr")));
    setRemoteRemovedText();
    updateTitle();
    updateTabs();
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
    clear();
    m_workerLog->setPollIntervalMs(LocalPollMs);
    m_workerLog->setMissingText(tr("The worker has not written its log yet."));
    m_workerLog->setSource(new LocalFileLogSource(path));
    m_workerTitle->setText(tr("Worker log"));
    m_workerTitle->setToolTip(QDir::toNativeSeparators(path));
    m_stack->setCurrentWidget(m_workerPage);
    Q_EMIT titleChanged(title());
}

void LogsPage::setRunState(const QString &state)
{
    if (state != m_state) {
        m_state = state;
        updateTitle();
    }
    if (isFinal(state)) {
        m_stdout->setPollIntervalMs(FinishedPollMs);
        m_stderr->setPollIntervalMs(FinishedPollMs);
    }
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
        m_name
            = attributes.value(QLatin1String("metadata")).toObject().value(QLatin1String("name")).toString();
        setRunState(attributes.value(QLatin1String("state")).toString());
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

void LogsPage::updateTabs()
{
    const auto label = [](const QString &name, qint64 size) {
        if (size < 0) {
            return name;
        }
        return tr("%1 (%2)").arg(name, Units::bytes(double(size)));
    };
    m_tabs->setTabText(0, label(QStringLiteral("stdout"), m_stdout->fileSize()));
    m_tabs->setTabText(1, label(QStringLiteral("stderr"), m_stderr->fileSize()));
}

} // namespace codalab::ui
