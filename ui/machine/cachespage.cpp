// SPDX-License-Identifier: GPL-3.0-or-later
#include "machine/cachespage.h"

#include "common/buttonmenu.h"
#include "common/units.h"
#include "common/workerlink.h"
#include "machine/cachemodel.h"
#include "machine/usagebar.h"

#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

namespace codalab::ui {

CachesPage::CachesPage(WorkerLink *link, QWidget *parent)
    : QWidget(parent)
    , m_link(link)
    , m_model(new CacheModel(this))
    , m_empty(new QLabel(this))
    , m_content(new QWidget(this))
    , m_dependencyBar(new UsageBar(this))
    , m_imageBar(new UsageBar(this))
    , m_view(new QTableView(this))
    , m_result(new QLabel(this))
    , m_refreshButton(new QPushButton(tr("&Refresh"), this))
    , m_cleanButton(new QPushButton(tr("&Clean now…"), this))
{
    m_dependencyBar->setAccessibleName(tr("Dependency cache use"));
    m_imageBar->setAccessibleName(tr("Image cache use"));
    auto *totals = new QFormLayout;
    totals->addRow(tr("Dependencies:"), m_dependencyBar);
    totals->addRow(tr("Images the worker pulled:"), m_imageBar);

    auto *proxy = new QSortFilterProxyModel(this);
    proxy->setSourceModel(m_model);
    proxy->setSortRole(CacheModel::SizeRole);
    m_view->setModel(proxy);
    m_view->setAccessibleName(tr("Cache entries"));
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(CacheModel::SizeColumn, Qt::DescendingOrder);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false);
    m_view->setTextElideMode(Qt::ElideMiddle);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);

    m_result->setWordWrap(true);
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_refreshButton->setToolTip(tr("Ask the worker for its caches again"));
    m_cleanButton->setToolTip(tr("Remove every dependency and worker-pulled image that no run uses"));
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_result, 1);
    buttons->addWidget(m_refreshButton);
    buttons->addWidget(m_cleanButton);

    auto *contentLayout = new QVBoxLayout(m_content);
    contentLayout->setContentsMargins(0, 0, 0, 0);
    contentLayout->addLayout(totals);
    contentLayout->addWidget(m_view, 1);
    contentLayout->addLayout(buttons);

    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setWordWrap(true);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_empty, 1);
    layout->addWidget(m_content, 1);

    m_timer.setInterval(10000);
    connect(&m_timer, &QTimer::timeout, this, &CachesPage::refresh);
    connect(m_refreshButton, &QPushButton::clicked, this, &CachesPage::refresh);
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_view, &QWidget::customContextMenuRequested, this, [this](const QPoint &at) {
        ButtonMenu::popup(m_view, at, { m_cleanButton, m_refreshButton });
    });
    connect(m_cleanButton, &QPushButton::clicked, this, &CachesPage::cleanNow);
    connect(link, &WorkerLink::statusChanged, this, &CachesPage::onStatus);
    connect(link, &WorkerLink::connectionChanged, this, [this] { onStatus(m_link->status()); });
    onStatus(link->status());
}

CachesPage::~CachesPage() = default;

void CachesPage::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    refresh();
    m_timer.start();
}

void CachesPage::hideEvent(QHideEvent *event)
{
    QWidget::hideEvent(event);
    m_timer.stop();
}

void CachesPage::onStatus(const QJsonObject &status)
{
    const bool connected = m_link->isConnected() && !status.isEmpty();
    m_empty->setVisible(!connected);
    m_content->setVisible(connected);
    if (!connected) {
        m_empty->setText(tr("The worker is not running.\n%1").arg(m_link->lastError()));
        m_model->setCaches({});
        m_lastTotals = {};
        return;
    }
    // The status carries the totals only: when they move, the entries did too.
    const QJsonObject totals = status.value(QLatin1String("caches")).toObject();
    if (totals != m_lastTotals) {
        m_lastTotals = totals;
        if (isVisible()) {
            refresh();
        }
    }
}

void CachesPage::refresh()
{
    if (m_inFlight || !m_link->isConnected()) {
        return;
    }
    m_inFlight = true;
    m_link->call(QStringLiteral("caches"), {},
        [self = QPointer(this)](bool ok, const QJsonValue &result, const QString &error) {
            if (!self) {
                return;
            }
            self->m_inFlight = false;
            if (ok) {
                self->onCaches(result.toObject());
            } else {
                self->m_result->setText(tr("Could not read the caches: %1").arg(error));
            }
            Q_EMIT self->refreshed();
        });
}

