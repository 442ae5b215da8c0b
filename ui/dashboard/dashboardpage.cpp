// SPDX-License-Identifier: GPL-3.0-or-later
#include "dashboard/dashboardpage.h"

#include "charts/runresourcecharts.h"
#include "common/units.h"
#include "common/workerheadline.h"
#include "common/workerlink.h"
#include "common/workerruns.h"
#include "dashboard/containermodel.h"
#include "dashboard/slotmodel.h"

#include <QAction>
#include <QClipboard>
#include <QDateTime>
#include <QGridLayout>
#include <QGroupBox>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QLabel>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QSplitter>
#include <QStackedWidget>
#include <QStyle>
#include <QTableView>
#include <QVBoxLayout>

namespace codalab::ui {

namespace {

QTableView *makeTable(QAbstractItemModel *model, QWidget *parent)
{
    auto *view = new QTableView(parent);
    view->setModel(model);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setSelectionMode(QAbstractItemView::SingleSelection);
    view->setAlternatingRowColors(true);
    view->setWordWrap(false);
    view->setTextElideMode(Qt::ElideMiddle);
    view->verticalHeader()->hide();
    view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    view->horizontalHeader()->setStretchLastSection(true);
    view->horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    return view;
}

QString colored(const QString &color, const QString &text)
{
    return QStringLiteral("<span style=\"color:%1\">%2</span>").arg(color, text.toHtmlEscaped());
}

} // namespace

DashboardPage::DashboardPage(WorkerLink *link, QWidget *parent)
    : QWidget(parent)
    , m_link(link)
    , m_slots(new SlotModel(this))
    , m_containers(new ContainerModel(this))
    , m_availability(new QLabel(this))
    , m_connection(new QLabel(this))
    , m_identity(new QLabel(this))
    , m_message(new QLabel(this))
    , m_stack(new QStackedWidget(this))
    , m_emptyTitle(new QLabel(this))
    , m_emptyDetail(new QLabel(this))
    , m_slotView(makeTable(m_slots, this))
    , m_containerView(makeTable(m_containers, this))
    , m_killButton(new QPushButton(tr("&Kill run…"), this))
    , m_outputButton(new QPushButton(tr("Show &output"), this))
    , m_charts(new RunResourceCharts(link, this))
    , m_startButton(new QPushButton(tr("&Start the worker"), this))
{
    QFont big = m_availability->font();
    big.setPointSizeF(big.pointSizeF() * 1.3);
    big.setBold(true);
    m_availability->setFont(big);
    m_availability->setTextFormat(Qt::RichText);
    m_connection->setTextFormat(Qt::RichText);
    // Read-only details: selectable and copyable with the mouse and the keyboard alike.
    m_identity->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_connection->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_identity->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    m_message->setWordWrap(true);
    m_message->hide();

    auto *header = new QGridLayout;
    header->addWidget(m_availability, 0, 0);
    header->addWidget(m_identity, 0, 1);
    header->addWidget(m_connection, 1, 0, 1, 2);
    header->setColumnStretch(0, 1);

    // The empty state: what is wrong, in words, instead of tables with nothing in them.
    auto *empty = new QWidget(this);
    auto *emptyLayout = new QVBoxLayout(empty);
    auto *emptyIcon = new QLabel(empty);
    emptyIcon->setPixmap(style()->standardIcon(QStyle::SP_MessageBoxInformation).pixmap(48, 48));
    emptyIcon->setAlignment(Qt::AlignCenter);
    QFont titleFont = m_emptyTitle->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.4);
    m_emptyTitle->setFont(titleFont);
    m_emptyTitle->setAlignment(Qt::AlignCenter);
    m_emptyDetail->setAlignment(Qt::AlignCenter);
    m_emptyDetail->setWordWrap(true);
    m_emptyDetail->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    emptyLayout->addStretch(1);
    emptyLayout->addWidget(emptyIcon);
    emptyLayout->addWidget(m_emptyTitle);
    emptyLayout->addWidget(m_emptyDetail);
    m_startButton->setObjectName(QStringLiteral("startWorker"));
    m_startButton->setToolTip(tr("Start codalab-worker on this computer now"));
    connect(m_startButton, &QPushButton::clicked, this, &DashboardPage::startWorkerRequested);
    auto *startRow = new QHBoxLayout;
    startRow->addStretch();
    startRow->addWidget(m_startButton);
    startRow->addStretch();
    emptyLayout->addLayout(startRow);
    emptyLayout->addStretch(2);

