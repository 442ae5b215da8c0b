// SPDX-License-Identifier: GPL-3.0-or-later
#include "cluster/clusterpage.h"

#include "cluster/clustercontroller.h"
#include "cluster/clusterjobsmodel.h"
#include "cluster/clustermenu.h"
#include "cluster/clusterprofiledialog.h"
#include "common/units.h"

#include <QComboBox>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QLabel>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QSplitter>
#include <QStackedWidget>
#include <QTableView>
#include <QVBoxLayout>

namespace codalab::ui {

ClusterPage::ClusterPage(ClusterController *controller, QWidget *parent)
    : QWidget(parent)
    , m_controller(controller)
    , m_jobs(new ClusterJobsModel(this))
    , m_stack(new QStackedWidget(this))
    , m_clusters(new QComboBox)
    , m_edit(new QPushButton(tr("&Edit…")))
    , m_remove(new QPushButton(tr("Remo&ve")))
    , m_reach(new QLabel)
    , m_headline(new QLabel)
    , m_startStop(new QPushButton)
    , m_pauseResume(new QPushButton)
    , m_limits(new QLabel)
    , m_refused(new QLabel)
    , m_view(new QTableView)
    , m_logTitle(new QLabel)
    , m_log(new QPlainTextEdit)
{
    m_clusters->setObjectName(QStringLiteral("clusters"));
    m_headline->setObjectName(QStringLiteral("headline"));
    m_startStop->setObjectName(QStringLiteral("startStop"));
    m_pauseResume->setObjectName(QStringLiteral("pauseResume"));
    m_log->setObjectName(QStringLiteral("jobLog"));

    // With no cluster: what one is, and the way to add it.
    auto *empty = new QWidget;
    auto *emptyLayout = new QVBoxLayout(empty);
    auto *explain = new QLabel(tr("<h3>No cluster yet</h3><p>Runs that outgrow this workstation can go to a "
                                  "Slurm cluster. Add your cluster: CodaLab Desktop then starts a worker "
                                  "manager that submits a Slurm job for each run of the cluster's queue "
                                  "tag, and each job runs a CodaLab worker for that run.</p><p>Slurm is "
                                  "reached on this computer (sbatch on PATH) or on a login node over ssh, "
                                  "with your own ssh configuration and agent.</p>"));
    explain->setWordWrap(true);
    auto *add = new QPushButton(tr("&Add a cluster…"));
    add->setObjectName(QStringLiteral("addFirst"));
    connect(add, &QPushButton::clicked, this, &ClusterPage::addCluster);
    emptyLayout->addStretch();
    emptyLayout->addWidget(explain);
    emptyLayout->addWidget(add, 0, Qt::AlignLeft);
    emptyLayout->addStretch();

    auto *main = new QWidget;
    auto *top = new QHBoxLayout;
    auto *addMore = new QPushButton(tr("&Add…"));
    top->addWidget(new QLabel(tr("Cluster:")));
    top->addWidget(m_clusters, 1);
    top->addWidget(addMore);
    top->addWidget(m_edit);
    top->addWidget(m_remove);
    connect(addMore, &QPushButton::clicked, this, &ClusterPage::addCluster);
    connect(m_edit, &QPushButton::clicked, this, &ClusterPage::editCluster);
    connect(m_remove, &QPushButton::clicked, this, &ClusterPage::removeCluster);

    QFont bold = m_headline->font();
    bold.setBold(true);
    m_headline->setFont(bold);
    m_headline->setWordWrap(true);
    m_headline->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *manager = new QHBoxLayout;
    manager->addWidget(m_headline, 1);
    manager->addWidget(m_pauseResume);
    manager->addWidget(m_startStop);
    connect(m_startStop, &QPushButton::clicked, this, &ClusterPage::startOrStop);
    connect(m_pauseResume, &QPushButton::clicked, this, &ClusterPage::pauseOrResume);
    // Slurm's and the manager's words are shown as they are, never as markup.
    for (QLabel *l : { m_headline, m_limits, m_refused }) {
        l->setTextFormat(Qt::PlainText);
    }
    for (QLabel *l : { m_reach, m_limits, m_refused }) {
        l->setWordWrap(true);
        l->setTextInteractionFlags(Qt::TextSelectableByMouse);
    }
    m_refused->setStyleSheet(QStringLiteral("color: #c62828;"));

    m_view->setModel(m_jobs);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setStretchLastSection(false);
    m_view->horizontalHeader()->setSectionResizeMode(ClusterJobsModel::ReasonColumn, QHeaderView::Stretch);
    m_view->setAlternatingRowColors(true);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this] {
        const QModelIndex i = m_view->currentIndex();
        m_logPath = i.isValid() ? i.data(ClusterJobsModel::LogRole).toString() : QString();
        m_logTitle->setText(i.isValid() ? tr("Worker log of job %1 (%2)")
                                              .arg(i.data(ClusterJobsModel::JobIdRole).toString(), m_logPath)
                                        : tr("Select a job to see its worker's log."));
        m_log->clear();
        readLog();
    });
    m_log->setReadOnly(true);
    m_log->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_log->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_logTitle->setText(tr("Select a job to see its worker's log."));
    m_logTitle->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *logPane = new QWidget;
    auto *logLayout = new QVBoxLayout(logPane);
    logLayout->setContentsMargins(0, 0, 0, 0);
    logLayout->addWidget(m_logTitle);
    logLayout->addWidget(m_log, 1);
    auto *splitter = new QSplitter(Qt::Vertical);
    splitter->addWidget(m_view);
    splitter->addWidget(logPane);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 1);

    auto *mainLayout = new QVBoxLayout(main);
    mainLayout->addLayout(top);
    mainLayout->addWidget(m_reach);
    mainLayout->addLayout(manager);
    mainLayout->addWidget(m_limits);
    mainLayout->addWidget(m_refused);
    mainLayout->addWidget(splitter, 1);

    m_stack->addWidget(empty);
    m_stack->addWidget(main);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_stack);

    connect(m_clusters, &QComboBox::currentIndexChanged, this, [this] {
        m_view->clearSelection();
        m_view->setCurrentIndex({});
        updateStatus();
        updateLimits();
    });
    connect(m_controller, &ClusterController::profilesChanged, this, &ClusterPage::fillCombo);
    connect(m_controller, &ClusterController::message, this,
        [this](const QString &, const QString &text) { Q_EMIT messageRequested(text); });
    connect(m_controller, &ClusterController::statusChanged, this, [this](const QString &name) {
        if (name == currentCluster()) {
            updateStatus();
        }
    });
    connect(m_controller, &ClusterController::partitionsChanged, this, [this](const QString &name) {
        if (name == currentCluster()) {
            updateLimits();
        }
    });
    m_refresh.setInterval(3000);
    connect(&m_refresh, &QTimer::timeout, this, [this] {
        m_controller->refreshStatus(currentCluster());
        readLog();
    });
    fillCombo();
}

