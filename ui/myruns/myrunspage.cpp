// SPDX-License-Identifier: GPL-3.0-or-later
#include "myruns/myrunspage.h"

#include "charts/runresourcecharts.h"
#include "common/buttonmenu.h"
#include "common/usernames.h"
#include "common/workerlink.h"
#include "myruns/myrunsfiltermodel.h"
#include "myruns/myrunsmodel.h"
#include "myruns/rundetailspanel.h"
#include "server/apijob.h"
#include "server/bundlestate.h"
#include "server/codalabclient.h"

#include <QComboBox>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMessageBox>
#include <QPushButton>
#include <QStackedWidget>
#include <QTableView>
#include <QTime>
#include <QVBoxLayout>

namespace codalab::ui {

using server::BundleState;

namespace {
enum StackPage { TablePage, PlaceholderPage };
/// Ages read "33 s ago" at first: rewritten this often while the page shows, they stay about right without
/// costing anything worth measuring.
constexpr int TimesRefreshMs = 10000;
} // namespace

MyRunsPage::MyRunsPage(server::CodaLabClient *client, QWidget *parent)
    : QWidget(parent)
    , m_client(client)
    , m_model(new MyRunsModel(client, this))
    , m_filter(new MyRunsFilterModel(this))
    , m_names(new UserNames(client, this))
    , m_stateCombo(new QComboBox(this))
    , m_textFilter(new QLineEdit(this))
    , m_refreshButton(new QPushButton(tr("&Refresh"), this))
    , m_banner(new QLabel(this))
    , m_stack(new QStackedWidget(this))
    , m_table(new QTableView(m_stack))
    , m_placeholder(new QLabel(m_stack))
    , m_details(new RunDetailsPanel(this))
    , m_logsButton(new QPushButton(tr("&Logs"), this))
    , m_killButton(new QPushButton(tr("&Kill…"), this))
    , m_rerunButton(new QPushButton(tr("R&erun…"), this))
{
    m_stateCombo->addItem(tr("All"), QStringList());
    m_stateCombo->addItem(tr("Active"), MyRunsModel::activeStates());
    m_stateCombo->addItem(tr("Staged"), QStringList { BundleState::Staged });
    m_stateCombo->addItem(tr("Running"), QStringList { BundleState::Running });
    m_stateCombo->addItem(tr("Ready"), QStringList { BundleState::Ready });
    m_stateCombo->addItem(tr("Failed"), QStringList { BundleState::Failed });
    m_stateCombo->addItem(tr("Killed"), QStringList { BundleState::Killed });
    m_stateCombo->setToolTip(tr("Show only runs in these states"));
    auto *stateLabel = new QLabel(tr("&Show:"), this);
    stateLabel->setBuddy(m_stateCombo);
    m_textFilter->setPlaceholderText(tr("Filter by name, command, image, queue or uuid"));
    m_textFilter->setClearButtonEnabled(true);
    m_textFilter->setAccessibleName(tr("Filter runs"));
    m_refreshButton->setShortcut(QKeySequence::Refresh);
    m_refreshButton->setToolTip(tr("Ask the server for your runs now (F5)"));

    auto *filters = new QHBoxLayout;
    filters->addWidget(stateLabel);
    filters->addWidget(m_stateCombo);
    filters->addWidget(m_textFilter, 1);
    filters->addWidget(m_refreshButton);

    m_banner->setWordWrap(true);
    m_banner->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_banner->setStyleSheet(QStringLiteral("QLabel { background: #fde7e9; color: #5f0a12; border: 1px solid "
                                           "#e8a0a8; border-radius: 4px; padding: 6px; }"));
    m_banner->hide();

    m_filter->setSourceModel(m_model);
    m_table->setModel(m_filter);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(MyRunsModel::CreatedColumn, Qt::DescendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setWordWrap(false);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->hide();
    QHeaderView *header = m_table->horizontalHeader();
    header->setSectionResizeMode(QHeaderView::ResizeToContents);
    header->setSectionResizeMode(MyRunsModel::CommandColumn, QHeaderView::Stretch);
    // Names and images can be long: a fixed start width, so the command keeps the room left over.
    header->setSectionResizeMode(MyRunsModel::NameColumn, QHeaderView::Interactive);
    header->resizeSection(MyRunsModel::NameColumn, 150);
    header->setSectionResizeMode(MyRunsModel::ImageColumn, QHeaderView::Interactive);
    header->resizeSection(MyRunsModel::ImageColumn, 200);
    m_table->setAccessibleName(tr("My runs"));
    m_table->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_table, &QWidget::customContextMenuRequested, this, [this](const QPoint &at) {
        ButtonMenu::popup(m_table, at, { m_logsButton, m_killButton, m_rerunButton, m_refreshButton });
    });

    m_placeholder->setAlignment(Qt::AlignCenter);
    m_placeholder->setWordWrap(true);
    m_placeholder->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_placeholder->setMargin(24);
    m_stack->addWidget(m_table);
    m_stack->addWidget(m_placeholder);

    m_logsButton->setToolTip(tr("Show the run's stdout and stderr (double click or Enter on a run)"));
    m_killButton->setToolTip(tr("Stop the run; it ends as killed"));
    m_rerunButton->setToolTip(tr("Open the submission dialog filled in with this run's command and options"));
    auto *buttons = new QHBoxLayout;
    buttons->addStretch(1);
    buttons->addWidget(m_logsButton);
    buttons->addWidget(m_killButton);
    buttons->addWidget(m_rerunButton);
    auto *detailsBox = new QGroupBox(tr("Selected run"), this);
    auto *detailsLayout = new QVBoxLayout(detailsBox);
    detailsLayout->addWidget(m_details, 1);
    m_chartsBox = new QWidget(detailsBox);
    m_chartsBox->setObjectName(QStringLiteral("runResources"));
    m_chartsLayout = new QVBoxLayout(m_chartsBox);
    m_chartsLayout->setContentsMargins(0, 0, 0, 0);
    m_chartsBox->hide();
    detailsLayout->addWidget(m_chartsBox, 2);
    detailsLayout->addLayout(buttons);

    // Not a splitter: the details take the height they need (it grows when a notice shows), the list
    // the rest.
    m_stack->setMinimumHeight(120);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(filters);
    layout->addWidget(m_banner);
    layout->addWidget(m_stack, 1);
    layout->addWidget(detailsBox);

    connect(m_stateCombo, &QComboBox::currentIndexChanged, this,
        [this] { m_filter->setStates(m_stateCombo->currentData().toStringList()); });
    connect(m_textFilter, &QLineEdit::textChanged, m_filter, &MyRunsFilterModel::setText);
    connect(m_refreshButton, &QPushButton::clicked, this, &MyRunsPage::refresh);
    connect(m_logsButton, &QPushButton::clicked, this, &MyRunsPage::requestLogs);
    connect(m_killButton, &QPushButton::clicked, this, &MyRunsPage::killSelected);
    connect(m_rerunButton, &QPushButton::clicked, this, &MyRunsPage::rerunSelected);
    connect(m_table, &QTableView::activated, this, &MyRunsPage::requestLogs);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
        m_actionError.clear(); // a kill error is about the run that was selected
        updateSelection();
        updateView();
    });
    // The selected row's data changes under the view as the server reports progress.
    connect(m_filter, &QAbstractItemModel::dataChanged, this, &MyRunsPage::updateSelection);
    connect(m_filter, &QAbstractItemModel::rowsRemoved, this, &MyRunsPage::updateSelection);
    connect(m_filter, &QAbstractItemModel::layoutChanged, this, &MyRunsPage::updateSelection);
    connect(m_filter, &QAbstractItemModel::rowsInserted, this, &MyRunsPage::updateView);
    connect(m_filter, &QAbstractItemModel::rowsRemoved, this, &MyRunsPage::updateView);
    connect(m_filter, &QAbstractItemModel::modelReset, this, &MyRunsPage::updateView);
    connect(m_model, &MyRunsModel::refreshed, this, [this](bool ok) {
        if (ok) {
            m_loadedAt = QLocale().toString(QTime::currentTime(), QLocale::ShortFormat);
        }
        updateView();
    });
    connect(m_model, &MyRunsModel::errorChanged, this, &MyRunsPage::updateView);
    m_details->setUserNames(m_names);
    connect(m_details, &RunDetailsPanel::resumeWorkerRequested, this, &MyRunsPage::resumeWorkerRequested);
    m_timesTimer.setInterval(TimesRefreshMs);
    connect(&m_timesTimer, &QTimer::timeout, this, &MyRunsPage::refreshTimes);

    updateSelection();
    updateView();
}