void CachesPage::onCaches(const QJsonObject &caches)
{
    m_model->setCaches(caches);
    const QJsonArray deps = caches.value(QLatin1String("dependencies")).toArray();
    const double depBytes = caches.value(QLatin1String("dependencies_bytes")).toDouble();
    const double depCap = caches.value(QLatin1String("dependencies_max_bytes")).toDouble();
    m_dependencyBar->setUsage(depBytes, depCap,
        tr("%1, %2 of %3")
            .arg(tr("%n entry(ies)", nullptr, int(deps.size())), Units::bytes(depBytes),
                Units::bytes(depCap)));

    int pulled = 0;
    for (const QJsonValue &v : caches.value(QLatin1String("images")).toArray()) {
        pulled += v[QLatin1String("pulled_by_worker")].toBool() ? 1 : 0;
    }
    const double imageBytes = caches.value(QLatin1String("images_bytes")).toDouble();
    const QJsonValue imageCap = caches.value(QLatin1String("images_max_bytes"));
    const QString images = tr("%n image(s)", nullptr, pulled);
    m_imageBar->setUsage(imageBytes, imageCap.toDouble(),
        imageCap.isDouble()
            ? tr("%1, %2 of %3").arg(images, Units::bytes(imageBytes), Units::bytes(imageCap.toDouble()))
            : tr("%1, %2 (no limit)").arg(images, Units::bytes(imageBytes)));
}

void CachesPage::cleanNow()
{
    if (m_confirm) {
        m_confirm->raise();
        return;
    }
    auto *box = new QMessageBox(QMessageBox::Question, tr("Clean the caches"),
        tr("Clean the worker's caches now?"), QMessageBox::NoButton, this);
    box->setInformativeText(tr(
        "This removes every dependency no run uses and every Docker image the worker pulled that no run "
        "uses. Anything a run uses now, downloads under way and images the worker did not pull are kept.\n\n"
        "What is removed is downloaded or pulled again when a run needs it."));
    QPushButton *clean = box->addButton(tr("C&lean now"), QMessageBox::AcceptRole);
    box->setDefaultButton(box->addButton(QMessageBox::Cancel));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setWindowModality(Qt::WindowModal);
    connect(box, &QMessageBox::finished, this, [this, box, clean] {
        if (box->clickedButton() == clean) {
            this->clean();
        }
    });
    m_confirm = box;
    box->open(); // not exec(): no nested event loop
}

void CachesPage::clean()
{
    m_cleanButton->setEnabled(false);
    m_result->setText(tr("Cleaning…"));
    const QJsonObject params { { QStringLiteral("dependencies"), true }, { QStringLiteral("images"), true } };
    m_link->call(QStringLiteral("cleanCaches"), params,
        [self = QPointer(this)](bool ok, const QJsonValue &result, const QString &error) {
            if (!self) {
                return;
            }
            self->m_cleanButton->setEnabled(true);
            const QJsonObject r = result.toObject();
            if (!ok) {
                self->m_result->setText(tr("Could not clean: %1").arg(error));
            } else {
                const int deps
                    = int(r[QLatin1String("dependencies")][QLatin1String("removed")].toArray().size());
                const int images = int(r[QLatin1String("images")][QLatin1String("removed")].toArray().size());
                const QString freed = Units::bytes(r.value(QLatin1String("bytes_freed")).toDouble());
                self->m_result->setText(deps + images == 0
                        ? tr("Nothing to remove: every entry is in use or not the worker's.")
                        : tr("Removed %1 and %2; freed %3.")
                              .arg(tr("%n dependency(ies)", nullptr, deps),
                                  tr("%n image(s)", nullptr, images), freed));
            }
            self->refresh();
            Q_EMIT self->cleaned(r);
        });
}

QString CachesPage::dependenciesText() const
{
    return m_dependencyBar->usageText();
}

QString CachesPage::imagesText() const
{
    return m_imageBar->usageText();
}

QString CachesPage::resultText() const
{
    return m_result->text();
}

bool CachesPage::showsEmptyState() const
{
    return m_content->isHidden();
}

} // namespace codalab::ui