    m_slotView->setAccessibleName(tr("Slots"));
    m_containerView->setAccessibleName(tr("Running containers"));
    m_containerView->setContextMenuPolicy(Qt::CustomContextMenu);
    // Nine columns in a window of 1000 pixels: the long container name gives way (its start, which holds
    // the short uuid, stays readable; the whole name is in its tooltip) and the stage takes what is left.
    QHeaderView *columns = m_containerView->horizontalHeader();
    columns->setStretchLastSection(false);
    columns->setSectionResizeMode(ContainerModel::ContainerColumn, QHeaderView::Interactive);
    columns->resizeSection(ContainerModel::ContainerColumn,
        fontMetrics().horizontalAdvance(QStringLiteral("codalab_run_0x01234…")));
    columns->setSectionResizeMode(ContainerModel::StageColumn, QHeaderView::Stretch);
    m_containerView->setTextElideMode(Qt::ElideRight);
    auto *slotBox = new QGroupBox(tr("Slots"), this);
    auto *slotLayout = new QVBoxLayout(slotBox);
    slotLayout->addWidget(m_slotView);
    auto *containerBox = new QGroupBox(tr("Running containers"), this);
    auto *containerLayout = new QVBoxLayout(containerBox);
    containerLayout->addWidget(m_containerView);
    auto *buttons = new QHBoxLayout;
    m_killButton->setToolTip(tr("Stop the selected run's container; the run ends as killed"));
    m_killButton->setEnabled(false);
    m_outputButton->setObjectName(QStringLiteral("showOutput"));
    m_outputButton->setToolTip(
        tr("Show the selected run's output on the Logs page (or double-click the run)"));
    m_outputButton->setEnabled(false);
    buttons->addStretch();
    buttons->addWidget(m_outputButton);
    buttons->addWidget(m_killButton);
    containerLayout->addLayout(buttons);
    // The selected run's resources over its life (the newest run's while none is selected).
    auto *resourceBox = new QGroupBox(tr("Resources of the run"), this);
    resourceBox->setObjectName(QStringLiteral("runResources"));
    auto *resourceLayout = new QVBoxLayout(resourceBox);
    resourceLayout->addWidget(m_charts);
    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(slotBox);
    splitter->addWidget(containerBox);
    splitter->addWidget(resourceBox);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 2);
    splitter->setStretchFactor(2, 3);
    splitter->setChildrenCollapsible(false);

    m_stack->addWidget(empty);
    m_stack->addWidget(splitter);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(header);
    layout->addWidget(m_message);
    layout->addWidget(m_stack, 1);

    auto *killAction = new QAction(tr("Kill run…"), m_containerView);
    killAction->setShortcut(QKeySequence::Delete);
    killAction->setShortcutContext(Qt::WidgetShortcut);
    m_containerView->addAction(killAction);
    connect(killAction, &QAction::triggered, this, &DashboardPage::killSelectedRun);
    connect(m_killButton, &QPushButton::clicked, this, &DashboardPage::killSelectedRun);
    connect(m_outputButton, &QPushButton::clicked, this, &DashboardPage::requestOutput);
    connect(m_containerView, &QAbstractItemView::activated, this, &DashboardPage::requestOutput);
    connect(m_containerView, &QWidget::customContextMenuRequested, this, &DashboardPage::showContextMenu);
    connect(m_containerView->selectionModel(), &QItemSelectionModel::selectionChanged, this,
        &DashboardPage::onSelectionChanged);
    // A row that changes stage in place does not change the selection, but may change what Kill can do.
    connect(m_containers, &QAbstractItemModel::dataChanged, this,
        [this] { m_killButton->setEnabled(!selectedRun().isEmpty()); });

    m_clock.setInterval(1000);
    connect(&m_clock, &QTimer::timeout, this, &DashboardPage::updateConnection);
    connect(link, &WorkerLink::statusChanged, this, &DashboardPage::onStatus);
    connect(link, &WorkerLink::connectionChanged, this, [this] { onStatus(m_link->status()); });
    onStatus(link->status());
}

DashboardPage::~DashboardPage() = default;

void DashboardPage::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    updateConnection();
    m_clock.start();
}

void DashboardPage::hideEvent(QHideEvent *event)
{
    QWidget::hideEvent(event);
    m_clock.stop();
}

void DashboardPage::onStatus(const QJsonObject &status)
{
    m_status = m_link->isConnected() ? status : QJsonObject();
    m_slots->setStatus(m_status);
    m_containers->setStatus(m_status);
    m_stack->setCurrentIndex(m_status.isEmpty() ? 0 : 1);
    updateAvailability();
    updateConnection();
    onSelectionChanged();
}