void MyRunsPage::setRefreshInterval(int ms)
{
    m_refreshMs = qMax(0, ms);
    if (isVisible()) {
        m_model->setAutoRefresh(m_refreshMs);
    }
}

void MyRunsPage::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    m_model->refresh();
    m_model->setAutoRefresh(m_refreshMs);
    refreshTimes(); // what the clock did while hidden
    m_timesTimer.start();
}

void MyRunsPage::hideEvent(QHideEvent *event)
{
    QWidget::hideEvent(event);
    m_model->setAutoRefresh(0); // nobody looks: no polling
    m_timesTimer.stop();
}

void MyRunsPage::refreshTimes()
{
    m_model->refreshTimes();
    m_details->refreshTimes();
}

void MyRunsPage::setClock(const std::function<qint64()> &nowSecs)
{
    m_model->setClock(nowSecs);
    m_details->setClock(nowSecs);
}

void MyRunsPage::setWorkerStatus(const QJsonObject &status)
{
    m_details->setWorkerStatus(status);
}

void MyRunsPage::refresh()
{
    m_model->refresh();
}

void MyRunsPage::clear()
{
    m_model->clear(); // removing the rows clears the selection, and so the details and the buttons
    m_names->clear(); // the next server may name its users differently
    m_actionError.clear();
    m_loadedAt.clear();
    m_details->setBundle({});
    updateSelection();
    updateView();
}

