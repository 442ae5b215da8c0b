// SPDX-License-Identifier: GPL-3.0-or-later
#include "machine/machinepage.h"

#include "charts/machinehistorycharts.h"
#include "common/units.h"
#include "common/workerlink.h"
#include "docker/dockerclient.h"
#include "machine/dockerpanel.h"
#include "machine/gpumodel.h"
#include "machine/usagebar.h"
#include "worker/controlerror.h"

#include <QDateTime>
#include <QFormLayout>
#include <QGroupBox>
#include <QHeaderView>
#include <QJsonArray>
#include <QLabel>
#include <QScrollArea>
#include <QSplitter>
#include <QStackedWidget>
#include <QStyle>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>

namespace codalab::ui {

namespace {

QLabel *selectableLabel(QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    label->setWordWrap(true);
    return label;
}

} // namespace

MachinePage::MachinePage(WorkerLink *link, docker::DockerClient *docker, QWidget *parent)
    : QWidget(parent)
    , m_link(link)
    , m_docker(docker)
    , m_gpus(new GpuModel(this))
    , m_stack(new QStackedWidget(this))
    , m_emptyDetail(new QLabel(this))
    , m_cpu(selectableLabel(this))
    , m_memory(new UsageBar(this))
    , m_workDir(selectableLabel(this))
    , m_disk(new UsageBar(this))
    , m_gpuView(new QTableView(this))
    , m_gpuNote(selectableLabel(this))
    , m_dockerPanel(new DockerPanel(docker, this))
    , m_workerDocker(selectableLabel(this))
    , m_updated(new QLabel(this))
    , m_history(new MachineHistoryCharts(link, this))
{
    m_memory->setAccessibleName(tr("Memory"));
    m_disk->setAccessibleName(tr("Work directory disk"));
    auto *machineBox = new QGroupBox(tr("Processor, memory and disk"), this);
    auto *form = new QFormLayout(machineBox);
    form->addRow(tr("Processor:"), m_cpu);
    form->addRow(tr("Memory:"), m_memory);
    form->addRow(tr("Work directory:"), m_workDir);
    form->addRow(QString(), m_disk);

    m_gpuView->setModel(m_gpus);
    m_gpuView->setAccessibleName(tr("GPUs"));
    m_gpuView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_gpuView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_gpuView->setWordWrap(false);
    m_gpuView->verticalHeader()->hide();
    m_gpuView->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_gpuView->horizontalHeader()->setSectionResizeMode(GpuModel::NameColumn, QHeaderView::Stretch);
    m_gpuView->horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    // As tall as its rows: a machine has a few GPUs, and an empty white area says nothing.
    m_gpuView->setSizeAdjustPolicy(QAbstractScrollArea::AdjustToContents);
    m_gpuView->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Maximum);
    auto *gpuBox = new QGroupBox(tr("GPUs"), this);
    auto *gpuLayout = new QVBoxLayout(gpuBox);
    gpuLayout->addWidget(m_gpuView);
    gpuLayout->addWidget(m_gpuNote);

    auto *content = new QWidget(this);
    auto *contentLayout = new QVBoxLayout(content);
    contentLayout->setContentsMargins(0, 0, 0, 0);
    contentLayout->addWidget(machineBox);
    contentLayout->addWidget(gpuBox);

    auto *empty = new QWidget(this);
    auto *emptyLayout = new QVBoxLayout(empty);
    auto *emptyTitle = new QLabel(tr("The worker is not running"), empty);
    QFont titleFont = emptyTitle->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.3);
    emptyTitle->setFont(titleFont);
    emptyTitle->setAlignment(Qt::AlignCenter);
    m_emptyDetail->setAlignment(Qt::AlignCenter);
    m_emptyDetail->setWordWrap(true);
    emptyLayout->addStretch();
    emptyLayout->addWidget(emptyTitle);
    emptyLayout->addWidget(m_emptyDetail);
    emptyLayout->addStretch();

    m_stack->addWidget(empty);
    m_stack->addWidget(content);

    // The engine as the desktop reaches it, its images and the no-network check (DockerPanel); below it,
    // the worker's own endpoint when that is another one (the two can differ through DOCKER_HOST).
    auto *dockerBox = new QGroupBox(tr("Docker"), this);
    auto *dockerLayout = new QVBoxLayout(dockerBox);
    dockerLayout->addWidget(m_dockerPanel);
    dockerLayout->addWidget(m_workerDocker);
    m_workerDocker->hide();

    m_updated->setEnabled(false); // a quiet footnote

    auto *historyBox = new QGroupBox(tr("The last hour"), this);
    historyBox->setObjectName(QStringLiteral("machineHistory"));
    auto *historyLayout = new QVBoxLayout(historyBox);
    historyLayout->addWidget(m_history);

    // Everything grows with the window; the user sets the shares.
    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_stack);
    splitter->addWidget(historyBox);
    splitter->addWidget(dockerBox);
    splitter->setChildrenCollapsible(false);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 2);
    splitter->setStretchFactor(2, 2);
    // Scrolled when the window is smaller than all of it: the page's many parts must not make the whole
    // window taller than a laptop's screen (every tab's minimum counts).
    auto *scroll = new QScrollArea(this);
    scroll->setObjectName(QStringLiteral("machineScroll"));
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(splitter);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(scroll, 1);
    layout->addWidget(m_updated);

    m_timer.setInterval(3000);
    connect(&m_timer, &QTimer::timeout, this, &MachinePage::probe);
    connect(link, &WorkerLink::statusChanged, this, &MachinePage::onStatus);
    connect(link, &WorkerLink::connectionChanged, this, [this] { onStatus(m_link->status()); });
    connect(m_gpus, &GpuModel::enabledChangeRequested, this,
        [this](const QString &uuid, bool enabled) { m_link->setGpuEnabled(uuid, enabled); });
    connect(m_dockerPanel, &DockerPanel::refreshed, this, &MachinePage::dockerChecked);
    onStatus(link->status());
}