void DashboardPage::setStarting(bool starting)
{
    m_starting = starting;
    updateEmptyState();
    updateAvailability();
}

void DashboardPage::updateEmptyState()
{
    if (!m_link->isConnected() && m_starting) {
        // The desktop launched it and waits for its socket: not "not running", and no button to start it.
        m_emptyTitle->setText(tr("Starting the worker…"));
        m_emptyDetail->setText(tr("The dashboard fills in as soon as it answers."));
        m_startButton->hide();
    } else if (!m_link->isConnected()) {
        m_emptyTitle->setText(tr("The worker is not running"));
        const QString error = m_link->lastError();
        m_emptyDetail->setText((error.isEmpty() ? QString() : error + QStringLiteral("\n\n"))
            + tr("Start it with the button below (or Worker → Start the worker); the dashboard fills in by "
                 "itself as soon as it answers."));
        m_startButton->show();
    } else if (m_status.isEmpty()) {
        m_emptyTitle->setText(tr("Waiting for the worker's status…"));
        m_emptyDetail->clear();
        m_startButton->hide();
    }
}

void DashboardPage::setUserNames(UserNames *names)
{
    m_containers->setUserNames(names);
}

QString DashboardPage::availabilityText() const
{
    if (m_status.isEmpty()) {
        return m_starting && !m_link->isConnected() ? tr("Starting the worker…") : tr("Not connected");
    }
    return WorkerHeadline::of(m_status, QDateTime::currentDateTime()).text;
}

void DashboardPage::updateAvailability()
{
    if (m_status.isEmpty()) {
        m_availability->setText(
            colored(QStringLiteral("#757575"), QStringLiteral("● ") + availabilityText()));
        m_identity->clear();
        return;
    }
    const WorkerHeadline headline = WorkerHeadline::of(m_status, QDateTime::currentDateTime());
    m_availability->setText(colored(headline.colour, QStringLiteral("● ") + headline.text));
    QString identity = tr("Worker %1").arg(m_status.value(QLatin1String("worker_id")).toString());
    const QString tag = m_status.value(QLatin1String("tag")).toString();
    if (!tag.isEmpty()) {
        identity += m_status.value(QLatin1String("tag_exclusive")).toBool()
            ? tr(" · tag %1 (only runs for this tag)").arg(tag)
            : tr(" · tag %1").arg(tag);
    }
    m_identity->setText(identity);
    m_identity->setToolTip(tr("codalab-worker %1, work directory %2")
                               .arg(m_status.value(QLatin1String("version")).toString(),
                                   m_status.value(QLatin1String("work_dir")).toString()));
}

QString DashboardPage::connectionText() const
{
    if (m_status.isEmpty()) {
        return {};
    }
    const QJsonObject server = m_status.value(QLatin1String("server")).toObject();
    const QJsonValue last = server.value(QLatin1String("last_checkin"));
    const QString age = last.isDouble()
        ? Units::ago(QDateTime::currentSecsSinceEpoch() - qint64(last.toDouble()))
        : QString();
    if (server.value(QLatin1String("connected")).toBool()) {
        return age.isEmpty() ? tr("Connected to the server") : tr("Connected — last check-in %1").arg(age);
    }
    const QString error = server.value(QLatin1String("last_error")).toString();
    if (!error.isEmpty()) {
        return tr("Not connected to the server: %1").arg(error);
    }
    // Not checked in yet: the headline says "Starting the worker…", and a second state under it would
    // only contradict it.
    return age.isEmpty() ? QString() : tr("Not connected (last check-in %1)").arg(age);
}

void DashboardPage::updateConnection()
{
    // WorkerLink announces losing the worker, not each failed reconnect: its reason is read here, each tick.
    updateEmptyState();
    const bool connected
        = m_status.value(QLatin1String("server")).toObject().value(QLatin1String("connected")).toBool();
    const QString text = connectionText();
    QString html
        = connected || text.isEmpty() ? text.toHtmlEscaped() : colored(QStringLiteral("#c62828"), text);
    const QJsonObject docker = m_status.value(QLatin1String("docker")).toObject();
    if (docker.value(QLatin1String("ok")) == QJsonValue(false)) {
        // Checked in but unable to start a container: say so where the user looks first.
        html += QStringLiteral("<br>")
            + colored(QStringLiteral("#c62828"),
                tr("Docker is not usable: %1").arg(docker.value(QLatin1String("error")).toString()));
    }
    m_connection->setText(html);
}