QJsonObject MyRunsPage::selectedBundle() const
{
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    return rows.isEmpty() ? QJsonObject() : rows.first().data(MyRunsModel::BundleRole).toJsonObject();
}

QString MyRunsPage::selectedUuid() const
{
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    return rows.isEmpty() ? QString() : rows.first().data(MyRunsModel::UuidRole).toString();
}

bool MyRunsPage::selectRun(const QString &uuid)
{
    const int sourceRow = m_model->rowOf(uuid);
    const QModelIndex index = m_filter->mapFromSource(m_model->index(sourceRow < 0 ? 0 : sourceRow, 0));
    if (sourceRow < 0 || !index.isValid()) {
        return false;
    }
    m_table->selectionModel()->setCurrentIndex(
        index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_table->scrollTo(index);
    return true;
}

void MyRunsPage::setWorkerLink(WorkerLink *link)
{
    // Its status explains a run that waits for it (and Resume resumes it); only a run it ran has a resource
    // history here, and the charts show once it has one.
    connect(link, &WorkerLink::statusChanged, this, &MyRunsPage::setWorkerStatus);
    setWorkerStatus(link->status());
    connect(this, &MyRunsPage::resumeWorkerRequested, link, [link] { link->resume(); });
    m_charts = new RunResourceCharts(link, m_chartsBox);
    m_chartsLayout->addWidget(m_charts);
    connect(m_charts, &RunResourceCharts::loaded, m_chartsBox, &QWidget::setVisible);
    updateSelection();
}

void MyRunsPage::updateSelection()
{
    const QJsonObject bundle = selectedBundle();
    if (m_charts) {
        const QString uuid = bundle.value(QLatin1String("id")).toString();
        if (uuid != m_charts->run()) {
            m_chartsBox->hide();
            m_charts->setRun(uuid);
        }
    }
    if (bundle != m_details->bundle()) {
        m_details->setBundle(bundle);
    }
    const QString state
        = bundle.value(QLatin1String("attributes")).toObject().value(QLatin1String("state")).toString();
    m_logsButton->setEnabled(!bundle.isEmpty());
    m_rerunButton->setEnabled(!bundle.isEmpty());
    m_killButton->setEnabled(!bundle.isEmpty() && !MyRunsModel::isFinalState(state) && !m_killJob);
}

void MyRunsPage::updateView()
{
    const QString error = m_model->errorString();
    QString placeholder;
    if (m_model->rowCount() == 0) {
        if (!error.isEmpty()) {
            placeholder = tr("Cannot load your runs from the server.\n%1").arg(error);
        } else if (!m_model->hasLoaded()) {
            placeholder = tr("Loading your runs…");
        } else {
            placeholder = tr("No runs yet — submit one with Submit run…");
        }
    } else if (m_filter->rowCount() == 0) {
        placeholder = tr("No runs match the filter.");
    }
    m_placeholder->setText(placeholder);
    m_stack->setCurrentIndex(placeholder.isEmpty() ? TablePage : PlaceholderPage);

    QString banner = m_actionError;
    if (banner.isEmpty() && !error.isEmpty() && m_model->rowCount() > 0) {
        banner = tr("Could not refresh: %1\nShowing the runs as loaded at %2.").arg(error, m_loadedAt);
    }
    m_banner->setText(banner);
    m_banner->setVisible(!banner.isEmpty());
}

QString MyRunsPage::placeholderText() const
{
    return m_stack->currentIndex() == PlaceholderPage ? m_placeholder->text() : QString();
}

QString MyRunsPage::bannerText() const
{
    return m_banner->isHidden() ? QString() : m_banner->text();
}

void MyRunsPage::requestLogs()
{
    const QString uuid = selectedUuid();
    if (!uuid.isEmpty()) {
        Q_EMIT logsRequested(uuid);
    }
}

void MyRunsPage::rerunSelected()
{
    const QJsonObject bundle = selectedBundle();
    if (!bundle.isEmpty()) {
        Q_EMIT rerunRequested(server::RunRequest::fromBundle(bundle));
    }
}

void MyRunsPage::killSelected()
{
    const QJsonObject bundle = selectedBundle();
    const QJsonObject a = bundle.value(QLatin1String("attributes")).toObject();
    if (bundle.isEmpty() || MyRunsModel::isFinalState(a.value(QLatin1String("state")).toString())
        || m_killJob) {
        return;
    }
    // Captured now: the selection may change while the question is open.
    const QString uuid = a.value(QLatin1String("uuid")).toString();
    const QString name
        = a.value(QLatin1String("metadata")).toObject().value(QLatin1String("name")).toString();
    auto *box = new QMessageBox(QMessageBox::Question, tr("Kill run"),
        tr("Kill %1 (%2)?").arg(name, uuid.left(10)), QMessageBox::Yes | QMessageBox::Cancel, this);
    box->setInformativeText(tr("The run stops and ends as killed; what it wrote so far is kept."));
    box->button(QMessageBox::Yes)->setText(tr("Kill run"));
    box->setDefaultButton(QMessageBox::Cancel);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::finished, this, [this, box, uuid, name] {
        if (box->clickedButton() == box->button(QMessageBox::Yes)) {
            sendKill(uuid, name);
        }
    });
    box->open();
}

void MyRunsPage::sendKill(const QString &uuid, const QString &name)
{
    m_actionError.clear();
    m_killJob = m_client->kill(uuid);
    updateSelection();
    connect(m_killJob, &server::ApiJob::finished, this, [this, uuid, name](const server::ApiResult &r) {
        m_killJob.clear();
        if (!r.ok()) {
            m_actionError = tr("Could not kill %1: %2").arg(name, r.error.message);
        }
        m_model->refresh();
        updateSelection();
        updateView();
        Q_EMIT killFinished(uuid, r.ok());
    });
}

} // namespace codalab::ui