MachinePage::~MachinePage() = default;

void MachinePage::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    probe();
    m_timer.start();
    checkDocker();
}

void MachinePage::hideEvent(QHideEvent *event)
{
    QWidget::hideEvent(event);
    m_timer.stop();
}

void MachinePage::probe()
{
    if (m_probeInFlight || !m_link->isConnected()) {
        m_emptyDetail->setText(m_link->lastError()); // the link does not announce each failed reconnect
        return;
    }
    Q_EMIT probeRequested();
    if (m_probeUnsupported) {
        m_link->refreshStatus();
        return;
    }
    m_probeInFlight = true;
    m_link->call(
        QStringLiteral("probeMachine"), {}, this, [this](const QJsonValue &, int code, const QString &) {
            m_probeInFlight = false;
            // Only a worker that does not know the method is asked for its status from now on (that still has
            // the last 10-second probe); a timeout or a busy worker is asked to probe again next time.
            if (code == worker::ControlError::MethodNotFound) {
                m_probeUnsupported = true;
                m_link->refreshStatus();
            }
        });
}

void MachinePage::checkDocker()
{
    m_dockerPanel->refresh(); // does nothing while a refresh is under way
}

void MachinePage::onStatus(const QJsonObject &status)
{
    const QJsonObject machine
        = m_link->isConnected() ? status.value(QLatin1String("machine")).toObject() : QJsonObject();
    m_gpus->setStatus(m_link->isConnected() ? status : QJsonObject());
    // Every GPU row in view (a machine has a few): the splitter may not squeeze the list to one row.
    m_gpuView->setMinimumHeight(m_gpuView->horizontalHeader()->height()
        + m_gpuView->verticalHeader()->defaultSectionSize() * std::max(1, m_gpus->rowCount())
        + 2 * m_gpuView->frameWidth() + 2);
    m_stack->setCurrentIndex(machine.isEmpty() ? 0 : 1);
    if (machine.isEmpty()) {
        m_emptyDetail->setText(
            m_link->isConnected() ? tr("Waiting for the worker's status…") : m_link->lastError());
        m_updated->clear();
        return;
    }
    const QString model = machine.value(QLatin1String("cpu_model")).toString();
    const int threads = machine.value(QLatin1String("cpu_threads")).toInt();
    const QString cpus = Units::cpuRanges(status.value(QLatin1String("cpuset")).toArray());
    m_cpu->setText(tr("%1 — %2; runs may use CPUs %3")
                       .arg(model.isEmpty() ? tr("unknown model") : model,
                           tr("%n thread(s)", nullptr, threads), cpus.isEmpty() ? tr("none") : cpus));

    const double memTotal = machine.value(QLatin1String("memory_total_bytes")).toDouble();
    const double memFree = machine.value(QLatin1String("memory_available_bytes")).toDouble();
    m_memory->setUsage(memTotal - memFree, memTotal,
        tr("%1 available of %2").arg(Units::bytes(memFree), Units::bytes(memTotal)));

    const double diskTotal = machine.value(QLatin1String("disk_total_bytes")).toDouble();
    const double diskFree = machine.value(QLatin1String("disk_free_bytes")).toDouble();
    m_workDir->setText(machine.value(QLatin1String("work_dir")).toString());
    m_disk->setUsage(diskTotal - diskFree, diskTotal,
        tr("%1 free of %2").arg(Units::bytes(diskFree), Units::bytes(diskTotal)));

    const bool anyGpu = m_gpus->rowCount() > 0;
    m_gpuView->setVisible(anyGpu);
    const QString warning = machine.value(QLatin1String("gpu_warning")).toString();
    m_gpuNote->setText(anyGpu
            ? warning
            : (warning.isEmpty() ? tr("No NVIDIA GPU: runs that ask for GPUs do not come here.")
                                 : tr("No GPU for runs: %1").arg(warning)));
    m_gpuNote->setVisible(!m_gpuNote->text().isEmpty());

    const QString endpoint
        = status.value(QLatin1String("docker")).toObject().value(QLatin1String("endpoint")).toString();
    const bool otherDocker = !endpoint.isEmpty() && endpoint != m_docker->endpoint().describe();
    m_workerDocker->setText(
        otherDocker ? tr("The worker uses the Docker engine at %1.").arg(endpoint) : QString());
    m_workerDocker->setVisible(otherDocker);
    m_updated->setText(tr("Updated at %1; refreshed every few seconds while this page is shown.")
                           .arg(QTime::currentTime().toString(QStringLiteral("HH:mm:ss"))));
}

bool MachinePage::showsEmptyState() const
{
    return m_stack->currentIndex() == 0;
}

QString MachinePage::cpuText() const
{
    return m_cpu->text();
}

QString MachinePage::memoryText() const
{
    return m_memory->usageText();
}

QString MachinePage::diskText() const
{
    return m_disk->usageText();
}

QString MachinePage::dockerText() const
{
    const QString worker = m_workerDocker->text();
    return worker.isEmpty() ? m_dockerPanel->statusText()
                            : m_dockerPanel->statusText() + QLatin1Char('\n') + worker;
}

} // namespace codalab::ui