ClusterPage::~ClusterPage() = default;

QString ClusterPage::currentCluster() const
{
    return m_clusters->currentData().toString();
}

void ClusterPage::showCluster(const QString &name)
{
    const int i = m_clusters->findData(name);
    if (i >= 0) {
        m_clusters->setCurrentIndex(i);
    }
}

QString ClusterPage::headlineText() const
{
    return m_headline->text();
}

QString ClusterPage::limitsText() const
{
    return m_limits->text();
}

QString ClusterPage::refusedText() const
{
    return m_refused->isHidden() ? QString() : m_refused->text();
}

QString ClusterPage::logText() const
{
    return m_log->toPlainText();
}

bool ClusterPage::showsEmptyState() const
{
    return m_stack->currentIndex() == 0;
}

void ClusterPage::fillCombo()
{
    const QString current = currentCluster();
    {
        const QSignalBlocker block(m_clusters);
        m_clusters->clear();
        for (const ClusterProfile &p : m_controller->profiles()) {
            m_clusters->addItem(tr("%1 — tag %2").arg(p.name, p.tag), p.name);
        }
        const int keep = m_clusters->findData(current);
        m_clusters->setCurrentIndex(keep >= 0 ? keep : 0);
    }
    m_stack->setCurrentIndex(m_controller->profiles().isEmpty() ? 0 : 1);
    updateStatus();
    updateLimits();
}