QString DashboardPage::selectedRun() const
{
    const QModelIndexList rows = m_containerView->selectionModel()->selectedRows();
    return rows.isEmpty() ? QString() : rows.first().data(ContainerModel::UuidRole).toString();
}

void DashboardPage::onSelectionChanged()
{
    const QModelIndexList rows = m_containerView->selectionModel()->selectedRows();
    m_killButton->setEnabled(!rows.isEmpty());
    m_outputButton->setEnabled(!rows.isEmpty());
    if (!rows.isEmpty()) {
        const QString uuid = rows.first().data(ContainerModel::UuidRole).toString();
        const QString runDir = rows.first().data(ContainerModel::RunDirRole).toString();
        if (m_selected != uuid) { // a status refreshing the row is no new selection
            m_selected = uuid;
            Q_EMIT runSelected(uuid, runDir);
        }
    } else {
        m_selected.clear();
    }
    m_charts->setRun(m_selected.isEmpty() ? newestRun() : m_selected);
}

QString DashboardPage::newestRun() const
{
    const QString newest = WorkerRuns::newest(m_status).value(QLatin1String("uuid")).toString();
    // Once it leaves the worker, its charts stay until another run comes.
    return newest.isEmpty() ? m_charts->run() : newest;
}

void DashboardPage::requestOutput()
{
    const QModelIndexList rows = m_containerView->selectionModel()->selectedRows();
    if (!rows.isEmpty()) {
        Q_EMIT outputRequested(rows.first().data(ContainerModel::UuidRole).toString(),
            rows.first().data(ContainerModel::RunDirRole).toString());
    }
}

void DashboardPage::showContextMenu(const QPoint &pos)
{
    const QModelIndex index = m_containerView->indexAt(pos);
    if (!index.isValid()) {
        return;
    }
    m_containerView->selectRow(index.row());
    const QString uuid = index.data(ContainerModel::UuidRole).toString();
    auto *menu = new QMenu(this);
    menu->setAttribute(Qt::WA_DeleteOnClose);
    menu->addAction(tr("Show output"), this, &DashboardPage::requestOutput);
    menu->addAction(tr("Kill run…"), this, [this, uuid] { confirmKill(uuid); });
    menu->addAction(tr("Copy bundle uuid"), this, [uuid] { QGuiApplication::clipboard()->setText(uuid); });
    menu->popup(m_containerView->viewport()->mapToGlobal(pos)); // not exec(): no nested event loop
}

void DashboardPage::killSelectedRun()
{
    const QString uuid = selectedRun();
    if (!uuid.isEmpty()) {
        confirmKill(uuid);
    }
}

void DashboardPage::confirmKill(const QString &uuid)
{
    if (m_confirm) {
        m_confirm->raise();
        return;
    }
    QString command;
    for (const QJsonValue &r : m_status.value(QLatin1String("runs")).toArray()) {
        if (r[QLatin1String("uuid")].toString() == uuid) {
            command = r[QLatin1String("command")].toString();
        }
    }
    auto *box = new QMessageBox(QMessageBox::Warning, tr("Kill run"),
        tr("Kill run %1?").arg(Units::shortUuid(uuid)), QMessageBox::NoButton, this);
    box->setInformativeText(tr("%1\n\nIts container is stopped now and the run ends as killed. What it wrote "
                               "so far is kept with the bundle.")
                                .arg(command.isEmpty() ? uuid : command));
    QPushButton *kill = box->addButton(tr("&Kill run"), QMessageBox::DestructiveRole);
    box->setDefaultButton(box->addButton(QMessageBox::Cancel));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setWindowModality(Qt::WindowModal);
    connect(box, &QMessageBox::finished, this, [this, box, kill, uuid] {
        if (box->clickedButton() != kill) {
            return;
        }
        m_message->setText(tr("Asked the worker to kill %1…").arg(Units::shortUuid(uuid)));
        m_message->show();
        // The answer may come after the page is gone.
        m_link->killRun(
            uuid, [self = QPointer(this), uuid](bool ok, const QJsonValue &, const QString &error) {
                if (!self) {
                    return;
                }
                DashboardPage *const page = self.data();
                page->m_message->setText(ok ? tr("The worker is killing %1.").arg(Units::shortUuid(uuid))
                                            : tr("Could not kill %1: %2").arg(Units::shortUuid(uuid), error));
                Q_EMIT page->killAnswered(uuid, ok, error);
            });
    });
    m_confirm = box;
    box->open();
}

bool DashboardPage::showsEmptyState() const
{
    return m_stack->currentIndex() == 0;
}

} // namespace codalab::ui