void ClusterPage::updateStatus()
{
    const QString name = currentCluster();
    const ClusterProfile *p = m_controller->profile(name);
    m_edit->setEnabled(p);
    m_remove->setEnabled(p);
    if (!p) {
        m_jobs->setStatus({});
        return;
    }
    m_reach->setText(tr("Slurm on %1 · runs with the queue tag <b>%2</b> · partition %3 · at most %4 jobs")
                         .arg(p->reachText().toHtmlEscaped(), p->tag.toHtmlEscaped(),
                             p->partition.isEmpty() ? tr("(Slurm's default)") : p->partition.toHtmlEscaped())
                         .arg(p->maxWorkers));
    bool ok = true;
    m_headline->setText(tr("Worker manager: %1").arg(m_controller->headline(name, &ok)));
    m_headline->setStyleSheet(ok ? QString() : QStringLiteral("color: #c62828;"));
    using State = ManagerState;
    const bool running = m_controller->isRunning(name);
    const QJsonObject status = m_controller->status(name);
    const State state = m_controller->managerState(name);
    m_startStop->setText(running ? tr("S&top") : tr("&Start"));
    m_startStop->setEnabled(!m_controller->isStarting(name) && state != State::Stopping);
    m_startStop->setToolTip(running ? tr("Cancels the pending jobs; running ones finish their run")
                                    : tr("Starts codalab-worker-manager for this cluster"));
    const bool canPause = m_controller->canPause(name);
    m_pauseResume->setVisible(canPause || m_controller->canResume(name));
    m_pauseResume->setText(canPause ? tr("&Pause") : tr("&Resume"));
    m_pauseResume->setToolTip(canPause
            ? tr("Submits no new job; the jobs already there go on")
            : tr("Submits jobs again (after a halt: the runs Slurm refused stay refused)"));
    QStringList refused;
    if (state == State::Halted) {
        refused << tr("Last problem: %1").arg(status.value(QLatin1String("last_error")).toString());
    }
    for (const QJsonValue &v : status.value(QLatin1String("refused_runs")).toArray()) {
        const QJsonObject r = v.toObject();
        refused << tr("Run %1 not submitted: %2")
                       .arg(Units::shortUuid(r.value(QLatin1String("run")).toString()),
                           r.value(QLatin1String("why")).toString());
    }
    m_refused->setText(refused.join(QLatin1Char('\n')));
    m_refused->setVisible(!refused.isEmpty());
    m_jobs->setStatus(status);
}

void ClusterPage::updateLimits()
{
    m_controller->ensurePartitions(currentCluster());
    const ClusterQueue q = m_controller->queue(currentCluster());
    if (!q.partitionsKnown) {
        m_limits->setText(q.partitionsError.isEmpty()
                ? tr("Asking Slurm for its partitions…")
                : tr("Slurm did not answer: %1").arg(q.partitionsError));
        return;
    }
    QStringList lines;
    QStringList missing;
    for (const cluster::SlurmPartition &s :
        cluster::SlurmPartition::select(q.partitions, q.partition, &missing)) {
        lines << tr("Partition %1").arg(ClusterProfileDialog::describe(s));
    }
    for (const QString &name : std::as_const(missing)) {
        lines << tr("Slurm has no partition %1.").arg(name);
    }
    if (lines.isEmpty()) {
        lines << tr("Slurm has no default partition: choose one (Edit…).");
    }
    m_limits->setText(lines.join(QLatin1Char('\n')));
}

void ClusterPage::readLog()
{
    // One read at a time: over a slow ssh, ticks must not pile up processes.
    if (m_logPath.isEmpty() || !isVisible() || m_logReading) {
        return;
    }
    m_logReading = true;
    const QString path = m_logPath;
    m_controller->readJobLog(
        currentCluster(), path, this, [this, path](const QString &text, const QString &error) {
            m_logReading = false;
            if (path != m_logPath) {
                return; // another job was picked meanwhile
            }
            const QString shown = error.isEmpty() ? text : tr("(%1)").arg(error);
            if (shown == m_log->toPlainText()) {
                return;
            }
            // Follow the end unless the user scrolled up to read.
            QScrollBar *bar = m_log->verticalScrollBar();
            const bool atEnd = bar->value() == bar->maximum();
            const int keep = bar->value();
            m_log->setPlainText(shown);
            bar->setValue(atEnd ? bar->maximum() : keep);
        });
}

void ClusterPage::startOrStop()
{
    const QString name = currentCluster();
    if (m_controller->isRunning(name)) {
        m_controller->stop(name);
        return;
    }
    QString error;
    if (!m_controller->start(name, &error)) {
        m_headline->setText(tr("Worker manager: could not start: %1").arg(error));
        m_headline->setStyleSheet(QStringLiteral("color: #c62828;"));
        Q_EMIT messageRequested(error);
        return;
    }
}

void ClusterPage::pauseOrResume()
{
    const QString name = currentCluster();
    if (m_controller->canPause(name)) {
        m_controller->pause(name);
    } else {
        m_controller->resume(name);
    }
}

ClusterMenu *ClusterPage::createMenu(QWidget *parent)
{
    auto *menu = new ClusterMenu(m_controller, parent);
    menu->menuAction()->setObjectName(QStringLiteral("clusterMenuAction"));
    connect(menu, &ClusterMenu::pageRequested, this, [this](const QString &name) {
        showCluster(name);
        Q_EMIT showRequested();
        if (name.isEmpty()) {
            addCluster();
        }
    });
    connect(menu, &ClusterMenu::messageRequested, this, &ClusterPage::messageRequested);
    return menu;
}

void ClusterPage::addCluster()
{
    ClusterProfile p;
    p.name = m_controller->profiles().isEmpty() ? tr("cluster") : QString();
    p.tag = m_controller->profiles().isEmpty() ? QStringLiteral("slurm") : QString();
    openDialog(p, {});
}

void ClusterPage::editCluster()
{
    if (const ClusterProfile *p = m_controller->profile(currentCluster())) {
        openDialog(*p, p->name);
    }
}

void ClusterPage::openDialog(const ClusterProfile &profile, const QString &previousName)
{
    QList<ClusterProfile> others = m_controller->profiles();
    others.removeIf([&previousName](const ClusterProfile &o) { return o.name == previousName; });
    auto *dialog = new ClusterProfileDialog(profile, others, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    if (!previousName.isEmpty() && m_controller->isRunning(previousName)) {
        // The running manager serves that tag on that Slurm: changed here, it would go on unseen.
        dialog->lockWhereItRuns();
    }
    connect(dialog, &QDialog::accepted, this, [this, dialog, previousName] {
        const ClusterProfile saved = dialog->profile();
        m_controller->saveProfile(saved, previousName);
        showCluster(saved.name);
    });
    dialog->open();
}

void ClusterPage::removeCluster()
{
    const QString name = currentCluster();
    if (name.isEmpty()) {
        return;
    }
    auto *ask = new QMessageBox(QMessageBox::Question, tr("Remove cluster %1?").arg(name),
        m_controller->isRunning(name) ? tr("Its worker manager is stopped first: its pending jobs are "
                                           "cancelled, running ones finish their run.")
                                      : tr("Only the profile goes; nothing on the cluster changes."),
        QMessageBox::Yes | QMessageBox::No, this);
    ask->setAttribute(Qt::WA_DeleteOnClose);
    connect(ask, &QMessageBox::accepted, this, [this, name] { m_controller->removeProfile(name); });
    ask->open();
}

void ClusterPage::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    m_refresh.start();
    m_controller->refreshStatus(currentCluster());
    if (!m_controller->queue(currentCluster()).partitionsKnown) {
        m_controller->refreshPartitions(currentCluster()); // ssh or Slurm may be back since
    }
    readLog();
}

void ClusterPage::hideEvent(QHideEvent *event)
{
    QWidget::hideEvent(event);
    m_refresh.stop();
}

} // namespace codalab::ui
